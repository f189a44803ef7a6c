#!/usr/bin/env python
"""The field confidences as probabilities (``herbproc.fields.calibration``): fit the table, check it holds.

Both read the JSON that ``bench/aocr.py --json`` writes (each sheet's truth, values and ``field_confidences``).

``fit`` takes sets read with the rules' own confidences (``--ocr field_calibration=off``) and writes the table.
Per term, it gives the share of values right (by code: ``herbproc.fields.score``) at each raw confidence, and
within that per bin of the line's reading confidence (``--line-edges``). Each share is shrunk towards the
coarser one where few were seen.

The packaged table was fitted on every set the rules were tuned on, as read and as thumbnails
(``bench/thumbnails.py``):
- the herb and lichen ``dev`` and ``test_a`` halves of ``bench/aocr_other.py``;
- the fixtures' aocr, real and more sets.
So the held-out ``test_b`` halves check it:

    for c in aocr70 lichens; do for s in dev test_a; do
      python bench/thumbnails.py /data/$c/$s /data/thumbs/$c/$s
      for d in /data/$c/$s /data/thumbs/$c/$s; do
        python bench/aocr.py --set aocr --aocr-folder $d --ocr field_calibration=off --json /tmp/fit_$(echo $d | tr / _).json
      done
    done; done
    python bench/thumbnails.py ../shared/fixtures/aocr_gold /data/thumbs/aocr_gold
    python bench/aocr.py --set aocr --aocr-folder /data/thumbs/aocr_gold --ocr field_calibration=off --json /tmp/fit_t.json
    python bench/aocr.py --set all --ocr field_calibration=off --json /tmp/fit_fixtures.json
    python bench/fieldcal.py fit /tmp/fit_*.json

The name a label gives when no taxonomy is given (``herbproc ocr`` without ``--names``) is fitted from the same
sets read again with ``bench/aocr.py --no-names --ocr field_calibration=off``, their JSONs given to ``fit`` with
the others. Only ``scientificName`` is taken from those sets (its parts share its share); their other fields are
already in the sets read with a taxonomy.

``fit --word-shifts-only`` keeps a table's shares (``--shares-from``, default: the packaged one) and fits only the
log-odds shift of a free-text value with an unknown word (``herbproc.fields.lexicon``), on the same sets read with
the calibration off:

    python bench/fieldcal.py fit /tmp/fit_*.json --word-shifts-only

``report`` takes sets read with the calibration on (the default) and prints, per bin of confidence, how many
values given there were right beside their mean confidence: pooled over the terms (with the calibration error:
the bins' gaps between right share and mean confidence, weighted by their values, and the Brier score: the
mean squared gap between each confidence and 1 if right else 0, which also rewards telling right from wrong),
then term by term. It reads sets made with ``field_calibration=off`` as well, to compare.

    python bench/aocr.py --set aocr --json /tmp/aocr.json && python bench/fieldcal.py report /tmp/aocr.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from herbproc.fields.calibration import LINE_EDGES, TABLE, WORD_TERMS, fit, fit_word_shifts, load  # noqa: E402
from herbproc.fields.lexicon import has_unknown_word  # noqa: E402
from herbproc.fields.score import judge, row_countries  # noqa: E402

BINS = (0.0, 0.5, 0.7, 0.9, 1.0)


Sample = tuple[str, float, bool, float | None, bool]


def samples(paths: list[Path], want_raw: bool) -> list[Sample]:
    """(term, confidence, right?, its line's reading confidence or None, a free-text value with an unknown word?)
    of every scored value given in the sets at ``paths``; ValueError in one line when a file is not
    ``bench/aocr.py``'s JSON or was read with the wrong calibration for the command."""
    out = []
    for path in paths:
        try:
            sets = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ValueError(f"{path}: not bench/aocr.py's JSON ({e.__class__.__name__})") from None
        if not isinstance(sets, list) or not all(isinstance(s, dict) and "per_sheet" in s for s in sets):
            raise ValueError(f"{path}: not bench/aocr.py's JSON (a list of sets with their per_sheet rows)")
        for s in sets:
            setting = s.get("field_calibration")
            if want_raw and setting not in (False, "off"):
                raise ValueError(
                    f"{path}: read with field_calibration={setting!r}; fit needs --ocr field_calibration=off"
                )
            # a set read without a taxonomy (bench/aocr.py --no-names) gives only the name the rules read: its
            # other fields come from the same sheets read with a taxonomy, as runs read them
            only = {"scientificName"} if s.get("taxonomy") is False else None
            for x in s["per_sheet"]:
                truth, predicted = x.get("truth"), x.get("predicted")
                confidences = x.get("field_confidences")
                if (
                    not isinstance(confidences, dict)
                    or not isinstance(truth, dict)
                    or not isinstance(predicted, dict)
                ):
                    raise ValueError(
                        f"{path}: sheet {x.get('image')!r} has no truth, values and field_confidences"
                    )
                countries = row_countries(truth, predicted)
                on_lines = x.get("field_line_confidences") or {}
                for term, confidence in confidences.items():
                    if only is not None and term not in only:
                        continue
                    verdict = judge(term, truth.get(term, ""), predicted.get(term, ""), True, countries)
                    value = predicted.get(term, "")
                    if verdict is not None and value.strip():
                        line = on_lines.get(term)
                        out.append(
                            (
                                term,
                                float(confidence),
                                verdict == "right",
                                None if line is None else float(line),
                                term in WORD_TERMS and has_unknown_word(value),
                            )
                        )
    return out


def table(given: list[tuple[float, bool]]) -> list[tuple[str, int, int, float | None]]:
    """(bin, given, right, mean confidence) per bin of ``BINS`` (the last one closed)."""
    rows = []
    for low, high in itertools.pairwise(BINS):
        inside = [(c, ok) for c, ok in given if low <= c < high or c == high == BINS[-1]]
        mean = sum(c for c, _ in inside) / len(inside) if inside else None
        rows.append((f"{low:.1f}–{high:.1f}", len(inside), sum(ok for _, ok in inside), mean))
    return rows


def edges(text: str) -> tuple[float, ...]:
    """``--line-edges``: rising numbers from 0 to 1, comma-separated ("" for none)."""
    try:
        out = tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not numbers separated by commas") from None
    if any(not 0.0 < e < 1.0 for e in out) or list(out) != sorted(set(out)):
        raise argparse.ArgumentTypeError(f"{text!r}: the edges must rise, each between 0 and 1")
    return out


def calibration_error(rows: list[tuple[str, int, int, float | None]]) -> float:
    """The bins' gaps between their right share and their mean confidence, weighted by the values in each."""
    given = sum(n for _, n, _, _ in rows)
    return sum(abs(r / n - m) * n for _, n, r, m in rows if n and m is not None) / given if given else 0.0


def format_rows(rows: list[tuple[str, int, int, float | None]]) -> str:
    return "; ".join(
        f"{b}: {r}/{n}" + (f" (mean {m:.2f})" if m is not None else "") for b, n, r, m in rows if n
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fit", help="fit the table on sets read with --ocr field_calibration=off")
    f.add_argument("json", type=Path, nargs="+")
    f.add_argument("--out", type=Path, default=TABLE, help="where the table goes (default: the packaged one)")
    f.add_argument(
        "--fitted-on", default="", help="what the sets are, for the table's fitted_on (default: their names)"
    )
    f.add_argument(
        "--word-shifts-only",
        action="store_true",
        help="keep the shares of the --shares-from table and fit only its unknown-word shifts",
    )
    f.add_argument(
        "--shares-from",
        type=Path,
        default=TABLE,
        metavar="TABLE",
        help="with --word-shifts-only: the table whose shares are kept (default: the packaged one)",
    )
    f.add_argument(
        "--line-edges",
        type=edges,
        default=LINE_EDGES,
        help=f"bins of the line's reading confidence, comma-separated ('' for none; default {LINE_EDGES})",
    )
    r = sub.add_parser("report", help="how the confidences hold on sets read with the calibration on")
    r.add_argument("json", type=Path, nargs="+")
    args = p.parse_args(argv)
    try:
        found = samples(args.json, want_raw=args.command == "fit")
    except ValueError as e:
        print(f"fieldcal: {e}", file=sys.stderr)
        return 2
    if not found:
        print("fieldcal: no scored value with a confidence in these sets", file=sys.stderr)
        return 2
    if args.command == "fit":
        names = args.fitted_on or ", ".join(
            s["set"] for path in args.json for s in json.loads(path.read_text("utf-8"))
        )
        if args.word_shifts_only:
            try:
                kept = load(str(args.shares_from))
            except ValueError as e:
                print(f"fieldcal: {e}", file=sys.stderr)
                return 2
            cal = fit_word_shifts(kept, found)
            words = sum(1 for t, *_, flagged in found if flagged)
            cal = replace(cal, fitted_on=f"{kept.fitted_on}; word shifts: {names} ({words} values with one)")
        else:
            cal = fit(found, fitted_on=f"{names} ({len(found)} values)", line_edges=args.line_edges)
        args.out.write_text(json.dumps(cal.to_json(), indent=1) + "\n", encoding="utf-8")
        for term, share in cal.overall.items():
            print(
                f"{term:14s} overall {share:.3f}  "
                + "  ".join(f"{c:.2f}→{q:.2f}" for c, q in cal.shares[term].items())
            )
        for term, shift in cal.word_shifts.items():
            print(f"{term:14s} with an unknown word: log-odds {shift:+.2f}")
        print(f"written to {args.out}")
        return 0
    pooled = table([(c, ok) for _, c, ok, *_ in found])
    brier = sum((c - ok) ** 2 for _, c, ok, *_ in found) / len(found)
    print(
        f"all terms: {format_rows(pooled)}; calibration error {calibration_error(pooled):.3f}; Brier {brier:.4f}"
    )
    for term in dict.fromkeys(t for t, *_ in found):
        print(f"  {term:14s} {format_rows(table([(c, ok) for t, c, ok, *_ in found if t == term]))}")
        if term in WORD_TERMS:
            for flagged, says in ((True, "with an unknown word"), (False, "without")):
                rows = table([(c, ok) for t, c, ok, _, f in found if t == term and f is flagged])
                print(f"    {says}: {format_rows(rows) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
