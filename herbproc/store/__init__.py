"""The image store: original bytes and decoded training copies in chunked Zarr v3 or HDF5 (docs/data-layout.md).

from herbproc.store import open_store
store = open_store("<run_dir>/store")     # or the run directory
"""

from herbproc.store.layout import ArraySpec, StoreError
from herbproc.store.store import BlockWriter, ImageStore, create_store, open_store

__all__ = ["ArraySpec", "BlockWriter", "ImageStore", "StoreError", "create_store", "open_store"]
