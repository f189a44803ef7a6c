"""The shard contract every stage follows.

A stage is a module exporting a ``herbproc.stages.Stage``: ``run_shard(cfg, shard) -> ShardResult`` and optional
hooks (``finalize(cfg)``, ...). Work inside a shard is per item and idempotent: ``run_items`` keeps an append-only journal of the items a shard has finished,
so a retried shard skips them, and turns an ``ItemError`` (or any unexpected error about one item) into a row of
the stage's failure table while the shard goes on. ``execute_shard`` adds the completion marker, written
atomically with counts and timings, and the per-shard lock that keeps two copies of a shard from running at once.
Nothing here knows about schedulers.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import logging
import math
import os
import socket
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from herbproc.io import atomic_path, atomic_write_json, file_lock, read_json
from herbproc.paths import RunPaths, shard_name

if TYPE_CHECKING:
    from herbproc.stages import Stage

log = logging.getLogger("herbproc")
T = TypeVar("T")

# Errors that say the machine or the file system is broken, not one item: the shard must fail.
SYSTEMIC_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EMFILE, errno.ENOMEM}


class ItemError(Exception):
    """One item cannot be processed: it becomes a failure row with ``reason`` and the shard goes on.

    ``reason`` is a short machine-friendly label (``"decode_error"``, ``"http_404"``); the message is for humans.
    """

    def __init__(self, reason: str, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason


class ShardError(RuntimeError):
    """An error that is not about one item; the shard fails and its job reports it."""


class StageSkipped(Exception):
    """The stage has nothing it can do in this run (no labels to learn from, no image to read): it steps aside.

    Raised by a stage's ``run_shard`` with a one-line ``reason``. The shard gets a marker that says so, the stage
    is *skipped* (``<stage>/summary.json``, ``jobs/status.py``, the report) and the stages after it go on; with
    ``pipeline.strict=true`` a skip fails the shard instead. Only for a deliberate decision: a crash stays a failure.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` of one stage in one run directory."""

    stage: str
    index: int
    count: int
    run_dir: str

    @property
    def name(self) -> str:
        return shard_name(self.index)

    @property
    def paths(self) -> RunPaths:
        return RunPaths(self.run_dir)

    def bounds(self, n_items: int, align: int = 1) -> tuple[int, int]:
        """The contiguous [start, stop) item range of this shard; boundaries fall on multiples of ``align``."""
        if not 0 <= self.index < self.count:
            raise ValueError(f"shard index {self.index} outside 0..{self.count - 1}")
        blocks = math.ceil(n_items / align) if n_items else 0
        b0 = self.index * blocks // self.count
        b1 = (self.index + 1) * blocks // self.count
        return min(b0 * align, n_items), min(b1 * align, n_items)

    def select(self, items: Sequence[T], align: int = 1) -> Sequence[T]:
        start, stop = self.bounds(len(items), align)
        return items[start:stop]


@dataclass
class ShardResult:
    stage: str
    shard: int
    shards: int
    items: int = 0
    done: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def items_per_s(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["items_per_s"] = round(self.items_per_s, 4)
        return d


# --------------------------------------------------------------------------------------------- journal


class Journal:
    """Append-only JSON-lines record of the items a shard has finished (``ok``) or given up on (``failed``)."""

    def __init__(self, path: Path):
        self.path = path
        self._fh = None
        self._last_sync = 0.0

    def entries(self, data: bool = True) -> list[dict[str, Any]]:
        """Every entry; without each item's ``data`` when ``data`` is false (the statuses of a shard of OCR
        records, without their lines)."""
        if data:
            return list(self.iter_entries())
        return [{k: v for k, v in e.items() if k != "data"} for e in self.iter_entries()]

    def iter_entries(self) -> Iterator[dict[str, Any]]:
        """The entries one at a time, in the order written (a journal of a million sheets' data is never held
        whole)."""
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by a kill: that item simply runs again
                if isinstance(entry, dict):
                    yield entry

    def tail(self, max_bytes: int = 1 << 16) -> list[dict[str, Any]]:
        """The entries in the last ``max_bytes`` of the journal (the first, probably partial, line dropped)."""
        try:
            with open(self.path, "rb") as f:
                size = f.seek(0, os.SEEK_END)
                f.seek(max(0, size - max_bytes))
                data = f.read()
        except FileNotFoundError:
            return []
        lines = data.decode("utf-8", "replace").splitlines()
        out = []
        for line in lines[1:] if size > max_bytes else lines:
            with contextlib.suppress(json.JSONDecodeError):
                entry = json.loads(line)
                if isinstance(entry, dict):
                    out.append(entry)
        return out

    def latest(self, data: bool = True) -> dict[str, dict[str, Any]]:
        """The last entry of each item id (without its ``data`` when ``data`` is false)."""
        return {e["id"]: e for e in self.entries(data) if "id" in e}

    def outcomes(self) -> tuple[int, list[str]]:
        """How many items' last entry is ``ok``, and the reasons of those whose last entry is ``failed`` (in the
        order of ``latest()``). What ``latest()`` says, read by pyarrow's JSON reader when it can (a million lines
        without a Python dict each: ``jobs/status.py``), else by ``latest()`` (a line cut short by a kill, an id
        that is not text)."""
        try:
            last = _last_statuses(self.path)
        except FileNotFoundError:
            return 0, []
        except Exception:  # not what the fast reader takes: the exact, slow way
            latest = self.latest().values()
            ok = sum(1 for e in latest if e.get("status") == "ok")
            return ok, [e.get("reason", "?") for e in latest if e.get("status") == "failed"]
        return int((last["status"] == "ok").sum()), list(last.loc[last["status"] == "failed", "reason"])

    def failures(self) -> list[dict[str, Any]]:
        """``FAILURE_KEYS`` of each item whose last entry is ``failed`` (in the order of ``latest()``): the fast
        reader of ``outcomes`` where it reads the journal exactly, else ``latest()``."""
        try:
            last = _last_statuses(self.path, _FAILURE_SCHEMA)
        except FileNotFoundError:
            return []
        except Exception:
            return [{k: e.get(k) for k in FAILURE_KEYS} for e in self.latest().values() if e.get("status") == "failed"]
        failed = last[last["status"] == "failed"].reset_index()
        rows = []
        for values in failed[list(FAILURE_KEYS)].itertuples(index=False):
            row = {k: (None if _missing(v) else v) for k, v in zip(FAILURE_KEYS, values, strict=True)}
            if row["shard"] is not None:
                row["shard"] = int(row["shard"])
            rows.append(row)
        return rows

    def append(self, entry: dict[str, Any]) -> None:
        """One line, flushed to the OS (it survives a killed process); synced to disk every 2 s and at close."""
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.repair_tail()
            self._fh = open(self.path, "a", encoding="utf-8")
        self._fh.write(json.dumps(entry, default=str) + "\n")
        self._fh.flush()
        now = time.monotonic()
        if now - self._last_sync > 2.0:
            os.fsync(self._fh.fileno())
            self._last_sync = now

    def repair_tail(self) -> bool:
        """End a line cut short by a kill or a full disk, so that the next entry starts on a line of its own
        (glued onto the torn one it would be unreadable, and its item silently lost). True when it did."""
        try:
            with open(self.path, "rb+") as f:
                if f.seek(0, os.SEEK_END) == 0:
                    return False
                f.seek(-1, os.SEEK_END)
                if f.read(1) == b"\n":
                    return False
                f.write(b"\n")
                f.flush()
                os.fsync(f.fileno())
        except FileNotFoundError:
            return False
        log.warning("journal %s ended in a torn line (a killed or full-disk write); its item runs again", self.path)
        return True

    def close(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None


_STATUS_SCHEMA = (("id", "string"), ("status", "string"), ("reason", "string"))
FAILURE_KEYS = ("id", "stage", "shard", "reason", "error", "time")  # a failure row's keys (failure_row)
_FAILURE_SCHEMA = (*_STATUS_SCHEMA, ("stage", "string"), ("shard", "int64"), ("error", "string"), ("time", "float64"))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _last_statuses(path: Path, columns: tuple[tuple[str, str], ...] = _STATUS_SCHEMA):
    """id, status and reason (and any other ``columns``) of the last entry of each id, ids in the order they first
    appear (as ``latest()`` keeps them); ValueError (pyarrow's) for a journal the fast reader cannot take
    exactly."""
    import pyarrow as pa
    import pyarrow.json as pj

    if not path.exists():
        raise FileNotFoundError(path)
    schema = pa.schema([(name, getattr(pa, kind)()) for name, kind in columns])
    options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    df = pj.read_json(path, parse_options=options).to_pandas()
    df = df[df["id"].notna()]
    if df["status"].eq("failed").any() and df.loc[df["status"] == "failed", "reason"].isna().any():
        raise ValueError("a failed entry without a reason")  # latest() tells a missing reason from a null one
    order = df["id"].drop_duplicates(keep="first")
    return df.drop_duplicates("id", keep="last").set_index("id").loc[order]


# Journal statuses: ok and failed are outcomes; inflight is written before an item starts and released when
# the attempt ends without an outcome (a failed shard, a requeue). An item whose last entries are inflight was
# being worked on when its process died (killed: out of memory, a segfault in a decoder). held is a success not
# yet durable (run_batches' settle): the item is done with but not finished.
OUTCOMES = ("ok", "failed")


def finished_ids(latest: dict[str, dict[str, Any]], retry_failed: bool = False) -> set[str]:
    """Items an attempt need not run again: those that succeeded, and those that failed unless retried."""
    return {
        k
        for k, e in latest.items()
        if e.get("status") == "ok" or (e.get("status") == "failed" and not retry_failed)
    }


def killed_in_flight(entries: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Per item: how many attempts in a row died while it was in flight (inflight entries with no outcome or
    release after them)."""
    counts: dict[str, int] = {}
    for e in entries:
        iid = e.get("id")
        if iid is None:
            continue
        if e.get("status") == "inflight":
            counts[iid] = counts.get(iid, 0) + 1
        else:
            counts.pop(iid, None)
    return counts


def journal_records(shard: Shard) -> dict[str, dict[str, Any]]:
    """Per-item data (what ``process`` returned) of every item this shard finished, across all its attempts."""
    j = Journal(shard.paths.journal(shard.stage, shard.index))
    return {k: e.get("data") or {} for k, e in j.latest().items() if e.get("status") == "ok"}


# --------------------------------------------------------------------------------------------- progress


def format_duration(seconds: float) -> str:
    if seconds != seconds or seconds == float("inf"):
        return "?"
    if seconds < 10:
        return f"{seconds:.1f}s"
    seconds = int(round(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}h{m:02d}m" if h else (f"{m}m{s:02d}s" if m else f"{s}s")


class Progress:
    """A progress line at a steady interval (batch logs have no terminal for carriage-return bars)."""

    def __init__(self, label: str, total: int, interval_s: float):
        self.label, self.total, self.interval_s = label, total, interval_s
        self.t0 = time.monotonic()
        self.last = self.t0
        self.done = self.failed = 0

    def line(self) -> str:
        el = time.monotonic() - self.t0
        rate = self.done / el if el > 0 else 0.0
        left = self.total - self.done - self.failed
        eta = left / rate if rate > 0 else float("inf")
        return (
            f"[{self.label}] {self.done + self.failed}/{self.total} items, {self.failed} failed, "
            f"{rate:.2f} items/s, ETA {format_duration(eta)}"
        )

    def update(self, ok: bool) -> None:
        if ok:
            self.done += 1
        else:
            self.failed += 1
        now = time.monotonic()
        if now - self.last >= self.interval_s:
            self.last = now
            log.info(self.line())


# --------------------------------------------------------------------------------------------- items


def _is_systemic(exc: BaseException) -> bool:
    if isinstance(exc, (ShardError, MemoryError, KeyboardInterrupt, SystemExit)):
        return True
    return isinstance(exc, OSError) and exc.errno in SYSTEMIC_ERRNOS


def failure_row(shard: Shard, item_id: str, exc: BaseException) -> dict[str, Any]:
    reason = exc.reason if isinstance(exc, ItemError) else f"unexpected_{type(exc).__name__}"
    return {
        "id": item_id,
        "status": "failed",
        "stage": shard.stage,
        "shard": shard.index,
        "reason": reason,
        "error": f"{type(exc).__name__}: {exc}"[:2000],
        "time": time.time(),
    }


def run_items(
    cfg: Any,
    shard: Shard,
    items: Sequence[T],
    process: Callable[[T], dict[str, Any] | None],
    *,
    item_id: Callable[[T], str] = str,
    max_consecutive_errors: int | None = None,
) -> ShardResult:
    """Run ``process`` on every item not yet finished by an earlier attempt of this shard.

    ``process`` writes its outputs (atomically) and may return a small dict that the journal keeps (see
    ``journal_records``). ``ItemError`` and unexpected exceptions become failure rows; errors that say the
    machine is broken (disk full, read-only file system, out of memory) or ``max_consecutive_errors``
    unexpected errors in a row fail the shard.
    """
    return run_batches(
        cfg,
        shard,
        items,
        lambda batch: [process(batch[0])],
        batch_size=1,
        item_id=item_id,
        max_consecutive_errors=max_consecutive_errors,
    )


def run_batches(
    cfg: Any,
    shard: Shard,
    items: Sequence[T],
    process_batch: Callable[[list[T]], Sequence[dict[str, Any] | BaseException | None]],
    *,
    batch_size: int,
    item_id: Callable[[T], str] = str,
    max_consecutive_errors: int | None = None,
    group: Callable[[T], Any] | None = None,
    settle: Callable[[], None] | None = None,
) -> ShardResult:
    """Like ``run_items`` for work done in batches (a GPU model, a pool of HTTP requests).

    ``process_batch`` returns one entry per item: a dict (or None) for success, an exception for a failed item.
    When it raises instead, each item of the batch is tried alone, so one poisoned item cannot sink its batch.

    ``group`` keeps a batch inside one group of items (consecutive items with the same key). With ``settle`` too,
    a success is journaled ``held`` (no longer in flight, not yet an outcome) until its group is done, when the
    next batch starts another group or the last batch ends; then ``settle()`` makes the group's results durable
    (a store writer's flush) and they are journaled ``ok``. A process that dies before that leaves them held: the
    next attempt runs them again, but not alone, as it does items that were in flight. The mask stage groups by
    store block, so a Zarr shard file is written once per block instead of being rewritten after every batch.
    """
    if settle is not None and group is None:
        raise ValueError("run_batches: settle needs group (the items settled together)")
    paths = shard.paths
    retry_failed = bool(_get(cfg, "retry_failed_items", False))
    interval = float(_get(cfg, "progress_interval_s", 30.0))
    if max_consecutive_errors is None:
        max_consecutive_errors = int(_get(cfg, "max_consecutive_errors", 20))
    max_attempts = max(1, int(_get(cfg, "max_item_attempts", 2)))

    journal = Journal(paths.journal(shard.stage, shard.index))
    entries = journal.entries(data=False)  # statuses only: not a shard of OCR records held through the run
    previous = {e["id"]: e for e in entries if "id" in e}
    finished = finished_ids(previous, retry_failed)
    wanted = {item_id(it) for it in items}
    killed = {k: n for k, n in killed_in_flight(entries).items() if k in wanted and k not in finished}
    given_up = {k for k, n in killed.items() if n >= max_attempts}
    todo = [it for it in items if item_id(it) not in finished and item_id(it) not in given_up]
    skipped = len(items) - len(todo) - len(given_up)
    atomic_write_json(
        paths.started(shard.stage, shard.index),
        {"items": len(items), "todo": len(todo), "time": time.time(), "host": socket.gethostname()},
    )
    label = f"{shard.stage} {shard.name} ({shard.index + 1}/{shard.count})"
    log.info("[%s] %d items, %d already finished, %d to do", label, len(items), skipped, len(todo))
    progress = Progress(label, len(todo), interval)
    done = failed = consecutive = 0
    t0 = time.monotonic()
    for iid in sorted(given_up):
        row = failure_row(shard, iid, ItemError("killed_in_flight", _killed_text(killed[iid])))
        journal.append(row)
        failed += 1
        log.warning("[%s] item %s failed: killed_in_flight (%s)", label, iid, row["error"])
    in_flight: set[str] = set()
    held: list[dict[str, Any]] = []  # successes waiting for settle()

    def settle_held() -> None:
        nonlocal done
        rows = list(held)
        held.clear()
        if not rows:
            return
        try:
            settle()  # type: ignore[misc]
        except BaseException:
            in_flight.update(row["id"] for row in rows)  # released below: the next attempt runs them again
            raise
        for row in rows:
            journal.append(row)
        done += len(rows)

    def record(it: T, outcome: dict[str, Any] | BaseException | None, seconds: float) -> None:
        nonlocal done, failed, consecutive
        iid = item_id(it)
        in_flight.discard(iid)
        if isinstance(outcome, BaseException):
            if _is_systemic(outcome):
                raise outcome
            row = failure_row(shard, iid, outcome)
            journal.append(row)
            failed += 1
            log.warning("[%s] item %s failed: %s (%s)", label, iid, row["reason"], row["error"][:300])
            if not isinstance(outcome, ItemError):
                consecutive += 1
                if consecutive >= max_consecutive_errors:
                    raise ShardError(
                        f"{consecutive} unexpected errors in a row; the last: {row['error']}"
                    ) from outcome
            progress.update(False)
        else:
            row = {"id": iid, "status": "ok", "seconds": round(seconds, 4), "data": outcome or {}}
            if settle is None:
                journal.append(row)
                done += 1
            else:
                journal.append({"id": iid, "status": "held", "time": time.time()})
                held.append(row)
            consecutive = 0
            progress.update(True)

    def start(batch: list[T]) -> None:
        for it in batch:
            in_flight.add(item_id(it))
            journal.append({"id": item_id(it), "status": "inflight", "time": time.time()})

    batches = _ordered_batches(todo, set(killed), item_id, batch_size, group)
    held_group: Any = None
    try:
        for batch in batches:
            if settle is not None and held and group(batch[0]) != held_group:  # type: ignore[misc]
                settle_held()
            if group is not None:
                held_group = group(batch[0])
            start(batch)
            tb = time.monotonic()
            try:
                outcomes = list(process_batch(batch))
                if len(outcomes) != len(batch):
                    raise ShardError(f"process_batch returned {len(outcomes)} results for {len(batch)} items")
            except Exception as exc:
                if _is_systemic(exc) or len(batch) == 1:
                    if _is_systemic(exc):
                        raise
                    outcomes = [exc]
                else:
                    outcomes = []
                    for it in batch:
                        ti = time.monotonic()
                        try:
                            outcomes.append(process_batch([it])[0])
                        except Exception as e1:
                            if _is_systemic(e1):
                                raise
                            outcomes.append(e1)
                        record(it, outcomes[-1], time.monotonic() - ti)
                    continue
            per_item = (time.monotonic() - tb) / max(len(batch), 1)
            for it, outcome in zip(batch, outcomes, strict=True):
                record(it, outcome, per_item)
        if settle is not None:
            settle_held()
    finally:
        try:
            if settle is not None:
                settle_held()  # an error ends the attempt: what was done is still kept
        except Exception as e:
            log.warning("[%s] results could not be kept (%s): the next attempt runs them again", label, e)
        for iid in sorted(in_flight):  # the attempt ends without killing the process: not the item's doing
            journal.append({"id": iid, "status": "released", "time": time.time()})
        journal.close()
    check_journal(journal, wanted)
    seconds = time.monotonic() - t0
    result = ShardResult(shard.stage, shard.index, shard.count, len(items), done, failed, skipped, seconds)
    log.info(
        "[%s] finished: %d done, %d failed, %d skipped in %s",
        label,
        done,
        failed,
        skipped,
        format_duration(seconds),
    )
    return result


def _batches(items: list[T], size: int, group: Callable[[T], Any] | None) -> list[list[T]]:
    """Consecutive runs of at most ``size`` items, none of them spanning two groups."""
    if group is None:
        return [list(items[i : i + size]) for i in range(0, len(items), size)]
    out: list[list[T]] = []
    for it in items:
        if out and len(out[-1]) < size and group(out[-1][-1]) == group(it):
            out[-1].append(it)
        else:
            out.append([it])
    return out


def _ordered_batches(
    todo: list[T], suspects: set[str], item_id: Callable[[T], str], size: int, group: Callable[[T], Any] | None
) -> list[list[T]]:
    """The attempt's batches. Items that were in flight when an earlier attempt died (``suspects``) run alone, so
    a poisoned one cannot take the rest of its batch down with it again. Without groups they run first; with
    groups, first within their group, which stays in item order: a group is never left and come back to, so a
    settled block is written once even when retried failures of earlier blocks run in the same attempt."""
    if group is None:
        alone = [[it] for it in todo if item_id(it) in suspects]
        return alone + _batches([it for it in todo if item_id(it) not in suspects], size, None)
    out: list[list[T]] = []
    for _, members in itertools.groupby(todo, key=group):
        members = list(members)
        out += [[it] for it in members if item_id(it) in suspects]
        out += _batches([it for it in members if item_id(it) not in suspects], size, group)
    return out


def _killed_text(attempts: int) -> str:
    return (
        f"the item was being processed when its process died, {attempts} times (out of memory? a crash in a "
        "decoder?); raise max_item_attempts to try it again"
    )


def check_journal(journal: Journal, wanted: set[str]) -> None:
    """The journal, read back, must show an outcome for every item of the shard; otherwise a line was lost (a
    torn write, a full disk) and the shard fails instead of counting the item as done."""
    latest = journal.latest(data=False)
    missing = sorted(k for k in wanted if latest.get(k, {}).get("status") not in OUTCOMES)
    if missing:
        raise ShardError(
            f"journal {journal.path} can be read to hold {len(wanted) - len(missing)} of {len(wanted)} items "
            f"(no outcome for {', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''}): a lost or torn "
            "line; relaunch the stage to run them again"
        )


def _get(cfg: Any, key: str, default: Any) -> Any:
    try:
        value = cfg.get(key, default) if hasattr(cfg, "get") else getattr(cfg, key, default)
    except Exception:
        return default
    return default if value is None else value


# --------------------------------------------------------------------------------------------- stages

_preempt_hooks: list[Callable[[], None]] = []


def on_preempt(hook: Callable[[], None]) -> Callable[[], None]:
    """Register a callback the scheduler edge calls when the job is about to be preempted or timed out
    (save a training checkpoint, flush a buffer). Returns a function that unregisters it."""
    _preempt_hooks.append(hook)
    return lambda: _preempt_hooks.remove(hook) if hook in _preempt_hooks else None


def run_preempt_hooks() -> None:
    for hook in list(_preempt_hooks):
        try:
            hook()
        except Exception:
            log.exception("preemption hook %r failed", hook)


def configured_stage(cfg: Any) -> Stage:
    """The configured stage's ``Stage`` (``herbproc.stages.load_stage``)."""
    from herbproc.stages import load_stage

    return load_stage(cfg)


def shard_for(cfg: Any, index: int) -> Shard:
    return Shard(cfg.stage.name, index, planned_shards(cfg), str(cfg.run_dir))


def planned_shards(cfg: Any) -> int:
    return 1 if cfg.stage.kind != "array" else int(cfg.shards)


def read_marker(paths: RunPaths, stage: str, index: int) -> dict[str, Any] | None:
    return read_json(paths.marker(stage, index))


def execute_shard(cfg: Any, index: int, *, rank: int = 0) -> ShardResult:
    """Run one shard of the configured stage with the lock, marker and failure bookkeeping around it.

    Safe to call twice (a requeued job, a second launch): a finished shard returns its marker; a shard whose
    lock another process holds is waited for, then skipped if that process finished it.
    """
    shard = shard_for(cfg, index)
    paths = shard.paths
    stage = shard.stage
    marker = read_marker(paths, stage, index)
    if marker is not None:
        log.info("[%s %s] already complete, skipping", stage, shard.name)
        return _result_from_marker(marker)
    check_upstream(cfg)
    if rank != 0:
        try:
            return run_or_skip(cfg, shard)
        except StageSkipped:
            return ShardResult(stage, index, shard.count)
    with file_lock(paths.shard_lock(stage, index)):
        marker = read_marker(paths, stage, index)
        if marker is not None:
            return _result_from_marker(marker)
        paths.failed(stage, index).unlink(missing_ok=True)
        started = time.time()
        try:
            result = run_or_skip(cfg, shard)
        except StageSkipped as skip:
            if _get(cfg.get("pipeline", {}), "strict", False):
                exc = ShardError(f"stage {stage} cannot run: {skip.reason} (pipeline.strict=true)")
                _write_failed(paths, stage, index, exc)
                raise exc from None
            log.warning("[%s %s] skipped: %s", stage, shard.name, skip.reason)
            result = ShardResult(stage, index, shard.count, extra={"skipped": skip.reason})
        except Exception as exc:  # not SystemExit (a requeue) nor KeyboardInterrupt: those are no failure
            _write_failed(paths, stage, index, exc)
            raise
        body = result.to_json()
        body.update(started=started, finished=time.time(), host=socket.gethostname(), pid=os.getpid(),
                    peak_memory_gb=peak_memory_gb())  # fmt: skip
        atomic_write_json(paths.marker(stage, index), body, sync_dir=True)  # outputs were synced before
    maybe_finalize(cfg)
    return result


def peak_memory_gb() -> float:
    """The most memory (resident, GiB) this process, or a child process it has waited for, has held: what the
    shard's job needed of ``stage.mem_gb``."""
    import resource
    import sys

    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return round(peak * (1 if sys.platform == "darwin" else 1024) / 2**30, 3)  # bytes on macOS, KiB on Linux


def _write_failed(paths: RunPaths, stage: str, index: int, exc: BaseException) -> None:
    atomic_write_json(
        paths.failed(stage, index),
        {
            "stage": stage,
            "shard": index,
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(),
            "time": time.time(),
            "host": socket.gethostname(),
        },
    )


def run_or_skip(cfg: Any, shard: Shard) -> ShardResult:
    """``run_shard``, unless a stage this one cannot do without (``stage.needs``) stepped aside: then the stage's
    code is not even imported (a skip costs no model library's import)."""
    skipped = skipped_need(cfg)
    if skipped is not None:
        raise StageSkipped(f"needs stage {skipped[0]}, which was skipped")
    return configured_stage(cfg).run_shard(cfg, shard)


def skipped_need(cfg: Any) -> tuple[str, str] | None:
    """The first stage this one cannot do without (``stage.needs``, else ``stage.after``) that stepped aside in
    this run, with its reason; None when there is none."""
    needs = cfg.stage.get("needs")
    paths = RunPaths(cfg.run_dir)
    for upstream in cfg.stage.get("after", []) if needs is None else needs:
        reason = skip_reason(paths, upstream)
        if reason is not None:
            return upstream, reason
    return None


def skip_reason(paths: RunPaths, stage: str) -> str | None:
    """Why ``stage`` stepped aside in this run, or None when it did not (or never ran here)."""
    plan = read_json(paths.plan(stage))
    if plan is None:
        return None
    for i in range(int(plan["shards"])):
        marker = read_marker(paths, stage, i)
        reason = (marker or {}).get("extra", {}).get("skipped")
        if reason:
            return str(reason)
    return None


def check_upstream(cfg: Any) -> None:
    """Refuse to run while a stage this one reads (``stage.after``) was launched here but has not finished.

    Grid Engine's ``-hold_jid`` releases a job when the jobs it waits for end, even when they failed; SLURM's
    ``afterok`` does not, but a user may launch stages by hand out of order too.
    """
    paths = RunPaths(cfg.run_dir)
    for upstream in cfg.stage.get("after", []):
        plan = read_json(paths.plan(upstream))
        if plan is None:
            continue  # never launched in this run directory: the stage's own input checks apply
        if not all_shards_done(paths, upstream, int(plan["shards"])):
            raise ShardError(
                f"stage {cfg.stage.name} needs stage {upstream} to be complete first, and it is not "
                f"(see: python jobs/status.py run_dir={paths.root}); relaunch {upstream}, then {cfg.stage.name}"
            )


def _result_from_marker(marker: dict[str, Any]) -> ShardResult:
    keys = ("stage", "shard", "shards", "items", "done", "failed", "skipped", "seconds", "extra")
    return ShardResult(**{k: marker[k] for k in keys if k in marker})


def verify_done_shards(cfg: Any, last: int = 8) -> list[str]:
    """Check, for every shard of the stage that has its marker, that the outputs of the last ``last`` items
    its journal says are done exist (the stage's optional ``verify_items(cfg, ids) -> missing ids``). A node
    that crashed after the marker but before its data reached the disk leaves a marker over missing outputs:
    such a shard loses its marker and those items are journalled ``lost``, so this launch runs it again.
    Returns one line per such shard."""
    hooks = configured_stage(cfg)
    if hooks.verify_items is None:
        return []
    paths, stage = RunPaths(cfg.run_dir), cfg.stage.name
    checked: dict[int, list[str]] = {}
    for i in range(planned_shards(cfg)):
        if paths.marker(stage, i).exists():
            tail = Journal(paths.journal(stage, i)).tail()
            latest = {e["id"]: e.get("status") for e in tail if "id" in e}
            checked[i] = [k for k, status in latest.items() if status == "ok"][-last:]
    ids = [x for part in checked.values() for x in part]
    missing = set(hooks.verify_items(cfg, ids)) if ids else set()
    lines = []
    for i, part in checked.items():
        lost = [x for x in part if x in missing]
        if not lost:
            continue
        journal = Journal(paths.journal(stage, i))
        for x in lost:
            journal.append({"id": x, "status": "lost", "time": time.time()})
        journal.close()
        paths.marker(stage, i).unlink(missing_ok=True)
        lines.append(
            f"[{stage} {shard_name(i)}] {len(lost)} of its last {len(part)} finished items have no output "
            f"(e.g. {lost[0]}; lost in a crash?): the shard runs again"
        )
    return lines


def all_shards_done(paths: RunPaths, stage: str, count: int) -> bool:
    return all(paths.marker(stage, i).exists() for i in range(count))


def maybe_finalize(cfg: Any, *, force: bool = False) -> bool:
    """When every shard of the stage has its marker, merge the failure table and run the stage's
    ``finalize`` once (the last shard to finish does it; a relaunch or the launcher may do it again)."""
    paths = RunPaths(cfg.run_dir)
    stage = cfg.stage.name
    count = planned_shards(cfg)
    if not all_shards_done(paths, stage, count):
        return False
    with file_lock(paths.state_dir(stage) / "finalize.lock"):
        markers = [read_marker(paths, stage, i) for i in range(count)]
        newest = max(m.get("finished", 0) for m in markers) if markers else 0
        prev = read_json(paths.finalized(stage))
        if prev and not force and prev.get("newest_marker", -1) >= newest:
            return True
        write_failure_table(paths, stage, count)
        skipped = next((m["extra"]["skipped"] for m in markers if m.get("extra", {}).get("skipped")), None)
        hooks = configured_stage(cfg)
        if skipped is not None:
            atomic_write_json(
                paths.stage_dir(stage) / "summary.json",
                {"stage": stage, "state": "skipped", "reason": skipped, "time": time.time()},
            )
        elif hooks.finalize is not None:
            hooks.finalize(cfg)
        n_items = sum(m.get("items", 0) for m in markers)
        n_failed = failures_count(paths, stage, count)
        atomic_write_json(
            paths.finalized(stage),
            {
                "stage": stage,
                "shards": count,
                "newest_marker": newest,
                "time": time.time(),
                "items": n_items,
                "done": n_items - n_failed,
                "failed": n_failed,
                **({"skipped": skipped} if skipped is not None else {}),
            },
        )
    return True


def failure_rows(paths: RunPaths, stage: str, count: int | None = None) -> list[dict[str, Any]]:
    """The stage's failure table as rows: the latest failed entry of each item that never succeeded."""
    if count is None:
        files = sorted(paths.shards_dir(stage).glob("shard-*.items.jsonl"))
    else:
        files = [paths.journal(stage, i) for i in range(count)]
    return [row for f in files for row in Journal(f).failures()]


def failures_count(paths: RunPaths, stage: str, count: int) -> int:
    return len(failure_rows(paths, stage, count))


def write_failure_table(paths: RunPaths, stage: str, count: int) -> Path | None:
    """``<stage>/failures.parquet`` and ``.csv`` when items failed; stale tables go when a retry fixed them."""
    import pandas as pd

    rows = failure_rows(paths, stage, count)
    targets = [paths.failures(stage), paths.failures(stage).with_suffix(".csv")]
    if not rows:
        for t in targets:
            t.unlink(missing_ok=True)
        return None
    df = pd.DataFrame(rows, columns=list(FAILURE_KEYS)).rename(columns={"id": "item_id"})
    df["item_id"] = df["item_id"].astype(str)
    with atomic_path(targets[0]) as tmp:
        df.to_parquet(tmp, index=False)
    with atomic_path(targets[1]) as tmp:
        df.to_csv(tmp, index=False)
    return targets[0]
