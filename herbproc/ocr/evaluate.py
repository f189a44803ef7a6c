"""How well the OCR stage reads, against the synthetic world's ground truth (``<run_dir>/synth/truth/*.json``).

- **CER per line**: each truth line of a label, barcode or slip is matched to the OCR line that covers most of
  it; an OCR line covering several truth lines (a row the detector joined) is compared with them joined by a
  space. Edits (Levenshtein) over reference characters; a truth line no OCR line covers counts as all wrong.
- **Field accuracy**: for each Darwin Core term the label shows (``truth["label_fields"]``), whether the value
  read equals the record's (case, accents, spacing and punctuation ignored; taxa compared by canonical name),
  and the mean string similarity (rapidfuzz ratio, like hespi's "field similarity").
- **Taxon accuracy** with and without the classifier prior, and ``simulated_prior`` for measuring the gain before
  a classifier exists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from herbproc.fields import parse_name
from herbproc.fields.text import fold

TRUTH_KINDS = {"label": "label", "annotation": "label", "barcode": "barcode", "stamp": "stamp"}
TAXON_TERMS = {"scientificName", "genus", "specificEpithet", "infraspecificEpithet"}
_NON_WORD = re.compile(r"[\W_]+")


def load_truth(run_dir: str | Path) -> dict[str, dict[str, Any]]:
    folder = Path(run_dir) / "synth" / "truth"
    if not folder.is_dir():
        return {}
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def normalise(term: str, value: object) -> str:
    text = "" if value is None else str(value)
    if term == "scientificName":
        parsed = parse_name(" ".join(text.split()))
        text = parsed.canonical if parsed else text
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


def same_taxon(a: object, b: object) -> bool:
    return bool(normalise("scientificName", a)) and normalise("scientificName", a) == normalise(
        "scientificName", b
    )


# --------------------------------------------------------------------------------------------- lines


def truth_lines(
    truth: Mapping[str, Any], kinds: Iterable[str] = ("label", "barcode"), handwritten: bool | None = None
) -> list[dict[str, Any]]:
    """The truth's text lines of the objects an OCR of ``kinds`` regions should read (only the handwritten or
    only the printed ones when ``handwritten`` is given)."""
    wanted = set(kinds)
    return [
        line
        for obj in truth.get("objects", [])
        if TRUTH_KINDS.get(obj.get("kind")) in wanted
        for line in obj.get("lines", [])
        if str(line.get("text", "")).strip()
        and (handwritten is None or bool(line.get("handwritten")) == handwritten)
    ]


def _covered(truth_box: Sequence[float], box: Sequence[float]) -> float:
    """Share of the truth box inside ``box``."""
    x0, y0 = max(truth_box[0], box[0]), max(truth_box[1], box[1])
    x1, y1 = min(truth_box[2], box[2]), min(truth_box[3], box[3])
    area = max(1.0, (truth_box[2] - truth_box[0]) * (truth_box[3] - truth_box[1]))
    return max(0.0, x1 - x0) * max(0.0, y1 - y0) / area


def line_errors(
    truth: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]],
    kinds: Iterable[str] = ("label", "barcode"),
    handwritten: bool | None = None,
) -> list[tuple[str, str, int]]:
    """(reference, hypothesis, edits) per group of truth lines matched to one OCR line; missed lines have
    hypothesis "". ``lines`` are the results' lines (dicts with a box as x0..y1 or ``box``); ``handwritten``
    keeps only handwritten (True) or printed (False) truth lines."""
    boxes = [_line_box(ln) for ln in lines]
    groups: dict[int, list[dict[str, Any]]] = {}
    out = []
    for tl in truth_lines(truth, kinds, handwritten):
        cover = [_covered(tl["box"], b) for b in boxes]
        best = int(np.argmax(cover)) if cover else -1
        if best < 0 or cover[best] < 0.5:
            out.append((tl["text"], "", len(tl["text"])))
        else:
            groups.setdefault(best, []).append(tl)
    for k, tls in groups.items():
        ref = " ".join(t["text"] for t in sorted(tls, key=lambda t: t["box"][0]))
        hyp = str(lines[k]["text"])
        out.append((ref, hyp, Levenshtein.distance(ref, hyp)))
    return out


def _line_box(line: Mapping[str, Any]) -> tuple[float, float, float, float]:
    if "box" in line:
        return tuple(float(v) for v in line["box"])  # type: ignore[return-value]
    return float(line["x0"]), float(line["y0"]), float(line["x1"]), float(line["y1"])


def cer_summary(errors: Iterable[tuple[str, str, int]]) -> dict[str, float]:
    errors = list(errors)
    chars = sum(len(r) for r, _, _ in errors)
    per_line = [e / max(1, len(r)) for r, _, e in errors]
    return {
        "lines": len(errors),
        "missed": sum(1 for _, h, _ in errors if not h),
        "cer": round(sum(e for _, _, e in errors) / chars, 4) if chars else 0.0,
        "median_line_cer": round(float(np.median(per_line)), 4) if per_line else 0.0,
        "lines_within_2pct": round(float(np.mean([c <= 0.02 for c in per_line])), 4) if per_line else 0.0,
    }


# --------------------------------------------------------------------------------------------- fields


def field_scores(truth: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, tuple[bool, float]]:
    """term → (read right, similarity 0..1) for the terms the label shows."""
    dwc = truth.get("dwc", {})
    out = {}
    for term in truth.get("label_fields", []):
        expected = dwc.get(term, "")
        if not str(expected).strip() or term not in fields:
            continue
        a, b = normalise(term, expected), normalise(term, fields.get(term, ""))
        out[term] = (a == b, fuzz.ratio(a, b) / 100.0)
    return out


def field_table(pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, str]]]) -> pd.DataFrame:
    """Per term: sheets, accuracy, mean similarity."""
    rows = [
        {"term": term, "right": right, "similarity": sim}
        for truth, fields in pairs
        for term, (right, sim) in field_scores(truth, fields).items()
    ]
    if not rows:
        return pd.DataFrame(columns=["term", "sheets", "accuracy", "similarity"])
    df = (
        pd.DataFrame(rows)
        .groupby("term")
        .agg(sheets=("right", "size"), accuracy=("right", "mean"), similarity=("similarity", "mean"))
    )
    return df.reset_index().round(4)


def evaluate_run(run_dir: str | Path, table: pd.DataFrame) -> dict[str, Any]:
    """Accuracy figures of a results table against the run's synthetic truth ({} when there is none)."""
    truth = load_truth(run_dir)
    if not truth or table is None or not len(table):
        return {}
    rows = [r for _, r in table.iterrows() if str(r["gbifID"]) in truth]
    if not rows:
        return {}
    from herbproc.fields import DWC_TERMS

    errors, printed, handwritten = [], [], []
    pairs = []
    taxon, taxon_ocr = [], []
    for r in rows:
        t = truth[str(r["gbifID"])]
        errors.extend(line_errors(t, list(r["lines"])))
        printed.extend(line_errors(t, list(r["lines"]), handwritten=False))
        handwritten.extend(line_errors(t, list(r["lines"]), handwritten=True))
        pairs.append((t, {term: r[term] for term in DWC_TERMS}))
        expected = t.get("species", {}).get("scientificName", "")
        taxon.append(same_taxon(r["scientificName"], expected))
        taxon_ocr.append(same_taxon(r["taxon_ocr"], expected))
    fields = field_table(pairs)
    return {
        "sheets": len(rows),
        "lines": cer_summary(errors),
        "lines_printed": cer_summary(printed),
        "lines_handwritten": cer_summary(handwritten),
        "fields": fields.to_dict("records"),
        "taxon_accuracy": round(float(np.mean(taxon)), 4),
        "taxon_accuracy_ocr_only": round(float(np.mean(taxon_ocr)), 4),
        "prior_sheets": int(sum(bool(r["prior_used"]) for r in rows)),
    }


# --------------------------------------------------------------------------------------------- the prior


def simulated_prior(
    true_name: str, names: Sequence[str], accuracy: float, rng: np.random.Generator, k: int = 5
) -> dict[str, float]:
    """A classifier's top-k for one sheet whose top-1 is right with probability ``accuracy``: the top-1 gets
    0.5-0.95 of the mass, the rest is shared by k-1 other names (the right one among them when the top-1 is
    wrong), 5-20% left outside the top-k."""
    if not 0.0 <= accuracy <= 1.0:
        raise ValueError(f"accuracy must be in [0, 1], got {accuracy}")
    others = [n for n in names if n != true_name]
    if not others:
        return {true_name: float(rng.uniform(0.5, 0.95))}
    right = rng.random() < accuracy
    top1 = true_name if right else others[int(rng.integers(len(others)))]
    pool = [n for n in names if n != top1]
    rest = list(rng.permutation(pool))[: max(0, k - 1)]
    if not right and true_name not in rest and rest:
        rest[-1] = true_name
    p1 = float(rng.uniform(0.5, 0.95))
    spread = rng.dirichlet(np.ones(len(rest))) if rest else np.zeros(0)
    remaining = (1.0 - p1) * float(rng.uniform(0.8, 0.95))
    prior = {top1: p1}
    prior.update({str(n): float(remaining * s) for n, s in zip(rest, spread, strict=True)})
    return prior
