"""A printed form's words misread: a caption before its colon ("LOCALY:", "MABITAT:") and a division's kind word
("Santa Clara Peovince") written as the words they are."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from herbproc.fields.lexicon import is_word
from herbproc.fields.locality_words import FIELD_NAMES
from herbproc.fields.text import fold

# the captions a misread word may be taken for: six letters or more (a shorter word one letter off is too often
# another word), and no place's word (counties.py reads a misread "County:"; "Paris:" is a place, not "Parish:")
_PLACE_CAPTIONS = frozenset(
    "county parish state province provincia country pays país pais municipio distrito departamento territoire "
    "secteur".split()
)
_CAPTIONS = tuple(sorted({fold(w) for w in FIELD_NAMES if len(w) >= 6} - _PLACE_CAPTIONS))
# a word this near a caption (rapidfuzz ratio: "LOCALY" 86 from locality, "MABITAT" 86 from habitat), and nearer
# to it than to any other caption
_CAPTION_SCORE = 80
_OPENING_WORD = re.compile(r"^\W*(?P<word>[^\W\d_]{5,})(?=\s*:)")


def repaired_caption(line: str) -> str:
    """``line`` with the word opening it before a colon written as the form's caption it misreads; as read when
    that word is a caption or a word of its own, or no one caption is near it."""
    m = _OPENING_WORD.match(line) if isinstance(line, str) else None
    if m is None:
        return line
    word = m["word"]
    folded = fold(word)
    if folded in _CAPTIONS or folded in FIELD_NAMES or is_word(folded):
        return line
    near = process.extract(folded, _CAPTIONS, scorer=fuzz.ratio, score_cutoff=_CAPTION_SCORE, limit=2)
    if not near or (len(near) == 2 and near[1][1] == near[0][1]):
        return line
    caption = near[0][0]
    caption = caption.upper() if word.isupper() else caption.title() if word[:1].isupper() else caption
    return line[: m.start("word")] + caption + line[m.end("word") :]


# a division's kind word ("Santa Clara Peovince", "ST. PAUL PARIsS."): one letter of it misread, so the same
# length, the places' code reads it as the word
_KIND_WORDS = ("province", "provincia", "parish", "department", "departamento")
_LONG_WORD = re.compile(r"(?<![\w'’])[^\W\d_]{6,12}(?![\w'’])")


def _kind_word(m: re.Match[str]) -> str:
    word = m[0]
    folded = fold(word)
    if folded in _KIND_WORDS or is_word(folded):
        return word
    for kind in _KIND_WORDS:
        if len(kind) == len(folded) and sum(a != b for a, b in zip(kind, folded, strict=True)) == 1:
            capitals = sum(ch.isupper() for ch in word) > len(word) // 2
            return kind.upper() if capitals else kind.title() if word[:1].isupper() else kind
    return word


def repaired_kind_words(line: str) -> str:
    """``line`` with each word one letter from a division's kind word (and no word of its own) written as that
    word; the line's length and every other letter as read."""
    return _LONG_WORD.sub(_kind_word, line) if isinstance(line, str) else line
