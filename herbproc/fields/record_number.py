"""Collector numbers (recordNumber) on a label line: cued ("No. 1234"), bare beside the names, misread digits."""

from __future__ import annotations

import re
from collections.abc import Sequence

from herbproc.fields.label import strip_dates

_SINE_NUMERO = re.compile(
    r"(?<![\w])s\.\s?n\.?(?![\w])(?!\.?\s?[A-Z]\.)|\bsine\s+num(?:ero)?\b|\bsin\s+n[uú]m(?:ero\b|\.)|\bwithout\s+number\b", re.I
)
# Latin "bis" / "ter" after a number: the collector's second or third gathering under it ("No. 1234 bis")
_BIS = r"(?:\s?(?:bis|ter)(?![\w]))?"
# The number: a series letter and a space ("nr. B 2734"), letters glued to digits ("BHPSP5"), a code in capitals
# with a digit (letters alone after "NO" are a number misread past reading: "NO HHOO");
# two collectors' numbers joined by "&" ("No.: 1234 & 56") are one value.
_NUMBER_CUE = re.compile(
    r"(?:(?<![\w])|(?=#))(?P<cue>No\.?|NO\.?|Nos?\.|nos?\.|N[uú]m(?:ber|ero)?\.{0,2}|[Nn]\.?\s?[°º]|Nr\.?|nr\.(?=\s*[A-Z]?\s?\d)|#"
    # "n. 1234": Latin and Italian numero, in lower case and before a number only; "núm. 1234"; "n.º 1234" (the
    # º is an "o" once the line is NFKC-normalised)
    r"|n\.(?=\s?\d)|n[uú]m(?:ero)?\.?(?=\s?\d)|[Nn]\.o\.?(?=\s?\d)"
    # "N0 5722", "N05722": the "o" of "No" read as a zero
    r"|N0\.?(?=\s?\d)"
    # "no, 1234", "mo. 1234": the dot read as a comma, the "n" as an "m" (ocr_confusions.json ",>." and "n>m");
    # "no 1234": the dot left out (or "nº" read as "no"); in lower case only ("Mo." is Missouri), and only before
    # a number
    r"|no,?(?=\s?\d)|mo\.(?=\s?\d)|N[oO],(?=\s?\d)"  # "No, 1234" too
    # at a thumbnail's size: the "o" of "No." read as an "a" ("Na. 22206", "Na 8179"), the "ú" of "Núm." as an
    # "a" or lost ("Nam..1525", "Nm.16275"); only right before a number of two digits or more
    r"|Na\.?(?=\s?\d\d)|Na?m\.{1,2}(?=\s?\d\d))"
    r"\s*:?\s*(?P<num>(?:\d{1,3}(?:,\d{3})+(?![\d,])|[A-Z]{1,2}\s\d{1,6}[a-z]?(?![\w])|[A-Za-z]{0,6}-?\d[\w\-–/.]*|[A-Z]{2,}\d[A-Z\d]*)(?![\d⁄])"
    rf"{_BIS}(?:\s*&\s*\d[\w\-/]*)?)",
)
_NOT_RECORD_CUE = re.compile(  # a whole word: "Howard No. 123" is no road's number
    r"(?<![\w])(?:catalog(?:ue)?|cat\.|acc(?:ession)?\.?|sheet|herb(?:arium)?\.?|barcode|specimen|accession|reg\.?|"
    r"route|rte\.?|highway|hwy\.?|road|rd\.?|lot|plot|quad(?:rat)?|site|station|sta\.?)\s*$",
    re.I,
)


def numbered_thing_before(text: str) -> bool:
    """``text`` ends with a word that numbers something other than a collection ("Route", "Lot", "Sheet")."""
    return _NOT_RECORD_CUE.search(text) is not None


# After the names, their comma, a semicolon, a colon or a spaced dash ("A. Bell: 16204", a form's "No." lost between them;
# "A. Bell - 1234"); never a month and year ("9.1913"), nor part of a decimal measure ("12.5 km": not "12"), of a
# date with its short year ("7/25/74": not "7/25"), of a fraction ("1234½", NFKC "12341⁄2": not "12341"), of a
# coordinate ("12°30'"), nor metres glued to their figure ("1450m")
_BARE_NUMBER = re.compile(
    r"\s*(?:[,:;]|(?<=\s)[-–—](?=\s))?\s*(?!\d{1,2}[./-](?:1[6-9]|20)\d\d(?![\w]))(?P<num>\d{1,6}(?!m\b)(?:\s?(?:bis|ter)(?![\w])|[a-zA-Z]?(?:[-/.]\d{1,4}[a-zA-Z]?|-[A-Za-z](?![\w]))?))(?![\w.,/-]*\d{4})(?![\w])"
    r"(?![.,/⁄-]\d)(?![°º'′\"″%])"
    # and what follows is not a word: a month ("4 Auguit 2019"), a unit ("62 km", "6 mi"), a street
    # ("160 Fishtown Road") — only the end, punctuation, a number, or a second collector ("& …", "with …")
    r"(?=\s*(?:$|[^\w\s]|\d|(?:and|with|et|y|leg|coll)\b))"
)
# A bare number whose next word opens a date: "C. F. Millspaugh 1234  Jan. 3, 1899".
_BARE_NUMBER_BEFORE = re.compile(r"\s*,?\s*(?P<num>\d{1,6}[a-zA-Z]?)[,;]?\s+")
_THOUSANDS = re.compile(r"\s*,?\s*(?P<num>\d{1,3}(?:,\d{3})+)(?![\d,])")  # "W. Harris 12,345"
# A series prefix before the digits, at the end of the line: "E. L. Ekman H12345", "J. Smith JS-1234".
_PREFIXED_NUMBER_LAST = re.compile(r"\s*,?\s*(?P<num>[A-Z]{1,3}-?\d{3,6}[a-z]?|[A-Z] \d{3,6}[a-z]?)[\s.]*$")
_ELL_NUMBER_LAST = re.compile(r"\s*,?\s*(?P<num>l\d{3,5})[\s.]*$")  # "A. Bell l234": an ell for its 1
_NUMBER_LAST = re.compile(r"[\s,;]*(?P<num>\d{2,6}[a-z]?)[\s.]*$")  # after the date: "E. Ekman, 3 Jan. 1925, 1234"
_BARE_NUMBER_IN_PARENS = re.compile(r"\s*,?\s*\((?P<num>\d{2,6}[a-zA-Z]?)\)")  # "Coll. J. Smith (1234)"
# "By Walter Kiener. 6157": the sentence of the names closed by its full stop, the number ending the line (after a
# whole surname only: after an initial the dot is the initial's), the line opened by "By" or a collector's cue
# (not a place read as a name: "Hondo Valle. 2984")
_NUMBER_AFTER_STOP = re.compile(r"\.\s+(?P<num>\d{2,6}[a-z]?)[\s.]*$")
_AN_INITIAL = re.compile(r"(?<![\w.])[A-Z]\.\s?(?=[A-Z])")
_CUE_OPENS = re.compile(r"\W*(?:(?:collected\s+)?by|coll(?:ector)?[.:]?|leg(?:it)?[.:]?)\s*", re.I)
_NUMBER_FIRST = re.compile(r"\W*(?P<num>\d{3,6}[a-zA-Z]?)[\s,.;:]+")  # "1234  J. Smith"


def year_like(number: str) -> bool:
    """A year, or one whose last digit was read as a letter ("198g": a stamp's "Dec 1989")."""
    if len(number) == 4 and number[:3].isdigit() and number[3] in _YEAR_DIGIT_MISREADS:
        number = number[:3] + "0"
    return len(number) == 4 and number.isdigit() and 1700 <= int(number) <= 2030


_YEAR_DIGIT_MISREADS = "gqlIoOsSzZ"  # not "a"-"c": a number's own suffix ("1234a", "198b")


# Characters the reader puts for a digit inside a collector number (synthetic thumbnails, bench/confusions.py and
# ocr_confusions.json: "s>5", "o>0", "i>1"; numbers read "8UO7", "119U9", "144?"). Only between digits of a cued
# number ("No. 4y18"): a series letter or a suffix ("B 2734", "1234a") is never between digits, and a lone "?"
# after the number is the collector's doubt, not a 7. Not "/", though it is often a misread 1: "No. 1234/5" is a
# number with its part.
_DIGIT_MISREADS = str.maketrans("y?lI|OoUsS", "7711100655")
_MISREAD_NUMBER = re.compile(r"\d[\dy?lI|OoUsS]*\d")
# A lower-case "l" opening a cued number of digits is its 1 ("No. l234"), a "b" its handwritten 6 ("No.b354"): a
# series is lettered in capitals ("B 2734").
_LEADING_ELL = re.compile(r"l\d{3,5}")
_LEADING_B = re.compile(r"b\d{3,5}")


def repaired_digits(number: str) -> str:
    """A cued number read with letters for some digits, written with the digits ("4y18" -> "4718"): only a token
    of at least four characters that begins and ends with a digit, at most two of them misread and no more than
    its digits; else as read."""
    if _LEADING_ELL.fullmatch(number):
        return "1" + number[1:]
    if _LEADING_B.fullmatch(number):
        return "6" + number[1:]
    if not (_MISREAD_NUMBER.fullmatch(number) and len(number) >= 4):
        return number
    misread = sum(not c.isdigit() for c in number)
    if misread <= 2 and misread <= len(number) - misread:
        return number.translate(_DIGIT_MISREADS)
    return number


def cued_number_spans(line: str) -> list[tuple[int, int]]:
    """Where ``line``'s numbers after a number's cue stand ("No. 1795", "Na1795": the cue misread): a collector's
    number, never a date's year."""
    return [m.span("num") for m in _NUMBER_CUE.finditer(line)]


def repair_cued_numbers(line: str) -> str:
    """``line`` with the numbers after its cues ("No.", "#", "Nr.") written with digits (see ``repaired_digits``)."""
    return _NUMBER_CUE.sub(
        lambda m: m.group(0)[: m.start("num") - m.start()] + repaired_digits(m.group("num")), line
    )


def find_record_number(
    line: str, after: int | None = None, skip: Sequence[tuple[int, int]] = (), after_start: int | None = None
) -> str | None:
    """A collector number on ``line``: "No. 1234", "#1234", "s.n.", or a bare number right after the names
    (which end at ``after``), or in brackets after them, or before them (``after_start``: where they start) on a
    line with nothing else but a date."""
    for m in _NUMBER_CUE.finditer(line):
        if _NOT_RECORD_CUE.search(line[: m.start()]) or any(s <= m.start("num") < e for s, e in skip):
            continue
        return repaired_digits(re.sub(r"\s*&\s*", " & ", m.group("num").rstrip(".,;")))
    if _SINE_NUMERO.search(line, after or 0):  # not the initials of "S. N. F. Sanford"
        return "s.n."
    if after is not None:
        number = _number_beside_names(line, after, skip, after_start)
        return None if number is not None and _SAINT_MISREAD.fullmatch(number) else number
    return None


# "St." or "Ste." with its S read as 8 or 5 ("Creve Coeur Lake, 8t" / "Louis Co"): a saint's place, no number
_SAINT_MISREAD = re.compile(r"[85]te?")


# What after a short bare number makes it part of a figure: a group of three digits ("1 234", thousands set
# apart by a space) or, after one or two digits, a year (a day whose month was lost: "12 1974")
_THOUSANDS_GROUP = re.compile(r"\s\d{3}(?![\d.,/\-])")
_YEAR_AFTER = re.compile(r"\s+(?:1[6-9]|20)\d\d(?!\d)")
# ... or, after degrees whose sign was lost, the minutes: "36 40'51\"N" (a coordinate)
_MINUTES_AFTER = re.compile(r"\s+[0-5]?\d(?:[.,]\d+)?\s*['’′]")


def _part_of_a_figure(line: str, m: re.Match[str]) -> bool:
    num = m.group("num")
    if not num.isdigit() or len(num) > 3:
        return False
    end = m.end("num")
    if int(num) <= 180 and _MINUTES_AFTER.match(line, end):
        return True
    return bool(_THOUSANDS_GROUP.match(line, end) or (len(num) <= 2 and _YEAR_AFTER.match(line, end)))


def _number_beside_names(
    line: str, after: int, skip: Sequence[tuple[int, int]], after_start: int | None
) -> str | None:
    """A number without a cue beside the names that end at ``after`` (and start at ``after_start``), never
    inside a date of ``skip``: right after them ("A. F. Hill 5696", "12,345"), in brackets, before them on a line
    with only a date besides, before the date ("… 1234  Jan. 3, 1899"), with a series prefix at the line's end,
    or after the date ("…, Jan. 3, 1925, 1234")."""

    def free(m: re.Match[str]) -> bool:
        return not any(s <= m.start("num") < e for s, e in skip)

    m = _THOUSANDS.match(line, after) or _BARE_NUMBER.match(line, after)
    if m and free(m) and not _part_of_a_figure(line, m):
        return m.group("num")
    m = _BARE_NUMBER_IN_PARENS.match(line, after)
    if m and not year_like(m.group("num")):
        return m.group("num")
    cued = after_start is not None and _CUE_OPENS.fullmatch(line[:after_start]) is not None
    # ... or names with initials: "A. Monteagudo, C. Mateo, G. Ortiz. 4909"
    initials = after_start is not None and _AN_INITIAL.search(line, after_start, after) is not None
    m = _NUMBER_AFTER_STOP.match(line, after) if (cued or initials) and line[after - 1 : after].islower() else None
    if m and free(m) and not year_like(m.group("num")):
        return m.group("num")
    m = _NUMBER_FIRST.fullmatch(line[:after_start]) if after_start is not None else None
    if m and not year_like(m.group("num")) and not re.search(r"[^\W\d_]", strip_dates(line[after:])):
        return m.group("num")
    m = _BARE_NUMBER_BEFORE.match(line, after)
    if m and free(m) and any(s == m.end() for s, _ in skip) and not _part_of_a_figure(line, m):
        return m.group("num")
    m = _PREFIXED_NUMBER_LAST.match(line, after)
    if m:
        return m.group("num")
    if m := _ELL_NUMBER_LAST.match(line, after):
        return repaired_digits(m.group("num"))  # "A. Bell l234": its first 1 read as an ell
    gap_end = len(line) - len(line[after:].lstrip(" \t,;"))
    date_end = next((e for s, e in skip if s == gap_end), None)
    m = _NUMBER_LAST.match(line, date_end) if date_end is not None else None
    if m and not year_like(m.group("num")):
        return m.group("num")
    return None
