"""Where a locality begins on lines that the other locality rules pass over: an old label's ``Hab.`` caption that
names the place ("Hab. Moist woods near Moneague, …"), a sentence saying where after the plant's description on
the same line ("Shrub 2 m; fls. yellow. Along stream near Elmton, 550 m."), and a line that opens with the
coordinates and goes on with the place after a semicolon ("18°05'N, 77°20'W; along trail N of Elmton")."""

from __future__ import annotations

import re
from collections.abc import Callable

from herbproc.fields import names, places
from herbproc.fields.locality_words import DESCRIPTION_WORDS, LOCALITY_WORDS

# "Hab." / "Habitat:" (Latin habitat, "it lives"): the caption under which old labels write where the plant grew
_HAB_CAPTION = re.compile(r"^\W*(?:hab(?:itat)?|h[aá]bitat)\s*[.:]+\s*(?=\S)", re.I)
# a proper name after a word that places it ("near Moneague", "N of Elmton", "cerca de Madruga")
_NAMED_PLACE = re.compile(
    r"\b(?:near|of|from|at|above|below|to|towards?|between|around|about|beyond|cerca\s+de|de|del|pr[eè]s\s+de|bei|prope|juxta)"
    r"\s+(?P<name>(?-i:(?:St\.\s*)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]{2,}).*)",
    re.I,
)
# a sentence's start: a full stop or semicolon after a word or a number, then a capital
_SENTENCE = re.compile(r"(?:(?<=[a-záéíóúñ]{2})|(?<=\d)|(?<=\))|(?<=\d\sm)|(?<=\d\sft))[.;]\s+(?=[A-ZÁÉÍÓÚÑ])")
_DEGREES = r"[-+]?\d{1,3}\s*°[\d\s°'’′\"″.,]*"
# coordinates alone before a semicolon at the line's start, then the place in lower case: "18°05'N, 77°20'W; along"
_COORDINATES_FIRST = re.compile(
    rf"^\W*(?:lat\.?\s*)?{_DEGREES}[NS]\.?\s*,?\s*(?:long?\.?\s*)?{_DEGREES}[EW]\.?\s*;\s*(?=[a-z])", re.I
)


def names_place(text: str, locality_words: re.Pattern[str]) -> bool:
    """``text`` names a place: a cue word of places and a proper name placed by a word, not a scientific name
    ("near Moneague", "Sierra de Luquillo"; not "under Quercus alba", not "Moist woods along stream")."""
    found = [m for m in locality_words.finditer(text) if m[0]]
    if not found:
        return False
    if any(m[0][-1].isupper() for m in found):
        return True  # a feature word of another language before its name: "Valle Rosa", "Sierra de Pinos"
    for m in _NAMED_PLACE.finditer(text):
        listed = names.find_name_in_line(m["name"])
        if listed is None or listed.start_token != 0:
            return True
    return False


def habitat_caption_place(
    line: str, locality_words: re.Pattern[str], habitat_only: Callable[[str], bool]
) -> int | None:
    """Where the place begins after a ``Hab.`` caption that names one, else None ("Hab. Sandy soil." is habitat)."""
    m = _HAB_CAPTION.match(line)
    if m is None:
        return None
    text = line[m.end() :]
    first = re.split(r"(?<=[a-z]{3})\.\s", text)[0]
    if _town_and_country(first) or _proper_place(first, habitat_only):
        return m.end()
    if habitat_only(first) or not names_place(first, locality_words):
        return None
    return m.end()


# a proper name, then after its comma a country alone: "Moneague, Jamaica", "Elmton, Porto Rico."
_TOWN_COMMA = re.compile(r"^(?P<town>(?:St\.\s*)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]+(?:\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]+){0,2})\s*,\s*(?P<rest>.+?)[\s.]*$")


def _town_and_country(text: str) -> bool:
    """``text`` is a town and the country it lies in ("Hab. Moneague, Jamaica."): an old label's place."""
    m = _TOWN_COMMA.match(text.strip())
    if m is None or places.find_country(m["town"]) is not None:
        return False
    country = places.find_country(m["rest"])
    return country is not None and country.start == 0 and not m["rest"][country.end :].strip(" .,")


# a proper name placed by a word (Latin "ad", "in", "prope"), or followed by its country or the place in it after a
# comma or colon: "ad Rosaville, in Cuba", "in Cuba: Rosaville", "Elmton, Cuba Orientalis"
_PROPER_FIRST = re.compile(
    r"^(?P<word>(?:ad|in|prope|apud|near|at)\s+)?(?P<name>(?:St\.\s*)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]{2,}"
    r"(?:\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]{2,}){0,2})(?:\s*[,:]\s*(?:in\s+)?(?P<rest>[A-ZÁÉÍÓÚÑ][^.;:]*))?[\s.]*$"
)


def _proper_place(text: str, habitat_only: Callable[[str], bool]) -> bool:
    """``text`` (an old label's ``Hab.`` sentence) names a place by its proper name ("Hab. ad Rosaville, in Cuba",
    "Hab. in Cuba: Rosaville"): not a country alone, a kind of ground or a plant's name."""
    m = _PROPER_FIRST.match(text.strip())
    if m is None or habitat_only(m["name"]) or not (m["word"] or m["rest"]):
        return False  # (a printed form's "HAB." blank holds the habitat: one word alone there may be any misread)
    country = places.find_country(m["name"])
    if country is not None and not (m["rest"] and ":" in text):
        return False  # "Hab. Cuba": the country, its own term; "Hab. in Cuba: Rosaville" names the place in it
    listed = names.find_name_in_line(m["name"])
    return listed is None or listed.start_token != 0 or listed.score < 0.5


# a sentence of the ground in common words, then after its comma a town's name ends it: "Waste grounds, Elmton."
_GROUND_TOWN = re.compile(
    r"^[A-Z][a-z]+(?:\s+[a-z]+){0,3}\s*,\s*(?:St\.\s*)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]{2,}(?:\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]+)?\W*$"
)


def place_after_description(
    text: str, next_line: str, locality_words: re.Pattern[str], description: re.Pattern[str]
) -> int | None:
    """Where a sentence that says where the plant grew begins after the plant's description on the same line
    ("Shrub 2 m; fls. yellow. Along stream near Elmton, 550 m." → "Along …"); the line's last sentence may
    go on into the next line ("… verdosas. En" / "un charco, Valle Nuevo, …")."""
    for m in _SENTENCE.finditer(text):
        rest = text[m.end() :]
        sentence = _SENTENCE.split(rest, maxsplit=1)[0]
        wrapped = sentence == rest and len(sentence.split()) < 4
        if wrapped:
            sentence = f"{sentence} {_SENTENCE.split(next_line, maxsplit=1)[0]}"
        # (a ground and a town after its comma, wrapped onto the next line: "… white. Waste" / "grounds, Elmton.")
        town = wrapped and _GROUND_TOWN.match(sentence) is not None
        if description.search(sentence) or not (names_place(sentence, locality_words) or town):
            continue
        return m.end()
    return None


def coordinates_first(line: str, locality_words: re.Pattern[str], description: re.Pattern[str]) -> bool:
    """``line`` opens with coordinates and a semicolon, then says where ("18°05'N, 77°20'W; along trail N of
    Elmton"): dwc:verbatimLocality keeps them, as written."""
    m = _COORDINATES_FIRST.match(line)
    if m is None:
        return False
    place = line[m.end() :].split(";")[0]
    return locality_words.search(place) is not None and description.search(place) is None


def named_place_first(line: str, start: int) -> bool:
    """The words before the coordinates at ``start`` open with a named place of the kinds ``LOCALITY_WORDS`` knows
    ("Elm Lake, ca. 59°17'N", "LAC PAYNE, 59°17'N") and describe no plant."""
    lead = line[:start]
    return bool(re.search(r"[^\W\d_]{3}", lead)) and LOCALITY_WORDS.search(lead) is not None and not DESCRIPTION_WORDS.search(lead)


# the last clause of a description line, ending the line on a proper name placed by a word or standing alone after
# the comma: "…, common in thickets at Elmton.", "…; along river near Rosaville.", "…, in pasture, Elmton."
_PROPER = r"(?:St\.\s*)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]{2,}(?:\s+(?:de\s+|del\s+|la\s+)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]{2,}){0,2}"
_LAST_CLAUSE = re.compile(
    rf"[,;]\s*(?P<clause>(?:[a-z]+\s+){{0,5}}(?:at|near|prope|cerca\s+de)\s+{_PROPER}|{_PROPER})\s*\.?\s*$"
)


def place_ending_description(text: str, description: re.Pattern[str]) -> int | None:
    """Where the last clause of a plant's description line begins when it says where the plant grew, the line
    ending on the place's proper name ("Shrub 2 m, flowers white, common in thickets at Elmton." → "common …"):
    no description word in that clause, and not a plant's Latin name."""
    m = _LAST_CLAUSE.search(text)
    if m is None or description.search(m["clause"]):
        return None
    listed = names.find_name_in_line(m["clause"])
    if listed is not None and listed.start_token == 0 and listed.score >= 0.5:
        return None
    return m.start("clause")
