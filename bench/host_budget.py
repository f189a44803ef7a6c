#!/usr/bin/env python
"""What the array-wide host budget costs per request: the bookkeeping of one request (take a connection slot,
reserve a start time, give the slot back) through the locked host file under the run directory, against the
per-task bookkeeping it adds to (an asyncio semaphore and the in-memory pacing of ``herbproc.fetch.client``).
No network, no sleeping (no pacing): only the bookkeeping. With ``--tasks N``, N processes do it at once on the
same host file (they contend for its lock).

    python bench/host_budget.py [--n 20000] [--tasks 4] [--dir DIR]   # DIR: put the host file on NFS/Lustre
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from herbproc.fetch.budget import HostBudget  # noqa: E402
from herbproc.fetch.client import _Host  # noqa: E402


def shared_us(directory: str, n: int) -> float:
    host = HostBudget.open(Path(directory), connections_total=32, rate_total=0.0).host(
        "images.example.org:443"
    )
    t0 = time.perf_counter()
    for _ in range(n):
        slot = host.try_slot()
        host.reserve(time.time())
        host.release(slot)
    return (time.perf_counter() - t0) / n * 1e6


def per_task_us(n: int) -> float:
    async def go() -> float:
        host = _Host(asyncio.Semaphore(16), 0.0)
        t0 = time.perf_counter()
        for _ in range(n):
            await host.turn()
            async with host.slots:
                pass
        return (time.perf_counter() - t0) / n * 1e6

    return asyncio.run(go())


def _worker(directory: str, n: int, out) -> None:
    out.put(shared_us(directory, n))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000, help="requests' bookkeeping per task")
    ap.add_argument("--tasks", type=int, default=4, help="processes sharing the host file in the second run")
    ap.add_argument("--dir", type=Path, default=None, help="where the host files go (default: a temp folder)")
    args = ap.parse_args()
    print(f"# {platform.node()} {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, n={args.n}")
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        base = per_task_us(args.n)
        one = shared_us(tmp, args.n)
        q: mp.Queue = mp.Queue()
        procs = [mp.Process(target=_worker, args=(tmp, args.n, q)) for _ in range(args.tasks)]
        for p in procs:
            p.start()
        many = [q.get() for _ in procs]
        for p in procs:
            p.join()
    mean_many = sum(many) / len(many)
    rows = [
        ("per-task bookkeeping (semaphore + in-memory pacing)", base, ""),
        ("array-wide budget, 1 task", one, f" ({one / base:.1f}x)"),
        (
            f"array-wide budget, {args.tasks} tasks at once",
            mean_many,
            f" ({mean_many / base:.1f}x); {args.tasks * 1e6 / mean_many:,.0f} requests/s for the array in all",
        ),
    ]
    for label, us, note in rows:
        print(f"{label:<52} {us:8.2f} us per request{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
