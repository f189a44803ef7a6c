"""Atomic writes and locks."""

from __future__ import annotations

import os
import stat

import pytest

from herbproc.io import (
    LockBusy,
    atomic_path,
    atomic_write_bytes,
    atomic_write_json,
    file_lock,
    lock_is_held,
    read_json,
)


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
