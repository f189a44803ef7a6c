"""A printed form's caption misread before its colon ("LOCALY:", "MABITAT:") written as the caption it is."""

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
