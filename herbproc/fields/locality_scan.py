"""The scan of a label's free lines for its locality's lines: one step per kind of line, tried in order, each
saying whether it took the line (then the next line is read)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from herbproc.fields import names, people
from herbproc.fields.label import CONFIDENCE, Label, misread_header, strip_dates
from herbproc.fields.locality_alone import written_above
from herbproc.fields.locality_coordinates import (
    after_county_head,
    before_coordinates,
    coordinates_in_sentence,
)
from herbproc.fields.locality_cues import (
    coordinates_first,
    habitat_caption_place,
    named_place_first,
    place_ending_description,
)
from herbproc.fields.locality_lines import (
    after_leading_name,
    captions_only,
    clause_wrapped_before,
    comes_after,
    continues,
    day_and_month,
    description_after,
    ends_the_blank,
    institution_address,
    locality_clause,
    place_sentence,
    runs_on,
    sentence_start,
    substrate_under,
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
from herbproc.fields.locality_trim import habitat_only, mend_ones
from herbproc.fields.locality_words import (
    ABUNDANT_ALONG,
    AGENCY,
    ASSOCIATES,
    BARE_HABITAT_CAPTION,
    BARE_LOCALITY_CAPTION,
    CAPTION_NUMBER,
    COORDINATE_CAPTION,
    COORDINATES,
    DESCRIPTION_WORDS,
    DET_LINE,
    ELEVATION_LINE,
    ELEVATION_ONLY,
    ELEVATION_START,
    ENDS_ON_WORD,
    EXSICCATA,
    HABITAT_BEFORE_PLACE,
    HABITAT_CUE,
    HABITAT_WORD,
    HEADER_TOWN,
    INSTITUTION_START,
    LOCALITY_CUE,
    LOCALITY_WORDS,
    NEXT_FIELD,
    PLACE_HEADER,
    QUAD_MAP,
    SUBSTRATE_LINE,
    SURVEY_START,
    TAIL,
)

Part = tuple[int, str, float]  # a line's index, what of it is the locality's, its base confidence


@dataclass
class Scan:
    label: Label
    free: dict[int, str]
    captioned: bool  # some free line is a "Locality:" caption
    parts: list[Part] = field(default_factory=list)
    quad: Part | None = None  # a form's map quadrangle line
    description: int = -2  # the last line that described the plant
    hab: int = -1  # a "Hab." line that names a place
    habitat: int = -2  # the last line of a form's habitat blank
    closed: bool = False  # the locality ended at a ";" after its coordinates or elevation: only a "Locality:" line now
    ended: int = -2  # a locality line whose sentence ended before coordinates on it: nothing after them goes on with it
    stopped: bool = False  # a scientific name or a list of associated species ended the locality


Step = Callable[[Scan, int, str], bool]
CoordinateStep = Callable[[Scan, int, str, re.Match[str]], bool]


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


def _elevation_running_on(s: Scan, i: int, line: str) -> bool:
    parts = s.parts
    alone = (m := ELEVATION_START.match(line)) is not None and not line[m.end() :].strip()  # "13,750 ft."
    if parts and parts[-1][0] == i - 1 != s.ended and (runs_on(s.label.text[i - 1]) or alone) and m:
        head = line.split(";", 1)[0]  # "ca. 240 m; mixed forest": the elevation, then the habitat
        parts.append((i, strip_dates(head).strip(" ,"), CONFIDENCE["locality_continuation"]))
        s.closed = ";" in line
        return True
    return False


def _elevation_under_place(s: Scan, i: int, line: str) -> bool:
    parts = s.parts
    elevation = ELEVATION_LINE.match(line) is not None
    if elevation and parts and parts[-1][0] == i - 1 and (
        not s.label.text[i - 1].rstrip().endswith(".") or ELEVATION_ONLY.match(line)
    ):  # (a line of an elevation alone goes with the locality above it, its sentence ended or not)
        parts.append((i, line.strip(" ,;."), CONFIDENCE["locality_continuation"]))  # "…, Pacificador;"
        return True
    return False


def _coordinates_or_elevation(s: Scan, i: int, line: str) -> bool:
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
    # (the habitat's blank ends here, found or not, as in the single loop this step came from, where the match
    # was bound to the name of the habitat blank's line)
    s.habitat = -2
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


def _free_text_line(s: Scan, i: int, line: str) -> bool:
    """A line of free text: the plant's description, a taxon, a substrate, or the locality's words."""
    parts, label = s.parts, s.label
    remainder = strip_dates(mend_ones(line)).strip(" ,;.")  # ("Ju1y 20, 1959": a date, its l read as 1)
    if _description_runs_on(s, i, remainder):
        return True
    if not parts and (lead := ABUNDANT_ALONG.match(remainder)):
        parts.append((i, remainder[lead.end() :], CONFIDENCE["locality_cue_words"]))  # "Common along …"
        return True
    listed = names.find_name_in_line(remainder)
    if listed and remainder.startswith("(") and remainder.endswith(")"):
        return True  # "(Elmia rosea (Bell.) Dunn)": the taxon's synonym in parentheses, set under its name
    if parts and listed and listed.start_token == 0 and not LOCALITY_WORDS.search(remainder):
        s.stopped = True  # a scientific name or a list of associated species: the locality has ended
        return True
    if parts and NEXT_FIELD.match(line):
        return True  # "State: Wisconsin" under the "Locality:" line: a form's next blank, not the place going on
    if parts and (SUBSTRATE_LINE.match(remainder) or substrate_under(label, parts, remainder)):
        return True  # "Sandstone. Horizontal surf." / "On bark of Quercus" under the place: what the lichen grew on
    follows = bool(parts) and parts[-1][0] != s.ended and comes_after(label, s.free, parts[-1][0], i)
    other_print = remainder.isupper() and not label.text[parts[-1][0]].isupper() if parts else False
    if follows and runs_on(s.free[parts[-1][0]]) and continues(remainder, line) and not other_print:
        parts.append((i, remainder, CONFIDENCE["locality_continuation"]))  # "… west of Long" / "Pond."
        return True
    if DESCRIPTION_WORDS.search(remainder):
        _description_line(s, i, line, remainder)
        return True
    if len(remainder.split()) < 2:
        return True
    _cue_words_line(s, i, remainder, listed, follows, other_print)
    return True


def _description_runs_on(s: Scan, i: int, remainder: str) -> bool:
    free = s.free
    if not (
        s.description == i - 1
        and (remainder[:1].islower() or ENDS_ON_WORD.search(free[i - 1].rstrip()))
        and not free[i - 1].rstrip().endswith(".")
    ):
        return False
    if not s.parts and (start := locality_clause(remainder, free.get(i + 1, ""))) is not None:
        s.parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "…; common, near" / "Elmton."
        return True
    if not s.parts and (start := place_sentence(remainder, free.get(i + 1, ""))) is not None:
        s.parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "… green. On roadside, …"
        return True
    s.description = i  # "31 h erb ; fls. white; in grassy" / "areas near the river.": still the plant
    return True


def _description_line(s: Scan, i: int, line: str, remainder: str) -> None:
    parts, free = s.parts, s.free
    if parts and parts[-1][0] == i - 1:
        description_after(s.label, parts, i, remainder)
    elif not parts and (start := locality_clause(remainder, free.get(i + 1, ""))) is not None:
        parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "Herb 3 dm, near" / "Elmton"
        return
    elif not parts and (start := place_sentence(remainder, free.get(i + 1, ""))) is not None:
        parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "Shrub; fls. red. Along …"
        return
    elif not parts and (start := place_ending_description(line, DESCRIPTION_WORDS)) is not None:
        parts.append((i, line[start:].strip(" ,;."), CONFIDENCE["locality_cue_words"]))  # "…, at Elmton."
        return
    s.description = i


def _cue_words_line(
    s: Scan, i: int, remainder: str, listed: names.NameInLine | None, follows: bool, other_print: bool
) -> None:
    parts, label = s.parts, s.label
    has_cue_words = LOCALITY_WORDS.search(remainder) is not None
    if listed and listed.start_token == 0 and not has_cue_words:
        return  # a list of associated species
    if has_cue_words and listed and listed.start_token == 0 and not parts:
        remainder = after_leading_name(remainder)  # "Sida acuta L. Along the shore …": the name is the taxon's
    if has_cue_words and not parts and INSTITUTION_START.match(remainder):
        return  # "MUSEO DE HISTORIA NATURAL, SIERRA DE …": an institution and its town, not where
    if has_cue_words and not parts and habitat_only(remainder):
        return  # "Moist thicket", "Open woods": what the ground is like, not where
    if has_cue_words and not (parts or TAIL.match(remainder)):
        _first_cue_words_line(s, i, remainder)
    elif has_cue_words and parts and not (parts[-1][0] == s.ended == i - 1 and remainder[:1].islower()):
        # (a lower-case line goes on with the sentence after the coordinates, left out: "…. 29°35'N, 85°03'W.
        # In stable" / "backdunes of the island.")
        parts.append((i, remainder, CONFIDENCE["locality_cue_words"]))
    elif (
        follows
        and not (remainder[:1].islower() and label.text[parts[-1][0]].rstrip().endswith("."))
        and not other_print
    ):
        # (a lower-case line after a full stop goes on with some other sentence: another column's; a line in
        # capitals after a mixed-case one is another print: a stamp's, a printed slip's)
        parts.append((i, remainder, CONFIDENCE["locality_continuation"]))


def _first_cue_words_line(s: Scan, i: int, remainder: str) -> None:
    """The locality's first line by its words, with the start of its sentence on the lines above."""
    parts, label, free = s.parts, s.label, s.free
    if remainder[:1].islower():
        sentence_start(label, free, parts, i)
    elif (clause := clause_wrapped_before(label, i)) is not None:
        parts.append((i - 1, clause, CONFIDENCE["locality_continuation"]))
    else:
        wrapped_before(label, free, parts, i)  # "from the clip quadrat 15," / "Elm area"
        if parts and label.text[i - 1][:1].islower():  # that line began in lower case: its sentence
            sentence_start(label, free, parts, i - 1)  # began above ("… of the Cen-" / "tral Elm Range,")
            parts.sort(key=lambda part: part[0])
    parts.append((i, remainder, CONFIDENCE["locality_cue_words"]))


_COORDINATE_STEPS: tuple[CoordinateStep, ...] = (
    _coordinates_in_place_sentence,
    _coordinates_after_running_line,
    _country_line_with_coordinates,
    _county_head_with_coordinates,
    _cued_line_with_coordinates,
    _coordinates_then_where,
    _named_place_then_coordinates,
)

_STEPS: tuple[Step, ...] = (
    _quad_map_line,
    _coordinate_caption_line,
    _after_closing,
    _elevation_running_on,
    _elevation_under_place,
    _coordinates_or_elevation,
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
    _free_text_line,
)
