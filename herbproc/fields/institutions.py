"""Herbaria named on labels and stamps (→ Index Herbariorum codes) and catalogue / barcode numbers."""

from __future__ import annotations

import re
from typing import NamedTuple

from rapidfuzz import fuzz, process

from herbproc.fields.lexicon import is_word
from herbproc.fields.text import fold, smart_title

# Index Herbariorum code → ways labels name the herbarium (matched case- and accent-insensitively, in order of
# length, so "Gray Herbarium of Harvard University" is GH and not the Harvard University Herbaria in general).
HERBARIA: dict[str, tuple[str, ...]] = {
    "GH": ("Gray Herbarium", "Herbarium of the Gray", "Gray Herb."),
    "A": ("Arnold Arboretum",),
    "AMES": ("Oakes Ames Orchid Herbarium", "Ames Orchid Herbarium"),
    "ECON": ("Economic Botany Herbarium",),
    "FH": ("Farlow Herbarium",),
    "HUH": ("Harvard University Herbaria", "Harvard University Herbarium", "Herbaria of Harvard University"),
    "NEBC": ("New England Botanical Club", "N. E. Botanical Club", "N.E.B.C."),
    "NY": ("New York Botanical Garden", "N. Y. Botanical Garden"),
    "MO": ("Missouri Botanical Garden",),
    "US": (
        "United States National Herbarium",
        "U. S. National Herbarium",
        "Smithsonian Institution",
        "United States National Museum",
        "U. S. National Museum",
    ),
    "F": ("Field Museum",),
    "PH": ("Academy of Natural Sciences of Philadelphia", "Academy of Natural Sciences"),
    "MICH": ("University of Michigan Herbarium", "Herbarium of the University of Michigan"),
    "WIS": ("University of Wisconsin Herbarium", "Wisconsin State Herbarium"),
    "MIN": ("University of Minnesota Herbarium", "Bell Museum"),
    "BKL": ("Brooklyn Botanic Garden",),
    "CONN": (
        "George Safford Torrey Herbarium",
        "Torrey Herbarium, University of Connecticut",
        "University of Connecticut Herbarium",
        "G. S. Torrey Herbarium",
        "University of Connecticut",
    ),
    "MASS": ("University of Massachusetts Herbarium", "University of Massachusetts Amherst"),
    "YU": ("Yale University Herbarium", "Peabody Museum of Natural History"),
    "VT": ("Pringle Herbarium", "University of Vermont Herbarium"),
    "NHA": ("Hodgdon Herbarium", "University of New Hampshire Herbarium"),
    "MAINE": ("University of Maine Herbarium",),
    "BRU": ("Brown University Herbarium",),
    "BH": ("Bailey Hortorium",),
    "CU": ("Wiegand Herbarium", "Cornell University Herbarium"),
    "NCU": ("University of North Carolina Herbarium",),
    "DUKE": ("Duke University Herbarium",),
    "TEX": ("University of Texas Herbarium",),
    "FLAS": ("University of Florida Herbarium",),
    "ILLS": ("Illinois Natural History Survey",),
    "MOR": ("Morton Arboretum",),
    "CAS": ("California Academy of Sciences",),
    "UC": ("University of California Herbarium", "University Herbarium, Berkeley"),
    "JEPS": ("Jepson Herbarium",),
    "RSA": ("Rancho Santa Ana Botanic Garden",),
    "CAN": ("Canadian Museum of Nature", "National Museum of Canada", "National Herbarium of Canada"),
    "DAO": ("Agriculture Canada", "Department of Agriculture, Ottawa", "Agriculture and Agri-Food Canada"),
    "MT": ("Herbier Marie-Victorin", "Université de Montréal"),
    "QFA": ("Herbier Louis-Marie", "Université Laval"),
    "TRT": ("Royal Ontario Museum", "University of Toronto Herbarium"),
    "K": ("Royal Botanic Gardens, Kew", "Royal Botanic Gardens Kew", "Herbarium Kew", "Kew Herbarium"),
    "BM": ("British Museum", "Natural History Museum, London"),
    "E": ("Royal Botanic Garden Edinburgh", "Royal Botanic Garden, Edinburgh"),
    "P": ("Muséum National d'Histoire Naturelle", "Museum d'Histoire Naturelle de Paris"),
    "G": ("Conservatoire et Jardin botaniques de la Ville de Genève", "Conservatoire botanique de Genève"),
    "B": ("Botanischer Garten und Botanisches Museum Berlin", "Botanisches Museum Berlin"),
    "L": ("Rijksherbarium", "Naturalis"),
    "W": ("Naturhistorisches Museum Wien",),
    "UPS": ("Uppsala University Herbarium",),
}
_HERBARIUM_CODES = set(HERBARIA)


class InstitutionMatch(NamedTuple):
    code: str  # Index Herbariorum code, "" for a herbarium not in the table
    name: str  # as printed
    start: int
    end: int


def _fold_same_length(text: str) -> str:
    folded = fold(text)
    return folded if len(folded) == len(text) else text.lower()


def _name_pattern(name: str) -> re.Pattern[str]:
    spaced = re.escape(fold(name)).replace(r"\ ", r"\s*")
    return re.compile(rf"(?<![\w]){spaced}(?![\w])")


_KNOWN = sorted(
    ((_name_pattern(name), code) for code, names in HERBARIA.items() for name in names),
    key=lambda p: -len(p[0].pattern),
)
_WORD = r"[A-Z](?:[^\W\d]|[.'’\-])*"  # no digits: "Sept.14.1934." before "University" is a date
_BODY = r"(?:University|College|Museum|Institute|Institution|Arboretum|Academy|(?:Botanic(?:al)?|Tropical)\s+Gardens?)"
_ROMANCE_BODY = (
    r"(?:Universi(?:dad|dade|tà|t[ée])|Herb[aá]rio|Erbario|Institut[oe]?|Istituto|Muse[ou]|Mus[ée]e|"
    r"Jardim\s+Bot[aâ]nico|Centro\s+de\s+Investigaci[oó]n)"
)
_GENERIC = re.compile(
    rf"(?:(?:{_WORD}\s+){{1,5}}{_BODY}(?!\s+of\s)"  # "Fairchild Tropical Garden", "Appalachian State University"
    rf"|{_BODY}\s+of\s+(?:the\s+)?{_WORD}(?:\s+(?:of\s+|and\s+|&\s+)?{_WORD}){{0,5}}"  # "University of …"
    r"|Jard[ií]n\s+Bot[aá]nico(?:\s+[\w.\"“”'’\-]+){0,6}"
    # Spanish, Portuguese, Italian and French names: "Universidad de Puerto Rico", "Herbario de la Universidad de
    # Costa Rica", "Instituto de Botánica de Venezuela", "Museo Nacional de Costa Rica", "Jardim Botânico do Rio"
    rf"|{_ROMANCE_BODY}(?:\s+{_WORD}){{0,3}}\s+(?:de|do|da|di|del|dos|das|du|des)(?:\s+(?:la|las|los|le|les|l['’]))?"
    rf"\s*{_WORD}(?:\s+(?:(?:de|del|y|e)\s+)?{_WORD}){{0,5}}"
    r"|(?:The\s+)?Herbarium\s+of\s+(?:the\s+)?[A-Z](?:[^\W\d]|[.'’\-])*(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z](?:[^\W\d]|[.'’\-])*){0,6}"
    r"|(?:[A-Z](?:[^\W\d]|[.'’\-])*\s+){1,6}Herbarium"
    r"|Herbier\s+(?:de\s+l[ae']\s*|du\s+|de\s+)?[A-Z](?:[^\W\d]|[.'’\-])*(?:\s+[A-Z](?:[^\W\d]|[.'’\-])*){0,4}"
    r"|Herbarium\s+[A-Z](?:[^\W\d]|[.'’\-])*(?:\s+[A-Z](?:[^\W\d]|[.'’\-])*){0,4})"
)


# Words that make up institutions' names: a line of these alone is a piece of a name wrapped over lines
# ("NEW YORK" / "BOTANICAL" / "GARDEN"), never a place.
INSTITUTION_WORDS = (
    "herbarium", "herbaria", "herbier", "botanical", "botanic", "garden", "gardens", "museum", "university",
    "univ", "college", "institute", "institution", "arboretum", "academy", "jardin", "botanico", "universidad",
    "herbario", "instituto", "museo",
)  # fmt: skip


def is_institution_fragment(line: str) -> bool:
    """Whether every word of ``line`` is (an OCR reading of) an institution word: "BOTANICAL", "CARDEN."."""
    words = re.findall(r"[^\W\d_]+", fold(line) if isinstance(line, str) else "")
    return bool(words) and all(
        process.extractOne(w, INSTITUTION_WORDS, scorer=fuzz.ratio, score_cutoff=80) is not None
        for w in words
    )


def find_institution(line: str) -> InstitutionMatch | None:
    """A herbarium named on ``line``: a known one (with its code) or a generic "Herbarium of …" (code ""); on a
    line whose institution's words are misread ("The Uwversity of Texas Herberium"), the name as repaired
    (:func:`repair_institution_words`), its span the misread words'."""
    if not isinstance(line, str) or not line:
        return None
    repaired, to_line = repair_institution_words(line)
    texts = (line,) if repaired == line else (line, repaired)
    for find in (_find_known, _find_generic):  # a known herbarium repaired before a generic name as read
        for text in texts:
            if (found := find(text)) is not None:
                if text is line:
                    return found
                return InstitutionMatch(found.code, found.name, to_line[found.start], to_line[found.end])
    return None


# An institution's own words, which a label's other text seldom holds misspelt: a word one or two letters from
# one of them is taken for it, unless it is a word of its own ("warden", "garten", "colleges").
BODY_WORDS = (
    "university", "universidad", "herbarium", "herbario", "botanical", "botanic", "garden", "gardens", "museum",
    "college", "institute", "institution", "arboretum", "academy",
)  # fmt: skip
_REPAIR_MIN_LETTERS = 6
_REPAIR_SCORE = 80  # rapidfuzz ratio: "gargen" 83, "uwversity" 84, "nerbarim" 82; "lntyersety" 60 is too far
_LETTERS = re.compile(r"[^\W\d_]+")


def repair_institution_words(line: str) -> tuple[str, list[int]]:
    """``line`` with each misread institution word ("Uwversity", "Herberium", "GARGEN") written as the word, and
    "of" glued to one parted from it ("Universttyof North Carolina"); and for each position of the repaired text
    (and its end) the position of ``line`` it comes from. The case of the word as read is kept."""
    pieces: list[str] = []
    to_line: list[int] = []
    done = 0
    for m in _LETTERS.finditer(line):
        word = _repaired_word(m[0])
        if word is None:
            continue
        pieces.append(line[done : m.start()])
        to_line.extend(range(done, m.start()))
        pieces.append(word)
        width = m.end() - m.start()
        to_line.extend(m.start() + min(width - 1, k * width // len(word)) for k in range(len(word)))
        done = m.end()
    pieces.append(line[done:])
    to_line.extend(range(done, len(line) + 1))
    return "".join(pieces), to_line


def _repaired_word(word: str) -> str | None:
    folded = fold(word).lower()
    glued = folded.endswith("of") and len(folded) - 2 >= _REPAIR_MIN_LETTERS
    stem = folded[:-2] if glued else folded
    if len(stem) < _REPAIR_MIN_LETTERS or (stem in BODY_WORDS and not glued):
        return None
    best = process.extractOne(stem, BODY_WORDS, scorer=fuzz.ratio, score_cutoff=_REPAIR_SCORE)
    if best is None or (stem != best[0] and is_word(stem)) or (not glued and is_word(folded)):
        return None
    body = best[0].upper() if word.isupper() else best[0].title() if word[:1].isupper() else best[0]
    return f"{body} {'OF' if word.isupper() else 'of'}" if glued else body


def _find_known(line: str) -> InstitutionMatch | None:
    folded = _fold_same_length(line)
    for pattern, code in _KNOWN:
        m = pattern.search(folded)
        if m:
            return InstitutionMatch(code, line[m.start() : m.end()], m.start(), m.end())
    return None


def _find_generic(line: str) -> InstitutionMatch | None:
    m = _GENERIC.search(smart_title(line))  # smart_title keeps the length: spans stay valid
    if m:
        code = _CODE_AFTER.match(line, m.end())
        return InstitutionMatch(code["code"] if code else "", m.group(0).strip(), m.start(), m.end())
    return None


# a herbarium's own code printed in brackets after its name, perhaps a word or two after it: "University of Elmton
# (ELM)" (one code only: of "(LL, TEX)" which one is the herbarium's is not known)
_CODE_AFTER = re.compile(r"(?:\s+[A-Za-z]+){0,2}\s*\(\s*(?P<code>[A-Z]{2,8})\s*\)")  # "… University Herbarium (ELM)"


class CatalogMatch(NamedTuple):
    number: str
    code: str  # herbarium code printed in front of the number ("GH00012345" → "GH"), else ""
    start: int
    end: int
    cued: bool  # after "Catalog No.", "Barcode", "Accession No."
    prefix: str = ""  # letters printed before the digits, a known herbarium code or not ("SWMT01221" → "SWMT")

    @property
    def padded(self) -> bool:
        """Digits zero-padded to a fixed width ("00812345"): how barcodes are printed, not accession stamps."""
        return self.number[len(self.prefix) :].lstrip(".- ").startswith("0")


_CATALOG_CUE = re.compile(
    r"(?:catalog(?:ue)?\s*(?:no\.?|number|#)?|cat\.\s*(?:no\.?|#)?|barcode|bar\s*code|accession\s*(?:no\.?|number|#)?|"
    r"acc\.\s*(?:no\.?|#)?|herbarium\s*(?:no\.?|number|#)|herb\.\s*(?:no\.?|#)|sheet\s*(?:no\.?|#)|specimen\s*(?:no\.?|#))"
    r"\s*[:.]?\s*(?P<num>[A-Z]{0,6}[-\s]?\d[\d\-]{2,}[A-Za-z]?)",
    re.I,
)
_PREFIXED = re.compile(r"(?<![\w-])(?P<code>[A-Z]{1,6})[-\s]?(?P<digits>\d{5,10})(?![\w])")
# a herbarium's code, its collection's letters and the digits, hyphenated ("TENN-L-0000012": Tennessee's lichens):
# the collection's letters are no herbarium's code of their own ("L" is Leiden's)
_COLLECTION_CODED = re.compile(r"(?<![\w-])(?P<code>[A-Z]{2,6})-(?P<part>[A-Z]{1,3})-(?P<digits>\d{5,10})(?![\w-])")
_BARCODE_LINE = re.compile(r"^\W*(?P<num>0\d{5,11}|\d{7,12})\W*$")
# A barcode of a herbarium not in the table, alone on its line: its code joined to the digits, or by a dot or a
# hyphen, and at most one check letter after them ("ABCD01234", "XYZ.012345", "Q0123456R"). With a space
# between ("ABC 1234567") the letters may be any word before a number, so they are not read as a code.
_CODED_LINE = re.compile(r"^\W*(?P<num>(?P<code>[A-Z]{1,6})[.\-]?\d{5,10}[A-Z]?)\W*$")
# capitals that come before a number on labels without being a herbarium's code: a number's cue, an elevation
_NOT_A_CODE = {"NO", "NR", "N", "NUM", "ALT", "ELEV", "EL", "HT", "FT", "M", "KM", "MI", "CA", "TEL", "FAX", "BOX"}


def find_catalog_number(line: str) -> CatalogMatch | None:
    """A catalogue / barcode number: after a cue, a herbarium code plus digits, capitals joined to 5–10 digits
    alone on the line, or a line of 7–12 digits."""
    if not isinstance(line, str) or not line:
        return None
    m = _CATALOG_CUE.search(line)
    if m:
        number = re.sub(r"\s+", "", m.group("num"))
        prefix = re.match(r"[A-Z]+", number)
        code = prefix.group(0) if prefix and prefix.group(0) in _HERBARIUM_CODES else ""
        return CatalogMatch(number, code, m.start(), m.end(), cued=True, prefix=prefix.group(0) if prefix else "")
    if m := _COLLECTION_CODED.search(line):
        code = m.group("code") if m.group("code") in _HERBARIUM_CODES else ""
        prefix = f"{m.group('code')}-{m.group('part')}"
        return CatalogMatch(m.group(0), code, m.start(), m.end(), cued=False, prefix=prefix)
    for m in _PREFIXED.finditer(line):
        if m.group("code") in _HERBARIUM_CODES:
            code = m.group("code")
            return CatalogMatch(code + m.group("digits"), code, m.start(), m.end(), cued=False, prefix=code)
    m = _CODED_LINE.match(line)
    if m and m.group("code") not in _NOT_A_CODE:
        prefix = m.group("code")
        code = prefix if prefix in _HERBARIUM_CODES else ""
        return CatalogMatch(m.group("num"), code, m.start("num"), m.end("num"), cued=False, prefix=prefix)
    m = _BARCODE_LINE.match(line) or _BARCODE_LINE.match(_digits_misread(line))
    if m:
        return CatalogMatch(m.group("num"), "", m.start("num"), m.end("num"), cued=False)
    return None


# a zero-padded barcode number alone on its line with a digit or two read as the letter it looks like
# ("010130C2", "0O812345"): letters between digits, never at an end (a check letter, "Q0123456R")
_MISREAD_BARCODE = re.compile(r"^\W*0[\dODQCIl|SB]{6,11}\d\W*$")
_DIGIT_SHAPES = str.maketrans("ODQCIl|SB", "000011158")


def _digits_misread(line: str) -> str:
    """``line`` with the letters of a misread zero-padded barcode number read as digits, else as it was."""
    m = _MISREAD_BARCODE.match(line)
    if m is None or sum(c.isalpha() or c == "|" for c in m[0]) > 2:
        return line
    return line.translate(_DIGIT_SHAPES)
