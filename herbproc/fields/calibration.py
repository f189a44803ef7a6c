"""Field confidences as probabilities: how often a value given at a rule's confidence was right.

Each way of reading a field has a base confidence (``label.CONFIDENCE``), times the text quality of its line. Those
numbers order a field's candidates; they are not probabilities (a bare collector at 0.45 is right far more often
than a locality at 0.55). The table maps, per term, a raw confidence to the share of values given at it that were
right on gold-transcribed real labels, shrunk towards the term's overall share where few were seen. It is fitted
by ``bench/fieldcal.py fit`` on the sets herbproc's rules were tuned on, as read and as thumbnails, and checked on
the held-out ones (docs/benchmarks.md).

Where the recogniser's confidence in the value's line is known (the reader's, a readings cache's), the share is
taken among the values whose line was read about as surely (``line_edges``: bins of the line's confidence), shrunk
towards the share of the raw confidence alone: a locality read off a thumbnail's blurred line is not as often
right as one of the same rule read off a sharp scan.

A free-text value whose lower-case words are not all words (``herbproc.fields.lexicon``: "lemestone bluff.
crevicest, along St. Francis Riner") was garbled in reading more often than its line's confidence says: for the
terms in ``word_shifts`` its share is moved by that term's fitted log-odds shift.

A term the table does not hold keeps its rule confidence (no gold says how often it is right); a raw confidence
the table never saw takes the term's overall share.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from herbproc.fields.label import Field
from herbproc.fields.lexicon import has_unknown_word

TABLE = Path(__file__).with_name("data") / "field_calibration.json"
NEAREST = 0.025  # a raw confidence this close to one the table saw takes its share
SHRINK = 5.0  # values of the term's overall share added to each raw confidence's count (a Beta prior)
LINE_EDGES = (0.9, 0.98)  # bins of a line's reading confidence (bench/fieldcal.py fit's default)
WORD_TERMS = ("locality",)  # the free-text terms whose unknown words fit_word_shifts weighs
MOST_SHIFT = 10.0  # the largest log-odds shift a table may hold
# terms written from another's value share its calibration (the parts of a name the rules read without a taxonomy
# share that name's)
COMPANIONS = {
    "countryCode": "country",
    "verbatimEventDate": "eventDate",
    **{
        t: "scientificName"
        for t in (
            "scientificNameAuthorship", "genus", "specificEpithet", "infraspecificEpithet", "taxonRank",
            "verbatimTaxonRank", "identificationQualifier",
        )  # fmt: skip
    },
}


@dataclass(frozen=True)
class FieldCalibration:
    """Per term: its overall share of right values, the share at each raw confidence seen and, optionally, that
    share per bin of the line's reading confidence (``line_edges`` split the bins) and the log-odds shift of a
    value with an unknown lower-case word (``word_shifts``)."""

    overall: Mapping[str, float]
    shares: Mapping[str, Mapping[float, float]]
    fitted_on: str = ""
    line_edges: tuple[float, ...] = ()
    by_line: Mapping[str, Mapping[float, tuple[float, ...]]] = field(default_factory=dict)
    word_shifts: Mapping[str, float] = field(default_factory=dict)

    def probability(
        self, term: str, raw: float, line: float | None = None, unknown_word: bool = False
    ) -> float | None:
        """The calibrated confidence of ``term`` read at ``raw`` off a line read at ``line`` (None: not known),
        its value with a lower-case word no language knows or not; None when the table does not hold the term."""
        term = COMPANIONS.get(term, term)
        if term not in self.overall:
            return None
        share = self._share(term, raw, line)
        if unknown_word and term in self.word_shifts:
            return shifted(share, self.word_shifts[term])
        return share

    def _share(self, term: str, raw: float, line: float | None) -> float:
        seen = self.shares.get(term, {})
        near = min(seen, key=lambda c: abs(c - raw), default=None)
        if near is None or abs(near - raw) > NEAREST:
            return self.overall[term]
        per_bin = self.by_line.get(term, {}).get(near)
        if line is None or per_bin is None:
            return seen[near]
        return per_bin[line_bin(line, self.line_edges)]

    def apply(
        self,
        fields: dict[str, Field],
        line_confidences: Sequence[float] | None = None,
        drop_below: float = 0.0,
        skip: Iterable[str] = (),
    ) -> list[str]:
        """``fields``' confidences replaced, in place, by their calibrated ones where the table holds the term;
        ``line_confidences``: the reading confidence of each line the fields index (None: not known). A
        calibrated field less likely right than ``drop_below`` is taken out; the terms taken out are returned.
        ``skip``: terms left as they are (a name the taxonomy resolved has a calibration of its own)."""
        dropped = []
        skipped = set(skip)
        for term, f in list(fields.items()):
            if term in skipped:
                continue
            known = (
                line_confidences is not None and f.line is not None and 0 <= f.line < len(line_confidences)
            )
            unknown = COMPANIONS.get(term, term) in self.word_shifts and has_unknown_word(f.value)
            p = self.probability(
                term,
                f.confidence,
                float(line_confidences[f.line]) if known else None,  # type: ignore[index]
                unknown,
            )
            if p is not None and p < drop_below:
                del fields[term]
                dropped.append(term)
            elif p is not None:
                fields[term] = replace(f, confidence=p)
        return dropped

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "fitted_on": self.fitted_on,
            "overall": dict(self.overall),
            "shares": {t: {f"{c:.2f}": p for c, p in sorted(s.items())} for t, s in self.shares.items()},
        }
        if self.line_edges:
            out["line_edges"] = list(self.line_edges)
            out["by_line"] = {
                t: {f"{c:.2f}": list(p) for c, p in sorted(s.items())} for t, s in self.by_line.items()
            }
        if self.word_shifts:
            out["word_shifts"] = dict(self.word_shifts)
        return out


def shifted(share: float, shift: float) -> float:
    """``share`` moved by ``shift`` in log-odds."""
    return round(_moved(share, shift), 4)


def _moved(share: float, shift: float) -> float:
    share = min(max(share, 1e-4), 1.0 - 1e-4)
    return 1.0 / (1.0 + math.exp(-(math.log(share / (1.0 - share)) + shift)))


def line_bin(confidence: float, edges: Sequence[float]) -> int:
    """Which bin of ``edges`` a line's reading confidence falls in (0: below the first edge)."""
    return sum(confidence >= e for e in edges)


Sample = (
    tuple[str, float, bool]
    | tuple[str, float, bool, float | None]
    | tuple[str, float, bool, float | None, bool]
)


def fit(samples: Iterable[Sample], fitted_on: str = "", line_edges: Sequence[float] = ()) -> FieldCalibration:
    """The table from (term, raw confidence, right? [, line's reading confidence]) samples: per term and raw
    confidence (to 2 decimals), the right share with ``SHRINK`` values of the term's overall share added (that
    share itself with one right and one wrong value added: no term is certain); with ``line_edges``, per bin of
    the line's confidence too, with ``SHRINK`` values of the raw confidence's share added."""
    counts: dict[str, dict[float, list[int]]] = {}
    lined: dict[tuple[str, float, int], list[int]] = {}
    for term, raw, right, *line in samples:
        key = round(float(raw), 2)
        cell = counts.setdefault(term, {}).setdefault(key, [0, 0])
        cell[0] += bool(right)
        cell[1] += 1
        if line_edges and line and line[0] is not None:
            sub = lined.setdefault((term, key, line_bin(float(line[0]), line_edges)), [0, 0])
            sub[0] += bool(right)
            sub[1] += 1
    overall, shares, by_line = {}, {}, {}
    for term, by_raw in counts.items():
        right = sum(r for r, _ in by_raw.values())
        given = sum(n for _, n in by_raw.values())
        overall[term] = round((right + 1) / (given + 2), 4)
        shares[term] = {c: _shrunk(r, n, overall[term]) for c, (r, n) in sorted(by_raw.items())}
        if line_edges:
            by_line[term] = {
                c: tuple(_shrunk(*lined.get((term, c, b), (0, 0)), p) for b in range(len(line_edges) + 1))
                for c, p in shares[term].items()
            }
    table = FieldCalibration(overall, shares, fitted_on, tuple(float(e) for e in line_edges), by_line)
    return fit_word_shifts(table, samples)


def fit_word_shifts(
    table: FieldCalibration, samples: Iterable[Sample], terms: Sequence[str] = WORD_TERMS
) -> FieldCalibration:
    """``table`` with the log-odds shift, per term of ``terms``, that makes its shares fit best (maximum
    likelihood) the samples whose value has an unknown word (their fifth element), with one right and one wrong
    value added at the table's mean share for them; a term without such a sample keeps no shift."""
    flagged: dict[str, list[tuple[float, bool]]] = {}
    for term, raw, right, *rest in samples:
        if term in terms and term in table.overall and len(rest) > 1 and rest[1]:
            share = table.probability(term, float(raw), rest[0])
            flagged.setdefault(term, []).append((share, bool(right)))  # type: ignore[arg-type]
    shifts = {}
    for term, given in flagged.items():
        mean = sum(p for p, _ in given) / len(given)
        shifts[term] = round(_likeliest_shift([*given, (mean, True), (mean, False)]), 4)
    return replace(table, word_shifts=shifts)


def _likeliest_shift(given: Sequence[tuple[float, bool]]) -> float:
    """The log-odds shift of the shares that makes as many values right as expected (the likelihood's root)."""
    low, high = -MOST_SHIFT, MOST_SHIFT
    for _ in range(60):
        middle = (low + high) / 2
        expected = sum(_moved(p, middle) for p, _ in given)
        low, high = (middle, high) if expected < sum(ok for _, ok in given) else (low, middle)
    return (low + high) / 2


def _shrunk(right: int, given: int, towards: float) -> float:
    """The right share of ``given`` values with ``SHRINK`` values at the share ``towards`` added."""
    return round((right + SHRINK * towards) / (given + SHRINK), 4)


def from_json(data: object, source: str = "field calibration") -> FieldCalibration:
    """The table of ``to_json``'s layout; ValueError saying what is wrong in one line."""
    if not isinstance(data, dict) or not isinstance(data.get("overall"), dict):
        raise ValueError(f"{source}: expected an object with 'overall' and 'shares'")
    overall = {str(t): _share(p, source, t) for t, p in data["overall"].items()}
    raw_shares = data.get("shares", {})
    if not isinstance(raw_shares, dict):
        raise ValueError(f"{source}: 'shares' must map each term to {{confidence: share}}")
    shares: dict[str, dict[float, float]] = {}
    for term, by_raw in raw_shares.items():
        if term not in overall or not isinstance(by_raw, dict):
            raise ValueError(f"{source}: 'shares' of {term!r} must be an object of a term in 'overall'")
        shares[term] = {_raw(c, source, term): _share(p, source, term) for c, p in by_raw.items()}
    edges = data.get("line_edges", [])
    if (
        not isinstance(edges, list)
        or not all(_is_share(e) and e > 0 for e in edges)
        or edges != sorted(set(edges))
    ):
        raise ValueError(f"{source}: 'line_edges' must be rising numbers from 0 to 1, not {edges!r}")
    raw_lined = data.get("by_line", {})
    if not isinstance(raw_lined, dict) or (raw_lined and not edges):
        raise ValueError(
            f"{source}: 'by_line' must map each term to {{confidence: shares}}, with 'line_edges'"
        )
    by_line: dict[str, dict[float, tuple[float, ...]]] = {}
    for term, by_raw in raw_lined.items():
        if term not in shares or not isinstance(by_raw, dict):
            raise ValueError(f"{source}: 'by_line' of {term!r} must be an object of a term in 'shares'")
        by_line[term] = {}
        for c, per_bin in by_raw.items():
            if not isinstance(per_bin, list) or len(per_bin) != len(edges) + 1:
                raise ValueError(f"{source}: 'by_line' of {term!r} at {c} must list {len(edges) + 1} shares")
            by_line[term][_raw(c, source, term)] = tuple(_share(p, source, term) for p in per_bin)
    shifts = data.get("word_shifts", {})
    if not isinstance(shifts, dict) or not all(
        t in overall and _is_number(v) and abs(v) <= MOST_SHIFT for t, v in shifts.items()
    ):
        most = f"{MOST_SHIFT:g}"
        raise ValueError(
            f"{source}: 'word_shifts' must map terms in 'overall' to log-odds from -{most} to {most}"
        )
    word_shifts = {str(t): float(v) for t, v in shifts.items()}
    fitted_on = str(data.get("fitted_on", ""))
    return FieldCalibration(overall, shares, fitted_on, tuple(edges), by_line, word_shifts)


def _is_number(v: object) -> bool:
    return not isinstance(v, bool) and isinstance(v, int | float) and math.isfinite(v)


def _is_share(p: object) -> bool:
    return not isinstance(p, bool) and isinstance(p, int | float) and 0.0 <= float(p) <= 1.0


def _share(p: object, source: str, term: str) -> float:
    if not _is_share(p):
        raise ValueError(f"{source}: {term!r} has share {p!r}, not a number from 0 to 1")
    return float(p)


def _raw(c: object, source: str, term: str) -> float:
    try:
        raw = float(c)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raw = math.nan
    if not 0.0 <= raw <= 1.0:
        raise ValueError(f"{source}: {term!r} has confidence key {c!r}, not a number from 0 to 1")
    return raw


@lru_cache(maxsize=4)
def load(path: str | None = None) -> FieldCalibration:
    """The table at ``path`` (None: the packaged one); ValueError in one line when it cannot be read."""
    where = Path(path).expanduser() if path else TABLE
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"field calibration {where}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"field calibration {where}: not a JSON table ({e.__class__.__name__})") from None
    return from_json(data, f"field calibration {where}")


def calibration_for(setting: str | bool) -> FieldCalibration | None:
    """``ocr.field_calibration``: ``default`` or true (the packaged table), ``off`` or false (None: the rules'
    own confidences), or a table's path. ValueError in one line when the table cannot be read."""
    if setting is False or setting == "off":
        return None
    return load(None if setting is True or setting == "default" else str(setting))
