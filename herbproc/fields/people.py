"""Collectors (recordedBy), collector numbers (recordNumber) and determiners (identifiedBy) on label lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from herbproc.fields import dates
from herbproc.fields.label import strip_dates
from herbproc.fields.places import find_states, is_place_name
from herbproc.fields.text import fold, smart_title

AGENT_SEPARATOR = " | "  # Darwin Core's recommended separator for lists of agents

# Old labels shorten common given names as initials are shortened: "Wm. Harris", "Geo. V. Nash", "Chas. Wright".
_GIVEN_SHORT = "Wm Geo Chas Thos Jas Jno Saml Robt Edw Benj Alex Richd Danl Jos Wil Fredk Nathl".split()
_GIVEN_SHORT_RE = "|".join(_GIVEN_SHORT + [w.upper() for w in _GIVEN_SHORT])
_INITIALS = rf"(?:(?:[A-Z]|{_GIVEN_SHORT_RE})\.\s?-?\s?){{1,4}}"
_PARTICLE = r"(?:(?:de|da|del|della|des|du|van|von|der|den|ter|le|la)\s+){0,2}"
_NOT_NAME = (
    # "Long" is a longitude's caption only before its value ("Long. 72°", "Long: 72", "Long 72° W"); "Fernald &
    # Long 1234" is a surname
    r"(?!(?i:long)(?:\s*[.:]|\s*\d+(?:[.,]\d+)?\s*[°º'’]|\s*\d+(?:[.,]\d+)?\s*[EW](?![^\W\d_])))"
    r"(?!(?i:Near|Along|From|The|And|With|Above|Below|Into|In|At|On|Of|By|Over|Under|Between|Around|"
    r"Jr|Sr|No|Nos|Nr|Num|Number|Date|Det|Bro|Dr|Prof|Hno|Hna|Mrs|Mr|Coll|Leg|Loc|Alt|Elev|Hab|Lat|January|February|March|April|May|"
    r"June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
    r"(?![^\W\d_]))"  # the word ends there, a number may follow: "J. Smith No1234"
)
_SURNAME = _NOT_NAME + r"(?:(?:Mc|Mac|O'|D'|O’)?[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?|[A-Z][A-ZÀ-ÖØ-Þ'’\-]+[A-ZÀ-ÖØ-Þ'’])"
# ... nor a preposition or an article heading a place or a cue: "Near Lincoln", "By Walter Kiener"
_NOT_FIRST = (
    r"(?!(?i:Coll?s?|Leg|Det|No|Nr|Num|Loc|Hab|Alt|Elev|Lat|Long|Date|Fecha|Flora|Plants?|Plantae|Plantæ|Plantas|Plantes|Herb|By|Near|Along|From|The"
    r"|Iter|Moyen|Haut|Haute"  # "Iter Hispanicum" (a journey's title), "Moyen Atlas", "Haute Savoie": no first name
    r"|And|With|Above|Below|Into|In|At|On|Of|Over|Under|Between|Around|Beside|Behind|Toward|Towards|Across)(?![^\W\d_]))"
)
_FIRST = _NOT_FIRST + r"[A-Z][a-zà-ÿ]+"
# A title before a name is part of it: "Dr. Mabel Quiring", "Bro. Anselmo", "Hno. Teodoro" (Brother, in Spanish).
_ONE_TITLE = r"(?:(?i:bro|dr|prof|hno|hna|mrs|mr|rev|fr)\.{1,2}|(?i:brother|miss|padre|frère|frere|fray))\s*"
_TITLE = rf"(?:{_ONE_TITLE}(?:&|and)\s*)?{_ONE_TITLE}"  # a couple's titles: "Dr. & Mrs. A. J. Sharp"
_TITLE_ONLY = re.compile(rf"^{_ONE_TITLE}$")
# Words that make a capitalised pair a place or an institution rather than a person.
_PLACE_WORDS = (
    "Herbarium Herbier Herb University College Club Botanical Botanic Garden Gardens Museum Institute Society "
    "Academy Survey Department Plants Plantae Flora Flowers County Parish Road River Lake Pond Brook Creek "
    "Woods Wood Forest Swamp Bog Marsh Meadow Field Fields Mount Mountain Hill Hills Island Islands Park State "
    "Trail Point Beach Shore Valley Falls Springs Spring Station Farm North South East West New Upper Lower "
    "Great Grand Little Big Fort Port Lake Bay Harbor Harbour Cape Camp Notch Gulf Ravine Gorge Canyon Prairie "
    "City Town Township Twp Village Ranch Refuge Preserve Reserve Monument Highway Route "
    "Hwy Hiway Rte Rd Ave Blvd Pkwy Parkway Interstate Freeway Turnpike "  # "Fla Hwy 51", "Old Mill Rd 12"
    "Collection Collections Exchange Duplicate Ex Det Determined Collected Label Sheet Catalog Common Name "
    "United States America Canada Massachusetts Connecticut Vermont Maine Hampshire York Jersey Rhode "
    "Harvard Gray Arnold Arboretum Smithsonian National Natural History Science Sciences "
    "Project Program Programme Foundation Service Trust Council Team Expedition Exploration Laboratory "
    "Laboratories Agriculture Company Inc Ltd Association The "
    "Province Provincia Municipio Municipality District Distrito Departamento Region "
    "Family Familia Scientific Habitat Locality Planta Plantas Plantes "
    "Lichens Lichenes Mosses Musci Bryophytes Hepaticae Hepatics Liverworts Fungi Algae Cryptogams Ferns "
    "Lakes Ponds Rivers Creeks Brooks Mountains Heights Flats Meadows Cays Cay Ridges Rocks Bluff Bluffs Cove Coves "
    "Area Savanna Savannah Mesa Gulch Peaks Dunes Pastures Plantation Estate Estates Pass Gap "
    "Co"  # a county's or a company's: "Blount Co."
).split()
_NOT_PLACE = rf"(?!(?i:{'|'.join(_PLACE_WORDS)})(?![\w]))"
# "Elbert L. Little, Jr.", "F. H. Smith III" (not the month of "12.III.1990"); the comma read as a dot
# ("Moss. Jr.")
_SUFFIX = r"(?:[,.]?\s*(?:Jr|Sr|JR|SR)\.?(?![\w])|,?\s+(?:II|III|IV)(?![\w]|\.\d))?"
# A person with initials or a first name: "M. L. Fernald", "J.R. Churchill", "Douglas McGrady", "Mary E. Smith",
# "R. Dale Thomas" (an initial, then the name used; not "A. B. Eaton So.61", a misread "No." glued to its
# number); never from the middle of a word ("ST. THOMAS" holds no "T. Thomas").
_PERSON_CORE = (
    rf"(?:{_INITIALS}{_FIRST}\s+{_PARTICLE}{_NOT_PLACE}{_SURNAME}(?!\.\s?\d)|{_INITIALS}{_PARTICLE}{_SURNAME}"
    rf"|{_FIRST}\s+(?:{_INITIALS}|{_FIRST}\s+)?{_PARTICLE}{_SURNAME})"
)
PERSON = rf"(?<![\w'’])(?:(?:{_TITLE})?{_PERSON_CORE}|{_TITLE}{_PARTICLE}{_SURNAME}){_SUFFIX}"
# Initials standing before "&" and more initials share the surname that follows: "R. A. & E. S. Howard"; so do
# a first name and its initial before "&" and another first name: "Ines R. & Pablo Ortega".
_SHARED_INITIALS = (
    rf"(?<![\w'’])(?:{_INITIALS}(?=\s*&\s*{_INITIALS}{_PARTICLE}{_SURNAME})"
    rf"|{_FIRST}\s+{_INITIALS}(?=\s*&\s*(?:{_TITLE})?{_FIRST}\s+(?:{_INITIALS})?{_PARTICLE}{_SURNAME}))"
)
# After an explicit cue a bare surname is a person too: "leg. Fernald".
# A person in capitals without initials first: "STEWARDSON BROWN", "GEORGE V. NASH" (on a line of names, after a
# cue, or before a number).
_CAPS_PERSON = rf"(?<![\w])(?!(?:THE|AND|NEAR|FROM|WITH|ALONG|ABOVE|BELOW|OVER|UNDER|FOR|INTO)\s)[A-Z][A-ZÀ-ÖØ-Þ]{{2,}}(?:\s+[A-Z]\.)?\s+{_NOT_NAME}[A-Z][A-ZÀ-ÖØ-Þ'’\-]+(?![\w]){_SUFFIX}"
PERSON_OR_SURNAME = rf"(?:{_SHARED_INITIALS}|{PERSON}|{_CAPS_PERSON}|{_SURNAME})"
# German "u." (und) and Portuguese and Italian "e" join names too; "e" only before an initial ("A. Bell e C. Dunn"),
# not inside a surname ("Sousa e Silva")
_JOIN = r"(?:\s*,\s*(?:and\s+|AND\s+|with\s+|&\s*)?|\s*&\s*|\s+(?:and|AND|et|und|u\.|y|with|e(?=\s+[A-Z]\.))\s+)"
# "and others" after the names: "J. Smith et al.", "J. Smith et. al.", "J. Smith & al." (kept, written "et al.":
# the label names no more people)
_ET_AL_TAIL = r"\s*,?\s*(?:et\.?|&)\s*al(?:ii|\.)?(?![\w])"
_ET_AL = rf"(?:{_ET_AL_TAIL})?"
_ET_AL_END = re.compile(_ET_AL_TAIL + r"\s*$")
_PEOPLE = rf"(?P<people>{PERSON_OR_SURNAME}(?:{_JOIN}{PERSON_OR_SURNAME}){{0,5}}{_ET_AL})"
_PEOPLE_STRICT = (
    rf"(?P<people>(?:{_SHARED_INITIALS}|{PERSON})(?:{_JOIN}(?:{_SHARED_INITIALS}|{PERSON})){{0,5}}{_ET_AL})"
)

# "Collectora)": "Collector(s)" with its "(" lost; "Coll. & det. by": one person collected and determined it.
_COLLECTOR_CUE = re.compile(
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
_DETERMINER_CUE = re.compile(  # "…acantedet. H.T. Beek": "det." (or "det,") glued to the word before
    r"(?:(?<=[a-z])det[.,](?=\s*[A-Z])|(?<![\w])(?:determiner|identifier|vid(?:it)?|det(?:ermined)?|identified\s+by|ident|conf(?:irmed)?|annotated\s+by|verified\s+by|"
    r"rev(?:ised)?)(?:\.|(?![^\W\d_])))(?:\s*by\b)?\s*[:\-]?\s*",
    re.I,
)
_PEOPLE_AFTER_CUE = re.compile(_PEOPLE)
_PEOPLE_STRICT_RE = re.compile(_PEOPLE_STRICT)
_PERSON_SPLIT = re.compile(_JOIN)
_SINE_NUMERO = re.compile(
    r"(?<![\w])s\.\s?n\.?(?![\w])(?!\.?\s?[A-Z]\.)|\bsine\s+num(?:ero)?\b|\bsin\s+n[uú]m(?:ero\b|\.)|\bwithout\s+number\b", re.I
)
# Latin "bis" / "ter" after a number: the collector's second or third gathering under it ("No. 1234 bis")
_BIS = r"(?:\s?(?:bis|ter)(?![\w]))?"
# The number: a series letter and a space ("nr. B 2734"), letters glued to digits ("BHPSP5"), a code in capitals
# with a digit (letters alone after "NO" are a number misread past reading: "NO HHOO");
# two collectors' numbers joined by "&" ("No.: 1234 & 56") are one value.
_NUMBER_CUE = re.compile(
    r"(?:(?<![\w])|(?=#))(?P<cue>No\.?|NO\.?|Nos?\.|nos?\.|N[uú]m(?:ber|ero)?\.{0,2}|[Nn]\.?\s?[°º]|Nr\.?|nr\.(?=\s*[A-Z]?\s?\d)|#"
    # "n. 1234": Latin and Italian numero, in lower case and before a number only; "núm. 1234"; "n.º 1234" (the
    # º is an "o" once the line is NFKC-normalised)
    r"|n\.(?=\s?\d)|n[uú]m(?:ero)?\.?(?=\s?\d)|[Nn]\.o\.?(?=\s?\d)"
    # "N0 5722", "N05722": the "o" of "No" read as a zero
    r"|N0\.?(?=\s?\d)"
    # "no, 1234", "mo. 1234": the dot read as a comma, the "n" as an "m" (ocr_confusions.json ",>." and "n>m");
    # "no 1234": the dot left out (or "nº" read as "no"); in lower case only ("Mo." is Missouri), and only before
    # a number
    r"|no,?(?=\s?\d)|mo\.(?=\s?\d)|N[oO],(?=\s?\d))"  # "No, 1234" too
    r"\s*:?\s*(?P<num>(?:\d{1,3}(?:,\d{3})+(?![\d,])|[A-Z]{1,2}\s\d{1,6}[a-z]?(?![\w])|[A-Za-z]{0,6}-?\d[\w\-/.]*|[A-Z]{2,}\d[A-Z\d]*)(?![\d⁄])"
    rf"{_BIS}(?:\s*&\s*\d[\w\-/]*)?)",
)
_NOT_RECORD_CUE = re.compile(  # a whole word: "Howard No. 123" is no road's number
    r"(?<![\w])(?:catalog(?:ue)?|cat\.|acc(?:ession)?\.?|sheet|herb(?:arium)?\.?|barcode|specimen|accession|reg\.?|"
    r"route|rte\.?|highway|hwy\.?|road|rd\.?|lot|plot|quad(?:rat)?|site|station|sta\.?)\s*$",
    re.I,
)


def numbered_thing_before(text: str) -> bool:
    """``text`` ends with a word that numbers something other than a collection ("Route", "Lot", "Sheet")."""
    return _NOT_RECORD_CUE.search(text) is not None


# After the names, their comma, a semicolon, a colon or a spaced dash ("A. Bell: 16204", a form's "No." lost between them;
# "A. Bell - 1234"); never a month and year ("9.1913"), nor part of a decimal measure ("12.5 km": not "12"), of a
# date with its short year ("7/25/74": not "7/25"), of a fraction ("1234½", NFKC "12341⁄2": not "12341"), of a
# coordinate ("12°30'"), nor metres glued to their figure ("1450m")
_BARE_NUMBER = re.compile(
    r"\s*(?:[,:;]|(?<=\s)[-–—](?=\s))?\s*(?!\d{1,2}[./-](?:1[6-9]|20)\d\d(?![\w]))(?P<num>\d{1,6}(?!m\b)(?:\s?(?:bis|ter)(?![\w])|[a-zA-Z]?(?:[-/.]\d{1,4}[a-zA-Z]?|-[A-Za-z](?![\w]))?))(?![\w.,/-]*\d{4})(?![\w])"
    r"(?![.,/⁄-]\d)(?![°º'′\"″%])"
    # and what follows is not a word: a month ("4 Auguit 2019"), a unit ("62 km", "6 mi"), a street
    # ("160 Fishtown Road") — only the end, punctuation, a number, or a second collector ("& …", "with …")
    r"(?=\s*(?:$|[^\w\s]|\d|(?:and|with|et|y|leg|coll)\b))"
)
# A bare number whose next word opens a date: "C. F. Millspaugh 1234  Jan. 3, 1899".
_BARE_NUMBER_BEFORE = re.compile(r"\s*,?\s*(?P<num>\d{1,6}[a-zA-Z]?)[,;]?\s+")
_THOUSANDS = re.compile(r"\s*,?\s*(?P<num>\d{1,3}(?:,\d{3})+)(?![\d,])")  # "W. Harris 12,345"
# A series prefix before the digits, at the end of the line: "E. L. Ekman H12345", "J. Smith JS-1234".
_PREFIXED_NUMBER_LAST = re.compile(r"\s*,?\s*(?P<num>[A-Z]{1,3}-?\d{3,6}[a-z]?|[A-Z] \d{3,6}[a-z]?)[\s.]*$")
_ELL_NUMBER_LAST = re.compile(r"\s*,?\s*(?P<num>l\d{3,5})[\s.]*$")  # "A. Bell l234": an ell for its 1
_NUMBER_LAST = re.compile(r"[\s,;]*(?P<num>\d{2,6}[a-z]?)[\s.]*$")  # after the date: "E. Ekman, 3 Jan. 1925, 1234"
_BARE_NUMBER_IN_PARENS = re.compile(r"\s*,?\s*\((?P<num>\d{2,6}[a-zA-Z]?)\)")  # "Coll. J. Smith (1234)"
# "By Walter Kiener. 6157": the sentence of the names closed by its full stop, the number ending the line (after a
# whole surname only: after an initial the dot is the initial's), the line opened by "By" or a collector's cue
# (not a place read as a name: "Hondo Valle. 2984")
_NUMBER_AFTER_STOP = re.compile(r"\.\s+(?P<num>\d{2,6}[a-z]?)[\s.]*$")
_CUE_OPENS = re.compile(r"\W*(?:(?:collected\s+)?by|coll(?:ector)?[.:]?|leg(?:it)?[.:]?)\s*", re.I)
_NUMBER_FIRST = re.compile(r"\W*(?P<num>\d{3,6}[a-zA-Z]?)[\s,.;:]+")  # "1234  J. Smith"
NON_PERSON_WORDS = {fold(w) for w in _PLACE_WORDS}


@dataclass(frozen=True)
class Agents:
    names: list[str]
    start: int
    end: int
    cued: bool  # found after an explicit cue ("Coll.", "leg.", "Det.")


_SHARING_SURNAME = re.compile(rf"^(?:{_FIRST}\s+)?{_INITIALS}$")  # "R. A." / "Ines R." before "&"
_SUFFIX_ONLY = re.compile(r"^(?:Jr|Sr|JR|SR)\.?$|^(?:II|III|IV)$")


def split_people(text: str) -> list[str]:
    """The people of a list, one string each; initials sharing the next surname stay with it ("R. A. & E. S.
    Howard": the label does not say whether the first one's surname is the same, so it is kept as written) and a
    "Jr." stays with its name."""
    others = _ET_AL_END.search(text)
    if others:
        text = text[: others.start()]
    parts = [re.sub(r"\s+", " ", p.strip(" ,;&")) for p in _PERSON_SPLIT.split(text)]
    parts = [re.sub(r"\b([A-Z])\.(?=[A-Z][A-Za-z'’]+)", r"\1. ", p) for p in parts]  # "J. F.COWELL"
    parts = [re.sub(r"\.{2,}\s*", ". ", p) for p in parts]  # "Hno..Teodoro": a doubled dot
    parts = [_DOT_SUFFIX.sub(r", \1", p) for p in parts]  # "Moss. Jr.": the comma read as a dot
    out: list[str] = []
    for part in (p for p in parts if p and not _DEGREE.match(p)):
        if out and _SUFFIX_ONLY.match(part):
            out[-1] = f"{out[-1]}, {part}"
        elif out and _TITLE_ONLY.match(out[-1]):
            out[-1] = f"{out[-1]} & {part}"  # "Dr. & Mrs. A. J. Sharp": a couple, one name
        elif out and _SHARING_SURNAME.match(out[-1]):
            out[-1] = f"{out[-1]} & {part}"
        else:
            out.append(part)
    out = [_ROMAN_SUFFIX.sub(lambda m: m[0].upper(), smart_title(p)) for p in out]
    if others and out:
        out[-1] += " et al."
    return out


# an academic degree after a comma is no one's name: "A. Bell, Ph.D." (its "Ph." read as a surname)
_DEGREE = re.compile(r"(?:Ph\.?(?:\s?D\.?)?|D\.\s?Sc\.?|F\.\s?R\.\s?S\.?|F\.\s?L\.\s?S\.?)$")
_DOT_SUFFIX = re.compile(r"(?<=\w\w)\.\s*(Jr|Sr|JR|SR)(?![\w])")
_ROMAN_SUFFIX = re.compile(r"(?<= )(?:Ii|Iii|Iv)$")  # "F. H. DOBSON III": title case would make it "Iii"


# Of those, the words that are no one's surname either: "A. F. Hill" and "R. Wood" are people, "J. Herbarium" not.
NEVER_SURNAMES = {
    fold(w)
    for w in (
        "Herbarium Herbier Herb University College Club Botanical Botanic Garden Gardens Museum Institute Society "
        "Academy Survey Department Plants Plantae Flora County Parish Collection Collections Exchange Duplicate "
        "Det Determined Collected Label Sheet Catalog United States America Canada Massachusetts Connecticut "
        "Vermont Maine Hampshire York Jersey Rhode Harvard Smithsonian National Natural History Science Sciences "
        "Project Program Programme Foundation Trust Council Expedition Exploration Laboratory Laboratories"
    ).split()
}
_LEADING_INITIALS = re.compile(rf"^{_INITIALS}")
# Words that open a place's name where a first name would stand: "Santo Domingo", "Puerto Plata", "Sierra Maestra".
_PLACE_OPENERS = {
    fold(w)
    for w in (
        "San Santa Santo São Sao Puerto Porto Sierra Cerro Río Rio Villa Ciudad Monte Punta Cayo Isla Isle Île Ile "
        "Loma Lomas Pico Bahía Bahia Laguna Arroyo Playa Cabo Costa Morne Pointe Mont Anse Baie Cap Fond Paso Valle "
        "Llano Llanos Boca Barrio Hacienda Finca Quebrada Cañada Cueva Salto Lago Pampa Colonia Nueva Nuevo "
        "La Las Los El Le Les"
    ).split()
}
_MIDDLE_INITIAL = re.compile(r"^[A-Z][a-zà-ÿ]+\s+(?:[A-Z]\.\s?)+[\w'’\-]+$")


_GLUED_WORD = 16  # letters: longer than any given name or surname written as one word


def _plausible(names: list[str]) -> bool:
    """No word of a place or an institution in the names; after initials a place word is a surname."""

    def person(name: str) -> bool:
        words = [fold(w) for w in re.split(r"[\s.]+", name) if w]
        if any(len(w) >= _GLUED_WORD for w in words):
            return False  # "Cetrarialaevigata Rass.": a name's words glued by the reader, no person
        if _LEADING_INITIALS.match(name):
            return not set(words) & NEVER_SURNAMES
        if words[0] in _PLACE_OPENERS or is_place_name(name):  # "Porto Rico", "Santa Clara": a place, no one
            return False
        # "Marta J. Field": after a middle initial, a place word is a surname
        if _MIDDLE_INITIAL.search(name):
            return not set(words[:-1]) & NON_PERSON_WORDS and words[-1] not in NEVER_SURNAMES
        return not set(words) & NON_PERSON_WORDS

    return bool(names) and all(person(n) for n in names)


_INVERTED = re.compile(rf"(?P<surname>{_SURNAME}),\s*(?P<initials>{_INITIALS})(?=\s*(?:$|[;(]|\d|s\.\s?n))")
_ONE_INVERTED = rf"{_SURNAME},\s*{_INITIALS}"
# Several turned round after a cue: "Leg.: SMITH, J. & JONES, K.", "Coll. Smith, J.; Jones, K. 1234" (what follows
# does not matter: a line ending in initials may have taken the next line in).
_INVERTED_LIST = re.compile(
    rf"(?P<list>{_ONE_INVERTED}(?:\s*(?:&|;|and\b|et\b|y\b)\s*{_ONE_INVERTED}){{1,4}})"
)
_INVERTED_ONE = re.compile(rf"(?P<surname>{_SURNAME}),\s*(?P<initials>{_INITIALS})")


_NAME_GOES_ON = re.compile(r"\s+[A-Z]\.\s?[A-Z]")


def _name_unread_after_cue(line: str) -> bool:
    for m in _COLLECTOR_CUE.finditer(line):
        people = _PEOPLE_AFTER_CUE.match(line, m.end())
        if people and _NAME_GOES_ON.match(line, people.end()):
            return True
    return False


# One person's initials with their stops lost (OCR) after a cue, the number or the line's end after the name:
# "Coll. A C Bell 1234" is A. C. Bell's; never before another name ("Coll. A Bell, C Dunn": who is whose?).
_BARE_INITIALS = re.compile(
    rf"(?P<initials>(?:[A-Z] ){{1,3}})(?P<surname>{_SURNAME})(?![\w'’.-])"
    r"(?=\s*(?:$|\d|#|\(\d|(?:No|no|Nr|nr)\.?\s*\d|,\s*(?:\d|#|(?:No|no)\.?\s*\d)))"
)


def _stopped(bare: re.Match[str]) -> str:
    return " ".join(f"{c}." for c in bare["initials"].split()) + " " + smart_title(bare["surname"])


def find_agents_after(cue: re.Pattern[str], line: str) -> Agents | None:
    for m in cue.finditer(line):
        several = _INVERTED_LIST.match(line, m.end())  # "Leg.: SMITH, J. & JONES, K."
        if several:
            names = [
                f"{p.group('initials').strip()} {smart_title(p.group('surname'))}"
                for p in _INVERTED_ONE.finditer(several.group("list"))
            ]
            return Agents(names, several.start(), several.end(), cued=True)
        inverted = _INVERTED.match(line, m.end())  # "Coll.: FERNALD, M. L."
        if inverted:
            name = f"{inverted.group('initials').strip()} {smart_title(inverted.group('surname'))}"
            return Agents([name], inverted.start(), inverted.end(), cued=True)
        if (bare := _BARE_INITIALS.match(line, m.end())) and _plausible([name := _stopped(bare)]):
            return Agents([name], bare.start(), bare.end(), cued=True)
        people = _PEOPLE_AFTER_CUE.match(line, m.end())
        if people and _NAME_GOES_ON.match(line, people.end()):
            continue  # "Coll. HAROLD B. QUIMBY": a first name in capitals read alone; the name goes on unread
        if people:
            names = _without_trailing_affiliation(split_people(people.group("people")))
            if _plausible(names):
                return Agents(names, people.start(), people.end(), cued=True)
    return None


def _without_trailing_affiliation(names: list[str]) -> list[str]:
    """The names before the last ones that are no one's (an institution or a place after the cued names: "Coll.
    A. Bell, Elmton College"); all of them when the first is no one's either."""
    keep = len(names)
    while keep > 1 and not _plausible(names[keep - 1 : keep]):
        keep -= 1
    return names[:keep] if keep < len(names) and _plausible(names[:keep]) else names


# The cue after the names: "N. L. BRITTON, COLLECTOR", "J. Smith, coll. 123".
# "Collector" as the reader misreads its doubled letters ("Coleetor", "Collcctor", "Co1lector", "Collecter"), or
# Spanish "Colector"
_COLLECTOR_WORD = r"co[l1i|]{1,2}[eco][ceo]t[oe]rs?"
_TRAILING_COLLECTOR_CUE = re.compile(
    rf"\s*[,/]?\s*\(?(?:{_COLLECTOR_WORD}|colls?\.|leg\.|legit(?![\w]))(?:\s*(?:&|et|and|y)\s*det\.?)?\)?(?![\w])", re.I
)
# Surnames alone before the cue after them: "Fernald leg.", "Smith & Jones, legit".
_SURNAMES_TRAILING_CUE = re.compile(rf"\W*(?P<people>{_SURNAME}(?:{_JOIN}{_SURNAME}){{0,3}})(?={_TRAILING_COLLECTOR_CUE.pattern})")


# The date between the cue and its "by": "Collected June 4, 1932 by J. Smith", "Coll. 12.V.1931, by K. Jones".
_DATE_THEN_BY = re.compile(
    r"(?<![\w])(?:collected|gathered|coll\.)\s+(?:on\s+)?(?P<date>[^;:]{4,30}?)(?:\s*,?\s+by\s+|(?P<comma>\s*[,;]\s*)(?=[A-Z]))",
    re.I,
)  # or its comma, then a person's whole name: "Coll. 12 June 1964, A. Bell"


def _collected_on_a_date_by(line: str) -> Agents | None:
    for m in _DATE_THEN_BY.finditer(line):
        if strip_dates(m["date"]).strip(" ,.") or not dates.find_dates(m["date"]):
            continue  # not a date alone: "Collected in a swamp by the road"
        people = (_PEOPLE_STRICT_RE if m["comma"] else _PEOPLE_AFTER_CUE).match(line, m.end())
        if people and not _NAME_GOES_ON.match(line, people.end()):
            names = split_people(people.group("people"))
            if _plausible(names):
                return Agents(names, people.start(), people.end(), cued=True)
    return None


# A name turned round with its number and nothing else on the line, as a collector's list writes it: "SMITH, J. 1234"
_INVERTED_NUMBERED = re.compile(
    rf"\W*(?P<surname>{_SURNAME}),\s*(?P<initials>{_INITIALS})\s*(?=(?:(?:No|Nr|N[º°])\.?\s*|#\s*)?\d{{2,6}}[a-z]?\W*$)"
)


# Several turned round, their number after them and nothing else: "BELL, A. & DUNN, C. 1234"
_INVERTED_LIST_NUMBERED = re.compile(
    rf"\W*{_INVERTED_LIST.pattern}\s*(?=(?:(?:No|Nr|N[º°])\.?\s*|#\s*)?\d{{2,6}}[a-z]?\W*$)"
)


# An initial's stop read as a comma, the name and its number alone on the line: "A, Bell 1234", "A. C, Bell 1234"
_COMMA_INITIALS_NUMBERED = re.compile(
    rf"\W*(?P<initials>(?:[A-Z][.,]\s?){{1,3}})(?P<surname>{_SURNAME})(?=\s*,?\s*\d{{2,6}}[a-z]?\W*$)"
)


def _comma_initials_numbered(line: str) -> Agents | None:
    m = _COMMA_INITIALS_NUMBERED.match(line)
    if m is None or "," not in m["initials"] or is_place_name(m["surname"]):
        return None
    if re.fullmatch(r"[NSEW],\s?", m["initials"]):
        return None  # "N, Elmton 1234": a bearing, perhaps
    name = " ".join(f"{c}." for c in re.findall(r"[A-Z]", m["initials"])) + " " + smart_title(m["surname"])
    return Agents([name], m.start("initials"), m.end("surname"), cued=False) if _plausible([name]) else None


def _inverted_and_numbered(line: str) -> Agents | None:
    if (several := _INVERTED_LIST_NUMBERED.match(line)) is not None:
        parts = list(_INVERTED_ONE.finditer(several["list"]))
        if not any(is_place_name(p["surname"]) for p in parts):
            found = [f"{p['initials'].strip()} {smart_title(p['surname'])}" for p in parts]
            if _plausible(found):
                return Agents(found, several.start("list"), several.end("list"), cued=False)
    m = _INVERTED_NUMBERED.match(line)
    if m is None or is_place_name(m["surname"]):
        return None
    name = f"{m['initials'].strip()} {smart_title(m['surname'])}"
    return Agents([name], m.start("surname"), m.end("initials"), cued=False) if _plausible([name]) else None


def find_collectors(line: str) -> Agents | None:
    """Collectors after a cue ("Coll.", "leg.", "Collected by", "Collected June 4, 1932 by") or before one ("…,
    COLLECTOR"), else a list of full names on the line."""
    cued = _collected_on_a_date_by(line) or find_agents_after(_COLLECTOR_CUE, line)
    if cued:
        return cued
    if _name_unread_after_cue(line):
        return None  # not its tail ("B. Quimby") either
    if (inverted := _inverted_and_numbered(line) or _comma_initials_numbered(line)) is not None:
        return inverted
    if _DETERMINER_CUE.search(line) and not _COLLECTED_AND_DETERMINED.search(line):
        return None  # a determiner's line; not "J. Smith, leg. & det."
    m = _PEOPLE_STRICT_RE.search(line)
    numbered = find_numbered_surnames(line)
    if numbered is not None and (m is None or numbered.start < m.start("people")):
        return numbered  # "ROLAND M. HARPER 1234": the whole name, not "M. HARPER"
    if m:
        whole = find_people_line(line)
        if whole is not None and whole.start < m.start("people") and whole.end >= m.end("people"):
            return whole  # "ROLAND M. HARPER" alone on its line: the whole name, not "M. Harper"
        names = split_people(m.group("people"))
        if _plausible(names):
            trailing = _TRAILING_COLLECTOR_CUE.match(line, m.end())
            end = trailing.end() if trailing else m.end()  # "J. Smith leg. 1234": the number after the cue
            return Agents(names, m.start(), end, cued=trailing is not None)
    if numbered is None and (dated := _names_then_date(line)) is not None:
        return dated
    if numbered is None and (m := _SURNAMES_TRAILING_CUE.match(line)) is not None:
        names = split_people(m.group("people"))
        if _plausible(names) and all(len(n) >= 3 for n in names):
            cue = _TRAILING_COLLECTOR_CUE.match(line, m.end())
            return Agents(names, m.start("people"), cue.end() if cue else m.end(), cued=True)
    return numbered


def _names_then_date(line: str) -> Agents | None:
    """A line of names in capitals and the date after them, nothing else: "WALTER KIENER July 1, 1936"."""
    found = dates.find_dates(line)
    if len(found) != 1 or found[0].precision in ("year", "years") or line[found[0].end :].strip(" .,;"):
        return None
    head = line[: found[0].start].rstrip(" ,;")
    if not head.isupper() or find_states(head):
        return None  # (not "NEBRASKA" of a header's "NEBRASKA LICHENS")
    return find_people_line(head)


_NAMED = rf"(?:{PERSON}|{_CAPS_PERSON}|{_SURNAME})"
# Surnames alone (or names in capitals) and their number make a line of their own: "Britton & Boynton 7721", "Ekman 16342, 3 May 1925",
# the number perhaps cued, in brackets or after a comma when two or more ("Britton, Cowell & Hess, No. 1234",
# "Britton & Hess, 1234", "Britton & Hess (1234)";
# one word may be a herbarium's or a place's: "Kew, No. 12", "Elmton, 1234")
_SURNAMES_NUMBERED = re.compile(
    rf"\W*(?P<people>{_NAMED}(?:{_JOIN}{_NAMED}){{0,3}}{_ET_AL})(?P<cue>\s*,?\s*(?:No|Nr|N[º°])\.?\s*|\s*,?\s*#\s*|\s*,\s*|\s*(?P<paren>\()|\s+)"
    r"(?P<num>\d{3,6}[a-z]?)(?(paren)\))(?P<rest>[,;.]?(?:\s.*)?)"
)
# Capitalised words a number follows that are not a collector: units, parts of a collection, a survey's grid.
_NUMBERED_THINGS = {
    fold(w)
    for w in (
        "Box Page Plate Fig Vol Tab Tray Folder Cabinet Lot Plot Site Zone Sect Section Block Tract Range Township "
        "Grid Quad Specimen Accession Catalog Sheet Kilometer Kilometers Mile Miles Meters Metres Feet Approx "
        "Circa About Total Number Numero Nummer Nro Exsiccatae Plant Plants Species Genus Family Town Altitude Elevation Height Depth Area Transect Stop Camp "
        # what a "#" numbers besides a collector's gathering ("Sample #12", "Tree #1234")
        "Sample Packet Slide Photo Voucher Record Tag Quadrat Stand Culture Tree Roll Lab Ref Item Bag Jar Image Frame "
        "Bottle Vial Order Job Pole Marker Tube Envelope Film Negative Transparency Unit"
    ).split()
}


def _year_like(number: str) -> bool:
    """A year, or one whose last digit was read as a letter ("198g": a stamp's "Dec 1989")."""
    if len(number) == 4 and number[:3].isdigit() and number[3] in _YEAR_DIGIT_MISREADS:
        number = number[:3] + "0"
    return len(number) == 4 and number.isdigit() and 1700 <= int(number) <= 2030


_YEAR_DIGIT_MISREADS = "gqlIoOsSzZ"  # not "a"-"c": a number's own suffix ("1234a", "198b")


def find_numbered_surnames(line: str) -> Agents | None:
    """Collectors written by surname alone, with their number and perhaps a date after it and nothing else on the
    line; never a place ("Cuba 1923"), a unit or a part of a collection ("Box 112"), or a number that could be a
    year, nor a zero-padded one."""
    lead = _leading_date_end(line)
    m = _SURNAMES_NUMBERED.fullmatch(line[lead:].strip())
    if m is None or _year_like(m.group("num")) or re.search(r"[^\W\d_]", strip_dates(m.group("rest"))):
        return None
    if m.group("num").startswith("0"):
        return None  # zero-padded as barcodes are ("FER 012000": a herbarium's code and number), no collector's
    names = split_people(m.group("people"))
    if m.group("cue").strip() not in ("", "#") and len(names) < 2:
        return None  # "Kew, No. 1234": a herbarium's number as well; "#" is a collector's ("Bell #1234")
    words = {fold(w) for n in names for w in n.split()}
    if words & _NUMBERED_THINGS or any(len(n) < 3 for n in names) or not _plausible(names):
        return None
    offset = lead + len(line[lead:]) - len(line[lead:].lstrip())
    return Agents(names, offset + m.start("people"), offset + m.end("people"), cued=False)


def _leading_date_end(line: str) -> int:
    """Where a full date opening the line ends ("AUG 12 1974  ANN BELL 1234": the date, then the collector), else 0."""
    found = dates.find_dates(line)
    if not found or line[: found[0].start].strip() or found[0].precision in ("year", "years"):
        return 0
    return found[0].end


_ANY_PERSON = rf"(?:{_SHARED_INITIALS}|{PERSON}|{_CAPS_PERSON})"
_PEOPLE_LINE = re.compile(rf"\W*(?P<people>{_ANY_PERSON}(?:{_JOIN}{_ANY_PERSON}){{0,5}}{_ET_AL})")
_DANGLING_JOIN = re.compile(r"(?:\s*,?\s*(?:and|&|with|et))?[\s,;:]*$", re.I)


def find_people_line(line: str) -> Agents | None:
    """A line that holds nothing but names ("N. L. BRITTON", "Elbert L. Little, Jr.,and", "J. F.COWELL"); what
    a caption ("COLLECTORS") above or below it says they are."""
    text = _DANGLING_JOIN.sub("", line)
    m = _PEOPLE_LINE.fullmatch(text)
    if m is None:
        text = text.rstrip(".")
        m = _PEOPLE_LINE.fullmatch(text)
    if m is None:
        return _people_apart(text)
    names = split_people(m.group("people"))
    return Agents(names, m.start("people"), m.end("people"), cued=False) if _plausible(names) else None


# Two or three names set side by side with only a gap between them ("A. B. BELL  C. D. DUNN"): a surname, then
# the next one's initials
_GAP_BEFORE_INITIALS = re.compile(r"(?<=[^\W\d_]{2})\s+(?=(?:[A-Z]\.\s?){1,3}[A-Z][^\W\d_])")
_ONE_PERSON = re.compile(rf"\W*(?P<people>{_ANY_PERSON})")


def _people_apart(text: str) -> Agents | None:
    pieces = _GAP_BEFORE_INITIALS.split(text.strip())
    if not 2 <= len(pieces) <= 3 or not all(_ONE_PERSON.fullmatch(p) for p in pieces):
        return None
    names = [n for p in pieces for n in split_people(p)]
    start = len(text) - len(text.lstrip())
    return Agents(names, start, len(text.rstrip()), cued=False) if _plausible(names) else None


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
    m = _DETERMINER_CUE.search(line)
    return line[: m.start()].rstrip(" ,;/") if m else line


def ends_with_determiner_caption(line: str) -> bool:
    """A determiner's caption with nothing after it ends the line ("Collector   Determiner")."""
    m = _DETERMINER_CUE.search(line)
    return m is not None and m.start() > 0 and not line[m.end() :].strip() and not collected_and_determined(line)


def opens_with_determiner_cue(line: str) -> bool:
    """The line starts with "Det.", "Conf", "Rev." …: a determination's line, even where its name is misread
    ("Conf A Cronquist 2023")."""
    m = _DETERMINER_CUE.match(line.lstrip(" \t-–:;,.*"))
    return m is not None and not _COLLECTED_AND_DETERMINED.match(line.lstrip())


def find_determiners(line: str) -> Agents | None:
    collector_cues = {m.end() for m in _COLLECTOR_CUE.finditer(line)}
    for m in _DETERMINER_CUE.finditer(line):
        if m.start() in collector_cues and fold(m.group(0)).startswith("rev"):
            return None  # "Coll. Rev. A. Brown": a reverend after the collector cue, no revision
    return find_agents_after(_DETERMINER_CUE, line)


# On a determination slip, a line that is a name and perhaps a year, initials' dots lost: "A Haines, 1944".
_SLIP_PERSON = re.compile(
    rf"^\W*(?P<who>(?:[A-Z][.,]?\s*){{1,3}}\s{_SURNAME})\s*[.,]?\s*(?:[12]\d{{3}}\W*)?$"
)


def find_slip_person(line: str) -> Agents | None:
    m = _SLIP_PERSON.match(line)
    if not m:
        return None
    *initials, surname = re.findall(r"[A-Z][\w'’\-]*", m.group("who"))
    name = " ".join([*(f"{i}." for i in initials), smart_title(surname)])
    return Agents([name], m.start("who"), m.end("who"), cued=False) if _plausible([name]) else None


_COLLECTED_AND_DETERMINED = re.compile(  # "Coll. & det.", "leg./det.", "leg. det.", "Det./leg."
    r"(?<![\w])(?:(?:col(?:l|ls|lected)?|leg(?:it)?)\.?\s*(?:&|and|et|y|/)?\s*det"
    r"|det\.?\s*(?:&|and|et|y|/)\s*(?:leg|coll?)(?![^\W\d_]))",
    re.I,
)


def collected_and_determined(line: str) -> bool:
    """ "Coll. & det. J. Smith": the same people are the collectors and the determiners."""
    return _COLLECTED_AND_DETERMINED.search(line) is not None


def numbered_collectors(text: str) -> bool:
    """Names, then a number that is no year, and nothing but a date before them ("A. Bell 1234"): a collector and
    number without a cue, as they stand before a "det." on the same line."""
    found = find_collectors(text)
    if found is None or strip_dates(text[: found.start]).strip(" \t,;:.-"):
        return False
    number = find_record_number(text, after=found.end)
    return number is not None and number != "s.n." and not _year_like(number)


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


# Another role's cue after the collector on one line: the herbarium the packet came from, the chemist
_OTHER_ROLE_CUE = re.compile(
    r"[\s,;]+(?:(?:ex\s+)?(?:hb|herb)\.|(?:ex\s+)?herbarium\b|tlc\b|chem(?:istry)?[.:]|distrib(?:uted)?\b|comm\.)",
    re.I,
)


def before_other_role(line: str) -> str:
    """What stands before another role's cue when it is a collector and number or cued collectors ("A. Bell 1234
    TLC: C. Dunn" → "A. Bell 1234"), else the line."""
    m = _OTHER_ROLE_CUE.search(line)
    if m is None or m.start() == 0:
        return line
    head = line[: m.start()]
    return head if has_collector_cue(head) or numbered_collectors(head) else line


def has_collector_cue(line: str) -> bool:
    return _COLLECTOR_CUE.search(line) is not None


def collector_cue(line: str) -> re.Match[str] | None:
    """Where the collector's cue stands on ``line`` ("Coll.", "Leg.", "Collected by"), if anywhere."""
    return _COLLECTOR_CUE.search(line)


# Characters the reader puts for a digit inside a collector number (synthetic thumbnails, bench/confusions.py and
# ocr_confusions.json: "s>5", "o>0", "i>1"; numbers read "8UO7", "119U9", "144?"). Only between digits of a cued
# number ("No. 4y18"): a series letter or a suffix ("B 2734", "1234a") is never between digits, and a lone "?"
# after the number is the collector's doubt, not a 7. Not "/", though it is often a misread 1: "No. 1234/5" is a
# number with its part.
_DIGIT_MISREADS = str.maketrans("y?lI|OoUsS", "7711100655")
_MISREAD_NUMBER = re.compile(r"\d[\dy?lI|OoUsS]*\d")
# A lower-case "l" opening a cued number of digits is its 1 ("No. l234"): no series is lettered "l".
_LEADING_ELL = re.compile(r"l\d{3,5}")


def repaired_digits(number: str) -> str:
    """A cued number read with letters for some digits, written with the digits ("4y18" -> "4718"): only a token
    of at least four characters that begins and ends with a digit, at most two of them misread and no more than
    its digits; else as read."""
    if _LEADING_ELL.fullmatch(number):
        return "1" + number[1:]
    if not (_MISREAD_NUMBER.fullmatch(number) and len(number) >= 4):
        return number
    misread = sum(not c.isdigit() for c in number)
    if misread <= 2 and misread <= len(number) - misread:
        return number.translate(_DIGIT_MISREADS)
    return number


def repair_cued_numbers(line: str) -> str:
    """``line`` with the numbers after its cues ("No.", "#", "Nr.") written with digits (see ``repaired_digits``)."""
    return _NUMBER_CUE.sub(
        lambda m: m.group(0)[: m.start("num") - m.start()] + repaired_digits(m.group("num")), line
    )


def find_record_number(
    line: str, after: int | None = None, skip: Sequence[tuple[int, int]] = (), after_start: int | None = None
) -> str | None:
    """A collector number on ``line``: "No. 1234", "#1234", "s.n.", or a bare number right after the names
    (which end at ``after``), or in brackets after them, or before them (``after_start``: where they start) on a
    line with nothing else but a date."""
    for m in _NUMBER_CUE.finditer(line):
        if _NOT_RECORD_CUE.search(line[: m.start()]) or any(s <= m.start("num") < e for s, e in skip):
            continue
        return repaired_digits(re.sub(r"\s*&\s*", " & ", m.group("num").rstrip(".,;")))
    if _SINE_NUMERO.search(line, after or 0):  # not the initials of "S. N. F. Sanford"
        return "s.n."
    if after is not None:
        return _number_beside_names(line, after, skip, after_start)
    return None


# What after a short bare number makes it part of a figure: a group of three digits ("1 234", thousands set
# apart by a space) or, after one or two digits, a year (a day whose month was lost: "12 1974")
_THOUSANDS_GROUP = re.compile(r"\s\d{3}(?![\d.,/\-])")
_YEAR_AFTER = re.compile(r"\s+(?:1[6-9]|20)\d\d(?!\d)")


def _part_of_a_figure(line: str, m: re.Match[str]) -> bool:
    num = m.group("num")
    if not num.isdigit() or len(num) > 3:
        return False
    end = m.end("num")
    return bool(_THOUSANDS_GROUP.match(line, end) or (len(num) <= 2 and _YEAR_AFTER.match(line, end)))


def _number_beside_names(
    line: str, after: int, skip: Sequence[tuple[int, int]], after_start: int | None
) -> str | None:
    """A number without a cue beside the names that end at ``after`` (and start at ``after_start``), never
    inside a date of ``skip``: right after them ("A. F. Hill 5696", "12,345"), in brackets, before them on a line
    with only a date besides, before the date ("… 1234  Jan. 3, 1899"), with a series prefix at the line's end,
    or after the date ("…, Jan. 3, 1925, 1234")."""

    def free(m: re.Match[str]) -> bool:
        return not any(s <= m.start("num") < e for s, e in skip)

    m = _THOUSANDS.match(line, after) or _BARE_NUMBER.match(line, after)
    if m and free(m) and not _part_of_a_figure(line, m):
        return m.group("num")
    m = _BARE_NUMBER_IN_PARENS.match(line, after)
    if m and not _year_like(m.group("num")):
        return m.group("num")
    cued = after_start is not None and _CUE_OPENS.fullmatch(line[:after_start]) is not None
    m = _NUMBER_AFTER_STOP.match(line, after) if cued and line[after - 1 : after].islower() else None
    if m and free(m) and not _year_like(m.group("num")):
        return m.group("num")
    m = _NUMBER_FIRST.fullmatch(line[:after_start]) if after_start is not None else None
    if m and not _year_like(m.group("num")) and not re.search(r"[^\W\d_]", strip_dates(line[after:])):
        return m.group("num")
    m = _BARE_NUMBER_BEFORE.match(line, after)
    if m and free(m) and any(s == m.end() for s, _ in skip) and not _part_of_a_figure(line, m):
        return m.group("num")
    m = _PREFIXED_NUMBER_LAST.match(line, after)
    if m:
        return m.group("num")
    if m := _ELL_NUMBER_LAST.match(line, after):
        return repaired_digits(m.group("num"))  # "A. Bell l234": its first 1 read as an ell
    gap_end = len(line) - len(line[after:].lstrip(" \t,;"))
    date_end = next((e for s, e in skip if s == gap_end), None)
    m = _NUMBER_LAST.match(line, date_end) if date_end is not None else None
    if m and not _year_like(m.group("num")):
        return m.group("num")
    return None
