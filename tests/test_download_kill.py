"""kill -9 in the middle of `jobs/launch.py stage=download`, then relaunch: nothing stored is fetched again, the
store ends complete and byte-exact."""

from __future__ import annotations

import json

from conftest import launch_then_kill, run_cli
from faultserver import FaultServer
from gbif_archive import SMALL_STORE, ingest_run, make_image

from herbproc.manifest import load_manifest
from herbproc.store import open_store

N = 40


def journaled_ok(run_dir) -> set[str]:
    ids = set()
    for path in (run_dir / "state" / "download" / "shards").glob("*.items.jsonl"):
        for line in path.read_text().splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if entry.get("status") == "ok":
                ids.add(entry["id"])
    return ids


def test_kill_during_download_then_relaunch(tmp_path):
    files = {f"s{i:02d}.jpg": make_image(30, 45, seed=i) for i in range(N)}
    run_dir = tmp_path / "run"
    with FaultServer(files, latency_s=0.25) as srv:
        base = ingest_run(run_dir, [srv.url(name) for name in files])
        args = [
            "stage=download", *base, "shards=2", *SMALL_STORE, "download.batch_size=4", "download.concurrency=4",
            "cluster.poll_s=0.2",
        ]  # fmt: skip
        launch_then_kill(args, lambda: len(journaled_ok(run_dir)), 8, timeout=90)
        before_kill = journaled_ok(run_dir)
        assert 8 <= len(before_kill) < N, "the kill should land in the middle of the download"
        store = open_store(run_dir / "store")
        manifest = load_manifest(run_dir)
        valid_then = {g for g, v in zip(store.gbif_ids, store.valid, strict=True) if v}
        assert before_kill <= valid_then  # journaled means stored
        counts_at_kill = {u: srv.count(u) for u in manifest["identifier"]}

        again = run_cli("launch", *args, timeout=180)
        assert again.returncode == 0, again.stdout + again.stderr

        store = open_store(run_dir / "store")
        assert store.valid.all()
        by_row = manifest.set_index("row")
        for row in range(len(store)):
            assert store.original(row) == files[by_row.at[row, "identifier"].rsplit("/", 1)[-1]]
        for gid, url in zip(manifest["gbifID"], manifest["identifier"], strict=True):
            if gid in valid_then:
                assert srv.count(url) == counts_at_kill[url] == 1, (
                    f"{gid} was fetched again after the relaunch"
                )
            else:
                assert srv.count(url) <= 2  # at most once more: it was in flight or not yet asked for
        assert (
            sum(srv.count(u) for u in manifest["identifier"]) <= N + 2 * 4
        )  # refetched: only what was in flight
