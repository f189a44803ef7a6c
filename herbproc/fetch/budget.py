"""A per-host budget shared by every task of a download array.

All tasks of a run together keep at most ``download.host_connections_total`` requests in flight to one host and
start at most ``download.host_rate_total`` requests per second to it, and a 429/503 with ``Retry-After`` seen by
one task pauses that host for all of them.

The tasks agree through one small file per host under ``<run>/state/download/hosts/``, locked with POSIX
byte-range locks (``fcntl``), which NFS (lockd, v4) and the common cluster file systems honour and which the
kernel drops when a task dies, so a killed task never keeps a slot: byte ``k`` of the file is connection slot
``k``; a lock on byte ``STATE_BYTE`` guards the file's JSON text (the next start time and the pause). Where the
file system refuses locks, each task keeps to its share of the budget (total / tasks running at once) and the
pause is still shared, written whole by atomic rename.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from herbproc.hoststats import read_record
from herbproc.io import atomic_write_json

log = logging.getLogger("herbproc.download")

STATE_BYTE = 1 << 20  # locked while the JSON text is read or rewritten; slots are bytes 0 .. total - 1
MAX_PAUSE_S = 3600.0  # a Retry-After further off than this pauses the host this long (a later launch retries)
NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL, errno.EBADF}


def host_key(url: str) -> str:
    """``host:port`` of a URL, the port made explicit (http 80, https 443)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


def host_file_name(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]", "_", key) + ".json"


def tasks_at_once(shards: int, array_parallelism: int) -> int:
    """How many tasks of an array of ``shards`` may run at once (all of them when the limit is unknown)."""
    return max(1, min(shards, array_parallelism) if array_parallelism > 0 else shards)


def _try_lock(fd: int, offset: int) -> bool:
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset)
    except OSError as e:
        if e.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise
    return True


class _OpenFile:
    """One descriptor per host file and process: POSIX locks belong to the process, and closing any descriptor
    of the file drops all of them, so every budget of the process shares this one (and its slot bookkeeping)."""

    def __init__(self, path: Path):
        self.path = path
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        self.mutex = threading.Lock()  # locks do not exclude threads of one process: this does
        self.held: set[int] = set()
        self.users = 0


_open_files: dict[Path, _OpenFile] = {}
_open_files_mutex = threading.Lock()


def _acquire_file(path: Path) -> _OpenFile:
    with _open_files_mutex:
        f = _open_files.get(path)
        if f is None:
            f = _open_files[path] = _OpenFile(path)
        f.users += 1
        return f


def _release_file(f: _OpenFile) -> None:
    with _open_files_mutex:
        f.users -= 1
        if f.users == 0:
            _open_files.pop(f.path, None)
            os.close(f.fd)


def _parse_state(text: bytes) -> dict[str, Any]:
    try:
        state = json.loads(text.decode("utf-8")) if text.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        state = {}  # a file cut short by hand or by a full disk: the host starts afresh, nothing is lost
    return state if isinstance(state, dict) else {}


@dataclass
class Pause:
    until: float = 0.0  # wall clock
    by: str = ""
    status: int = 0


class SharedHost:
    """One host's budget as seen by one task."""

    def __init__(self, budget: HostBudget, key: str):
        self.budget = budget
        self.key = key
        self.path = budget.directory / host_file_name(key)
        self.interval = 1.0 / budget.rate_total if budget.rate_total > 0 else 0.0
        self._file = _acquire_file(self.path) if budget.locking else None

    def close(self) -> None:
        if self._file is not None:
            with self._file.mutex:
                for slot in list(self._file.held):
                    self._unlock(slot)
            _release_file(self._file)
            self._file = None

    # ---------------------------------------------------------------------- connection slots

    def try_slot(self) -> int | None:
        """A free connection slot of the whole array (kept until ``release``), or None when all are taken.
        Without file locks every request may go (the task's own share caps it)."""
        f = self._file
        if f is None:
            return -1
        total = self.budget.connections_total
        with f.mutex:
            start = os.getpid() % total  # tasks probe from different slots: fewer collisions
            for k in range(total):
                slot = (start + k) % total
                if slot not in f.held and _try_lock(f.fd, slot):
                    f.held.add(slot)
                    return slot
        return None

    def release(self, slot: int) -> None:
        if self._file is not None and slot >= 0:
            with self._file.mutex:
                self._unlock(slot)

    def _unlock(self, slot: int) -> None:
        assert self._file is not None
        if slot in self._file.held:
            fcntl.lockf(self._file.fd, fcntl.LOCK_UN, 1, slot)
            self._file.held.discard(slot)

    # ---------------------------------------------------------------------- pacing and pauses

    def _update(self, change: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """Read the JSON state under the state lock, let ``change`` edit it, and write it back."""
        f = self._file
        assert f is not None
        with f.mutex:
            fcntl.lockf(f.fd, fcntl.LOCK_EX, 1, STATE_BYTE)
            try:
                state = _parse_state(os.pread(f.fd, 1 << 16, 0))
                if change(state):
                    data = json.dumps(state, sort_keys=True).encode()
                    os.pwrite(f.fd, data, 0)
                    os.ftruncate(f.fd, len(data))
            finally:
                fcntl.lockf(f.fd, fcntl.LOCK_UN, 1, STATE_BYTE)
        return state

    def reserve(self, earliest: float, latest: float = float("inf")) -> float:
        """The wall-clock time at which this task may start its next request to the host: no sooner than
        ``earliest``, the host's pause, and one ``1 / host_rate_total`` after the last start any task reserved.
        A time after ``latest`` is returned but not reserved (the caller gives up instead of waiting)."""
        if self._file is None:
            return max(earliest, self.pause().until)
        out = {}

        def take(state: dict[str, Any]) -> bool:
            start = max(earliest, float(state.get("next_start", 0.0)), float(state.get("pause_until", 0.0)))
            out["start"] = start
            if start > latest:
                return False
            state.update(host=self.key, next_start=start + self.interval)
            return True

        self._update(take)
        return out["start"]

    def pause(self) -> Pause:
        if self._file is None:
            state = read_record(self.path)
        else:
            state = self._update(lambda s: False)
        return Pause(
            float(state.get("pause_until", 0.0)), str(state.get("paused_by", "")), int(state.get("status", 0))
        )

    def pause_for(self, seconds: float, status: int) -> float:
        """Pause the host for every task (``Retry-After``); returns the pause's end (wall clock)."""
        if seconds <= 0:
            return time.time()
        until = time.time() + min(seconds, MAX_PAUSE_S)
        by = self.budget.holder

        def extend(state: dict[str, Any]) -> bool:
            if float(state.get("pause_until", 0.0)) >= until:
                return False
            state.update(host=self.key, pause_until=until, paused_by=by, status=status, paused_at=time.time())
            return True

        if self._file is not None:
            until = max(until, float(self._update(extend).get("pause_until", 0.0)))
        else:
            state = read_record(self.path)
            if extend(state):
                atomic_write_json(self.path, state)
            until = max(until, float(state.get("pause_until", 0.0)))
        return until


@dataclass
class HostBudget:
    """The array-wide budget of one run's download tasks; ``holder`` names this task in the pause it writes."""

    directory: Path
    connections_total: int
    rate_total: float
    holder: str = ""
    locking: bool = True
    _hosts: dict[str, SharedHost] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, directory: Path, connections_total: int, rate_total: float, holder: str = "") -> HostBudget:
        directory.mkdir(parents=True, exist_ok=True)
        return cls(directory, connections_total, rate_total, holder, locking=locks_work(directory))

    def host(self, key: str) -> SharedHost:
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = SharedHost(self, key)
        return host

    def close(self) -> None:
        for host in self._hosts.values():
            host.close()
        self._hosts.clear()


def locks_work(directory: Path) -> bool:
    """Whether the file system under ``directory`` takes POSIX byte-range locks."""
    probe = directory / ".locks-probe"
    try:
        f = _acquire_file(probe)
    except OSError as e:
        log.warning("download: cannot open %s (%s): the host budget is shared out per task", probe, e)
        return False
    try:
        with f.mutex:
            fcntl.lockf(f.fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, STATE_BYTE)
            fcntl.lockf(f.fd, fcntl.LOCK_UN, 1, STATE_BYTE)
        return True
    except OSError as e:
        if e.errno in (errno.EACCES, errno.EAGAIN):
            return True  # another task holds it: locks work
        if e.errno not in NO_LOCKS:
            raise
        log.warning(
            "download: %s does not take file locks (%s): each task keeps to its share of the host budget",
            directory,
            os.strerror(e.errno or 0),
        )
        return False
    finally:
        _release_file(f)
