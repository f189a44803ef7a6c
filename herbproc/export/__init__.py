"""``stage=export``: the run written out for other tools. ``format=cub`` (``herbproc.store.export_cub``) for the
official IELT code, ``format=dwca`` (``herbproc.export.dwca``) a Darwin Core Archive to publish through an IPT."""
