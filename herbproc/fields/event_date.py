"""Which of a label's dates is not the collection's: a gift or presentation stamp's month or year, a received,
printed or date stamp's date, a series' span of years on a header, a cited work's year, a two-digit year on a
label of the 1800s. How the label writes a numeric date's day and month."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rapidfuzz.distance import Levenshtein

from herbproc.fields.dates import MONTHS, ROMAN_MONTHS, DateMatch, Order
from herbproc.fields.label import HEADER, Label
from herbproc.fields.lexicon import is_word
from herbproc.fields.text import fold

# "Gift of …", "A gift to the Herbarium …", "Presented to the … Society by …", "Donated by …", "Ex dono …",
# "Comm. F. Smith" (communicavit: sent by)
_GIFT = re.compile(
    r"(?i:\b(?:gift|presented|donated|donation|ex\s+dono)\b)|\b(?:[Cc]omm|COMM)\.\s*(?:by\s+)?(?=[A-Z])"
)
# A date stamp's impression: the month's three capitals, the day in two digits, the year ("MAY 04 1926", "MAR 21
# 1943", "AUG 041986"); a receiving or accession stamp's cue ("RECEIVED", "Rec'd", "Accessioned"), or the herbarium's
# own handling of the sheet ("Mounted", "Digitized", "Databased", "Distributed", "Purchased", "Exchanged"), or a
# lichen's chemistry run later ("TLC, C. Dunn, 12 May 1990", "Chemistry analysed 1990").
_DATE_STAMP = re.compile(r"(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\s?[0-3]\d\s?\d{4}")
_RECEIVED = re.compile(
    r"(?i:\b(?:received|rec['’]?d|accession(?:ed)?|accession\s+date|deposited|printed|copyright|mounted|"
    r"digiti[sz]ed|imaged|databased|catalog(?:u)?ed|distributed|purchased|bought|exchanged|acquired|"
    r"tlc|hplc|chromatograph\w*|chemistry|analy[sz]ed)\b|©)"
)
# a stamp's word of eight letters or more read with a letter wrong at a thumbnail's size ("DEPCSITED 1948"), two
# in a word of nine or more ("DEPCEITED"), unless what was read is a word of its own
_STAMP_WORDS = ("received", "deposited", "accessioned", "digitized", "digitised", "databased", "catalogued",
                "distributed", "purchased", "exchanged", "acquired")  # fmt: skip
_LONG_WORD = re.compile(r"[^\W\d_]{8,}")


def _misread_stamp_word(before: str) -> bool:
    for w in _LONG_WORD.findall(before):
        folded = fold(w).lower()
        limit = 1 if len(folded) < 9 else 2
        near = any(Levenshtein.distance(folded, word, score_cutoff=limit) <= limit for word in _STAMP_WORDS)
        if near and not is_word(folded):  # the word lists load on the first word this near
            return True
    return False


# a cited work before a year on its line: the year it was published ("Fl. Bras. 6(2): 123. 1878", "Prodr. 1824")
_CITATION = re.compile(
    r"\b(?:Fl\.\s*[A-Z][\w-]*|Prodr|Sp\.\s*Pl|Gen\.\s*Pl|Syst|Journ?|Bull|Contr|Proc|Monogr|Enum|Symb|Bot\.\s*Mag)\."
)  # "Fl." only before its region ("Fl. Bras."): alone it is the flowers
# a cited work's volume and page before the year: "N. Amer. Fl. 12: 34. 1912", "Bot. Gaz. 5(2): 12-14. 1880"
_VOLUME_PAGE = re.compile(r"\b\d{1,4}(?:\s?\(\d{1,3}\))?\s?:\s?\d{1,4}(?:[-–]\d{1,4})?[.,]\s*$")
_STAMP_LINES = 3  # a stamp's lines after its cue ("PRESENTED TO THE" / "… SOCIETY" / "BY MRS. …, JUNE 1925")


def gift_stamp_lines(label: Label, labels: Sequence[int] | None = None) -> set[int]:
    """Lines of gift and presentation stamps: a line with a gift cue and up to three lines after it (on its card
    when ``labels`` are known). Their month or year is when the specimen was given, not collected."""
    cards = labels if labels is not None and len(labels) == len(label.text) else None
    out: set[int] = set()
    for i, line in label.lines():
        if not _GIFT.search(line):
            continue
        out.add(i)
        for k in range(i + 1, min(i + 1 + _STAMP_LINES, len(label.text))):
            if cards is not None and cards[k] != cards[i]:
                break
            out.add(k)
    return out


def not_collection_dates(
    label: Label, found: Mapping[int, list[DateMatch]], labels: Sequence[int] | None = None
) -> set[tuple[int, int]]:
    """(line, start) of the dates that are not the collection's: a month or a year on a gift stamp (a date to the
    day is kept: stamps rarely give one, collection dates do), a date stamp's or a received or printed stamp's
    date, a span of years on a header (a series), a year after a cited work, and a two-digit year (read as 19yy)
    on a label that writes a year before 1900 elsewhere (then its century is not known)."""
    stamp = gift_stamp_lines(label, labels)
    out = {(i, d.start) for i in stamp for d in found.get(i, []) if d.precision in ("month", "year", "years")}
    for i, ds in found.items():
        line = label.text[i]
        out |= {
            (i, d.start)
            for d in ds
            if _DATE_STAMP.fullmatch(line[d.start : d.end].strip())
            or _RECEIVED.search(line[: d.start])
            or _misread_stamp_word(line[: d.start])
            or (d.precision == "years" and HEADER.match(line))  # a series' span: "FLORA OF JAMAICA, 1931-1935"
            or (d.precision == "year" and (_CITATION.search(line[: d.start]) or _VOLUME_PAGE.search(line[: d.start])))
        }
    out |= _under_an_accession_number(label, found, labels)
    old = any(
        not d.two_digit_year and d.iso[:4] < "1900" and (i, d.start) not in out
        for i, ds in found.items()
        for d in ds
    )
    if old:
        out |= {(i, d.start) for i, ds in found.items() for d in ds if d.two_digit_year}
    return out


# An accession stamp's number with its caption ("Acc. 12345", "Accession No. 12345"): the date stamped under it is
# the accession's
_ACCESSION_NUMBER = re.compile(r"^\W*acc(?:ession)?\.?\s*(?:no\.?|nr\.?|number|#)?\s*:?\s*\d{3,8}\W*$", re.I)


def _under_an_accession_number(
    label: Label, found: Mapping[int, list[DateMatch]], labels: Sequence[int] | None
) -> set[tuple[int, int]]:
    """(line, start) of a date alone on its line right under an accession number's line, on its card."""
    cards = labels if labels is not None and len(labels) == len(label.text) else None
    out = set()
    for i, ds in found.items():
        if i == 0 or len(ds) != 1 or not _ACCESSION_NUMBER.match(label.text[i - 1]):
            continue
        if cards is not None and cards[i - 1] != cards[i]:
            continue
        line = label.text[i]
        if not line[: ds[0].start].strip(" .,:;") and not line[ds[0].end :].strip(" .,:;"):
            out.add((i, ds[0].start))
    return out


# Where numeric dates are written month first: the USA, its territories and the states in free association
# with it, and the Philippines. Canada writes both ways: not known. Everywhere else the day comes first.
_MONTH_FIRST = frozenset("US PR VI GU AS MP UM PH FM MH PW".split())
_EITHER_WAY = frozenset({"CA"})
# a form's field names in Spanish, Portuguese, French, German or Italian: a label written where the day comes first
_DAY_FIRST_WORDS = re.compile(
    r"\b(?:fecha|localidad|colectores?|colectad[oa]|recolect(?:or|ores|ado|ada)|coletor(?:es)?|localidade|"
    r"data\s+d[ae]\s+(?:coleta|colheita|raccolta)|date\s+de\s+r[ée]colte|r[ée]colt[ée]e?|r[ée]colteur|localit[ée]|"
    r"datum\W*\d{1,2}\b|fundort|standort|sammler|gesammelt|località|raccolt[oa]|raccoglitore)\b",
    re.I,
)
_ENGLISH_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def numeric_order(label: Label, country_code: str, found: Mapping[int, list[DateMatch]]) -> Order:
    """How the label writes a numeric date with a slash or a dash (``12/5/1931``). Its language first: a form's
    field names in another language than English (``Fecha:``, ``Date de récolte``, ``Datum``) or another date of
    the label written with a month word of another language (``3 de mayo de 1931``) or a Roman month
    (``3.V.1931``) say day first, even in a US territory (Puerto Rico's Spanish labels). Then the country (or the
    US state) the label names: month first in the USA and its territories, day first elsewhere. A label that names
    neither: not known (a wrong day is worse than none)."""
    for i, line in label.lines(skip_roles=("institution", "catalog", "determination")):
        if _DAY_FIRST_WORDS.search(line):
            return "day"
        for d in found.get(i, []):
            words = re.findall(r"[^\W\d_]+", line[d.start : d.end])
            if d.precision in ("day", "range") and any(_day_first_month(w) for w in words):
                return "day"
    if country_code in _MONTH_FIRST:
        return "month"
    if not country_code or country_code in _EITHER_WAY:
        return "unknown"
    return "day"


def _day_first_month(word: str) -> bool:
    """A month written in another language than English, or a Roman month (``V``, ``xii``)."""
    w = fold(word)
    if w in ROMAN_MONTHS:
        return word.isupper() or word.islower()
    return w in MONTHS and w not in _ENGLISH_MONTHS and len(w) > 3
