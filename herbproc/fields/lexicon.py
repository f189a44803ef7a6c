"""Whether a value's words are words of the languages labels are written in.

A locality the recogniser garbled ("E facing lemestone bluff. crevicest, along St. Francis Riner") is seldom
right, and its line's reading confidence does not always say so: handwriting is read at 0.93 as surely as print.
Its lower-case words do: on the gold-transcribed labels, a locality with a lower-case word that no language of
the list knows was right about a third as often as one without (docs/benchmarks.md). Capitalised words are not
looked up (most places are no dictionary's words), nor words under ``MIN_LETTERS`` letters.

The words are ``pyspellchecker``'s frequency lists (MIT licence), folded as the fields fold text and kept as
the sorted hashes of this process: 1.5 million words in 12 MB. They are read the first time a value is looked up,
in about two seconds (dev-2core), and the process keeps about 45 MB more than before.
"""

from __future__ import annotations

import ctypes
import gzip
import json
import re
from functools import lru_cache
from importlib.resources import files

import numpy as np

from herbproc.fields.text import fold

LANGUAGES = ("en", "es", "fr", "pt", "de", "it", "nl")  # the languages of labels in Europe and the Americas
MIN_LETTERS = 3
# a word, with the parts a line's end hyphenated kept together ("Cen-tral")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def unknown_words(text: str) -> list[str]:
    """The lower-case words of ``text`` (``MIN_LETTERS`` letters or more) that none of ``LANGUAGES`` has; a
    hyphenated word is known when it is joined or each of its parts is."""
    out = []
    for m in _WORD.finditer(text):
        word = m[0]
        if not word.islower() or len(word.replace("-", "")) < MIN_LETTERS:
            continue
        parts = [p for p in word.split("-") if len(p) >= MIN_LETTERS]
        if is_word(word.replace("-", "")) or (len(parts) > 1 and all(is_word(p) for p in parts)):
            continue
        out.append(word)
    return out


def has_unknown_word(text: str) -> bool:
    """Whether ``text`` has a lower-case word that none of ``LANGUAGES`` has (``unknown_words``)."""
    return bool(unknown_words(text))


def is_word(word: str) -> bool:
    """Whether ``word`` (folded: case and accents aside) is a word of one of ``LANGUAGES``."""
    hashes = _hashes()
    key = hash(fold(word))
    i = int(np.searchsorted(hashes, key))
    return i < len(hashes) and int(hashes[i]) == key


@lru_cache(maxsize=1)
def _hashes() -> np.ndarray:
    """The sorted hashes of every language's words. Read from the package's gzipped JSON lists as its
    ``SpellChecker`` reads them: building its checkers takes five times as long and twice the memory."""
    per_language = []
    for language in LANGUAGES:
        try:
            listed = json.loads(
                gzip.decompress((files("spellchecker") / "resources" / f"{language}.json.gz").read_bytes())
            )
        except (OSError, ValueError) as e:
            raise RuntimeError(
                f"pyspellchecker's {language} word list cannot be read ({e.__class__.__name__})"
            ) from None
        words = (w if w.isascii() else fold(w) for w in listed)
        per_language.append(np.fromiter((hash(w) for w in words), dtype=np.int64, count=len(listed)))
    hashes = np.unique(np.concatenate(per_language))
    _give_back_memory()
    return hashes


def _give_back_memory() -> None:
    """Hand the lists' freed memory back to the system (glibc keeps it otherwise: 100 MB more per process)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the memory stays with the process until it ends
