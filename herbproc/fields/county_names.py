"""Counties and parishes as labels name them: "Middlesex Co.", "Co. of Essex", a form's "County:" slot."""

from __future__ import annotations

import re
from typing import NamedTuple

from herbproc.fields.counties import SAINT_MISREAD, saint_read
from herbproc.fields.county_slots import COUNTY_WORD, NEXT_CAPTION, SLOT_WORD
from herbproc.fields.states import county_slot_after, find_states
from herbproc.fields.text import fold, smart_title


class CountyMatch(NamedTuple):
    name: str  # without "County" / "Co.": "Middlesex"
    start: int
    end: int


_FRENCH_WORD = r"[A-ZÀ-Þ][^\W\d_]*(?:['’][A-ZÀ-Þ][^\W\d_]*)?"
# from a word's start only: tried from inside a long run of letters, the search would take quadratic time
_COUNTY_NAME = rf"(?<![A-Za-z'’\-])(?P<name>(?:{SAINT_MISREAD})?{COUNTY_WORD}(?:\s+{COUNTY_WORD}){{0,2}})"


_COUNTY_PATTERNS = [
    re.compile(  # not "COLD"; "Cty." and "Cnty." as some write it
        rf"{_COUNTY_NAME}\s+(?:County|Co\.?|Parish|COUNTY|CO\.?|PARISH|county|co[.:]|C(?:n?ty|N?TY)\.)(?![A-Za-z])"
    ),
    re.compile(rf"(?:County|Co\.|COUNTY|CO\.|Parish|PARISH)\s+(?:of|OF)\s+{_COUNTY_NAME}"),
    # the field's slot on a printed form: "County: Grant", "Parish:MOREHOUSE", united counties "County: PRESCOTT &
    # RUSSELL"
    re.compile(
        rf"(?<![A-Za-z])(?:County|COUNTY|Parish|PARISH|Co\.?|CO\.?)\s*:\s*(?P<name>{SLOT_WORD}(?:\s+{SLOT_WORD}){{0,2}}"
        rf"(?:\s*&\s*{SLOT_WORD}(?:\s+{SLOT_WORD}){{0,2}})?)"
    ),
    # the slot without its colon, the name ending the line: "Co. Haywood" (as Irish labels write "Co. Cork"),
    # "County Thunder Bay Dist."
    re.compile(
        rf"(?<![A-Za-z])(?:County|COUNTY|Co\.|CO\.)\s+(?!.*\b(?:Road|Rd|Line|Ltd|Inc|Highway|Hwy|Route|Park|Forest)\b)"
        rf"(?P<name>{SLOT_WORD}(?:\s+{SLOT_WORD}){{0,3}})(?:\s*$|\s+(?={NEXT_CAPTION}))"
    ),
    # the slot heading its line, its name before the colon or comma of the place after it: "Co. Blount: Rosaville",
    # "Co. Blount, Tenn."
    re.compile(
        rf"^\W*(?:County|COUNTY|Co\.|CO\.)\s+(?![^:]*\b(?:Road|Rd|Line|Highway|Hwy|Route|Park|Forest)\b)"
        rf"(?P<name>{COUNTY_WORD}(?:\s+{COUNTY_WORD}){{0,2}})(?::\s|,)"
    ),
    # a county of a French label, kept as written: "Comté de Charlevoix", "COMTÉ DE GASPÉ-OUEST"
    re.compile(rf"(?P<name>(?:Comté|COMTÉ|Cté)\s+(?:de\s+|DE\s+|du\s+|DU\s+|d['’]\s*)?{_FRENCH_WORD}(?:[\s-]+{_FRENCH_WORD}){{0,2}})"),
    # a district heading the place as a county does, with its colon (Ontario's districts, where it has no
    # counties): "Thunder Bay District: Elm Lake", "ALGOMA DIST.:"
    # (kept as written, its word too, as the district's name: "Thunder Bay Dist.")
    re.compile(
        rf"(?<![A-Za-z'’\-])(?P<name>{COUNTY_WORD}(?:\s+{COUNTY_WORD}){{0,2}}\s+(?:District|DISTRICT|Dist\.|DIST\.))\s*:"
    ),
]


# A word of four letters or more that ends with a stop ends a sentence: "COLORADO. LINCOLN Co." is Lincoln.
_SENTENCE_END = re.compile(r"[^\W\d_]{4,}\.$")
_NOT_COUNTY_WORDS = {
    "the", "of", "and", "in", "on", "near", "same", "this", "new england", "plants", "flora", "unknown",
    "locality", "loc.", "location", "habitat",  # a form's caption without its colon: "Locality St. Ann Parish"
}  # fmt: skip


_INSTITUTION_WORD = re.compile(r"\b(?:university|college|herbarium|museum|institute|garden)\b", re.I)


def find_county(text: str) -> CountyMatch | None:
    """The county (or parish) in ``text``: "Middlesex Co.", "Co. of Essex", "McNairy County", "NEW LONDON CO:"."""
    if not isinstance(text, str) or not text:
        return None
    for state in find_states(text):
        if state.style == "name" and (slot := county_slot_after(text, state.end, state.name)):
            caption = slot.start() + len(slot.group()) - len(slot.group().lstrip())
            return CountyMatch(smart_title(slot["name"]), caption, slot.end())
    for pattern in _COUNTY_PATTERNS:
        for m in pattern.finditer(text):
            words = m.group("name").split()
            ends = [k for k, w in enumerate(words[:-1]) if _SENTENCE_END.search(w)]
            words = words[ends[-1] + 1 :] if ends else words
            # Drop leading words that belong to the sentence, not the name ("In Middlesex Co." → "Middlesex").
            while words and (fold(words[0]) in _NOT_COUNTY_WORDS or _is_state_word(words[0])):
                words = words[1:]
            if not words:
                continue
            name = saint_read(_without_full_stop(smart_title(" ".join(words)).rstrip(",;:")))
            if fold(name) in _NOT_COUNTY_WORDS or len(name) < 3:
                continue
            if _INSTITUTION_WORD.search(name):
                continue  # "HERBARIUM OF THE UNIVERSITY OF TENNESSEE" / "Co.": a form's caption after a body's name
            start = m.start("name") + m.group("name").find(words[0])
            if pattern not in (_COUNTY_PATTERNS[0], _COUNTY_PATTERNS[-1]):
                start = m.start()  # the county's word before it: "Parish: St. Thomas", "Parish of St. Ann"
            return CountyMatch(name, start, m.end())
    return None


_ABBREVIATED = {"dist", "dept", "prov", "terr", "mun", "munic"}  # a district's word shortened: "Thunder Bay Dist."


def _without_full_stop(name: str) -> str:
    """``name`` without the full stop that ends its sentence ("County: Cocke."), an abbreviation's kept."""
    last = name.split()[-1] if name.split() else ""
    if _SENTENCE_END.search(last) and fold(last.rstrip(".")) not in _ABBREVIATED:
        return name[:-1]
    return name


_COUNTY_CAPTION = re.compile(r"^\W*(?:County|COUNTY)\W*$")
_COUNTY_VALUE = re.compile(rf"^\W*(?P<name>{SLOT_WORD}(?:\s+{SLOT_WORD}){{0,3}})\W*$")


def county_under_caption(caption: str, line: str) -> CountyMatch | None:
    """The county a form's "County" caption, alone on its line, has on the line under it: "County" / "Elm Bay
    Dist." (a name of one to four capitalised words, nothing else)."""
    if not _COUNTY_CAPTION.match(caption) or (m := _COUNTY_VALUE.match(line)) is None:
        return None
    name = m["name"].rstrip(",;:")
    if fold(name) in _NOT_COUNTY_WORDS or _INSTITUTION_WORD.search(name) or find_states(name):
        return None
    return CountyMatch(name, m.start("name"), m.end("name"))


def _is_state_word(word: str) -> bool:
    return any(s.style != "name" for s in find_states(word)) or word.rstrip(",") in (
        "Plants",
        "Flora",
        "PLANTS",
    )
