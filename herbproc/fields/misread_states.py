"""A state's, province's or header's country's name misread by the reader: one letter off, or nearest by its
confusions."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from herbproc.fields.countries import COUNTRY_FORMS, CountryMatch, country_of_code, find_country
from herbproc.fields.county_names import find_county
from herbproc.fields.lexicon import is_word
from herbproc.fields.states import CA_PROVINCES, US_STATES, StateMatch, find_states, one_edit
from herbproc.fields.text import fold, is_all_caps

NEAR_STATE_AT = 0.8  # a header's place this similar (confusion-weighted) to one state's name is that state
NEAR_STATE_MARGIN = 0.1  # ... when no other state or province is within this much of it
NEAR_STATE_LETTERS = 6  # ... and it has at least this many letters
# marks a capital I is read as ("MISSOUR!", "MISSOUR1", "MISSOUR|")
_I_LOOKALIKES = str.maketrans("!1|", "III")
ONE_OFF_LETTERS = 8  # a name one letter off is read as a state's only when the state's name has this many letters


def one_letter_off(word: str, spaces: bool = True) -> tuple[str, str] | None:
    """(name, country code) of the first US state or Canadian province of ``ONE_OFF_LETTERS`` letters or more that
    ``word`` (folded) spells with one letter misread, added or lost, but not exactly; ``spaces=False`` compares
    the names without their spaces ("newhampshire")."""
    for table, country in ((US_STATES, "US"), (CA_PROVINCES, "CA")):
        for name in table:
            folded = fold(name) if spaces else fold(name).replace(" ", "")
            if len(folded) >= ONE_OFF_LETTERS and word != folded and one_edit(word, folded):
                return name, country
    return None


def near_state(place: str) -> StateMatch | None:
    """The US state or Canadian province whose name (8 letters or more) ``place`` — a header's whole place,
    "PLANTS OF MASSACHIUSETTS", or what heads a county's line, "NEW HAMP SHIRE: Coos Co." — spells with one
    letter misread, added or lost, or that it is nearest by the reader's confusions (``NEAR_STATE_AT``, spaces
    aside); style "near". Only in those places: a word anywhere else may be an epithet one letter from a state
    ("virginica")."""
    if not isinstance(place, str):
        return None
    text = place.strip().rstrip(" .,;:")
    word = fold(text.translate(_I_LOOKALIKES))
    if not re.fullmatch(r"[a-z]+(?: [a-z]+){0,2}", word):
        return None
    start = place.find(text)
    country_named = find_country(text)
    if country_named is not None and country_named.start == 0 and country_named.end == len(text):
        return None  # "PLANTS OF MEXICO": the country, spelt right, not New Mexico misread
    if (off := one_letter_off(word)) is not None:
        return StateMatch(*off, start, start + len(text), "near")
    if len(word.replace(" ", "")) < NEAR_STATE_LETTERS:
        return None
    from herbproc.fields.taxon import confusion_costs  # the reader's confusions: "MASSAORUSETTS", "VERMRINT"

    names = {
        fold(name).replace(" ", ""): (name, country)
        for table, country in ((US_STATES, "US"), (CA_PROVINCES, "CA"))
        for name in table
    }
    key, _ = confusion_costs().closest(word.replace(" ", ""), names, NEAR_STATE_AT, NEAR_STATE_MARGIN)
    if key is not None:
        name, country = names[key]
        return StateMatch(name, country, start, start + len(text), "near")
    return None


_CAPITALS_WORD = re.compile(r"(?<![\w.])[A-Z]{8,}(?![\w.])")


def capitals_near_state(line: str) -> StateMatch | None:
    """A state's name of 8 letters or more set in capitals on a line that is not, with one letter misread, added
    or lost ("Sute of MASSACHUSITTS County: Hampden"): labels print the state so on a place line, where an
    epithet is lower case."""
    if not isinstance(line, str) or is_all_caps(line):
        return None
    for m in _CAPITALS_WORD.finditer(line):
        if (off := one_letter_off(m.group().lower(), spaces=False)) is not None:
            return StateMatch(*off, m.start(), m.end(), "near")
    return None


def misread_state_last(line: str) -> StateMatch | None:
    """A state misread by one letter as a place line's last part after a comma ("Block Island, Bhode Island",
    "Elmton, Massachusets."): the whole part, in title case, a state's or province's name of 8 letters or more
    with one letter misread, added or lost, and no country or county; style "near"."""
    head, comma, last = line.rpartition(",")
    text = last.strip().rstrip(" .;:")
    if not comma or not head.strip() or not re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}", text):
        return None
    if find_country(text) is not None or find_county(text) is not None:
        return None
    if (off := one_letter_off(fold(text))) is None:
        return None
    start = line.rfind(text)
    return StateMatch(*off, start, start + len(text), "near")


# a header's country misread: one letter off in a name of up to 7 letters ("HAITE", "LAMAICA"), two in a longer one
# ("PORTO NIOO"); never under 5 letters, where one letter makes another word ("CURA")
NEAR_COUNTRY_LETTERS = 5


def near_country(place: str) -> CountryMatch | None:
    """The country a collection header's place ("EXPLORATION OF LAMAICA", "PLANTS OF HAITE") spells with one
    letter misread (two in a name of 8 letters or more), added or lost, and no other country does; the last of its
    parts after a comma ("NEW PROVIDENCE ISLAND, BARAMAS") or the whole. Only in a header: elsewhere a word one
    letter from a country may be a town's or a person's."""
    if not isinstance(place, str):
        return None
    text = re.sub(r"(?i)^\s*the\s+", "", place)
    for part in (text, *reversed(text.split(",")[1:])):
        name = part.strip().rstrip(" .;:")
        word = fold(name).replace(" ", "")
        if not re.fullmatch(r"[a-z]+", word) or len(word) < NEAR_COUNTRY_LETTERS or find_country(name) is not None:
            continue
        if find_states(name) or near_state(name) is not None:
            return None  # "LICHENS OF VIRGINIA" (two letters from "Virgin Is"): a state, spelt right or nearly
        limit = 1 if len(word) <= 7 else 2
        codes = {
            code
            for form, code in COUNTRY_FORMS.items()
            if Levenshtein.distance(word, form.replace(" ", ""), score_cutoff=limit) <= limit
        }
        if len(codes) == 1:
            code = codes.pop()
            start = place.find(name)
            return CountryMatch(country_of_code(code), code, start, start + len(name))
    return None


# a line of places parted by colons, the country first, then the division: "Rep. Dominicana: Prov. La Vega: …"
_COUNTRY_FIRST = re.compile(r"^\W*(?P<first>[^:\d,]{5,30}):[^:]+:")


def misread_country_first(line: str) -> CountryMatch | None:
    """The country opening a line of places parted by colons (at least two: "Rep. Dominfcana: Prov. La Vega:
    …") with one letter misread, added or lost, its letters and no other country's; five letters or more, never
    a state's name, and only where a word of it is no word of its own (the misread one: "Islands: 52°55'N: …"
    is no Iceland misread). One letter, not two as in a header: a parish or town opens such lines too
    ("Portland: Blue Mountains" is two letters from Poland)."""
    m = _COUNTRY_FIRST.match(line) if isinstance(line, str) else None
    if m is None or all(is_word(w) for w in re.findall(r"[^\W\d_]{4,}", m["first"])):
        return None
    name = m["first"].strip()
    letters = re.sub(r"[^a-z]", "", fold(name))
    if len(letters) < NEAR_COUNTRY_LETTERS or find_country(name) is not None:
        return None
    if find_states(name) or near_state(name) is not None:
        return None
    codes = {
        code
        for form, code in COUNTRY_FORMS.items()
        if Levenshtein.distance(letters, re.sub(r"[^a-z]", "", form), score_cutoff=1) <= 1
    }
    if len(codes) != 1:
        return None
    code, start = codes.pop(), line.find(name)
    return CountryMatch(country_of_code(code), code, start, start + len(name))
