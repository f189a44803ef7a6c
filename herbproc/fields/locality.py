"""The free-text locality: an explicit "Locality:" line, what a place line says beyond county and state, and the
lines of directions and landmarks that follow (not the plant description, coordinates or associated species)."""

from __future__ import annotations

import re
from dataclasses import replace

from herbproc.fields import dates, names, people, places
from herbproc.fields.label import (
    CONFIDENCE,
    HEADER,
    Field,
    Label,
    misread_header,
    strip_dates,
    words_before_det,
)
from herbproc.fields.locality_alone import place_lines_alone, written_above
from herbproc.fields.locality_coordinates import (
    after_county_head,
    before_coordinates,
    coordinates_in_sentence,
    position_after_habitat,
)
from herbproc.fields.locality_cues import coordinates_first, habitat_caption_place, place_after_description
from herbproc.fields.locality_parks import park_above, parks_herbarium
from herbproc.fields.locality_place_lines import (
    division_before_colon,
    division_ends,
    division_heads,
    nothing_else,
    only_places,
    opens_with_country,
    place_before_colon,
    place_remainder,
    places_to_their_country,
    town_before_division,
    under_place_caption,
)
from herbproc.fields.locality_trim import (
    COLLECTED_IN,
    grew_on,
    habitat_only,
    mend_measures,
    names_ground,
    trim_locality,
    without_conditions,
    without_state_last,
)
from herbproc.fields.locality_words import (
    ABUNDANT_ALONG,
    ADMIN_ONLY,
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
    FIELD_NAMES,
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

MAX_LINES = 4
_NOT_LOCALITY_ROLES = ("institution", "catalog", "collector", "determination", "taxon")
_SKIPPABLE_BETWEEN = ("determination",)  # a slip's line set into the locality's lines by the reading order


def read_locality(label: Label) -> None:
    _read_locality(label)
    if (found := label.fields.get("locality")) is not None:
        label.fields["locality"] = replace(found, value=mend_measures(found.value))


def _read_locality(label: Label) -> None:
    parts: list[tuple[int, str, float]] = []
    free = dict(label.lines(skip_roles=_NOT_LOCALITY_ROLES))
    for i, line in label.lines():  # a lower-case line that goes on with a free line's sentence is no herbarium's
        # name line, though it names one ("… Ciudad" / "de Santo Domingo; Jardín Botánico Nacional," / "en …")
        if label.roles.get(i) == "institution" and i - 1 in free and not free[i - 1].rstrip().endswith("."):
            if line[:1].islower() or _goes_on_after_comma(label, free[i - 1], i):
                free[i] = line
        collector = label.fields.get("recordedBy")
        if label.roles.get(i) == "collector" and (collector is None or collector.line != i):
            if LOCALITY_CUE.match(line) or BARE_LOCALITY_CAPTION.match(line):
                free[i] = line  # "Location Elm NWR": the caption says what the line is, no person's name
            elif collector is not None and LOCALITY_WORDS.search(line) and not people.has_collector_cue(line):
                free[i] = line  # "Santee Canal." over "COLLECTED BY H. W. Elm": a place, the names read elsewhere
        if label.roles.get(i) == "collector" and collector is not None and collector.line == i:
            if lead := _place_before_collector(line):
                free[i] = lead  # "Near Elmton, St. Ann. Coll. A. Bell": the place, then the collector's cue
        if label.roles.get(i) == "determination" and (lead := _place_before_determination(line)):
            free[i] = lead  # "Santee Canal, S.C. Det. E. Tuckerman": the place, then the determiner on its line
    free = dict(sorted(free.items()))
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
        if parts and parts[-1][0] == i - 1 != ended and (_runs_on(label.text[i - 1]) or alone) and m:
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
            and not _runs_on(label.text[i - 1])
            and (lead := line[: coordinates.start()]).strip()
            and re.search(r"[^\W\d_]{3}", lead)
            and not DESCRIPTION_WORDS.search(lead)
            and not COORDINATE_CAPTION.match(line)
            and (inline := coordinates_in_sentence(line, coordinates.start(), stops=True)) is not None
        ):  # "… Bo. Alta." / "Elm Forest Reserve. 18°04'N,": a sentence more of the place, its coordinates in it
            parts.append((i, inline, CONFIDENCE["locality_continuation"]))
            closed = ";" in line[coordinates.start() :]
            continue
        if coordinates and parts and parts[-1][0] == i - 1 and _runs_on(label.text[i - 1]):
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
        if habitat == i - 1 and _runs_on(label.text[i - 1]) and not label.text[i - 1].rstrip().endswith(";"):
            habitat = i  # "Habitat" / "On sandy beach in open area often with": the habitat's blank, filled in
            continue
        last = parts[-1][0] if parts else -1  # (an unread line may lie between: "…, Section 18NW," / "" / "T61S")
        if parts and _follows(label, free, last, i) and _runs_on(label.text[last]) and (survey := SURVEY_START.match(line)):
            parts.append((i, survey[0].strip(" ,;."), CONFIDENCE["locality_continuation"]))  # "…, T34N," / "R6E."
            continue
        if _captions_only(line):
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
        if CAPTION_NUMBER.match(line) or _day_and_month(line):
            continue  # "TOWN 55", "SPECIES 64-6-2", "Sec:16": a caption and its number; "12, June.": a date
        if label.roles.get(i) == "place":  # county and state lines: what they say beyond those
            if _ends_the_blank(label, parts, i):  # "Locality Elm Station, Elm Institute" / "Jamaica W.I."
                parts.append((i, strip_dates(line).strip(" ,;"), CONFIDENCE["locality_continuation"]))
                continue
            if division_ends(label, parts, i, line):  # "Vicinity of Port Elm," / "Portland Parish."
                parts.append((i, strip_dates(line).strip(" ,;"), CONFIDENCE["locality_continuation"]))
                continue
            rest = place_remainder(line)
            if rest and division_heads(label, i, line):
                rest = strip_dates(line).strip(" ,;")  # "ST. PAUL PARISH. Road above …": kept as written
            if rest:
                _wrapped_before(label, free, parts, i)
                parts.append((i, rest, CONFIDENCE["locality_place_line"]))
            continue
        if not parts and (habitat := HABITAT_BEFORE_PLACE.match(line)):
            parts.append((i, strip_dates(line[habitat.end() :]).strip(" ,;."), CONFIDENCE["locality_cue_words"]))
            continue  # "In pasture: Elmton.": the place after the habitat and its colon
        if not parts and town_before_division(label, i, line):
            parts.append((i, strip_dates(line).strip(" ,;."), CONFIDENCE["locality_place_line"]))
            continue  # "Elmton, Prov. Azua": the town and its province, as written
        place_colon = place_before_colon(line)
        if place_colon is None:
            place_colon = division_before_colon(label, i, line)
        if place_colon is not None:  # kept as written, the place before the colon too
            parts.append((i, strip_dates(line[place_colon:]).strip(" ,;."), CONFIDENCE["locality_cued"]))
            continue
        if opens_with_country(line) or places_to_their_country(line):  # kept as written: "WEST INDIES,
            # Dominica. St. George. Above …", "ELMTON, RIVA, PROVINCE OF ROSA, PERU" (smaller to larger)
            if only_places(line):
                continue  # "ALASKA, U.S.A.": the state and country line above the locality, their own terms
            _wrapped_before(label, free, parts, i)
            parts.append((i, strip_dates(line).strip(" ,;."), CONFIDENCE["locality_place_line"]))
            continue
        if not parts and under_place_caption(label, i, line):
            parts.append((i, strip_dates(line).strip(" ,;."), CONFIDENCE["locality_continuation"]))
            continue  # "MONROE COUNTY:" / "Key West.": the county's line captions the place under it
        remainder = strip_dates(line).strip(" ,;.")
        if (
            description == i - 1
            and (remainder[:1].islower() or ENDS_ON_WORD.search(free[i - 1].rstrip()))
            and not free[i - 1].rstrip().endswith(".")
        ):
            if not parts and (start := _locality_clause(remainder, free.get(i + 1, ""))) is not None:
                parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "…; common, near" / "Elmton."
                continue
            if not parts and (start := _place_sentence(remainder, free.get(i + 1, ""))) is not None:
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
        if parts and (SUBSTRATE_LINE.match(remainder) or _substrate_under(label, parts, remainder)):
            continue  # "Sandstone. Horizontal surf." / "On bark of Quercus" under the place: what the lichen grew on
        follows = bool(parts) and parts[-1][0] != ended and _follows(label, free, parts[-1][0], i)
        other_print = remainder.isupper() and not label.text[parts[-1][0]].isupper() if parts else False
        if follows and _runs_on(free[parts[-1][0]]) and _continues(remainder, line) and not other_print:
            parts.append((i, remainder, CONFIDENCE["locality_continuation"]))  # "… west of Long" / "Pond."
            continue
        if DESCRIPTION_WORDS.search(remainder):
            if parts and parts[-1][0] == i - 1:
                _description_after(label, parts, i, remainder)
            elif not parts and (start := _locality_clause(remainder, free.get(i + 1, ""))) is not None:
                parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "Herb 3 dm, near" / "Elmton"
                continue
            elif not parts and (start := _place_sentence(remainder, free.get(i + 1, ""))) is not None:
                parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "Shrub; fls. red. Along …"
                continue
            description = i
            continue
        if len(remainder.split()) < 2:
            continue
        has_cue_words = LOCALITY_WORDS.search(remainder) is not None
        if listed and listed.start_token == 0 and not has_cue_words:
            continue  # a list of associated species
        if has_cue_words and listed and listed.start_token == 0 and not parts:
            remainder = _after_leading_name(remainder)  # "Sida acuta L. Along the shore …": the name is the taxon's
        if has_cue_words and not parts and INSTITUTION_START.match(remainder):
            continue  # "MUSEO DE HISTORIA NATURAL, SIERRA DE …": an institution and its town, not where
        if has_cue_words and not parts and habitat_only(remainder):
            continue  # "Moist thicket", "Open woods": what the ground is like, not where
        if has_cue_words and not (parts or TAIL.match(remainder)):
            if remainder[:1].islower():
                _sentence_start(label, free, parts, i)
            elif (clause := _clause_wrapped_before(label, i)) is not None:
                parts.append((i - 1, clause, CONFIDENCE["locality_continuation"]))
            else:
                _wrapped_before(label, free, parts, i)  # "from the clip quadrat 15," / "Elm area"
            parts.append((i, remainder, CONFIDENCE["locality_cue_words"]))
        elif has_cue_words and parts:
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
        return
    if parts[0][0] == hab:
        parts = _without_habitat_caption(label, parts)
    if _named_again(parts):
        parts = parts[1:]
    if len(parts) > 1 and parts[0][1].isupper() and places.REGION.fullmatch(parts[0][1].strip(" ,;.")):
        parts = parts[1:]  # "LEEWARD ISLANDS" over "ELMTA: Rosa Mountain …": the series' region, printed above
    if len(parts) > 1 and _ground_sentence_first(label, parts):
        parts = parts[1:]
    _head_lines_above(label, free, parts)
    block_end = parts[-1][0]  # (the last line read into the locality, its habitat's included)
    parts = [(i, ASSOCIATES.split(text)[0].strip(" ,;"), base) for i, text, base in parts[: _line_limit(label, parts)]]
    if quad is not None and parts and quad[0] > parts[-1][0]:
        parts.append(quad)
    parts = [part for part in parts if part[1]]
    if not parts:
        return
    confidence = max(base * label.quality[i] for i, _, base in parts)
    value = parts[0][1].strip()
    for (before, text, _), (_, after, _) in zip(parts, parts[1:], strict=False):
        ends = label.text[before].rstrip()[-1:]
        wrapped_at = ends if ends in ",;." and not text.rstrip().endswith(ends) else ""
        if re.search(r"[a-z]-$", value) and after[:1].islower():
            value += after.strip()  # "coppice-" / "covered hills": a hyphenated word broken at its hyphen
            continue
        value += (f"{wrapped_at} " if wrapped_at else " ") + after.strip()
    joined = value
    value = trim_locality(without_conditions(value), DESCRIPTION_WORDS)
    if value and len(value) < len(joined.rstrip(" .;,")) and (tail := position_after_habitat(label, free, block_end)):
        value = f"{value.rstrip(' .;,')}; {tail}"
    if all(base != CONFIDENCE["locality_cued"] for _, _, base in parts):  # (a form's blank is kept as written)
        value = without_state_last(label, value)
    if value and (park := park_above(label, parts[0][0])) and park not in value:
        value = f"{park} {value}"
    if value and (park := parks_herbarium(label)) and fold(park) not in fold(value):
        value = f"{value.rstrip(' .')} {park}"
    if value:
        label.fields["locality"] = Field(value, round(confidence, 4), parts[0][0])


def _head_lines_above(label: Label, free: dict[int, str], parts: list[tuple[int, str, float]]) -> None:
    """The lines above the locality's first that head it: a locality in capitals wrapped after a comma
    ("TRINIDAD MOUNTAINS, ELMA" / "ARROYO VERDE, 300 METERS"; a reader may have taken it for a name), and a
    line holding only a province with its word, perhaps over a number ("PROVINCE OF ELMA" / "5847" / "RIO
    VERDE"): kept as written, as dwc:verbatimLocality."""
    first = parts[0][0]
    above = first - 1
    if above >= 0 and label.usable[above] and label.roles.get(above) in (None, "taxon", "place"):
        text, line = label.text[above].rstrip(), label.text[first]
        if (
            text.isupper()
            and line.isupper()
            and "," in text
            and not text.endswith(".")
            and not HEADER.match(text)
            and not PLACE_HEADER.match(text)
            and not AGENCY.search(text)
            and LOCALITY_WORDS.search(text)
        ):
            parts.insert(0, (above, text.strip(" ,;"), CONFIDENCE["locality_continuation"]))
            return
    while above >= 0 and (not label.usable[above] or re.fullmatch(r"\W*(?:no\.?\s*)?\d+\W*", label.text[above], re.I)):
        above -= 1
    if above < 0 or label.roles.get(above) not in (None, "place") or above not in free and label.roles.get(above):
        return
    text = label.text[above]
    province = places.find_cued_province(text)
    if province is not None and ADMIN_ONLY.search(text) and nothing_else(text, province[1], province[2]):
        parts.insert(0, (above, text.strip(" ,;."), CONFIDENCE["locality_continuation"]))


def _without_habitat_caption(label: Label, parts: list[tuple[int, str, float]]) -> list[tuple[int, str, float]]:
    """A ``Hab.`` line's place is the locality only when nothing else says where: a place line after it that
    does not go on with its sentence ("Habitat: Rich woods near Elm Brook." / "Windsor County: Town of Elm") is
    the locality instead; a line it wraps into after a comma, or mid-sentence, is its own."""
    k = 1
    while k < len(parts) and parts[k][0] == parts[k - 1][0] + 1:
        before = label.text[parts[k - 1][0]].rstrip()
        if not (before.endswith(",") or (_runs_on(before) and label.roles.get(parts[k][0]) != "place")):
            break
        k += 1
    return parts if k == len(parts) else parts[k:]


def _place_sentence(text: str, next_line: str) -> int | None:
    if INSTITUTION_START.match(text):
        return None  # "Ex Herb. Jardim Botânico do Rio …": a herbarium's line, its "Herb." no plant
    start = place_after_description(text, next_line, LOCALITY_WORDS, DESCRIPTION_WORDS)
    return None if start is None or INSTITUTION_START.match(text[start:]) else start


def _after_leading_name(text: str) -> str:
    """What follows a scientific name and its author at a line's start, from the sentence after it that says
    where: "Sida acuta L. Along the shore" → "Along the shore"; else ``text``."""
    for m in re.finditer(r"\.\s+(?=[A-Z][a-z])", text):
        before, after = text[: m.start()], text[m.end() :]
        if not LOCALITY_WORDS.search(before) and LOCALITY_WORDS.search(after):
            return after
    return text


def _line_limit(label: Label, parts: list[tuple[int, str, float]]) -> int:
    """How many of the locality's lines are kept: ``MAX_LINES``, and one more (twice at most) while the last kept
    line stops on a word that needs the next line to end its sentence ("… on and" / "adjacent to the dam.")."""
    limit = MAX_LINES
    while (
        limit < min(len(parts), MAX_LINES + 2)
        and parts[limit][0] == parts[limit - 1][0] + 1
        and (
            ENDS_ON_WORD.search(label.text[parts[limit - 1][0]].rstrip())
            or _unit_wrapped(label.text[parts[limit - 1][0]], label.text[parts[limit][0]])
            or (  # "… at Quebrada" / "Elm. Low, …": the next line ends the sentence in its first words
                re.search(r"[a-z]$", label.text[parts[limit - 1][0]].rstrip())
                and re.match(r"^\W*[A-Za-z][\w'’-]*(?:\s+[\w'’-]+)?\.\s", label.text[parts[limit][0]]) is not None
            )
        )
    ):
        limit += 1
    return limit


_NUMBER_END = re.compile(r"\d$")
_UNIT_START = re.compile(r"^\W*(?:km|mi|miles?|m|ft|feet|yds?|yards?|meters?|metres?)\b\.?(?!\w)", re.I)


def _unit_wrapped(text: str, after: str) -> bool:
    """A line that ends on a number whose unit opens the next line ("…, ca. 13" / "km SW of Elmton"): one measure
    broken across the lines, the sentence not ended."""
    return _NUMBER_END.search(text.rstrip()) is not None and _UNIT_START.match(after) is not None


def _sentence_start(label: Label, free: dict[int, str], parts: list[tuple[int, str, float]], i: int) -> None:
    """A locality found on a line that begins in lower case ("hill, coast road ca 35 km E of …") began on the
    line before, when that one is free text that does not end its sentence ("Rocky slopes of serpentine
    limestone"): not a description, a name, coordinates or a header."""
    before = free.get(i - 1)
    if before is None or label.roles.get(i - 1) is not None or before.rstrip().endswith("."):
        return
    text = strip_dates(before).strip(" ,;")
    if _HABITAT_START.match(text) and _PREPOSITION_START.match(label.text[i]):
        return  # "On moss mounds in a bog" / "along Cedar Creek; …": the habitat, then where
    listed = names.find_name_in_line(text)
    if (
        len(text.split()) >= 2
        and not DESCRIPTION_WORDS.search(text)
        and not COORDINATES.search(text)
        and not HEADER.match(text)
        and not (listed and listed.start_token == 0)
        and (COLLECTED_IN.match(text) or not people.has_collector_cue(text))
    ):
        parts.append((i - 1, text, CONFIDENCE["locality_continuation"]))


def _follows(label: Label, free: dict[int, str], last: int, i: int) -> bool:
    """Line ``i`` comes next after line ``last`` of the locality: only unreadable lines, coordinates or a
    determination's lines between them; a barcode's line too when line ``last`` stops mid-sentence ("…, Elm
    Head," / "00123456" / "opposite Pine Cay.")."""
    mid_sentence = _RUNS_ON.search(label.text[last].rstrip()) is not None
    return all(
        not label.usable[k]
        or label.roles.get(k) in _SKIPPABLE_BETWEEN
        or (mid_sentence and label.roles.get(k) == "catalog")
        or COORDINATES.search(free.get(k, ""))
        or DET_LINE.match(label.text[k])
        for k in range(last + 1, i)
    )
_HABITAT_START = re.compile(r"^(?:on|in|among)\s+[a-z]")
_PREPOSITION_START = re.compile(r"^\W*(?:along|near|beside|by|at)\s")
_FRAGMENT = re.compile(r"(?:(?<=[A-Za-z]{3})|(?<=\d)|(?<=\)))\.\s+(?P<rest>\S+(?:\s+\S+){0,2})$")


_CLAUSE_START = re.compile(r"(?:^|[,;]\s+|(?<=[A-Za-z]{3})\.\s+)(?=\S)")
_ENDS_ON_PREPOSITION = re.compile(r"\b(?:near|along|beside|at|of|to|from|in)$", re.I)  # "…, near" / "Elmton"


def _locality_clause(text: str, next_line: str) -> int | None:
    """Where the last clause of a plant's description line begins when it says where the plant grew and wraps
    its place onto the next line ("…; common in fields, near" / "Elmton. Alt. 40 m." → "near"): a cue word, no
    description word, a preposition at the line's end and a capitalised line after it. ("in grassy" / "areas
    near the river." names no place: still the plant's habitat.)"""
    if not _ENDS_ON_PREPOSITION.search(text) or not next_line.strip()[:1].isupper():
        return None
    start = max((m.end() for m in _CLAUSE_START.finditer(text)), default=0)
    clause = text[start:]
    if not LOCALITY_WORDS.search(clause) or DESCRIPTION_WORDS.search(clause) or ASSOCIATES.search(clause):
        return None
    return start


def _description_after(label: Label, parts: list[tuple[int, str, float]], i: int, remainder: str) -> None:
    """A plant description begins on line ``i``, just after the locality's last line: the sentence that line
    began goes with the description ("… about S. 22. Clustered," / "small trees 5 m. tall"), and a sentence
    wrapped on a word ("… near the junction with" / "Elm Road, roadside, 5 dm tall") ends before it."""
    last, text, base = parts[-1]
    ends = label.text[last].rstrip()
    if ENDS_ON_WORD.search(ends):
        lead: list[str] = []
        for clause in remainder.split(","):
            if DESCRIPTION_WORDS.search(clause) or re.search(r"\d", clause):
                break
            lead.append(clause.strip())
        if lead and all(lead):
            parts.append((i, ", ".join(lead), CONFIDENCE["locality_continuation"]))
    elif not ends.endswith(".") and (fragment := _FRAGMENT.search(text.rstrip(" ,;"))):
        parts[-1] = (last, text[: fragment.start()], base)


def _place_before_collector(line: str) -> str:
    """The place written before the collector's cue on its line, its sentence ended there ("Near Elmton, St.
    Ann. Coll. A. Bell" → "Near Elmton, St. Ann"): a place word in it, no plant's description or name; "" else."""
    cue = people.collector_cue(line)
    if cue is None or cue.start() == 0 or not re.search(r"[.,;]\s*$", line[: cue.start()]):
        return ""
    lead = line[: cue.start()].strip(" ,;.")
    if not LOCALITY_WORDS.search(lead) or DESCRIPTION_WORDS.search(lead) or names.find_name_in_line(lead):
        return ""
    return "" if dates.find_dates(lead) else lead


def _place_before_determination(line: str) -> str:
    """The place written before a determination's cue on its line ("Santee Canal, S.C. Det. E. Tuckerman" →
    "Santee Canal, S.C."): the slip's own words, no taxon's name, a place word in them; "" otherwise."""
    lead = words_before_det(line)
    if not LOCALITY_WORDS.search(lead) or DESCRIPTION_WORDS.search(lead) or names.find_name_in_line(lead):
        return ""
    return lead


def _ground_sentence_first(label: Label, parts: list[tuple[int, str, float]]) -> bool:
    """The first line is a sentence of its own on the ground, no place named in it ("Bank of lake, moist, partial
    shade."), the next line names the place ("N. of Elm Quarry, Rosa Island."): the habitat, then the locality."""
    (first, text, _), (_, after, _) = parts[0], parts[1]
    return (
        label.text[first].rstrip().endswith(".")
        and not re.search(r"(?<=\s)[A-Z]", text)
        and names_ground(text)
        and re.search(r"(?<=\s)[A-Z][a-z]", after) is not None
    )


def _named_again(parts: list[tuple[int, str, float]]) -> bool:
    """The locality's first line is a printed heading's place alone ("Elm Lake"), set apart from the next by
    another field's line, that the written locality names again ("On spruce, west side of Elm Lake."): the
    heading, not the start of the locality's sentence."""
    if len(parts) < 2 or parts[1][0] == parts[0][0] + 1 or len(parts[0][1].split()) > 4:
        return False
    head = fold(parts[0][1])
    return bool(head) and re.search(rf"\b{re.escape(head)}\b", fold(" ".join(t for _, t, _ in parts[1:]))) is not None


def _day_and_month(line: str) -> bool:
    """A date without its year ("15, October.", "June 3"): the year is elsewhere on the label."""
    words = re.findall(r"[^\W\d_]+|\d+", line)
    return (
        len(words) == 2
        and sum(w.isdigit() and len(w) <= 2 for w in words) == 1
        and any(fold(w) in dates.MONTHS for w in words)
    )


def _clause_wrapped_before(label: Label, i: int) -> str | None:
    """The last clause of the line before ``i`` when it runs on into line ``i`` ("in a new planting, University
    of South" / "Dakota Campus, Vermillion"): after a comma, capitalised, mixed case, no full stop at the end."""
    if i == 0 or not label.usable[i - 1] or label.roles.get(i - 1) in ("taxon", "collector", "catalog", "place"):
        return None
    before = label.text[i - 1].rstrip()
    head, comma, clause = before.rpartition(",")
    clause = clause.strip()
    if not comma or not head.strip() or before.isupper() or before.endswith((".", ";", ":")):
        return None
    if len(clause.split()) < 2 or not clause[:1].isupper() or not re.search(r"(?:\b[A-Z][a-z]+|\bof)$", clause):
        return None
    return clause


def _goes_on_after_comma(label: Label, before: str, i: int) -> bool:
    """A line read as a herbarium's name that goes on with a locality line ending in a comma ("… northside of
    Hale Hall," / "University of Vermont campus, Burlington"): mixed case, not a stamp in capitals."""
    line = label.text[i]
    return (
        before.rstrip().endswith(",")
        and not line.isupper()
        and (label.roles.get(i - 1) == "place" or LOCALITY_WORDS.search(before) is not None)
    )


def _captions_only(line: str) -> bool:
    """``line`` holds nothing but a form's field names ("Lat/Long:", "Latitude", "Coll. Date", "Habitat:")."""
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", line)]
    return bool(words) and not re.search(r"\d", line) and all(w in FIELD_NAMES for w in words)


_RUNS_ON = re.compile(r"(?:,|\b(?:of|at|near|by|along|in|on|the|and|to|from|west|east|north|south))$", re.I)


def _substrate_under(label: Label, parts: list[tuple[int, str, float]], text: str) -> bool:
    """A substrate or ground line under the place ("On bark of Quercus", "Maritime rocks above high tide"), not
    the end of a sentence that stopped on a comma or a word ("…, in seepage on" / "boulders near the spillway")."""
    if _RUNS_ON.search(label.text[parts[-1][0]].rstrip()):
        return False
    ended_on_name = re.search(r"\b[A-Z][\w'-]*\W*$", label.text[parts[-1][0]]) is not None
    return grew_on(text, LOCALITY_WORDS) or (ended_on_name and _ground_line(text))


def _ground_line(text: str) -> bool:
    """A sentence of common words after its capital, no place named ("Maritime rocks above high tide",
    "Spruce-fir forest"): what the ground is like."""
    words = re.findall(r"\S+", text.strip(" .;,"))
    return (
        len(words) >= 2
        and all(re.fullmatch(r"[a-z][a-z'-]*,?", w) for w in words[1:])
        and re.fullmatch(r"[A-Z][a-z'-]+", words[0]) is not None
        and not LOCALITY_WORDS.search(text)
    )


def _runs_on(text: str) -> bool:
    """A locality line that stops mid-sentence: no full stop at its end (a comma, a preposition, a word)."""
    return not text.rstrip().endswith(".") or text.rstrip().endswith(
        (" mi.", " Mt.", " St.", " Alt.", " Elev.", " ca.", " Co.", " Rd.")
    )


def _continues(text: str, line: str) -> bool:
    """A short line that can end a wrapped locality ("Pond.", "Sudbury", "village"): no digits, not a plant
    description or a collector, at most three words."""
    return (
        0 < len(text.split()) <= 3
        and not re.search(r"\d", text)
        and not DESCRIPTION_WORDS.search(text)
        and not people.has_collector_cue(line)
    )

def _wrapped_before(label: Label, free: dict[int, str], parts: list[tuple[int, str, float]], i: int) -> None:
    """The line before a place line, when it stops on a word that needs the place line to end it
    ("Sturbridge, open field west" / "of Rattlesnake Hill, Worcester County,"), begins the locality."""
    before = free.get(i - 1)
    if before is None or (parts and parts[-1][0] == i - 1) or label.roles.get(i - 1) == "place":
        return
    text = strip_dates(before).strip(" ;")
    listed = names.find_name_in_line(text)
    if listed and listed.start_token == 0:
        return  # "Picea mariana, Abies balsamea,": the plants growing with it
    if _RUNS_ON.search(text) and len(text.split()) >= 2 and not DESCRIPTION_WORDS.search(text):
        parts.append((i - 1, text, CONFIDENCE["locality_continuation"]))


def _ends_the_blank(label: Label, parts: list[tuple[int, str, float]], i: int) -> bool:
    """Line ``i`` holds only a country (with its region: "Jamaica W.I.") right under a "Locality" caption's line
    that runs on: the end of what was written in the blank, kept as written."""
    if not parts or parts[-1][0] != i - 1 or parts[-1][2] != CONFIDENCE["locality_cued"]:
        return False
    country = places.find_country(label.text[i])
    return (
        _runs_on(label.text[i - 1])
        and country is not None
        and not re.search(r"\w", label.text[i][: country.start] + label.text[i][country.end :])
    )
