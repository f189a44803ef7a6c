"""run_batches with group and settle: batches stay inside a group, a group's successes are journaled ok only
after settle() kept them, and what a dead attempt left held runs again, in batches, not alone."""

from __future__ import annotations

import errno
import json

import pytest

from herbproc.config import compose
from herbproc.paths import RunPaths
from herbproc.shard import Journal, Shard, ShardError, run_batches


def cfg_for(tmp_path, *extra):
    return compose(["stage=noop", f"run_dir={tmp_path}", *extra])


def journal_lines(tmp_path) -> list[dict]:
    path = RunPaths(tmp_path).journal("noop", 0)
    return [json.loads(line) for line in path.read_text().splitlines()]


class Store:
    """Stands in for a block writer: put() buffers, flush() keeps; the test reads what was kept and when."""

    def __init__(self, tmp_path, fail_on_flush: int = -1):
        self.tmp_path = tmp_path
        self.pending: list[str] = []
        self.kept: list[str] = []
        self.flushes: list[list[str]] = []
        self.fail_on_flush = fail_on_flush
        self.batches: list[list[str]] = []

    def process_batch(self, batch):
        self.batches.append(list(batch))
        self.pending.extend(batch)
        return [{"n": len(x)} for x in batch]

    def flush(self):
        if len(self.flushes) == self.fail_on_flush:
            self.pending.clear()  # as BlockWriter.flush: what it was given is gone
            raise OSError(errno.ENOSPC, "No space left on device")
        ok_before = {e["id"] for e in journal_lines(self.tmp_path) if e.get("status") == "ok"}
        assert not ok_before & set(self.pending), "journaled ok before it was kept"
        self.flushes.append(list(self.pending))
        self.kept.extend(self.pending)
        self.pending.clear()


def block(item: str) -> str:
    return item[0]  # "a1" is in block "a"


ITEMS = ["a1", "a2", "a3", "b1", "b2", "c1"]


def test_batches_stay_in_their_group_and_each_group_is_kept_once(tmp_path):
    store = Store(tmp_path)
    shard = Shard("noop", 0, 1, str(tmp_path))
    result = run_batches(cfg_for(tmp_path), shard, ITEMS, store.process_batch, batch_size=2, group=block,
                         settle=store.flush)  # fmt: skip
    assert store.batches == [["a1", "a2"], ["a3"], ["b1", "b2"], ["c1"]]
    assert store.flushes == [["a1", "a2", "a3"], ["b1", "b2"], ["c1"]]
    assert (result.done, result.failed) == (6, 0)
    statuses = [(e["id"], e["status"]) for e in journal_lines(tmp_path)]
    assert statuses.index(("a3", "held")) < statuses.index(("a1", "ok"))  # a1 waits for its block
    assert [i for i, s in statuses if s == "ok"] == ITEMS


def test_without_settle_nothing_is_held(tmp_path):
    store = Store(tmp_path)
    shard = Shard("noop", 0, 1, str(tmp_path))
    run_batches(cfg_for(tmp_path), shard, ITEMS, store.process_batch, batch_size=4, group=block)
    assert store.batches == [["a1", "a2", "a3"], ["b1", "b2"], ["c1"]]
    assert "held" not in {e["status"] for e in journal_lines(tmp_path)}


def test_settle_needs_group(tmp_path):
    shard = Shard("noop", 0, 1, str(tmp_path))
    with pytest.raises(ValueError, match="settle needs group"):
        run_batches(
            cfg_for(tmp_path), shard, ITEMS, lambda b: [{}] * len(b), batch_size=2, settle=lambda: None
        )


def test_held_items_of_a_dead_attempt_run_again_in_batches(tmp_path):
    journal = Journal(RunPaths(tmp_path).journal("noop", 0))
    for item in ("a1", "a2"):  # masked, waiting for their block, when the process died
        journal.append({"id": item, "status": "inflight"})
        journal.append({"id": item, "status": "held"})
    journal.append({"id": "a3", "status": "inflight"})  # the one being worked on
    journal.close()
    store = Store(tmp_path)
    shard = Shard("noop", 0, 1, str(tmp_path))
    result = run_batches(cfg_for(tmp_path), shard, ITEMS, store.process_batch, batch_size=2, group=block,
                         settle=store.flush)  # fmt: skip
    assert store.batches[0] == ["a3"]  # only the item in flight is a suspect
    assert ["a1", "a2"] in store.batches  # the held ones run with the rest, not alone
    assert sorted(store.kept) == sorted(ITEMS) and result.done == 6


def test_a_settle_that_fails_releases_its_items_and_the_next_attempt_keeps_them(tmp_path):
    store = Store(tmp_path, fail_on_flush=1)  # block b cannot be written: a full disk
    shard = Shard("noop", 0, 1, str(tmp_path))
    with pytest.raises(OSError):
        run_batches(cfg_for(tmp_path), shard, ITEMS, store.process_batch, batch_size=2, group=block,
                    settle=store.flush)  # fmt: skip
    latest = {e["id"]: e["status"] for e in journal_lines(tmp_path)}
    assert latest == {"a1": "ok", "a2": "ok", "a3": "ok", "b1": "released", "b2": "released"}
    store.fail_on_flush = -1
    result = run_batches(cfg_for(tmp_path), shard, ITEMS, store.process_batch, batch_size=2, group=block,
                         settle=store.flush)  # fmt: skip
    assert store.batches[-2:] == [["b1", "b2"], ["c1"]]  # released, not suspects: in one batch again
    assert (result.done, result.skipped) == (3, 3)
    assert sorted(store.kept) == sorted(ITEMS)


def test_an_error_that_ends_the_attempt_still_keeps_what_was_done(tmp_path):
    store = Store(tmp_path)
    shard = Shard("noop", 0, 1, str(tmp_path))

    def process_batch(batch):
        # a requeue signal, or a file every item needs vanished, in the middle of block a
        if batch[0] == "a3":
            raise ShardError("the model's file vanished")
        return store.process_batch(batch)

    with pytest.raises(ShardError):
        run_batches(
            cfg_for(tmp_path), shard, ITEMS, process_batch, batch_size=1, group=block, settle=store.flush
        )
    latest = {e["id"]: e["status"] for e in journal_lines(tmp_path)}
    assert latest == {"a1": "ok", "a2": "ok", "a3": "released"} and store.kept == ["a1", "a2"]


def test_retried_failures_of_an_earlier_block_do_not_split_the_block_a_kill_left(tmp_path):
    journal = Journal(RunPaths(tmp_path).journal("noop", 0))
    journal.append({"id": "a1", "status": "failed", "reason": "http_503", "error": "busy"})
    for item in ("a2", "a3"):
        journal.append({"id": item, "status": "ok", "data": {}})
    journal.append({"id": "b1", "status": "inflight"})  # the kill came in block b
    journal.close()
    store = Store(tmp_path)
    shard = Shard("noop", 0, 1, str(tmp_path))
    result = run_batches(cfg_for(tmp_path, "retry_failed_items=true"), shard, ITEMS, store.process_batch,
                         batch_size=2, group=block, settle=store.flush)  # fmt: skip
    assert store.batches == [["a1"], ["b1"], ["b2"], ["c1"]]  # b1 still alone, but in its block's turn
    assert store.flushes == [["a1"], ["b1", "b2"], ["c1"]]  # block b written once
    assert (result.done, result.failed) == (4, 0)


def test_without_groups_the_suspects_still_run_first(tmp_path):
    journal = Journal(RunPaths(tmp_path).journal("noop", 0))
    journal.append({"id": "a1", "status": "failed", "reason": "http_503", "error": "busy"})
    journal.append({"id": "b1", "status": "inflight"})
    journal.close()
    store = Store(tmp_path)
    shard = Shard("noop", 0, 1, str(tmp_path))
    run_batches(cfg_for(tmp_path, "retry_failed_items=true"), shard, ITEMS, store.process_batch, batch_size=3)
    assert store.batches == [["b1"], ["a1", "a2", "a3"], ["b2", "c1"]]
