"""Country, state or province and county read from a label's lines, headers and addresses weighed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from herbproc.fields import counties, divisions, names, people, places
from herbproc.fields.countries import REGION_TAG
from herbproc.fields.country_forms import latin_header_country
from herbproc.fields.division_lines import (
    parish_is_the_province,
    read_cued_division,
    read_former_division,
    read_header_territory_division,
    read_heading_subdivision,
    read_subdivision,
    read_territory_division,
)
from herbproc.fields.institution_lines import an_address
from herbproc.fields.label import CONFIDENCE, HEADER, Field, Label, misread_header, words_before_det
from herbproc.fields.people_cues import DET_LINE
from herbproc.fields.people_lines import after_a_county_heading
from herbproc.fields.text import fold

# the island's word before the country that is the island: "ISLA DE CUBA", "Island of Jamaica", "Île de la Martinique"
_ISLAND_OF_COUNTRY = re.compile(r"^\W*(?:isla|island|isle|[iî]le)\s+(?:of|de|d['’])?\s*(?:la\s+)?$", re.I)


def _country_alone(line: str, country: places.CountryMatch) -> bool:
    """``line`` names the country and nothing more (a few marks aside, or the island's word before it)."""
    rest = line[: country.start] + line[country.end :]
    return len(rest) < 4 or bool(_ISLAND_OF_COUNTRY.match(line[: country.start]) and not line[country.end :].strip(" .,;"))


# "Distributed by the Elmton Museum, Rosaville, Pa.": the distributing institution and its address, no place of
# collecting ("Collected and distributed by A. Bell" names the collector: not this line)
_DISTRIBUTOR_LINE = re.compile(r"^\W*distributed\s+(?:by|from)\b", re.I)


# A Latin trip's title names the country it went through in the accusative: "ITER PER CUBAM", "Brevis per
# Jamaicam peregrinatio" (a first-declension name: the country's own name and an "m")
_LATIN_THROUGH = re.compile(r"\bper\s+(?P<name>[A-Za-z]{3,}a)m\b", re.I)


def _latin_trip_country(line: str) -> str:
    m = _LATIN_THROUGH.search(line)
    return places.country_code(m["name"]) if m else ""


def read_places(label: Label) -> None:
    """Country, state / province and county. A country is written only when the label names it; a state of
    another country than the one named is dropped (a herbarium's address, a town); outside the US and Canada
    the state is an ISO 3166-2 subdivision of the named country, cued ("Prov. Samaná") or on the country's
    line. countryCode: the named country's, else the state's."""
    lines = [
        (i, line)
        for i, line in label.lines(skip_roles=("institution", "catalog", "determination"))
        if (label.roles.get(i) != "collector" or _a_town_read_as_a_person(line)) and not _DISTRIBUTOR_LINE.match(line)
    ]
    lines += [(i, before) for i, line in label.lines() if (before := _place_before_det(label, i, line))]
    lines += [(i, slot) for i, line in label.lines() if (slot := _county_slot_before_collector(label, i, line))]
    lines += [(i, head) for i, line in label.lines() if (head := _place_before_collector_cue(label, i, line))]
    lines.sort()
    state_code = named_code = ""
    latin_line = -1
    read_states: list[tuple[places.StateMatch, float, int]] = []  # every line's first state, its confidence
    for i, line in lines:
        header = HEADER.match(line)
        county = places.find_county(line) or (places.county_under_caption(label.text[i - 1], line) if i else None)
        states = [
            st
            for st in places.find_states(line)
            if not _in_binomial(line, st) and not _basionym_author(line, st) and not _first_author(line, st)
        ]
        misread = None
        if not states and not header and (misread := misread_header(line)):
            header = misread  # "PIANTS OF OHIO": the header's word misread; its place must be a state below
            place = header.group("place")
            near = places.near_state(place)
            states = places.find_states(place) or ([near] if near else [])
            states = [st for st in states if st.start == 0 and st.end >= len(place.rstrip(" .,:;"))]
            if not states:
                header = None
        elif not states and header:  # "PLANTS OFVERMONT": the place glued to its header
            states = places.find_states(header.group("place"))
            article = re.search(r"\bthe\s*$", line[: header.start("place")], re.I)  # no state takes one
            if not states and not article and (near := places.near_state(header.group("place"))):
                states = [near]  # "PLANTS OF MASSACHIUSETTS": one letter misread in the header's state
        near = None if states or header else places.capitals_near_state(line)
        if near is not None and not re.search(r"(?<![\w.])[A-Z][a-z]+\s+$", line[: near.start]):
            states = [near]  # "State of MASSACHUSITTS"; not after a genus: "Iris VIRGINICA"
        if not states and not header and county is None and label.roles.get(i) != "taxon":
            near_last = places.misread_state_last(line)
            states = [near_last] if near_last is not None else []
        if not states and not header and county is not None:
            states = _misread_state_before_county(line, county)
            if not states and (split := _misread_state_in_county(county)) is not None:
                states, county = [split[0]], split[1]  # "Wisconsan Elmton Co.": the state's stop lost
        if states:  # the first state on a line is the one the line is about
            state = states[0]
            base = CONFIDENCE["state_" + state.style] + (0.05 if header or county else 0.0)
            old = label.fields.get("stateProvince")
            label.keep("stateProvince", state.name, base, i)
            read_states.append((state, base, i))
            if label.fields["stateProvince"] is not old:
                state_code = state.country_code
        country = places.find_country(line)
        glued = country is None and (country := _glued_header_country(line)) is not None
        if country and country.country_code not in ("US", "CA") and (county or states) and not (
            county and not states and (_ends_the_line(line, country) or _heads_the_line(line, country, county))
        ):
            country = None  # "Oxford Co.: Norway": a town named after a country; not "St. Ann Parish, Jamaica"
        latin = "" if country else latin_header_country(line) or _latin_trip_country(line)
        if latin:  # "PLANTAE MEXICANAE": a collection's header, no place line (nothing in it is the locality)
            country = places.CountryMatch(places.country_of_code(latin), latin, 0, 0)
        if not country and header and not states:
            country = divisions.header_island_country(line)  # "Plants of Trinidad": the island's country
        if not country and (header or misread) and not states and county is None:
            # "EXPLORATION OF LAMAICA", "EXPLORATION OP THE BAUAMAS": a letter of the header's country misread
            country = places.near_country((header or misread).group("place"))
        if not country and not header:
            country = places.misread_country_first(line)  # "Rep. Dominfcana: Prov. La Vega: …"
        if not country and header and not states and (former := divisions.header_former_division(line)):
            label.keep("stateProvince", former[0], CONFIDENCE["state_heading"], i)  # "PLANTS OF THE ISLE OF PINES"
            state_code = state_code or former[1]
        sovereign = False  # "PUERTO RICO" / "U.S.A.": the territory named stays the country
        if country and named_code and _dutch_not_danish(label, country):
            label.fields.pop("country")  # "D.W.I." / "Aruba: Hooiberg": the Dutch West Indies
        elif country and named_code and _territory_and_state(label, line, country, named_code):
            sovereign = places.SOVEREIGN_OF.get(named_code) == country.country_code
            if not sovereign:
                label.fields.pop("country")  # "U.S.A." / "Puerto Rico: Mun. Cayey": the territory is the country
        if country and not sovereign:
            old = label.fields.get("country")
            label.keep("country", country.name, CONFIDENCE["country_named"], i)
            if label.fields["country"] is not old:
                named_code = country.country_code
                latin_line = i if latin else -1
        if county and "county" not in label.fields:
            label.keep("county", county.name, CONFIDENCE["county"], i)
        if header or county or (country and not glued and _country_alone(line, country)):
            label.roles.setdefault(i, "place")
    if not named_code and not {"stateProvince", "county"} & set(label.fields):
        named_code = _read_island_country(label, lines)
    if not named_code and "stateProvince" not in label.fields:
        state_code = _read_road_state(label, lines) or state_code
    if latin_line >= 0 and not state_code and _heading_of_another_country(lines, latin_line, named_code):
        label.fields.pop("country")  # two labels: "STATE OF JALISCO." on the first, "Plantae Cubenses" below
        named_code = ""
    if named_code and state_code and state_code != named_code:
        label.fields.pop("stateProvince", None)  # a header's or an address's state ("FLORA OF TENNESSEE" / "CANADA")
        for state, base, i in read_states:
            if state.country_code == named_code:  # ... and the named country's own on another line: "Ontario"
                label.keep("stateProvince", state.name, base, i)
                state_code = named_code
    if named_code == "CA" and "stateProvince" not in label.fields:
        state_code = _province_read_as_county(label) or state_code
    if "CA" in (named_code or state_code) and "county" not in label.fields:
        _district_before_province(label)
    if named_code and named_code not in ("US", "CA") and not places.is_grouped_territory(named_code):
        read_subdivision(label, lines, named_code)
        parish_is_the_province(label, named_code)
    if named_code in counties.TERRITORIES and "stateProvince" not in label.fields:
        read_territory_division(label, lines, named_code)
    if not named_code and not {"stateProvince", "county"} & set(label.fields):
        state_code = read_heading_subdivision(label, lines) or state_code
    if not named_code and not {"stateProvince", "county"} & set(label.fields):
        state_code = read_header_territory_division(label, lines) or state_code
    if not named_code and not {"stateProvince", "county"} & set(label.fields):
        state_code = read_cued_division(label, lines) or state_code
    if not named_code and not {"stateProvince", "county"} & set(label.fields):
        state_code = read_former_division(label, lines) or state_code
    code = named_code or (state_code if "stateProvince" in label.fields else "")
    where = label.fields["country"] if named_code else label.fields.get("stateProvince")
    if code and where is not None:
        label.fields["countryCode"] = Field(code, where.confidence, where.line)


_DWI = re.compile(r"(?<![\w.])D\.\s?W\.\s?I\b")
_DUTCH_ISLANDS = ("AW", "CW", "SX", "BQ")


def _dutch_not_danish(label: Label, country: places.CountryMatch) -> bool:
    """``D.W.I.`` stands for the Danish West Indies (the U.S. Virgin Islands) and for the Dutch ones: a country read
    from it gives way to a Dutch island another line names ("D.W.I." / "Curaçao: …")."""
    old = label.fields.get("country")
    return (
        country.country_code in _DUTCH_ISLANDS
        and old is not None
        and old.line is not None
        and places.country_code(old.value) == "VI"
        and _DWI.search(label.text[old.line]) is not None
    )


def _territory_and_state(label: Label, line: str, country: places.CountryMatch, named_code: str) -> bool:
    """The country named on ``line`` and the one named before are a territory and the state it belongs to: the
    territory named first, or the state named first and the territory opening this line ("U.S.A." / "Puerto
    Rico: Mun. Cayey"), no state of the sovereign's read ("U.S.A., Texas")."""
    if places.SOVEREIGN_OF.get(named_code) == country.country_code:
        return True
    if places.SOVEREIGN_OF.get(country.country_code) != named_code or re.search(r"\w", line[: country.start]):
        return False
    state = label.fields.get("stateProvince")
    return state is None or places.subdivision_code(state.value, (named_code,)) == ""


def _place_before_det(label: Label, i: int, line: str) -> str:
    """The words before a determiner's cue on a determination line that opens with something else: a place
    written on the collection's line before the determination ("Santee Canal, S.C. Det. E. Tuckerman"), the
    line read as a determination; "" for any other line."""
    if label.roles.get(i) != "determination" or DET_LINE.match(line):
        return ""
    return words_before_det(line)


_COUNTY_CAPTION_OPENS = re.compile(r"^\W*(?:County|COUNTY|Co\.|CO\.)\s*:?\s*[A-Z]")


def _county_slot_before_collector(label: Label, i: int, line: str) -> str:
    """A form's county slot opening a collector's line, its value before the collector's caption ("County:
    Elm Coll.: A. Bell No.: 1234"), or a county and its word before the collector or the collector's caption
    ("Elm Co.  A. Bell 1234", "Elm Co.  Leg. A. Bell"); "" for any other line."""
    if label.roles.get(i) != "collector":
        return ""
    if (rest := after_a_county_heading(line)) is not None:
        return line[: len(line) - len(rest)]  # "Blount Co.  A. Bell 1234"
    cue = people.collector_cue(line)
    if cue is None or cue.start() == 0:
        return ""
    head = line[: cue.start()]
    if _COUNTY_CAPTION_OPENS.match(line):
        return head
    county = places.find_county(head)  # "Elm Co.  Leg. A. Bell": a county and its word, nothing else
    alone = county is not None and not re.search(r"\w", head[: county.start] + head[county.end :])
    return head if alone else ""


def _place_before_collector_cue(label: Label, i: int, line: str) -> str:
    """A country or a state alone before a collector's cue on the collector's line, its words and marks only
    ("ST. VINCENT: Coll. H. H. Smith", "Jamaica. Leg. A. Bell"); "" for any other line."""
    if label.roles.get(i) != "collector" or (cue := people.collector_cue(line)) is None or cue.start() == 0:
        return ""
    head = line[: cue.start()]
    spans = [(st.start, st.end) for st in places.find_states(head)[:1]]
    if (country := places.find_country(head)) is not None:
        spans = [(country.start, country.end)]
    return head if spans and not re.search(r"\w", head[: spans[0][0]] + head[spans[0][1] :]) else ""


# A Canadian district (a census division: Ontario's territorial districts, Quebec's former ones) as labels
# write it: "District de Gagnon", "District of Kenora", "Thunder Bay District", "Algoma Dist.".
_NAME_WORDS = r"[A-ZÀ-Ý][\w'’\-]*(?:\s+[A-ZÀ-Ý][\w'’\-]*){0,2}"
_DISTRICT = re.compile(
    rf"^(?:(?:District|DISTRICT|Dist\.)\s+(?:of|de|du|OF|DE|DU|d['’])\s*{_NAME_WORDS}"
    rf"|{_NAME_WORDS}\s+(?:District|DISTRICT|Dist\.))$"
)


def _district_before_province(label: Label) -> None:
    """On a Canadian label, a district named right before the province on its line, set off by a comma
    ("District de Gagnon, Québec, Canada"), or alone on the line under the province's: the county's level,
    written as on the label."""
    state = label.fields.get("stateProvince")
    if state is None or state.line is None:
        return
    line = label.text[state.line]
    below = state.line + 1
    if below < len(label.text) and label.usable[below] and label.roles.get(below) in (None, "place"):
        text = label.text[below]
        alone = next((t for t in (text.strip(" ,;"), text.strip(" .,;")) if _DISTRICT.match(t)), None)
        if alone is not None:  # "NORTHWEST TERRITORIES" / "District of Keewatin"
            label.keep("county", alone, CONFIDENCE["county"], below)
            return
    found = next((st for st in places.find_states(line) if st.name == state.value), None)
    if found is None:
        return
    before = line[: found.start].rstrip()
    if not before.endswith(","):
        return
    segment = before[:-1].rsplit(",", 1)[-1].strip()
    if _DISTRICT.match(segment):
        label.keep("county", segment, CONFIDENCE["county"], state.line)


def _province_read_as_county(label: Label) -> str:
    """On a Canadian label, a county read that is a province's name whole ("Ontario Co."): the province written
    in a form's blank before its "Co." caption, the county's slot left empty. Canada has no county named as a
    province; "CA" when moved, else ""."""
    county = label.fields.get("county")
    if county is None or places.subdivision_code(county.value, ("CA",)) == "":
        return ""
    moved = label.fields.pop("county")
    label.fields["stateProvince"] = replace(moved, value=places.parse_state(moved.value).name)
    return "CA"


def _misread_state_before_county(line: str, county: places.CountyMatch) -> list[places.StateMatch]:
    """A state misread where a place line heads its county with it, in capitals: "NEW HAMP SHIRE: Coos Co.",
    "VERMNOT: Orleans Co." (``places.near_state``)."""
    lead = line[: county.start].strip().rstrip(":;,.").strip()
    if not lead or sum(c.isupper() for c in lead) < 0.7 * sum(c.isalpha() for c in lead):
        return []
    near = places.near_state(lead)
    return [near] if near is not None else []


def _misread_state_in_county(county: places.CountyMatch) -> tuple[places.StateMatch, places.CountyMatch] | None:
    """A county read with a misread state before it, the stop between them lost ("Wisconsan Elmton Co."): its
    first word nearly a state's name (``places.near_state``), neither a state nor any county itself ("Vernon",
    "Louisa"), and the whole no county; (the state, the county after it)."""
    first, _, rest = county.name.partition(" ")
    if not rest or not first[:1].isupper() or places.find_states(first) or counties.is_a_county_anywhere(first):
        return None
    near = places.near_state(first)
    if near is None or counties.is_a_county_anywhere(county.name):
        return None
    start = county.start + len(first)
    state = places.StateMatch(near.name, near.country_code, county.start, start, "near")
    return state, places.CountyMatch(rest.strip(), county.end - len(rest.strip()), county.end)


# A header's "OF" glued to its country, the header's first word read on a line of its own ("FLORA" / "OFCHILE").
_GLUED_OF = re.compile(r"^\W*OF(?P<place>[A-Z][A-Z .'’\-]+?)\W*$")


def _glued_header_country(line: str) -> places.CountryMatch | None:
    """The country of a line that is a header's "OF" and its country glued by the reading: "OFCHILE"."""
    if not (m := _GLUED_OF.match(line)):
        return None
    country = places.find_country(m["place"])
    if country is None or re.search(r"\w", m["place"][: country.start] + m["place"][country.end :]):
        return None
    offset = m.start("place")
    return country._replace(start=country.start + offset, end=country.end + offset)


def _heading_of_another_country(lines: list[tuple[int, str]], before: int, code: str) -> bool:
    """A federation's state heading a line above ``before`` that is not in ``code``'s country: the label above
    names its place; the collection header below that names another country is a second label's."""
    return any(
        (sub := places.find_heading_subdivision(line)) is not None and sub.code.split("-")[0] != code
        for i, line in lines
        if i < before
    )


def _read_road_state(label: Label, lines: list[tuple[int, str]]) -> str:
    """A label that names no country or state: the state whose road a place line names ("Along Fla Hwy 51");
    its country's code, or ""."""
    for i, line in lines:
        if label.roles.get(i) in (None, "place") and (state := places.road_state(line)) is not None:
            label.keep("stateProvince", state.name, CONFIDENCE["state_abbreviation"], i)
            return state.country_code
    return ""


def _read_island_country(label: Label, lines: list[tuple[int, str]]) -> str:
    """A label that names no country, state or county: the country of an island a place line names alone or
    heads with ("Grand Cayman", "Caicos Island: Providenciales"); its code, or ""."""
    for i, line in lines:
        if (found := divisions.island_line_country(line)) is not None:
            label.keep("country", found.name, CONFIDENCE["country_named"], i)
            return found.country_code
    return ""


def _ends_the_line(line: str, country: places.CountryMatch) -> bool:
    """A country after a comma at the end of its line: the address of the place ("…, Parish of X, Country")."""
    return line[: country.start].rstrip().endswith(",") and not re.search(r"\w", line[country.end :])


def _heads_the_line(line: str, country: places.CountryMatch, county: places.CountyMatch) -> bool:
    """A country opening its line before the county, set off by a colon, stop or dash ("JAMAICA: Parish of St.
    Ann, …"): the country of the place, not a town ("Norway, Oxford Co.")."""
    return places.country_heads_line(line, country.start, country.end) and country.end <= county.start


def _a_town_read_as_a_person(line: str) -> bool:
    """A collector's line that is a town and its state ("Boise City, OK"), a county ("Collier Co., Fla.") or a
    province and its word alone ("Santa Rosa Province"): a place, whatever else it is."""
    province = places.find_cued_province(line)
    rest = line[: province[1]] + line[province[2] :] if province else "?"
    alone = not re.sub(r"(?i)\W|\b(?:prov(?:ince|incia)?|of|de)\b", "", rest)
    place = an_address(line) or places.find_county(line) is not None or alone
    return place and not people.has_collector_cue(line)


def _basionym_author(line: str, state: places.StateMatch) -> bool:
    """A state's abbreviation in parentheses between an epithet and an author: the basionym's author ("lactea
    (Mass.) A. Zahlbr.": Massalongo; "(Mich.) Fern.": Michaux), not a place."""
    before, after = line[: state.start], line[state.end :]
    return (
        state.style == "abbreviation"
        and re.search(r"[a-z]{3,}\s*\($", before) is not None
        and re.match(r"\)\s*[A-Z]", after) is not None
    )


def _first_author(line: str, state: places.StateMatch) -> bool:
    """A state's abbreviation right after a binomial is its author's: "Frullania asagrayana Mont." (Montagne),
    "Aster puniceus Mich." (Michaux)."""
    if state.style != "abbreviation":
        return False
    before = line[: state.start].split()
    if len(before) < 2:
        return False
    parsed = names.parse_name_tokens([*before[-2:], *line[state.start :].split()], 0)
    word = line[state.start : state.end]
    return parsed is not None and bool(parsed[0].specific_epithet) and parsed[0].authorship.startswith(word)


def _in_binomial(line: str, state: places.StateMatch) -> bool:
    """A state's name that is the epithet of a binomial: "Solidago montana Sm.", "SOLIDAGO MONTANA SM."."""
    before = line[: state.start].split()
    if not before or not re.fullmatch(r"[A-Z][a-z]+|[A-Z]{3,}", before[-1]):
        return False  # the word before must be a genus, with nothing (a comma: "HELENA, MONTANA") after it
    word = line[state.start : state.end]
    parsed = names.parse_name_tokens([before[-1], *line[state.start :].split()], 0)
    if parsed is None or parsed[0].specific_epithet != word.lower():
        return False
    # a lower-case state name is no state; in capitals ("MISSOULA MONTANA") it takes an authorship to be a name
    return word.islower() or bool(parsed[0].authorship)


def country_from_state(fields: dict[str, Field]) -> None:
    """``country`` from the state a label names alone (``ocr.country_from_state``): the country of the
    countryCode ``read_places`` gave the state, at the state's confidence; nothing where a country is read or
    no state is."""
    state, code = fields.get("stateProvince"), fields.get("countryCode")
    if "country" in fields or state is None or code is None or not (name := places.country_of_code(code.value)):
        return
    fields["country"] = Field(name, state.confidence, state.line)


def places_as_printed(fields: dict[str, Field], lines: Sequence[str]) -> None:
    """``country`` and ``stateProvince`` as the label prints them (``ocr.places_as_printed``): ``Rep.
    Dominicana``, ``PORTO RICO``, ``Tenn.``, ``St. George``, as a transcriber writes them; ``countryCode`` stays
    the ISO code. A value whose line prints no form of it (a Latin header's ``PLANTAE CUBENSES``, a misread
    state put right, a country from a state) keeps its standard name."""
    _country_as_printed(fields, lines)
    _state_as_printed(fields, lines)


def _line_of(value: Field | None, lines: Sequence[str]) -> str:
    return lines[value.line] if value is not None and value.line is not None and 0 <= value.line < len(lines) else ""


def _country_as_printed(fields: dict[str, Field], lines: Sequence[str]) -> None:
    country, code = fields.get("country"), fields.get("countryCode")
    line = _line_of(country, lines)
    found = places.find_country(line) if line else None
    if country is None or code is None or found is None or found.country_code != code.value:
        return
    printed = REGION_TAG.sub("", line[found.start : found.end]).strip(" ,;:")  # "DOMINICA, LESSER ANTILLES"
    for piece in re.split(r"[,:;()]", printed):  # "Puerto Rico, U.S.A.": the territory's own name
        if (own := places.find_country(piece)) is not None and own.country_code == code.value:
            printed = piece[own.start : own.end].strip()
            break
    printed = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", printed)  # "DominicanRepublic": two words read glued
    if printed:
        fields["country"] = replace(country, value=printed)


def _state_as_printed(fields: dict[str, Field], lines: Sequence[str]) -> None:
    """The state's words on its line: a US state's or Canadian province's name or abbreviation as
    ``find_states`` reads it ("Tenn.", "R.I."), else an ISO 3166-2 name written with "St." for "Saint"."""
    state = fields.get("stateProvince")
    line = _line_of(state, lines)
    if state is None or not line:
        return
    spans = [(st.start, st.end) for st in places.find_states(line) if st.name == state.value]
    folded = fold(line)
    if not spans and len(folded) == len(line):
        for name in places.subdivision_names(state.value):
            pattern = re.escape(fold(name)).replace(r"saint\ ", r"(?:saint|st\.?)\s*")
            if (m := re.search(rf"(?<![\w.]){pattern}(?!\w)", folded)) is not None:
                spans = [(m.start(), m.end())]
                break
    if not spans:
        return
    start, end = spans[0]
    if (word := _DIVISION_WORD_AFTER.match(line, end)) is not None:
        end = word.end()  # "ST. JAMES PARISH", "NEW PROVIDENCE ISLAND": its word printed with it
    if printed := line[start:end].strip(" ,;:"):
        fields["stateProvince"] = replace(state, value=printed)


_DIVISION_WORD_AFTER = re.compile(r"\s+(?:parish|province|island)(?!\w)", re.I)
