#!/usr/bin/env python
"""The OCR finalize's comparison with the records' own values (``herbproc.ocr.agreement``) at a download's size:
shards of made-up records whose values repeat as a herbarium's do (50 states, 400 counties, 2,000 collectors,
5,000 dates; every locality and catalogue number its own), read back with one value in ten changed. Times
``Agreement.add`` per record, and the same comparisons uncached (``agreement.agrees`` alone) on the first shard,
side by side.

    python bench/agreement.py --records 200000 --shard 5000
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from herbproc.ocr import agreement  # noqa: E402

STATES = ["Massachusetts", "Maine", "Vermont", "New York", "Connecticut", "Ohio", "Texas", "Florida", "Georgia",
          "Alabama"] * 5  # fmt: skip


def other(term: str, value: str, rng: random.Random) -> str:
    """Another value of ``term`` than ``value``: what a misreading or a record's slip gives."""
    if term == "eventDate":
        return f"{int(value[:4]) - 1}{value[4:]}"
    if term == "locality":
        return f"Bridge {rng.randrange(99)} over the river"
    if term == "countryCode":
        return "CA"
    if term == "scientificName":
        return value.replace("Carex", "Salix")
    return f"{value[:-2]}zq" if len(value) > 4 else f"{value}9"


def shard(rng: random.Random, start: int, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the values read, the records' own) of ``n`` made-up records from ``start``."""
    people = [f"{chr(65 + i % 26)}. {chr(65 + i // 26 % 26)}. Name{i}" for i in range(2000)]
    records, read = [], []
    for i in range(start, start + n):
        own = {
            "gbifID": str(i),
            "scientificName": f"Carex {''.join(rng.choice('aeilnorstu') for _ in range(7))} L.",
            "recordedBy": rng.choice(people),
            "recordNumber": str(rng.randrange(1, 20000)),
            "eventDate": f"{rng.randrange(1850, 2020)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            "countryCode": "US",
            "stateProvince": rng.choice(STATES),
            "county": f"County{rng.randrange(400)}",
            "locality": f"{rng.randrange(1, 30)} mi N of Town{rng.randrange(5000)}, along road {i}",
            "catalogNumber": f"GH{i:08d}",
        }
        seen = {k: (v if rng.random() > 0.1 else other(k, v, rng)) for k, v in own.items() if k != "gbifID"}
        records.append(own)
        read.append({"gbifID": str(i), **seen, **{f"{k}_confidence": 0.9 for k in seen}})
    return pd.DataFrame(read), pd.DataFrame(records)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--records", type=int, default=100_000)
    p.add_argument("--shard", type=int, default=5_000)
    args = p.parse_args(argv)
    if args.records < 1 or args.shard < 1:
        p.error("--records and --shard must be at least 1")
    rng = random.Random(0)
    tally = agreement.Agreement(csv.writer(io.StringIO()))
    first = None
    seconds = 0.0
    for start in range(0, args.records, args.shard):
        read, own = shard(rng, start, min(args.shard, args.records - start))
        first = first or (read, own)
        t = time.perf_counter()
        tally.add(read, own)
        seconds += time.perf_counter() - t
    cached = agreement._agrees_again
    agreement._agrees_again = agreement.agrees  # the comparisons themselves, nothing remembered
    plain = agreement.Agreement(csv.writer(io.StringIO()))
    t = time.perf_counter()
    plain.add(*first)  # type: ignore[misc]
    uncached = (time.perf_counter() - t) / len(first[0])  # type: ignore[index]
    agreement._agrees_again = cached
    per = seconds / args.records
    print(f"{args.records} records in shards of {args.shard}: {seconds:.1f} s, {per * 1e6:.0f} us per record "
          f"(uncached {uncached * 1e6:.0f} us, {uncached / per:.1f}x); a million: {per * 1e6:.0f} s")  # fmt: skip
    print({t: c["rate"] for t, c in tally.summary().items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
