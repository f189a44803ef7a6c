"""The free-text locality: an explicit "Locality:" line, what a place line says beyond county and state, and the
lines of directions and landmarks that follow (not the plant description, coordinates or associated species)."""

from __future__ import annotations

import re

from herbproc.fields import names, places
from herbproc.fields.label import CONFIDENCE, HEADER, Field, Label, strip_dates

MAX_LINES = 4
_NOT_LOCALITY_ROLES = ("institution", "catalog", "collector", "determination", "taxon")
_COORDINATES = re.compile(
    r"\d+\s*°|\b(?:lat|long|latitude|longitude)\b\.?|\b\d{1,3}\.\d{3,}\s*°?\s*[NSEW]\b", re.I
)
_DESCRIPTION_WORDS = re.compile(  # lines that describe the plant, not the place
    r"\b(?:stems?|dbh|height|tall|shrubs?|trees?|herbs?|leaves|leaf|flowers?|flowering|fruits?|fruiting|corolla|"
    r"petals?|sepals?|reproductive|sterile|abundant|frequent|occasional|uncommon|rare|plants?\s+\d)\b",
    re.I,
)
_LOCALITY_CUE = re.compile(
    r"^\W*(?:loc(?:ality|\.)?|location|localit[ée]|localidad|fundort|station)\s*[:.]\s*", re.I
)
_LOCALITY_WORDS = re.compile(
    r"\b(?:near|along|vicinity|vic\.|mi\.|miles?|km|N\.?E\.?|N\.?W\.?|S\.?E\.?|S\.?W\.?|N|S|E|W)\b\.?\s*(?:of|from)\b"
    r"|\b(?:near|along|vicinity|road|roadside|rd\.|route|rte\.|highway|hwy\.|trail|river|brook|creek|pond|lake|"
    r"swamp|bog|marsh|meadow|woods|forest|hill|mountain|mt\.|island|shore|beach|park|falls|valley|town|township|"
    r"twp\.|village|station)\b",
    re.I,
)


def read_locality(label: Label) -> None:
    parts: list[tuple[int, str, float]] = []
    for i, line in label.lines(skip_roles=_NOT_LOCALITY_ROLES):
        if _COORDINATES.search(line):
            continue
        cue = _LOCALITY_CUE.match(line)
        if cue:
            parts.append((i, line[cue.end() :], CONFIDENCE["locality_cued"]))
            continue
        if label.roles.get(i) == "place":
            rest = place_remainder(line)
            if rest:
                parts.append((i, rest, CONFIDENCE["locality_place_line"]))
            continue
        remainder = strip_dates(line).strip(" ,;.")
        if len(remainder.split()) < 2 or _DESCRIPTION_WORDS.search(remainder):
            continue
        has_cue_words = _LOCALITY_WORDS.search(remainder) is not None
        listed = names.find_name_in_line(remainder)
        if listed and listed.start_token == 0 and not has_cue_words:
            continue  # a list of associated species
        if has_cue_words:
            parts.append((i, remainder, CONFIDENCE["locality_cue_words"]))
        elif parts and parts[-1][0] == i - 1:
            parts.append((i, remainder, CONFIDENCE["locality_continuation"]))
    if not parts:
        return
    parts = parts[:MAX_LINES]
    confidence = max(base * label.quality[i] for i, _, base in parts)
    value = " ".join(text.strip() for _, text, _ in parts)
    label.fields["locality"] = Field(value, round(confidence, 4), parts[0][0])


def place_remainder(line: str) -> str:
    """What a place line says beyond county, state and country ("NEW LONDON CO: Groton." → "Groton.")."""
    if HEADER.match(line):
        return ""
    spans = [(s.start, s.end) for s in places.find_states(line)]
    county = places.find_county(line)
    if county:
        spans.append((county.start, county.end))
    country = places.find_country(line)
    if country:
        spans.append((country.start, country.end))
    rest = line
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    rest = re.sub(r"\s+", " ", rest).strip(" ,;:.-")
    rest = re.sub(r"^(?:[,;:.\-]\s*)+", "", rest)
    rest = re.sub(r"\b\d{5}(?:-\d{4})?\b", "", rest).strip(" ,;:")  # ZIP codes
    return rest if sum(ch.isalpha() for ch in rest) >= 3 else ""
