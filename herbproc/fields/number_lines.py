"""Collector numbers on lines of their own that the collector's line does not hold (label conventions)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from herbproc.fields import dates, names
from herbproc.fields.label import HEADER, Label, misread_header
from herbproc.fields.text import fold

# "No. 301 Bassin yard.": a cued number heading the line, the locality after it (a hand-filled label writes the
# number first on the line under the collector's). Not a measure ("No. 3 m tall"), a date ("No. 12 May"), nor a
# line going on with other numbers.
_CUED_NUMBER_FIRST = re.compile(
    r"^[^\w#]*(?:no|nr|n[uú]m)\.?\s*:?\s*(?P<num>\d{2,6}[a-z]?)[.,;:]?\s+(?P<rest>[A-Za-z][A-Za-z'’\-]+\b.*)$",
    re.I,
)
_UNIT_WORD = re.compile(
    r"^(?:m|ms|mt|mts|ft|km|mi|cm|mm|in|feet|foot|meters?|metres?|miles?|yards?|yds?|acres?|ha|st|nd|rd|th)\b", re.I
)
_HEADING_REACH = 2  # the lines under the collector's line the heading number may stand on


def cued_number_heading(line: str) -> str | None:
    """The number of a line that opens with a cued number and goes on with words ("No. 301 Bassin yard.")."""
    m = _CUED_NUMBER_FIRST.match(line)
    if m is None or _UNIT_WORD.match(m["rest"]) or fold(m["rest"].split()[0].rstrip(".,")) in dates.MONTHS:
        return None
    if re.search(r"\d", m["rest"]):
        return None  # "No. 17 Plot 4 Date 3 Jan 1921": other numbered fields after it, a form's row, not a locality
    return m["num"]


def cued_number_before_name(line: str, taxon_line: bool) -> str | None:
    """The number of a line that opens with a cued number and goes on with the plant's name ("No. 1234 Quercus
    alba L."): an expedition's form prints "No." before the blank where the name is written."""
    m = _CUED_NUMBER_FIRST.match(line)
    if m is None:
        return None
    listed = names.find_name_in_line(m["rest"])
    return m["num"] if taxon_line or (listed is not None and listed.start_token == 0) else None


def under_the_collector(i: int, collector_line: int | None) -> bool:
    """Line ``i`` stands within ``_HEADING_REACH`` lines under the collector's line."""
    return collector_line is not None and 0 < i - collector_line <= _HEADING_REACH


# "No. 18,186": a cued number written with its thousands separated (a bare "11,650" alone may be an altitude)
_CUED_THOUSANDS = re.compile(r"^[^\w#]*(?:no|nr|n[uú]m|#)\.?\s*:?\s*(?P<num>\d{1,3}(?:,\d{3})+)[\s.]*$", re.I)
THOUSANDS_ALONE = re.compile(r"\d{1,3}(?:,\d{3})+\W*")  # "18,186" read apart from its "No."


def cued_thousands(line: str) -> str | None:
    m = _CUED_THOUSANDS.match(line)
    return m["num"] if m else None


# A form's "#" caption with its series prefix printed ("TNFS# L-", "Coll. # SM-") and the digits written into the
# blank read as the next line ("885"): the number is the prefix and the digits ("L-885").
_HASH_PREFIX_END = re.compile(r"#\s*(?P<prefix>[A-Z]{1,4}-)\s*$")
_DIGITS_ALONE = re.compile(r"\s*(?P<num>\d{2,6}[a-z]?)[\s.]*")


def prefixed_number(line: str, nxt: str) -> str | None:
    """The number of a "#" caption ending in its printed prefix (``line``) whose digits are the next line."""
    head, digits = _HASH_PREFIX_END.search(line), _DIGITS_ALONE.fullmatch(nxt)
    return head["prefix"] + digits["num"] if head and digits else None


# A printed label's number stands in its heading box, right under the title or the issuing herbarium's name
# ("LICHENS OF ROSAVILLE" / "3935"), a box the reader may take apart from the box of the names. Only a plain number
# of three to five digits (six-digit and longer ones alone are accession stamps), the label's only plain number; in
# the heading's box or in a box of its own under it (a number stamped or written apart: "FLORA OF …" / "1315.").
_HEADING_NUMBER = re.compile(r"[\s.,]*(?P<num>[1-9]\d{2,4}[a-z]?)\.?\s*")  # not zero-padded as stamps are
A_YEAR = re.compile(r"1[6-9]\d\d|20[0-3]\d")  # a number that could be a year (1600–2039)


# A herbarium's or a museum's stamp numbers its accessions under its name ("HERBARIUM OF ELMTON COLLEGE" / "4521"),
# unless the line is a trip's or a set's title ("Elmton Museum Expedition to Rosaville, 1941")
_STAMP_WORDS = re.compile(r"\b(?:herbarium|herbier|herb\.|museum|mus[ée]e|accession\w*)", re.I)
_TITLE_WORDS = re.compile(r"\b(?:expedition|exploration|survey|flora|plants|lichens|mosses|cryptogams?)\b", re.I)


# A scientific name's shape: a genus alone, or with its epithet (and an author); a handwritten genus may be read
# in two pieces ("Ca pravia" for Capraria)
_NAME_SHAPE = re.compile(r"[A-Z][a-z]{2,}(?:\s[a-z]{3,}(?:\s.*)?)?|[A-Z][a-z]\s[a-z]{3,}")


def _a_heading(label: Label, k: int) -> bool:
    text = label.text[k]
    if _STAMP_WORDS.search(text) and not _TITLE_WORDS.search(text):
        return False
    return label.roles.get(k) == "institution" or HEADER.match(text) is not None or misread_header(text) is not None


def number_under_heading(label: Label, cards: Sequence[int] | None) -> tuple[int, str] | None:
    """The line and number of a plain number right under the label's title on the title's card (or under the
    name under it). On the names' own card it is asked only when the number stands too far above the names for
    their distance to decide (a form's number at its head, the place and the habitat between)."""
    # a year alone (a determination's ",1939") is never taken, so it does not make the number ambiguous
    plain = [
        (i, m["num"])
        for i, line in label.lines()
        if (m := _HEADING_NUMBER.fullmatch(line)) and not A_YEAR.fullmatch(m["num"])
    ]
    if len(plain) != 1:
        return None
    i, number = plain[0]
    above = i - 1
    if above > 0 and _NAME_SHAPE.fullmatch(label.text[above]) and not _a_heading(label, above):
        above -= 1  # the title, the name written into the form under it, then the number (the name is read later)
    same_card = cards is None or (i > 0 and (cards[above] == cards[i] or _alone_in_box(cards, i)))
    if i == 0 or not label.usable[above] or not same_card or not _a_heading(label, above):
        return None
    return i, number


def _alone_in_box(cards: Sequence[int], i: int) -> bool:
    """Line ``i`` is the only line of its card."""
    return cards.count(cards[i]) == 1


# An exsiccata's or a distributed series' number on the collector's line is the series', not the collector's:
# "Fasc. 3, No. 288" (the part and the number in it), and on an exsiccata's label a cued number before the names
# ("LICHENES EXSICCATI" / "No. 288 Leg. A. Bell": the collector's own number follows the names if given).
_SERIES_NUMBER = re.compile(
    r"\b(?:fasc(?:\.|icul\w*)|cent(?:\.|ur(?:ia|iae|ies|y)\b)|dec(?:\.|as|ades?)|ser(?:\.|ies))\s*[\dIVXLC]+[a-z]?\s*[,;.]?\s*"
    r"(?:no\.?|nr\.?|n\.?\s?[°º]|#)\s*\d+[a-z]?",
    re.I,
)
_EXSICCATA = re.compile(
    r"\b(?:exsicc\w*|reliquiae)\b|^\W*(?:lichenes|musci|hepaticae|fungi|algae|bryophyta)\s+[a-z]+(?:i|ae|es|a)\b",
    re.I,
)


# An exsiccata's or a distributed series' words: its numbers are the series', not the collector's; a Latin title
# of cryptogams names an exsiccata ("LICHENES ARCTICI", "Musci Americani", "Fungi Columbiani")
_SERIES_WORDS = re.compile(
    r"\b(?:exsicc\w*|reliquiae|fasc(?:\.|icul\w*)|cent(?:\.|ur(?:ia|iae|ies|y)\b)|dec(?:as|ades?)\b|(?<!collected and )"
    r"distrib(?:uted|\.)|series\b|ser\.|(?:lichenes|musci|hepaticae|fungi|algae|bryophyta)\s+[a-z]+(?:i|ae|es|a)\b)",
    re.I,
)


def series_label(lines: Sequence[str]) -> bool:
    """A line names the label an exsiccata's or a distributed series' (``_SERIES_WORDS``): no number apart from
    the collector's line is the collector's."""
    return any(_SERIES_WORDS.search(line) for line in lines)


def exsiccata_label(lines: Sequence[str]) -> bool:
    """A line names the label an exsiccata's ("LICHENES AMERICANI EXSICCATI", "Reliquiae …", "Musci Americani")."""
    return any(_EXSICCATA.search(line) for line in lines)


def series_number_spans(line: str, names_start: int, exsiccata: bool) -> list[tuple[int, int]]:
    """Spans of ``line`` whose numbers are a series' (see above), for the collector's number to skip."""
    spans = [(m.start(), m.end()) for m in _SERIES_NUMBER.finditer(line)]
    return [*spans, (0, names_start)] if exsiccata else spans


# A collector's cue, names the reader could not make out as people ("Coll: M H Elm", initials without their dots)
# and a number ending the line: the number is the collector's all the same. Only capitalised words between them
# ("Collected along Route 44" names no one).
_CUED_LINE_NUMBER = re.compile(
    r"^\W*(?:coll(?:ected|ector|s|\.)?(?:\s+by)?|leg(?:it)?\.?)\s*[.:]?\s*"
    r"(?P<names>(?-i:[A-Z][A-Za-z'’\-]*\.?)(?:\s*(?:&|and\s|,)?\s*(?-i:[A-Z][A-Za-z'’\-]*\.?)){1,5})"
    r"[\s,]+(?P<num>\d{2,6}[a-z]?)[\s.]*$",
    re.I,
)


_OTHER_NUMBERS_CAPTION = re.compile(r"\b(?:acc|accession|herb|herbarium|cat|catalog|sheet|specimen|barcode)\b", re.I)


def number_after_cued_names(line: str) -> str | None:
    m = _CUED_LINE_NUMBER.match(line)
    if m is None or A_YEAR.fullmatch(m["num"]) or _OTHER_NUMBERS_CAPTION.search(m["names"]):
        return None  # "Coll. A. Bell Acc. No. 5521": the herbarium's number
    return m["num"]


# A form with an accession number's caption as well as the collector number's ("Number" / "Access No."): a plain
# number read apart from both captions may be either.
_ACCESSION_CAPTION = re.compile(r"\bacc(?:ession|ess)?\.?\s*(?:no\b|nr\b|number|#)", re.I)


def accession_caption(lines: Sequence[str]) -> bool:
    return any(_ACCESSION_CAPTION.search(line) for line in lines)


# A collector who numbers by year writes the year's last two digits before a serial of four ("650161", "650161a"
# for a 1965 collection, "65-0161"): a number alone on its line so written, in the year the label gives, is the
# collector's even away from the names (a six-digit number alone is otherwise taken for an accession stamp).
_YEAR_SERIAL = re.compile(r"[\s.,#]*(?P<num>(?P<yy>\d\d)-?\d{4}[a-z]?)[\s.]*")


def year_prefixed_number(lines: Sequence[tuple[int, str]], year: str) -> tuple[int, str] | None:
    """The line and number of the one number alone on its line that opens with ``year``'s last two digits."""
    found = [(i, m["num"]) for i, line in lines if (m := _YEAR_SERIAL.fullmatch(line)) and m["yy"] == year[2:4]]
    return found[0] if len(found) == 1 and len(year) == 4 and year.isdigit() else None
