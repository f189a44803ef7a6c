"""Name patterns of people on label lines (initials, surnames, titles, lists) and whether names are plausible."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from herbproc.fields.places import is_place_name
from herbproc.fields.text import fold, is_all_caps, smart_title

# Old labels shorten common given names as initials are shortened: "Wm. Harris", "Geo. V. Nash", "Chas. Wright".
_GIVEN_SHORT = "Wm Geo Chas Thos Jas Jno Saml Robt Edw Benj Alex Richd Danl Jos Wil Fredk Nathl".split()
_GIVEN_SHORT_RE = "|".join(_GIVEN_SHORT + [w.upper() for w in _GIVEN_SHORT])
INITIALS = rf"(?:(?:[A-Z]|{_GIVEN_SHORT_RE})\.\s?-?\s?){{1,4}}"
# a surname's particles as printed, in any case, after initials or a first name: "J. de la Cruz", "F. De La Rosa",
# "H. VAN DER WERFF", "Carlos De La Torre" (not after a word in capitals: "FLORE DU QUEBEC" is no one)
_PARTICLE = r"(?:(?i:de|da|del|della|des|du|van|von|der|den|ter|le|la)\s+){0,2}"
_NOT_NAME = (
    # "Long" is a longitude's caption only before its value ("Long. 72°", "Long: 72", "Long 72° W"); "Fernald &
    # Long 1234" is a surname
    r"(?!(?i:long)(?:\s*[.:]|\s*\d+(?:[.,]\d+)?\s*[°º'’]|\s*\d+(?:[.,]\d+)?\s*[EW](?![^\W\d_])))"
    r"(?!(?i:Near|Along|From|The|And|With|Above|Below|Into|In|At|On|Of|By|Over|Under|Between|Around|"
    r"Jr|Sr|No|Nos|Nr|Num|Number|Date|Det|Bro|Dr|Prof|Hno|Hna|Mrs|Mr|Coll|Leg|Loc|Alt|Elev|Hab|Lat|January|February|March|April|May|"
    r"June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
    r"(?![^\W\d_]))"  # the word ends there, a number may follow: "J. Smith No1234"
)
SURNAME = _NOT_NAME + r"(?:(?:Mc|Mac|O'|D'|O’|De|Di|Du|La|Le|Van|Von)?[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?|[A-Z][A-ZÀ-ÖØ-Þ'’\-]+[A-ZÀ-ÖØ-Þ'’])"
# ... nor a preposition or an article heading a place or a cue: "Near Lincoln", "By Walter Kiener"
_NOT_FIRST = (
    r"(?!(?i:Coll?s?|Leg|Det|No|Nr|Num|Loc|Hab|Alt|Elev|Lat|Long|Date|Fecha|Flora|Plants?|Plantae|Plantæ|Plantas|Plantes|Herb|By|Near|Along|From|The"
    r"|Iter|Moyen|Haut|Haute"  # "Iter Hispanicum" (a journey's title), "Moyen Atlas", "Haute Savoie": no first name
    r"|Saint|Sainte|San|Santa|Santo|S[aã]o"  # "Saint-Jean Baptiste", "San Juan Bautista": a place's saint
    r"|And|With|Above|Below|Into|In|At|On|Of|Over|Under|Between|Around|Beside|Behind|Toward|Towards|Across)(?![^\W\d_]))"
)
# ... nor the name after a place's saint: "Juan Bautista" of "San Juan Bautista"
_AFTER_SAINT = "".join(rf"(?<!{w}[\s-])" for w in ("San", "Santa", "Santo", "Saint", "Sainte", "São", "Sao"))
_FIRST = _NOT_FIRST + _AFTER_SAINT + r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]*)?"  # hyphenated: "Jean-Pierre", "Ching-I"
# A title before a name is part of it: "Dr. Mabel Quiring", "Bro. Anselmo", "Hno. Teodoro" (Brother, in Spanish),
# "Sister M. Vincent".
_ONE_TITLE = r"(?:(?i:bro|dr|prof|hno|hna|mrs|mr|rev|fr)\.{1,2}|(?i:brother|sister|miss|padre|frère|frere|fray))\s*"
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
    "Centre Center Centro Institut Instituto Laboratoire Laboratorio Recherches Research Jardin Société Sociedad "
    "Universidad Université Museo Musée Herbario Estación "
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
# A given name with its particle and the surname after it, where the name ends: "Juan de Dios Rodríguez", "M.
# Vincent de Paul McGivney" (not "A. van der Berg Elmvale …": only before the line's end, a comma, a number or
# the next name)
_PARTICLES_SURNAMES = (
    rf"(?:(?i:de|da|del|della|des|du|van|von|der|den|ter|le|la)\s+){{1,2}}{SURNAME}\s+{_NOT_PLACE}{SURNAME}"
    r"(?=\s*(?:$|[,;&(]|\d|(?:and|et|y|with)\s))"
)
# a nickname in quotation marks between the first name and the surname: Michael "J.C." Murphy
_NICKNAME = r"\s*[“\"‘][A-Za-z. ]{1,12}[”\"’]\s*"
# A person with initials or a first name: "M. L. Fernald", "J.R. Churchill", "Douglas McGrady", "Mary E. Smith",
# "R. Dale Thomas" (an initial, then the name used; not "A. B. Eaton So.61", a misread "No." glued to its
# number); never from the middle of a word ("ST. THOMAS" holds no "T. Thomas").
_PERSON_CORE = (
    rf"(?:{INITIALS}{_FIRST}\s+{_PARTICLES_SURNAMES}|{INITIALS}{_FIRST}\s+{_PARTICLE}{_NOT_PLACE}{SURNAME}(?!\.\s?\d)"
    rf"|{INITIALS}{_PARTICLE}{SURNAME}|{_NOT_PLACE}{_FIRST}\s+(?:{INITIALS}|{_FIRST}\s+)?{_PARTICLES_SURNAMES}"
    rf"|{_FIRST}\s+(?:{INITIALS}|{_FIRST}\s+)?{_PARTICLE}{SURNAME}|{_FIRST}{_NICKNAME}{SURNAME})"
)
PERSON = rf"(?<![\w'’])(?:(?:{_TITLE})?{_PERSON_CORE}|{_TITLE}{_PARTICLE}{SURNAME}(?![\w'’-]|\s+[A-Z]\.\s?[A-Z])){_SUFFIX}"
# Initials standing before "&" (or "et", "and", "y") and more initials share the surname that follows: "R. A. & E.
# S. Howard", "J. M. et B. Reitsma"; so do a first name and its initial before "&" and another first name: "Ines
# R. & Pablo Ortega".
_SHARED_INITIALS = (
    rf"(?<![\w'’])(?:{INITIALS}(?=\s*(?:&|(?:et|and|y|und)\s)\s*{INITIALS}{_PARTICLE}{SURNAME})"
    rf"|{_FIRST}\s+{INITIALS}(?=\s*&\s*(?:{_TITLE})?{_FIRST}\s+(?:{INITIALS})?{_PARTICLE}{SURNAME}))"
)
# a particle is no surname: "CARLOS DE LA TORRE" holds no "Carlos de"
_CAPS_PARTICLE = r"(?:DE|DA|DEL|DELLA|DES|DU|VAN|VON|DER|DEN|TER|LE|LA)"
# A person in capitals without initials first: "STEWARDSON BROWN", "GEORGE V. NASH", "Dr. EDGAR A. MEARNS" (on a
# line of names, after a cue, or before a number); a title and a name in capitals is no surname ("Dr. EDGAR").
CAPS_PERSON = rf"(?<![\w])(?:{_TITLE})?(?!(?:THE|AND|NEAR|FROM|WITH|ALONG|ABOVE|BELOW|OVER|UNDER|FOR|INTO)\s)[A-Z][A-ZÀ-ÖØ-Þ]{{2,}}(?:\s+[A-Z]\.)?\s+{_NOT_NAME}(?!{_CAPS_PARTICLE}(?![\w]))[A-Z][A-ZÀ-ÖØ-Þ'’\-]+(?![\w]){_SUFFIX}"
# ... and with particles, after a cue only ("Coll. CARLOS DE LA TORRE"): alone on a line, "FLORE DU QUEBEC" is a title
CAPS_PERSON_PARTICLES = (
    rf"(?<![\w])[A-Z][A-ZÀ-ÖØ-Þ]{{2,}}\s+(?:{_CAPS_PARTICLE}\s+){{1,2}}[A-Z][A-ZÀ-ÖØ-Þ'’\-]+(?![\w]){_SUFFIX}"
)
# After an explicit cue a bare surname is a person too: "leg. Fernald".
PERSON_OR_SURNAME = rf"(?:{_SHARED_INITIALS}|{PERSON}|{CAPS_PERSON_PARTICLES}|{CAPS_PERSON}|{SURNAME})"
# German "u." (und) and Portuguese and Italian "e" join names too; "e" only before an initial ("A. Bell e C. Dunn"),
# not inside a surname ("Sousa e Silva")
JOIN = r"(?:\s*,\s*(?:and\s+|AND\s+|with\s+|&\s*)?|\s*&\s*|(?:\s+|(?<=\s))(?:and|AND|et|und|u\.|y|with|e(?=\s+[A-Z]\.))\s+)"
# "and others" after the names: "J. Smith et al.", "J. Smith et. al.", "J. Smith & al." (kept, written "et al.":
# the label names no more people)
_ET_AL_TAIL = r"\s*,?\s*(?:et\.?|&)\s*al(?:ii|\.)?(?![\w])"
ET_AL = rf"(?:{_ET_AL_TAIL})?"
_ET_AL_END = re.compile(_ET_AL_TAIL + r"\s*$")
_PEOPLE = rf"(?P<people>{PERSON_OR_SURNAME}(?:{JOIN}{PERSON_OR_SURNAME}){{0,11}}{ET_AL})"
_PEOPLE_STRICT = (
    rf"(?P<people>(?:{_SHARED_INITIALS}|{PERSON})(?:{JOIN}(?:{_SHARED_INITIALS}|{PERSON})){{0,11}}{ET_AL})"
)


PEOPLE_AFTER_CUE = re.compile(_PEOPLE)
PEOPLE_STRICT_RE = re.compile(_PEOPLE_STRICT)
_PERSON_SPLIT = re.compile(JOIN)


NON_PERSON_WORDS = {fold(w) for w in _PLACE_WORDS}
_LONG_NON_PERSON = sorted(w for w in NON_PERSON_WORDS if len(w) >= 5)


@dataclass(frozen=True)
class Agents:
    names: list[str]
    start: int
    end: int
    cued: bool  # found after an explicit cue ("Coll.", "leg.", "Det.")


_SHARING_SURNAME = re.compile(rf"^(?:{_FIRST}\s+)?{INITIALS}$")  # "R. A." / "Ines R." before "&"
_SUFFIX_ONLY = re.compile(r"^(?:Jr|Sr|JR|SR)\.?$|^(?:II|III|IV)$")


# A first name alone before "&" and another first name with the surname they share: "Stephen & Sandra Talbot",
# one agent as written (not "Stephen" alone); only at the list's start or after a comma or a semicolon
# ("Stephen Talbot & Sandra Looman" are two)
_COUPLE = re.compile(
    rf"(?:^|(?<=,\s)|(?<=;\s))(?P<first>{_FIRST})\s*&\s*"
    rf"(?=(?:{_TITLE})?{_FIRST}\s+(?:{INITIALS})?{_PARTICLE}{SURNAME}(?![\w'’-]))"
)
_KEPT_AND = "\x00"  # the couple's "&", which the list's split must not cut at


_LEADING_TITLE = re.compile(rf"(?:{_TITLE})(?=[A-Z])")


def _title_cased(name: str) -> str:
    """A name printed in capitals in title case, a title before it too ("Dr. EDGAR A. MEARNS" → "Dr. Edgar A.
    Mearns")."""
    title = None if is_all_caps(name) else _LEADING_TITLE.match(name)
    return name[: title.end()] + smart_title(name[title.end() :]) if title else smart_title(name)


def _quoted_nickname(m: re.Match[str]) -> str:
    return ' "' + m[0].strip(' “”‘’"') + '" '


def split_people(text: str) -> list[str]:
    """The people of a list, one string each; initials sharing the next surname stay with it ("R. A. & E. S.
    Howard": the label does not say whether the first one's surname is the same, so it is kept as written) and a
    "Jr." stays with its name."""
    others = _ET_AL_END.search(text)
    if others:
        text = text[: others.start()]
    text = _COUPLE.sub(r"\g<first>" + _KEPT_AND, text)
    parts = [re.sub(r"\s+", " ", p.strip(" ,;&")).replace(_KEPT_AND, " & ") for p in _PERSON_SPLIT.split(text)]
    parts = [re.sub(r"\b([A-Z])\.(?=[A-Z][A-Za-z'’]+)", r"\1. ", p) for p in parts]  # "J. F.COWELL"
    parts = [re.sub(r"\.{2,}\s*", ". ", p) for p in parts]  # "Hno..Teodoro": a doubled dot
    parts = [re.sub(r"([a-z])\1{2,}", r"\1\1", p) for p in parts]  # "Bisselll": no name has a letter thrice
    parts = [_DOT_SUFFIX.sub(r", \1", p) for p in parts]  # "Moss. Jr.": the comma read as a dot
    parts = [re.sub(_NICKNAME, _quoted_nickname, p) for p in parts]  # 'Michael “J.C."Murphy': Michael "J.C." Murphy
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
    out = [_ROMAN_SUFFIX.sub(lambda m: m[0].upper(), _title_cased(p)) for p in out]
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
_LEADING_INITIALS = re.compile(rf"^{INITIALS}")
# Words that open a place's name where a first name would stand: "Santo Domingo", "Puerto Plata", "Sierra Maestra".
_PLACE_OPENERS = {
    fold(w)
    for w in (
        "San Santa Santo São Sao Puerto Porto Sierra Cerro Río Rio Villa Ciudad Monte Punta Cayo Isla Isle Île Ile "
        "Loma Lomas Pico Bahía Bahia Laguna Arroyo Playa Cabo Costa Morne Pointe Mont Anse Baie Cap Fond Paso Valle "
        "Llano Llanos Boca Barrio Hacienda Finca Quebrada Cañada Cueva Salto Lago Pampa Colonia Nueva Nuevo "
        "Piedra Piedras Sabana Potrero Rancho Paraje Puente Ensenada Hato "
        "La Las Los El Le Les"
    ).split()
}
_MIDDLE_INITIAL = re.compile(r"^[A-Z][a-zà-ÿ]+\s+(?:[A-Z]\.\s?)+[\w'’\-]+$")


_GLUED_WORD = 16  # letters: longer than any given name or surname written as one word


def plausible(names: list[str]) -> bool:
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
        return not set(words) & NON_PERSON_WORDS and not _misread_non_person(words)

    return bool(names) and all(person(n) for n in names)


def _misread_non_person(words: list[str]) -> bool:
    """Every word (of five letters or more, two words or more) one letter misread from a word of places,
    institutions or projects: "Floca Progect" (Flora Project misread), no one's name; a letter more or less is a
    name's spelling ("Forrest Rivera")."""
    if len(words) < 2 or any(len(w) < 5 for w in words):
        return False
    return all(any(len(w) == len(n) and Levenshtein.distance(w, n) == 1 for n in _LONG_NON_PERSON) for w in words)


INVERTED = re.compile(rf"(?P<surname>{SURNAME}),\s*(?P<initials>{INITIALS})(?=\s*(?:$|[;(]|\d|s\.\s?n))")
_ONE_INVERTED = rf"{SURNAME},\s*{INITIALS}"
# Several turned round after a cue: "Leg.: SMITH, J. & JONES, K.", "Coll. Smith, J.; Jones, K. 1234" (what follows
# does not matter: a line ending in initials may have taken the next line in).
INVERTED_LIST = re.compile(
    rf"(?P<list>{_ONE_INVERTED}(?:\s*(?:&|;|and\b|et\b|y\b)\s*{_ONE_INVERTED}){{1,4}})"
)
INVERTED_ONE = re.compile(rf"(?P<surname>{SURNAME}),\s*(?P<initials>{INITIALS})")


_ANY_PERSON = rf"(?:{_SHARED_INITIALS}|{PERSON}|{CAPS_PERSON})"
_PEOPLE_LINE = re.compile(rf"\W*(?P<people>{_ANY_PERSON}(?:{JOIN}{_ANY_PERSON}){{0,11}}{ET_AL})")
# a brace set beside the names, read as a bracket: "N. L. BRITTON(", "E. G. BRITTON }"
_DANGLING_JOIN = re.compile(r"(?:\s*,?\s*(?:and|&|with|et))?[\s,;:]*[(){}\[\]]?\s*$", re.I)
# the last of a name's initials in capitals, its dot not read: "N. L BRITTON"
_LAST_INITIAL_UNDOTTED = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){1,3}([A-Z])\s+(?=[A-Z]{3,}\W*$)")


def find_people_line(line: str) -> Agents | None:
    """A line that holds nothing but names ("N. L. BRITTON", "Elbert L. Little, Jr.,and", "J. F.COWELL"); what
    a caption ("COLLECTORS") above or below it says they are."""
    text = _DANGLING_JOIN.sub("", line)
    found = _people_line(text)
    if found is None and (m := _LAST_INITIAL_UNDOTTED.search(text)) is not None:
        found = _people_line(text[: m.end(1)] + "." + text[m.end(1) :])
        if found is not None:  # where the line's own text ends, one dot shorter
            found = Agents(found.names, found.start, found.end - 1, cued=False)
    return found


def _people_line(text: str) -> Agents | None:
    m = _PEOPLE_LINE.fullmatch(text)
    if m is None:
        text = text.rstrip(".")
        m = _PEOPLE_LINE.fullmatch(text)
    if m is None:
        return _people_apart(text)
    names = split_people(m.group("people"))
    return Agents(names, m.start("people"), m.end("people"), cued=False) if plausible(names) else None


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
    return Agents(names, start, len(text.rstrip()), cued=False) if plausible(names) else None
