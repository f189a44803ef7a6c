"""The scan of a label's free lines for its locality's lines: one step per kind of line, tried in order, each
saying whether it took the line (then the next line is read)."""

from __future__ import annotations

import re
from collections.abc import Callable

from herbproc.fields import people
from herbproc.fields.label import CONFIDENCE, Label, misread_header, strip_dates
from herbproc.fields.locality_alone import written_above
from herbproc.fields.locality_cues import habitat_caption_place
from herbproc.fields.locality_lines import (
    captions_only,
    comes_after,
    day_and_month,
    ends_the_blank,
    institution_address,
    runs_on,
    wrapped_before,
)
from herbproc.fields.locality_place_lines import (
    division_before_colon,
    division_ends,
    division_heads,
    only_places,
    opens_with_country,
    place_before_colon,
    place_remainder,
    places_to_their_country,
    town_and_cued_division,
    town_before_division,
    under_place_caption,
)
from herbproc.fields.locality_scan_coordinates import (
    coordinates_or_elevation,
    elevation_running_on,
    elevation_under_place,
)
from herbproc.fields.locality_scan_state import Scan
from herbproc.fields.locality_scan_text import free_text_line
from herbproc.fields.locality_trim import habitat_only
from herbproc.fields.locality_words import (
    AGENCY,
    ASSOCIATES,
    BARE_HABITAT_CAPTION,
    BARE_LOCALITY_CAPTION,
    CAPTION_NUMBER,
    COORDINATE_CAPTION,
    COORDINATES,
    EXSICCATA,
    HABITAT_BEFORE_PLACE,
    HABITAT_CUE,
    HABITAT_WORD,
    HEADER_TOWN,
    LOCALITY_CUE,
    LOCALITY_WORDS,
    PLACE_HEADER,
    QUAD_MAP,
    SURVEY_START,
)
from herbproc.fields.people_cues import DET_LINE

Step = Callable[[Scan, int, str], bool]


def scan_lines(label: Label, free: dict[int, str]) -> Scan:
    """The locality's lines among ``free``, and what the scan saw on the way."""
    captioned = any(LOCALITY_CUE.match(text) or BARE_LOCALITY_CAPTION.match(text) for text in free.values())
    s = Scan(label, free, captioned)
    for i, line in free.items():
        if s.parts and ASSOCIATES.search(label.text[s.parts[-1][0]]):
            break  # the locality ended where the associated species began
        any(step(s, i, line) for step in _STEPS)
        if s.stopped:
            break
    return s


def _quad_map_line(s: Scan, i: int, line: str) -> bool:
    if s.parts and s.quad is None and QUAD_MAP.match(line):
        s.quad = (i, strip_dates(line).strip(" ,;"), CONFIDENCE["locality_continuation"])
        return True  # "Quad. Map Elmton (C-6)": the map sheet the place lies on, part of the locality as written
    return False


def _coordinate_caption_line(s: Scan, i: int, line: str) -> bool:
    if s.parts and COORDINATE_CAPTION.match(line) and not (LOCALITY_WORDS.search(line) or COORDINATES.search(line)):
        s.closed = True  # "Latitude 54o 56.1'N" (its degree sign misread): a form's next field
        return True
    return False


def _after_closing(s: Scan, i: int, line: str) -> bool:
    # the habitat began after the locality's coordinates or elevation ("…74°08'W; mixed forest")
    return s.closed and not LOCALITY_CUE.match(line)


def _cued_line(s: Scan, i: int, line: str) -> bool:
    cue = LOCALITY_CUE.match(line) or BARE_LOCALITY_CAPTION.match(line)
    if not cue:
        return False
    if not re.search(r"[^\W_]", line[cue.end() :]):
        if not s.parts and (above := written_above(s.label, s.free, i)) is not None:
            s.parts.append((i - 1, above, CONFIDENCE["locality_cued"]))
        return True  # the caption's blank: empty, or its value written above the caption's line
    if habitat_only(line[cue.end() :]):
        return True  # a form's next caption read into the blank: "Locality:" / "Herb Shrub Tree"
    if s.parts and s.parts[-1][0] != i - 1 and not cue.groupdict().get("habitat"):
        s.parts = []  # the label's own "Locality:" line, not what a place line above said beyond its county
    s.parts.append((i, line[cue.end() :], CONFIDENCE["locality_cued"]))
    return True


def _habitat_blank_runs_on(s: Scan, i: int, line: str) -> bool:
    text = s.label.text
    if s.habitat == i - 1 and runs_on(text[i - 1]) and not text[i - 1].rstrip().endswith(";"):
        s.habitat = i  # "Habitat" / "On sandy beach in open area often with": the habitat's blank, filled in
        return True
    return False


def _survey_line(s: Scan, i: int, line: str) -> bool:
    parts, label = s.parts, s.label
    last = parts[-1][0] if parts else -1  # (an unread line may lie between: "…, Section 18NW," / "" / "T61S")
    if parts and comes_after(label, s.free, last, i) and runs_on(label.text[last]) and (survey := SURVEY_START.match(line)):
        parts.append((i, survey[0].strip(" ,;."), CONFIDENCE["locality_continuation"]))  # "…, T34N," / "R6E."
        return True
    return False


def _captions_line(s: Scan, i: int, line: str) -> bool:
    if captions_only(line):
        s.closed = bool(s.parts)  # "Lat/Long:", "Habitat", "Coll. Date": a form's next field; its blank ended
        s.habitat = i if HABITAT_WORD.search(line) else s.habitat
        return True
    return False


def _collector_line(s: Scan, i: int, line: str) -> bool:
    if s.parts and people.has_collector_cue(line) and not LOCALITY_WORDS.search(line):
        return True  # "Oct. 30, 1965 Coll. J. Smith & K.": the collector's line, never the locality's end
    return False


def _institution_or_exsiccata(s: Scan, i: int, line: str) -> bool:
    # an institution's line, not a place's; an exsiccata's title ("Lichenes rariores exsiccati")
    return bool(AGENCY.search(line) or EXSICCATA.search(line))


def _hab_caption_line(s: Scan, i: int, line: str) -> bool:
    if not (s.parts or s.captioned) and (start := habitat_caption_place(line, LOCALITY_WORDS, habitat_only)):
        s.parts.append((i, line[start:], CONFIDENCE["locality_cued"]))
        s.hab = i
        return True  # "Hab. Moist woods near Moneague, …": an old label's caption for where the plant grew
    return False


def _determination_or_habitat_line(s: Scan, i: int, line: str) -> bool:
    if DET_LINE.match(line) or HABITAT_CUE.match(line) or BARE_HABITAT_CAPTION.match(line):
        if not DET_LINE.match(line):
            s.habitat = i  # its sentence may run on into the next line: the habitat's, not the locality's
        return True  # a determination whose determiner was not read ("Det. vel confirm.: …"); the habitat
    return False


def _collection_header(s: Scan, i: int, line: str) -> bool:
    if not s.parts and (PLACE_HEADER.match(line) or misread_header(line)):
        if town := HEADER_TOWN.search(line):  # "Plants of Elmia, Town of Rosaville": the town heads the place
            s.parts.append((i, town["town"].strip(" ,;."), CONFIDENCE["locality_place_line"]))
        return True  # "PLANTS COLLECTED IN TURKS ISLANDS": the collection's header, a region, no locality
    return False


def _caption_number_or_date(s: Scan, i: int, line: str) -> bool:
    parts = s.parts
    broken = bool(parts) and parts[-1][0] == i - 1 and re.search(r"[a-z]-$", parts[-1][1]) and line[:1].islower()
    if (CAPTION_NUMBER.match(line) and not broken) or day_and_month(line):  # (a word's end after its hyphen,
        # then a date: "… ad rupes apri-" / "cas. 19-XII-1947", no caption)
        return True  # "TOWN 55", "SPECIES 64-6-2", "Sec:16": a caption and its number; "12, June.": a date
    return False


def _place_role_line(s: Scan, i: int, line: str) -> bool:
    label, parts = s.label, s.parts
    if label.roles.get(i) != "place":  # county and state lines: what they say beyond those
        return False
    if ends_the_blank(label, parts, i):  # "Locality Elm Station, Elm Institute" / "Jamaica W.I."
        parts.append((i, strip_dates(line).strip(" ,;"), CONFIDENCE["locality_continuation"]))
        return True
    if division_ends(label, parts, i, line):  # "Vicinity of Port Elm," / "Portland Parish."
        parts.append((i, strip_dates(line).strip(" ,;"), CONFIDENCE["locality_continuation"]))
        return True
    rest = place_remainder(line, label.text[i + 1] if i + 1 < len(label.text) else "")
    if rest and division_heads(label, i, line):
        rest = strip_dates(line).strip(" ,;")  # "ST. PAUL PARISH. Road above …": kept as written
    if rest:
        wrapped_before(label, s.free, parts, i)
        parts.append((i, rest, CONFIDENCE["locality_place_line"]))
    return True


def _habitat_before_place(s: Scan, i: int, line: str) -> bool:
    if s.parts:
        return False
    if habitat := HABITAT_BEFORE_PLACE.match(line):
        s.parts.append((i, strip_dates(line[habitat.end() :]).strip(" ,;."), CONFIDENCE["locality_cue_words"]))
        return True  # "In pasture: Elmton.": the place after the habitat and its colon
    return False


def _town_and_division(s: Scan, i: int, line: str) -> bool:
    if not s.parts and (town_before_division(s.label, i, line) or town_and_cued_division(line)):
        s.parts.append((i, strip_dates(line).strip(" ,;."), CONFIDENCE["locality_place_line"]))
        return True  # "Elmton, Prov. Azua": the town and its province, as written
    return False


def _place_before_colon(s: Scan, i: int, line: str) -> bool:
    place_colon = place_before_colon(line)
    if place_colon is None:
        place_colon = division_before_colon(s.label, i, line)
    if place_colon is not None:  # kept as written, the place before the colon too
        s.parts.append((i, strip_dates(line[place_colon:]).strip(" ,;."), CONFIDENCE["locality_cued"]))
        return True
    return False


def _institution_address(s: Scan, i: int, line: str) -> bool:
    # "JARDIN BOTANICO NACIONAL" / "SANTO DOMINGO, REPUBLICA DOMINICANA": the herbarium's address
    return not s.parts and bool(institution_address(s.label, i))


def _country_line(s: Scan, i: int, line: str) -> bool:
    if opens_with_country(line) or places_to_their_country(line):  # kept as written: "WEST INDIES,
        # Dominica. St. George. Above …", "ELMTON, RIVA, PROVINCE OF ROSA, PERU" (smaller to larger)
        if only_places(line):
            return True  # "ALASKA, U.S.A.": the state and country line above the locality, their own terms
        wrapped_before(s.label, s.free, s.parts, i)
        s.parts.append((i, strip_dates(line).strip(" ,;."), CONFIDENCE["locality_place_line"]))
        return True
    return False


def _under_place_caption(s: Scan, i: int, line: str) -> bool:
    if not s.parts and under_place_caption(s.label, i, line):
        s.parts.append((i, strip_dates(line).strip(" ,;."), CONFIDENCE["locality_continuation"]))
        return True  # "MONROE COUNTY:" / "Key West.": the county's line captions the place under it
    return False


_STEPS: tuple[Step, ...] = (
    _quad_map_line,
    _coordinate_caption_line,
    _after_closing,
    elevation_running_on,
    elevation_under_place,
    coordinates_or_elevation,
    _cued_line,
    _habitat_blank_runs_on,
    _survey_line,
    _captions_line,
    _collector_line,
    _institution_or_exsiccata,
    _hab_caption_line,
    _determination_or_habitat_line,
    _collection_header,
    _caption_number_or_date,
    _place_role_line,
    _habitat_before_place,
    _town_and_division,
    _place_before_colon,
    _institution_address,
    _country_line,
    _under_place_caption,
    free_text_line,
)
