"""herbproc: herbarium specimen sheets to research data, one shard at a time.

The science lives here as plain functions over one shard of one manifest; the scheduler edge lives in ``hpc``.
"""

__version__ = "0.1.0"
