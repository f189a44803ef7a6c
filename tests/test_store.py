"""The image store: Zarr and HDF5 read back the same, plain zarr/h5py can read it, parts are checked, writers
keep to their blocks, extra arrays and the masked variant, the PyTorch Dataset."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import h5py
import hdf5plugin  # noqa: F401  (the zstd filter for plain h5py reads)
import numpy as np
import pandas as pd
import pytest
import torch
import zarr
from conftest import REPO
from faultserver import FaultServer
from gbif_archive import SMALL_STORE, ingest_run, make_image

from herbproc.config import compose
from herbproc.shard import Shard, execute_shard
from herbproc.store import ArraySpec, StoreError, create_store, open_store
from herbproc.store.dataset import StoreDataset
from herbproc.store.layout import fit_box, fit_into_canvas


def small_store(path, backend, n=10, codec="zstd", block=4):
    store = create_store(
        path, backend=backend, gbif_ids=[str(500 + i) for i in range(n)], labels=[i % 3 for i in range(n)],
        height=12, width=8, codec=codec, block=block,
    )  # fmt: skip
    with store.writer("core") as w:
        for row in range(n):
            if row == 3:
                continue  # a failed download
            img = np.full((12, 8, 3), row * 20, np.uint8)
            w.put(row, image=img, original=bytes([row]) * (row + 1), height=120, width=80, nbytes=row + 1,
                  sha256=f"{row:064x}", content_type="image/jpeg", image_format="jpeg", orientation=1,
                  box=[0, 0, 12, 8])  # fmt: skip
    return open_store(path, writable=True)


@pytest.fixture(params=["zarr", "hdf5"])
def backend(request):
    return request.param


def test_zarr_and_hdf5_downloads_read_back_identical(tmp_path):
    files = {f"x{i}.jpg": make_image(30 + i, 45, seed=i) for i in range(9)}
    with FaultServer(files) as srv:
        urls = [srv.url(n) for n in files] + [srv.url("x0.jpg", fault="404")]
        stores = {}
        for backend in ("zarr", "hdf5"):
            base = ingest_run(tmp_path / backend, urls)
            execute_shard(compose(["stage=download", *base, *SMALL_STORE, f"store={backend}"]), 0)
            stores[backend] = open_store(tmp_path / backend)
    z, h = stores["zarr"], stores["hdf5"]
    assert (z.layout.backend, h.layout.backend) == ("zarr", "hdf5")
    assert len(z) == len(h) == 10 and list(z.gbif_ids) == list(h.gbif_ids)
    assert (z.valid == h.valid).all() and z.valid.sum() == 9
    pd.testing.assert_frame_equal(z.metadata(), h.metadata())
    for i in range(len(z)):
        assert z.original(i) == h.original(i)
        assert np.array_equal(z.image(i), h.image(i))
    # plain zarr and plain h5py, as docs/data-layout.md describes
    group = zarr.open_group(str(tmp_path / "zarr" / "store"), mode="r")
    master = h5py.File(tmp_path / "hdf5" / "store" / "store.h5", "r")
    row = int(np.flatnonzero(z.valid)[0])
    assert bytes(group["original"][row : row + 1][0]) == master["original"][row].tobytes() == z.original(row)
    assert master["gbif_id"].asstr()[row] == str(group["gbif_id"][row : row + 1][0]) == z.gbif_ids[row]
    assert list(master["valid"][:]) == list(group["valid"][:])


def open_parts(root) -> int:
    """Part files of the store under ``root`` this process holds open."""
    fds = [os.path.join("/proc/self/fd", fd) for fd in os.listdir("/proc/self/fd")]
    targets = [os.path.realpath(fd) for fd in fds if os.path.islink(fd)]
    return sum(t.startswith(str(root.resolve())) and t.endswith(".h5") for t in targets)


def test_hdf5_reader_keeps_a_bounded_number_of_parts_open(tmp_path, monkeypatch):
    import herbproc.store.hdf5_backend as h5b

    monkeypatch.setattr(h5b, "MAX_OPEN_PARTS", 3)
    small_store(tmp_path / "s", "hdf5", n=12, block=2)  # 6 parts of core
    store = open_store(tmp_path / "s")
    rows = [0, 11, 2, 9, 4, 7, 0, 6, 1, 10, 3, 8, 5, 11, 0]  # every part, and back to evicted ones
    seen = []
    for row in rows:
        seen.append(store.read("original", row))
        assert open_parts(tmp_path / "s") <= 3
    assert seen == [bytes([r]) * (r + 1) if r != 3 else b"" for r in rows]
    assert store.values("original", range(12))[5] == bytes([5]) * 6 and open_parts(tmp_path / "s") <= 3
    store.close()
    assert open_parts(tmp_path / "s") == 0


def test_hdf5_missing_part_is_a_clear_error(tmp_path):
    store = small_store(tmp_path / "s", "hdf5", n=10, block=4)
    (store.path / "parts" / "core" / "part-00001.h5").unlink()
    with pytest.raises(
        StoreError, match=r"part file\(s\) of 'core' missing: parts/core/part-00001.h5 \(rows 4-7\)"
    ):
        open_store(tmp_path / "s")
    with h5py.File(tmp_path / "s" / "store.h5", "r") as f:  # why the check: the virtual dataset reads zeros
        assert list(f["valid"][4:8]) == [0, 0, 0, 0]


def test_writer_rules_extra_arrays_and_the_masked_variant(tmp_path, backend):
    store = small_store(tmp_path / "s", backend)
    assert store.owned_rows(Shard("mask", 0, 2, str(tmp_path))) == range(0, 4)  # whole blocks of 4
    assert store.owned_rows(Shard("mask", 1, 2, str(tmp_path))) == range(4, 10)
    spec = ArraySpec("image_masked", "pixels", [12, 8, 3], codec="png", family="mask")
    store.ensure_array(spec)
    store.ensure_array(spec)  # idempotent
    with pytest.raises(StoreError, match="another definition"):
        store.ensure_array(ArraySpec("image_masked", "pixels", [12, 8], codec="png", family="mask"))
    store.ensure_array(ArraySpec("mask", "pixels", [12, 8], codec="png", family="mask"))
    with pytest.raises(StoreError, match="outside this writer's blocks"):
        store.writer("mask", rows=range(0, 4)).put(9, image_masked=np.zeros((12, 8, 3), np.uint8))
    with pytest.raises(StoreError, match="not in family 'mask'"):
        store.writer("mask").put(0, image=np.zeros((12, 8, 3), np.uint8))
    with pytest.raises(ValueError, match="expected uint8"):
        store.writer("mask").put(0, image_masked=np.zeros((5, 5, 3), np.uint8))
    with store.writer("mask", rows=range(0, 8)) as w:
        for row in (0, 1, 2, 4):
            w.put(
                row, image_masked=np.full((12, 8, 3), 7, np.uint8), mask=np.eye(12, 8, dtype=np.uint8) * 255
            )
    reader = open_store(tmp_path / "s")
    assert reader.variant == "raw"  # the mask stage has not said it finished
    masked = open_store(tmp_path / "s", variant="masked")
    assert masked.image(1).max() == 7 and masked.image(1, variant="raw").max() == 20
    assert np.array_equal(masked.read("mask", 0), np.eye(12, 8, dtype=np.uint8) * 255)
    with pytest.raises(StoreError, match="row 5 has no masked copy"):
        masked.image(5)
    assert list(np.flatnonzero(masked.valid_for("masked"))) == [0, 1, 2, 4]
    store.mark_complete("mask")
    assert open_store(tmp_path / "s").variant == "masked"
    assert open_store(tmp_path / "s", variant="raw").image(1).max() == 20
    with pytest.raises(StoreError, match="no masked copy"):
        open_store(small_store(tmp_path / "t", backend).path, variant="masked")


def test_many_rows_read_in_one_call_are_the_rows_read_one_by_one(tmp_path, backend):
    store = small_store(tmp_path / "s", backend, n=12, block=8)
    store.ensure_array(ArraySpec("notes", "text", family="mask"))
    with store.writer("mask", rows=range(0, 8)) as w:
        for row in (0, 2, 7):
            w.put(row, notes=f"note {row} é")
    store = open_store(tmp_path / "s")
    picks = {
        "a whole block": list(range(8)),
        "two ends of a block": [0, 7],
        "out of order, repeated, across blocks": [11, 2, 2, 9, 0, 3, 10],
        "a block the stage has not written": [9, 10],
        "from the end": [-1, -12],
        "none": [],
    }
    for what, rows in picks.items():
        for name in ("notes", "original", "box", "gbif_id", "valid"):
            one_by_one = [store.read(name, r) for r in rows]
            many = store.values(name, rows)
            assert len(many) == len(rows), (what, name)
            for a, b in zip(many, one_by_one, strict=True):
                assert np.array_equal(np.asarray(a), np.asarray(b)) and type(a) is type(b), (what, name, a, b)
    assert store.values("notes", [0, 1, 2, 7]) == ["note 0 é", "", "note 2 é", "note 7 é"]
    assert store.values("original", [4, 3]) == [b"\x04" * 5, b""]  # row 3: a failed download
    with pytest.raises(StoreError, match="no array 'nope'"):
        store.values("nope", [0])
    with pytest.raises(IndexError):
        store.values("notes", [0, 12])


WRITER = """
import sys
import numpy as np
from herbproc.store import open_store
store = open_store(sys.argv[1], writable=True)
with store.writer("core") as w:
    for row in range(int(sys.argv[2]), int(sys.argv[3])):
        w.put(row, image=np.full((12, 8, 3), 200, np.uint8), original=b"x" * row)
"""


def test_writers_in_separate_processes_owning_blocks_lose_nothing(tmp_path):
    store = create_store(tmp_path / "s", backend="zarr", gbif_ids=[str(i) for i in range(16)], labels=[0] * 16,
                         height=12, width=8, codec="zstd", block=4)  # fmt: skip
    procs = []
    for k in range(3):
        rows = store.owned_rows(Shard("download", k, 3, str(tmp_path)))
        cmd = [sys.executable, "-c", WRITER, str(store.path), str(rows.start), str(rows.stop)]
        procs.append(subprocess.Popen(cmd, cwd=REPO))
    assert [p.wait(120) for p in procs] == [0, 0, 0]
    reader = open_store(tmp_path / "s")
    assert reader.valid.all()
    assert all(reader.original(i) == b"x" * i for i in range(16))


def test_dataset_for_dataloader_workers(tmp_path, backend):
    store = small_store(tmp_path / "store", backend, n=10)
    manifest = pd.DataFrame({"row": range(10), "split": ["train"] * 6 + ["val"] * 2 + ["test"] * 2})
    manifest.to_parquet(tmp_path / "manifest.parquet")
    ds = StoreDataset(store.path)
    assert len(ds) == 9  # row 3 has no image
    image, label = ds[0]
    assert image.dtype == torch.uint8 and tuple(image.shape) == (3, 12, 8) and isinstance(label, int)
    clone = pickle.loads(pickle.dumps(ds))
    assert torch.equal(clone[4][0], ds[4][0])
    train = StoreDataset(store.path, split="train")
    assert list(train.rows) == [0, 1, 2, 4, 5]
    assert train.labels.tolist() == [r % 3 for r in (0, 1, 2, 4, 5)]
    loader = torch.utils.data.DataLoader(ds, batch_size=4, num_workers=2, shuffle=False)
    batches = list(loader)
    images = torch.cat([b[0] for b in batches])
    assert images.shape == (9, 3, 12, 8)
    assert [int(x) for x in images[:, 0, 0, 0]] == [r * 20 for r in (0, 1, 2, 4, 5, 6, 7, 8, 9)]
    with pytest.raises(ValueError, match="no raw image"):
        StoreDataset(store.path, rows=[3])


def test_layout_errors(tmp_path):
    with pytest.raises(StoreError, match="not a herbproc store"):
        open_store(tmp_path)
    small_store(tmp_path / "s", "zarr")
    (tmp_path / "s" / "layout.json").write_text("{broken")
    with pytest.raises(StoreError, match="damaged"):
        open_store(tmp_path / "s")
    with pytest.raises(StoreError, match="already holds a store"):
        create_store(tmp_path / "s", backend="zarr", gbif_ids=["1"], labels=[0])
    with pytest.raises(StoreError, match="unknown store backend"):
        create_store(tmp_path / "t", backend="lmdb", gbif_ids=["1"], labels=[0])


def test_training_copy_geometry():
    assert fit_box(3000, 2000, 900, 600) == (0, 0, 900, 600)  # a 2:3 sheet fills the canvas: short side 600
    assert fit_box(2000, 3000, 900, 600) == (
        250,
        0,
        650,
        600,
    )  # landscape: whole, centred, padded above/below
    assert fit_box(3400, 2000, 900, 600) == (0, 35, 900, 564)  # narrower than 2:3: padded left and right
    canvas, box = fit_into_canvas(np.full((10, 20, 3), 9, np.uint8), 30, 20, pad_value=255)
    assert box == (10, 0, 20, 20) and canvas[box[0] : box[2]].max() == 9 and canvas[:10].min() == 255


def test_temp_files_of_killed_writers_are_cleaned_when_the_stage_completes(tmp_path, backend):
    import os
    import time

    store = small_store(tmp_path / "s", backend)
    root = tmp_path / "s"
    old = time.time() - 3600
    dead = [root / "image" / "c" / "0.0123abcd.partial", root / "parts" / "core" / ".part-00001.h5.4242.tmp"]
    live = root / "image" / "c" / "1.4567ef.partial"  # a writer still at work: too young to go
    for p in [*dead, live]:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"half a chunk")
    for p in dead:
        os.utime(p, (old, old))
    store.mark_complete("core")
    assert [p.exists() for p in dead] == [False, False] and live.exists()
    assert open_store(root).valid.sum() == 9  # nothing else touched


def test_a_folder_that_is_not_a_store_is_never_deleted(tmp_path):
    from herbproc.download.stage import ensure_store
    from herbproc.shard import ShardError

    run = tmp_path / "run"
    base = ingest_run(run, ["http://127.0.0.1:9/a.jpg", "http://127.0.0.1:9/b.jpg"])
    (run / "store").mkdir()
    (run / "store" / "my_images.tar").write_bytes(b"years of scans")
    cfg = compose(["stage=download", *base, *SMALL_STORE])
    manifest = pd.read_parquet(run / "manifest.parquet")
    with pytest.raises(ShardError, match="store exists but is not a herbproc store .*refusing to delete it"):
        ensure_store(cfg, manifest)
    assert (run / "store" / "my_images.tar").read_bytes() == b"years of scans"
    (run / "store" / "my_images.tar").unlink()
    (run / "store" / ".herbproc-creating").write_text("{}")  # a creation that died: ours to redo
    (run / "store" / "image").mkdir()
    assert len(ensure_store(cfg, manifest)) == 2


def test_hdf5_file_locking_is_off_unless_the_environment_says_otherwise():
    code = "import os, herbproc.store.hdf5_backend; print(os.environ['HDF5_USE_FILE_LOCKING'])"
    env = {k: v for k, v in os.environ.items() if k != "HDF5_USE_FILE_LOCKING"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "FALSE"
    env["HDF5_USE_FILE_LOCKING"] = "BEST_EFFORT"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "BEST_EFFORT"
