"""The free-text locality: an explicit "Locality:" line, what a place line says beyond county and state, and the
lines of directions and landmarks that follow (not the plant description, coordinates or associated species)."""

from __future__ import annotations

import re

from herbproc.fields import names, people, places
from herbproc.fields.label import CONFIDENCE, HEADER, Field, Label, strip_dates

MAX_LINES = 4
_NOT_LOCALITY_ROLES = ("institution", "catalog", "collector", "determination", "taxon")
_COORDINATES = re.compile(  # "Long" alone is a pond's name, not a longitude: a number must follow
    r"\d+\s*°|\b(?:lat|long|latitude|longitude)\b\.?\s*[:=]?\s*[-+]?\d|\b\d{1,3}\.\d{3,}\s*°?\s*[NSEW]\b",
    re.I,
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
    r"\b(?:near|along|vicinity|vic\.|mi\.|miles?|km|N\.?E\.?|N\.?W\.?|S\.?E\.?|S\.?W\.?|N|S|E|W|north|south|"
    r"east|west)\b\.?\s*(?:of|from)\b"
    r"|\b(?:near|along|vicinity|road|roadside|rd\.|route|rte\.|highway|hwy\.|trail|river|brook|creek|pond|lake|"
    r"swamp|bog|marsh|meadow|woods|forest|hill|mountain|mt\.|island|shore|beach|park|falls|valley|town|township|"
    r"twp\.|village|station)\b",
    re.I,
)


def read_locality(label: Label) -> None:
    parts: list[tuple[int, str, float]] = []
    free = dict(label.lines(skip_roles=_NOT_LOCALITY_ROLES))
    for i, line in free.items():
        if _COORDINATES.search(line):
            continue
        cue = _LOCALITY_CUE.match(line)
        if cue:
            parts.append((i, line[cue.end() :], CONFIDENCE["locality_cued"]))
            continue
        if label.roles.get(i) == "place":
            rest = place_remainder(line)
            if rest:
                _wrapped_before(label, free, parts, i)
                parts.append((i, rest, CONFIDENCE["locality_place_line"]))
            continue
        remainder = strip_dates(line).strip(" ,;.")
        if parts and parts[-1][0] == i - 1 and _runs_on(free[i - 1]) and _continues(remainder, line):
            parts.append((i, remainder, CONFIDENCE["locality_continuation"]))  # "… west of Long" / "Pond."
            continue
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
    value = parts[0][1].strip()
    for (before, text, _), (_, after, _) in zip(parts, parts[1:], strict=False):
        wrapped_at_comma = label.text[before].rstrip().endswith(",") and not text.rstrip().endswith(",")
        value += (", " if wrapped_at_comma else " ") + after.strip()
    label.fields["locality"] = Field(value, round(confidence, 4), parts[0][0])


_RUNS_ON = re.compile(r"(?:,|\b(?:of|at|near|by|along|in|on|the|and|to|from|west|east|north|south))$", re.I)


def _runs_on(text: str) -> bool:
    """A locality line that stops mid-sentence: no full stop at its end (a comma, a preposition, a word)."""
    return not text.rstrip().endswith(".") or text.rstrip().endswith((" mi.", " Mt.", " St."))


def _continues(text: str, line: str) -> bool:
    """A short line that can end a wrapped locality ("Pond.", "Sudbury", "village"): no digits, not a plant
    description or a collector, at most three words."""
    return (
        0 < len(text.split()) <= 3
        and not re.search(r"\d", text)
        and not _DESCRIPTION_WORDS.search(text)
        and not people.has_collector_cue(line)
    )


def _wrapped_before(label: Label, free: dict[int, str], parts: list[tuple[int, str, float]], i: int) -> None:
    """The line before a place line, when it stops on a word that needs the place line to end it
    ("Sturbridge, open field west" / "of Rattlesnake Hill, Worcester County,"), begins the locality."""
    before = free.get(i - 1)
    if before is None or (parts and parts[-1][0] == i - 1) or label.roles.get(i - 1) == "place":
        return
    text = strip_dates(before).strip(" ;")
    if _RUNS_ON.search(text) and len(text.split()) >= 2 and not _DESCRIPTION_WORDS.search(text):
        parts.append((i - 1, text, CONFIDENCE["locality_continuation"]))


def place_remainder(line: str) -> str:
    """What a place line says beyond county, state and country ("NEW LONDON CO: Groton." → "Groton.")."""
    if HEADER.match(line):
        return ""
    spans = [(s.start, s.end) for s in places.find_states(line)]
    county = places.find_county(line)
    if county:
        spans.append((county.start, county.end))
    country = places.find_country(line)
    if country and (country.country_code in ("US", "CA") or not (county or spans)):
        spans.append((country.start, country.end))  # not "Norway" after "Oxford Co.:": a town
    rest = line
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    rest = re.sub(r"\s+", " ", rest).strip(" ,;:.-")
    rest = re.sub(r"^(?:[,;:.\-]\s*)+", "", rest)
    rest = re.sub(r"\b\d{5}(?:-\d{4})?\b", "", rest).strip(" ,;:")  # ZIP codes
    return rest if sum(ch.isalpha() for ch in rest) >= 3 else ""
