"""Where a label with no locality line writes its place on another field's line: before the collecting date
("ELMTON, May 5-13, 1920") or after the collector's name, number and date ("A. Bell 1234, near Elmton, Jan. 1920")."""

from __future__ import annotations

import re

from herbproc.fields import dates, names, people, places
from herbproc.fields.label import CONFIDENCE, HEADER, Field, Label, strip_dates
from herbproc.fields.locality_cues import names_place as _names_place
from herbproc.fields.locality_place_lines import town_and_cued_division
from herbproc.fields.locality_trim import habitat_only
from herbproc.fields.locality_words import (
    AGENCY,
    DESCRIPTION_WORDS,
    FIELD_NAMES,
    LOCALITY_WORDS,
    PLACE_HEADER,
)
from herbproc.fields.text import fold

_NAME = r"(?:St\.|Mt\.|[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]{2,}|[A-ZÁÉÍÓÚÑ]{3,})"
# one to four capitalised words, perhaps a second such name after a comma: "ELMTON", "Cerro Elmo", "Elmton, St. Ann"
_PLACE_NAME = re.compile(
    rf"{_NAME}(?:\s+(?:{_NAME}|de|del|la|do|da))*(?:\s*,\s*{_NAME}(?:\s+(?:{_NAME}|de|del|la|do|da))*)?"
)
# a place's elevation between the place and the date: "Rosaville, 200 m, Jan. 1927"
_ELEVATION = re.compile(r"(?i:,\s*(?:alt\.?|elev\.?|ca\.?)?\s*\d[\d,.]*\s*(?:m|ft|feet|meters|metres)\.?)")
# a word that places the name: "near Elmton", "at Rosaville", "in Cuba Orientali", "prope Elmton", "cerca de Elmton"
_PLACING = r"(?:(?i:near|at|in|on|prope|ad|cerca\s+de|pr[eè]s\s+de|vicinity\s+of|vic\.\s+of|environs\s+of)\s+)?"
_PLACE_AFTER = re.compile(rf"^{_PLACING}{_PLACE_NAME.pattern}$")


def read_dated_place(label: Label) -> None:
    """No locality was found: the place written on the collecting date's line before its date, or on the
    collector's line after the name, number and date, or a town and its country alone on a line ("Elmton,
    Haiti."), kept as written (dwc:verbatimLocality)."""
    for line, value in (
        _place_before_date(label),
        _place_after_collector(label),
        _town_and_country(label),
        _town_then_ground(label),
        _place_before_names(label),
        _place_then_elevation(label),
    ):
        if value:
            label.fields["locality"] = Field(value, round(CONFIDENCE["locality_alone"] * label.quality[line], 4), line)
            return


def _place_before_date(label: Label) -> tuple[int, str]:
    """The collecting date's line holds a place's name, a comma and the date ("ELMTON, May 5-13, 1920",
    "Rosaville, 200 m, Jan. 1927", "Collected at Rosaville, Jan. 1920"), the collector read on another line: the place; not a person's, a herbarium's or a country's or state's alone."""
    date, collector = label.fields.get("eventDate"), label.fields.get("recordedBy")
    if date is None or date.line is None or label.roles.get(date.line) not in (None, "place"):
        return 0, ""
    if collector is None or collector.line == date.line:
        return 0, ""  # (with no collector read elsewhere, "Bell, May 5, 1920" may be the collector's own line)
    text = label.text[date.line]
    found = [d for d in dates.find_dates(text) if not re.search(r"[^\W\d_]", text[d.end :])]
    if not found or "," not in text[: found[-1].start]:
        return 0, ""
    lead = _ELEVATION.sub("", text[: found[-1].start].rstrip(" ,;.")).strip()
    lead = re.sub(r"^(?i:no)\.?\s*\d+[a-z]?\.?\s+", "", lead)  # "No. 1234. Rosaville, Cuba. Jan. 1920."
    lead = re.sub(rf"^(?:(?i:collected)\s+(?=(?i:at|in|near)\s))?{_PLACING}", "", lead)  # "Collected at Rosaville,"
    if not _PLACE_NAME.fullmatch(lead) or not _plain_place(label, lead):
        return 0, ""
    return date.line, re.sub(r"^(?i:no)\.?\s*\d+[a-z]?\.?\s+", "", text[: found[-1].start]).strip(" ,;.")


def _place_after_collector(label: Label) -> tuple[int, str]:
    """The collector's line goes on after the names, the number and the date with a place ("A. Bell 1234, near
    Elmton, Jan. 1920", "Coll. A. Bell, 1856, in Cuba Orientali."): the place, after its comma."""
    collector = label.fields.get("recordedBy")
    if collector is None or collector.line is None:
        return 0, ""
    line = label.text[collector.line]
    surnames = [w for w in re.findall(r"[^\W\d_]{3,}", collector.value) if w[:1].isupper()]
    ends = [m.end() for w in surnames for m in re.finditer(rf"\b{re.escape(w)}\b", line, re.I)]  # "C. WRIGHT"
    if not ends:
        return 0, ""
    rest = re.sub(r"^\W*(?:(?i:no)\.?\s*)?\d+[a-z]?\b", "", line[max(ends) :])  # the collector's number
    rest = re.sub(r"^\W*(?:(?i:no)\.?\s*)?\d+[a-z]?\b", "", strip_dates(rest))
    if not re.match(r"^\s*[,.;]", rest):
        return 0, ""  # (the place stands apart from the names and the number after its comma)
    parts = [p.strip(" .") for p in re.split(r"[,;]", rest)]
    while parts and not parts[-1]:
        parts.pop()
    while parts and not parts[0]:
        parts.pop(0)
    value = ", ".join(parts)
    if not value or "" in parts or not _PLACE_AFTER.fullmatch(value) or re.search(r"\b[A-Z]\.", value):
        return 0, ""
    if not _plain_place(label, re.sub(rf"^{_PLACING}", "", value)):
        return 0, ""
    return collector.line, value


def _plain_place(label: Label, place: str) -> bool:
    """``place`` names where, no other field's words: not a country or state alone, a herbarium, a header, a
    form's caption, a plant's name or description, a kind of ground, nor one of the label's people."""
    words = {w.lower().strip(".") for w in place.split()}
    if words & FIELD_NAMES or AGENCY.search(place) or HEADER.match(place) or PLACE_HEADER.match(place):
        return False
    if DESCRIPTION_WORDS.search(place) or habitat_only(place):
        return False
    country = places.find_country(place)
    if country is not None and not re.search(r"[^\W\d_]", place[: country.start] + place[country.end :]):
        return False
    if any(not re.search(r"[^\W\d_]", place[: s.start] + place[s.end :]) for s in places.find_states(place)):
        return False
    listed = names.find_name_in_line(place.split(",")[0])  # (not "Elmton, Jamaica" read as "Elmton jamaica")
    if listed is not None and listed.start_token == 0 and listed.score >= 0.5:
        return False
    people = " ".join(
        f.value for key in ("recordedBy", "identifiedBy") if (f := label.fields.get(key)) is not None
    )
    return not any(fold(w) in fold(people).split() for w in re.findall(r"[^\W\d_]{3,}", place))


def _town_and_country(label: Label) -> tuple[int, str]:
    """A line in mixed case that holds a town's name and its country after a comma, nothing else ("Elmton,
    Haiti."), a collector read, no herbarium's line just above it (whose address it would be): the town."""
    state = label.fields.get("stateProvince")
    if label.fields.get("recordedBy") is None:
        return 0, ""  # (no collector read: a slip's address, "Lima, Peru", as likely as where the plant grew)
    for i, line in label.lines():
        if label.roles.get(i) not in (None, "place") or line.isupper() or (state is not None and state.line == i):
            continue  # (a town that is also its state's name gives the state's term)
        if any(label.roles.get(k) == "institution" for k in range(max(i - 2, 0), i)):
            continue
        town, comma, rest = line.strip().partition(",")
        rest = rest.strip()
        country = places.find_country(rest)
        if not comma or country is None or country.start != 0 or rest[country.end :].strip(" ."):
            continue
        if _PLACE_NAME.fullmatch(town) and "," not in town and _plain_place(label, town):
            return i, line.strip(" ,;.")
    return 0, ""


# a town's name, then after its comma where there the plant grew, in lower case: "Rosaville, in rupibus.", "Elmton,
# on limestone rocks", "Elmton, en potreros"
_TOWN_THEN_GROUND = re.compile(
    rf"^(?P<town>{_NAME}(?:\s+(?:{_NAME}|de|del|la))*)\s*,\s*(?:in|on|ad|among|along|inter|en|sobre|dans)\s+[a-z][a-z ,-]*\.?$"
)


def _town_then_ground(label: Label) -> tuple[int, str]:
    """A free line that names a town, then the ground the plant grew on there ("Rosaville, in rupibus."), the
    collector read elsewhere: the line, as written."""
    collector = label.fields.get("recordedBy")
    if collector is None:
        return 0, ""
    for i, line in label.lines():
        m = _TOWN_THEN_GROUND.match(line.strip())
        if m is None or label.roles.get(i) is not None or i == collector.line:
            continue
        if _plain_place(label, m["town"]) and not DESCRIPTION_WORDS.search(line):
            return i, line.strip(" ,;.")
    return 0, ""


def _place_before_names(label: Label) -> tuple[int, str]:
    """The collector's line opens with a place and its comma, then the initials and names ("Vicinity of Elmton,
    A. Bell 44, May 1912"): the place, when a place word says it is one."""
    collector = label.fields.get("recordedBy")
    if collector is None or collector.line is None:
        return 0, ""
    line = label.text[collector.line]
    m = re.search(r"(?:,\s*)(?=(?:[A-Z]\.\s*){1,3}[A-Z][a-z])", line)
    if m is None or people.has_collector_cue(line[: m.start()]):
        return 0, ""
    lead = line[: m.start()].strip(" ,;.")
    if not LOCALITY_WORDS.search(lead) or DESCRIPTION_WORDS.search(lead) or re.search(r"\d", lead):
        return 0, ""
    return (collector.line, lead) if _plain_place(label, re.sub(rf"^{_PLACING}", "", lead)) else (0, "")


# a place, then its elevation ending the line: "Rosaville, Prov. Elmo, 300 m.", "Rosaville, 2500 m. alt."
_THEN_ELEVATION = re.compile(
    r"^(?P<place>[^\d]+?)\s*,?\s*(?:(?i:alt|elev|ca)\.?\s*)?\d[\d,.]*\s*(?i:m|ft|feet|meters|metres)\b\.?(?:\s*(?i:alt)\.?)?\s*$"
)


_PLACED_NAME = re.compile(r"\b(?:above|below|behind|beyond|back\s+of|near|at)\s+(?:St\.\s*)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,}")


def _place_then_elevation(label: Label) -> tuple[int, str]:
    """A free line that names a place, then its elevation ("Elmton, Jamaica, 1500 ft.", "Dry slopes above
    Rosaville, 800 m."): a proper name (a town, with its country or its division), or words that place a name."""
    collector = label.fields.get("recordedBy")
    if collector is None:
        return 0, ""
    for i, line in label.lines():
        m = _THEN_ELEVATION.match(line.strip())
        if m is None or label.roles.get(i) not in (None, "place") or i == collector.line:
            continue
        place = m["place"].strip(" ,;.")
        if DESCRIPTION_WORDS.search(place) or habitat_only(place):
            continue
        named = _PLACE_NAME.fullmatch(re.sub(rf"^{_PLACING}", "", place)) and _plain_place(label, place)
        placed = _names_place(place, LOCALITY_WORDS) or _PLACED_NAME.search(place) is not None
        if named or town_and_cued_division(place) or placed:
            return i, line.strip(" ,;.")
    return 0, ""
