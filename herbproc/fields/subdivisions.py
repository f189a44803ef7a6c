"""Other countries' ISO 3166-2 subdivisions on labels: by their word, heading a line, provinces, compass parts."""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

import pycountry

from herbproc.fields.countries import COUNTRY_FORMS, country_of_code
from herbproc.fields.country_forms import older_forms_of
from herbproc.fields.states import CA_PROVINCES, US_STATES
from herbproc.fields.taxon import confusion_costs
from herbproc.fields.text import fold, is_all_caps, smart_title


class SubdivisionMatch(NamedTuple):
    name: str  # ISO 3166-2 name, without a parenthesised alternative: "Distrito Nacional"
    code: str  # ISO 3166-2 code: "DO-01"
    start: int
    end: int
    cued: bool  # "Prov. Samaná", "Parish of St. George", "Puerto Plata Province"


ADMIN_WORD = (
    r"(?:prov(?:ince|incia|\.)?|parish|district|distrito|d[ée]pt\.?|depto\.?|dpto\.?|department|departamento|"
    r"d[ée]partement|d[ée]p\.|estado|edo\.|est\.|pcia\.|state|region|regi[oó]n|municipio|canton|governorate|oblast|"
    r"territorio|territory|intendencia|comisar[ií]a|quarter|quartier)"
)  # "Depto." / "Dpto." (departamento), "Dépt." / "Dép." (département), "Edo." (estado), "Est." (estado,
# Portuguese), "Pcia." (provincia); "Territorio de Quintana Roo", "Intendencia del Meta": a division's older kind;
# "Quarter of Castries" (Saint Lucia's quarters, ISO's districts)
# A division's word and its link at the start of a text: "Dept. ", "Estado de ", "Prov. of "
LEADING_ADMIN_WORD = re.compile(rf"^\W*{ADMIN_WORD}\s*(?:of|de|del|du|do|da|di)?\s*(?=\w)", re.I)
_ADMIN_BEFORE = re.compile(
    rf"{ADMIN_WORD}\s*(?:of|de|del|du|des|de\s+la|de\s+l['’]|do|da|di)?\s*:?\s*$", re.I
)  # "Estado do Paraná", "Prov. di Trento"
_ADMIN_AFTER = re.compile(rf"(?:['’]s)?\s*{ADMIN_WORD}(?!\w)", re.I)  # "St. Ann's Parish" too


@cache
def _subdivision_patterns(country_code: str) -> list[tuple[re.Pattern[str], str, str, bool]]:
    """(pattern, name, code, named as the country) for every ISO 3166-2 subdivision of a country (every level:
    the Dominican Republic's provinces are second-level, under regions), longest first."""
    out = []
    for sub in pycountry.subdivisions.get(country_code=country_code) or []:
        names = subdivision_names(sub.name)
        for form in names + list(older_forms_of(sub.code)):  # an older spelling gives the ISO name
            if len(form) < 3:
                continue
            name = form if form in names else names[-1]
            words = [re.escape(w) for w in fold(form).split()]
            body = r"\s*".join(words).replace(r"saint\s*", r"(?:saint|st\.?|ste?\.?)\s*")
            same = fold(name) == fold(country_of_code(country_code))
            out.append((re.compile(rf"(?<![\w]){body}(?![\w])"), name, sub.code, same))
    return sorted(out, key=lambda p: -len(p[0].pattern))


# The part of an ISO 3166-2 name that labels leave out: a Chinese province's or region's kind ("Sichuan
# Sheng", "Guangxi Zhuangzu Zizhiqu"), the patron of a Mexican state's official name ("Michoacán de Ocampo").
_SUBDIVISION_TAIL = re.compile(
    r"(?:\s+(?:Huizu|Zhuangzu|Uygur))?\s+(?:Sheng|Shi|Zizhiqu|SAR)$|\s+de\s+(?:Ocampo|Zaragoza|Ignacio de la Llave)$"
)


def subdivision_names(iso_name: str) -> list[str]:
    """The ISO 3166-2 name without a parenthesised alternative, and its short form where labels use one."""
    name = re.sub(r"\s*[(\[].*?[)\]]", "", iso_name).strip()
    short = _SUBDIVISION_TAIL.sub("", name)
    return [name, short] if short != name else [name]


# Federations whose labels head the place with the state or province and may leave the country to a printed
# header ("OAXACA. Sierra de Juárez …", "QUEENSLAND: Cairns"); their division names are no English words.
_HEADING_COUNTRIES = ("MX", "BR", "AR", "AU", "IN", "CN")
# Names a heading may carry for another place: generic Spanish ones ("San Juan", "Distrito Federal") and
# cities elsewhere (Victoria, B.C.; Delhi, N.Y.).
_NOT_A_HEADING = re.compile(r"(?:san|santa|sao|distrito|ciudad|victoria|delhi)\b")


@cache
def _first_level_index() -> dict[str, tuple[str, str]]:
    """Folded name → (Darwin Core name, ISO 3166-2 code) of the first-level divisions of ``_HEADING_COUNTRIES``
    whose name no other first-level division in the world, no country and no US state or Canadian province
    shares."""
    seen: dict[str, set[tuple[str, str]]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            names = subdivision_names(sub.name)
            for name in names:
                seen.setdefault(fold(name), set()).add((name, sub.code))
            for form in older_forms_of(sub.code):
                seen.setdefault(fold(form), set()).add((names[-1], sub.code))
    taken = set(COUNTRY_FORMS) | {fold(n) for table in (US_STATES, CA_PROVINCES) for n in table}
    return {
        k: next(iter(v))
        for k, v in seen.items()
        if len(v) == 1
        and k not in taken
        and len(re.sub(r"\W", "", k)) >= 5
        and next(iter(v))[1][:2] in _HEADING_COUNTRIES
        and not _NOT_A_HEADING.match(k)
    }


# A division heading a place in capitals, before its first stop: "OAXACA. 12 km N of …", "STATE OF JALISCO:".
_HEADING = re.compile(
    r"^\W*(?P<cue>(?:STATE|ESTADO|PROVINCE|PROVINCIA|PROV\.)\s*(?:OF|DE|DEL)?\s+)?"
    r"(?P<name>[A-ZÀ-Ý][A-ZÀ-Ý'’ \-]*?[A-ZÀ-Ý])(?P<after>\s+(?:PROV\.|PROVINCE|STATE|ESTADO)(?=\W|$))?"
    r"\s*(?:[.:,;—–]|\s-|$)"
)  # the word after the name too: "KWANGTUNG PROV.: Lofaushan"
# ... or in lower case with its colon: "Nayarit: Isabel Island, E of Tres Marias Is."
_HEADING_COLON = re.compile(r"^\W*(?P<name>[A-ZÀ-Ý][a-zà-ÿ'’\-]+(?:\s+(?:de\s+|del\s+)?[A-ZÀ-Ý][a-zà-ÿ'’\-]+){0,2})\s*:")


def find_heading_subdivision(line: str) -> SubdivisionMatch | None:
    """A state or province of a federation (``_HEADING_COUNTRIES``; ISO 3166-2, a name no other division
    shares) that heads ``line`` in capitals before its first stop ("MICHOACAN. 8 km S of …"); for a label that
    names no country, or in lower case before its colon ("Nayarit: Isabel Island"). The match's code tells the
    country."""
    if not isinstance(line, str) or not (m := _HEADING.match(line) or _HEADING_COLON.match(line)):
        return None
    hit = _first_level_index().get(fold(" ".join(m.group("name").split())))
    if hit is None:
        return None
    cued = bool(m.groupdict().get("cue") or m.groupdict().get("after"))
    return SubdivisionMatch(hit[0], hit[1], m.start("name"), m.end("name"), cued)


def find_heading_of(line: str, country_code: str) -> SubdivisionMatch | None:
    """A subdivision of ``country_code`` that heads ``line`` in capitals before its first stop, the whole heading
    ("SAN LUIS POTOSI. 8 km N of …" under "MEXICO"); for a label that names the country elsewhere."""
    if not isinstance(line, str) or not country_code or not (m := _HEADING.match(line)):
        return None
    name = " ".join(m.group("name").split())
    sub = find_subdivision(name, country_code)
    if sub is None or sub.start != 0 or sub.end != len(name) or fold(name) == fold(country_of_code(country_code)):
        return None
    return SubdivisionMatch(sub.name, sub.code, m.start("name"), m.end("name"), bool(m["cue"] or m["after"]))


def find_subdivision(text: str, country_code: str) -> SubdivisionMatch | None:
    """The first ISO 3166-2 subdivision of ``country_code`` named in ``text`` (case and accents folded,
    "St." for "Saint"); ``cued`` when an administrative word stands before or after it."""
    if not isinstance(text, str) or not text or not country_code:
        return None
    folded = fold(text)
    if len(folded) != len(text):
        folded = text.lower()
    best: SubdivisionMatch | None = None
    for pattern, name, code, same in _subdivision_patterns(country_code):
        for m in pattern.finditer(folded):
            if best is not None and m.start() >= best.start:
                break
            cued = bool(
                _ADMIN_BEFORE.search(text[: m.start()])
                or _ADMIN_AFTER.match(text, m.end())
                or re.match(ADMIN_WORD, fold(name))  # "Distrito Nacional"
            )
            if same and not cued:
                continue  # the country's own name ("MEXICO"); with its word the state ("Estado de México")
            if len(name) < 4 and not _ADMIN_BEFORE.search(text[: m.start()]):
                continue  # a short name only right after its word: "Dépt. du Sud", "Dép. du Var"
            best = SubdivisionMatch(name, code, m.start(), m.end(), cued)
            break
    return best


# a division's word and the words after it up to the next stop or digit: "prov. San Juam", "Parish of St Andrw",
# "Parish: WESTMRELAND" (a form's caption)
_NAME_AFTER_WORD = re.compile(
    rf"(?<![\w]){ADMIN_WORD}\s*:?\s*(?:of|de|del|du|do|da|di)?\s+(?P<name>[^\W\d_][^\W\d_'’\-]*(?:\s+[^\W\d_][^\W\d_'’\-]*){{0,3}})",
    re.I,
)
NEAR_DIVISION_AT = 0.85  # a name after a division's word this similar (the reader's confusions) to one division
NEAR_DIVISION_MARGIN = 0.1  # ... and this much more than to any other of the country's is that division misread
NEAR_DIVISION_LETTERS = 5  # ... when it has at least this many letters


@cache
def _division_keys(country_code: str) -> dict[str, dict[str, str]]:
    """ISO 3166-2 code → {folded name or older form: Darwin Core name} of every subdivision of a country."""
    out: dict[str, dict[str, str]] = {}
    for sub in pycountry.subdivisions.get(country_code=country_code) or []:
        names = subdivision_names(sub.name)
        for form in names + list(older_forms_of(sub.code)):
            out.setdefault(sub.code, {})[fold(form)] = form if form in names else names[-1]
    return out


def near_subdivision(text: str, country_code: str) -> SubdivisionMatch | None:
    """A subdivision of ``country_code`` named after its kind's word but misread by the reader ("prov. San
    Juam"): the one subdivision the words after the word (their first one to four, at least
    ``NEAR_DIVISION_LETTERS`` letters) are nearest by the reader's confusions; None when none is that near."""
    if not isinstance(text, str) or not country_code or not (keys := _division_keys(country_code)):
        return None
    costs = confusion_costs()
    for m in _NAME_AFTER_WORD.finditer(text):
        words = m["name"].split()
        for n in range(len(words), 0, -1):
            reading = fold(" ".join(words[:n]))
            if len(reading.replace(" ", "")) < NEAR_DIVISION_LETTERS:
                continue
            ranked = sorted(
                ((max(costs.similarity(key, reading) for key in forms), code) for code, forms in keys.items()),
                reverse=True,
            )
            (best, code), second = ranked[0], (ranked[1][0] if len(ranked) > 1 else 0.0)
            if best >= NEAR_DIVISION_AT and best - second >= NEAR_DIVISION_MARGIN:
                forms = keys[code]
                name = forms[max(forms, key=lambda key: costs.similarity(key, reading))]
                end = m.start("name") + len(" ".join(words[:n]))
                return SubdivisionMatch(name, code, m.start("name"), end, True)
    return None


# A province that a province word names on the label but ISO 3166-2 does not list (a historical or renamed one:
# "Provincia Pacificador"): only the province words, not "department" / "district" / "region", which name
# institutions ("Department of Biology") and other levels as often.
_PLACE_WORD = r"[A-ZÀ-Ý][\w'’\-]*"
_PLACE_NAME = rf"(?P<name>{_PLACE_WORD}(?:\s+(?:(?:de|del|la|las|los|el)\s+)?{_PLACE_WORD}){{0,3}})"
_CUED_PROVINCE = [
    re.compile(
        rf"(?<![\w.])(?:Prov\.|Pcia\.|Provincia|Province|PROV\.|PCIA\.|PROVINCIA|PROVINCE)\s*(?:of|de|del|OF|DE|DEL)?\s+{_PLACE_NAME}"
    ),
    re.compile(rf"(?<![\w.]){_PLACE_NAME}\s+(?:Province|PROVINCE)(?!\s+of)(?!\w)"),
]


def find_cued_province(text: str) -> tuple[str, int, int] | None:
    """(name, start, end) of a province a province word names ("Provincia Pacificador", "Prov. de Santiago",
    "Pacificador Province"), whatever the gazetteer says; in capitals the name is title-cased."""
    if not isinstance(text, str) or not text:
        return None
    for pattern in _CUED_PROVINCE:
        m = pattern.search(text)
        if m:
            name = m.group("name")
            return (smart_title(name) if is_all_caps(name) else name), m.start("name"), m.end("name")
    return None


# A municipio the label names ("Municipio Orocovis"): the first level below a country whose ISO 3166-2 lists
# no subdivisions (Puerto Rico); elsewhere a second level (Mexico, Colombia), read by no one here.
_CUED_MUNICIPIO = re.compile(
    rf"(?<![\w.])(?:(?:Municipio|MUNICIPIO)\s+|(?:Mun|MUN|Mpio|MPIO|Mpo)\.\s*)(?:(?:de|DE)\s+)?{_PLACE_NAME}"
)  # "Mun." / "Mpio." abbreviate it


def find_first_level_municipio(text: str, country_code: str) -> tuple[str, int, int] | None:
    """(name, start, end) of a municipio that "Municipio" names in ``text``, when ``country_code``'s ISO 3166-2
    lists no subdivisions (so the municipio is the first level below the country); in capitals title-cased."""
    if not isinstance(text, str) or pycountry.subdivisions.get(country_code=country_code):
        return None
    m = _CUED_MUNICIPIO.search(text)
    if m is None:
        return None
    name = m.group("name")
    return (smart_title(name) if is_all_caps(name) else name), m.start("name"), m.end("name")


# A place that ISO 3166-2 lists only in compass parts ("North Darfur", "South Darfur", "West Darfur"): labels
# name the whole ("Darfur"; an island's with its word: "… Island"), one division to the reader. Not a whole that is a common word
# ("Northern Province", "Upper River", "East").
_COMPASS_PART = re.compile(
    r"^(?:North|South|East|West|Central|Upper|Lower|Northern|Southern|Eastern|Western)\s+(?P<whole>.+)$"
)
_NOT_A_WHOLE = {"province", "region", "river", "east", "west", "highlands", "cape"}
_ISLAND_WORD = r"(?:\s+(?:islands?|isl\.|isla|ile|isle)(?!\w))?"


@cache
def _compass_wholes(country_code: str) -> list[re.Pattern[str]]:
    """Patterns of the wholes of ``country_code``'s subdivisions split in two compass parts or more, an island
    word after them included; longest first."""
    parts: dict[str, int] = {}
    for sub in pycountry.subdivisions.get(country_code=country_code) or []:
        if m := _COMPASS_PART.match(sub.name):
            parts[fold(m["whole"])] = parts.get(fold(m["whole"]), 0) + 1
    wholes = [w for w, n in parts.items() if n >= 2 and len(w) >= 4 and w not in _NOT_A_WHOLE | set(COUNTRY_FORMS)]
    bodies = [r"\s*".join(map(re.escape, w.split())) for w in wholes]
    patterns = [re.compile(rf"(?<![\w]){body}{_ISLAND_WORD}(?![\w])", re.I) for body in bodies]
    return sorted(patterns, key=lambda p: -len(p.pattern))


def find_compass_whole(text: str, country_code: str) -> tuple[str, int, int] | None:
    """(name as written, start, end) of the first place in ``text`` that ISO 3166-2 lists for ``country_code``
    only in compass parts ("Darfur" for North, South, East … Darfur); in capitals title-cased."""
    if not isinstance(text, str) or not text or not country_code:
        return None
    best = None
    for pattern in _compass_wholes(country_code):
        for m in pattern.finditer(text):
            before = text[: m.start()].split()
            if before and re.fullmatch(r"[A-Z][A-Za-z]+", before[-1]) and before[-1].lower() not in ("of", "the"):
                continue  # "Jebel Kordofan": another place, the whole's name qualified
            if best is None or m.start() < best.start():
                best = m
            break
    if best is None:
        return None
    name = best.group(0)
    return (smart_title(name) if is_all_caps(name) else name), best.start(), best.end()
