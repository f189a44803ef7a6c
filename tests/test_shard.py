"""The shard contract: slicing, per-item journal and resume, failure rows, atomic markers, systemic errors."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli

from herbproc.config import compose
from herbproc.paths import RunPaths
from herbproc.shard import (
    ItemError,
    Journal,
    Shard,
    ShardError,
    execute_shard,
    failure_rows,
    journal_records,
    maybe_finalize,
    run_batches,
    run_items,
)


def cfg_for(tmp_path, *extra):
    return compose(["stage=noop", f"run_dir={tmp_path}", *extra])


@pytest.mark.parametrize("n_items,count,align", [(10, 3, 1), (100, 7, 8), (5, 8, 1), (0, 4, 1), (64, 4, 16)])
def test_shards_partition_items_exactly(n_items, count, align):
    items = list(range(n_items))
    parts = [Shard("s", i, count, "/tmp").select(items, align) for i in range(count)]
    assert [x for p in parts for x in p] == items
    for p in parts[:-1]:
        if p:
            assert (p[0] % align == 0) and (len(p) % align == 0)


def test_shard_index_out_of_range():
    with pytest.raises(ValueError, match="outside"):
        Shard("s", 5, 3, "/tmp").bounds(10)


def test_poisoned_item_becomes_failure_row_and_others_finish(tmp_path):
    cfg = cfg_for(tmp_path, "noop.count=10", "noop.fail_items=[item00004]", "noop.crash_items=[item00007]")
    result = execute_shard(cfg, 0)
    assert (result.done, result.failed) == (8, 2)
    rows = {r["id"]: r for r in failure_rows(RunPaths(tmp_path), "noop")}
    assert rows["item00004"]["reason"] == "poisoned" and "noop.fail_items" in rows["item00004"]["error"]
    assert rows["item00007"]["reason"] == "unexpected_ZeroDivisionError"
    table = pd.read_parquet(tmp_path / "noop" / "failures.parquet")
    assert sorted(table["item_id"]) == ["item00004", "item00007"]
    assert set(table.columns) >= {"item_id", "stage", "reason", "error"}
    outputs = sorted(p.stem for p in (tmp_path / "noop" / "items").iterdir())
    assert len(outputs) == 8 and "item00004" not in outputs


def test_retry_skips_finished_items(tmp_path):
    cfg = cfg_for(tmp_path)
    shard = Shard("noop", 0, 1, str(tmp_path))
    calls = []

    def flaky(item):
        calls.append(item)
        if item == "c" and calls.count("c") == 1:
            raise KeyboardInterrupt  # a kill in the middle of item c
        return {"n": len(calls)}

    with pytest.raises(KeyboardInterrupt):
        run_items(cfg, shard, ["a", "b", "c", "d"], flaky)
    result = run_items(cfg, shard, ["a", "b", "c", "d"], flaky)
    assert calls == ["a", "b", "c", "c", "d"]
    assert (result.done, result.skipped) == (2, 2)
    assert set(journal_records(shard)) == {"a", "b", "c", "d"}


def test_failed_items_are_not_retried_unless_asked(tmp_path):
    shard = Shard("noop", 0, 1, str(tmp_path))
    seen = []

    def bad(item):
        seen.append(item)
        raise ItemError("bad_record", item)

    run_items(cfg_for(tmp_path), shard, ["x"], bad)
    run_items(cfg_for(tmp_path), shard, ["x"], bad)
    assert seen == ["x"]
    run_items(cfg_for(tmp_path, "retry_failed_items=true"), shard, ["x"], bad)
    assert seen == ["x", "x"]


def test_disk_full_fails_the_shard_not_the_item(tmp_path):
    shard = Shard("noop", 0, 1, str(tmp_path))

    def full(item):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        run_items(cfg_for(tmp_path), shard, ["a", "b"], full)


def test_run_of_unexpected_errors_fails_the_shard(tmp_path):
    shard = Shard("noop", 0, 1, str(tmp_path))
    with pytest.raises(ShardError, match="3 unexpected errors in a row"):
        run_items(cfg_for(tmp_path, "max_consecutive_errors=3"), shard, list("abcdef"), lambda i: 1 / 0)


def test_batches_isolate_a_poisoned_item(tmp_path):
    shard = Shard("noop", 0, 1, str(tmp_path))
    batches = []

    def process_batch(batch):
        batches.append(list(batch))
        if "poison" in batch:
            raise RuntimeError("the whole batch blew up")
        return [{"len": len(x)} for x in batch]

    result = run_batches(cfg_for(tmp_path), shard, ["a", "poison", "c", "d"], process_batch, batch_size=4)
    assert (result.done, result.failed) == (3, 1)
    assert batches[0] == ["a", "poison", "c", "d"] and ["poison"] in batches


def test_marker_written_and_shard_not_rerun(tmp_path):
    cfg = cfg_for(tmp_path, "noop.count=4")
    first = execute_shard(cfg, 0)
    marker = tmp_path / "state" / "noop" / "shards" / "shard-00000.done.json"
    assert marker.exists()
    body = marker.read_text()
    assert '"done": 4' in body and '"seconds"' in body and '"items_per_s"' in body
    mtime = marker.stat().st_mtime_ns
    second = execute_shard(cfg, 0)
    assert second.done == first.done and marker.stat().st_mtime_ns == mtime
    assert list((tmp_path / "state" / "noop" / "shards").glob("*.tmp")) == []


def test_failed_shard_leaves_traceback_and_no_marker(tmp_path):
    cfg = cfg_for(tmp_path, "noop.fail_shards=[0]")
    with pytest.raises(ShardError):
        execute_shard(cfg, 0)
    shards = tmp_path / "state" / "noop" / "shards"
    assert not (shards / "shard-00000.done.json").exists()
    assert "noop.fail_shards" in (shards / "shard-00000.failed.json").read_text()
    assert maybe_finalize(cfg) is False


def test_stage_refuses_to_run_before_its_upstream_finished(tmp_path):
    from herbproc.io import atomic_write_json

    cfg = compose(["stage=noop", f"run_dir={tmp_path}", "data=none"])
    cfg.stage.after = ["synth"]
    execute_shard(cfg, 0)  # synth never launched here: nothing to wait for
    atomic_write_json(RunPaths(tmp_path).plan("synth"), {"stage": "synth", "shards": 2})
    (tmp_path / "state" / "noop" / "shards" / "shard-00000.done.json").unlink()
    with pytest.raises(ShardError, match="needs stage synth to be complete"):
        execute_shard(cfg, 0)


def journal_path(tmp_path) -> Path:
    return RunPaths(tmp_path).journal("noop", 0)


def test_a_torn_journal_tail_loses_no_item(tmp_path):
    shard = Shard("noop", 0, 1, str(tmp_path))
    run_items(cfg_for(tmp_path), shard, ["a", "b"], lambda i: {"n": i})
    with open(journal_path(tmp_path), "a") as f:
        f.write('{"id": "c", "status": "o')  # a kill (or a full disk) in the middle of c's line
    result = run_items(cfg_for(tmp_path), shard, ["a", "b", "c", "d"], lambda i: {"n": i})
    assert (result.done, result.skipped) == (2, 2)
    assert journal_records(shard) == {k: {"n": k} for k in "abcd"}  # c's new line is not glued onto the torn one


def test_a_journal_line_that_cannot_be_read_back_fails_the_shard(tmp_path, monkeypatch):
    append = Journal.append

    def lossy(self, entry):  # a write that never reached the file (a full disk, a torn line)
        if not (entry.get("id") == "item00001" and entry.get("status") == "ok"):
            append(self, entry)

    monkeypatch.setattr(Journal, "append", lossy)
    cfg = cfg_for(tmp_path, "noop.count=3")
    with pytest.raises(ShardError, match=r"can be read to hold 2 of 3 items \(no outcome for item00001\)"):
        execute_shard(cfg, 0)
    assert not RunPaths(tmp_path).marker("noop", 0).exists()  # no marker that counts item00001 as done
    monkeypatch.setattr(Journal, "append", append)
    assert execute_shard(cfg, 0).done == 1 and set(journal_records(Shard("noop", 0, 1, str(tmp_path)))) == {
        "item00000",
        "item00001",
        "item00002",
    }


def test_an_item_that_kills_its_process_becomes_a_failure_row(tmp_path):
    args = ["stage=noop", f"run_dir={tmp_path}", "noop.count=6", "noop.kill_items=[item00003]", "cluster=local"]
    for _ in (1, 2):  # max_item_attempts=2: the shard dies twice on the same item
        proc = run_cli("launch", *args, timeout=300)
        assert proc.returncode != 0, proc.stdout + proc.stderr
    proc = run_cli("launch", *args, timeout=300)  # the relaunch finishes the shard with one failure row
    assert proc.returncode == 0, proc.stdout + proc.stderr
    table = pd.read_parquet(tmp_path / "noop" / "failures.parquet")
    assert table["item_id"].tolist() == ["item00003"] and table["reason"].tolist() == ["killed_in_flight"]
    assert "2 times" in table["error"].iloc[0]
    outputs = sorted(p.stem for p in (tmp_path / "noop" / "items").iterdir())
    assert outputs == [f"item{i:05d}" for i in (0, 1, 2, 4, 5)]


def test_items_in_flight_when_a_batch_died_run_alone(tmp_path):
    shard = Shard("noop", 0, 1, str(tmp_path))
    journal = Journal(journal_path(tmp_path))
    for k in (1, 2):  # two attempts died while the batch [a, poison, c] was in flight
        for i in ("a", "poison", "c") if k == 1 else ("poison",):
            journal.append({"id": i, "status": "inflight"})
    journal.close()
    batches = []

    def process_batch(batch):
        batches.append(list(batch))
        return [{"ok": 1} for _ in batch]

    items = ["a", "poison", "c", "d", "e"]
    result = run_batches(cfg_for(tmp_path), shard, items, process_batch, batch_size=4)
    assert batches == [["a"], ["c"], ["d", "e"]]  # poison was given up on, its batch mates ran alone
    assert (result.done, result.failed) == (4, 1)
    assert [r["reason"] for r in failure_rows(RunPaths(tmp_path), "noop")] == ["killed_in_flight"]
    journal = Journal(journal_path(tmp_path))
    journal.append({"id": "poison", "status": "inflight"})  # with more attempts allowed it runs again
    journal.close()
    result = run_batches(cfg_for(tmp_path, "retry_failed_items=true", "max_item_attempts=3"), shard, items,
                         process_batch, batch_size=4)  # fmt: skip
    assert batches[-1] == ["poison"] and result.done == 1


def _slow_outcomes(journal: Journal) -> tuple[int, list[str]]:
    latest = journal.latest().values()
    return (
        sum(1 for e in latest if e.get("status") == "ok"),
        [e.get("reason", "?") for e in latest if e.get("status") == "failed"],
    )


def test_journal_outcomes_read_fast_say_what_latest_says(tmp_path, monkeypatch):
    journal = Journal(tmp_path / "j.jsonl")
    for k in range(300):
        iid = f"g{(k * 7) % 120}"
        journal.append({"id": iid, "status": "inflight", "time": 1.0})
        if k % 5 == 1:
            journal.append({"id": iid, "status": "failed", "reason": f"r{k % 3}", "error": "x"})
        elif k % 5 == 2:
            journal.append({"id": iid, "status": "released", "time": 2.0})
        elif k % 11 == 0:
            journal.append({"id": iid, "status": "lost", "time": 2.0})
        else:
            journal.append({"id": iid, "status": "ok", "seconds": 0.1, "data": {"lines": [{"t": "a"}] * k}})
    journal.append({"note": "no id"})
    journal.close()
    expected = _slow_outcomes(journal)
    assert expected[0] > 0 and len(set(expected[1])) == 3
    monkeypatch.setattr(Journal, "latest", lambda self: pytest.fail("the fast reader was not used"))
    assert journal.outcomes() == expected
    assert Journal(tmp_path / "none.jsonl").outcomes() == (0, [])


@pytest.mark.parametrize(
    "tail",
    [
        '{"id": "g3", "status": "failed", "reas\n',  # torn by a kill
        '{"id": 17, "status": "ok"}\n',  # an id that is not text
        '{"id": "g4", "status": "failed"}\n',  # no reason: "?"
        '{"id": "g5", "status": "failed", "reason": null}\n',
        "[1, 2]\n",
    ],
)
def test_journal_outcomes_of_odd_lines_are_still_exact(tmp_path, tail):
    path = tmp_path / "j.jsonl"
    lines = [json.dumps({"id": f"g{k}", "status": "ok" if k % 2 else "failed", "reason": "r"}) for k in range(8)]
    path.write_text("\n".join(lines) + "\n" + tail + json.dumps({"id": "g6", "status": "ok"}) + "\n")
    assert Journal(path).outcomes() == _slow_outcomes(Journal(path))


def _slow_failures(journal: Journal) -> list[dict]:
    keys = ("id", "stage", "shard", "reason", "error", "time")
    return [{k: e.get(k) for k in keys} for e in journal.latest().values() if e.get("status") == "failed"]


def test_journal_failures_read_fast_say_what_latest_says(tmp_path, monkeypatch):
    journal = Journal(tmp_path / "j.jsonl")
    for k in range(200):
        iid = f"g{(k * 7) % 90}"
        journal.append({"id": iid, "status": "inflight", "time": 1.0})
        if k % 4 == 1:
            journal.append({"id": iid, "status": "failed", "stage": "mask", "shard": k % 3, "reason": f"r{k % 3}",
                            "error": f"ValueError: {k}", "time": 10.0 + k})  # fmt: skip
        elif k % 4 == 2:
            journal.append({"id": iid, "status": "failed", "reason": "killed_in_flight"})  # no shard, error, time
        else:
            journal.append({"id": iid, "status": "ok", "data": {"lines": [{"t": "a"}] * k}})
    journal.close()
    expected = _slow_failures(journal)
    assert len(expected) > 10 and {type(r["shard"]) for r in expected} == {int, type(None)}
    monkeypatch.setattr(Journal, "latest", lambda self: pytest.fail("the fast reader was not used"))
    assert journal.failures() == expected
    assert Journal(tmp_path / "none.jsonl").failures() == []


@pytest.mark.parametrize(
    "tail",
    [
        '{"id": "g3", "status": "failed", "reas\n',  # torn by a kill
        '{"id": "g4", "status": "failed", "reason": "r", "shard": "three"}\n',  # a shard that is not a number
        '{"id": "g5", "status": "failed", "reason": "r", "error": {"nested": 1}}\n',
    ],
)
def test_journal_failures_of_odd_lines_are_still_exact(tmp_path, tail):
    path = tmp_path / "j.jsonl"
    lines = [json.dumps({"id": f"g{k}", "status": "ok" if k % 2 else "failed", "reason": "r", "shard": 1})
             for k in range(8)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n" + tail + json.dumps({"id": "g6", "status": "ok"}) + "\n")
    assert Journal(path).failures() == _slow_failures(Journal(path))


def test_journal_statuses_without_the_items_data(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    journal.append({"id": "a", "status": "inflight"})
    journal.append({"id": "a", "status": "ok", "data": {"lines": ["x"] * 50}})
    journal.append({"id": "b", "status": "failed", "reason": "decode_error", "error": "bad"})
    journal.close()
    assert journal.latest(data=False) == {"a": {"id": "a", "status": "ok"}, "b": journal.latest()["b"]}
    assert [e.get("data") for e in journal.entries(data=False)] == [None, None, None]
    assert journal.latest()["a"]["data"] == {"lines": ["x"] * 50}
