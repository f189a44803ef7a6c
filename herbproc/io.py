"""Small file helpers: atomic writes and locks that work on cluster file systems."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike, *, sync_dir: bool = False) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` when the block succeeds: readers see the old file or the whole new
    one, never a part. It gets the permissions a plain ``open(path, "w")`` would give (mkstemp's are private);
    ``sync_dir`` also syncs the folder, so that the rename itself survives a crash."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if sync_dir:
        fsync_path(path.parent)


def fsync_path(path: str | os.PathLike) -> None:
    """fsync one file or folder (a folder's entries: a rename in it survives a crash). File systems that refuse
    to sync a folder are let be."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def sync_tree(path: str | os.PathLike) -> int:
    """fsync ``path`` (a file, or a folder and everything under it) and the folder holding it, so that after a
    node crash both the bytes and the names are there. Returns the number of files synced."""
    path = Path(path)
    n = 0
    if path.is_dir():
        for folder, _dirs, files in os.walk(path):
            for name in files:
                fsync_path(Path(folder) / name)
                n += 1
            fsync_path(folder)
    elif path.exists():
        fsync_path(path)
        n = 1
    fsync_path(path.parent)
    return n


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, sync_dir: bool = False) -> Path:
    """Write ``data`` to ``path`` so that readers see either the old file or the whole new one."""
    with atomic_file(path, sync_dir=sync_dir) as f:
        f.write(data)
    return Path(path)


def atomic_write_text(path: str | os.PathLike, text: str, *, sync_dir: bool = False) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), sync_dir=sync_dir)


def atomic_write_json(path: str | os.PathLike, obj: Any, *, sync_dir: bool = False) -> Path:
    return atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n", sync_dir=sync_dir)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place when the block succeeds (synced first).

    For writers (pandas, PIL, cv2) that want a file name rather than bytes.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp{path.suffix}")
    try:
        yield tmp
        fsync_path(tmp)  # the bytes reach the disk before the name does (and before any marker)
        os.replace(tmp, path)
        fsync_path(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def read_json(path: str | os.PathLike, default: Any = None) -> Any:
    try:
        return json.loads(Path(path).read_text())
    except FileNotFoundError:
        return default


class LockBusy(RuntimeError):
    """Another process holds the lock."""


@contextlib.contextmanager
def file_lock(path: str | os.PathLike, *, blocking: bool = True) -> Iterator[Path]:
    """An exclusive ``flock`` on ``path`` (created if needed). Released when the process dies, too."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError as e:
            raise LockBusy(str(path)) from e
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {os.uname().nodename}\n".encode())
        yield path
    finally:
        os.close(fd)


def lock_is_held(path: str | os.PathLike) -> bool:
    """True when some process holds the ``flock`` on ``path`` right now."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


# --------------------------------------------------------------------------------------------- output folders

OUTPUT_MARKER = ".herbproc-output.json"


class ForeignFolderError(RuntimeError):
    """An output folder exists and was not written by herbproc: it is not ours to replace."""


def is_our_output(folder: str | os.PathLike) -> bool:
    """True when ``folder`` is a real folder (not a link) that carries herbproc's output marker."""
    folder = Path(folder)
    return folder.is_dir() and not folder.is_symlink() and (folder / OUTPUT_MARKER).is_file()


def check_replaceable(out: str | os.PathLike, key: str = "output folder") -> None:
    """Refuse (``ForeignFolderError``, one line naming ``key``) when ``out`` exists and is neither an empty
    folder nor one that carries the marker of an earlier herbproc output."""
    out = Path(out)
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink() or not out.is_dir():
        raise ForeignFolderError(f"{key} {out} exists and is not a folder: refusing to replace it")
    if not is_our_output(out) and any(out.iterdir()):
        raise ForeignFolderError(
            f"{key} {out} exists and holds files herbproc did not write (no {OUTPUT_MARKER}): refusing to "
            "replace it; choose another folder or empty it yourself"
        )


def _remove_ours(folder: Path, key: str) -> None:
    if folder.exists() or folder.is_symlink():
        check_replaceable(folder, key)
        shutil.rmtree(folder)


@contextlib.contextmanager
def replace_folder(out: str | os.PathLike, info: dict[str, Any], key: str = "output folder") -> Iterator[Path]:
    """Build a folder beside ``out`` and move it into place when the block succeeds.

    The new folder carries ``OUTPUT_MARKER`` (with ``info``) from the start; ``out`` is replaced only when it is
    empty or carries that marker (``check_replaceable``), so a mistyped ``out`` (a home folder) is never deleted.
    A failed block leaves the old folder whole and removes the partial one.
    """
    out = Path(out)
    check_replaceable(out, key)
    tmp = out.with_name(f".{out.name}.partial")
    old = out.with_name(f".{out.name}.old")
    _remove_ours(tmp, key)
    tmp.mkdir(parents=True)
    atomic_write_json(tmp / OUTPUT_MARKER, {**info, "complete": False})
    try:
        yield tmp
        atomic_write_json(tmp / OUTPUT_MARKER, {**info, "complete": True})
        check_replaceable(out, key)  # again: something may have appeared meanwhile
        _remove_ours(old, key)
        if out.exists():
            out.rename(old)
        tmp.rename(out)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(tmp)
        raise
    with contextlib.suppress(OSError):
        shutil.rmtree(old)
