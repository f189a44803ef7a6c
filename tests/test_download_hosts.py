"""The per-host budget of a whole download array: four shards running at once against two local servers keep,
all together, to download.host_connections_total requests in flight and download.host_rate_total requests per
second per host; a 429 with Retry-After seen by one shard pauses that host for the others while the other host
goes on; jobs/status.py and the report show per-host counts."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
import time

import pytest
from conftest import REPO, run_cli
from faultserver import FaultServer
from gbif_archive import FAST_RETRIES, SMALL_STORE, ingest_run, make_image

from herbproc.config import ConfigError, compose
from herbproc.download.stage import fetch_settings
from herbproc.fetch import budget as budget_mod
from herbproc.fetch.budget import HostBudget, host_key, tasks_at_once
from herbproc.hoststats import merge, run_host_stats, stats_dir
from herbproc.store import open_store

PER_HOST = 30
RATE = 8.0
CONNECTIONS = 3
PAUSE_S = 2


def starts(srv: FaultServer, status: int | None = None) -> list[float]:
    return sorted(t for t, _, _, code in srv.timeline if status is None or code == status)


def most_in_one_second(times: list[float]) -> int:
    return max((sum(1 for u in times[i:] if u < t + 1.0) for i, t in enumerate(times)), default=0)


def test_four_shards_keep_to_the_host_budget_and_share_a_pause(tmp_path):
    files = {f"s{i:02d}.jpg": make_image(30, 45, seed=i) for i in range(PER_HOST)}
    run_dir = tmp_path / "run"
    with FaultServer(files) as a, FaultServer(files) as b:
        # every other image is slow (0.4 s), so the connection cap binds there and the pacing elsewhere
        def urls(srv: FaultServer) -> list[str]:
            return [srv.url(name, **({"ms": 400} if k % 2 else {})) for k, name in enumerate(files)]

        a_urls, b_urls = urls(a), urls(b)
        a_urls[0] = a.url("s00.jpg", fault="429", n=1, ra=PAUSE_S)
        interleaved = [u for pair in zip(a_urls, b_urls, strict=True) for u in pair]
        base = ingest_run(run_dir, interleaved)
        args = [
            "stage=download", *base, "shards=4", "cluster.array_parallelism=4", "cluster.poll_s=0.2",
            *SMALL_STORE, *FAST_RETRIES, "download.batch_size=8",
            f"download.host_connections_total={CONNECTIONS}", f"download.host_rate_total={RATE:g}",
        ]  # fmt: skip
        proc = run_cli("launch", *args, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        status = run_cli("status", f"run_dir={run_dir}", "format=json")
        text = run_cli("status", f"run_dir={run_dir}")

    assert open_store(run_dir / "store").valid.all()
    for srv in (a, b):
        assert srv.max_in_flight <= CONNECTIONS  # 4 shards x 16 per-shard connections without the budget
        assert most_in_one_second(starts(srv)) <= RATE + 2  # all 30 within a second without it
        assert srv.total == PER_HOST + (srv is a)  # the 429 once more
    # the 429 paused host a for every shard for Retry-After seconds; host b went on meanwhile
    # the 429 request's arrival: the client can only see the 429 after it (the server notes its end later,
    # late on a busy machine)
    (throttled,) = [arrival for arrival, _, _, code in a.timeline if code == 429]
    window = (throttled + 0.25, throttled + PAUSE_S - 0.15)
    assert not [t for t in starts(a) if window[0] < t < window[1]]
    assert len([t for t in starts(b) if window[0] < t < window[1]]) >= 3
    # a request another shard sent while the 429 was on its way back is not a breach: it started before any
    # client could see the 429
    assert min(t for t in starts(a) if t > window[0]) >= window[1]

    # per-host counts: jobs/status.py (json and text) and the report
    hosts = next(s for s in json.loads(status.stdout)["stages"] if s["stage"] == "download")["hosts"]
    busiest = hosts["busiest"]
    ka, kb = host_key(a.base), host_key(b.base)
    assert busiest[ka]["requests"] == a.total and busiest[kb]["requests"] == b.total
    assert busiest[ka]["throttled"] == 1 and busiest[ka]["reasons"] == {"http_429": 1}
    assert busiest[kb]["errors"] == 0 and 0 < busiest[kb]["rate"] <= RATE * 1.1
    assert f"host {ka}: {a.total} requests" in text.stdout and "1 429/503 [http_429 (1)]" in text.stdout
    from herbproc.download.report import report_section

    html = report_section(run_dir, tmp_path / "assets")
    assert "<h3>Image servers</h3>" in html and f"<td>{ka}</td><td class='num'>{a.total}</td>" in html
    assert "http_429 (1)" in html


def test_slots_and_pacing_are_shared_between_budgets(tmp_path):
    one = HostBudget.open(tmp_path, connections_total=2, rate_total=10.0, holder="shard-00000")
    two = HostBudget.open(tmp_path, connections_total=2, rate_total=10.0, holder="shard-00001")
    h1, h2 = one.host("images.example.org:443"), two.host("images.example.org:443")
    s1, s2 = h1.try_slot(), h2.try_slot()
    assert {s1, s2} == {0, 1} and h1.try_slot() is None and h2.try_slot() is None
    h1.release(s1)
    assert h2.try_slot() == s1
    now = time.time()
    first, second, third = h1.reserve(now), h2.reserve(now), h1.reserve(now)
    assert second - first == pytest.approx(0.1) and third - second == pytest.approx(0.1)
    assert h2.reserve(now, latest=now - 1) > now  # too late: returned, not reserved
    assert h1.reserve(now) - third == pytest.approx(0.1)
    until = h1.pause_for(5, 429)
    assert h2.pause().until == until and h2.pause().by == "shard-00000" and h2.reserve(now) >= until
    assert one.host("other.example.org:443").try_slot() is not None  # hosts do not share slots
    one.close()
    two.close()


def test_a_killed_task_leaves_no_slot_taken(tmp_path):
    code = (
        "import sys, time; from pathlib import Path; from herbproc.fetch.budget import HostBudget\n"
        f"h = HostBudget.open(Path({str(tmp_path)!r}), 2, 0.0).host('h:80')\n"
        "assert h.try_slot() is not None and h.try_slot() is not None\n"
        "print('holding', flush=True); time.sleep(120)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert child.stdout.readline().strip() == "holding"
        host = HostBudget.open(tmp_path, 2, 0.0).host("h:80")
        assert host.try_slot() is None
    finally:
        child.kill()
        child.wait()
    assert host.try_slot() is not None  # the kernel dropped the dead task's locks


def test_without_file_locks_each_task_keeps_to_its_share(tmp_path, monkeypatch):
    def refuse(fd, cmd, *args):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(budget_mod.fcntl, "lockf", refuse)
    cfg = compose(
        ["stage=download", f"run_dir={tmp_path / 'run'}", "shards=200", "cluster.array_parallelism=8",
         "download.host_connections_total=32", "download.host_rate_total=20"],
        check_inputs=False,
    )  # fmt: skip
    one = HostBudget.open(tmp_path / "hosts", 32, 20.0, holder="shard-00003")
    assert not one.locking
    settings = fetch_settings(cfg, one)
    assert (settings.per_host_connections, settings.per_host_rate) == (4, 2.5)  # 32 / 8, 20 / 8
    assert settings.keepalive_connections == 4
    two = HostBudget.open(tmp_path / "hosts", 32, 20.0, holder="shard-00004")
    until = one.host("h:80").pause_for(3, 503)
    pause = two.host("h:80").pause()
    assert (pause.until, pause.by, pause.status) == (until, "shard-00003", 503)  # the pause is still shared
    assert two.host("h:80").try_slot() == -1  # no array-wide slots: the share caps the task


def test_tasks_at_once():
    assert tasks_at_once(200, 64) == 64 and tasks_at_once(10, 64) == 10 and tasks_at_once(200, 0) == 200


def test_host_stats_merge_and_unreadable_records(tmp_path):
    a = {"h:80": {"requests": 3, "ok": 2, "errors": 1, "throttled": 1, "bytes": 10, "wait_s": 0.5,
                  "first": 100.0, "last": 101.0, "reasons": {"http_429": 1}}}  # fmt: skip
    b = {"h:80": {"requests": 1, "ok": 1, "bytes": 5, "first": 102.0, "last": 104.0}, "g:80": "junk"}
    m = merge([a, b])
    assert set(m) == {"h:80"} and m["h:80"]["requests"] == 4 and m["h:80"]["bytes"] == 15
    assert m["h:80"]["rate"] == pytest.approx(1.0) and m["h:80"]["reasons"] == {"http_429": 1}
    folder = stats_dir(tmp_path)
    folder.mkdir(parents=True)
    (folder / "shard-00000.json").write_text(json.dumps(a))
    (folder / "shard-00001.json").write_text('{"h:80": {"requests": ')  # cut short
    assert run_host_stats(tmp_path)["h:80"]["requests"] == 3


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("download.host_connections_total=0", "download.host_connections_total"),
        ("download.host_connections_total=100000", "download.host_connections_total"),
        ("download.host_rate_total=-1", "download.host_rate_total"),
        ("download.host_rate_total=fast", "download.host_rate_total"),
    ],
)
def test_bad_host_budget_settings(tmp_path, override, message):
    with pytest.raises(ConfigError, match=message) as err:
        compose(["stage=download", f"run_dir={tmp_path}", override])
    assert len(str(err.value).strip().splitlines()) == 1
