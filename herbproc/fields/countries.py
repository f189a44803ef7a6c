"""Countries on labels: ISO 3166-1 (pycountry) and label forms, territories and their states, regions."""

from __future__ import annotations

import re
from typing import NamedTuple

import pycountry

from herbproc.fields.country_forms import EXONYMS
from herbproc.fields.states import StateMatch, find_states, loose
from herbproc.fields.text import fold

# Country names labels use that ISO 3166-1 (pycountry) does not list: older, vernacular and short forms, and
# "U.S.A." styles. Each maps to an ISO 3166-1 alpha-2 code; the Darwin Core name comes from the code.
COUNTRY_ALIASES: dict[str, str] = {
    "united states of america": "US", "united states": "US", "u.s.a.": "US", "u. s. a.": "US", "u.s.a": "US", "usa": "US",
    "u.s.": "US", "england": "GB", "scotland": "GB", "wales": "GB", "great britain": "GB", "britain": "GB",
    "brasil": "BR", "deutschland": "DE", "italia": "IT", "espana": "ES", "holland": "NL", "russia": "RU",
    "korea": "KR", "porto rico": "PR", "rep. dominicana": "DO", "republica dominicana": "DO",
    "bahama islands": "BS", "bahama": "BS", "st. lucia": "LC", "st. kitts": "KN", "st. vincent": "VC",
    "st lucia": "LC", "st kitts": "KN", "st vincent": "VC", "saint kitts": "KN", "saint vincent": "VC",
    "barbadoes": "BB", "bermudas": "BM", "cayman is.": "KY", "turks & caicos": "TC", "trinidad & tobago": "TT",
    "dominican rep.": "DO", "virgin is.": "VI", "caicos island": "TC", "turks island": "TC",
    "turks islands": "TC", "caicos islands": "TC", "turks and caicos": "TC", "hayti": "HT", "british guiana": "GY",
    "dutch guiana": "SR", "british honduras": "BZ", "ceylon": "LK", "burma": "MM", "siam": "TH", "formosa": "TW",
    "persia": "IR", "virgin islands": "VI",
    # Former names old labels use for one country today (not those of states that split: Yugoslavia, U.S.S.R.)
    "tanganyika": "TZ", "tanganyika territory": "TZ", "zanzibar": "TZ", "belgian congo": "CD", "congo belge": "CD",
    "zaire": "CD", "surinam": "SR", "gold coast": "GH", "abyssinia": "ET", "dahomey": "BJ", "upper volta": "BF",
    "basutoland": "LS", "bechuanaland": "BW", "nyasaland": "MW", "swaziland": "SZ", "southern rhodesia": "ZW",
    "rhodesia": "ZW", "northern rhodesia": "ZM", "east pakistan": "BD", "netherlands indies": "ID",
    "dutch east indies": "ID", "netherlands east indies": "ID", "malaya": "MY", "federated malay states": "MY",
    "ivory coast": "CI", "cape verde islands": "CV", "philippine islands": "PH", "french sudan": "ML",
    "anglo-egyptian sudan": "SD", "danish west indies": "VI", "mesopotamia": "IQ", "transjordan": "JO",
    "annam": "VN", "tonkin": "VN", "cochin china": "VN", "canary islands": "ES", "azores": "PT",
    "st. vincents": "VC", "st vincents": "VC", "st. kitt's": "KN", "st kitt's": "KN", "st. kitt’s": "KN",
    "d.w.i.": "VI", "d. w. i.": "VI", "virgin islands (u.s.)": "VI", "virgin islands of the united states": "VI",
    "virgin islands (british)": "VG", "u.k.": "GB", "uk": "GB", "p.r.": "PR", "p. r.": "PR", "v.i.": "VI",
    "v. i.": "VI",
    # the two Congos as their labels write them: the Free State and Belgian colony (now CD), the French colony
    # (now CG); French labels' "R.D. Congo", "Congo-Kinshasa"
    "congo free state": "CD", "etat independant du congo": "CD", "r.d. congo": "CD", "r. d. congo": "CD",
    "rd congo": "CD", "r.d.c.": "CD", "republique democratique du congo": "CD", "congo-kinshasa": "CD",
    "congo-brazzaville": "CG", "french congo": "CG", "congo francais": "CG", "moyen-congo": "CG",
    "ubangi-shari": "CF", "oubangui-chari": "CF", "fernando po": "GQ", "fernando poo": "GQ", "spanish guinea": "GQ",
    "guinea ecuatorial": "GQ", "guinee equatoriale": "GQ",
}  # fmt: skip
# Initials that are a country only in an address's place, ending it after a comma or alone ("Mayagüez, P.R.",
# "St. Croix, V.I."): elsewhere a person's ("V. I. Grubov").
_INITIAL_FORMS = {"p.r.", "p. r.", "v.i.", "v. i."}
# Territories with an ISO 3166-1 code of their own, by the code of the state they belong to: the label that names
# both ("USA, Puerto Rico", "Guam, U.S.A.", "France: Guadeloupe") names the territory as its country, as GBIF and
# Darwin Core do.
TERRITORIES: dict[str, tuple[str, ...]] = {
    "US": ("PR", "VI", "GU", "AS", "MP", "UM"),
    "GB": ("AI", "BM", "VG", "KY", "FK", "GI", "MS", "PN", "SH", "TC", "IO", "GS", "GG", "JE", "IM"),
    "FR": ("GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "TF"),
    "NL": ("AW", "CW", "SX", "BQ"), "DK": ("GL", "FO"), "NO": ("SJ", "BV"), "AU": ("CX", "CC", "NF", "HM"),
    "NZ": ("CK", "NU", "TK"), "CN": ("HK", "MO"), "FI": ("AX",),
}  # fmt: skip
SOVEREIGN_OF: dict[str, str] = {t: s for s, ts in TERRITORIES.items() for t in ts}
# Regions and groupings that are no country today: a country's name inside one is not read ("Netherlands" in
# "Netherlands Antilles", dissolved in 2010: the island named with it is the country), and one written after a
# country belongs to that country's name ("Jamaica, W. I.", "Curaçao, Neth. Antilles").
REGION = re.compile(
    r"(?<![\w.])(?:(?i:(?:(?:british|french|dutch|netherlands)\s+)?west\s+indies|neth(?:erlands|[.,])?\s*antilles|"
    r"antillas\s+neerlandesas|nederlandse\s+antillen|antilles\s+(?:n[ée]erlandaises|fran[çc]aises)|"
    r"(?:lesser|greater)\s+antilles|(?:leeward|windward)\s+islands)|(?:[BF]\.\s?)?W\.\s?I\.?)(?![\w])"
)
REGION_TAG = re.compile(rf"\s*[,(]?\s*(?:{REGION.pattern})\s*\)?")
# Darwin Core names for ISO entries whose name is a "Name, qualifier" form without a common name.
_COUNTRY_NAME_OVERRIDES = {
    "CD": "Democratic Republic of the Congo", "FM": "Micronesia", "PS": "Palestine", "SH": "Saint Helena",
    "VG": "British Virgin Islands", "VI": "U.S. Virgin Islands", "BQ": "Bonaire, Sint Eustatius and Saba",
}  # fmt: skip
# Country names that are also common words or first names: a country only in capitals or in address position
# (alone on the line or after a comma at its end).
_AMBIGUOUS_COUNTRIES = {
    "georgia", "jersey", "jordan", "chad", "turkey", "guernsey", "niger", "guinea", "ascension", "saba",
}  # fmt: skip


# ISO 3166-1 entries that group territories lying apart ("United States Minor Outlying Islands"): labels name
# the territory ("PLANTS OF WAKE ISLAND"), which ISO 3166-2 lists as the entry's subdivision. The territory
# is the country, written with its ISO 3166-2 name.
_GROUPED_TERRITORIES = ("UM", "BQ", "SH")


def _territory_names() -> dict[str, tuple[str, str]]:
    """Folded name → (ISO 3166-2 name, ISO 3166-1 code) of the territories of ``_GROUPED_TERRITORIES``."""
    out = {}
    for code in _GROUPED_TERRITORIES:
        for sub in pycountry.subdivisions.get(country_code=code) or []:
            if len(sub.name) >= 4:
                out[fold(sub.name)] = (sub.name, code)
    return out


def is_grouped_territory(country_code: str) -> bool:
    """Whether a country's code is one that groups territories lying apart (the label's territory is its
    country, and the territory has no division of its own to read)."""
    return country_code in _GROUPED_TERRITORIES


def _country_names() -> tuple[dict[str, str], dict[str, str]]:
    """(code → Darwin Core name, folded label form → code) from pycountry and ``COUNTRY_ALIASES``."""
    display: dict[str, str] = {}
    forms: dict[str, str] = {}
    for c in pycountry.countries:
        common = getattr(c, "common_name", None)
        display[c.alpha_2] = _COUNTRY_NAME_OVERRIDES.get(c.alpha_2) or common or c.name
        for name in (c.name, common, getattr(c, "official_name", None), display[c.alpha_2]):
            if name and "," not in name and len(name) >= 4:
                forms[fold(name)] = c.alpha_2
    forms.update(COUNTRY_ALIASES)
    for form, (_, code) in _TERRITORY_NAMES.items():
        forms.setdefault(form, code)
    for name, code in EXONYMS.items():
        forms.setdefault(fold(name), code)  # a form that is already another country's stays that country's
    return display, forms


_TERRITORY_NAMES = _territory_names()
_COUNTRY_DISPLAY, COUNTRY_FORMS = _country_names()
# Names in another language than English ("Australien", "Mexique"): read only where a label puts a country.
_FOREIGN_FORMS = (
    {fold(name) for name in EXONYMS}
    - {form for form, code in COUNTRY_FORMS.items() if form in COUNTRY_ALIASES}
    - {fold(n) for c in pycountry.countries for n in (c.name, getattr(c, "common_name", "") or "")}
)
# The Darwin Core country of each label form (kept for callers of the old table).
COUNTRIES: dict[str, tuple[str, str]] = {k: (_COUNTRY_DISPLAY[v], v) for k, v in COUNTRY_FORMS.items()}


class CountryMatch(NamedTuple):
    name: str
    country_code: str
    start: int
    end: int


_COUNTRY_PATTERNS = sorted(  # longest first: "Dominican Republic" before "Dominica", "Papua New Guinea" …
    (
        (re.compile(rf"(?<![\w.]){loose(form)}(?![\w])", re.I), form, code)
        for form, code in COUNTRY_FORMS.items()
    ),
    key=lambda p: -len(p[0].pattern),
)


def find_country(text: str) -> CountryMatch | None:
    """The first country named in ``text`` (any ISO 3166-1 country, its common and official names, label forms
    such as "U.S.A." or "Porto Rico"), with its Darwin Core name and alpha-2 code; not inside a US state's or
    Canadian province's name, nor inside a region's (``REGION``: "Netherlands Antilles"). A territory named
    next to the state it belongs to is the country, the span covering both ("USA, Puerto Rico", "Guam, U.S.A.",
    ``TERRITORIES``); a region written after the country belongs to its span ("Jamaica, W. I.")."""
    if not isinstance(text, str) or not text:
        return None
    folded = fold(text)  # same length for the Latin letters used here
    if len(folded) != len(text):
        folded = text
    states = find_states(text)
    regions = [(m.start(), m.end()) for m in REGION.finditer(text)]
    best = _first_country(text, folded, states, regions, 0)
    if best is None:
        return None
    best = _with_region_tag(text, best)
    after = _first_country(text, folded, states, regions, best.end)
    if after is None or re.search(r"[^\W_]", text[best.end : after.start]):
        return best  # only a territory and its state side by side: "USA, Puerto Rico", "Martinique (France)"
    if SOVEREIGN_OF.get(after.country_code) == best.country_code:
        return _with_region_tag(text, after._replace(start=best.start))
    if SOVEREIGN_OF.get(best.country_code) == after.country_code:
        close = re.match(r"\s*\)", text[after.end :])
        return _with_region_tag(text, best._replace(end=after.end + (close.end() if close else 0)))
    return best


def _first_country(
    text: str, folded: str, states: list[StateMatch], regions: list[tuple[int, int]], pos: int
) -> CountryMatch | None:
    best: CountryMatch | None = None
    for pattern, form, code in _COUNTRY_PATTERNS:
        for m in pattern.finditer(folded, pos):
            if best is not None and m.start() >= best.start:
                break
            if _not_a_country(text, folded, m, form, code):
                continue
            if any(st.start < m.end() and m.start() < st.end for st in states):
                continue  # "NEW JERSEY", "GEORGIA": the state's name
            if any(start <= m.start() and m.end() <= end for start, end in regions):
                continue  # "Netherlands Antilles": a region, no country
            name = _TERRITORY_NAMES[form][0] if form in _TERRITORY_NAMES else _COUNTRY_DISPLAY[code]
            best = CountryMatch(name, code, m.start(), m.end())
            break
    return best


def _with_region_tag(text: str, country: CountryMatch) -> CountryMatch:
    """``country`` with a region written right after it in its span ("Jamaica, W. I.", "Aruba, Neth. Antilles")."""
    tag = REGION_TAG.match(text, country.end)
    return country._replace(end=tag.end()) if tag else country


def _not_a_country(text: str, folded: str, m: re.Match[str], form: str, code: str) -> bool:
    printed = text[m.start() : m.end()]
    if code == "CA" and "ñ" in printed.lower():
        return True  # "Gran Cañada", "Cañada del Oro": Spanish for a ravine, common in place names, not Canada
    if form in ("usa", "u.s.", "u.s.a", "uk") and not printed.isupper():
        return True  # "usa"/"u.s."/"uk" in lower case is not a country
    if code == "US" and form == "u.s." and re.match(r"\s*(?:\d|[A-Z](?!\.?\s*A\b))", text[m.end() :]):
        return True  # an adjective: "U.S. 165" / "U.S. Hwy 40" (a road), "U.S. Forest Service"
    if form == "england" and folded[: m.start()].rstrip().endswith("new"):
        return True  # New England: a region of the United States
    if form in _INITIAL_FORMS:
        before, after = text[: m.start()].strip(), text[m.end() :].strip(" .")
        return bool(after) or not (before == "" or before.endswith(","))
    if form in _AMBIGUOUS_COUNTRIES and not printed.isupper():
        before, after = text[: m.start()].strip(), text[m.end() :].strip(" .")
        return bool(after) or not (before == "" or before.endswith(","))
    if form in _FOREIGN_FORMS and not printed.isupper():
        return _foreign_out_of_place(text[: m.start()], text[m.end() :])
    return False


_SERIES_BEFORE = re.compile(
    r"^\W*(?:plants?|plantas|plantes|pflanzen|flora|flore|herbarium|herbier|herbario|herb[áa]rio)\s+"
    r"(?:of|de|du|des|del|do|da|von|aus)$",
    re.I,
)


def _foreign_out_of_place(before: str, after: str) -> bool:
    """A country's name in another language counts at the head of a place ("Australien: Queensland, …",
    "Mexique, Oaxaca") or after a comma at its end ("…, Michoacán, México"), not inside a sentence."""
    before, after = before.rstrip(), after.lstrip()
    if _SERIES_BEFORE.match(before) and not re.match(r"[^\W\d_]", after):
        return False  # a collection's title in the country's language: "Herbier du Maroc", "Flora von Österreich"
    opens = before == "" or before[-1] in ",;:"
    closes = after == "" or after[0] in ":,.;(-–—"
    return not (opens and closes)


def country_heads_line(line: str, start: int, end: int) -> bool:
    """Whether a country's name at ``start:end`` opens ``line`` and a colon, stop or dash sets it off ("JAMAICA:
    Parish of …", "CUBA. Oriente …")."""
    return not re.search(r"\w", line[:start]) and re.match(r"\s*[:.;—–-]", line[end:]) is not None


def country_of_code(code: str) -> str:
    """The Darwin Core country name of an ISO 3166-1 alpha-2 code ("" for an unknown code)."""
    return _COUNTRY_DISPLAY.get(code, "")
