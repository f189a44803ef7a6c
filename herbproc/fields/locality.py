"""The free-text locality: an explicit "Locality:" line, what a place line says beyond county and state, and the
lines of directions and landmarks that follow (not the plant description, coordinates or associated species)."""

from __future__ import annotations

import re
from dataclasses import replace

from herbproc.fields import people, places
from herbproc.fields.division_lines import division_runs_on
from herbproc.fields.label import CONFIDENCE, Field, Label
from herbproc.fields.locality_alone import place_lines_alone
from herbproc.fields.locality_coordinates import position_after_habitat, position_under
from herbproc.fields.locality_dated import read_dated_place
from herbproc.fields.locality_lines import (
    goes_on_after_comma,
    ground_sentence_first,
    head_lines_above,
    line_limit,
    named_again,
    place_before_collector,
    place_before_determination,
    without_habitat_caption,
)
from herbproc.fields.locality_parks import park_above, parks_herbarium
from herbproc.fields.locality_scan import scan_lines
from herbproc.fields.locality_scan_state import Part
from herbproc.fields.locality_trim import (
    mend_measures,
    trim_locality,
    without_conditions,
    without_county_last,
    without_state_last,
)
from herbproc.fields.locality_words import (
    ASSOCIATES,
    BARE_LOCALITY_CAPTION,
    DESCRIPTION_WORDS,
    LOCALITY_CUE,
    LOCALITY_WORDS,
)
from herbproc.fields.people_lines import WORD_CUT_AT_END
from herbproc.fields.text import fold

_NOT_LOCALITY_ROLES = ("institution", "catalog", "collector", "determination", "taxon")


def read_locality(label: Label) -> None:
    _read_locality(label)
    if (found := label.fields.get("locality")) is not None:
        label.fields["locality"] = replace(found, value=mend_measures(found.value))


def _free_lines(label: Label) -> dict[int, str]:
    """The lines the locality may come from, in order: the free lines, and the place written on a line that
    another field's role took (an institution's, a collector's, a determiner's)."""
    free = dict(label.lines(skip_roles=_NOT_LOCALITY_ROLES))
    for i, line in label.lines():  # a lower-case line that goes on with a free line's sentence is no herbarium's
        # name line, though it names one ("… Ciudad" / "de Santo Domingo; Jardín Botánico Nacional," / "en …")
        if (text := _place_on_role_line(label, free, i, line)) is not None:
            free[i] = text
    return dict(sorted(free.items()))


def _place_on_role_line(label: Label, free: dict[int, str], i: int, line: str) -> str | None:
    """What of an institution's, collector's or determiner's line is the locality's, else None."""
    text = None
    if label.roles.get(i) == "institution" and i - 1 in free and not free[i - 1].rstrip().endswith("."):
        if line[:1].islower() or goes_on_after_comma(label, free[i - 1], i) or division_runs_on(label, i):
            text = line
    collector = label.fields.get("recordedBy")
    if label.roles.get(i) == "collector" and (collector is None or collector.line != i):
        if LOCALITY_CUE.match(line) or BARE_LOCALITY_CAPTION.match(line):
            text = line  # "Location Elm NWR": the caption says what the line is, no person's name
        elif collector is not None and LOCALITY_WORDS.search(line) and not people.has_collector_cue(line):
            text = line  # "Santee Canal." over "COLLECTED BY H. W. Elm": a place, the names read elsewhere
    if label.roles.get(i) == "collector" and collector is not None and collector.line == i:
        if lead := place_before_collector(line):
            text = lead  # "Near Elmton, St. Ann. Coll. A. Bell": the place, then the collector's cue
    if label.roles.get(i) == "determination" and (lead := place_before_determination(line)):
        text = lead  # "Santee Canal, S.C. Det. E. Tuckerman": the place, then the determiner on its line
    return text


def _read_locality(label: Label) -> None:
    free = _free_lines(label)
    scan = scan_lines(label, free)
    parts = scan.parts
    if not parts:
        place_lines_alone(label, free)
        if "locality" not in label.fields:
            read_dated_place(label)
        return
    parts = _without_heads(label, parts, scan.hab)
    head_lines_above(label, free, parts)
    block_end = parts[-1][0]  # (the last line read into the locality, its habitat's included)
    parts = _within_limit(label, parts, scan.quad)
    if not parts:
        return
    confidence = max(base * label.quality[i] for i, _, base in parts)
    value = _finished(label, free, parts, _joined(label, parts), block_end)
    if value:
        label.fields["locality"] = Field(value, round(confidence, 4), parts[0][0])


def _without_heads(label: Label, parts: list[Part], hab: int) -> list[Part]:
    """The parts without a first line that heads the locality but is no part of it."""
    if parts[0][0] == hab:
        parts = without_habitat_caption(label, parts)
    if named_again(parts):
        parts = parts[1:]
    if len(parts) > 1 and parts[0][1].isupper() and places.REGION.fullmatch(parts[0][1].strip(" ,;.")):
        parts = parts[1:]  # "LEEWARD ISLANDS" over "ELMTA: Rosa Mountain …": the series' region, printed above
    if len(parts) > 1 and ground_sentence_first(label, parts):
        parts = parts[1:]
    return parts


def _within_limit(label: Label, parts: list[Part], quad: Part | None) -> list[Part]:
    """The parts up to the locality's last line, without associated species, the map quadrangle's line added."""
    parts = [(i, ASSOCIATES.split(text)[0].strip(" ,;"), base) for i, text, base in parts[: line_limit(label, parts)]]
    if quad is not None and parts and quad[0] > parts[-1][0]:
        parts.append(quad)
    return [part for part in parts if part[1]]


def _joined(label: Label, parts: list[Part]) -> str:
    """The parts' texts as one, each joined at the stop its line ended on."""
    value = parts[0][1].strip()
    for (before, text, _), (_, after, _) in zip(parts, parts[1:], strict=False):
        ends = label.text[before].rstrip()[-1:]
        wrapped_at = ends if ends in ",;." and not text.rstrip().endswith(ends) else ""
        if re.search(r"[a-z]-$", value) and after[:1].islower():
            value += after.strip()  # "coppice-" / "covered hills": a hyphenated word broken at its hyphen
            continue
        value += (f"{wrapped_at} " if wrapped_at else " ") + after.strip()
    after_last = parts[-1][0] + 1
    if after_last < len(label.text) and label.roles.get(after_last) == "collector" and (m := WORD_CUT_AT_END.search(value)):
        value = value[: m.start()].rstrip(" ,;")  # "…, calizo, Fer-" / "nández Casas 10689": the name's head
    return value


def _finished(label: Label, free: dict[int, str], parts: list[Part], joined: str, block_end: int) -> str:
    """The joined locality trimmed of conditions and description, its position and park added."""
    value = trim_locality(without_conditions(joined), DESCRIPTION_WORDS)
    if value and len(value) < len(joined.rstrip(" .;,")) and (tail := position_after_habitat(label, free, block_end)):
        value = f"{value.rstrip(' .;,')}; {tail}"
    elif value and "°" not in value and (under := position_under(label, free, parts[-1][0])):
        value = f"{value.rstrip(' .;,')}. {under}"  # "… Macoris road." / "18°27'N, 69°13'W, alt. to 10 m."
    if all(base != CONFIDENCE["locality_cued"] for _, _, base in parts):  # (a form's blank is kept as written)
        value = without_state_last(label, value)
    value = without_county_last(label, value)
    if value and (park := park_above(label, parts[0][0])) and park not in value:
        value = f"{park} {value}"
    if value and (park := parks_herbarium(label)) and fold(park) not in fold(value):
        value = f"{value.rstrip(' .')} {park}"
    return value
