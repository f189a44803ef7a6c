"""One label being read: its cleaned lines, their text quality, the fields found so far and what each line is."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from herbproc.fields import dates
from herbproc.fields.rulers import ruler_marks
from herbproc.fields.taxon import confusion_costs
from herbproc.fields.text import clean_line, text_quality

MIN_QUALITY = 0.5  # lines whose characters are mostly not text are skipped

# Base confidence of each way of reading a field; multiplied by the text quality of the line it came from.
CONFIDENCE = {
    "institution_known": 0.9, "institution_generic": 0.6,
    "catalog_cued": 0.9, "catalog_prefixed": 0.75, "catalog_coded": 0.7, "catalog_bare_padded": 0.55,
    "collector_cued": 0.9, "collector_numbered": 0.7, "collector_bare": 0.45, "determiner": 0.85,
    "determiner_on_slip": 0.7,
    "record_number_cued": 0.85, "record_number_bare": 0.6, "record_number_alone": 0.55,
    "date_day": 0.85, "date_month": 0.7, "date_year": 0.45,
    "state_name": 0.85, "state_abbreviation": 0.8, "state_postal": 0.75, "state_cued_unlisted": 0.7, "state_misread": 0.65,
    "state_near": 0.6, "state_heading": 0.65, "state_territory": 0.65, "state_division_head": 0.7,
    "country_named": 0.85,
    "county": 0.8, "county_misread": 0.65, "locality_cued": 0.8, "locality_place_line": 0.6, "locality_cue_words": 0.55,
    "locality_continuation": 0.4, "locality_alone": 0.45, "family": 0.8, "taxon_no_index": 0.7,
}  # fmt: skip

# a collection series' title names where its specimens were collected: "LICHENS OF OREGON, U.S.A.",
# "CRYPTOGAMS OF GEORGIA", "MOSSES OF ALASKA" (herbaria print them for lichens, mosses, fungi, algae as for plants)
_SERIES = r"lichens|lichenes|cryptogams|mosses|musci|bryophytes|hepatics|hepaticae|liverworts|fungi|algae|ferns"
HEADER = re.compile(  # the spaces may be lost in OCR: "PLANTS OFVERMONT", "FLORAOFNEW YORK"
    r"^\W*(?:plants?|flora|flore|plantae|herbarium|herbier|botany|exploration|expedition|" + _SERIES + r")"
    r"\s*(?:of\s+the|of|de|du|des)\s*(?P<place>[A-Z].+)$",
    re.I,
)
# a collection series' title alone: "LICHENS OF MICHIGAN" (names where, as "PLANTS OF …" does)
SERIES_HEADER = re.compile(rf"^\W*(?:{_SERIES})\s*(?:of|from)\s+(?:the\s+)?[A-Z][^.]*(?:\.\s*)?$", re.I)

# A header in capitals whose first word is misread ("PIANTS OF", "FIORA OP", "SRYOPHTTES OF"): the word, "OF" (or
# its misreading) and the place, its parts parted by commas ("PLANTS OP NEW PROVIDENCE ISLAND, BAHAMAS").
_MISREAD_HEADER = re.compile(r"^\W*(?P<word>[A-Z]{4,12})\s*(?:OF|OP|OR|0F|DF)\s*(?P<place>[A-Z][A-Z .]*(?:,\s*[A-Z][A-Z .]*)*)$")
# ... and one in title case, its place in capitalised words ("Plasits of Poerto Bico")
_MISREAD_TITLE_HEADER = re.compile(
    r"^\W*(?P<word>[A-Z][a-z]{3,11})\s+(?:of|op|or|af)\s+(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)\W*$"
)
_PLANT_WORDS = ("plants", "flora", "plant")  # short: one misread letter in five is still the word
_TRIP_WORDS = ("exploration", "expedition")
_SERIES_WORDS = tuple(_SERIES.split("|"))


# a determination's cue after other words on its line: "… Det. E. Tuckerman", "… det: A. Bell"
_DET_AFTER = re.compile(r"(?<=[\w.,;)])\s*\b(?i:det|determ\w*|determinavit)\b\.?\s*:?\s*(?=[A-Z])")


def words_before_det(line: str) -> str:
    """The words before a determination's cue in the middle of ``line`` ("Santee Canal, S.C. Det. E. Tuckerman"
    → "Santee Canal, S.C."): what the collection's line said before the slip's; "" when no cue follows words."""
    m = _DET_AFTER.search(line)
    return line[: m.start()].strip(" ,;") if m is not None and m.start() > 0 else ""


def misread_header(line: str) -> re.Match[str] | None:
    """A header whose first word is a misreading of a header's word (in capitals, or in title case with its
    place in capitalised words, where a sentence's word comes nearer: "Flats of …"); its place is group
    "place"."""
    if not isinstance(line, str):
        return None
    m, near = _MISREAD_HEADER.match(line), 60
    if m is None:
        m, near = _MISREAD_TITLE_HEADER.match(line), 75
    if m is None:
        return None
    word = m["word"].lower()
    plants = max(fuzz.ratio(word, w) for w in _PLANT_WORDS) >= near or max(
        fuzz.ratio(word, w) for w in _TRIP_WORDS
    ) >= 75  # "EXPGIRATION OF …"
    series = max(fuzz.ratio(word, w) for w in _SERIES_WORDS) >= 75 or _misread_series_word(word)
    return m if plants or series else None


# a misread word of eight letters or more at least this similar to a series' word by the reader's own
# confusions ("SRYOPITTES": B read as S, H as T, Y as I); the long words of places and institutions stay under
# 0.7 ("marshes", "republic", "province"), short ones come near ("heaths", "lake")
_SERIES_WORD_AT = 0.75


def _misread_series_word(word: str) -> bool:
    if len(word) < 8:
        return False
    costs = confusion_costs()
    return max(costs.similarity(w, word) for w in _SERIES_WORDS) >= _SERIES_WORD_AT


@dataclass(frozen=True)
class Field:
    value: str
    confidence: float
    line: int | None = None  # index in the input list of the line it came from


class Label:
    """The lines of one label and what has been read from them."""

    def __init__(self, lines: object):
        if lines is None:
            lines = []
        elif isinstance(lines, str):
            lines = lines.splitlines()
        elif not isinstance(lines, Iterable):
            raise TypeError(f"label lines must be a list of strings, got {type(lines).__name__}")
        self.text = [clean_line(line) for line in lines]
        self.quality = [text_quality(t) for t in self.text]
        self.usable = [
            bool(t) and q >= MIN_QUALITY and any(ch.isalnum() for ch in t)
            for t, q in zip(self.text, self.quality, strict=True)
        ]
        for i in ruler_marks(self.text):
            self.usable[i] = False
        self.fields: dict[str, Field] = {}
        self.roles: dict[int, str] = {}  # line → "institution", "catalog", "collector", "place", "taxon" …
        self.year_numbers: dict[int, tuple[str, float]] = {}  # collector line → a number that may be a year
        self.sine_numero: set[int] = set()  # collector lines that say "s.n.": that collection has no number
        self.collector_names: dict[int, list[str]] = {}  # collector line → the people read on it
        self.bare_collectors: set[int] = set()  # collector lines with neither a cue nor a number

    def join(self, i: int, k: int | None = None) -> None:
        """Read line ``k`` (by default ``i + 1``) as the end of line ``i`` (a line wrapped on the card); it is
        left empty."""
        k = i + 1 if k is None else k
        self.text[i] = f"{self.text[i]} {self.text[k]}"
        self.text[k] = ""
        self.quality[i], self.quality[k] = text_quality(self.text[i]), 0.0
        self.usable[k] = False

    def lines(self, *, skip_roles: Iterable[str] = ()) -> Iterable[tuple[int, str]]:
        """(index, text) of the usable lines whose role is not in ``skip_roles``."""
        skip = set(skip_roles)
        for i, line in enumerate(self.text):
            if self.usable[i] and self.roles.get(i) not in skip:
                yield i, line

    def keep(
        self, key: str, value: str, base: float, line: int | None, *, scale_by_quality: bool = True
    ) -> None:
        """Record ``key`` = ``value`` unless it is already known with a higher confidence."""
        value = value.strip() if isinstance(value, str) else ""
        quality = self.quality[line] if scale_by_quality and line is not None else 1.0
        confidence = round(min(max(base * quality, 0.0), 1.0), 4)
        if not value or confidence <= 0:
            return
        old = self.fields.get(key)
        if old is None or confidence > old.confidence:
            self.fields[key] = Field(value, confidence, line)


NUMBER_BEFORE = re.compile(r"(?:No\.?|Nr\.?|#|n°|Elev\.?|Alt\.?|ca\.)\s*$", re.I)
UNIT_AFTER = re.compile(r"\s*(?:m\b|ft\b|feet|km\b|mi\b|miles|meters|metres|'|’)", re.I)


def is_measure(text: str, d: dates.DateMatch) -> bool:
    """A "year" that is a number or a measure: "No. 1912", "Alt. 1800", "2000 ft"."""
    return d.precision in ("year", "years") and bool(
        NUMBER_BEFORE.search(text[: d.start]) or UNIT_AFTER.match(text, d.end)
    )


def strip_dates(text: str) -> str:
    """``text`` without its dates (an altitude or a number that reads like a year stays: "2000 ft")."""
    for d in sorted(dates.find_dates(text), key=lambda d: -d.start):
        if not is_measure(text, d):
            text = text[: d.start] + text[d.end :]
    return text
