"""Scoring Darwin Core fields read from labels against a hand-checked or gold transcription.

Two measures per term:

* **exact match** after a per-term normalisation (:func:`normalise`), each sheet judged ``right``, ``wrong`` or
  ``abstained`` (:func:`judge`):

  - truth empty (the term is not on the label) and prediction empty: right;
  - truth empty and prediction filled: wrong (a value that is not on the label must stay empty);
  - truth present and prediction empty: abstained;
  - both present: right when they are equal after normalisation, wrong otherwise;
  - truth ``UNREADABLE`` (on the label, but the transcriber could not read it): not scored.

  A truth cell may list alternatives separated by ``" | "`` (a label's name and the names of its determination
  slips): the prediction is right when it equals any of them.

* **hespi-style field similarity** (:func:`field_similarity`), as hespi's evaluation describes it (rbturnbull/hespi,
  ``docs/reproduce.rst``, "Reproducing Test Results"): "The similarity measure uses the Gestalt
  (Ratcliff/Obershelp) approach and is a percentage similarity between each pair of strings. Only fields where
  text is provided in either the test dataset or the predictions are included in the results. If a field is
  present in either the test dataset or the predictions but not the other then the similarity is given as zero.
  All non-ASCII characters are removed. By default the results are not case-sensitive." Gestalt pattern matching
  is :class:`difflib.SequenceMatcher`'s ``ratio()``; here it is taken on the same normalised strings as the exact
  match (which are ASCII-folded and lower case), against the best of the alternatives, as a fraction (0-1), and
  a term's figure is the mean over the sheets where truth or prediction is filled.

Per-term normalisation (all terms first: accents folded to ASCII, other non-ASCII dropped, lower case,
punctuation to spaces, whitespace collapsed):

* ``scientificName``: the canonical name (genus, epithets, rank marker) without authorship, which is a term of
  its own (``scientificNameAuthorship``);
* ``recordedBy``: the words that join a list of people (``and``, ``et``, ``y``, ``und``, ``with``) count as its
  other separators do (``&``, ``,``, Darwin Core's ``|``): ``A. Smith and B. Jones`` is ``A. Smith | B. Jones``;
* ``recordNumber``: compared as a string, spaces and punctuation removed (``"No. 1234"`` is not ``"1234"``: the
  cue is not part of the number, but a leading zero is);
* ``eventDate``: an ISO 8601 date, partial date (``1904-03``) or interval (``1905-08-31/1905-09-20``, or with the
  end shortened as ISO 8601 allows, ``1905-09-02/20``) is kept as it is; anything else is parsed (:func:`herbproc.fields.dates.parse_date`) into one; a partial truth only
  matches the same partial prediction;
* ``stateProvince``, ``county``: an administrative word around the name is dropped (``Prov. San Juan``,
  ``Province of Puerto Plata``, ``Middlesex Co.``, ``Parish of St. Andrew``);
* ``catalogNumber``: letters and zeros before the first significant digit are dropped (an institution prefix is
  ``institutionCode``; ``NY 00040904`` and ``40904`` are one number).

Two scorings of the place terms (``by_code``):

* **strict** (the default): the folded strings above. A gold transcription that is verbatim (``PORTO RICO``,
  ``Rep. Dominicana``, ``St. George``) does not equal a standard name (``Puerto Rico``, ``Dominican Republic``,
  ``Saint George``, what Darwin Core recommends for ``dwc:country``).
* **by code** (``by_code=True``): ``country`` is compared as its ISO 3166-1 code and ``stateProvince`` as its
  ISO 3166-2 subdivision, both read with herbproc's own gazetteer (:func:`herbproc.fields.places.country_code`,
  :func:`herbproc.fields.places.subdivision_code`: pycountry plus the label forms the reader knows); a
  subdivision is looked up in the countries of the row (the truth's and the prediction's ``country``). A value
  that is not a known country or subdivision falls back to the folded string. In ``country``, ``stateProvince``
  and ``county`` a word ``St``/``Ste`` counts as ``Saint``/``Sainte`` (not in ``locality``, where ``St.`` may
  be a street), and a ``stateProvince`` that is no subdivision is looked up again without an island word
  (``New Providence Island`` is BS-NP). The similarity is the strict one in both scorings (hespi's measure is
  on strings).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

TERMS: tuple[str, ...] = (
    "scientificName", "recordedBy", "recordNumber", "eventDate", "country", "stateProvince", "county",
    "locality", "catalogNumber",
)  # fmt: skip
UNREADABLE = "UNREADABLE"
ALTERNATIVES = " | "

Verdict = Literal["right", "wrong", "abstained"]

_ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?(?:/\d{4}(?:-\d{2}(?:-\d{2})?)?)?$")
# ISO 8601 lets an interval's end drop the leading parts it shares with the start: 1908-03-09/12, 1908-03-30/04-02
# an interval's end written short, ISO 8601's way: "1911-04-03/09", "1911-04-28/05-02", a month span "1903-03/05"
_SHORT_END = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{2}(?:-\d{2})?)$|^(\d{4}-\d{2})/(\d{2})$")
_ADMIN = r"(?:prov|province|provincia|provincie|dept|department|departamento|departement|state|estado|parish|county|co|district|region|municipio|canton)"  # noqa: E501
_ADMIN_BEFORE = re.compile(rf"^{_ADMIN}\s+(?:(?:of|de|del|du)\s+)?")
_ADMIN_AFTER = re.compile(rf"\s+{_ADMIN}$")


# Typographic punctuation is punctuation as its ASCII forms are ("19°17’N" as "19°17'N", "0–30" as "0-30"), not a
# letter of another script to drop (the degree sign is still dropped: OCR often loses it, "6838'N")
_TYPOGRAPHIC = re.compile(r"[\u2010-\u2015\u2018-\u201f\u2032-\u2037\u00b4\u00ab\u00bb]")


def fold(text: str) -> str:
    """Accents folded to ASCII, typographic punctuation as ASCII punctuation, other non-ASCII dropped, lower case,
    punctuation to spaces, whitespace collapsed."""
    ascii_text = unicodedata.normalize("NFKD", _TYPOGRAPHIC.sub(" ", text)).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", ascii_text.lower()).split())


def _name(value: str) -> str:
    from herbproc.fields.names import parse_name

    parsed = parse_name(" ".join(value.split()))
    return fold(parsed.canonical) if parsed else fold(value)


def _whole_end(m: re.Match[str]) -> str:
    start, end = (m[1], m[2]) if m[1] else (m[3], m[4])
    return start + "/" + start[: len(start) - len(end)] + end


def _date(value: str) -> str:
    from herbproc.fields.dates import parse_date

    text = _SHORT_END.sub(_whole_end, value.strip())
    if _ISO.match(text):
        return text
    return parse_date(text) or fold(text)


def _admin(value: str) -> str:
    text = fold(value)
    text = _ADMIN_BEFORE.sub("", text)
    return _ADMIN_AFTER.sub("", text)


def _catalog(value: str) -> str:
    text = fold(value).replace(" ", "")
    return re.sub(r"^[a-z]*0*(?=\d)", "", text)


_LIST_WORDS = frozenset({"and", "et", "y", "und", "with"})
_SAINT = {"st": "saint", "ste": "sainte"}
PLACE_TERMS = ("country", "stateProvince", "county")


def _saint(folded: str) -> str:
    return " ".join(_SAINT.get(w, w) for w in folded.split())


# "New Providence Island", "Isla de Vieques": an island that is a subdivision, named with its island word
_ISLAND_WORD = re.compile(r"\b(?:island|isla|ile|île|ilha|is\.)(?:\s+(?:of|de|del|d'))?(?!\w)", re.I)


def _by_code(term: str, value: str, countries: tuple[str, ...]) -> str:
    from herbproc.fields.places import country_code, subdivision_code

    code = ""
    if term == "country":
        code = country_code(value)
    elif term == "stateProvince":
        code = subdivision_code(value, countries) or subdivision_code(_ISLAND_WORD.sub(" ", value), countries)
    if code:
        return f"iso:{code}"
    return _saint(normalise(term, value))


def row_countries(*rows: Mapping[str, str]) -> tuple[str, ...]:
    """The ISO 3166-1 codes of the rows' ``country`` values (known ones, in order, once each)."""
    from herbproc.fields.places import country_code

    codes = (
        country_code(part) for row in rows for part in (row.get("country") or "").split(ALTERNATIVES.strip())
    )
    return tuple(dict.fromkeys(c for c in codes if c))


def normalise(term: str, value: str, by_code: bool = False, countries: tuple[str, ...] = ()) -> str:
    """``value`` in the form compared for ``term`` (empty stays empty); ``by_code``: the place terms as ISO codes
    (``iso:PR``, ``iso:DO-20``; ``countries``: the row's country codes, where a subdivision is looked up) or,
    for values that are not a known country or subdivision, the folded string with ``St`` read ``Saint``."""
    if not value or not value.strip():
        return ""
    if by_code and term in PLACE_TERMS:
        return _by_code(term, value, countries)
    if term == "scientificName":
        return _name(value)
    if term == "recordedBy":
        return " ".join(w for w in fold(value).split() if w not in _LIST_WORDS)
    if term == "recordNumber":
        return fold(value).replace(" ", "")
    if term == "eventDate":
        return _date(value)
    if term in ("stateProvince", "county"):
        return _admin(value)
    if term == "catalogNumber":
        return _catalog(value)
    return fold(value)


def alternatives(term: str, truth: str, by_code: bool = False, countries: tuple[str, ...] = ()) -> list[str]:
    """The normalised truth values of a cell (``" | "`` separates alternatives); [] when the term is absent."""
    parts = truth.split(ALTERNATIVES.strip()) if truth.strip() else []
    out = [normalise(term, part, by_code, countries) for part in parts]
    return [v for v in dict.fromkeys(out) if v]


def similarity(a: str, b: str) -> float:
    """Gestalt (Ratcliff/Obershelp) similarity of two strings, 0-1 (``difflib.SequenceMatcher.ratio``)."""
    return SequenceMatcher(None, a, b).ratio()


def judge(
    term: str, truth: str, predicted: str, by_code: bool = False, countries: tuple[str, ...] = ()
) -> Verdict | None:
    """right / wrong / abstained for one sheet's ``term``; None when the truth is UNREADABLE (not scored).
    ``by_code``: the place terms compared by ISO code (``countries``: the row's, for stateProvince)."""
    if truth.strip() == UNREADABLE:
        return None
    wanted = alternatives(term, truth, by_code, countries)
    got = normalise(term, predicted, by_code, countries)
    if not wanted:
        return "wrong" if got else "right"
    if not got:
        return "abstained"
    return "right" if got in wanted else "wrong"


def field_similarity(term: str, truth: str, predicted: str) -> float | None:
    """hespi-style similarity of one field: None when both are empty (left out) or the truth is UNREADABLE, 0
    when only one is filled, else the best Gestalt ratio over the truth's alternatives."""
    if truth.strip() == UNREADABLE:
        return None
    wanted = alternatives(term, truth)
    got = normalise(term, predicted)
    if not wanted and not got:
        return None
    if not wanted or not got:
        return 0.0
    return max(similarity(w, got) for w in wanted)


@dataclass
class TermScore:
    """One term over a set of sheets."""

    term: str
    right: int = 0
    wrong: int = 0
    abstained: int = 0
    unreadable: int = 0
    right_absent: int = 0  # of ``right``: the term is not on the label and nothing was written
    similarities: list[float] = field(default_factory=list)

    @property
    def scored(self) -> int:
        return self.right + self.wrong + self.abstained

    def rate(self, verdict: Verdict) -> float:
        return getattr(self, verdict) / self.scored if self.scored else 0.0

    @property
    def mean_similarity(self) -> float | None:
        return sum(self.similarities) / len(self.similarities) if self.similarities else None

    def add(
        self, truth: str, predicted: str, by_code: bool = False, countries: tuple[str, ...] = ()
    ) -> Verdict | None:
        verdict = judge(self.term, truth, predicted, by_code, countries)
        if verdict is None:
            self.unreadable += 1
            return None
        setattr(self, verdict, getattr(self, verdict) + 1)
        if verdict == "right" and not alternatives(self.term, truth):
            self.right_absent += 1
        sim = field_similarity(self.term, truth, predicted)
        if sim is not None:
            self.similarities.append(sim)
        return verdict

    def to_json(self) -> dict[str, object]:
        mean = self.mean_similarity
        return {
            "right": self.right,
            "wrong": self.wrong,
            "abstained": self.abstained,
            "unreadable": self.unreadable,
            "right_absent": self.right_absent,
            "scored": self.scored,
            "right_rate": round(self.rate("right"), 4),
            "wrong_rate": round(self.rate("wrong"), 4),
            "abstained_rate": round(self.rate("abstained"), 4),
            "similarity": None if mean is None else round(mean, 4),
            "similarity_n": len(self.similarities),
        }


def score(
    truths: Iterable[Mapping[str, str]],
    predictions: Iterable[Mapping[str, str]],
    terms: Sequence[str] = TERMS,
    by_code: bool = False,
) -> dict[str, TermScore]:
    """Per-term scores over paired truth and prediction rows (missing keys read as empty); ``by_code``: country
    and stateProvince compared by ISO code (see the module's doc)."""
    scores = {t: TermScore(t) for t in terms}
    for truth, predicted in zip(truths, predictions, strict=True):
        countries = row_countries(truth, predicted) if by_code else ()
        for t in terms:
            scores[t].add(truth.get(t) or "", predicted.get(t) or "", by_code, countries)
    return scores


def mean_right_rate(scores: Mapping[str, TermScore]) -> float | None:
    """The mean per-term accuracy: the mean of the terms' right rates, over the terms with a scored sheet."""
    rates = [s.rate("right") for s in scores.values() if s.scored]
    return sum(rates) / len(rates) if rates else None


def format_table(scores: Mapping[str, TermScore]) -> str:
    """A plain-text table: per term, right / wrong / abstained (counts and rates), how many of the right ones are
    "absent and left empty", unreadable, mean similarity."""
    head = (
        f"{'term':<15} {'n':>3} {'right':>11} {'(absent)':>8} {'wrong':>11} {'abstained':>11} {'unread':>6} "
        f"{'similarity':>12}"
    )
    rows = [head, "-" * len(head)]
    for s in scores.values():
        mean = s.mean_similarity
        sim = "-" if mean is None else f"{mean:.2f} (n={len(s.similarities)})"
        cells = [f"{getattr(s, v):>3} {s.rate(v):>5.0%}" for v in ("right", "wrong", "abstained")]
        rows.append(
            f"{s.term:<15} {s.scored:>3} {cells[0]:>11} {s.right_absent:>8} {cells[1]:>11} {cells[2]:>11} "
            f"{s.unreadable:>6} {sim:>12}"
        )
    return "\n".join(rows)
