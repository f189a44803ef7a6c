"""The scan's steps for a line with coordinates or an elevation: the locality's when its sentence goes on
into them or they follow the place, else their own terms."""

from __future__ import annotations

import re
from collections.abc import Callable

from herbproc.fields.label import CONFIDENCE, strip_dates
from herbproc.fields.locality_coordinates import (
    after_county_head,
    before_coordinates,
    coordinates_in_sentence,
)
from herbproc.fields.locality_cues import coordinates_first, named_place_first
from herbproc.fields.locality_lines import runs_on
from herbproc.fields.locality_place_lines import only_places, opens_with_country
from herbproc.fields.locality_scan_state import Scan
from herbproc.fields.locality_words import (
    BARE_LOCALITY_CAPTION,
    COORDINATE_CAPTION,
    COORDINATES,
    DESCRIPTION_WORDS,
    ELEVATION_LINE,
    ELEVATION_ONLY,
    ELEVATION_START,
    LOCALITY_CUE,
    LOCALITY_WORDS,
)

CoordinateStep = Callable[[Scan, int, str, re.Match[str]], bool]


def elevation_running_on(s: Scan, i: int, line: str) -> bool:
    parts = s.parts
    alone = (m := ELEVATION_START.match(line)) is not None and not line[m.end() :].strip()  # "13,750 ft."
    if parts and parts[-1][0] == i - 1 != s.ended and (runs_on(s.label.text[i - 1]) or alone) and m:
        head = line.split(";", 1)[0]  # "ca. 240 m; mixed forest": the elevation, then the habitat
        parts.append((i, strip_dates(head).strip(" ,"), CONFIDENCE["locality_continuation"]))
        s.closed = ";" in line
        return True
    return False


def elevation_under_place(s: Scan, i: int, line: str) -> bool:
    parts = s.parts
    elevation = ELEVATION_LINE.match(line) is not None
    if elevation and parts and parts[-1][0] == i - 1 and (
        not s.label.text[i - 1].rstrip().endswith(".") or ELEVATION_ONLY.match(line)
    ):  # (a line of an elevation alone goes with the locality above it, its sentence ended or not)
        parts.append((i, line.strip(" ,;."), CONFIDENCE["locality_continuation"]))  # "…, Pacificador;"
        return True
    return False


def coordinates_or_elevation(s: Scan, i: int, line: str) -> bool:
    coordinates = COORDINATES.search(line)
    if coordinates and any(step(s, i, line, coordinates) for step in _COORDINATE_STEPS):
        return True
    return coordinates is not None or ELEVATION_LINE.match(line) is not None  # not the locality: its own terms


def _coordinates_in_place_sentence(s: Scan, i: int, line: str, coordinates: re.Match[str]) -> bool:
    parts = s.parts
    if (
        parts
        and parts[-1][0] == i - 1 != s.ended
        and not runs_on(s.label.text[i - 1])
        and (lead := line[: coordinates.start()]).strip()
        and re.search(r"[^\W\d_]{3}", lead)
        and not DESCRIPTION_WORDS.search(lead)
        and not COORDINATE_CAPTION.match(line)
        and (inline := coordinates_in_sentence(line, coordinates.start(), stops=True)) is not None
    ):  # "… Bo. Alta." / "Elm Forest Reserve. 18°04'N,": a sentence more of the place, its coordinates in it
        parts.append((i, inline, CONFIDENCE["locality_continuation"]))
        s.closed = ";" in line[coordinates.start() :]
        return True
    return False


def _coordinates_after_running_line(s: Scan, i: int, line: str, coordinates: re.Match[str]) -> bool:
    parts, label = s.parts, s.label
    if not (parts and parts[-1][0] == i - 1 and runs_on(label.text[i - 1])):
        return False
    inline = None
    if parts[-1][0] != s.ended and (line[: coordinates.start()].strip() or label.text[i - 1].rstrip()[-1:] in ",;"):
        inline = coordinates_in_sentence(line, coordinates.start())  # (a line of coordinates alone after
        # a sentence that stops without a comma is a field of their own: "… unnamed ponds" / "41.3482°N")
    if inline is not None:
        parts.append((i, inline, CONFIDENCE["locality_continuation"]))  # "…, Elm Point, 41°11'N,"
        s.closed = ";" in line[coordinates.start() :]  # "… 74°08'W; mixed forest": the habitat begins
        return True
    lead = before_coordinates(line, coordinates.start())
    if lead:  # "… Parker Street at Cedar" / "Street. 41°46'N, 72°31'W.": the sentence ends first
        parts.append((i, lead, CONFIDENCE["locality_continuation"]))
        s.ended = i
    return True


def _country_line_with_coordinates(s: Scan, i: int, line: str, coordinates: re.Match[str]) -> bool:
    if s.parts or s.label.roles.get(i) not in (None, "place") or not opens_with_country(line):
        return False
    lead = re.sub(r"(?:\b(?:ca|c|approx|GPS|lat|coord\w*)\W*)+$", "", line[: coordinates.start()], flags=re.I)
    lead = strip_dates(lead).strip(" ,;:.")
    if not only_places(lead):  # "USA, Puerto Rico. Mun. Lares. 18°20'N": the place before its coordinates
        s.parts.append((i, lead + ".", CONFIDENCE["locality_place_line"]))
        s.ended = i
    return True


def _county_head_with_coordinates(s: Scan, i: int, line: str, coordinates: re.Match[str]) -> bool:
    if not s.parts and (value := after_county_head(s.label, i, line, coordinates.start())):
        s.parts.append((i, value, CONFIDENCE["locality_place_line"]))  # "Pima Co.: Elm Canyon, 32°20'N …"
        s.closed = value != strip_dates(line[line.find(value) :]).strip(" ,;.")
        return True
    return False


def _cued_line_with_coordinates(s: Scan, i: int, line: str, coordinates: re.Match[str]) -> bool:
    cued = LOCALITY_CUE.match(line) or BARE_LOCALITY_CAPTION.match(line)
    if not (cued and coordinates.start() > cued.end()):  # "Location: Elm Pass, 41°11'N, …; forest."
        return False
    text, start = line[cued.end() :], coordinates.start() - cued.end()
    value = coordinates_in_sentence(text, start) or before_coordinates(text, start)
    if value:
        s.parts = [(i, value, CONFIDENCE["locality_cued"])]
        s.closed = value != strip_dates(text).strip(" ,")  # the habitat or another sentence followed
    return True


def _coordinates_then_where(s: Scan, i: int, line: str, coordinates: re.Match[str]) -> bool:
    if not s.parts and coordinates_first(line, LOCALITY_WORDS, DESCRIPTION_WORDS):
        s.parts.append((i, strip_dates(line).strip(" ,"), CONFIDENCE["locality_cue_words"]))
        return True  # "18°05'N, 77°20'W; along trail N of Elmton": the coordinates, then where
    return False


def _named_place_then_coordinates(s: Scan, i: int, line: str, coordinates: re.Match[str]) -> bool:
    if not s.parts and s.label.roles.get(i) is None and named_place_first(line, coordinates.start()):
        value = coordinates_in_sentence(line, coordinates.start())
        if value:  # "ROSSBY LAKE, in central Elmland, 66°10'N, 94°25'W": a named place, then its coordinates
            s.parts.append((i, value, CONFIDENCE["locality_cue_words"]))
            s.closed = value != strip_dates(line).strip(" ,")
            return True
    return False


_COORDINATE_STEPS: tuple[CoordinateStep, ...] = (
    _coordinates_in_place_sentence,
    _coordinates_after_running_line,
    _country_line_with_coordinates,
    _county_head_with_coordinates,
    _cued_line_with_coordinates,
    _coordinates_then_where,
    _named_place_then_coordinates,
)
