"""Small text helpers shared by the field parsers: accent folding, line cleaning, a rough OCR quality score."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")  # "N.L." stays in capitals, not "N.l."
_SMALL_WORDS = {
    "of",
    "the",
    "and",
    "de",
    "der",
    "du",
    "des",
    "la",
    "le",
    "von",
    "van",
    "at",
    "in",
    "on",
    "for",
    "by",
}


def fold(text: str) -> str:
    """Lower-case, accents removed (``"Québec"`` → ``"quebec"``), other letters kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


# A printed form's leader, dots or underscores from a caption to its value: "Collector ........ J. Smith",
# "No.____1234"; after a caption of one to three words at the line's start it stands for the colon.
_LEADER_RUN = r"\s*(?:[._·…]\s?){3,}\s*"
_CAPTION_LEADER = re.compile(
    rf"^(?P<caption>\W*[^\W\d_]+(?:\.(?!\.))?(?:\s[^\W\d_]+(?:\.(?!\.))?){{0,2}}){_LEADER_RUN}(?=\w)"
)
_LEADER = re.compile(rf"(?<=\w){_LEADER_RUN}(?=\w)")
# a caption's colon cut off with its value where a line was found again from beside the caption
# ("Location:  Chisik Island" read as "Location:" and ": Chisik Island")
_STRAY_COLON = re.compile(r"^[:;]\s+(?=\w)")
# a division's abbreviated word with its stop read as a comma before the name ("PROV, IMBABURA:"): the words are
# no words of their own, so the comma is the abbreviation's stop
_DIVISION_COMMA = re.compile(r"(?<![^\W\d_])(?P<word>(?i:prov|dept|depto|dpto|pcia|edo|mpio)),(?=\s+(?:(?:de|del|of|do|da)\s+)?[A-ZÀ-Þ])")
# a surname's particle in lower case glued to the capital after it: the reader dropped the space ("Bart Van
# deVijver"); a particle in capitals stays glued, as names write it ("DeWitt", "LaSalle", "VanderWerf")
_GLUED_PARTICLE = re.compile(r"(?<![^\W\d_])(de|da|del|della|des|di|du|van|von|der|den|ter|le|la)(?=[A-Z][a-z])")


def clean_line(text: object) -> str:
    """One label line as text: NFKC-normalised, control characters dropped, whitespace collapsed, a form's leader
    read as a colon, a caption's colon at the line's start dropped, a lower-case particle glued to a name parted,
    a division's abbreviated word's stop read as a comma put back."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = _CAPTION_LEADER.sub(r"\g<caption>: ", text)
    text = _LEADER.sub(" ", text)
    text = _GLUED_PARTICLE.sub(r"\1 ", text)
    text = _DIVISION_COMMA.sub(r"\g<word>.", text)
    return _STRAY_COLON.sub("", _SPACES.sub(" ", text).strip())


def text_quality(text: str) -> float:
    """Share of characters that look like label text (letters, digits, spaces, common punctuation).

    OCR garbage (``"~|^}{ ¦¦"``) scores low; it scales the confidence of whatever a line yields.
    """
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch.isalnum() or ch in " .,;:'()&-/#°\"")
    return good / len(text)


def is_all_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


# letters in capitals no one could say as a word, kept as printed: "AKFWS", "USFWS" (no vowel after the first)
_ACRONYM = re.compile(r"[A-Z][B-DF-HJ-NP-TV-XZ]{3,}")


def smart_title(text: str) -> str:
    """Title-case a name printed in capitals (``"NEW LONDON"`` → ``"New London"``); leave mixed case alone."""
    if not is_all_caps(text):
        return text
    words = [word if _INITIALS.fullmatch(word) or _ACRONYM.fullmatch(word) else word[:1] + word[1:].lower()
             for word in text.split(" ")]  # fmt: skip
    return " ".join(w.lower() if i and w.lower() in _SMALL_WORDS else w for i, w in enumerate(words))
