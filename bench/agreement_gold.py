#!/usr/bin/env python
"""How good a curator's worklist ``ocr/disagreements.csv`` is, measured on real sheets with gold transcriptions:
each sheet's gold value stands for the record's own and is compared with the value read
(``herbproc.ocr.agreement.agrees``, as the OCR finalize compares them), and each reading is judged right or wrong
against the same gold (``herbproc.fields.score.judge``, places by ISO code). A good worklist flags the misreadings
and never a right reading.

Reads the per-sheet JSON that ``bench/aocr.py --json`` writes (several files: several sets), e.g.

    python bench/aocr.py --set aocr --json /tmp/aocr.json
    python bench/agreement_gold.py /tmp/aocr.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from herbproc.fields.score import UNREADABLE, judge  # noqa: E402
from herbproc.ocr.agreement import TERMS, agrees  # noqa: E402

KINDS = ("right, agrees", "wrong, flagged", "wrong, agrees", "right, flagged")


def tally(sheets: list[dict]) -> dict[str, Counter]:
    """Per term: readings right or wrong against the gold, and agreeing with it or flagged. A gold value with
    alternatives (``A | B``: the label's name and a slip's) is one record per alternative: the reading agrees
    with the record when it agrees with any."""
    counts: dict[str, Counter] = {t: Counter() for t in TERMS}
    for sheet in sheets:
        truth, read = sheet.get("truth") or {}, sheet.get("predicted") or {}
        for term in TERMS:
            gold, value = str(truth.get(term) or ""), str(read.get(term) or "")
            if not gold.strip() or not value.strip() or gold.strip() == UNREADABLE:
                continue  # the finalize compares only where both the record and the reading have a value
            right = judge(term, gold, value, by_code=True) == "right"
            records = [g.strip() for g in gold.split(" | ")] if term == "scientificName" else [gold]
            agreed = any(agrees(term, record, value) for record in records)
            counts[term][_kind(right, agreed)] += 1
    return counts


def _kind(right: bool, agreed: bool) -> str:
    return {
        (True, True): KINDS[0],
        (False, False): KINDS[1],
        (False, True): KINDS[2],
        (True, False): KINDS[3],
    }[(right, agreed)]


def sheets_of(paths: list[Path]) -> list[dict]:
    """Every sheet of ``bench/aocr.py --json`` files; SystemExit with one line for a file that is not one."""
    sheets = []
    for path in paths:
        try:
            runs = json.loads(path.read_text(encoding="utf-8"))
            sheets += [s for run in runs for s in run["per_sheet"]]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as e:
            raise SystemExit(
                f"error: {path}: not the JSON of bench/aocr.py --json ({type(e).__name__}: {e})"
            ) from None
    if not sheets:
        raise SystemExit("error: no sheet in " + ", ".join(map(str, paths)))
    return sheets


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("results", nargs="+", type=Path, help="bench/aocr.py --json files")
    args = p.parse_args(argv)
    sheets = sheets_of(args.results)
    counts = tally(sheets)
    print(f"{len(sheets)} sheets; the gold as the records' own values")
    print(f"| term | compared | {' | '.join(KINDS)} |")
    print("|---|---:|" + "---:|" * len(KINDS))
    total: Counter = Counter()
    for term in TERMS:
        c = counts[term]
        total.update(c)
        print(f"| {term} | {sum(c.values())} | " + " | ".join(str(c[k]) for k in KINDS) + " |")
    print(f"| all | {sum(total.values())} | " + " | ".join(str(total[k]) for k in KINDS) + " |")
    wrong = total[KINDS[1]] + total[KINDS[2]]
    flagged = total[KINDS[1]] + total[KINDS[3]]
    print(
        f"misreadings flagged: {total[KINDS[1]]}/{wrong}; flags that are misreadings: {total[KINDS[1]]}/{flagged}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
