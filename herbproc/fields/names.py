"""Scientific names: parse "Carex crinita Lam. var. brevicrinis Fernald" into its parts, and spot names in label
lines when no taxonomy is given (a Latin-looking genus + epithet, optional rank and authorship)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from herbproc.fields.text import fold

RANK_MARKERS = {
    "var": "var.", "var.": "var.", "v.": "var.", "variety": "var.",
    "subsp": "subsp.", "subsp.": "subsp.", "ssp": "subsp.", "ssp.": "subsp.", "sub-sp.": "subsp.",
    "subspecies": "subsp.",
    "f.": "f.", "fo.": "f.", "forma": "f.", "form.": "f.",
    "subvar.": "subvar.", "subf.": "subf.",
}  # fmt: skip
RANK_NAMES = {
    "var.": "variety",
    "subsp.": "subspecies",
    "f.": "form",
    "subvar.": "subvariety",
    "subf.": "subform",
}
HYBRID_SIGNS = {"×", "x", "X"}
NOT_GENERA = {
    "unknown",
    "indet",
    "indeterminate",
    "undetermined",
    "incertae",
    "plantae",
    "none",
    "null",
    "nan",
}
AUTHOR_LINKS = {
    "ex",
    "&",
    "et",
    "and",
    "in",
    "de",
    "von",
    "van",
    "der",
    "la",
    "le",
    "du",
    "f.",
    "fil.",
    "filius",
}

# Older names keep the diacritics of the persons and places they honour ("mühlenbergii", "Schöenus"); the Code
# drops them (Art. 60.6), but labels and checklists still carry them.
_LETTER = "a-zäöüëéèêáàíóúñçø"
_GENUS = re.compile(rf"^×?[A-Z][{_LETTER}\-]+$|^×?[A-Z]{{3,}}$")
_EPITHET = re.compile(rf"^[{_LETTER}][{_LETTER}I\-]+$")  # "I" inside an epithet is OCR for "l" ("angIiae")
_EPITHET_CAPS = re.compile(r"^[A-Z][A-Z\-]+$")
# Epithets from persons, places and old genus names were long written with a capital ("Solanum Tequilense Gray",
# "Hibiscus Moscheutos L."). In running text only one with an epithet's own ending is taken for one; in a name
# written alone (a names list, a truth cell), any capitalised Latin-looking word the authorship or nothing follows.
_EPITHET_TITLE = re.compile(rf"^[A-Z][{_LETTER}\-]{{3,}}$")
_TITLE_ENDING = re.compile(r"(?:ensis|ense|ii|iae|iana|ianum|ianus|ica|icum|icus|oides|orum|arum)$")
_TITLE_NOUN_ENDING = re.compile(r"(?:a|ae|um|us|is|es|os|ia|ea|eum|eus)$")  # not an author's -on, -er, -y
# English words that are no author's name or link ("in", "ex", "et" are links: "Hook. in Benth.").
_NOT_AUTHOR_WORDS = frozenset("of this the to for on with by any all from that these those please".split())
# (no digits: "OCJX-0176-H" after "Sample codes" is a code, no author)
_AUTHOR_TOKEN = re.compile(
    r"^[(\[]?[A-ZÀ-Ý][^\W\d_'’.\-]*(?:[.'’\-][^\W\d_]*)*[)\],;]*$|^[(\[]?[A-Z]\.[^\W\d_.'’\-]*(?:[.'’\-][^\W\d_]*)*[)\],;]*$|^[)(&]$"
    r"|^\([A-ZÀ-Ý][^\W\d_.]*\.?\)[A-ZÀ-Ý][^\W\d_'’.\-]*(?:[.'’\-][^\W\d_]*)*[,;]*$"  # "(SCHREB.)SCHUST.": glued
)
# Endings of Latin epithets; a lower-case English word rarely ends like one of these *and* is not in the list
# below. Used only to spot names without a taxonomy.
_LATIN_ENDING = re.compile(
    r"(?:a|ae|um|us|is|e|es|i|ii|ea|eum|eus|ia|ium|ior|ius|or|ex|ix|on|os|er|ensis|ense|oides|ans|ens|ys|as|x)$"
)
ENGLISH_WORDS = set(
    """the a an and or of in on at to by for from with near along above below between about around among
    over under into onto upon within without ca circa common collected growing scattered frequent rare abundant
    locally plants plant flora flowers flower fruit fruits leaves leaf stem stems woods wood swamp bog marsh meadow
    field fields roadside road river lake pond brook creek shore shores beach hill hills mountain mount island
    sandy rocky wet dry moist open shaded shady edge edges margin margins side slope slopes base top summit
    north south east west northern southern eastern western upper lower old new same this that these those
    duplicate specimen herbarium label sheet collector date no number elev elevation alt altitude habitat
    locality county state vicinity trail park forest thicket thickets clearing pasture pastures ditch ditches
    cultivated escaped native introduced waste ground grounds place places soil soils sand gravel clay peat rock
    rocks ledge ledges cliff cliffs wall walls border borders bank banks very quite rather one two three few
    many some several also not near there here where which who while is are was were be been on upland lowland
    dense thin tall short small large white red yellow blue purple pink green brown black sample samples code
    codes voucher vouchers report notes""".split()
)


# Words of label headers and herbarium names: "DETERMINATION SLIP", "ANNOTATION LABEL", "HARVARD UNIVERSITY".
HEADER_WORDS = set(
    """determination annotation identification revision slip label labels card ticket herbarium herbaria herbier
    university universitat universite college museum garden gardens botanical botanic botany flora plants plantae
    institute institution department survey expedition collection collections club society academy catalog
    catalogue specimen specimens duplicate duplicates exchange type isotype holotype syntype paratype lectotype
    neotype annotated determined verified confirmed exsiccatae exsiccati distributed lichenes musci fungi algae
    museo musei""".split()
)


# Open nomenclature: "Carex cf. alba" (compare with), "Carex aff. alba" (akin to), "Carex nr. alba" (near). The
# identification is uncertain, the name is still the species': the qualifier goes to dwc:identificationQualifier.
QUALIFIERS = {"cf.": "cf.", "cf": "cf.", "cfr.": "cf.", "aff.": "aff.", "aff": "aff.", "nr.": "nr."}
_QUALIFIED = re.compile(r"(?<![\w.])[A-Z][A-Za-z-]{2,}\s+(cfr?\.?|aff\.?|nr\.)\s+[a-z-]{3,}")


def qualifier_in(line: str) -> str:
    """The open-nomenclature qualifier written between a genus and its epithet on ``line`` (``cf.``), else ''."""
    m = _QUALIFIED.search(line)
    return QUALIFIERS.get(m[1].lower(), "") if m else ""


@dataclass(frozen=True)
class ParsedName:
    genus: str
    specific_epithet: str = ""
    infraspecific_rank: str = ""  # "var.", "subsp.", "f." …
    infraspecific_epithet: str = ""
    authorship: str = ""  # of the lowest rank named
    species_authorship: str = ""  # of the species, when an infraspecific rank follows
    qualifier: str = ""  # "cf.", "aff.", "nr.": not part of the name (QUALIFIERS)

    @property
    def canonical(self) -> str:
        parts = [self.genus, self.specific_epithet, self.infraspecific_rank, self.infraspecific_epithet]
        return " ".join(p for p in parts if p)

    @property
    def binomial(self) -> str:
        return " ".join(p for p in (self.genus, self.specific_epithet) if p)

    @property
    def rank(self) -> str:
        if self.infraspecific_rank:
            return RANK_NAMES.get(self.infraspecific_rank, "infraspecific")
        return "species" if self.specific_epithet else "genus"

    @property
    def scientific_name(self) -> str:
        return f"{self.canonical} {self.authorship}".strip()

    def darwin_core(self, scientific_name: str, qualifier: str) -> tuple[tuple[str, str], ...]:
        """The Darwin Core taxon terms of this name, ``scientific_name`` as given (empty values included)."""
        return (
            ("scientificName", scientific_name),
            ("scientificNameAuthorship", self.authorship),
            ("genus", self.genus),
            ("specificEpithet", self.specific_epithet),
            ("infraspecificEpithet", self.infraspecific_epithet),
            ("taxonRank", self.rank),
            ("verbatimTaxonRank", self.infraspecific_rank),
            ("identificationQualifier", qualifier),
        )


def normalise_rank(token: str) -> str | None:
    return RANK_MARKERS.get(token.lower())


def _clean_token(token: str) -> str:
    return token.strip(",;:")


def _capitalised_epithet(tokens: list[str], i: int, alone: bool) -> bool:
    """``tokens[i]`` is an epithet written with a capital (see ``_EPITHET_TITLE``)."""
    raw = tokens[i]
    word = _clean_token(raw)
    if raw.endswith(".") or not _EPITHET_TITLE.match(word):
        return False
    if _TITLE_ENDING.search(word):
        return True
    if not alone or not _TITLE_NOUN_ENDING.search(word):
        return False
    rest = [_clean_token(t) for t in tokens[i + 1 :]]
    return all(_AUTHOR_TOKEN.match(t) or t.lower() in AUTHOR_LINKS or normalise_rank(t) for t in rest if t)


def parse_name_tokens(
    tokens: list[str], start: int = 0, alone: bool = False, strict: bool = False
) -> tuple[ParsedName, int] | None:
    """Parse a name beginning at ``tokens[start]``; returns it and the index after its last token. ``alone``:
    the tokens are a name written alone, not a line of running text. ``strict``: a genus followed by a comma,
    colon or semicolon takes no epithet (``SANTO DOMINGO, REPUBLICA …`` is a list of places), nor does a word
    before a colon make one (``Political division: …`` is a caption)."""
    if start >= len(tokens):
        return None
    genus_token = _clean_token(tokens[start]).lstrip("([")
    if not _GENUS.match(genus_token):
        return None
    genus = genus_token.lstrip("×")
    if fold(genus) in NOT_GENERA:
        return None
    genus = genus if not genus.isupper() else genus.capitalize()
    if strict and tokens[start].endswith((",", ":", ";")):
        return ParsedName(genus), start + 1
    i = start + 1
    if i < len(tokens) and tokens[i] in HYBRID_SIGNS:
        i += 1
    qualifier = QUALIFIERS.get(tokens[i].lower(), "") if i + 1 < len(tokens) else ""
    if qualifier:
        i += 1
    if i >= len(tokens):
        return ParsedName(genus), i
    epithet = _clean_token(tokens[i])
    capitalised = not genus_token.isupper() and _capitalised_epithet(tokens, i, alone)
    if not (
        _EPITHET.match(epithet) or (genus_token.isupper() and _EPITHET_CAPS.match(epithet)) or capitalised
    ):
        return ParsedName(genus), start + 1
    if strict and tokens[i].endswith(":"):
        return ParsedName(genus), start + 1  # "Political division: Bosque Insular": a caption, no binomial
    upper = epithet.isupper() or capitalised
    species = epithet.lower() if upper else epithet.replace("I", "l").lower()
    i += 1
    if tokens[i - 1].endswith((",", ";")):
        return ParsedName(genus, species, qualifier=qualifier), i
    authors: list[str] = []
    species_authors: list[str] = []
    rank = infra = ""
    while i < len(tokens):
        raw = tokens[i]
        token = _clean_token(raw)
        marker = normalise_rank(token)
        nxt = _clean_token(tokens[i + 1]) if i + 1 < len(tokens) else ""
        caps_infra = genus_token.isupper() and _EPITHET_CAPS.match(nxt)  # "CARDAMINE … VAR. VULGARIS"
        # "Salix alba L. var. Vitellina": capitalised as a species epithet can be (_capitalised_epithet)
        caps_infra = caps_infra or (bool(marker) and nxt and _capitalised_epithet(tokens, i + 1, alone))
        if marker and not rank and (_EPITHET.match(nxt) or caps_infra) and nxt.lower() not in AUTHOR_LINKS:
            species_authors, authors = authors, []
            rank, infra = marker, nxt.lower() if caps_infra else nxt.replace("I", "l").lower()
            i += 2
            continue
        if token.lower().strip("()[],;.") in _NOT_AUTHOR_WORDS:
            break  # "REPORT ANY REIDENTIFICATION OF THIS VOUCHER": a sentence in capitals, no authorship
        if _AUTHOR_TOKEN.match(token) or token.lower() in AUTHOR_LINKS or token in ("(", ")"):
            authors.append(raw.rstrip(",;:"))
            i += 1
            if raw.endswith((",", ";")):
                break
            continue
        break
    while authors and authors[-1].lower() in AUTHOR_LINKS - {"f.", "fil."}:
        authors.pop()
    authorship = " ".join(authors)
    return ParsedName(genus, species, rank, infra, authorship, " ".join(species_authors), qualifier), i


_CAPITALS = re.compile(r"[A-ZÀ-Ý]{3,}")


def author_case(authorship: str) -> str:
    """An authorship printed in capitals as names write it: each run of three or more capitals as a word
    ("MICHX." is Michx., "(L.) BRITT." (L.) Britt., "McVAUGH" McVaugh); initials and "DC." stay; a
    parenthesised author glued to the next set apart ("(SCHREB.)SCHUST." is (Schreb.) Schust.)."""
    return re.sub(r"\)(?=[A-ZÀ-Ý])", ") ", _CAPITALS.sub(lambda m: m[0][0] + m[0][1:].lower(), authorship))


def parse_name(text: str) -> ParsedName | None:
    """Parse a scientific name written alone ("Carex crinita Lam. var. brevicrinis Fernald")."""
    if not isinstance(text, str):
        return None
    parsed = parse_name_tokens(text.split(), alone=True)
    return parsed[0] if parsed else None


# words that place a town, in Latin and the languages of European labels: "Oriente prope Baracoa", "Elmtal bei
# Rosenheim" are places, not a genus, an epithet and an author
_PLACE_PREPOSITIONS = frozenset({"prope", "juxta", "apud", "bei", "nahe", "pres", "cerca"})
# a Romance article or contraction after a capitalised word is a place's name, not a binomial ("Cerro del Elmo",
# "Sierra de los Organos"): no epithet reads so
_PLACE_ARTICLES = frozenset({"del", "della", "dos", "das", "des", "los", "las"})


def latin_score(parsed: ParsedName) -> float:
    """How much a parsed pair of words looks like a scientific name, in [0, 1] (no taxonomy needed)."""
    genus, epithet = fold(parsed.genus), fold(parsed.specific_epithet)
    if (
        not epithet
        or genus in ENGLISH_WORDS
        or epithet in ENGLISH_WORDS
        or genus in HEADER_WORDS
        or epithet in HEADER_WORDS
        or epithet in _PLACE_PREPOSITIONS
        or epithet in _PLACE_ARTICLES
        or genus in _NOT_AUTHOR_WORDS
        or epithet in _NOT_AUTHOR_WORDS
        or len(genus) < 3
        or len(epithet) < 3
    ):
        return 0.0
    if genus.endswith(("aceae", "ae")) and len(genus) > 6:
        return 0.0  # a family name ("Fagaceae"), not a genus
    score = 0.35
    if _LATIN_ENDING.search(epithet):
        score += 0.25
    if parsed.authorship:
        score += 0.2
    if parsed.infraspecific_rank:
        score += 0.1
    return min(score, 0.9)


def _latin_pair(parsed: ParsedName) -> bool:
    genus = fold(parsed.genus)
    return bool(_LATIN_ENDING.search(fold(parsed.specific_epithet)) and _LATIN_ENDING.search(genus))


@dataclass(frozen=True)
class NameInLine:
    parsed: ParsedName
    score: float
    start_token: int
    end_token: int


def find_name_in_line(line: str, strict: bool = False) -> NameInLine | None:
    """The most name-like genus + epithet on ``line``, without a taxonomy. ``strict``, for the name a label
    gives when no taxonomy can confirm it: no genus before a comma (``parse_name_tokens``), and words in capitals
    are a name only when both read as Latin, authorship or not ("REVISIONARY STUDIES IN LINDERNIA ALLIONI" is a
    slip's header, "RICHARD WILLIAM WOODWARD" a person). The other rules ask whether a line holds a name at all,
    where such a header also ends a locality."""
    tokens = line.split()
    best: NameInLine | None = None
    for i in range(len(tokens)):
        parsed = parse_name_tokens(tokens, i, strict=strict)
        if parsed is None:
            continue
        name, end = parsed
        score = latin_score(name)
        if tokens[i].isupper() and (strict or not name.authorship) and not _latin_pair(name):
            continue  # two words in capitals are a header ("DETERMINATION SLIP") unless both read as Latin
        if score > 0 and (best is None or score > best.score):
            best = NameInLine(name, score, i, end)
    return best


FAMILY = re.compile(
    r"(?<![\w])([A-Z][a-z]+aceae|[A-Z]+ACEAE|Compositae|Gramineae|Leguminosae|Cruciferae|Umbelliferae|Labiatae"
    r"|Palmae|Guttiferae|COMPOSITAE|GRAMINEAE|LEGUMINOSAE|CRUCIFERAE|UMBELLIFERAE|LABIATAE)(?![\w])"
)


def find_family(line: str) -> str | None:
    m = FAMILY.search(line)
    return m.group(1).capitalize() if m else None
