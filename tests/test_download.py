"""stage=download against the fault server: every fault class ends as its failure row, the rest is stored
byte-exact with its training copy, and a relaunch fetches nothing twice."""

from __future__ import annotations

import hashlib
import json
import re
import time

import cv2
import numpy as np
import pandas as pd
import pytest
from faultserver import FaultServer
from gbif_archive import FAST_RETRIES, SMALL_STORE, ingest_run, make_image

from herbproc.config import ConfigError, compose
from herbproc.fetch.client import Fetcher, FetchError, FetchSettings, check_url, parse_retry_after
from herbproc.manifest import load_manifest
from herbproc.paths import RunPaths
from herbproc.shard import ItemError, ShardError, execute_shard
from herbproc.store import open_store

# (file, query, expected failure reason or None for success)
CASES = [
    ("plain.jpg", {}, None),
    ("photo.png", {}, None),
    ("turned.jpg", {}, None),  # EXIF orientation 6
    ("a.jpg", {"fault": "500", "n": 1}, None),
    ("b.jpg", {"fault": "503", "n": 2}, None),
    ("c.jpg", {"fault": "429", "n": 1, "ra": 0}, None),
    ("d.jpg", {"fault": "429date", "n": 1, "ra": 1}, None),
    ("e.jpg", {"fault": "reset", "n": 1}, None),
    ("f.jpg", {"fault": "truncate", "n": 1}, None),
    ("g.jpg", {"fault": "404"}, "http_404"),
    ("h.jpg", {"fault": "500"}, "http_500"),
    ("i.jpg", {"fault": "truncate"}, "incomplete_body"),
    ("j.jpg", {"fault": "reset"}, "connection_error"),
    ("k.jpg", {"fault": "truncated_jpeg"}, "truncated_image"),
    ("l.jpg", {"fault": "wrong_type"}, "content_type"),
    ("m.jpg", {"fault": "html"}, "html_page"),
    ("n.jpg", {"fault": "html_as_image"}, "html_page"),
    ("o.jpg", {"fault": "big", "size": 300_000}, "too_large"),
    ("p.jpg", {"fault": "big_chunked", "size": 300_000}, "too_large"),
    ("q.png", {"fault": "bomb", "side": 6000}, "decompression_bomb"),
    ("r.jpg", {"fault": "trickle", "rate": 8}, "too_slow"),
    ("s.bin", {}, "not_an_image"),
    ("t.jpg", {"fault": "429", "ra": 3600}, "retry_after_too_long"),
    ("u.jpg", {"fault": "redirect", "to": "file:///etc/passwd"}, "bad_url"),
]
NON_HTTP = [
    ("file:///etc/passwd", "bad_url"),
    ("ftp://example.org/x.jpg", "bad_url"),
    ("not a url", "bad_url"),
]


def served_files() -> dict[str, bytes]:
    files = {name: make_image(40, 56, seed=k) for k, (name, _, _) in enumerate(CASES)}
    files["photo.png"] = make_image(30, 20, seed=99, fmt="PNG")
    files["turned.jpg"] = make_image(40, 56, seed=7, orientation=6)
    files["s.bin"] = bytes(range(256)) * 8
    return files


def download_cfg(base: list[str], *extra: str):
    return compose(
        ["stage=download", *base, *SMALL_STORE, *FAST_RETRIES, "storage.codec=zstd", "download.max_bytes=200000",
         "download.max_pixels=20000000", "download.deadline_s=0.4", *extra]
    )  # fmt: skip


@pytest.fixture
def fault_run(tmp_path):
    files = served_files()
    with FaultServer(files) as srv:
        urls = [srv.url(name, **q) for name, q, _ in CASES] + [u for u, _ in NON_HTTP]
        base = ingest_run(tmp_path / "run", urls)
        yield srv, files, base, urls


def test_faults_become_failure_rows_and_the_rest_is_stored_exactly(fault_run, tmp_path):
    srv, files, base, urls = fault_run
    cfg = download_cfg(base)
    t0 = time.monotonic()
    result = execute_shard(cfg, 0)
    assert time.monotonic() - t0 < 30
    manifest = load_manifest(cfg.run_dir)
    expected = {u: reason for (_, _, reason), u in zip(CASES, urls, strict=False)} | dict(NON_HTTP)
    failures = pd.read_parquet(tmp_path / "run" / "download" / "failures.parquet")
    got = dict(zip(failures["item_id"], failures["reason"], strict=True))
    by_id = manifest.set_index("gbifID")["identifier"]
    assert {by_id[g]: r for g, r in got.items()} == {u: r for u, r in expected.items() if r}
    assert result.failed == len(got) and result.done == len(manifest) - len(got)

    store = open_store(tmp_path / "run" / "store")
    meta = store.metadata().set_index("gbifID")
    for row in manifest.itertuples():
        name = row.identifier.split("/img/")[-1].split("?")[0] if "/img/" in row.identifier else None
        ok = expected[row.identifier] is None
        assert bool(store.valid[row.row]) == ok
        if not ok:
            assert store.original(row.row) == b""
            continue
        data = files[name]
        assert store.original(row.row) == data
        assert meta.at[row.gbifID, "sha256"] == hashlib.sha256(data).hexdigest()
        assert meta.at[row.gbifID, "nbytes"] == len(data)
        assert store.image(row.row).shape == (36, 24, 3) and store.image(row.row).dtype == np.uint8
    # never a request for the URLs that are not http(s)
    assert srv.total == sum(srv.count(u) for u in urls if u.startswith("http"))
    assert srv.count(urls[3]) == 2 and srv.count(urls[4]) == 3  # 500 once, 503 twice: retried until served
    assert srv.count(urls[10]) == 3  # a 500 that never ends: 1 + download.retries attempts


def test_training_copy_geometry_and_exif_orientation(fault_run, tmp_path):
    srv, files, base, urls = fault_run
    execute_shard(download_cfg(base), 0)
    store = open_store(tmp_path / "run" / "store")
    meta = store.metadata()
    manifest = load_manifest(tmp_path / "run").set_index("identifier")
    plain = int(manifest.at[urls[0], "row"])
    turned = int(manifest.at[urls[2], "row"])
    # 40 x 56 (w x h) into 24 x 36: scaled by 0.6 to 24 x 34, centred with one padded row above
    assert tuple(meta.loc[plain, ["box_y0", "box_x0", "box_y1", "box_x1"]]) == (1, 0, 35, 24)
    copy = store.image(plain)
    assert copy[0].max() == 0 and copy[35].max() == 0  # the padding rows
    decoded = cv2.cvtColor(
        cv2.imdecode(np.frombuffer(files["plain.jpg"], np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB
    )
    expected = cv2.resize(decoded, (24, 34), interpolation=cv2.INTER_AREA)
    assert np.abs(copy[1:35].astype(int) - expected.astype(int)).mean() < 4
    # orientation 6 (turn 90 degrees clockwise): shown 56 wide and 40 high; the red corner moves to the top right
    assert (meta.at[turned, "orientation"], meta.at[turned, "height"], meta.at[turned, "width"]) == (
        6,
        40,
        56,
    )
    y0, x0, y1, x1 = meta.loc[turned, ["box_y0", "box_x0", "box_y1", "box_x1"]]
    pic = store.image(turned)[y0:y1, x0:x1].astype(int)
    top_right, top_left = pic[:3, -3:].mean(axis=(0, 1)), pic[:3, :3].mean(axis=(0, 1))
    assert top_right[0] > 200 and top_right[1] < 60 and top_left[0] < 200
    assert meta.at[plain, "content_type"] == "image/jpeg" and meta.at[plain, "image_format"] == "jpeg"


def test_relaunch_fetches_nothing_it_has(fault_run, tmp_path):
    srv, files, base, urls = fault_run
    cfg = download_cfg(base)
    execute_shard(cfg, 0)
    first = srv.total
    marker = tmp_path / "run" / "state" / "download" / "shards" / "shard-00000.done.json"
    marker.unlink()  # as if the job died after its last item
    again = execute_shard(cfg, 0)
    assert srv.total == first and again.done == 0
    marker.unlink()
    before = {u: srv.count(u) for u in urls}
    retry = execute_shard(download_cfg(base, "retry_failed_items=true"), 0)
    asked_again = {u for u in urls if srv.count(u) != before[u]}
    failed_http = {u for (_, _, r), u in zip(CASES, urls, strict=False) if r}
    assert retry.done == 0 and asked_again == failed_http  # only the failed rows, never a stored one


def test_report_section_counts_failures_and_draws_samples(fault_run, tmp_path):
    from herbproc.download.stage import report_section

    srv, files, base, urls = fault_run
    cfg = download_cfg(base)
    execute_shard(cfg, 0)
    assets = tmp_path / "report"
    html = report_section(cfg, assets)
    stored = sum(1 for _, _, r in CASES if r is None)
    assert f"Stored <b>{stored}</b> of {len(urls)} images" in html
    for reason in ("http_404", "decompression_bomb", "too_large", "html_page", "bad_url"):
        assert f"<td>{reason}</td>" in html
    tiles = re.findall(r"<figure><img src='(download_sample_\d+\.jpg)'", html)
    from herbproc.store import open_store

    store = open_store(cfg.run_dir + "/store")
    per_class = np.bincount(store.labels[store.valid])
    # a grid of up to 3 sheets of every class, first sheets of all classes first
    assert html.count("<div class='grid'>") == 1 and len(tiles) == sum(min(3, n) for n in per_class)
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", html)
    assert [c.split(" · ")[1] for c in captions[: len(per_class)]] == [
        str(store.gbif_ids[np.flatnonzero(store.valid & (store.labels == lab))[0]]) for lab in range(len(per_class))
    ]
    for name in tiles:
        thumb = cv2.imread(str(assets / name))
        assert thumb is not None and thumb.shape[0] == 240


def test_download_into_a_store_of_another_manifest_is_refused(fault_run, tmp_path):
    srv, files, base, urls = fault_run
    execute_shard(download_cfg(base), 0)
    other = ingest_run(tmp_path / "run", urls[:3])  # a new manifest in the same run directory
    import shutil

    shutil.rmtree(
        tmp_path / "run" / "state" / "download"
    )  # relaunched from scratch: the store is still there
    with pytest.raises(ShardError, match="made from another manifest"):
        execute_shard(download_cfg(other, "shards=1"), 0)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("download.concurrency=0", "download.concurrency"),
        ("storage.codec=gif", "storage.codec"),
        ("download.deadline_s=0", "download.deadline_s"),
        ("storage.jpeg_quality=101", "storage.jpeg_quality"),
        ("store=parquet", "store"),
    ],
)
def test_bad_download_settings(tmp_path, override, message):
    with pytest.raises(ConfigError, match=message):
        compose(["stage=download", f"run_dir={tmp_path}", override])


# --------------------------------------------------------------------------------------------- the client


def test_retry_after_and_backoff():
    assert parse_retry_after("7") == 7.0
    now = time.time()
    assert (
        29 <= parse_retry_after(time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 30)), now) <= 31
    )
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    f = Fetcher(FetchSettings(backoff_s=1.0, max_backoff_s=5.0, seed=1))
    delays = [f.backoff(a) for a in (1, 2, 3, 4, 5, 6)]
    assert 0.5 <= delays[0] <= 1.5 and 1.0 <= delays[1] <= 3.0
    assert all(d <= 7.5 for d in delays) and len({round(d, 6) for d in delays}) == 6  # capped, and jittered
    for bad in ("file:///etc/passwd", "ftp://x/y", "//no-scheme/x.jpg", "http://"):
        with pytest.raises(FetchError) as err:
            check_url(bad)
        assert err.value.reason == "bad_url"


def test_pooled_client_is_concurrent_and_paced():
    import asyncio

    with FaultServer({"x.jpg": b"\xff\xd8\xff" + b"0" * 100}, latency_s=0.2) as srv:

        async def go(settings, n):
            async with Fetcher(settings) as f:
                t0 = time.monotonic()
                await asyncio.gather(*(f.fetch(srv.url("x.jpg", k=i)) for i in range(n)))
                return time.monotonic() - t0

        wide = asyncio.run(go(FetchSettings(concurrency=20, per_host_connections=20), 20))
        assert wide < 2.5  # 20 requests of 0.2 s each: 4 s one after the other
        paced = asyncio.run(go(FetchSettings(concurrency=20, per_host_connections=20, per_host_rate=10.0), 6))
        assert paced >= 0.5  # 10 requests/s: the sixth starts 0.5 s after the first


# --------------------------------------------------------------------------------------------- decode memory


def rgba_png(side: int) -> bytes:
    """A valid 8-bit RGBA PNG of side x side pixels, all zero: a few kB, side * side * 4 bytes decoded."""
    import struct
    import zlib

    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + 4 * side)
    body = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def test_decode_memory_is_bounded_by_bytes_not_pixels():
    from herbproc.download.validate import prepare
    from herbproc.membudget import MemoryBudget

    data = rgba_png(6000)  # 36 MP: under max_pixels, yet ~0.7 GB while decoded and composited
    assert len(data) < 200_000
    budget = MemoryBudget(200_000_000)
    with pytest.raises(ItemError, match=r"6000x6000 RGBA needs ~0.68 GB to decode, over .* 0.20 GB") as err:
        prepare(data, height=36, width=24, max_pixels=250_000_000, budget=budget)
    assert err.value.reason == "decompression_bomb" and budget.used == 0
    small = prepare(rgba_png(300), height=36, width=24, budget=budget)  # 0.36 MB: decodes within the budget
    assert small.copy.shape == (36, 24, 3) and budget.used == 0


def test_decode_threads_share_the_memory_budget():
    import threading

    from herbproc.membudget import MemoryBudget

    budget = MemoryBudget(100)
    peak, lock = [], threading.Lock()

    def decode():
        with budget.hold(60):
            with lock:
                peak.append(budget.used)
            time.sleep(0.05)

    threads = [threading.Thread(target=decode) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert peak == [60] * 4 and budget.used == 0  # one 60-byte decode at a time in a 100-byte budget


# --------------------------------------------------------------------------------------------- client hardening


def fetch_one(url: str, handler=None, **settings):
    import asyncio

    import httpx

    async def go():
        transport = httpx.MockTransport(handler) if handler else None
        async with Fetcher(FetchSettings(seed=0, **settings), transport=transport) as f:
            return await f.fetch(url)

    return asyncio.run(go())


def test_redirects_to_local_addresses_are_refused_unless_the_url_was_local():
    import httpx

    jpeg = b"\xff\xd8\xff" + b"0" * 50
    targets = {
        "metadata": "http://169.254.169.254/latest/meta-data/iam/",
        "loopback": "http://127.0.0.1:8080/admin",
        "named": "http://localhost/secret",
        "v6": "http://[::1]/x",
        "public": "http://93.184.216.34/fine.jpg",
    }

    def handler(request):
        name = request.url.path.strip("/")
        if request.url.host == "images.example.org" and name in targets:
            return httpx.Response(302, headers={"Location": targets[name]})
        return httpx.Response(200, content=jpeg, headers={"Content-Type": "image/jpeg"})

    for name in ("metadata", "loopback", "named", "v6"):
        with pytest.raises(FetchError, match="redirects to a local address") as err:
            fetch_one(f"http://images.example.org/{name}", handler)
        assert err.value.reason == "unsafe_redirect"
    assert fetch_one("http://images.example.org/public", handler).content == jpeg
    with FaultServer({"a.jpg": jpeg}) as srv:  # a local server may redirect locally
        local = srv.url("x.jpg", fault="redirect", to=srv.url("a.jpg"))
        assert fetch_one(local).content == jpeg


def test_a_timeout_of_python_3_10_is_caught(monkeypatch):
    import asyncio

    class OldTimeoutError(Exception):  # asyncio.TimeoutError is not the builtin TimeoutError before 3.11
        pass

    async def times_out(aw, timeout):
        aw.close()
        raise OldTimeoutError

    monkeypatch.setattr(asyncio, "TimeoutError", OldTimeoutError)
    monkeypatch.setattr(asyncio, "wait_for", times_out)
    with pytest.raises(FetchError, match="transfer took longer") as err:
        fetch_one("http://images.example.org/a.jpg", lambda r: None, retries=0)
    assert err.value.reason == "too_slow"


def test_a_trickling_server_costs_at_most_item_deadline_s():
    with FaultServer({"r.jpg": make_image(40, 56)}) as srv:
        url = srv.url("r.jpg", fault="trickle", rate=8)
        t0 = time.monotonic()
        with pytest.raises(FetchError, match=r"gave up after \d attempts .*download.item_deadline_s=0.7") as err:
            fetch_one(url, deadline_s=0.4, retries=5, backoff_s=0.01, item_deadline_s=0.7)
        assert err.value.reason == "too_slow" and time.monotonic() - t0 < 1.2  # not 6 x 0.4 s


def test_block_size_leaves_every_shard_of_a_small_run_a_block():
    from herbproc.download.stage import block_size

    assert block_size(256, 165, 2) == 83  # two blocks: 83 + 82 rows
    assert block_size(256, 1_000_000, 100) == 256  # a real size keeps the configured block
    assert block_size(4, 10, 2) == 4
    assert block_size(256, 7, 3) == 3
    assert block_size(256, 0, 2) == 1 and block_size(256, 5, 0) == 5


def test_both_shards_of_a_small_download_have_rows_to_fetch(tmp_path):
    files = {f"s{k}.jpg": make_image(40, 56, seed=k) for k in range(10)}
    with FaultServer(files) as srv:
        base = ingest_run(tmp_path / "run", [srv.url(name) for name in files])
        cfg = download_cfg(base, "shards=2", "storage.zarr_shard_images=256")
        done = [execute_shard(cfg, i).done for i in range(2)]
    store = open_store(tmp_path / "run" / "store")
    assert store.block == 5 and done == [5, 5]
    assert bool(np.asarray(store.valid).all())


def test_each_block_is_written_once_whatever_the_batch_and_after_a_kill(tmp_path, monkeypatch):
    from herbproc.store.zarr_backend import ZarrBackend

    files = {f"k{k}.jpg": make_image(40, 56, seed=k) for k in range(10)}
    writes = []
    real = ZarrBackend.write_block

    def counted(self, family, block, rows, values):
        if family == "core":  # not the store's creation ("init")
            writes.append((family, block, [int(r) for r in rows]))
        return real(self, family, block, rows, values)

    monkeypatch.setattr(ZarrBackend, "write_block", counted)
    with FaultServer(files) as srv:
        base = ingest_run(tmp_path / "run", [srv.url(name) for name in files])
        cfg = download_cfg(base, "download.batch_size=3")  # batches of 3, blocks of 4
        assert execute_shard(cfg, 0).done == 10
        assert writes == [("core", 0, [0, 1, 2, 3]), ("core", 1, [4, 5, 6, 7]), ("core", 2, [8, 9])]

        # as if the job had been killed while rows 4-6 were in flight: blocks 1 and 2 not written, and the
        # journal holds rows 0-3 done and rows 4-6 in flight
        store = open_store(tmp_path / "run" / "store", writable=True)
        with store.writer("core") as w:
            for row in range(4, 10):
                w.put(row, valid=0)
        manifest = load_manifest(tmp_path / "run", columns=["row", "gbifID"]).sort_values("row")
        ids = [str(g) for g in manifest["gbifID"]]
        journal = RunPaths(tmp_path / "run").journal("download", 0)
        kept = [e for e in map(json.loads, journal.read_text().splitlines()) if e["id"] in ids[:4]]
        inflight = [{"id": i, "status": "inflight", "time": 1.0} for i in ids[4:7]]
        journal.write_text("".join(json.dumps(e) + "\n" for e in kept + inflight))
        RunPaths(tmp_path / "run").marker("download", 0).unlink()
        writes.clear()
        again = execute_shard(cfg, 0)  # rows 4-6 fetched one by one, then 7, then 8-9
    assert again.done == 6 and again.skipped == 4
    assert writes == [("core", 1, [4, 5, 6, 7]), ("core", 2, [8, 9])]  # not once per batch, nor per row
    assert bool(np.asarray(open_store(tmp_path / "run" / "store").valid).all())
