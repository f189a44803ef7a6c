"""GBIF ingest: read a Darwin Core Archive, a GBIF simple CSV or a folder of images into the run's manifest.

``stage=ingest input=<path>`` (``herbproc.gbif.stage``) writes ``<run_dir>/manifest.parquet`` (one row per image),
``<run_dir>/classes.csv`` and ``<run_dir>/ingest/dropped.*`` (every record left out, with its reason).
"""
