"""Atomic writes and locks."""

from __future__ import annotations

import os
import stat

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
