"""Typed schema of the configuration, one module per section.

Every module here that defines ``SECTION`` (the config key) and a dataclass ``Settings`` adds a section to the
root config; the YAML files in ``configs/`` give values, and OmegaConf checks names and types against these
dataclasses. Keep these modules free of heavy imports: the launcher loads all of them.
"""
