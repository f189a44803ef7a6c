"""Collection and determination dates read from a label's lines, a year from elsewhere for a yearless one."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from herbproc.fields import dates, event_date, institutions, people
from herbproc.fields.label import CONFIDENCE, NUMBER_BEFORE, UNIT_AFTER, Field, Label
from herbproc.fields.number_alone import cued_number_line
from herbproc.fields.people_cues import DET_LINE
from herbproc.fields.record_number import cued_number_spans

_DATE_CUE = re.compile(r"(?:^|\W)(?:date|dated|fecha|datum|coll\.?\s*date)\s*[:.]", re.I)


# A form's captions under its values: "J. Smith" / "1990" / "(Determined)" / "(Year)": the year is the determiner's.
_YEAR_CAPTION = re.compile(r"^\W*\(\s*(?:year|determined(?:\s+by)?|det\.?|identified(?:\s+by)?)\s*\)\W*$", re.I)


def _year_caption_below(label: Label, i: int) -> bool:
    """A "(Year)" or "(Determined)" caption within three lines under line ``i``."""
    return any(_YEAR_CAPTION.match(line) for line in label.text[i + 1 : i + 4])


def read_dates(label: Label, labels: Sequence[int] | None = None) -> None:
    found = {i: dates.find_dates(line) for i, line in label.lines(skip_roles=("institution", "catalog"))}
    code = label.fields["countryCode"].value if "countryCode" in label.fields else ""
    if (order := event_date.numeric_order(label, code, found)) != "month":
        found = {i: dates.find_dates(line, order) for i, line in label.lines(skip_roles=("institution", "catalog"))}
    for i, ds in found.items():
        if not ds and label.roles.get(i) == "collector":
            beside = dates.two_digit_date_at_an_edge(label.text[i], order)
            found[i] = [beside] if beside is not None else []
    elsewhere = event_date.not_collection_dates(label, found, labels)
    cued_alone = cued_number_line(label)
    for i, (number, confidence) in list(label.year_numbers.items()):
        dated = any(
            (k, d.start) not in elsewhere  # a deposit's or a stamp's year is no collection date
            for k in found
            if k != i and label.roles.get(k) != "determination"
            for d in found[k]
        )
        # the year of the date on another line written again beside the names is that year, not a number
        same_year = any(d.iso[:4] == number for k in found if k != i for d in found[k])
        collector = label.fields.get("recordedBy")
        theirs = collector is None or collector.line == i  # not the year beside another person ("C. Dunn 1990")
        if not cued_alone and dated and not same_year and theirs and not _year_caption_below(label, i):
            label.keep("recordNumber", number, confidence, i)
        else:
            del label.year_numbers[i]  # the label's only date: a year
    for i, line in label.lines(skip_roles=("institution", "catalog")):
        role = label.roles.get(i)
        for d in found[i]:
            if d.precision in ("year", "years") and (
                NUMBER_BEFORE.search(line[: d.start]) or UNIT_AFTER.match(line, d.end)
            ):
                continue  # "No. 1912", "1912 ft": a number, not a year
            if d.precision in ("year", "month") and any(s < d.end and d.start < e for s, e in cued_number_spans(line)):
                continue  # "Na1795)", "No1795": a number after its cue misread or glued to it, not a year
            if d.precision == "year" and label.year_numbers.get(i, ("",))[0] == line[d.start : d.end]:
                continue  # the collector number read above
            if (i, d.start) in elsewhere and role != "determination" and not DET_LINE.match(line):
                continue  # a gift stamp's month or year; a two-digit year whose century is unsure
            base = CONFIDENCE["date_" + {"range": "day", "years": "year"}.get(d.precision, d.precision)]
            base -= 0.15 if d.ambiguous else 0.0
            base -= 0.1 if d.repaired else 0.0
            base -= 0.2 if d.guessed else 0.0  # below an exact reading of the same line (the OCR ensemble's choice)
            base -= 0.2 if d.two_digit_year else 0.0  # below a month and a four-digit year
            if role == "collector" or _DATE_CUE.search(line[: d.start + 1]):
                base += 0.1
            det = role == "determination" or DET_LINE.match(line) or _under_determiner(label, found, i, d, labels)
            key = "dateIdentified" if det else "eventDate"
            label.keep(key, d.iso, base, i)
            best = label.fields[key]
            if key == "eventDate" and best.line == i and best.value == d.iso:
                label.fields["verbatimEventDate"] = Field(line[d.start : d.end], best.confidence, i)
    _year_from_elsewhere(label)
    _none_over_an_unread_day(label)


# a day's date whose year no herbarium holds, the month a word and the year's digits misread ("June 24, 1038":
# a handwritten 9 read as 0 at thumbnail size)
_UNREAD_DAY = re.compile(r"(?<![^\W\d_])(?P<mon>[^\W\d_]{3,9})\.?\s*,?\s*[0-3]?\d\s*[,.]?\s*(?P<year>1[0-5]\d\d)(?!\d)")


def _none_over_an_unread_day(label: Label) -> None:
    """No collection date when the one found gives only a month or a year and another line holds a day's date
    that was seen but not read (``_UNREAD_DAY``): the label's own date is that one, the month another card's (a
    slip beside the label: "Sept, 1956")."""
    event = label.fields.get("eventDate")
    if event is None or len(event.value) >= len("yyyy-mm-dd"):
        return
    for i, line in label.lines(skip_roles=("institution", "catalog")):
        m = _UNREAD_DAY.search(line)
        if i != event.line and m and (dates.fuzzy_month(m["mon"]) or dates.month_by_confusions(m["mon"])):
            label.fields.pop("eventDate")
            label.fields.pop("verbatimEventDate", None)
            return


_ONLY_PUNCTUATION = re.compile(r"[\W_]*")


def _under_determiner(
    label: Label, found: Mapping[int, list[dates.DateMatch]], i: int, d: dates.DateMatch, labels: Sequence[int] | None
) -> bool:
    """A date alone on its line right under a determiner's line that has no date of its own ("Det. A. Smith" /
    "3 May 1990"), or under the determiner's institution below it ("det. A. Smith" / "University of Alabama" /
    "1975"): the determination's date, written on the slip's next line, when another line has a date that is
    not a determination's (a label's only date is its collection date, the form's "Determined by:" above it)."""
    prev = i - 1
    if prev > 0 and _institution_line(label, prev) and not _institution_line(label, prev - 1):
        prev -= 1
    if prev < 0 or not (label.roles.get(prev) == "determination" or DET_LINE.match(label.text[prev])):
        return False
    if found.get(prev) or dates.find_dates(label.text[prev]):
        return False
    if labels is not None and len(labels) == len(label.text) and len(set(labels[prev : i + 1])) > 1:
        return False
    line = label.text[i]
    if not _ONLY_PUNCTUATION.fullmatch(line[: d.start] + line[d.end :]):
        return False
    return any(
        ds and k not in (prev, i) and label.roles.get(k) != "determination" and not DET_LINE.match(label.text[k])
        for k, ds in found.items()
    )


def _institution_line(label: Label, i: int) -> bool:
    """Line ``i`` is an institution's name and nothing else: no digit, an institution found over most of it."""
    line = label.text[i]
    if re.search(r"\d", line):
        return False
    if label.roles.get(i) == "institution":
        return True
    found = institutions.find_institution(line)
    return found is not None and len(found.name) >= 0.6 * len(line.strip())


_TRIP_HEADER = re.compile(r"\b(?:plants?|plantae|flora|exploration|expedition|collected)\b", re.I)
_PLANT_WORDS = re.compile(r"\b(?:fl(?:owers?|owering|s)?|fr(?:uits?|uiting|s)?|flores|frutos?|blooming)\b\.?", re.I)
_YEARLESS = re.compile(
    r"(?<![\w.])(?:[^\W\d_]{3,10}\.?\s*[0-3]?\d\b|[0-3]?\d(?:st|nd|rd|th)?[\s.,]*[^\W\d_]{3,10}\b\.?"
    r"|[^\W\d_]{3,10}\.?\s*[-–—]\s*[^\W\d_]{3,10}\b\.?)"
    r"(?!\s*[,.]?\s*\d)"
)  # "August 27", "22 August", "15, October.", a span of months "July—October."
_YEAR_ALONE_LINE = re.compile(r"^\W*\d{4}\W*$")
_DATE_CAPTION = re.compile(r"^\W*(?:date|dated|fecha|datum|data)\s*[:.]?\s*$", re.I)
_DAYS_INTERVAL = re.compile(r"(?P<year>\d{4})-\d\d-\d\d/(?P=year)-\d\d-\d\d")


def _year_from_elsewhere(label: Label) -> None:
    """The collection date written without its year, read with a year from another line, when exactly one line
    holds such a month-and-day date (no flower or fruit words: a phenology note):

    - the label's only date is a bare year of a collecting trip's header ("PLANTS COLLECTED IN TURKS ISLANDS,
      1905", or the year alone under "PLANTAE MEXICANAE"): "Grand Turk, August 27-September 1." → 1905-08-27/…;
    - the label's only full date is an interval within one year (a collecting season printed on a form: "25 June
      – 3 Sept. 1961") and the month-and-day date alone on its line falls inside it: "22 August" → 1961-08-22;
    - the label's only date is a year alone on its line (a form's year, written apart from the day: "1982" …
      "date: July 3."), the month-and-day alone on its line or after a date's caption."""
    found = label.fields.get("eventDate")
    if found is None or found.line is None:
        return
    season = _DAYS_INTERVAL.fullmatch(found.value)
    form_year = False
    if season:
        year = season["year"]
    elif re.fullmatch(r"\d{4}", found.value) and (_trip_year(label, found.line) or _collectors_year(label, found.line)):
        year = found.value
    elif re.fullmatch(r"\d{4}", found.value) and _YEAR_ALONE_LINE.match(label.text[found.line]):
        year, form_year = found.value, True
    else:
        return
    read: list[tuple[int, dates.DateMatch, str]] = []
    for i, line in label.lines(skip_roles=("institution", "catalog", "determination", "header")):
        if i == found.line or dates.find_dates(line) or not _YEARLESS.search(line) or _PLANT_WORDS.search(line):
            continue
        text = line.rstrip() + " " + year
        ds = [d for d in dates.find_dates(text) if d.end == len(text) and _yearless_kind(d)]
        if not ds or ds[-1].repaired:
            continue
        if season and not (_only_a_date(text, ds[-1]) and _within(ds[-1].iso, found.value)):
            continue
        if form_year and not (_only_a_date(text, ds[-1]) or _DATE_CAPTION.match(text[: ds[-1].start])):
            continue
        read.append((i, ds[-1], text))
    if len(read) != 1:
        return
    i, d, text = read[0]
    confidence = found.confidence if season else min(found.confidence + 0.1, CONFIDENCE["date_day"])
    label.fields["eventDate"] = Field(d.iso, round(confidence, 4), i)
    label.fields["verbatimEventDate"] = Field(text[d.start : len(text) - len(year)].strip(" ,."), found.confidence, i)


def _yearless_kind(d: dates.DateMatch) -> bool:
    """A day, a range of days, or a span of months ("July—October"): what a label writes without its year."""
    return d.precision in ("day", "range") or (d.precision == "month" and "/" in d.iso)


def _collectors_year(label: Label, line: int) -> bool:
    """Line ``line`` is the cued collector's and its year follows the names, nothing else: "Coll. Dr. A. Bell,
    1886." (an expedition's year, the months written on the place's line)."""
    collector = label.fields.get("recordedBy")
    if collector is None or collector.line != line or not people.has_collector_cue(label.text[line]):
        return False
    return re.search(r"[,.]?\s*\d{4}\W*$", label.text[line]) is not None


def _trip_year(label: Label, line: int) -> bool:
    """Line ``line``'s year is a collecting trip's: on its header ("… EXPLORATION 1913"), or alone on the line
    under it ("PLANTAE MEXICANAE." / "1893.")."""
    if _TRIP_HEADER.search(label.text[line]):
        return True
    above = [k for k in range(line) if label.usable[k]]
    return bool(above) and _YEAR_ALONE_LINE.match(label.text[line]) is not None and (
        _TRIP_HEADER.search(label.text[above[-1]]) is not None
    )


def _only_a_date(text: str, d: dates.DateMatch) -> bool:
    return not re.search(r"\w", text[: d.start] + text[d.end :])


def _within(day: str, interval: str) -> bool:
    first, last = interval.split("/")
    return "/" not in day and first <= day <= last
