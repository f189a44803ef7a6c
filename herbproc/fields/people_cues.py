"""Collector and determiner cues and captions on label lines ("Coll.", "leg.", "Det.", "COLLECTORS")."""

from __future__ import annotations

import re

from herbproc.fields.label import strip_dates

# "Collectora)": "Collector(s)" with its "(" lost; "Coll. & det. by": one person collected and determined it.
COLLECTOR_CUE = re.compile(
    r"(?<![\w])(?:(?:col(?:l|ls|lected)?|leg(?:it)?)\.?\s*(?:&|and|et|y)\s*det(?:ermined)?\.?(?:\s*by)?|collected\s+(?:and\s+(?:prepared|distributed)\s+)?by|collectors?\s*(?:\(s\)|[a-z]?\))?|coll(?:ector|r|s)?(?:\.|\s*:)|col(?:\.|\s*:)|(?<=^)(?-i:Co[lI1|i][lI1|i][.,]|(?:Colls?|COLLS?)(?=\s+[A-Z]\.)|colls?(?=\s+[A-Z]))|leg(?:it|erunt)?\.|"
    r"leg(?:it)?\s*:|legit|lecta|gathered\s+by|collected"
    r"|co[l1i|]{1,2}[eco][ceo]t[oe]rs?\s*:"  # a form's "Collector:" as the reader misreads it: "Col1ector:", "Collcctor:"
    # Spanish and French: "Colectores:", "Colectado por", "Recolector:", "Récolté par", "Recueilli par"; Portuguese
    # "Coletor:", "Coletado por"; Italian "Raccolto da", "Raccolse", "Racc."; German "Gesammelt von", "Sammler:"; Dutch "Verzameld door"
    r"|(?:re)?colec?t(?:or(?:es|as|a)?|ad[oa]s?|a)(?![\w])|r[ée]colt(?:[ée]e?s?|eurs?)(?![\w])|recueilli(?:e|s|es)?(?![\w])"
    r"|raccol(?:t[oaie]|se)(?![\w])|racc\.|raccoglitore|gesammelt|sammler|verzameld|verzamelaar)"
    r"\s*(?:(?:by|por|par|da|von|door)\s+)?[:\-.,]?\s*",
    re.I,
)
# A cue ends with its dot or at the end of its word: "DETERMINATION SLIP" and "Revere" hold no determiner.
DETERMINER_CUE = re.compile(  # "…acantedet. H.T. Beek": "det." (or "det,") glued to the word before
    r"(?:(?<=[a-z])det[.,](?=\s*[A-Z])|(?<![\w])(?:determiner|identifier|vid(?:it)?|det(?:ermined)?|identified\s+by|ident|conf(?:irmed)?|annotated\s+by|verified\s+by|"
    r"rev(?:ised)?)(?:\.|(?![^\W\d_])))(?:\s*by\b)?\s*[:\-,]?\s*",  # "Det, J. Fay": the dot read as a comma
    re.I,
)


# The cue after the names: "N. L. BRITTON, COLLECTOR", "J. Smith, coll. 123".
# "Collector" as the reader misreads its doubled letters ("Coleetor", "Collcctor", "Co1lector", "Collecter"), or
# Spanish "Colector"
COLLECTOR_WORD = r"co[l1i|]{1,2}[eco][ceo]t[oe]rs?"
TRAILING_COLLECTOR_CUE = re.compile(
    rf"\s*[,/]?\s*\(?(?:{COLLECTOR_WORD}|colls?\.|leg\.|legit(?![\w]))(?:\s*(?:&|et|and|y)\s*det\.?)?\)?(?![\w])", re.I
)


# A caption naming the lines of names next to it: "COLLECTORS", "Collectors, AUG. 31-SEPT. 20,1905", "Collector:".
_CAPTION = re.compile(
    r"^\W*(?:collectors?|collected\s+(?:and\s+(?:prepared|distributed)\s+)?by|colls?\.?|leg\.?)(?![\w])\s*(?P<colon>:)?(?P<rest>.*)$",
    re.I,
)


def collector_caption(line: str) -> str | None:
    """ "above" for a caption under its names ("COLLECTORS"), "below" for a field name whose value is on the next
    line ("Collector:"), None when the line is no bare caption (it holds names or other words)."""
    m = _CAPTION.match(line)
    if m is None:
        return None
    rest = strip_dates(m["rest"])
    if re.search(r"[^\W\d_]{2,}", rest):
        return None  # "Collector Number: 47", "Coll. M. Smith"
    by = re.search(r"\bby\W*$", line[: m.start("rest")], re.I)  # "Collected by": its value comes after it
    return "below" if m["colon"] or by else "above"


def caption_alone(line: str) -> bool:
    """A caption with nothing but perhaps a date beside it ("COLLECTORS", "Collectors, MARCH 3, 1910")."""
    m = _CAPTION.match(line)
    return m is not None and not re.search(r"[^\W\d_]", strip_dates(m["rest"]))


def before_determiner_cue(line: str) -> str:
    """What stands before the line's first determiner cue ("Coll. J. Smith; det. K. Jones" → "Coll. J. Smith")."""
    m = DETERMINER_CUE.search(line)
    return line[: m.start()].rstrip(" ,;/") if m else line


def ends_with_determiner_caption(line: str) -> bool:
    """A determiner's caption with nothing after it ends the line ("Collector   Determiner")."""
    m = DETERMINER_CUE.search(line)
    return m is not None and m.start() > 0 and not line[m.end() :].strip() and not collected_and_determined(line)


# "det." as the reader misreads it opening a line before the determiner's initials, one letter off to a letter that
# looks like it ("der. M. Nee 2019", "dct. A. Bell", "DOT. J.M. Fay", "Dec J. Williams & B.L. Turner, 30 Jul 1996"; not
# "Bet. Albany and Troy", nor a division's "Dpt. Santa Cruz", "Dep. Santa Cruz"); without its dot only before an
# initial and a name ("der M. Nee. 2019"); with a colon after it, its t lost or its letters read round ("De: J.
# Williams & B.L. Turner", "Doc: J. Williams"), an initial's letter read as a 1 too
MISREAD_DET_OPENING = re.compile(
    r"(?i:[oa]et|d[aceou]t|de[cefirt])(?:[.,:]\s*(?=[A-Z]\.|[A-Z][a-z]+\s)|\s+(?=[A-Z]\.\s?[A-Z][a-z]))"
    r"|(?i:de|doc|dot):\s*(?=(?:[A-Z]\.\s?){1,2}[A-Z][a-z]|1\.\s?[A-Z][a-z]+(?![a-z.]*\s*\d))"  # not "1. Juli 1931"
)

# A determination's line, the one test for it whichever term asks, even when its determiner is not read ("Det.
# vel confirm.: F. J. FERNÁNDEZ CASAS …"): its date is the identification's, never the collection's; its words no
# locality; "det." read one letter off too ("Dec J. Smith, 1996").
DET_LINE = re.compile(
    r"^\W*(?:(?i:det(?:ermined|\.|:|\b)|conf(?:irmed|\.)|rev(?:ised|\.)|verified|annotat|identified\s+by)|"
    + MISREAD_DET_OPENING.pattern
    + ")"
)


def opens_with_determiner_cue(line: str) -> bool:
    """The line starts with "Det.", "Conf", "Rev." …: a determination's line, even where its name is misread
    ("Conf A Cronquist 2023")."""
    text = line.lstrip(" \t-–:;,.*")
    if MISREAD_DET_OPENING.match(text):
        return True
    m = DETERMINER_CUE.match(text)
    return m is not None and not COLLECTED_AND_DETERMINED.match(line.lstrip())


COLLECTED_AND_DETERMINED = re.compile(  # "Coll. & det.", "leg./det.", "leg. det.", "Det./leg."
    r"(?<![\w])(?:(?:col(?:l|ls|lected)?|leg(?:it)?)\.?\s*(?:&|and|et|y|/)?\s*det"
    r"|det\.?\s*(?:&|and|et|y|/)\s*(?:leg|coll?)(?![^\W\d_]))",
    re.I,
)


def collected_and_determined(line: str) -> bool:
    """ "Coll. & det. J. Smith": the same people are the collectors and the determiners."""
    return COLLECTED_AND_DETERMINED.search(line) is not None


# "Hb. C. Dunn", "ex Herb. C. Dunn", "Herbarium of C. Dunn": whose herbarium the packet came from, not its collector
_HERBARIUM_OF = re.compile(r"(?<![\w])(?:hb|herb(?:arium)?)\.?\s*(?:of\s+)?\W*$", re.I)


def owns_herbarium(line: str, start: int) -> bool:
    """The names starting at ``start`` follow a herbarium's abbreviation: they are its owner's."""
    return _HERBARIUM_OF.search(line[:start]) is not None


# A caption alone on its line whose value, the names, stands on the next: "Determined by", "TLC by:", "Distributed by"
_BY_CAPTION = re.compile(
    r"\W*(?:[^\W\d_][^\d]*?\s)?(?:det(?:ermined)?|ident(?:ified)?|verifi?(?:ed)?|confirmed|revised|annotated|examined|"
    r"distributed|prepared|edited|issued|tlc|chemistry|analy[sz]ed|mounted|photographed|communicated|sent|"
    r"received|exchanged|donated|given|presented)\.?\s+by\s*:?\s*",
    re.I,
)


def other_role_caption(line: str) -> bool:
    """A "… by" caption alone on its line that names no collector ("Determined by", "Verified by"): the names under
    it are its role's."""
    return _BY_CAPTION.fullmatch(line) is not None and not has_collector_cue(line)


def has_collector_cue(line: str) -> bool:
    return COLLECTOR_CUE.search(line) is not None


def collector_cue(line: str) -> re.Match[str] | None:
    """Where the collector's cue stands on ``line`` ("Coll.", "Leg.", "Collected by"), if anywhere."""
    return COLLECTOR_CUE.search(line)
