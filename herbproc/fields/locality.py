"""The free-text locality: an explicit "Locality:" line, what a place line says beyond county and state, and the
lines of directions and landmarks that follow (not the plant description, coordinates or associated species)."""

from __future__ import annotations

import re
from dataclasses import replace

from herbproc.fields import dates, names, people, places
from herbproc.fields.label import (
    CONFIDENCE,
    HEADER,
    SERIES_HEADER,
    Field,
    Label,
    misread_header,
    strip_dates,
    words_before_det,
)
from herbproc.fields.locality_coordinates import (
    after_county_head,
    before_coordinates,
    coordinates_in_sentence,
    position_after_habitat,
)
from herbproc.fields.locality_cues import coordinates_first, habitat_caption_place, place_after_description
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
    state_span,
    town_before_division,
    under_place_caption,
)
from herbproc.fields.locality_trim import (
    COLLECTED_IN,
    grew_on,
    habitat_only,
    names_ground,
    trim_locality,
    without_postal_state,
)
from herbproc.fields.locality_words import (
    ABUNDANT_ALONG,
    ADMIN_ONLY,
    AGENCY,
    ASSOCIATES,
    BARE_HABITAT_CAPTION,
    BARE_LOCALITY_CAPTION,
    CAPTION_NUMBER,
    CAPTION_ONLY,
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
                if not parts and (above := _written_above(label, free, i)) is not None:
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
        _place_lines_alone(label, free)
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
    value = trim_locality(_without_conditions(value), DESCRIPTION_WORDS)
    if value and len(value) < len(joined.rstrip(" .;,")) and (tail := position_after_habitat(label, free, block_end)):
        value = f"{value.rstrip(' .;,')}; {tail}"
    if all(base != CONFIDENCE["locality_cued"] for _, _, base in parts):  # (a form's blank is kept as written)
        value = _without_state_last(label, value)
    if value and (park := _park_above(label, parts[0][0])) and park not in value:
        value = f"{park} {value}"
    if value and (park := _parks_herbarium(label)) and fold(park) not in fold(value):
        value = f"{value.rstrip(' .')} {park}"
    if value:
        label.fields["locality"] = Field(value, round(confidence, 4), parts[0][0])


# a protected area's abbreviation alone on its line, perhaps before a form's caption ("GSMNP Co."): a national
# park, wildlife refuge, forest, monument or recreation area, written where the printed form has no blank for it
# (not "CONF.", a determination's "confirmed")
_PARK_ABBREVIATION = re.compile(r"^\W*(?!CONF\b)(?P<park>[A-Z]{1,6}(?:NP|NWR|NF|NM|NRA))(?:\s+[A-Z][a-z]{0,3}\.)?\W*$")


# a national park's own herbarium, its form's caption over the park's name: "Herbier du parc national de" /
# "ELM NATIONAL PARK": its specimens were collected in the park
_PARK_HERBARIUM = re.compile(r"\b(?i:herbi?er|herbarium)\b.*\b(?i:parc\s+national|national\s+park)\W*(?i:de|du|of)?\W*$")
_PARK_NAME = re.compile(r"^\W*(?P<park>[A-Z][A-Z'’. -]+\s+(?:NATIONAL\s+PARK|PARC\s+NATIONAL))\W*$")


def _parks_herbarium(label: Label) -> str | None:
    """The park named under a national park's herbarium caption: the locality lies in it."""
    for i, line in enumerate(label.text[:-1]):
        if _PARK_HERBARIUM.search(line) and (m := _PARK_NAME.match(label.text[i + 1])):
            return m["park"].strip()
    return None


def _park_above(label: Label, first: int) -> str | None:
    """The abbreviation of the protected area the locality lies in, alone on a line above its first line: it
    heads the locality ("GSMNP" / "Loc. between Elm Cove and Rosa Mt.")."""
    for i in range(first):
        if label.usable[i] and (m := _PARK_ABBREVIATION.match(label.text[i])):
            return m["park"]
    return None


# a line of two to four capitalised words and nothing else: "Nueva Gerona", "ST. THOMAS", "Grand Turk" (then
# perhaps a comma and a date whose year is in the header: "Grand Turk, August 27-September 1."; a comma between
# its words: "DRY COASTAL SCRUB, ELMTON")
_PLACE_NAME_LINE = re.compile(
    r"^(?P<place>(?:[A-Z][a-záéíóúñ]+|[A-Z][A-ZÁÉÍÓÚÑ]+|St\.|ST\.)"
    r"(?:(?:\s*,\s*|\s+)(?:[A-Z][a-záéíóúñ]+|[A-Z][A-ZÁÉÍÓÚÑ]+|(?:St|ST)\.(?=\s*[A-Z])|de|del|la)){1,3})"
    r"\s*(?:[.,;]\s*(?P<date>[A-Za-z]{3,}\.?\s*\d.*)?)?$"
)
# a town's name, then after a comma where there the plant grew: "Elmton, in thickets", "Rosa Hill, on rocks"
_PLACE_THEN_HABITAT = re.compile(
    r"^(?P<place>[A-Z][a-záéíóúñ]+(?:\s+(?:[A-Z][a-záéíóúñ]+|de|del|la)){0,3},\s+(?:in|on|among|along|near|en|sobre)\s+"
    r"[a-z][a-z -]*?)\.?(?P<date>)$"
)
# a short place and its elevation alone: "Rosa Estate, 800 ft.", "Morne Elm, alt. 1200 m" (kept as written)
_PLACE_THEN_ELEVATION = re.compile(
    r"^(?P<place>(?:[A-Z][a-záéíóúñ]+|(?:St|Mt)\.)(?:\s+(?:[A-Z][a-záéíóúñ]+|de|del|la)){0,3},?\s+"
    r"(?:(?:alt|elev)[a-z]*\.?\s*|ca\.?\s*)?\d[\d,.]*\s*(?:ft|feet|m|meters|metres)\b\.?(?:\s*alt\.?)?)(?P<date>)$"
)


# A number before its unit with a letter O read for a zero: "55O METERS", "1O00 ft.", "3-4OO m", "2,OOO feet"
_O_IN_MEASURE = re.compile(
    r"(?<![\w.,])\d[\d,Oo]*[Oo][\d,Oo]*(?=\s?(?i:m|km|ft|feet|foot|meters?|metres?|metros|msnm|mi|miles?|yds)\b)"
)


_MC_MISREAD = re.compile(r"\bMo(?=[A-Z][a-z])")  # "Lake MoDonald": the c of a Scottish name's Mc read as o
_RANGE_DASH = re.compile(r"(?<=\d)\s?[–—]\s?(?=\d)")  # "0–30 m": a range typeset with an en dash


def mend_measures(text: str) -> str:
    """``text`` with the zeros of its measures read as the letter O put back, its ranges of numbers written
    with a hyphen, as records keep them ("0–30 m" → "0-30 m"), and the Mc of a name read Mo put back."""
    text = _RANGE_DASH.sub("-", text)
    text = _MC_MISREAD.sub("Mc", text)
    return _O_IN_MEASURE.sub(lambda m: m[0].replace("O", "0").replace("o", "0"), text)


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


def _place_lines_alone(label: Label, free: dict[int, str]) -> None:
    """No locality was found: a label whose only place text is a short name under the header that names
    where the plants were collected ("PLANTS OF THE ISLE OF PINES" / … / "Nueva Gerona"), else its line that
    holds only its province, after one that holds only its country ("DOMINICAN REPUBLIC" / "prov. San Juan", "Parish:" / "St.
    Thomas"), country first, kept as written: dwc:verbatimLocality is then what the label says of the place."""
    headers = [
        i
        for i, line in enumerate(label.text)
        if label.usable[i] and (PLACE_HEADER.match(line) or SERIES_HEADER.match(line))
    ]
    for h in headers[:1]:
        province = ""  # the province's line alone between the header and the place: "PROVINCE OF X" / "Elmton"
        for i in _lines_under(label, h, 3):
            collector = label.fields.get("recordedBy")
            if not label.usable[i] or PLACE_HEADER.match(label.text[i]):
                continue
            if _province_alone(label, label.text[i]):
                province = label.text[i].strip(" ,;.")
                continue
            if i not in free and not (label.roles.get(i) == "collector" and (collector is None or collector.line != i)):
                continue  # (a line of names above "Collected by …" that gave no collector may be the place)
            m = (
                _PLACE_NAME_LINE.match(label.text[i].strip())
                or _PLACE_THEN_HABITAT.match(label.text[i].strip())
                or _place_then_elevation(label.text[i].strip())
                or _word_under_expedition(label, h, i)
                or _place_after_number(label.text[i])
            )
            if m is None or AGENCY.search(label.text[i]) or (m["date"] and not dates.find_dates(m["date"] + " 1900")):
                continue
            if grew_on(label.text[i], LOCALITY_WORDS):
                continue  # "On Quercus": what the lichen grew on, no place
            if places.find_country(m["place"]) or places.find_states(m["place"]) or _county_alone(m["place"]):
                continue  # a country, a state or a county with its word ("County Elm"): the place rules' terms
            if places.REGION.fullmatch(m["place"].strip(" ,;.")):
                continue  # "BRITISH WEST INDIES", "LESSER ANTILLES": a region of many countries, no locality
            if collector is not None and fold(m["place"]) in fold(collector.value):
                continue  # a collector's name
            if _goes_on_in_capitals(label, free, i):
                return  # the first line of a longer locality in capitals whose end was not read as one
            value = f"{province} {m['place']}" if province else m["place"]
            label.fields["locality"] = Field(value, round(CONFIDENCE["locality_alone"] * label.quality[i], 4), i)
            return
    found: list[tuple[int, str]] = []
    country = label.fields.get("country")
    if country is not None and country.line is not None and not HEADER.match(label.text[country.line]):
        text = label.text[country.line]
        m = places.find_country(text)
        if m is not None and nothing_else(text, m.start, m.end):
            found.append((country.line, text))
    state = label.fields.get("stateProvince")
    if state is not None and state.line is not None and state.line != (country.line if country else None):
        text = label.text[state.line]
        span = state_span(text, label.fields.get("countryCode"))
        if span is not None and not HEADER.match(text) and nothing_else(text, *span):
            caption = label.text[state.line - 1] if state.line > 0 else ""
            if CAPTION_ONLY.match(caption) and ADMIN_ONLY.search(caption):
                text = f"{caption.strip()} {text}"  # "Parish:" / "St. Thomas"
            if found or ADMIN_ONLY.search(text):  # (a state's bare name alone, "North Carolina", is its own term)
                found.append((state.line, text))
        elif span is not None and label.roles.get(state.line) in (None, "place") and _town_before(text, span[0]):
            value = re.sub(r"\s+,", ",", " ".join(strip_dates(text).split())).strip(" ,;.")  # "Amherst, Mass.": as written
            value = without_postal_state(value)  # (not "Elmton, TN": the code is the state's term)
            confidence = round(CONFIDENCE["locality_alone"] * label.quality[state.line], 4)
            label.fields["locality"] = Field(value, confidence, state.line)
            return
    if not any(line == (state.line if state else None) for line, _ in found):
        return  # a country alone may be a herbarium's address ("SANTO DOMINGO" / "REPUBLICA DOMINICANA")
    if (town := _town_under(label, free, found[-1][0])) is not None:
        found.append((found[-1][0] + 1, town))  # "Prov. Santiago" / "Elmton, en bosque": the town under its province
    value = " ".join(text.strip(" ,;.") for _, text in found)
    line = found[0][0]
    label.fields["locality"] = Field(value, round(CONFIDENCE["locality_alone"] * label.quality[line], 4), line)


def _town_under(label: Label, free: dict[int, str], i: int) -> str | None:
    """The line right under the province's line ``i`` when it names a town alone, or a town and where there
    ("Elmton, in thickets"): not a country, a state or a county."""
    text = free.get(i + 1, "").strip()
    m = _PLACE_NAME_LINE.match(text) or _PLACE_THEN_HABITAT.match(text)
    if m is None or m["date"] or AGENCY.search(text) or people.has_collector_cue(text):
        return None
    if places.find_country(m["place"]) or places.find_states(m["place"]) or _county_alone(m["place"]):
        return None
    return text


def _lines_under(label: Label, h: int, reach: int) -> list[int]:
    """The ``reach`` lines under line ``h``, not counting lines of one word or number between them ("27",
    "white": a handwritten note beside the typed lines, a stray mark read)."""
    out: list[int] = []
    for i in range(h + 1, len(label.text)):
        out.append(i)
        if len(label.text[i].split()) > 1 or (i == h + 1 and _ONE_WORD.match(label.text[i].strip())):
            reach -= 1
        if reach == 0:
            break
    return out


# the collector's number, then the place written after it on its line: "No. 301 Elm yard.", "NO.38 Rosa Hill"
_NUMBER_THEN_PLACE = re.compile(
    r"^\W*(?i:no)\.?\s*\d+[a-z]?\.?\s+(?P<place>[A-Z][a-z'’]+(?:,?\s+[A-Za-z][a-z'’]+){0,5})\.?(?P<date>)$"
)


def _place_then_elevation(line: str) -> re.Match[str] | None:
    """A short place and its elevation alone on a line ("Rosa Estate, 800 ft."); not a plant's height ("Shrub,
    2 m.") nor a kind of ground."""
    m = _PLACE_THEN_ELEVATION.match(line)
    if m is None or DESCRIPTION_WORDS.search(line) or habitat_only(re.sub(r"[\d,.]+.*$", "", line).strip()):
        return None
    return m


def _place_after_number(line: str) -> re.Match[str] | None:
    """A line under a collection's header that holds the collector's number and a short place after it ("No. 301
    Elm yard."): old labels write both on one line; not a plant's name, a habitat or a person."""
    m = _NUMBER_THEN_PLACE.match(line.strip())
    if m is None or habitat_only(m["place"]) or DESCRIPTION_WORDS.search(m["place"]):
        return None
    latin = names.find_name_in_line(m["place"])  # (any "Elm yard" parses as a name: only a Latin-looking one)
    if (latin is not None and latin.score >= 0.5) or people.has_collector_cue(line):
        return None
    return m


_ONE_WORD = re.compile(r"^(?P<place>[A-ZÁÉÍÓÚÑ]{4,})\.?(?P<date>)$")  # (no date: the group is empty)
_STAMP_WORDS = {"imaged", "duplicate", "duplicado", "type", "isotype", "holotype", "paratype", "specimen", "sheet"}


def _word_under_expedition(label: Label, h: int, i: int) -> re.Match[str] | None:
    """A single word in capitals right under an expedition's header ("EXPLORATION OF GUAM" / "UMATAC"): the place
    typed into the printed label's blank; not a field's caption or a stamp's word ("COLLECTORS", "IMAGED")."""
    if i != h + 1 or not re.search(r"(?i:exploration|expedition)", label.text[h]):
        return None
    m = _ONE_WORD.match(label.text[i].strip())
    if m is None or m["place"].lower() in FIELD_NAMES or m["place"].lower() in _STAMP_WORDS:
        return None
    return m


def _goes_on_in_capitals(label: Label, free: dict[int, str], i: int) -> bool:
    """Line ``i`` (in capitals, no full stop at its end) goes on into the next line, in capitals with a comma:
    "ELM MOUNTAINS, ROSA" / "ARROYO VERDE, 300 METERS": not a place named alone."""
    line, after = label.text[i].rstrip(), free.get(i + 1, "")
    return line.isupper() and not line.endswith(".") and after.isupper() and "," in after


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


def _province_alone(label: Label, text: str) -> bool:
    """``text`` holds a province named with its admin word ("PROVINCE OF ELMIRA", "Prov. Elmira") or the
    label's state, and nothing else."""
    province = places.find_cued_province(text)
    if province is not None and ADMIN_ONLY.search(text) and nothing_else(text, province[1], province[2]):
        return True
    span = state_span(text, label.fields.get("countryCode"))
    return span is not None and nothing_else(text, *span)


def _written_above(label: Label, free: dict[int, str], i: int) -> str | None:
    """The place name alone on the line above an empty "Loc." caption: the blank's value, written above its
    line ("White Rocks" / "Loc. ......"); None when that line is anything else."""
    if i == 0 or (i - 1 not in free and label.roles.get(i - 1) not in (None, "place")):
        return None
    m = _PLACE_NAME_LINE.match(label.text[i - 1].strip())
    if m is None or m["date"] or places.find_country(m["place"]) or places.find_states(m["place"]):
        return None
    return m["place"]


# a short phrase of words before the town, what the spot is: "From wet ground by the brook", "Greenhouse grown"
_SPOT_PHRASE = re.compile(r"[A-Z][a-z'’]+(?:\s+[a-z][a-z'’-]+){1,6}")


def _town_before(text: str, start: int) -> bool:
    """``text[:start]`` is a town's name and a comma, nothing else ("Amherst, " of "Amherst, Massachusetts"),
    perhaps after a short phrase in lower case that says what the spot is and its comma ("From wet ground by
    the brook, Elmton, " of "…, Elmton, R.I.")."""
    head = text[:start].strip()
    spot, comma, rest = head.partition(",")
    if not (comma and _SPOT_PHRASE.fullmatch(spot.strip()) and rest.strip()):
        spot, rest = "", head
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", rest)} | set(spot.lower().split()[:1])
    if words & (FIELD_NAMES | {"region", "area", "site"}):
        return False  # a form's caption: "Region Memphis, Tn"
    return re.fullmatch(r"(?:(?:St\.|Mt\.|[A-Z][a-záéíóúñ'’]+)\s*){1,3},", rest.strip()) is not None


_MAP_NAME_LAST = re.compile(r"\bquad(?:rangle)?\b[^;]*$", re.I)  # "Quad. Map Elmton (C-6), Alaska": the map's name


def _without_state_last(label: Label, value: str) -> str:
    """``value`` without the label's state named last after a comma ("Across bay from Elm Point, Alaska." →
    "Across bay from Elm Point"): the state is the place's address, its own term; the sentence before it says
    where (a feature word), else the town and its state stay as written ("Rosaville, Mass.")."""
    state = label.fields.get("stateProvince")
    found = places.find_states(value)
    if state is None or not found or found[-1].name != state.value or value[found[-1].end :].strip(" ."):
        return value
    head = value[: found[-1].start].rstrip()
    if not head.endswith(",") or not LOCALITY_WORDS.search(head) or _MAP_NAME_LAST.search(head):
        return value
    return head.rstrip(" ,")


def _county_alone(text: str) -> bool:
    """``text`` is a county named with its word and nothing else ("County Elm", "Elm Co.", "Parish of St. Ann")."""
    county = places.find_county(text)
    return county is not None and not re.search(r"[^\W\d_]", text[: county.start] + text[county.end :])


# a closing sentence that only says how sunny or wet the spot is ("Direct sun, dry soil."): habitat, not where
_CONDITION_WORDS = set(
    "direct full partial part sun sunny shade shaded shady exposed exposure dry moist wet damp soil soils sandy "
    "clay loam loamy rocky gravelly well drained poorly and in with".split()
)
_CONDITION_CORE = {"sun", "sunny", "shade", "shaded", "shady", "exposed", "exposure", "soil", "soils"}


def _without_conditions(value: str) -> str:
    """``value`` without a last sentence of light and soil words alone, when a sentence comes before it."""
    head, sep, last = value.rstrip(" .").rpartition(". ")
    words = re.findall(r"[^\W\d_]+", last.lower())
    if sep and head and words and set(words) <= _CONDITION_WORDS and _CONDITION_CORE & set(words):
        return head + "."
    return value


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
