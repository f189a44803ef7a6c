"""A label's first-level division outside the US and Canada: ISO 3166-2's, a former one, a US territory's."""

from __future__ import annotations

import re
from dataclasses import replace

import pycountry

from herbproc.fields import counties, divisions, places
from herbproc.fields.label import CONFIDENCE, HEADER, Label
from herbproc.fields.subdivisions import NEAR_DIVISION_AT, near_subdivision
from herbproc.fields.taxon import confusion_costs
from herbproc.fields.text import fold, smart_title

# A place line's head: what stands before its first colon, semicolon or stop, after a form's caption.
_PLACE_HEAD = re.compile(
    r"^\W*(?:(?:locality|loc|place)\.?\s*:\s*)?(?P<head>(?:\b(?:St|Ste|ST|STE)\.\s*|[^:;.,])+)", re.I
)  # "St. Croix": a saint's stop is no end of the head
# ... and after the territory's own name and a colon: "Virgin Islands: St. Croix, near …"
_AFTER_COUNTRY = re.compile(r"\s*:\s*(?P<head>(?:\b(?:St|Ste|ST|STE)\.\s*|[^:;.,])+)")
# ... and a place before a colon after a sentence's stop on the line ("… pale yellow.Lares: Bo. Pezuela.")
_PLACE_AFTER_STOP = re.compile(r"[.;]\s*(?P<head>[A-Z][^:;.,]{2,40}):")


def read_territory_division(label: Label, lines: list[tuple[int, str]], code: str) -> None:
    """A US territory's municipio (district, island) as the stateProvince where a place line opens with it or is
    it alone (``PUERTO RICO`` / ``LARES``, ``Locality: Lares: 2 km N``); the Census list of them, whole names
    only (``counties.territory_division``)."""
    for i, line in lines:
        if label.roles.get(i) not in (None, "place"):
            continue
        head = _PLACE_HEAD.match(line)
        heads = [head["head"]] if head else []
        country = places.find_country(line)
        if country is not None and country.country_code == code and not re.search(r"\w", line[: country.start]):
            heads += [m["head"] for m in [_AFTER_COUNTRY.match(line, country.end)] if m]
        heads += [m["head"] for m in _PLACE_AFTER_STOP.finditer(line)]
        if header := HEADER.match(line):  # "Flora of St. Croix, D.W.I.", "PLANTS OF VIEQUES ISLAND, PORTO RICO"
            heads.append(re.sub(r"(?i)^the\s+", "", header["place"]).split(",")[0].strip(" .;:"))
        for text in heads:
            if fold(text).strip(" .") == fold(places.country_of_code(code)):
                continue  # "GUAM": the territory itself, one division in the Census list
            if counties.territory_division(text, code):
                label.keep("stateProvince", smart_title(text.strip()), CONFIDENCE["state_territory"], i)
                return


def read_subdivision(label: Label, lines: list[tuple[int, str]], code: str) -> None:
    """The ISO 3166-2 subdivision of the named country that a cue word marks as one ("Prov. Samaná", "Parish of
    St. George"), else one on a line that names the country ("Dominica. St. George."), else a province that a
    province word names though ISO 3166-2 does not list it ("Provincia Pacificador": historical, renamed)."""
    lines = [(i, _unwrapped(label, i, line, code)) for i, line in lines]
    found = [
        (i, sub)
        for i, line in lines
        if (sub := places.find_subdivision(line, code)) is not None and not _in_the_country_name(line, sub)
    ]
    on_country_line = [(i, sub) for i, sub in found if _country_of_line(label.text[i]) == code]
    cued = [(i, sub) for i, sub in found if sub.cued]
    for i, sub in (cued or on_country_line)[:1]:
        province = None if cued else places.find_cued_province(label.text[i])
        if province is not None and not _country_then_division(label.text[i], sub, province[1]):
            # "SOLEDAD, RIVAS, PROVINCE OF LEON, NICARAGUA": the province word's province, the other a town
            label.keep("stateProvince", province[0], CONFIDENCE["state_cued_unlisted"], i)
            return
        label.keep("stateProvince", sub.name, CONFIDENCE["state_name"], i)
    if cued or on_country_line:
        return
    for i, line in lines:  # "prov. San Juam": a division after its word, misread by the reader
        if (near := near_subdivision(line, code)) is not None:
            label.keep("stateProvince", near.name, CONFIDENCE["state_misread"], i)
            return
    for i, line in lines:  # a province the label names that ISO 3166-2 does not list: "Provincia Pacificador"
        if (province := places.find_cued_province(line)) is not None:
            name = divisions.department_before(line, province[1]) or province[0]  # "Dept. Cuzco, Prov. Urubamba"
            label.keep("stateProvince", name, CONFIDENCE["state_cued_unlisted"], i)
            return
    for i, line in lines:  # "Municipio Orocovis" where ISO lists no level below the country
        if (municipio := places.find_first_level_municipio(line, code)) is not None:
            label.keep("stateProvince", municipio[0], CONFIDENCE["state_cued_unlisted"], i)
            return
    for i, line in lines:  # "ORIENTE, CUBA": a former division on the country's line
        if name := divisions.former_division_beside(line, code):
            label.keep("stateProvince", name, CONFIDENCE["state_division_head"], i)
            return
    for i, line in lines:  # "St. Andrew: Hope Gardens", "Las Villas: Trinidad Mountains"
        if label.roles.get(i) in (None, "place") and (name := divisions.division_heading_line(line, code)):
            label.keep("stateProvince", name, CONFIDENCE["state_division_head"], i)
            return
    for i, line in lines:  # "MEXICO" / "MICHOACAN. 8 km S of …": the country's state heading a place line
        sub = places.find_heading_of(line, code)
        if sub is not None and label.roles.get(i) in (None, "place"):
            label.keep("stateProvince", sub.name, CONFIDENCE["state_heading"], i)
            return
    for i, line in lines:  # "EXPLORATION OF CUBA" / "SIERRA NIPE, NEAR WOODFRED, ORIENTE": one of its places
        if label.roles.get(i) in (None, "place") and (former := divisions.former_division_alone(line)):
            if former[1] == code:
                label.keep("stateProvince", former[0], CONFIDENCE["state_division_head"], i)
                return
    _read_uncued_division(label, lines, code)
    if "stateProvince" in label.fields:
        return
    for i, line in lines:  # "FLORA OF THE CAYMAN ISLANDS" / "Grand Cayman"
        if label.roles.get(i) in (None, "place") and (island := divisions.island_alone(line, code)):
            label.keep("stateProvince", island, CONFIDENCE["state_cued_unlisted"], i)
            return


# The head of a place line: what stands before its first colon, semicolon, comma or stop
_RUNS_INTO = (None, "place", "institution")  # the roles of a line a division's name may run on into
_LINE_HEAD = re.compile(r"^\W*(?P<head>[^:;.,]{1,40})[:;.,]")


def _unwrapped(label: Label, i: int, line: str, code: str) -> str:
    """``line`` with the next line's head joined to it when a division's name runs over the line's end ("Rep.
    Dominicana: Distrito" / "Nacional: city of …", "…: Prov. San Pedro de" / "Macoris: …"): a subdivision of
    ``code`` then spans the join; else ``line`` as it is. The next line may have been read as a herbarium's
    name ("Nacional:Jardín Botánico Nacional:"): the division spanning the join says whose its head is."""
    nxt = label.text[i + 1] if i + 1 < len(label.text) and label.usable[i + 1] else ""
    head = _LINE_HEAD.match(nxt)
    if head is None or re.search(r"[.;:,)]\s*$", line) or label.roles.get(i + 1) not in _RUNS_INTO:
        return line
    joined = f"{line.rstrip()} {head['head'].strip()}"
    sub = places.find_subdivision(joined, code)
    crosses = sub is not None and sub.start < len(line.rstrip()) < sub.end
    return joined if crosses else line


def division_runs_on(label: Label, i: int) -> bool:
    """Line ``i`` (read as another field's: a herbarium's name) begins with the end of a division's name that
    the line above began ("República Dominicana:Distrito" / "Nacional:Jardín Botánico Nacional:"), in the
    label's country."""
    code = found.value if (found := label.fields.get("countryCode")) is not None else ""
    if not code or i < 1 or not label.usable[i - 1]:
        return False
    above = label.text[i - 1]
    return _unwrapped(label, i - 1, above, code) != above


def _country_then_division(line: str, sub: places.SubdivisionMatch, province_start: int) -> bool:
    """The line names its places from the broadest down: the country, then the ISO division, then the province
    a province word names ("JAPAN. Hokkaido. Prov. Ishikari": an old province within the prefecture), so the
    division is the first level."""
    country = places.find_country(line)
    return country is not None and country.end <= sub.start and sub.end <= province_start


def _in_the_country_name(line: str, sub: places.SubdivisionMatch) -> bool:
    """A subdivision's name that is part of the country's ("Tobago" in "Trinidad and Tobago"), or is the country's
    name without a division word ("ENGLAND", not "Estado de México")."""
    country = places.find_country(line)
    inside = country is not None and country.start <= sub.start and sub.end <= country.end
    return inside and (country.end - country.start > sub.end - sub.start or not sub.cued)


def _country_of_line(line: str) -> str:
    """The code of the country ``line`` names (a header's island too: "Flora of Tobago"), else ""."""
    country = places.find_country(line) or divisions.header_island_country(line)
    return country.country_code if country else ""


def _read_uncued_division(label: Label, lines: list[tuple[int, str]], code: str) -> None:
    """A division without its word: a place ISO 3166-2 lists in compass parts on the country's line ("FLORA OF
    DARFUR, SUDAN"), or, on a form whose division slot is left empty ("Parish:" / "Name:"), a line
    holding a subdivision's name alone (the slot's value read apart)."""
    for i, line in lines:
        country = places.find_country(line)
        whole = places.find_compass_whole(line, code)
        apart = whole is not None and country is not None and (country.end <= whole[1] or whole[2] <= country.start)
        if whole and country and country.country_code == code and apart:  # not "Grand X" holding the country X
            label.keep("stateProvince", whole[0], CONFIDENCE["state_cued_unlisted"], i)
            return
    if not any(_EMPTY_DIVISION_SLOT.match(line) for _, line in lines):
        return
    for i, line in lines:
        sub = places.find_subdivision(line, code)
        if sub is not None and not re.sub(r"[\W_]+", "", line[: sub.start] + line[sub.end :]):
            label.keep("stateProvince", sub.name, CONFIDENCE["state_cued_unlisted"], i)
            return


# A form's division caption with no value after it (alone, or joined to the next caption: "Parish: Name:").
_EMPTY_DIVISION_SLOT = re.compile(
    r"^\W*(?:parish|prov(?:ince|incia)?|dept|department|departamento|district|distrito|state|estado)\s*:"
    r"\s*(?:$|[^\W\d_]+\s*:)",
    re.I,
)


def parish_is_the_province(label: Label, code: str) -> None:
    """Outside the US and Canada a parish can be the first-level division ("JAMAICA" / "Parish: St. Thomas"):
    a county read on the province's line that names the same place (or that place misread) is the province, not a
    county; a parish of a country ISO 3166-2 divides no further is its first level ("BERMUDA" / "Paget Parish:
    …")."""
    county, state = label.fields.get("county"), label.fields.get("stateProvince")
    if county and state and county.line == state.line:
        same = places.subdivision_code(re.sub(r"['’]s$", "", county.value), (code,))  # "St. Ann's Parish"
        if same and same == places.subdivision_code(state.value, (code,)):
            label.fields.pop("county")
        elif confusion_costs().similarity(fold(state.value), fold(county.value)) >= NEAR_DIVISION_AT:
            label.fields.pop("county")  # "Parish: WESTMRELAND": the province misread (``near_subdivision``)
    parish = county is not None and county.line is not None and re.search(r"(?i)\bparish\b", label.text[county.line])
    if parish and state is None and not pycountry.subdivisions.get(country_code=code):
        moved = label.fields.pop("county")
        label.fields["stateProvince"] = replace(moved, confidence=min(moved.confidence, CONFIDENCE["state_cued_unlisted"]))


def read_heading_subdivision(label: Label, lines: list[tuple[int, str]]) -> str:
    """A label that names no country, state or county: a federation's state or province heading a line in
    capitals ("OAXACA. 12 km N of …"); its country's code, or ""."""
    for i, line in lines:
        if (sub := places.find_heading_subdivision(line)) is not None:
            label.keep("stateProvince", sub.name, CONFIDENCE["state_heading"], i)
            return sub.code.split("-")[0]
    return ""


def read_header_territory_division(label: Label, lines: list[tuple[int, str]]) -> str:
    """A label that names no country, state or county: a US territory's island or municipio a "Flora of …"
    header names ("Flora of St. Croix, D. W. Indies."), the country left empty as for a federation's state;
    the territory's code, or ""."""
    for i, line in lines:
        if (found := divisions.header_territory_division(line)) is not None:
            label.keep("stateProvince", found[0], CONFIDENCE["state_heading"], i)
            return found[1]
    return ""


def read_former_division(label: Label, lines: list[tuple[int, str]]) -> str:
    """A label that names no country, state or county: a former division a place line lists ("Sierra Maestra,
    Oriente."; ``divisions.former_division_alone``); its country's code, or ""."""
    for i, line in lines:
        if label.roles.get(i) in (None, "place") and (found := divisions.former_division_alone(line)):
            label.keep("stateProvince", found[0], CONFIDENCE["state_cued_unlisted"], i)
            return found[1]
    return ""


def read_cued_division(label: Label, lines: list[tuple[int, str]]) -> str:
    """A label that names no country, state or county: a division its kind word names ("Prov. Barahona:", "Dept.
    Santa Cruz, Prov. Ichilo": the first, broader one); its country's code where only one country has it, or ""."""
    for i, line in lines:
        if (found := divisions.cued_division(line)) is not None:
            label.keep("stateProvince", found[0], CONFIDENCE["state_cued_unlisted"], i)
            return found[1]
    return ""
