"""Atomic writes and locks."""

from __future__ import annotations

import os
import stat
import time

import pytest

from herbproc.io import (
    OUTPUT_MARKER,
    ForeignFolderError,
    LockBusy,
    atomic_path,
    atomic_write_bytes,
    atomic_write_json,
    file_lock,
    is_our_output,
    lock_is_held,
    read_json,
    replace_folder,
)
from herbproc.paths import UnsafePathError, id_path, is_safe_id, safe_join


def test_atomic_write_replaces_whole_file_with_normal_permissions(tmp_path):
    target = tmp_path / "sub" / "a.bin"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    old = os.umask(0o022)
    try:
        atomic_write_bytes(target, b"three")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["a.bin"], "no temp files left"


def test_atomic_path_leaves_nothing_on_error(tmp_path):
    target = tmp_path / "t.txt"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("writer died")
    assert list(tmp_path.iterdir()) == []


def test_json_round_trip_and_default(tmp_path):
    atomic_write_json(tmp_path / "x.json", {"a": 1})
    assert read_json(tmp_path / "x.json") == {"a": 1}
    assert read_json(tmp_path / "missing.json", default=[]) == []


def test_lock_excludes_a_second_holder(tmp_path):
    lock = tmp_path / "l.lock"
    with file_lock(lock):
        assert lock_is_held(lock)
        with pytest.raises(LockBusy), file_lock(lock, blocking=False):
            pass
    assert not lock_is_held(lock)


def test_safe_join_refuses_to_leave_its_root(tmp_path):
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    assert safe_join(root, "sub", "a.jpg") == root / "sub" / "a.jpg"
    assert id_path(root, "12345", ".jpg", "sub") == root / "sub" / "12345.jpg"
    (root / "link").symlink_to(tmp_path)
    for parts in (("../x",), ("/etc/passwd",), ("sub", "../../x"), ("a\x00b",), ("link", "x"), (".",), ("a//b",)):
        with pytest.raises(UnsafePathError):
            safe_join(root, *parts)
    for bad in ("../../x", "a/b", "", ".x", "a b", "x" * 129):
        assert not is_safe_id(bad)
        with pytest.raises(UnsafePathError, match="cannot be a file name"):
            id_path(root, bad, ".jpg")


def test_replace_folder_replaces_only_its_own_output(tmp_path):
    out = tmp_path / "out"
    with replace_folder(out, {"format": "t"}) as tmp:
        (tmp / "a.txt").write_text("1")
    assert (out / "a.txt").read_text() == "1" and is_our_output(out)
    with replace_folder(out, {"format": "t"}) as tmp:
        (tmp / "b.txt").write_text("2")
    assert sorted(p.name for p in out.iterdir()) == [OUTPUT_MARKER, "b.txt"]
    with pytest.raises(RuntimeError, match="boom"), replace_folder(out, {}) as tmp:
        raise RuntimeError("boom")
    assert (out / "b.txt").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "x").write_text("keep")
    with pytest.raises(ForeignFolderError, match="my.key .*mine exists and holds files"):
        with replace_folder(mine, {}, key="my.key"):
            pass
    assert (mine / "x").read_text() == "keep" and not (tmp_path / ".mine.partial").exists()


def synced_paths(monkeypatch) -> list[str]:
    """Record the path of every file or folder os.fsync is called on."""
    seen: list[str] = []
    real = os.fsync

    def fsync(fd):
        seen.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return seen


def test_atomic_path_syncs_the_file_before_the_rename_and_the_folder_after(tmp_path, monkeypatch):
    seen = synced_paths(monkeypatch)
    target = tmp_path / "t.parquet"
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"table")
    assert len(seen) == 2 and seen[0].endswith(".tmp.parquet") and seen[1] == str(tmp_path)
    assert target.read_bytes() == b"table"


def test_store_blocks_are_synced_when_written(tmp_path, monkeypatch):
    import numpy as np

    from herbproc.store import create_store

    store = create_store(tmp_path / "s", backend="zarr", gbif_ids=[str(i) for i in range(6)], labels=[0] * 6,
                         height=12, width=8, codec="zstd", block=4)  # fmt: skip
    seen = synced_paths(monkeypatch)
    t0 = time.time_ns()
    with store.writer("core") as w:
        w.put(5, image=np.full((12, 8, 3), 9, np.uint8), original=b"x", height=1, width=1, nbytes=1,
              sha256="0" * 64, content_type="image/jpeg", image_format="jpeg", orientation=1, box=[0, 0, 12, 8])  # fmt: skip
    files = [p for p in (tmp_path / "s").rglob("*") if p.is_file() and "/c/1" in str(p)]
    written = [str(p) for p in files if p.stat().st_mtime_ns >= t0]
    assert written and set(written) <= set(seen)  # every file of block 1 reached the disk
    flag = seen.index(str(tmp_path / "s" / "valid" / "c" / "1"))
    assert len(written) > 1 and flag == max(seen.index(w) for w in written)  # the validity flag last
