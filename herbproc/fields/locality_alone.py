"""A place named alone on the label, read when no lines of a locality were found."""

from __future__ import annotations

import re

from herbproc.fields import dates, names, people, places
from herbproc.fields.label import CONFIDENCE, HEADER, SERIES_HEADER, Field, Label, strip_dates
from herbproc.fields.locality_place_lines import nothing_else, state_span
from herbproc.fields.locality_trim import grew_on, habitat_only, without_postal_state
from herbproc.fields.locality_words import (
    ADMIN_ONLY,
    AGENCY,
    CAPTION_ONLY,
    DESCRIPTION_WORDS,
    FIELD_NAMES,
    LOCALITY_WORDS,
    PLACE_HEADER,
)
from herbproc.fields.text import fold

# a line of two to four capitalised words and nothing else: "Nueva Gerona", "ST. THOMAS", "Grand Turk" (then
# perhaps a comma and a date whose year is in the header: "Grand Turk, August 27-September 1."; a comma between
# its words: "DRY COASTAL SCRUB, ELMTON")
_PLACE_NAME_LINE = re.compile(
    r"^(?P<place>(?:[A-Z][a-záéíóúñ]+|[A-Z][A-ZÁÉÍÓÚÑ]+|St\.|ST\.)"
    r"(?:(?:\s*,\s*|\s+)(?:[A-Z][a-záéíóúñ]+|[A-Z][A-ZÁÉÍÓÚÑ]+|(?:St|ST)\.(?=\s*[A-Z])|de|del|la)){1,3})"
    r"\s*(?:[.,;]\s*(?P<date>[A-Za-z]{3,}\.?\s*\d.*)?)?$"
)
# a town's name, then after a comma where there the plant grew: "Elmton, in thickets", "Rosa Hill, on rocks"
_PLACE_THEN_HABITAT = re.compile(
    r"^(?P<place>[A-Z][a-záéíóúñ]+(?:\s+(?:[A-Z][a-záéíóúñ]+|de|del|la)){0,3},\s+(?:in|on|among|along|near|en|sobre)\s+"
    r"[a-z][a-z -]*?)\.?(?P<date>)$"
)
# a short place and its elevation alone: "Rosa Estate, 800 ft.", "Morne Elm, alt. 1200 m" (kept as written)
_PLACE_THEN_ELEVATION = re.compile(
    r"^(?P<place>(?:[A-Z][a-záéíóúñ]+|(?:St|Mt)\.)(?:\s+(?:[A-Z][a-záéíóúñ]+|de|del|la)){0,3},?\s+"
    r"(?:(?:alt|elev)[a-z]*\.?\s*|ca\.?\s*)?\d[\d,.]*\s*(?:ft|feet|m|meters|metres)\b\.?(?:\s*alt\.?)?)(?P<date>)$"
)


def place_lines_alone(label: Label, free: dict[int, str]) -> None:
    """No locality was found: a label whose only place text is a short name under the header that names
    where the plants were collected ("PLANTS OF THE ISLE OF PINES" / … / "Nueva Gerona"), else its line that
    holds only its province, after one that holds only its country ("DOMINICAN REPUBLIC" / "prov. San Juan", "Parish:" / "St.
    Thomas"), country first, kept as written: dwc:verbatimLocality is then what the label says of the place."""
    headers = [
        i
        for i, line in enumerate(label.text)
        if label.usable[i] and (PLACE_HEADER.match(line) or SERIES_HEADER.match(line))
    ]
    for h in headers[:1]:
        province = ""  # the province's line alone between the header and the place: "PROVINCE OF X" / "Elmton"
        for i in _lines_under(label, h, 3):
            collector = label.fields.get("recordedBy")
            if not label.usable[i] or PLACE_HEADER.match(label.text[i]):
                continue
            if _province_alone(label, label.text[i]):
                province = label.text[i].strip(" ,;.")
                continue
            if i not in free and not (label.roles.get(i) == "collector" and (collector is None or collector.line != i)):
                continue  # (a line of names above "Collected by …" that gave no collector may be the place)
            m = (
                _PLACE_NAME_LINE.match(label.text[i].strip())
                or _PLACE_THEN_HABITAT.match(label.text[i].strip())
                or _place_then_elevation(label.text[i].strip())
                or _word_under_expedition(label, h, i)
                or _place_after_number(label.text[i])
            )
            if m is None or AGENCY.search(label.text[i]) or (m["date"] and not dates.find_dates(m["date"] + " 1900")):
                continue
            if grew_on(label.text[i], LOCALITY_WORDS):
                continue  # "On Quercus": what the lichen grew on, no place
            if places.find_country(m["place"]) or places.find_states(m["place"]) or _county_alone(m["place"]):
                continue  # a country, a state or a county with its word ("County Elm"): the place rules' terms
            if places.REGION.fullmatch(m["place"].strip(" ,;.")):
                continue  # "BRITISH WEST INDIES", "LESSER ANTILLES": a region of many countries, no locality
            if collector is not None and fold(m["place"]) in fold(collector.value):
                continue  # a collector's name
            if _goes_on_in_capitals(label, free, i):
                return  # the first line of a longer locality in capitals whose end was not read as one
            value = f"{province} {m['place']}" if province else m["place"]
            label.fields["locality"] = Field(value, round(CONFIDENCE["locality_alone"] * label.quality[i], 4), i)
            return
    found: list[tuple[int, str]] = []
    country = label.fields.get("country")
    if country is not None and country.line is not None and not HEADER.match(label.text[country.line]):
        text = label.text[country.line]
        m = places.find_country(text)
        if m is not None and nothing_else(text, m.start, m.end):
            found.append((country.line, text))
    state = label.fields.get("stateProvince")
    if state is not None and state.line is not None and state.line != (country.line if country else None):
        text = label.text[state.line]
        span = state_span(text, label.fields.get("countryCode"))
        if span is not None and not HEADER.match(text) and nothing_else(text, *span):
            caption = label.text[state.line - 1] if state.line > 0 else ""
            if CAPTION_ONLY.match(caption) and ADMIN_ONLY.search(caption):
                text = f"{caption.strip()} {text}"  # "Parish:" / "St. Thomas"
            if found or ADMIN_ONLY.search(text):  # (a state's bare name alone, "North Carolina", is its own term)
                found.append((state.line, text))
        elif span is not None and label.roles.get(state.line) in (None, "place") and _town_before(text, span[0]):
            value = re.sub(r"\s+,", ",", " ".join(strip_dates(text).split())).strip(" ,;.")  # "Amherst, Mass.": as written
            value = without_postal_state(value)  # (not "Elmton, TN": the code is the state's term)
            confidence = round(CONFIDENCE["locality_alone"] * label.quality[state.line], 4)
            label.fields["locality"] = Field(value, confidence, state.line)
            return
    if not found and (places_first := _places_before_the_country(label, free)) is not None:
        line, value = places_first  # "Rhino Camp, Bahr el Jebel, Lado Enclave, Congo Free State": as written
        label.fields["locality"] = Field(value, round(CONFIDENCE["locality_alone"] * label.quality[line], 4), line)
        return
    if not any(line == (state.line if state else None) for line, _ in found):
        return  # a country alone may be a herbarium's address ("SANTO DOMINGO" / "REPUBLICA DOMINICANA")
    if (town := _town_under(label, free, found[-1][0])) is not None:
        found.append((found[-1][0] + 1, town))  # "Prov. Santiago" / "Elmton, en bosque": the town under its province
    value = " ".join(text.strip(" ,;.") for _, text in found)
    line = found[0][0]
    label.fields["locality"] = Field(value, round(CONFIDENCE["locality_alone"] * label.quality[line], 4), line)


def _town_under(label: Label, free: dict[int, str], i: int) -> str | None:
    """The line right under the province's line ``i`` when it names a town alone, or a town and where there
    ("Elmton, in thickets"): not a country, a state or a county."""
    text = free.get(i + 1, "").strip()
    m = _PLACE_NAME_LINE.match(text) or _PLACE_THEN_HABITAT.match(text)
    if m is None or m["date"] or AGENCY.search(text) or people.has_collector_cue(text):
        return None
    if places.find_country(m["place"]) or places.find_states(m["place"]) or _county_alone(m["place"]):
        return None
    return text


def _lines_under(label: Label, h: int, reach: int) -> list[int]:
    """The ``reach`` lines under line ``h``, not counting lines of one word or number between them ("27",
    "white": a handwritten note beside the typed lines, a stray mark read)."""
    out: list[int] = []
    for i in range(h + 1, len(label.text)):
        out.append(i)
        if len(label.text[i].split()) > 1 or (i == h + 1 and _ONE_WORD.match(label.text[i].strip())):
            reach -= 1
        if reach == 0:
            break
    return out


# the collector's number, then the place written after it on its line: "No. 301 Elm yard.", "NO.38 Rosa Hill"
_NUMBER_THEN_PLACE = re.compile(
    r"^\W*(?i:no)\.?\s*\d+[a-z]?\.?\s+(?P<place>[A-Z][a-z'’]+(?:,?\s+[A-Za-z][a-z'’]+){0,5})\.?(?P<date>)$"
)


def _place_then_elevation(line: str) -> re.Match[str] | None:
    """A short place and its elevation alone on a line ("Rosa Estate, 800 ft."); not a plant's height ("Shrub,
    2 m.") nor a kind of ground."""
    m = _PLACE_THEN_ELEVATION.match(line)
    if m is None or DESCRIPTION_WORDS.search(line) or habitat_only(re.sub(r"[\d,.]+.*$", "", line).strip()):
        return None
    return m


def _place_after_number(line: str) -> re.Match[str] | None:
    """A line under a collection's header that holds the collector's number and a short place after it ("No. 301
    Elm yard."): old labels write both on one line; not a plant's name, a habitat or a person."""
    m = _NUMBER_THEN_PLACE.match(line.strip())
    if m is None or habitat_only(m["place"]) or DESCRIPTION_WORDS.search(m["place"]):
        return None
    latin = names.find_name_in_line(m["place"])  # (any "Elm yard" parses as a name: only a Latin-looking one)
    if (latin is not None and latin.score >= 0.5) or people.has_collector_cue(line):
        return None
    return m


_ONE_WORD = re.compile(r"^(?P<place>[A-ZÁÉÍÓÚÑ]{4,})\.?(?P<date>)$")  # (no date: the group is empty)
# a town's name in mixed case alone, not a plant family's ("Compositae", "Rosaceae") or a genus's Latin ending
_ONE_NAME = re.compile(r"^(?P<place>[A-ZÁÉÍÓÚÑ][a-záéíóúñ]{3,}(?<!ae)(?<!us)(?<!um)(?<!is))\.?(?P<date>)$")
_STAMP_WORDS = {"imaged", "duplicate", "duplicado", "type", "isotype", "holotype", "paratype", "specimen", "sheet"}
_NOTE_WORDS = {"planted", "cultivated", "introduced", "native", "sterile", "fertile"}  # a note's word, no place


def _word_under_expedition(label: Label, h: int, i: int) -> re.Match[str] | None:
    """A single word right under a collection's header, in capitals under an expedition's ("EXPLORATION OF GUAM" /
    "UMATAC"), a town's name in mixed case under any ("PLANTS OF CUBA" / "Elmton"): the place typed into the printed
    label's blank; not a field's caption or a stamp's word ("COLLECTORS", "IMAGED")."""
    if i != h + 1 or not PLACE_HEADER.match(label.text[h]):
        return None  # (a word further down, under the plant's name, is as often a misread note: "Plauted.")
    expedition = re.search(r"(?i:exploration|expedition)", label.text[h]) is not None
    m = _ONE_WORD.match(label.text[i].strip()) if expedition else None
    if m is None and label.roles.get(i) is None:
        m = _ONE_NAME.match(label.text[i].strip())  # "PLANTS OF CUBA" / "Elmton": the town typed under the header
    if m is None or m["place"].lower() in FIELD_NAMES | _STAMP_WORDS | _NOTE_WORDS:
        return None
    return m


def _goes_on_in_capitals(label: Label, free: dict[int, str], i: int) -> bool:
    """Line ``i`` (in capitals, no full stop at its end) goes on into the next line, in capitals with a comma:
    "ELM MOUNTAINS, ROSA" / "ARROYO VERDE, 300 METERS": not a place named alone."""
    line, after = label.text[i].rstrip(), free.get(i + 1, "")
    return line.isupper() and not line.endswith(".") and after.isupper() and "," in after


def _province_alone(label: Label, text: str) -> bool:
    """``text`` holds a province named with its admin word ("PROVINCE OF ELMIRA", "Prov. Elmira") or the
    label's state, and nothing else."""
    province = places.find_cued_province(text)
    if province is not None and ADMIN_ONLY.search(text) and nothing_else(text, province[1], province[2]):
        return True
    span = state_span(text, label.fields.get("countryCode"))
    return span is not None and nothing_else(text, *span)


def written_above(label: Label, free: dict[int, str], i: int) -> str | None:
    """The place name alone on the line above an empty "Loc." caption: the blank's value, written above its
    line ("White Rocks" / "Loc. ......"); None when that line is anything else."""
    if i == 0 or (i - 1 not in free and label.roles.get(i - 1) not in (None, "place")):
        return None
    m = _PLACE_NAME_LINE.match(label.text[i - 1].strip())
    if m is None or m["date"] or places.find_country(m["place"]) or places.find_states(m["place"]):
        return None
    return m["place"]


# a short phrase of words before the town, what the spot is: "From wet ground by the brook", "Greenhouse grown"
_SPOT_PHRASE = re.compile(r"[A-Z][a-z'’]+(?:\s+[a-z][a-z'’-]+){1,6}")


# one place's name in a list of them before the country (its quotes aside): capitalised words joined by the
# particles of place names ("Bahr el Jebel", "Rhino Camp", "Lado Enclave")
_PLACE_PART = re.compile(
    r"(?:St\.|Mt\.|[A-Z][\w'’\-]*)(?:\s+(?:(?:el|al|de|del|la|las|los|du|des|of|the|on)\s+)?[A-Z][\w'’\-]*){0,4}"
)


def _places_before_the_country(label: Label, free: dict[int, str]) -> tuple[int, str] | None:
    """(line, value) of the country's free line when it names two places or more before the country and nothing
    after: "Rhino Camp, Bahr el Jebel, Lado Enclave, Congo Free State" (the collection's place, smaller first);
    not the country's divisions alone."""
    country = label.fields.get("country")
    if country is None or country.line is None or country.line not in free or HEADER.match(label.text[country.line]):
        return None
    text = label.text[country.line]
    m = places.find_country(text)
    if m is None or re.search(r"\w", text[m.end :]) or not text[: m.start].rstrip().endswith(","):
        return None
    parts = [p.strip(" \"“”'‘’") for p in text[: m.start].rstrip().rstrip(",").split(",")]
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", text[: m.start])}
    if len(parts) < 2 or not all(_PLACE_PART.fullmatch(p) for p in parts):
        return None  # (a town and its country alone may be an address: "Lima, Peru")
    if words & (FIELD_NAMES | {"region", "area", "site"}):
        return None
    if people.find_collectors(text[: m.start]) is not None:
        return None  # a person's name and the country ("A. Bell, Kenya")
    if (
        places.find_states(text[: m.start])
        or places.find_subdivision(text[: m.start], m.country_code) is not None
        or ADMIN_ONLY.search(text[: m.start])
    ):
        return None  # the country's divisions alone ("District de Gagnon, Québec, Canada"): their own terms
    return country.line, " ".join(text.split()).strip(" ,;.")


def _town_before(text: str, start: int) -> bool:
    """``text[:start]`` is a town's name and a comma, nothing else ("Amherst, " of "Amherst, Massachusetts"),
    perhaps after a short phrase in lower case that says what the spot is and its comma ("From wet ground by
    the brook, Elmton, " of "…, Elmton, R.I.")."""
    head = text[:start].strip()
    spot, comma, rest = head.partition(",")
    if not (comma and _SPOT_PHRASE.fullmatch(spot.strip()) and rest.strip()):
        spot, rest = "", head
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", rest)} | set(spot.lower().split()[:1])
    if words & (FIELD_NAMES | {"region", "area", "site"}):
        return False  # a form's caption: "Region Memphis, Tn"
    return re.fullmatch(r"(?:(?:St\.|Mt\.|[A-Z][a-záéíóúñ'’]+)\s*){1,3},", rest.strip()) is not None


def _county_alone(text: str) -> bool:
    """``text`` is a county named with its word and nothing else ("County Elm", "Elm Co.", "Parish of St. Ann")."""
    county = places.find_county(text)
    return county is not None and not re.search(r"[^\W\d_]", text[: county.start] + text[county.end :])
