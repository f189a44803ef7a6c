"""The free-text locality: an explicit "Locality:" line, what a place line says beyond county and state, and the
lines of directions and landmarks that follow (not the plant description, coordinates or associated species)."""

from __future__ import annotations

import re
from dataclasses import replace

from herbproc.fields import names, people, places
from herbproc.fields.label import CONFIDENCE, Field, Label, misread_header, strip_dates
from herbproc.fields.locality_alone import place_lines_alone, written_above
from herbproc.fields.locality_coordinates import (
    after_county_head,
    before_coordinates,
    coordinates_in_sentence,
    position_after_habitat,
)
from herbproc.fields.locality_cues import (
    coordinates_first,
    habitat_caption_place,
    named_place_first,
    place_ending_description,
)
from herbproc.fields.locality_dated import read_dated_place
from herbproc.fields.locality_lines import (
    after_leading_name,
    captions_only,
    clause_wrapped_before,
    comes_after,
    continues,
    day_and_month,
    description_after,
    ends_the_blank,
    goes_on_after_comma,
    ground_sentence_first,
    head_lines_above,
    institution_address,
    line_limit,
    locality_clause,
    named_again,
    place_before_collector,
    place_before_determination,
    place_sentence,
    runs_on,
    sentence_start,
    substrate_under,
    without_habitat_caption,
    wrapped_before,
)
from herbproc.fields.locality_parks import park_above, parks_herbarium
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
from herbproc.fields.locality_trim import (
    habitat_only,
    mend_measures,
    mend_ones,
    trim_locality,
    without_conditions,
    without_state_last,
)
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
from herbproc.fields.text import fold

_NOT_LOCALITY_ROLES = ("institution", "catalog", "collector", "determination", "taxon")

Part = tuple[int, str, float]  # a line's index, what of it is the locality's, its base confidence


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
        if line[:1].islower() or goes_on_after_comma(label, free[i - 1], i):
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
    parts: list[tuple[int, str, float]] = []
    free = _free_lines(label)
    captioned = any(LOCALITY_CUE.match(text) or BARE_LOCALITY_CAPTION.match(text) for text in free.values())
    description = -2  # the last line that described the plant
    hab = -1  # a "Hab." line that names a place
    quad: tuple[int, str, float] | None = None  # a form's map quadrangle line
    habitat = -2  # the last line of a form's habitat blank
    closed = False  # the locality ended at a ";" after its coordinates or elevation: only a "Locality:" line now
    ended = -2  # a locality line whose sentence ended before coordinates on it: nothing after them goes on with it
    for i, line in free.items():
        if parts and ASSOCIATES.search(label.text[parts[-1][0]]):
            break  # the locality ended where the associated species began
        if parts and quad is None and QUAD_MAP.match(line):
            quad = (i, strip_dates(line).strip(" ,;"), CONFIDENCE["locality_continuation"])
            continue  # "Quad. Map Elmton (C-6)": the map sheet the place lies on, part of the locality as written
        if parts and COORDINATE_CAPTION.match(line) and not (LOCALITY_WORDS.search(line) or COORDINATES.search(line)):
            closed = True  # "Latitude 54o 56.1'N" (its degree sign misread): a form's next field
            continue
        if closed and not LOCALITY_CUE.match(line):
            continue  # the habitat began after the locality's coordinates or elevation ("…74°08'W; mixed forest")
        elevation = ELEVATION_LINE.match(line) is not None
        alone = (m := ELEVATION_START.match(line)) is not None and not line[m.end() :].strip()  # "13,750 ft."
        if parts and parts[-1][0] == i - 1 != ended and (runs_on(label.text[i - 1]) or alone) and m:
            head = line.split(";", 1)[0]  # "ca. 240 m; mixed forest": the elevation, then the habitat
            parts.append((i, strip_dates(head).strip(" ,"), CONFIDENCE["locality_continuation"]))
            closed = ";" in line
            continue
        if elevation and parts and parts[-1][0] == i - 1 and (
            not label.text[i - 1].rstrip().endswith(".") or ELEVATION_ONLY.match(line)
        ):  # (a line of an elevation alone goes with the locality above it, its sentence ended or not)
            parts.append((i, line.strip(" ,;."), CONFIDENCE["locality_continuation"]))  # "…, Pacificador;"
            continue
        coordinates = COORDINATES.search(line)
        if (
            coordinates
            and parts
            and parts[-1][0] == i - 1 != ended
            and not runs_on(label.text[i - 1])
            and (lead := line[: coordinates.start()]).strip()
            and re.search(r"[^\W\d_]{3}", lead)
            and not DESCRIPTION_WORDS.search(lead)
            and not COORDINATE_CAPTION.match(line)
            and (inline := coordinates_in_sentence(line, coordinates.start(), stops=True)) is not None
        ):  # "… Bo. Alta." / "Elm Forest Reserve. 18°04'N,": a sentence more of the place, its coordinates in it
            parts.append((i, inline, CONFIDENCE["locality_continuation"]))
            closed = ";" in line[coordinates.start() :]
            continue
        if coordinates and parts and parts[-1][0] == i - 1 and runs_on(label.text[i - 1]):
            inline = None
            if parts[-1][0] != ended and (line[: coordinates.start()].strip() or label.text[i - 1].rstrip()[-1:] in ",;"):
                inline = coordinates_in_sentence(line, coordinates.start())  # (a line of coordinates alone after
                # a sentence that stops without a comma is a field of their own: "… unnamed ponds" / "41.3482°N")
            if inline is not None:
                parts.append((i, inline, CONFIDENCE["locality_continuation"]))  # "…, Elm Point, 41°11'N,"
                closed = ";" in line[coordinates.start() :]  # "… 74°08'W; mixed forest": the habitat begins
                continue
            lead = before_coordinates(line, coordinates.start())
            if lead:  # "… Parker Street at Cedar" / "Street. 41°46'N, 72°31'W.": the sentence ends first
                parts.append((i, lead, CONFIDENCE["locality_continuation"]))
                ended = i
            continue
        if coordinates and not parts and label.roles.get(i) in (None, "place") and opens_with_country(line):
            lead = re.sub(r"(?:\b(?:ca|c|approx|GPS|lat|coord\w*)\W*)+$", "", line[: coordinates.start()], flags=re.I)
            lead = strip_dates(lead).strip(" ,;:.")
            if not only_places(lead):  # "USA, Puerto Rico. Mun. Lares. 18°20'N": the place before its coordinates
                parts.append((i, lead + ".", CONFIDENCE["locality_place_line"]))
                ended = i
            continue
        if coordinates and not parts and (value := after_county_head(label, i, line, coordinates.start())):
            parts.append((i, value, CONFIDENCE["locality_place_line"]))  # "Pima Co.: Elm Canyon, 32°20'N …"
            closed = value != strip_dates(line[line.find(value) :]).strip(" ,;.")
            continue
        cued = LOCALITY_CUE.match(line) or BARE_LOCALITY_CAPTION.match(line)
        if coordinates and cued and coordinates.start() > cued.end():  # "Location: Elm Pass, 41°11'N, …; forest."
            text, start = line[cued.end() :], coordinates.start() - cued.end()
            value = coordinates_in_sentence(text, start) or before_coordinates(text, start)
            if value:
                parts = [(i, value, CONFIDENCE["locality_cued"])]
                closed = value != strip_dates(text).strip(" ,")  # the habitat or another sentence followed
            continue
        if coordinates and not parts and coordinates_first(line, LOCALITY_WORDS, DESCRIPTION_WORDS):
            parts.append((i, strip_dates(line).strip(" ,"), CONFIDENCE["locality_cue_words"]))
            continue  # "18°05'N, 77°20'W; along trail N of Elmton": the coordinates, then where
        if coordinates and not parts and label.roles.get(i) is None and named_place_first(line, coordinates.start()):
            value = coordinates_in_sentence(line, coordinates.start())
            if value:  # "ROSSBY LAKE, in central Elmland, 66°10'N, 94°25'W": a named place, then its coordinates
                parts.append((i, value, CONFIDENCE["locality_cue_words"]))
                closed = value != strip_dates(line).strip(" ,")
                continue
        if coordinates or elevation:
            continue  # not the locality: its own terms
        cue = LOCALITY_CUE.match(line) or BARE_LOCALITY_CAPTION.match(line)
        if cue:
            if not re.search(r"[^\W_]", line[cue.end() :]):
                if not parts and (above := written_above(label, free, i)) is not None:
                    parts.append((i - 1, above, CONFIDENCE["locality_cued"]))
                continue  # the caption's blank: empty, or its value written above the caption's line
            if habitat_only(line[cue.end() :]):
                continue  # a form's next caption read into the blank: "Locality:" / "Herb Shrub Tree"
            if parts and parts[-1][0] != i - 1 and not cue.groupdict().get("habitat"):
                parts = []  # the label's own "Locality:" line, not what a place line above said beyond its county
            parts.append((i, line[cue.end() :], CONFIDENCE["locality_cued"]))
            continue
        if habitat == i - 1 and runs_on(label.text[i - 1]) and not label.text[i - 1].rstrip().endswith(";"):
            habitat = i  # "Habitat" / "On sandy beach in open area often with": the habitat's blank, filled in
            continue
        last = parts[-1][0] if parts else -1  # (an unread line may lie between: "…, Section 18NW," / "" / "T61S")
        if parts and comes_after(label, free, last, i) and runs_on(label.text[last]) and (survey := SURVEY_START.match(line)):
            parts.append((i, survey[0].strip(" ,;."), CONFIDENCE["locality_continuation"]))  # "…, T34N," / "R6E."
            continue
        if captions_only(line):
            closed = bool(parts)  # "Lat/Long:", "Habitat", "Coll. Date": a form's next field; its blank ended
            habitat = i if HABITAT_WORD.search(line) else habitat
            continue
        if parts and people.has_collector_cue(line) and not LOCALITY_WORDS.search(line):
            continue  # "Oct. 30, 1965 Coll. J. Smith & K.": the collector's line, never the locality's end
        if AGENCY.search(line) or EXSICCATA.search(line):
            continue  # an institution's line, not a place's; an exsiccata's title ("Lichenes rariores exsiccati")
        if not (parts or captioned) and (start := habitat_caption_place(line, LOCALITY_WORDS, habitat_only)):
            parts.append((i, line[start:], CONFIDENCE["locality_cued"]))
            hab = i
            continue  # "Hab. Moist woods near Moneague, …": an old label's caption for where the plant grew
        if DET_LINE.match(line) or HABITAT_CUE.match(line) or BARE_HABITAT_CAPTION.match(line):
            if not DET_LINE.match(line):
                habitat = i  # its sentence may run on into the next line: the habitat's, not the locality's
            continue  # a determination whose determiner was not read ("Det. vel confirm.: …"); the habitat
        if not parts and (PLACE_HEADER.match(line) or misread_header(line)):
            if town := HEADER_TOWN.search(line):  # "Plants of Elmia, Town of Rosaville": the town heads the place
                parts.append((i, town["town"].strip(" ,;."), CONFIDENCE["locality_place_line"]))
            continue  # "PLANTS COLLECTED IN TURKS ISLANDS": the collection's header, a region, no locality
        broken = bool(parts) and parts[-1][0] == i - 1 and re.search(r"[a-z]-$", parts[-1][1]) and line[:1].islower()
        if (CAPTION_NUMBER.match(line) and not broken) or day_and_month(line):  # (a word's end after its hyphen,
            # then a date: "… ad rupes apri-" / "cas. 19-XII-1947", no caption)
            continue  # "TOWN 55", "SPECIES 64-6-2", "Sec:16": a caption and its number; "12, June.": a date
        if label.roles.get(i) == "place":  # county and state lines: what they say beyond those
            if ends_the_blank(label, parts, i):  # "Locality Elm Station, Elm Institute" / "Jamaica W.I."
                parts.append((i, strip_dates(line).strip(" ,;"), CONFIDENCE["locality_continuation"]))
                continue
            if division_ends(label, parts, i, line):  # "Vicinity of Port Elm," / "Portland Parish."
                parts.append((i, strip_dates(line).strip(" ,;"), CONFIDENCE["locality_continuation"]))
                continue
            rest = place_remainder(line, label.text[i + 1] if i + 1 < len(label.text) else "")
            if rest and division_heads(label, i, line):
                rest = strip_dates(line).strip(" ,;")  # "ST. PAUL PARISH. Road above …": kept as written
            if rest:
                wrapped_before(label, free, parts, i)
                parts.append((i, rest, CONFIDENCE["locality_place_line"]))
            continue
        if not parts and (habitat := HABITAT_BEFORE_PLACE.match(line)):
            parts.append((i, strip_dates(line[habitat.end() :]).strip(" ,;."), CONFIDENCE["locality_cue_words"]))
            continue  # "In pasture: Elmton.": the place after the habitat and its colon
        if not parts and (town_before_division(label, i, line) or town_and_cued_division(line)):
            parts.append((i, strip_dates(line).strip(" ,;."), CONFIDENCE["locality_place_line"]))
            continue  # "Elmton, Prov. Azua": the town and its province, as written
        place_colon = place_before_colon(line)
        if place_colon is None:
            place_colon = division_before_colon(label, i, line)
        if place_colon is not None:  # kept as written, the place before the colon too
            parts.append((i, strip_dates(line[place_colon:]).strip(" ,;."), CONFIDENCE["locality_cued"]))
            continue
        if not parts and institution_address(label, i):
            continue  # "JARDIN BOTANICO NACIONAL" / "SANTO DOMINGO, REPUBLICA DOMINICANA": the herbarium's address
        if opens_with_country(line) or places_to_their_country(line):  # kept as written: "WEST INDIES,
            # Dominica. St. George. Above …", "ELMTON, RIVA, PROVINCE OF ROSA, PERU" (smaller to larger)
            if only_places(line):
                continue  # "ALASKA, U.S.A.": the state and country line above the locality, their own terms
            wrapped_before(label, free, parts, i)
            parts.append((i, strip_dates(line).strip(" ,;."), CONFIDENCE["locality_place_line"]))
            continue
        if not parts and under_place_caption(label, i, line):
            parts.append((i, strip_dates(line).strip(" ,;."), CONFIDENCE["locality_continuation"]))
            continue  # "MONROE COUNTY:" / "Key West.": the county's line captions the place under it
        remainder = strip_dates(mend_ones(line)).strip(" ,;.")  # ("Ju1y 20, 1959": a date, its l read as 1)
        if (
            description == i - 1
            and (remainder[:1].islower() or ENDS_ON_WORD.search(free[i - 1].rstrip()))
            and not free[i - 1].rstrip().endswith(".")
        ):
            if not parts and (start := locality_clause(remainder, free.get(i + 1, ""))) is not None:
                parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "…; common, near" / "Elmton."
                continue
            if not parts and (start := place_sentence(remainder, free.get(i + 1, ""))) is not None:
                parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "… green. On roadside, …"
                continue
            description = i  # "31 h erb ; fls. white; in grassy" / "areas near the river.": still the plant
            continue
        if not parts and (lead := ABUNDANT_ALONG.match(remainder)):
            parts.append((i, remainder[lead.end() :], CONFIDENCE["locality_cue_words"]))  # "Common along …"
            continue
        listed = names.find_name_in_line(remainder)
        if listed and remainder.startswith("(") and remainder.endswith(")"):
            continue  # "(Elmia rosea (Bell.) Dunn)": the taxon's synonym in parentheses, set under its name
        if parts and listed and listed.start_token == 0 and not LOCALITY_WORDS.search(remainder):
            break  # a scientific name or a list of associated species: the locality has ended
        if parts and NEXT_FIELD.match(line):
            continue  # "State: Wisconsin" under the "Locality:" line: a form's next blank, not the place going on
        if parts and (SUBSTRATE_LINE.match(remainder) or substrate_under(label, parts, remainder)):
            continue  # "Sandstone. Horizontal surf." / "On bark of Quercus" under the place: what the lichen grew on
        follows = bool(parts) and parts[-1][0] != ended and comes_after(label, free, parts[-1][0], i)
        other_print = remainder.isupper() and not label.text[parts[-1][0]].isupper() if parts else False
        if follows and runs_on(free[parts[-1][0]]) and continues(remainder, line) and not other_print:
            parts.append((i, remainder, CONFIDENCE["locality_continuation"]))  # "… west of Long" / "Pond."
            continue
        if DESCRIPTION_WORDS.search(remainder):
            if parts and parts[-1][0] == i - 1:
                description_after(label, parts, i, remainder)
            elif not parts and (start := locality_clause(remainder, free.get(i + 1, ""))) is not None:
                parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "Herb 3 dm, near" / "Elmton"
                continue
            elif not parts and (start := place_sentence(remainder, free.get(i + 1, ""))) is not None:
                parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "Shrub; fls. red. Along …"
                continue
            elif not parts and (start := place_ending_description(line, DESCRIPTION_WORDS)) is not None:
                parts.append((i, line[start:].strip(" ,;."), CONFIDENCE["locality_cue_words"]))  # "…, at Elmton."
                continue
            description = i
            continue
        if len(remainder.split()) < 2:
            continue
        has_cue_words = LOCALITY_WORDS.search(remainder) is not None
        if listed and listed.start_token == 0 and not has_cue_words:
            continue  # a list of associated species
        if has_cue_words and listed and listed.start_token == 0 and not parts:
            remainder = after_leading_name(remainder)  # "Sida acuta L. Along the shore …": the name is the taxon's
        if has_cue_words and not parts and INSTITUTION_START.match(remainder):
            continue  # "MUSEO DE HISTORIA NATURAL, SIERRA DE …": an institution and its town, not where
        if has_cue_words and not parts and habitat_only(remainder):
            continue  # "Moist thicket", "Open woods": what the ground is like, not where
        if has_cue_words and not (parts or TAIL.match(remainder)):
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
        elif has_cue_words and parts and not (parts[-1][0] == ended == i - 1 and remainder[:1].islower()):
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
    if not parts:
        place_lines_alone(label, free)
        if "locality" not in label.fields:
            read_dated_place(label)
        return
    parts = _without_heads(label, parts, hab)
    head_lines_above(label, free, parts)
    block_end = parts[-1][0]  # (the last line read into the locality, its habitat's included)
    parts = _within_limit(label, parts, quad)
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
    return value


def _finished(label: Label, free: dict[int, str], parts: list[Part], joined: str, block_end: int) -> str:
    """The joined locality trimmed of conditions and description, its position and park added."""
    value = trim_locality(without_conditions(joined), DESCRIPTION_WORDS)
    if value and len(value) < len(joined.rstrip(" .;,")) and (tail := position_after_habitat(label, free, block_end)):
        value = f"{value.rstrip(' .;,')}; {tail}"
    if all(base != CONFIDENCE["locality_cued"] for _, _, base in parts):  # (a form's blank is kept as written)
        value = without_state_last(label, value)
    if value and (park := park_above(label, parts[0][0])) and park not in value:
        value = f"{park} {value}"
    if value and (park := parks_herbarium(label)) and fold(park) not in fold(value):
        value = f"{value.rstrip(' .')} {park}"
    return value
