"""The collector number apart from the collector's line: alone, beside its date or title, before a name."""

from __future__ import annotations

import re
from collections.abc import Sequence

from herbproc.fields import dates, names, people
from herbproc.fields.institution_lines import NOT_A_TITLE
from herbproc.fields.label import CONFIDENCE, HEADER, Label
from herbproc.fields.number_lines import (
    A_YEAR,
    accession_caption,
    cued_number_before_name,
    cued_number_heading,
    cued_thousands,
    number_after_cued_names,
    number_under_heading,
    prefixed_number,
    series_label,
    under_the_collector,
    year_prefixed_number,
)
from herbproc.fields.text import fold

# A collector number on a line of its own: "No. 355", "#537" (the "#" is its cue), "NO26168", "Collector Number:
# 47", "Collector's No. 47", "Núm. 47", "N0 47" (the "o" read as a zero), "3827.", two collectors' numbers
# "No.: 1234 & 567", a party's "Nos. 1234", "No, 1234" (its dot read as a comma), "N:48"; after a cue a series letter
# or a suffix: "No. A-1234", "No. 1234-A", "No. 1234 bis"; a letter with more letters glued after it opens a
# word, no suffix ("NO.9771FAMILIA": the next caption read onto the number).
# a unit or a thing counted, written out after a number alone on its line: no collector's number
_COUNTED_WORDS = frozenset(
    "feet foot inches metres meters metros miles yards kilometres kilometers leagues sheets specimens plants "
    "duplicates packets pieces".split()
)
_NUMBER_LINE = re.compile(
    r"^[^\w#]*(?P<cue>(?:(?:coll(?:ector(?:'s|’s|s'|s’|s)?|ection|\.)?|field)\s*(?:no\.?|number|#)|nos?[.,]?|nr\.?|n\.?\s?[°º]"
    # "N.º 1234" ("N.o" once NFKC-normalised); "Número de colección: 1234"
    r"|n\.o\.?(?=\s?\d)|n[uú]m(?:ber|ero)?\.?(?:\s+de\s+(?:colecci[oó]n|colector))?"
    r"|n0(?=\.?\s?\d)|#"
    # at a thumbnail's size "No." read "Na.", "Núm." read "Nam." or "Nm." (record_number's cue)
    r"|na\.?(?=\s?\d\d)|na?m\.{1,2}(?=\s?\d\d)"
    # "N:48": the ring of a form's "N°" read as a colon
    r"|n:(?=\s?\d{1,6}(?![\d°º])))\s*[:.]?\s*)?"
    r"(?P<num>(?(cue)(?:[A-Z]{1,3}(?=\d))?)(?(cue)(?:[A-Z]{1,2}-(?=\d))?)\d{1,6}(?:[a-z](?![a-z]))?"
    r"(?(cue)(?:-\d{1,4}[a-z]?|-[A-Za-z](?![A-Za-z])|\s?(?:bis|ter)(?![a-z]))?)(?:\s*&\s*\d{1,6}[a-z]?)?)"
    r"(?![\d.,]\d)\W*(?P<rest>[A-Za-z]*)\W*$",
    re.I,
)


# A field number coded with a series' letters before it and a part after a hyphen, alone right under the
# collector's names: "T1013-15", "SM97-137"
_CODED_NUMBER = re.compile(r"[A-Z]{1,3}(?P<digits>\d{2,6})-\d{1,4}[a-z]?")


# A form's number and its date on one line: "No. 342. Date 3 Jan 1921", "Nr. 17  Datum: 4.6.1932", "No. 1234
# Feb. 12, 1912" (the date's caption not printed), or the date first: "Feb. 12, 1912   No. 1234", "Date Feb. 12,
# 1912   Number 1234".
_NUMBER_AND_DATE = re.compile(
    r"^[^\w#]*(?P<cue>no\.?|nr\.?|n[uú]m\.?|#)\s*:?\s*(?P<num>\d{1,6}[a-z]?)[\s.,;]+"
    r"(?P<caption>(?:date|dated|fecha|datum)\s*[:.]?\s*)?(?P<date>\S.*)$",
    re.I,
)
_DATE_AND_NUMBER = re.compile(
    r"^\W*(?P<caption>(?:date|dated|fecha|datum)\s*[:.]?\s*)?(?P<date>\w.*?)[\s.,;]+"
    r"(?P<cue>no\.?|nr\.?|n[uú]m(?:ber|ero)?\.?|#)\s*:?\s*(?P<num>\d{1,6}[a-z]?)[\s.]*$",
    re.I,
)
# A form's number printed at the head of its title: "No. 595 LICHENS OF ONTARIO" (not a herbarium's accession
# number: "No. 1234 HERBARIUM OF …")
_NUMBER_BEFORE_HEADER = re.compile(r"^[^\w#]*(?:no\.?|nr\.?|#)\s*:?\s*(?P<num>\d{1,6}[a-z]?)\.?\s+(?P<rest>\S.*)$", re.I)


def _number_before_header(line: str) -> re.Match[str] | None:
    m = _NUMBER_BEFORE_HEADER.match(line)
    if m is None or not HEADER.match(m["rest"]) or NOT_A_TITLE.match(m["rest"]):
        return None
    return m


# The same number printed at the end of the title's line or of the line read beside it (the form's "No." at the
# label's top right): "PLANTS OF CUBA      No. 1234", "Vicinity of Elmton   No. 1234"; not a herbarium's accession
# number ("HERBARIUM OF … No. 1234"), nor a road's, a lot's or a sheet's ("Route No. 112")
_LINE_THEN_NUMBER = re.compile(r"^(?P<head>.*?[^\W\d_].*?)[\s,.;]+(?:no\.?|nr\.?|#)\s*:?\s*(?P<num>\d{2,6}[a-z]?)[\s.]*$", re.I)
_HOLDER_WORDS = re.compile(r"\b(?:herbarium|herbier|herb\.|museum|mus[ée]e|garden|institute?|inst\.|accession\w*)", re.I)


def _number_ending_a_line(label: Label) -> tuple[int, str, str] | None:
    """The one line ending with a cued number (three digits or more but on the title's line), on a label of no
    series."""
    found = []
    for i, line in label.lines(skip_roles=("institution", "catalog", "determination", "collector")):
        m = _LINE_THEN_NUMBER.match(line)
        if m is None or _HOLDER_WORDS.search(m["head"]) or A_YEAR.fullmatch(m["num"]):
            continue
        title = HEADER.match(m["head"]) is not None and not NOT_A_TITLE.match(m["head"])
        if title or (len(m["num"].rstrip("abcdefgh")) >= 3 and not people.numbered_thing_before(m["head"])):
            found.append((i, m["num"], m["head"]))
    return found[0] if len(found) == 1 and not series_label(label.text) else None


def _number_before_its_date(label: Label, line: str) -> re.Match[str] | None:
    """``line`` holds a form's cued number and its captioned date and nothing else, on a label of no series."""
    m = _NUMBER_AND_DATE.match(line) or _DATE_AND_NUMBER.match(line)
    if m is None or series_label(label.text):
        return None
    found = dates.find_dates(m["date"])
    if len(found) != 1 or m["date"][: found[0].start].strip(" .,;:") or m["date"][found[0].end :].strip(" .,;"):
        return None
    captioned = bool(m.groupdict().get("caption"))
    if not captioned and found[0].precision in ("year", "years"):
        return None  # "No. 12 1912": no date that tells the number from a year
    if not captioned and len(m["num"].rstrip("abcdefgh")) < 3:
        return None  # "No. 17  3 Jan 1921": without the form's date caption a short number may be a sheet's count
    if m.re is _NUMBER_AND_DATE and not captioned and any(d.start == 0 for d in dates.find_dates(line[m.start("num") :])):
        return None  # "No. 12 May 1912": the number is the date's day
    return m


# A distributed set's printed label sets the collector's number before the species' name: "4579 Solanum
# tequilense Gray", "38. Impatiens capensis Meerb."
_NUMBER_BEFORE_NAME = re.compile(r"^\W*(?P<num>\d{2,6}[a-z]?)\.?\s+(?P<rest>[A-Z][a-z]+\s.*)$")


def _number_before_name(label: Label) -> tuple[int, str] | None:
    """The one line opening with a number and a scientific name, on a label of no exsiccata or series."""
    found = []
    for i, line in label.lines(skip_roles=("institution", "catalog", "determination", "header", "collector")):
        m = _NUMBER_BEFORE_NAME.match(line)
        if m is None or (A_YEAR.fullmatch(m["num"]) and not _dated_elsewhere(label, i)):
            continue
        name = names.find_name_in_line(re.sub(r"(?<=[a-z])\(", " (", m["rest"]))  # "chlorophana(Wahlb.)": glued
        if name is not None and name.start_token == 0:
            found.append((i, m["num"]))
    if len(found) != 1 or series_label(label.text):
        return None
    return found[0]


def cued_number_line(label: Label) -> bool:
    """A cued collector number alone on a line ("No. 613."): a year after the names is then a year."""
    return any(
        (m := _NUMBER_LINE.match(line)) is not None and m["cue"] and not m["rest"]
        for _, line in label.lines(skip_roles=("institution", "catalog", "determination", "header"))
    )


# A printed form's number may stand a few lines above the names, its "No." not printed or not read ("EXPLORATION
# OF …" / "4512" / locality / habitat / names / "COLLECTORS"): taken when it is the only one on the names' card.
_CARD_REACH = 4
_PLAIN_NUMBER = re.compile(r"[\s.,]*\d{3,6}\.?\s*")  # "4512", "4512.", ". 4512" ("No." half read): not "/25"
# A number's printed caption read alone, its blank filled in by hand and read as a line of its own elsewhere
_EMPTY_NUMBER_CAPTION = re.compile(
    r"^\W*(?:coll(?:ector(?:'s|’s|s)?|\.)?\s*)?(?:no|nr|n\s?[°º]|n[uú]m(?:ber|ero)?)\.?\s*:?\W*$", re.I
)


# A measure's caption or unit read alone, its value the line under it
_MEASURE_CAPTION = re.compile(
    r"^\W*(?:alt(?:itude)?|elev(?:ation)?|height|depth|ft|feet|m|meters?|metres?|lat(?:itude)?|long(?:itude)?)"
    r"\.?\s*(?:\(\s*(?:m|ft)\.?\s*\))?\s*:?\W*$",
    re.I,
)


def _heads_next_box(cards: Sequence[int], line_of: int, i: int) -> bool:
    """Line ``i``, right under the names' line, opens the next box of several lines (the reader split the label
    there); a box of one line is a stamp's."""
    return i == line_of + 1 and cards.count(cards[i]) > 1


def read_number_alone(label: Label, labels: Sequence[int] | None) -> None:
    """A collector number alone on its line, when the collector's line gave none: cued ("No. 355") anywhere on
    the label but on (or just under) determination lines and on institution and barcode lines; bare ("3827.")
    only on the collector's card, within two lines of the collector's line, or within four when it is the card's
    only bare number and a plain one. A cued number on the collector's card comes first, then a bare one, then a
    cued one on another card. Never a year, nor a number with a unit or a decimal part."""
    collector = label.fields.get("recordedBy")
    if "recordNumber" in label.fields or (collector is not None and collector.line in label.sine_numero):
        return
    if series_label(label.text):
        return  # an exsiccata's label: a number apart from the collector's names is the series'
    cards = labels if labels is not None and len(labels) == len(label.text) else None
    found: list[tuple[int, int, int, str]] = []  # (rank, distance to the collector's line, line, number)
    plain: list[tuple[int, str]] = []  # the label's bare plain numbers, on any card
    line_of = collector.line if collector is not None else None
    for i, line in label.lines(skip_roles=("institution", "catalog", "determination", "header")):
        distance = abs(line_of - i) if line_of is not None else 99
        on_card = line_of is not None and (cards is None or cards[line_of] == cards[i] or _heads_next_box(cards, line_of, i))
        text = people.repair_cued_numbers(line)
        m = _NUMBER_LINE.match(text)
        if m is None and i > 0 and _EMPTY_NUMBER_CAPTION.match(label.text[i - 1]):
            m = _NUMBER_LINE.match(f"No. {text}")  # "No." / "68-1644": the caption's value under it
        nxt = label.text[i + 1] if i + 1 < len(label.text) and label.usable[i + 1] else ""
        cued = cued_thousands(text) or prefixed_number(text, nxt) or number_after_cued_names(text)
        if m is None and cued is not None:
            found.append((0 if on_card or cards is None else 2, distance, i, cued))
            continue
        if m is None and (dated := _number_before_its_date(label, text) or _number_before_header(text)) is not None:
            found.append((0 if on_card or cards is None else 2, distance, i, dated["num"]))
            continue
        if m is None and (named := cued_number_before_name(text, label.roles.get(i) == "taxon")) is not None:
            found.append((0 if on_card or cards is None else 2, distance, i, named))  # "No. 1234 Quercus alba L."
            continue
        if m is None and on_card and line_of == i - 1 and (coded := _CODED_NUMBER.fullmatch(text.strip())):
            if not A_YEAR.fullmatch(coded["digits"]):
                found.append((0, distance, i, coded[0]))  # "T1013-15" right under "Stephen S. Talbot"
                continue
        if m is None and on_card and under_the_collector(i, line_of) and (heading := cued_number_heading(text)):
            found.append((0, distance, i, heading))  # "No. 301 Bassin yard." under "Coll. A. Bell"
            continue
        if m is None or (m["rest"] and len(m["rest"]) < 4) or _under_a_determination(label, i, line_of, m["cue"]):
            continue  # "12 m", "5 ft": a measure; a word of four letters or more after it is another column
        if i > 0 and _MEASURE_CAPTION.match(label.text[i - 1]):
            continue  # "Alt." / "1450": a form's measure under its caption
        if fold(m["rest"]) in dates.MONTHS:
            continue  # "22 August": a day
        if fold(m["rest"]) in _COUNTED_WORDS:
            continue  # "1234 feet", "12 sheets": a measure or a count
        number = re.sub(r"\s*&\s*", " & ", m["num"])
        if not m["cue"] and _PLAIN_NUMBER.fullmatch(line):
            plain.append((i, number))
        if not m["cue"] and (A_YEAR.fullmatch(number) or len(number) < 2):
            continue  # a year; a lone digit (a stroke read as "1", a sheet's "2" of a set) is no number
        if m["cue"] or on_card:
            rank = 1 if not m["cue"] else 0 if on_card or cards is None else 2
            found.append((rank, distance, i, number))
    found += _cued_number_before_determiner(label, line_of, cards)
    bare = [f for f in found if f[0] == 1]
    if not (cards is not None and len(bare) == 1 and _PLAIN_NUMBER.fullmatch(label.text[bare[0][2]])):
        found = [f for f in found if f[0] != 1 or f[1] <= 2]
    found = [f for f in found if f[0] != 1 or f[1] <= _CARD_REACH]
    if found:  # the best rank, then the nearest to the collector's line
        _, _, i, number = min(found)
        label.keep("recordNumber", number, CONFIDENCE["record_number_alone"], i)
    elif (line_end := _number_ending_a_line(label)) is not None:
        i, number, head = line_end
        label.keep("recordNumber", number, CONFIDENCE["record_number_alone"], i)
        label.text[i] = head  # the place without the form's number
    elif (before_name := _number_before_name(label)) is not None:
        i, number = before_name
        label.keep("recordNumber", number, CONFIDENCE["record_number_alone"], i)
    elif (heading := number_under_heading(label, cards)) is not None:
        i, number = heading
        label.keep("recordNumber", number, CONFIDENCE["record_number_alone"], i)
    elif (by_year := _year_prefixed(label)) is not None:
        i, number = by_year
        label.keep("recordNumber", number, CONFIDENCE["record_number_alone"], i)
    elif (
        len(plain) == 1
        and any(_EMPTY_NUMBER_CAPTION.match(line) for line in label.text)
        and not accession_caption(label.text)
    ):
        i, number = plain[0]  # "No." read alone, "1674" written into its blank read apart: the label's only one
        if not A_YEAR.fullmatch(number) or _dated_elsewhere(label, i):
            label.keep("recordNumber", number, CONFIDENCE["record_number_alone"], i)


def _cued_number_before_determiner(
    label: Label, line_of: int | None, cards: Sequence[int] | None
) -> list[tuple[int, int, int, str]]:
    """A cued number heading a determiner's line, nothing else before the cue ("No. 1234   Det. C. Dunn": the
    form's number and determination blanks side by side), ranked as ``read_number_alone`` ranks a cued number."""
    found = []
    for i, line in label.lines():
        if label.roles.get(i) != "determination" or line_of is None:
            continue
        m = _NUMBER_LINE.match(people.before_determiner_cue(line))
        if m is None or not m["cue"] or m["rest"] or A_YEAR.fullmatch(m["num"]):
            continue
        rank = 0 if cards is None or cards[line_of] == cards[i] else 2
        found.append((rank, abs(line_of - i), i, m["num"]))
    return found


def _under_a_determination(label: Label, i: int, line_of: int | None, cue: str | None) -> bool:
    """Line ``i`` is just under a determination's line, unless that line is the form's one between the collector's
    and the cued number ("Coll. A. Bell" / "Det. C. Dunn" / "No. 1234": the form's captions in turn) or the cued
    number stands right above the collector's names ("Det. C. Dunn" / "No. 1234" / "A. Bell")."""
    if label.roles.get(i - 1) != "determination":
        return False
    return not (cue and line_of in (i - 2, i + 1))


def _year_prefixed(label: Label) -> tuple[int, str] | None:
    """A number alone that opens with the collection year's last two digits ("650161" in 1965)."""
    date = label.fields.get("eventDate")
    lines = list(label.lines(skip_roles=("institution", "catalog", "determination", "header")))
    return year_prefixed_number(lines, date.value[:4]) if date is not None else None


def _dated_elsewhere(label: Label, i: int) -> bool:
    """Another line of the label holds a date with a month: a number like a year on line ``i`` is then no year."""
    return any(
        d.precision not in ("year", "years")
        for k, line in label.lines(skip_roles=("institution", "catalog", "determination"))
        if k != i
        for d in dates.find_dates(line)
    )
