"""Collectors alone with their number on a line: surnames alone, names turned round ("SMITH, J. 1234")."""

from __future__ import annotations

import re

from herbproc.fields import dates
from herbproc.fields.label import strip_dates
from herbproc.fields.people_names import (
    CAPS_PERSON,
    ET_AL,
    INITIALS,
    INVERTED_LIST,
    INVERTED_ONE,
    JOIN,
    PERSON,
    SURNAME,
    Agents,
    plausible,
    split_people,
)
from herbproc.fields.places import is_place_name
from herbproc.fields.record_number import year_like
from herbproc.fields.text import fold, smart_title

# A name turned round with its number and nothing else on the line, as a collector's list writes it: "SMITH, J. 1234"
_INVERTED_NUMBERED = re.compile(
    rf"\W*(?P<surname>{SURNAME}),\s*(?P<initials>{INITIALS})\s*(?=(?:(?:No|Nr|N[º°])\.?\s*|#\s*)?\d{{2,6}}[a-z]?\W*$)"
)


# Several turned round, their number after them and nothing else: "BELL, A. & DUNN, C. 1234"
_INVERTED_LIST_NUMBERED = re.compile(
    rf"\W*{INVERTED_LIST.pattern}\s*(?=(?:(?:No|Nr|N[º°])\.?\s*|#\s*)?\d{{2,6}}[a-z]?\W*$)"
)


# An initial's stop read as a comma, the name and its number alone on the line: "A, Bell 1234", "A. C, Bell 1234"
_COMMA_INITIALS_NUMBERED = re.compile(
    rf"\W*(?P<initials>(?:[A-Z][.,]\s?){{1,3}})(?P<surname>{SURNAME})(?=\s*,?\s*\d{{2,6}}[a-z]?\W*$)"
)


def comma_initials_numbered(line: str) -> Agents | None:
    m = _COMMA_INITIALS_NUMBERED.match(line)
    if m is None or "," not in m["initials"] or is_place_name(m["surname"]):
        return None
    if re.fullmatch(r"[NSEW],\s?", m["initials"]):
        return None  # "N, Elmton 1234": a bearing, perhaps
    name = " ".join(f"{c}." for c in re.findall(r"[A-Z]", m["initials"])) + " " + smart_title(m["surname"])
    return Agents([name], m.start("initials"), m.end("surname"), cued=False) if plausible([name]) else None


def inverted_and_numbered(line: str) -> Agents | None:
    if (several := _INVERTED_LIST_NUMBERED.match(line)) is not None:
        parts = list(INVERTED_ONE.finditer(several["list"]))
        if not any(is_place_name(p["surname"]) for p in parts):
            found = [f"{p['initials'].strip()} {smart_title(p['surname'])}" for p in parts]
            if plausible(found):
                return Agents(found, several.start("list"), several.end("list"), cued=False)
    m = _INVERTED_NUMBERED.match(line)
    if m is None or is_place_name(m["surname"]):
        return None
    name = f"{m['initials'].strip()} {smart_title(m['surname'])}"
    return Agents([name], m.start("surname"), m.end("initials"), cued=False) if plausible([name]) else None


_NAMED = rf"(?:{PERSON}|{CAPS_PERSON}|{SURNAME})"
# Surnames alone (or names in capitals) and their number make a line of their own: "Britton & Boynton 7721", "Ekman 16342, 3 May 1925",
# the number perhaps cued, in brackets or after a comma when two or more ("Britton, Cowell & Hess, No. 1234",
# "Britton & Hess, 1234", "Britton & Hess (1234)";
# one word may be a herbarium's or a place's: "Kew, No. 12", "Elmton, 1234")
_SURNAMES_NUMBERED = re.compile(
    rf"\W*(?P<people>{_NAMED}(?:{JOIN}{_NAMED}){{0,3}}{ET_AL})(?P<cue>\s*,?\s*(?:No|Nr|N[º°])\.?\s*|\s*,?\s*#\s*|\s*,\s*|\s*(?P<paren>\()|\s+)"
    r"(?P<num>\d{3,6}[a-z]?)(?(paren)\))(?P<rest>[,;.]?(?:\s.*)?)"
)
# Capitalised words a number follows that are not a collector: units, parts of a collection, a survey's grid.
_NUMBERED_THINGS = {
    fold(w)
    for w in (
        "Box Page Plate Fig Vol Tab Tray Folder Cabinet Lot Plot Site Zone Sect Section Block Tract Range Township "
        "Grid Quad Specimen Accession Catalog Sheet Kilometer Kilometers Mile Miles Meters Metres Feet Approx "
        "Circa About Total Number Numero Nummer Nro Exsiccatae Plant Plants Species Genus Family Town Altitude Elevation Height Depth Area Transect Stop Camp "
        # what a "#" numbers besides a collector's gathering ("Sample #12", "Tree #1234")
        "Sample Packet Slide Photo Voucher Record Tag Quadrat Stand Culture Tree Roll Lab Ref Item Bag Jar Image Frame "
        "Bottle Vial Order Job Pole Marker Tube Envelope Film Negative Transparency Unit"
    ).split()
}


def find_numbered_surnames(line: str) -> Agents | None:
    """Collectors written by surname alone, with their number and perhaps a date after it and nothing else on the
    line; never a place ("Cuba 1923"), a unit or a part of a collection ("Box 112"), nor a zero-padded number;
    a number that could be a year only after whole names."""
    lead = _leading_date_end(line)
    m = _SURNAMES_NUMBERED.fullmatch(line[lead:].strip())
    if m is None or re.search(r"[^\W\d_]", strip_dates(m.group("rest"))):
        return None
    if m.group("num").startswith("0"):
        return None  # zero-padded as barcodes are ("FER 012000": a herbarium's code and number), no collector's
    names = split_people(m.group("people"))
    if year_like(m.group("num")) and not all(len(n.split()) >= 2 for n in names):
        return None  # "Cuba 1923", "Britton 1912": a year as likely; after whole names ("VLAD ELM 1756") the
        # number is read as a year or a number where the rest of the label's dates tell (people_lines.read_people)
    if m.group("cue").strip() not in ("", "#") and len(names) < 2:
        return None  # "Kew, No. 1234": a herbarium's number as well; "#" is a collector's ("Bell #1234")
    words = {fold(w) for n in names for w in n.split()}
    if words & _NUMBERED_THINGS or any(len(n) < 3 for n in names) or not plausible(names):
        return None
    offset = lead + len(line[lead:]) - len(line[lead:].lstrip())
    return Agents(names, offset + m.start("people"), offset + m.end("people"), cued=False)


# The close of a quotation, as an exsiccata quotes the collector's own label and then cites him and his number:
# "…terrenos incultos», Carvalho 2102, 26-VII-1986."
_QUOTE_CLOSED = re.compile(r"[»”\"]\s*[,;.]?\s+")


def numbered_after_quote(line: str) -> Agents | None:
    """Surnames and their number after the last closing quotation mark of the line, nothing else after them but a
    date (:func:`find_numbered_surnames` on what the quotation leaves)."""
    closes = list(_QUOTE_CLOSED.finditer(line))
    if not closes:
        return None
    tail = closes[-1].end()
    found = find_numbered_surnames(line[tail:])
    return None if found is None else Agents(found.names, tail + found.start, tail + found.end, cued=False)


def _leading_date_end(line: str) -> int:
    """Where a full date opening the line ends ("AUG 12 1974  ANN BELL 1234": the date, then the collector), else 0."""
    found = dates.find_dates(line)
    if not found or line[: found[0].start].strip() or found[0].precision in ("year", "years"):
        return 0
    return found[0].end
