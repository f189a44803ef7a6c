"""Place lines: what a county, state or country line says beyond them, a division heading the place."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from herbproc.fields import dates, divisions, people, places
from herbproc.fields.label import HEADER, Field, Label, strip_dates
from herbproc.fields.locality_trim import DIVISION_ABBREVIATION
from herbproc.fields.locality_words import (
    ADMIN_ONLY,
    ADMIN_WORDS,
    CAPTION_ONLY,
    DESCRIPTION_WORDS,
    FIELD_NAMES,
    PLACE_COLON,
    ROAD_NEXT,
)
from herbproc.fields.text import fold

# a division named with its word at the line's start, then a stop and what is said of the place
_HEAD_DIVISION = re.compile(
    r"^\W*(?:(?:prov(?:ince|incia)?\.?|parish|dept\.?|department|departamento|depto\.?)\s+(?:(?:of|de|del)\s+)?"
    r"(?:st\.\s*)?[^.:;,\d]{3,40}?|(?:st\.\s*)?[^.:;,\d]{3,40}?\s+(?:parish|province|provincia))\s*[.:;,]\s*(?=\S)",
    re.I,
)


def division_heads(label: Label, i: int, line: str) -> bool:
    """Line ``i`` opens with the label's province or parish named with its word outside the US and Canada ("ST.
    PAUL PARISH. Road above …", "Prov. Elma: …"): labels there and their transcriptions keep it as written."""
    state, code = label.fields.get("stateProvince"), label.fields.get("countryCode")
    if state is None or state.line != i or code is None or code.value in ("US", "CA"):
        return False
    m = _HEAD_DIVISION.match(line)
    if m is None:
        return False
    name, head = (re.sub(r"[^a-z]", "", fold(t).replace("saint", "st")) for t in (state.value, m[0]))
    return name in head


def division_ends(label: Label, parts: list[tuple[int, str, float]], i: int, line: str) -> bool:
    """Line ``i`` holds the label's province or parish with its word, outside the US and Canada, and ends the
    sentence of the locality line above it, which stops on a comma ("Vicinity of Port Elm," / "Portland
    Parish."): kept as written, as the transcriptions keep "…, Province of Puerto Plata"."""
    state, code = label.fields.get("stateProvince"), label.fields.get("countryCode")
    if not parts or parts[-1][0] != i - 1 or not label.text[i - 1].rstrip().endswith(","):
        return False
    if state is None or state.line != i or code is None or code.value in ("US", "CA"):
        return False
    if not ADMIN_ONLY.search(line):
        return False
    if (cued := places.find_cued_province(line)) is not None:
        return nothing_else(line, cued[1], cued[2])
    sub = places.find_subdivision(line, code.value)
    return sub is not None and nothing_else(line, sub.start, sub.end)


def under_place_caption(label: Label, i: int, line: str) -> bool:
    """Line ``i`` stands under a county or state line that ends with a colon and says nothing more ("MONROE
    COUNTY:" / "Key West."): the place it introduces, when the line is no place line itself, no date or name."""
    if i == 0 or label.roles.get(i - 1) != "place" or label.roles.get(i) is not None:
        return False
    above = label.text[i - 1].rstrip()
    if not above.endswith(":") or place_remainder(above) or CAPTION_ONLY.match(above):
        return False
    text = strip_dates(line).strip(" ,;.")
    return (
        len(text.split()) <= 8
        and text[:1].isupper()
        and not dates.find_dates(line)
        and not re.search(r"\d", text)
        and not people.has_collector_cue(line)
        and not DESCRIPTION_WORDS.search(text)
    )


def state_span(text: str, code: Field | None) -> tuple[int, int] | None:
    states = places.find_states(text)
    if states:
        return states[0].start, states[0].end
    if code is not None and (sub := places.find_subdivision(text, code.value)) is not None:
        return sub.start, sub.end
    province = places.find_cued_province(text)
    return (province[1], province[2]) if province else None


_TOWN_COMMA = re.compile(r"^\W*[A-Z][^,;:()\d]{2,60}?\s*,\s*(?=\S)")


def town_before_division(label: Label, i: int, line: str) -> bool:
    """Line ``i`` names a town, then after a comma the label's state with its word and nothing else ("Elmton,
    Prov. Azua", "Rosaville, Depto. Elmia", "Bosque Estatal de Elmton, Mun. Rosa")."""
    state = label.fields.get("stateProvince")
    if state is None or state.line != i or (m := _TOWN_COMMA.match(line)) is None:
        return False
    rest, code = line[m.end() :], label.fields.get("countryCode")
    if code is not None and (municipio := places.find_first_level_municipio(rest, code.value)) is not None:
        return not re.search(r"[^\W\d_]", rest[municipio[2] :]) and bool(_MUNICIPIO_WORD.match(rest[: municipio[1]]))
    span = state_span(rest, code)
    return span is not None and bool(ADMIN_ONLY.search(rest[: span[0]])) and nothing_else(rest, *span)


_WORD = r"(?:St\.|[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]{2,})"
_NAMED = rf"{_WORD}(?:\s+(?:de\s+|del\s+|la\s+|do\s+|da\s+)?{_WORD}){{0,2}}"
# a town (perhaps placed: "Alrededores de", "Near"), then its division named with the division's own word after a
# comma, nothing else: "Elmton, Prov. Rosa.", "Rosaville, Dept. Elmo", "Alrededores de Elmton, Edo. Rosa"
_TOWN_CUED_DIVISION = re.compile(
    rf"^(?:(?i:near|vicinity\s+of|cerca\s+de|alrededores\s+de|arredores\s+de|environs\s+de|pr[eè]s\s+de)\s+)?"
    rf"{_NAMED}\s*,\s*(?i:prov(?:incia)?\.?(?:\s+de)?|dep(?:to|t|artamento)?\.?(?:\s+de[l]?)?|dpto\.?|"
    rf"edo\.?|estado\s+de)\s+{_NAMED}\s*\.?$"
)


def town_and_cued_division(line: str) -> bool:
    """``line`` names a town, then after its comma a province, department or state with its word, nothing else
    ("Elmton, Prov. Rosa."): the place as labels write it, though neither name is known."""
    return _TOWN_CUED_DIVISION.match(line.strip()) is not None


_MUNICIPIO_WORD = re.compile(r"^\W*(?i:municipio|mun|mpio|mpo)\.?\s*(?i:de\s+)?$")  # "Mun. Rosa" (Puerto Rico)


def nothing_else(text: str, start: int, end: int) -> bool:
    """``text`` holds nothing beyond ``text[start:end]`` but an admin word ("prov.", "Parish:") and punctuation."""
    rest = ADMIN_ONLY.sub(" ", text[:start] + " " + text[end:])
    return not re.search(r"[^\W\d_]", rest)


def place_before_colon(line: str) -> int | None:
    """Where a "Place: what is said of it" begins on ``line`` (the place's first character), else None. Not a
    field's name ("Habitat:", "Det.:"), nor a county or state line ("Hampden County:", "State of Vermont:", an
    admin word misread "COENTY:"), which the place rules read."""
    for m in PLACE_COLON.finditer(line):
        words = [w.strip(".").lower() for w in m["place"].split()]
        if any(w in FIELD_NAMES for w in words) or HEADER.match(m["place"]):
            continue
        if any(_misread(w, admin) for w in words for admin in ADMIN_WORDS) or any(map(_misread_caption, words)):
            continue
        if DIVISION_ABBREVIATION.search(line[: m.start("place")].rstrip(" .")):
            # "Dpto. Elm, Prov. Rosa: …": the name after a division's shortened word, whose stop ends no
            # sentence: the place begins with the line's divisions
            return len(line) - len(line.lstrip(" ,;.-"))
        if places.find_states(m["place"]) or places.find_county(m["place"]):
            continue
        rest = line[m.end() :]
        if re.fullmatch(r"\W*[A-Za-z]{0,3}\d[\w\-/.]*\W*", rest):
            continue  # "Núm: 16235", "Reg.: A-1234": a caption and its number, no place said of
        if people.find_collectors(rest) is not None and people.find_collectors(rest).start == 0:
            continue  # "Leader: J. Smith"
        return m.start("place")
    return None


_HEAD_COLON = re.compile(r"^\W*(?P<place>[^\W\d_][^:;,\d]{1,50}?)\s*:\s*(?=\S)")


def division_before_colon(label: Label, i: int, line: str) -> int | None:
    """Where a place line headed by the stateProvince read on it begins ("Prov. Oriente: Sierra Maestra, …",
    "Andros: Twin Lakes region"): kept as written, the division before the colon too, though what follows
    reads like a person's name or the head holds an admin word."""
    state, code = label.fields.get("stateProvince"), label.fields.get("countryCode")
    m = _HEAD_COLON.match(line)
    if state is None or state.line != i or code is None or code.value in ("US", "CA") or m is None:
        return None
    place = m["place"]
    named = fold(state.value) in fold(place) or places.subdivision_code(place, (code.value,)) == (
        places.subdivision_code(state.value, (code.value,)) or "?"
    )
    return m.start("place") if named else None


def _misread(word: str, admin: str) -> bool:
    """``word`` is ``admin`` or an OCR misreading of it ("COENTY", "Costy"): same first letter, length within
    one, Indel similarity ≥ 70."""
    return word[:1] == admin[:1] and abs(len(word) - len(admin)) <= 1 and fuzz.ratio(word, admin) >= 70


# a form's caption of seven letters or more, one letter misread ("Substratu:", "Habltat:"): no place
_LONG_CAPTIONS = tuple(sorted(w for w in FIELD_NAMES if len(w) >= 7))


def _misread_caption(word: str) -> bool:
    return len(word) >= 6 and any(
        word[:1] == c[:1] and abs(len(word) - len(c)) <= 1 and fuzz.ratio(word, c) >= 85 for c in _LONG_CAPTIONS
    )


def opens_with_country(line: str) -> bool:
    """The line begins with a country's name, perhaps after a region in capitals and a comma or a full stop
    ("WEST INDIES, Dominica. St. George …"); not "PLANTS COLLECTED IN TURKS ISLANDS" (a header)."""
    if HEADER.match(line):
        return False
    country = places.find_country(line)
    if country is None:
        return False
    before = line[: country.start]
    return not before.strip() or re.fullmatch(r"[A-Z][A-Z .]*[,.]\s*", before) is not None


_PLACE_WORDS = r"(?:[A-Z][\w'’áéíóúñ]*\.?|of|de|del|la|OF|DE|DEL|LA)"
_ONE_PLACE = rf"{_PLACE_WORDS}(?:\s+{_PLACE_WORDS}){{0,3}}"
_PLACE_LIST = re.compile(rf"^\s*{_ONE_PLACE}(?:\s*,\s*{_ONE_PLACE}){{2,}}\s*,\s*$")  # two places or more, a comma
_ORGANISATION = re.compile(
    r"\b(?:univ\w*|herb\w*|museum|garden|jard[ií]n|institut\w*|college|school|dep(?:artmen)?t\.?|botany|"
    r"society|academy|laborator\w*|station)\b",
    re.I,
)


def places_to_their_country(line: str) -> bool:
    """``line`` lists places from the smaller to the larger after commas and ends with its country, with at least
    two places before it ("ELMTON, RIVA, PROVINCE OF ROSA, PERU"): not a herbarium's address ("Botany
    Department, Elm University, Peru"), nor a town and its country alone."""
    if HEADER.match(line) or _ORGANISATION.search(line):
        return False
    country = places.find_country(line)
    if country is None or line[country.end :].strip(" .") or re.search(r"\d", line):
        return False
    return _PLACE_LIST.match(line[: country.start]) is not None


def only_places(line: str) -> bool:
    """``line`` holds a country and states and nothing else but punctuation."""
    spans = [(s.start, s.end) for s in places.find_states(line)]
    country = places.find_country(line)
    if country is not None:
        spans.append((country.start, country.end))
    rest = line
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return bool(spans) and not re.search(r"[^\W\d_]", rest)
_FORM_CAPTIONS_LEFT = re.compile(r"(?:(?:state|county|province|prov|country|parish|co)\b\W*)+", re.I)


def place_remainder(line: str, following: str = "") -> str:
    """What a place line says beyond county, state and country ("NEW LONDON CO: Groton." → "Groton."); a state
    whose road it names is kept ("… on Georgia Highway 15", or "… on Georgia" with ``following``, the next line,
    "Highway 15, …")."""
    if HEADER.match(line):
        return ""
    spans = [(s.start, s.end) for s in places.find_states(line) if not _names_a_road(line, s.end, following)]
    county = places.find_county(line)
    if county:
        spans.append((county.start, county.end))
    country = places.find_country(line)
    heads = country is not None and county is not None and country.end <= county.start
    if country and (
        country.country_code in ("US", "CA")
        or not (county or spans)
        or (heads and places.country_heads_line(line, country.start, country.end))  # "JAMAICA: Parish of …"
    ):
        spans.append((country.start, country.end))  # not "Norway" after "Oxford Co.:": a town
    rest = line
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    rest = re.sub(r"\s+", " ", rest).strip(" ,;:.-")
    rest = re.sub(r"^(?:[,;:.\-]\s*)+", "", rest)
    rest = re.sub(r"(?<=[,;:])(?:\s*[,;:](?!\w))+", "", rest)  # "Elmton, Essex Co., N.Y., Rosa Lake": one comma left
    rest = re.sub(r"\b\d{5}(?:-\d{4})?\b", "", rest).strip(" ,;:")  # ZIP codes
    if _ISLAND_WORD.fullmatch(rest):
        return ""  # "ISLA DE CUBA", "Island of Jamaica": the country that is the island
    if _FORM_CAPTIONS_LEFT.fullmatch(rest):
        return ""  # "State: Vermont  County: Lamoille": a form's captions around the values read
    return rest if sum(ch.isalpha() for ch in rest) >= 3 else ""


def _names_a_road(line: str, end: int, following: str) -> bool:
    after = line[end:]
    return bool(ROAD_NEXT.match(after) or (not after.strip() and ROAD_NEXT.match(following)))


_ISLAND_WORD = re.compile(rf"{divisions.ISLAND_WORD}(?:\s+(?i:of|de|d['’]))?(?:\s+la)?")
