"""Which lines are the locality's: where it starts, the lines that go on with it, where it stops."""

from __future__ import annotations

import re

from herbproc.fields import dates, names, people, places
from herbproc.fields.label import CONFIDENCE, HEADER, Label, strip_dates, words_before_det
from herbproc.fields.locality_cues import place_after_description
from herbproc.fields.locality_place_lines import nothing_else
from herbproc.fields.locality_trim import COLLECTED_IN, grew_on, names_ground
from herbproc.fields.locality_words import (
    ADMIN_ONLY,
    AGENCY,
    ASSOCIATES,
    COORDINATES,
    DESCRIPTION_WORDS,
    ENDS_ON_WORD,
    FIELD_NAMES,
    INSTITUTION_START,
    LOCALITY_WORDS,
    PLACE_HEADER,
)
from herbproc.fields.people_cues import DET_LINE
from herbproc.fields.text import fold

MAX_LINES = 4
_SKIPPABLE_BETWEEN = ("determination",)  # a slip's line set into the locality's lines by the reading order


def head_lines_above(label: Label, free: dict[int, str], parts: list[tuple[int, str, float]]) -> None:
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


def without_habitat_caption(label: Label, parts: list[tuple[int, str, float]]) -> list[tuple[int, str, float]]:
    """A ``Hab.`` line's place is the locality only when nothing else says where: a place line after it that
    does not go on with its sentence ("Habitat: Rich woods near Elm Brook." / "Windsor County: Town of Elm") is
    the locality instead; a line it wraps into after a comma, or mid-sentence, is its own."""
    k = 1
    while k < len(parts) and parts[k][0] == parts[k - 1][0] + 1:
        before = label.text[parts[k - 1][0]].rstrip()
        if not (before.endswith(",") or (runs_on(before) and label.roles.get(parts[k][0]) != "place")):
            break
        k += 1
    return parts if k == len(parts) else parts[k:]


def place_sentence(text: str, next_line: str) -> int | None:
    if INSTITUTION_START.match(text):
        return None  # "Ex Herb. Jardim Botânico do Rio …": a herbarium's line, its "Herb." no plant
    start = place_after_description(text, next_line, LOCALITY_WORDS, DESCRIPTION_WORDS)
    return None if start is None or INSTITUTION_START.match(text[start:]) else start


def after_leading_name(text: str) -> str:
    """What follows a scientific name and its author at a line's start, from the sentence after it that says
    where: "Sida acuta L. Along the shore" → "Along the shore"; else ``text``."""
    for m in re.finditer(r"\.\s+(?=[A-Z][a-z])", text):
        before, after = text[: m.start()], text[m.end() :]
        if not LOCALITY_WORDS.search(before) and LOCALITY_WORDS.search(after):
            return after
    return text


def line_limit(label: Label, parts: list[tuple[int, str, float]]) -> int:
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


def sentence_start(label: Label, free: dict[int, str], parts: list[tuple[int, str, float]], i: int) -> None:
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


def comes_after(label: Label, free: dict[int, str], last: int, i: int) -> bool:
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


def locality_clause(text: str, next_line: str) -> int | None:
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


def description_after(label: Label, parts: list[tuple[int, str, float]], i: int, remainder: str) -> None:
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
    elif not ends.endswith((".", ";", ":")) and (end := _ENDS_FIRST.match(remainder)):
        # "St. George Parish, Elm-" / "Bay, littoral. Stem woody": the place's sentence ends before the plant's
        if LOCALITY_WORDS.search(end["sentence"]) and not DESCRIPTION_WORDS.search(end["sentence"]):
            parts.append((i, end["sentence"], CONFIDENCE["locality_continuation"]))


# the first sentence of a line, a few words, another sentence after it: "Bay, littoral. Stem ligneous"
_ENDS_FIRST = re.compile(r"^(?P<sentence>[^.;:\d]{2,40}?)\.\s+(?=[A-Z])")


def place_before_collector(line: str) -> str:
    """The place written before the collector's cue on its line, its sentence ended there ("Near Elmton, St.
    Ann. Coll. A. Bell" → "Near Elmton, St. Ann"): a place word in it, no plant's description or name; "" else."""
    cue = people.collector_cue(line)
    if cue is None or cue.start() == 0 or not re.search(r"[.,;]\s*$", line[: cue.start()]):
        return ""
    lead = line[: cue.start()].strip(" ,;.")
    if not LOCALITY_WORDS.search(lead) or DESCRIPTION_WORDS.search(lead) or names.find_name_in_line(lead):
        return ""
    return "" if dates.find_dates(lead) else lead


def place_before_determination(line: str) -> str:
    """The place written before a determination's cue on its line ("Santee Canal, S.C. Det. E. Tuckerman" →
    "Santee Canal, S.C."): the slip's own words, no taxon's name, a place word in them; "" otherwise."""
    lead = words_before_det(line)
    if not LOCALITY_WORDS.search(lead) or DESCRIPTION_WORDS.search(lead) or names.find_name_in_line(lead):
        return ""
    return lead


def ground_sentence_first(label: Label, parts: list[tuple[int, str, float]]) -> bool:
    """The first line is a sentence of its own on the ground, no place named in it ("Bank of lake, moist, partial
    shade."), the next line names the place ("N. of Elm Quarry, Rosa Island."): the habitat, then the locality."""
    (first, text, _), (_, after, _) = parts[0], parts[1]
    return (
        label.text[first].rstrip().endswith(".")
        and not re.search(r"(?<=\s)[A-Z]", text)
        and names_ground(text)
        and re.search(r"(?<=\s)[A-Z][a-z]", after) is not None
    )


def named_again(parts: list[tuple[int, str, float]]) -> bool:
    """The locality's first line is a printed heading's place alone ("Elm Lake"), set apart from the next by
    another field's line, that the written locality names again ("On spruce, west side of Elm Lake."): the
    heading, not the start of the locality's sentence."""
    if len(parts) < 2 or parts[1][0] == parts[0][0] + 1 or len(parts[0][1].split()) > 4:
        return False
    head = fold(parts[0][1])
    return bool(head) and re.search(rf"\b{re.escape(head)}\b", fold(" ".join(t for _, t, _ in parts[1:]))) is not None


def day_and_month(line: str) -> bool:
    """A date without its year ("15, October.", "June 3"): the year is elsewhere on the label."""
    words = re.findall(r"[^\W\d_]+|\d+", line)
    return (
        len(words) == 2
        and sum(w.isdigit() and len(w) <= 2 for w in words) == 1
        and any(fold(w) in dates.MONTHS for w in words)
    )


def clause_wrapped_before(label: Label, i: int) -> str | None:
    """The last clause of the line before ``i`` when it runs on into line ``i`` ("in a new planting, University
    of South" / "Dakota Campus, Vermillion"): after a comma, capitalised, mixed case, no full stop at the end."""
    if i == 0 or not label.usable[i - 1] or label.roles.get(i - 1) in ("taxon", "collector", "catalog", "place", "determination"):
        return None
    before = label.text[i - 1].rstrip()
    head, comma, clause = before.rpartition(",")
    clause = clause.strip()
    if not comma or not head.strip() or before.isupper() or before.endswith((".", ";", ":")):
        return None
    if len(clause.split()) < 2 or not clause[:1].isupper() or not re.search(r"(?:\b[A-Z][a-z]+|\bof)$", clause):
        return None
    return clause


def goes_on_after_comma(label: Label, before: str, i: int) -> bool:
    """A line read as a herbarium's name that goes on with a locality line ending in a comma ("… northside of
    Hale Hall," / "University of Vermont campus, Burlington"): mixed case, not a stamp in capitals."""
    line = label.text[i]
    return (
        before.rstrip().endswith(",")
        and not line.isupper()
        and (label.roles.get(i - 1) == "place" or LOCALITY_WORDS.search(before) is not None)
    )


def captions_only(line: str) -> bool:
    """``line`` holds nothing but a form's field names ("Lat/Long:", "Latitude", "Coll. Date", "Habitat:")."""
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", line)]
    return bool(words) and not re.search(r"\d", line) and all(w in FIELD_NAMES for w in words)


_RUNS_ON = re.compile(r"(?:,|\b(?:of|at|near|by|along|in|on|the|and|to|from|west|east|north|south))$", re.I)


def substrate_under(label: Label, parts: list[tuple[int, str, float]], text: str) -> bool:
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


def runs_on(text: str) -> bool:
    """A locality line that stops mid-sentence: no full stop at its end (a comma, a preposition, a word)."""
    return not text.rstrip().endswith(".") or text.rstrip().endswith(
        (" mi.", " Mt.", " St.", " Alt.", " Elev.", " ca.", " Co.", " Rd.")
    )


def continues(text: str, line: str) -> bool:
    """A short line that can end a wrapped locality ("Pond.", "Sudbury", "village"): no digits, not a plant
    description or a collector, at most three words."""
    return (
        0 < len(text.split()) <= 3
        and not re.search(r"\d", text)
        and not DESCRIPTION_WORDS.search(text)
        and not people.has_collector_cue(line)
    )

def wrapped_before(label: Label, free: dict[int, str], parts: list[tuple[int, str, float]], i: int) -> None:
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


def ends_the_blank(label: Label, parts: list[tuple[int, str, float]], i: int) -> bool:
    """Line ``i`` holds only a country (with its region: "Jamaica W.I.") right under a "Locality" caption's line
    that runs on: the end of what was written in the blank, kept as written."""
    if not parts or parts[-1][0] != i - 1 or parts[-1][2] != CONFIDENCE["locality_cued"]:
        return False
    country = places.find_country(label.text[i])
    return (
        runs_on(label.text[i - 1])
        and country is not None
        and not re.search(r"\w", label.text[i][: country.start] + label.text[i][country.end :])
    )


def institution_address(label: Label, i: int) -> bool:
    """Line ``i`` is a herbarium's town and country in capitals under its name ("ELM BOTANICAL GARDEN" / "46950" /
    "ROSAVILLE, REPUBLICA DOMINICANA"), an accession number perhaps between: its address, not where the plant grew."""
    line = label.text[i].strip(" .,")
    country = places.find_country(line)
    if not line.isupper() or country is None or line[country.end :].strip(" .,") or "," not in line[: country.start]:
        return False
    for k in range(i - 1, max(i - 3, -1), -1):
        if label.roles.get(k) == "institution":  # (not "PLANTS FROM ELM GARDEN": where the plants grew)
            return re.match(r"^\W*(?i:plants?|flora|collected)\b", label.text[k]) is None
        if re.search(r"[^\W\d_]", label.text[k]):
            return False
    return False
