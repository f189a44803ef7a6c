#!/usr/bin/env python
"""Download benchmark: one download shard against a local server that answers every request after 100 ms,
side by side with the seed's way (the headline) and a sequential loop.

The server (tests/faultserver.py, in its own process) serves copies of real sheets (../shared/fixtures/real_sheets
or --images DIR). The shard does everything stage=download does: pooled concurrent requests, verification and
decoding, the training copy, the store writes and the journal. The seed's way (``requests`` in a multiprocessing
pool, ../shared/reference/seed-and-ielt.md): ``multiprocessing.Pool()`` (its default size, ``os.cpu_count()``
processes, or --seed-processes), each worker ``requests.get(url)`` and writes the bytes to a file; no verification,
no decoding, no training copy. The sequential loop only fetches and saves the bytes, one at a time.

    python bench/download.py [--n 240] [--n-seed 120] [--latency-ms 100] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import httpx  # noqa: E402
from gbif_archive import ingest_run  # noqa: E402

from herbproc.config import compose  # noqa: E402
from herbproc.shard import execute_shard  # noqa: E402
from herbproc.store import open_store  # noqa: E402


def start_server(root: Path, latency_ms: float) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "tests" / "faultserver.py"),
            "--root",
            str(root),
            "--latency-ms",
            str(latency_ms),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    url = proc.stdout.readline().strip()
    if not url.startswith("http"):
        proc.kill()
        sys.exit("the benchmark server did not start")
    return proc, url


def sequential(urls: list[str], out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with httpx.Client(timeout=30) as client:
        for i, url in enumerate(urls):
            r = client.get(url)
            r.raise_for_status()
            (out / f"{i}.jpg").write_bytes(r.content)
    return len(urls) / (time.perf_counter() - t0)


def _seed_get(job: tuple[str, str]) -> int:
    """One worker's task in the seed's pool: GET with requests, write the file."""
    import requests

    url, path = job
    r = requests.get(url, timeout=30)
    r.raise_for_status()
    with open(path, "wb") as f:
        f.write(r.content)
    return len(r.content)


def seed_pool(urls: list[str], out: Path, processes: int | None) -> float:
    """The seed's way: a multiprocessing pool of per-image requests (pool start-up included, as in the seed)."""
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(url, str(out / f"{i}.jpg")) for i, url in enumerate(urls)]
    t0 = time.perf_counter()
    with multiprocessing.Pool(processes) as pool:
        pool.map(_seed_get, jobs)
    return len(urls) / (time.perf_counter() - t0)


def fetch_only(urls: list[str], concurrency: int) -> tuple[float, float]:
    """The shard's client alone (no verification, decoding or store): images/s and CPU ms per image."""
    import asyncio

    from herbproc.fetch.client import Fetcher, FetchSettings

    async def go():
        async with Fetcher(FetchSettings(concurrency=concurrency, per_host_connections=concurrency)) as f:
            await asyncio.gather(*(f.fetch(u) for u in urls))

    t0, cpu0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    asyncio.run(go())
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime
    return len(urls) / (time.perf_counter() - t0), 1e3 * cpu / len(urls)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=Path, default=REPO.parent / "shared" / "fixtures" / "real_sheets")
    ap.add_argument("--n", type=int, default=240, help="images the shard downloads")
    ap.add_argument("--n-loop", type=int, default=60, help="images the sequential loop downloads")
    ap.add_argument("--n-seed", type=int, default=120, help="images the seed's process pool downloads")
    ap.add_argument("--seed-processes", type=int, default=None,
                    help="size of the seed's pool (default: multiprocessing.Pool()'s, os.cpu_count())")  # fmt: skip
    ap.add_argument("--latency-ms", type=float, default=100.0)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--store", default="zarr")
    args = ap.parse_args()
    files = sorted(p for p in args.images.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    if not files:
        sys.exit(f"no images in {args.images}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        served = tmp / "served"
        served.mkdir()
        for i in range(args.n):
            shutil.copy(files[i % len(files)], served / f"{i:05d}.jpg")
        mb = sum(f.stat().st_size for f in served.iterdir()) / 1e6
        server, base_url = start_server(served, args.latency_ms)
        try:
            urls = [f"{base_url}/img/{i:05d}.jpg" for i in range(args.n)]
            base = ingest_run(tmp / "run", urls, classes=4)
            cfg = compose(
                ["stage=download", *base, f"store={args.store}", f"download.concurrency={args.concurrency}",
                 f"download.per_host_connections={args.concurrency}", "progress_interval_s=3600",
                 # one shard against one local server: the array-wide host budget would be the bottleneck
                 f"download.host_connections_total={args.concurrency}", "download.host_rate_total=0"]
            )  # fmt: skip
            print(
                f"# {platform.node()} {platform.machine()} {os.cpu_count()} CPUs, load average "
                f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, {datetime.date.today()}"
            )
            print(
                f"# {args.n} sheets ({mb / args.n * 1e3:.0f} kB each) from {args.images}, server latency {args.latency_ms:g} ms"
            )
            t0, cpu0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
            result = execute_shard(cfg, 0)
            shard_rate = result.done / (time.perf_counter() - t0)
            cpu1 = resource.getrusage(resource.RUSAGE_SELF)
            cpu_ms = (
                1e3 * (cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime) / max(result.done, 1)
            )
            stored = int(open_store(tmp / "run" / "store").valid.sum())
            processes = args.seed_processes or os.cpu_count() or 1
            seed_rate = seed_pool(urls[: args.n_seed], tmp / "seed", processes)
            loop_rate = sequential(urls[: args.n_loop], tmp / "loop")
            client_rate, client_ms = fetch_only(urls, args.concurrency)
        finally:
            server.kill()
            server.wait()
    print(
        f"one download shard (concurrency {args.concurrency}, verify + decode + store): {shard_rate:7.1f} images/s ({stored}/{args.n} stored, {cpu_ms:.1f} ms CPU per image)"
    )
    print(
        f"the seed's way (Pool({processes}), requests.get + save, {args.n_seed} images): {seed_rate:7.1f} images/s"
    )
    print(f"sequential loop (GET + save, {args.n_loop} images):                   {loop_rate:7.1f} images/s")
    print(
        f"the shard's HTTP client alone (no decode, no store):           {client_rate:7.1f} images/s ({client_ms:.1f} ms CPU per image)"
    )
    print(f"ratio shard / seed's pool: {shard_rate / seed_rate:.1f}x (the headline); client alone / seed's pool: "
          f"{client_rate / seed_rate:.1f}x")  # fmt: skip
    print(
        f"ratio shard / loop: {shard_rate / loop_rate:.1f}x; client alone / loop: {client_rate / loop_rate:.1f}x"
    )
    print(f"cores the shard needs to keep up with its connections: {client_rate * cpu_ms / 1e3:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
