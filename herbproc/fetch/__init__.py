"""The HTTP fetcher the stages share: pooled, polite requests (``client``) within a run-wide per-host budget
(``budget``). GBIF's API client and the download stage both use it (docs/hpc.md, "Polite at cluster scale")."""
