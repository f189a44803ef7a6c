"""What starting the loader's workers costs: herbproc's fork server (``herbproc.training.data.loader``) against
spawned workers and against plain fork (torch's default on Linux, which can hang a trainer that runs threads), in
one run. Each way runs in a fresh process that has imported what a trainer has; it times the first batch (the
workers' start included) and reads each worker's memory at that point from ``/proc/<pid>/smaps_rollup``.

    python bench/loader_workers.py                 # 4 workers
    python bench/loader_workers.py --workers 8

Prints one line per way and the ratios fork server / spawn.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import torch
from torch.utils.data import DataLoader

from herbproc.training import data  # the trainer's dataset module, which every real worker imports

REPO = Path(__file__).resolve().parents[1]
WAYS = ("forkserver", "spawn", "fork")


class Rows:
    """A dataset whose items are small tensors: the workers' own cost is what is measured."""

    def __len__(self) -> int:
        return 1 << 20

    def __getitem__(self, index: int) -> torch.Tensor:
        return torch.full((3, 8, 8), index % 255, dtype=torch.uint8)


def memory_mb(pid: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("Pss", "Private_Clean", "Private_Dirty"):
            out[key] = int(value.split()[0]) / 1024
    return {"pss": out["Pss"], "private": out["Private_Clean"] + out["Private_Dirty"]}


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for child in children(todo.pop()):
            out.append(child)
            todo.append(child)
    return out


def one_way(way: str, workers: int) -> dict:
    batches = [list(range(i * 4, i * 4 + 4)) for i in range(workers * 4)]
    t0 = time.perf_counter()
    if way == "forkserver":
        feed = data.loader(Rows(), batches, workers, pin=False, persistent=True)
    else:
        feed = DataLoader(
            Rows(), batch_sampler=batches, num_workers=workers, persistent_workers=True, multiprocessing_context=way
        )
    it = iter(feed)
    next(it)
    first = time.perf_counter() - t0
    for _ in it:
        pass
    pids = [p for p in descendants(os.getpid()) if "pt_data_worker" in Path(f"/proc/{p}/comm").read_text()]
    if not pids:  # older torch leaves the process name alone: every descendant but the server and the tracker
        pids = [p for p in descendants(os.getpid()) if b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes()]
    mem = [memory_mb(p) for p in pids]
    others = [memory_mb(p) for p in descendants(os.getpid()) if p not in pids]
    return {
        "way": way,
        "first_batch_s": first,
        "workers": len(pids),
        "private_mb_per_worker": sum(m["private"] for m in mem) / max(1, len(mem)),
        "pss_mb_all": sum(m["pss"] for m in mem + others),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--way", choices=WAYS, help=argparse.SUPPRESS)  # one way, in a fresh process
    args = ap.parse_args()
    if args.workers < 1:
        sys.exit("loader_workers: --workers must be at least 1")
    if args.way:
        print(json.dumps(one_way(args.way, args.workers)))
        return
    print(f"# {platform.node()}, {os.cpu_count()} CPUs, python {platform.python_version()}, {args.workers} workers")
    results = {}
    for way in WAYS:
        proc = subprocess.run(
            [sys.executable, __file__, "--way", way, "--workers", str(args.workers)],
            capture_output=True, text=True, cwd=REPO, timeout=600,
        )  # fmt: skip
        if proc.returncode != 0:
            sys.exit(f"loader_workers: {way} failed: {proc.stderr.strip().splitlines()[-1:]}")
        r = results[way] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"{way:<10} first batch {r['first_batch_s']:6.2f} s   {r['workers']} workers, "
            f"{r['private_mb_per_worker']:6.1f} MB private each, {r['pss_mb_all']:7.1f} MB PSS with the server"
        )
    fs, sp = results["forkserver"], results["spawn"]
    print(
        f"fork server / spawn: first batch x{fs['first_batch_s'] / sp['first_batch_s']:.2f}, "
        f"private memory per worker x{fs['private_mb_per_worker'] / sp['private_mb_per_worker']:.3f}, "
        f"PSS x{fs['pss_mb_all'] / sp['pss_mb_all']:.2f}"
    )


if __name__ == "__main__":
    main()
