"""Countries of the world (ISO 3166-1, pycountry, and label forms), US states and Canadian provinces (names,
postal codes, old abbreviations), other countries' ISO 3166-2 subdivisions, and counties on labels."""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

import pycountry

from herbproc.fields import counties
from herbproc.fields.country_forms import EXONYMS, older_forms_of
from herbproc.fields.text import fold, is_all_caps, smart_title

# name: (postal code, old abbreviations as printed on labels)
US_STATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Alabama": ("AL", ("Ala.",)),
    "Alaska": ("AK", ("Alas.",)),
    "Arizona": ("AZ", ("Ariz.",)),
    "Arkansas": ("AR", ("Ark.",)),
    "California": ("CA", ("Calif.", "Cal.")),
    "Colorado": ("CO", ("Colo.",)),  # not "Col.": that is "collector" on labels
    "Connecticut": ("CT", ("Conn.", "Ct.")),
    "Delaware": ("DE", ("Del.",)),
    "District of Columbia": ("DC", ("D.C.", "D. C.")),
    "Florida": ("FL", ("Fla.", "Flor.")),
    "Georgia": ("GA", ("Ga.",)),
    "Hawaii": ("HI", ("T.H.",)),
    "Idaho": ("ID", ("Ida.",)),
    "Illinois": ("IL", ("Ill.",)),
    "Indiana": ("IN", ("Ind.",)),
    "Iowa": ("IA", ("Ia.",)),
    "Kansas": ("KS", ("Kans.", "Kan.")),
    "Kentucky": ("KY", ("Ky.", "Ken.")),
    "Louisiana": ("LA", ("La.",)),
    "Maine": ("ME", ("Me.",)),
    "Maryland": ("MD", ("Md.",)),
    "Massachusetts": ("MA", ("Mass.",)),
    "Michigan": ("MI", ("Mich.",)),
    "Minnesota": ("MN", ("Minn.",)),
    "Mississippi": ("MS", ("Miss.",)),
    "Missouri": ("MO", ("Mo.",)),
    "Montana": ("MT", ("Mont.",)),
    "Nebraska": ("NE", ("Nebr.", "Neb.")),
    "Nevada": ("NV", ("Nev.",)),
    "New Hampshire": ("NH", ("N.H.", "N. H.")),
    "New Jersey": ("NJ", ("N.J.", "N. J.")),
    "New Mexico": ("NM", ("N.M.", "N. M.", "N. Mex.", "N.Mex.")),
    "New York": ("NY", ("N.Y.", "N. Y.")),
    "North Carolina": ("NC", ("N.C.", "N. C.", "N. Car.")),
    "North Dakota": ("ND", ("N.D.", "N. D.", "N. Dak.", "N.Dak.")),
    "Ohio": ("OH", ()),
    "Oklahoma": ("OK", ("Okla.",)),
    "Oregon": ("OR", ("Oreg.", "Ore.")),
    "Pennsylvania": ("PA", ("Penn.", "Penna.", "Pa.")),
    "Rhode Island": ("RI", ("R.I.", "R. I.")),
    "South Carolina": ("SC", ("S.C.", "S. C.", "S. Car.")),
    "South Dakota": ("SD", ("S.D.", "S. D.", "S. Dak.", "S.Dak.")),
    "Tennessee": ("TN", ("Tenn.",)),
    "Texas": ("TX", ("Tex.",)),
    "Utah": ("UT", ()),
    "Vermont": ("VT", ("Vt.",)),
    "Virginia": ("VA", ("Va.",)),
    "Washington": ("WA", ("Wash.",)),
    "West Virginia": ("WV", ("W. Va.", "W.Va.", "W. Virginia")),
    "Wisconsin": ("WI", ("Wis.", "Wisc.")),
    "Wyoming": ("WY", ("Wyo.",)),
}  # Puerto Rico is a country of its own in ISO 3166-1 (PR), as on labels
CA_PROVINCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Alberta": ("AB", ("Alta.",)),
    "British Columbia": ("BC", ("B.C.", "B. C.")),
    "Manitoba": ("MB", ("Man.",)),
    "New Brunswick": ("NB", ("N.B.", "N. B.")),
    "Newfoundland and Labrador": ("NL", ("Nfld.", "Newf.", "Newfoundland", "Labrador", "NF")),
    "Northwest Territories": ("NT", ("N.W.T.", "N. W. T.")),
    "Nova Scotia": ("NS", ("N.S.", "N. S.")),
    "Nunavut": ("NU", ()),
    "Ontario": ("ON", ("Ont.",)),
    "Prince Edward Island": ("PE", ("P.E.I.", "P. E. I.", "PEI")),
    "Quebec": ("QC", ("Que.", "Qué.", "P.Q.", "P. Q.", "Québec", "PQ")),
    "Saskatchewan": ("SK", ("Sask.",)),
    "Yukon": ("YT", ("Y.T.", "Yukon Territory")),
}
# Country names labels use that ISO 3166-1 (pycountry) does not list: older, vernacular and short forms, and
# "U.S.A." styles. Each maps to an ISO 3166-1 alpha-2 code; the Darwin Core name comes from the code.
COUNTRY_ALIASES: dict[str, str] = {
    "united states of america": "US", "united states": "US", "u.s.a.": "US", "u. s. a.": "US", "usa": "US",
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
    "d.w.i.": "VI", "d. w. i.": "VI", "virgin islands (u.s.)": "VI", "virgin islands of the united states": "VI",
    "virgin islands (british)": "VG", "u.k.": "GB", "uk": "GB", "p.r.": "PR", "p. r.": "PR", "v.i.": "VI",
    "v. i.": "VI",
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
_REGION_TAG = re.compile(rf"\s*[,(]?\s*(?:{REGION.pattern})\s*\)?")
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
_COUNTRY_DISPLAY, _COUNTRY_FORMS = _country_names()
# Names in another language than English ("Australien", "Mexique"): read only where a label puts a country.
_FOREIGN_FORMS = (
    {fold(name) for name in EXONYMS}
    - {form for form, code in _COUNTRY_FORMS.items() if form in COUNTRY_ALIASES}
    - {fold(n) for c in pycountry.countries for n in (c.name, getattr(c, "common_name", "") or "")}
)
# The Darwin Core country of each label form (kept for callers of the old table).
COUNTRIES: dict[str, tuple[str, str]] = {k: (_COUNTRY_DISPLAY[v], v) for k, v in _COUNTRY_FORMS.items()}


class StateMatch(NamedTuple):
    name: str  # full name: "Massachusetts"
    country_code: str  # "US" or "CA"
    start: int
    end: int
    style: str  # "name", "abbreviation" or "postal"


class CountryMatch(NamedTuple):
    name: str
    country_code: str
    start: int
    end: int


class CountyMatch(NamedTuple):
    name: str  # without "County" / "Co.": "Middlesex"
    start: int
    end: int


def _loose(literal: str) -> str:
    """Regex for ``literal`` where each space may be missing ("N. H." also matches "N.H.")."""
    return re.escape(literal).replace(r"\ ", r"\s?")


def _build_state_patterns() -> tuple[list[tuple[re.Pattern[str], str, str, str]], dict[str, tuple[str, str]]]:
    patterns: list[tuple[re.Pattern[str], str, str, str]] = []
    postal: dict[str, tuple[str, str]] = {}
    for table, country in ((US_STATES, "US"), (CA_PROVINCES, "CA")):
        for name, (code, abbreviations) in table.items():
            postal[code] = (name, country)
            patterns.append(
                (re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w])", re.I), name, country, "name")
            )
            for abbreviation in abbreviations:
                flags = 0 if "." in abbreviation or abbreviation.isupper() else re.I
                escaped = _loose(abbreviation)
                end = r"(?!\w)" if abbreviation.endswith(".") else r"(?![\w])"
                patterns.append(
                    (re.compile(rf"(?<![\w.]){escaped}{end}", flags), name, country, "abbreviation")
                )
                if "." in abbreviation and not abbreviation.isupper():  # "MASS." on a label set in capitals
                    upper = rf"(?<![\w.]){_loose(abbreviation.upper())}{end}"
                    patterns.append((re.compile(upper), name, country, "abbreviation_caps"))
    # Longest first so "West Virginia" wins over "Virginia" and "N. Mex." over "N. M.".
    patterns.sort(key=lambda p: -len(p[0].pattern))
    return patterns, postal


_STATE_PATTERNS, _POSTAL = _build_state_patterns()
# A postal code counts only where an address puts it: after a comma (or alone), before the end, a ZIP or a country.
# A field's slot names it too: "State: NM", "Prov.: BC". A code alone on its line or opening one ("DE" /
# "T OF ECOLOGY": a word broken by the reading) is none; at a line's start only an address's ("MA 02138").
_POSTAL_PATTERN = re.compile(
    r"(?:,\s*|(?<![\w.])(?:State|STATE|Prov\.|PROV\.|Province|PROVINCE)\s*:\s*)"
    r"(?P<code>[A-Z]{2})(?=\s*$|\s*[,;]|\s+\d{5}\b|\s+U\.?\s?S\.?\s?A?\.?|\s+Canada\b|\.\s*$)"
    r"|^\W*(?P<lead>[A-Z]{2})(?=\s+\d{5}\b|,?\s+U\.?\s?S\.?\s?A\.?|,?\s+Canada\b)"
)
# A postal code set in upper and lower case with a dot, after a town and a comma, ending the place: "Memphis,
# Tn.", "Boise, Id." aside — codes that are also common abbreviations (Co. county, In. inches, Mi. miles,
# Ne. north-east, Id. idem, Or.) are not read so.
_POSTAL_DOTTED = re.compile(
    r"(?<=[a-z]),\s*(?P<code>[A-Z][a-z])\.(?=\s*$|\s*[,;]|\s+\d{5}\b|\s+U\.?\s?S\.?\s?A?\.?)"
)
_NOT_DOTTED_POSTAL = {"CO", "IN", "MI", "NE", "ID", "OR"}


def _road_state_forms() -> dict[str, str]:
    """A state's abbreviation without its stop ("Fla", "Tenn") or its postal code ("FL") → the state's name."""
    forms = {code: name for code, (name, _) in _POSTAL.items() if code != "CO"}  # "Co Rd 12": a county road
    for table in (US_STATES, CA_PROVINCES):
        for name, (_, abbreviations) in table.items():
            forms.update({a.rstrip("."): name for a in abbreviations if " " not in a and len(a.rstrip(".")) > 2})
    return forms


_ROAD_STATE_FORMS = _road_state_forms()
# A state's road: its abbreviation, stop or none, before a highway word and a number ("Fla Hwy 51", "Tenn. Rt.
# 2", "NC Hwy 80"), names the state the road runs in.
_ROAD_STATE = re.compile(r"(?<![\w.])(?P<abbr>[A-Z][A-Za-z]{1,4})\.?\s*(?:Hwy|Highway|Rte|Route|Rt)\.?\s*#?\d")
# "University of Connecticut" names a herbarium's home, not the place of collection; OCR may misread a letter
# of the institution's word ("INIVERSITY OF CONNECTICUT").
_INSTITUTION_OF = re.compile(r"(?P<word>[^\W\d_]{3,}\.?)\s+(?P<of>of\s+(?:the\s+)?)?$", re.I)
_INSTITUTION_WORDS = ("university", "universidad", "universite", "universidade", "universita", "college")
# A state name that names something else: "Washington Co.", "Delaware River", "Mt. Washington", "New York City",
# "Washington Park", "Sierra Nevada" (a range in Spain as in California).
_NOT_STATE_AFTER = re.compile(
    r"\s*(?:Co\b|County|Parish|River|City|Bay|Lake|Street|St\b|Ave|Road|Rd\b|Park\b)", re.I
)
_NOT_STATE_BEFORE = re.compile(
    r"(?:Mt\.?|Mount|Lake|Fort|Ft\.?|Port|of the|[Ss]t\.?|Sierra|SIERRA)\s*$|[^\W\d_]{2,}-$"
)  # a word joined to it makes a compound name: "Hattori-Tennessee Cooperative"


def find_states(text: str) -> list[StateMatch]:
    """States and provinces named in ``text``, in text order (overlapping readings resolved longest first)."""
    if not isinstance(text, str) or not text:
        return []
    found: list[StateMatch] = []

    def free(start: int, end: int) -> bool:
        return all(end <= m.start or m.end <= start for m in found)

    capitals = is_all_caps(text)
    for pattern, name, country, style in _STATE_PATTERNS:
        if style == "abbreviation_caps" and not capitals:
            continue
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            not_after = _NOT_STATE_AFTER.match(text, m.end()) and not _county_slot_after(text, m.end(), name)
            if style == "name" and (not_after or _NOT_STATE_BEFORE.search(text[: m.start()])):
                continue
            if _after_institution_word(text[: m.start()]):
                continue
            found.append(StateMatch(name, country, m.start(), m.end(), style.replace("_caps", "")))
    postal = [(m, "lead" if m.group("lead") else "code") for m in _POSTAL_PATTERN.finditer(text)]
    postal += [(m, "code") for m in _POSTAL_DOTTED.finditer(text)]
    for m, group in postal:
        code = m.group(group).upper()
        if code in _POSTAL and free(m.start(group), m.end(group)) and m.group(group) != "Co":
            if m.group(group).isupper() or code not in _NOT_DOTTED_POSTAL:
                name, country = _POSTAL[code]
                found.append(StateMatch(name, country, m.start(group), m.end(group), "postal"))
    return sorted(found, key=lambda s: s.start)


def _county_slot_after(text: str, end: int, state: str) -> re.Match[str] | None:
    """A form's county slot after a state's name, the county ending the line: "North Carolina County Yancey"
    (the "State" and "County" captions printed before their values). Only a county of that state, so that
    "Washington County Fair" stays a county's name."""
    m = _SLOT_AFTER_STATE.match(text, end)
    code = US_STATES.get(state, ("",))[0]
    return m if m is not None and code and counties.is_county_of(m["name"], f"US-{code}") else None


def road_state(text: str) -> StateMatch | None:
    """The state whose road ``text`` names ("Along Fla Hwy 51", "NC Hwy 80"): a place in it, the road's name
    part of the locality."""
    for m in _ROAD_STATE.finditer(text) if isinstance(text, str) else ():
        if (name := _ROAD_STATE_FORMS.get(m["abbr"])) is not None:
            country = "CA" if name in CA_PROVINCES else "US"
            return StateMatch(name, country, m.start("abbr"), m.end("abbr"), "abbreviation")
    return None


def _after_institution_word(before: str) -> bool:
    """Whether a state named after ``before`` is an institution's: "University of …", "Univ. of …", "College
    of the …" (the institution's word with one letter misread too)."""
    m = _INSTITUTION_OF.search(before)
    if m is None:
        return False
    word = fold(m.group("word")).rstrip(".")
    if not m.group("of"):  # "Ex Herb. Univ. Michigan": an abbreviated institution's word right before it
        return word in ("univ", "herb") and m.group("word").endswith(".")
    if word == "univ" or any(_one_edit(word, w) for w in _INSTITUTION_WORDS):
        return True
    # a stamp cut by the image's edge: "ITY OF CONNECTICUT" opens its line with the tail of "University"
    return not before[: m.start()].strip() and any(w.endswith(word) for w in _INSTITUTION_WORDS)


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one inserted, deleted or replaced letter."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] or a[i:] == b[i + 1 :] or a[i + 1 :] == b[i:]


NEAR_STATE_AT = 0.8  # a header's place this similar (confusion-weighted) to one state's name is that state
NEAR_STATE_MARGIN = 0.1  # ... when no other state or province is within this much of it
NEAR_STATE_LETTERS = 6  # ... and it has at least this many letters


def near_state(place: str) -> StateMatch | None:
    """The US state or Canadian province whose name (8 letters or more) ``place`` — a header's whole place,
    "PLANTS OF MASSACHIUSETTS", or what heads a county's line, "NEW HAMP SHIRE: Coos Co." — spells with one
    letter misread, added or lost, or that it is nearest by the reader's confusions (``NEAR_STATE_AT``, spaces
    aside); style "near". Only in those places: a word anywhere else may be an epithet one letter from a state
    ("virginica")."""
    if not isinstance(place, str):
        return None
    text = place.strip().rstrip(" .,;:")
    word = fold(text)
    if not re.fullmatch(r"[a-z]+(?: [a-z]+){0,2}", word):
        return None
    start = place.find(text)
    country_named = find_country(text)
    if country_named is not None and country_named.start == 0 and country_named.end == len(text):
        return None  # "PLANTS OF MEXICO": the country, spelt right, not New Mexico misread
    for table, country in ((US_STATES, "US"), (CA_PROVINCES, "CA")):
        for name in table:
            folded = fold(name)
            if len(folded) >= 8 and _one_edit(word, folded):
                return StateMatch(name, country, start, start + len(text), "near")
    if len(word.replace(" ", "")) < NEAR_STATE_LETTERS:
        return None
    from herbproc.fields.taxon import confusion_costs  # the reader's confusions: "MASSAORUSETTS", "VERMRINT"

    names = {
        fold(name).replace(" ", ""): (name, country)
        for table, country in ((US_STATES, "US"), (CA_PROVINCES, "CA"))
        for name in table
    }
    key, _ = confusion_costs().closest(word.replace(" ", ""), names, NEAR_STATE_AT, NEAR_STATE_MARGIN)
    if key is not None:
        name, country = names[key]
        return StateMatch(name, country, start, start + len(text), "near")
    return None


_CAPITALS_WORD = re.compile(r"(?<![\w.])[A-Z]{8,}(?![\w.])")


def capitals_near_state(line: str) -> StateMatch | None:
    """A state's name of 8 letters or more set in capitals on a line that is not, with one letter misread, added
    or lost ("Sute of MASSACHUSITTS County: Hampden"): labels print the state so on a place line, where an
    epithet is lower case."""
    if not isinstance(line, str) or is_all_caps(line):
        return None
    for m in _CAPITALS_WORD.finditer(line):
        word = m.group().lower()
        for table, country in ((US_STATES, "US"), (CA_PROVINCES, "CA")):
            for name in table:
                folded = fold(name).replace(" ", "")
                if len(folded) >= 8 and word != folded and _one_edit(word, folded):
                    return StateMatch(name, country, m.start(), m.end(), "near")
    return None


def parse_state(text: str) -> StateMatch | None:
    """The first US state or Canadian province in ``text`` (full name, country code US/CA), or None.

    ``parse_state("Middlesex Co., Mass.").name == "Massachusetts"``; unpacks as a tuple too.
    """
    states = find_states(text)
    return states[0] if states else None


_COUNTRY_PATTERNS = sorted(  # longest first: "Dominican Republic" before "Dominica", "Papua New Guinea" …
    (
        (re.compile(rf"(?<![\w.]){_loose(form)}(?![\w])", re.I), form, code)
        for form, code in _COUNTRY_FORMS.items()
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
    tag = _REGION_TAG.match(text, country.end)
    return country._replace(end=tag.end()) if tag else country


def _not_a_country(text: str, folded: str, m: re.Match[str], form: str, code: str) -> bool:
    printed = text[m.start() : m.end()]
    if code == "CA" and "ñ" in printed.lower():
        return True  # "Gran Cañada", "Cañada del Oro": Spanish for a ravine, common in place names, not Canada
    if form in ("usa", "u.s.", "uk") and not printed.isupper():
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


class SubdivisionMatch(NamedTuple):
    name: str  # ISO 3166-2 name, without a parenthesised alternative: "Distrito Nacional"
    code: str  # ISO 3166-2 code: "DO-01"
    start: int
    end: int
    cued: bool  # "Prov. Samaná", "Parish of St. George", "Puerto Plata Province"


_ADMIN_WORD = (
    r"(?:prov(?:ince|incia|\.)?|parish|district|distrito|d[ée]pt\.?|depto\.?|dpto\.?|department|departamento|"
    r"d[ée]partement|d[ée]p\.|estado|edo\.|est\.|pcia\.|state|region|regi[oó]n|municipio|canton|governorate|oblast|"
    r"territorio|territory|intendencia|comisar[ií]a|quarter|quartier)"
)  # "Depto." / "Dpto." (departamento), "Dépt." / "Dép." (département), "Edo." (estado), "Est." (estado,
# Portuguese), "Pcia." (provincia); "Territorio de Quintana Roo", "Intendencia del Meta": a division's older kind;
# "Quarter of Castries" (Saint Lucia's quarters, ISO's districts)
# A division's word and its link at the start of a text: "Dept. ", "Estado de ", "Prov. of "
LEADING_ADMIN_WORD = re.compile(rf"^\W*{_ADMIN_WORD}\s*(?:of|de|del|du|do|da|di)?\s*(?=\w)", re.I)
_ADMIN_BEFORE = re.compile(
    rf"{_ADMIN_WORD}\s*(?:of|de|del|du|des|de\s+la|de\s+l['’]|do|da|di)?\s*:?\s*$", re.I
)  # "Estado do Paraná", "Prov. di Trento"
_ADMIN_AFTER = re.compile(rf"(?:['’]s)?\s*{_ADMIN_WORD}(?!\w)", re.I)  # "St. Ann's Parish" too


@cache
def _subdivision_patterns(country_code: str) -> list[tuple[re.Pattern[str], str, str, bool]]:
    """(pattern, name, code, named as the country) for every ISO 3166-2 subdivision of a country (every level:
    the Dominican Republic's provinces are second-level, under regions), longest first."""
    out = []
    for sub in pycountry.subdivisions.get(country_code=country_code) or []:
        names = _subdivision_names(sub.name)
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


def _subdivision_names(iso_name: str) -> list[str]:
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
            names = _subdivision_names(sub.name)
            for name in names:
                seen.setdefault(fold(name), set()).add((name, sub.code))
            for form in older_forms_of(sub.code):
                seen.setdefault(fold(form), set()).add((names[-1], sub.code))
    taken = set(_COUNTRY_FORMS) | {fold(n) for table in (US_STATES, CA_PROVINCES) for n in table}
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


def find_heading_subdivision(line: str) -> SubdivisionMatch | None:
    """A state or province of a federation (``_HEADING_COUNTRIES``; ISO 3166-2, a name no other division
    shares) that heads ``line`` in capitals before its first stop ("MICHOACAN. 8 km S of …"); for a label that
    names no country. The match's code tells the country."""
    if not isinstance(line, str) or not (m := _HEADING.match(line)):
        return None
    hit = _first_level_index().get(fold(" ".join(m.group("name").split())))
    if hit is None:
        return None
    return SubdivisionMatch(hit[0], hit[1], m.start("name"), m.end("name"), bool(m["cue"] or m["after"]))


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
                or re.match(_ADMIN_WORD, fold(name))  # "Distrito Nacional"
            )
            if same and not cued:
                continue  # the country's own name ("MEXICO"); with its word the state ("Estado de México")
            if len(name) < 4 and not _ADMIN_BEFORE.search(text[: m.start()]):
                continue  # a short name only right after its word: "Dépt. du Sud", "Dép. du Var"
            best = SubdivisionMatch(name, code, m.start(), m.end(), cued)
            break
    return best


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
    wholes = [w for w, n in parts.items() if n >= 2 and len(w) >= 4 and w not in _NOT_A_WHOLE | set(_COUNTRY_FORMS)]
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


_COUNTY_WORD = r"(?:Mc|Mac|De|La|Le|O')?[A-Z][A-Za-z'’\-]*\.?"
_FRENCH_WORD = r"[A-ZÀ-Þ][^\W\d_]*(?:['’][A-ZÀ-Þ][^\W\d_]*)?"
_COUNTY_NAME = rf"(?P<name>{_COUNTY_WORD}(?:\s+{_COUNTY_WORD}){{0,2}})"
# A form's next caption after the county's slot: "Co. Blount  State Tenn.", "County: Elm  Coll. A. Bell".
_NEXT_CAPTION = r"(?:State|STATE|Country|COUNTRY|Locality|LOCALITY|Loc|LOC|Coll|COLL|Collector|COLLECTOR|Date|DATE)\b"
_SLOT_WORD = (
    rf"(?!{_NEXT_CAPTION}){_COUNTY_WORD}(?![A-Za-z'’\-])(?!\.?\s*:)"  # not the next field's name: "County: Grant State: NM"
)
_COUNTY_PATTERNS = [
    re.compile(  # not "COLD"; "Cty." and "Cnty." as some write it
        rf"{_COUNTY_NAME}\s+(?:County|Co\.?|Parish|COUNTY|CO\.?|PARISH|county|co[.:]|C(?:n?ty|N?TY)\.)(?![A-Za-z])"
    ),
    re.compile(rf"(?:County|Co\.|COUNTY|CO\.|Parish|PARISH)\s+(?:of|OF)\s+{_COUNTY_NAME}"),
    # the field's slot on a printed form: "County: Grant", "Parish:MOREHOUSE"
    re.compile(
        rf"(?<![A-Za-z])(?:County|COUNTY|Parish|PARISH|Co\.?|CO\.?)\s*:\s*(?P<name>{_SLOT_WORD}(?:\s+{_SLOT_WORD}){{0,2}})"
    ),
    # the slot without its colon, the name ending the line: "Co. Haywood" (as Irish labels write "Co. Cork"),
    # "County Thunder Bay Dist."
    re.compile(
        rf"(?<![A-Za-z])(?:County|COUNTY|Co\.|CO\.)\s+(?!.*\b(?:Road|Rd|Line|Ltd|Inc|Highway|Hwy|Route|Park|Forest)\b)"
        rf"(?P<name>{_SLOT_WORD}(?:\s+{_SLOT_WORD}){{0,3}})(?:\s*$|\s+(?={_NEXT_CAPTION}))"
    ),
    # the slot heading its line, its name before the colon or comma of the place after it: "Co. Blount: Rosaville",
    # "Co. Blount, Tenn."
    re.compile(
        rf"^\W*(?:County|COUNTY|Co\.|CO\.)\s+(?![^:]*\b(?:Road|Rd|Line|Highway|Hwy|Route|Park|Forest)\b)"
        rf"(?P<name>{_COUNTY_WORD}(?:\s+{_COUNTY_WORD}){{0,2}})(?::\s|,)"
    ),
    # a county of a French label, kept as written: "Comté de Charlevoix", "COMTÉ DE GASPÉ-OUEST"
    re.compile(rf"(?P<name>(?:Comté|COMTÉ|Cté)\s+(?:de\s+|DE\s+|du\s+|DU\s+|d['’]\s*)?{_FRENCH_WORD}(?:[\s-]+{_FRENCH_WORD}){{0,2}})"),
    # a district heading the place as a county does, with its colon (Ontario's districts, where it has no
    # counties): "Thunder Bay District: Elm Lake", "ALGOMA DIST.:"
    # (kept as written, its word too, as the district's name: "Thunder Bay Dist.")
    re.compile(rf"(?P<name>{_COUNTY_WORD}(?:\s+{_COUNTY_WORD}){{0,2}}\s+(?:District|DISTRICT|Dist\.|DIST\.))\s*:"),
]
# A county slot's caption and its value ending the line, after a state's name: "… County Yancey".
_SLOT_AFTER_STATE = re.compile(
    rf"\s+(?:County|COUNTY|Co\.|CO\.)(?:\s*:\s*|\s+)(?P<name>{_SLOT_WORD}(?:\s+{_SLOT_WORD}){{0,2}})\s*$"
)
# A word of four letters or more that ends with a stop ends a sentence: "COLORADO. LINCOLN Co." is Lincoln.
_SENTENCE_END = re.compile(r"[^\W\d_]{4,}\.$")
_NOT_COUNTY_WORDS = {
    "the", "of", "and", "in", "on", "near", "same", "this", "new england", "plants", "flora", "unknown",
    "locality", "loc.", "location", "habitat",  # a form's caption without its colon: "Locality St. Ann Parish"
}  # fmt: skip


_INSTITUTION_WORD = re.compile(r"\b(?:university|college|herbarium|museum|institute|garden)\b", re.I)


def find_county(text: str) -> CountyMatch | None:
    """The county (or parish) in ``text``: "Middlesex Co.", "Co. of Essex", "McNairy County", "NEW LONDON CO:"."""
    if not isinstance(text, str) or not text:
        return None
    for state in find_states(text):
        if state.style == "name" and (slot := _county_slot_after(text, state.end, state.name)):
            caption = slot.start() + len(slot.group()) - len(slot.group().lstrip())
            return CountyMatch(smart_title(slot["name"]), caption, slot.end())
    for pattern in _COUNTY_PATTERNS:
        for m in pattern.finditer(text):
            words = m.group("name").split()
            ends = [k for k, w in enumerate(words[:-1]) if _SENTENCE_END.search(w)]
            words = words[ends[-1] + 1 :] if ends else words
            # Drop leading words that belong to the sentence, not the name ("In Middlesex Co." → "Middlesex").
            while words and (fold(words[0]) in _NOT_COUNTY_WORDS or _is_state_word(words[0])):
                words = words[1:]
            if not words:
                continue
            name = smart_title(" ".join(words)).rstrip(",;:")
            if fold(name) in _NOT_COUNTY_WORDS or len(name) < 3:
                continue
            if _INSTITUTION_WORD.search(name):
                continue  # "HERBARIUM OF THE UNIVERSITY OF TENNESSEE" / "Co.": a form's caption after a body's name
            start = m.start("name") + m.group("name").find(words[0])
            if pattern not in (_COUNTY_PATTERNS[0], _COUNTY_PATTERNS[-1]):
                start = m.start()  # the county's word before it: "Parish: St. Thomas", "Parish of St. Ann"
            return CountyMatch(name, start, m.end())
    return None


_COUNTY_CAPTION = re.compile(r"^\W*(?:County|COUNTY)\W*$")
_COUNTY_VALUE = re.compile(rf"^\W*(?P<name>{_SLOT_WORD}(?:\s+{_SLOT_WORD}){{0,3}})\W*$")


def county_under_caption(caption: str, line: str) -> CountyMatch | None:
    """The county a form's "County" caption, alone on its line, has on the line under it: "County" / "Elm Bay
    Dist." (a name of one to four capitalised words, nothing else)."""
    if not _COUNTY_CAPTION.match(caption) or (m := _COUNTY_VALUE.match(line)) is None:
        return None
    name = m["name"].rstrip(",;:")
    if fold(name) in _NOT_COUNTY_WORDS or _INSTITUTION_WORD.search(name) or find_states(name):
        return None
    return CountyMatch(name, m.start("name"), m.end("name"))


def _is_state_word(word: str) -> bool:
    return any(s.style != "name" for s in find_states(word)) or word.rstrip(",") in (
        "Plants",
        "Flora",
        "PLANTS",
    )


# ------------------------------------------------------------------ whole values: a field's value as a code
_ADMIN_ONLY = re.compile(rf"(?:{_ADMIN_WORD}|of|de|del|du|co\.?|county|[\W_])*", re.I)


def _whole(text: str, start: int, end: int) -> bool:
    """True when ``text`` outside ``start:end`` holds nothing but punctuation, spaces and admin words."""
    return bool(_ADMIN_ONLY.fullmatch(text[:start]) and _ADMIN_ONLY.fullmatch(text[end:]))


def country_code(value: str) -> str:
    """The ISO 3166-1 alpha-2 code of a value that is a country's name, nothing else: ISO names, common and
    official names and the label forms of ``COUNTRY_ALIASES`` ("PORTO RICO" → "PR", "Rep. Dominicana" → "DO",
    "St. Lucia" → "LC"); "" when the value is not (only) a known country ("West Indies", "St. Thomas")."""
    if not isinstance(value, str) or not value.strip():
        return ""
    text = " ".join(value.split())
    m = find_country(text)
    if m is None or re.search(r"\w", text[: m.start]) or re.search(r"\w", text[m.end :]):
        return ""
    return m.country_code


def subdivision_code(value: str, country_codes: tuple[str, ...] = ()) -> str:
    """The ISO 3166-2 code of a value that is a subdivision's name (an admin word around it aside: "Prov.
    Samaná", "Parish of St. George"), looked up in ``country_codes`` in order: US states and Canadian provinces
    through the state table (names, postal codes and old abbreviations: "Mass." → "US-MA"), other countries
    through ISO 3166-2 with "St." for "Saint". With no country, only the state table. "" when not found."""
    if not isinstance(value, str) or not value.strip():
        return ""
    text = " ".join(value.split())
    alone = re.fullmatch(r"([A-Za-z]{2})\.?", text)  # a value that is a postal code alone: "NM", "Tn."
    if alone and alone.group(1).upper() in _POSTAL:
        name, country = _POSTAL[alone.group(1).upper()]
        if country in (country_codes or (country,)):
            return f"{country}-{alone.group(1).upper()}"
    for code in country_codes or ("US", "CA"):
        if code in ("US", "CA"):
            states = [st for st in find_states(text) if st.country_code == code]
            if len(states) == 1 and _whole(text, states[0].start, states[0].end):
                table = US_STATES if code == "US" else CA_PROVINCES
                return f"{code}-{table[states[0].name][0]}"
        sub = find_subdivision(text, code)
        if sub is not None and _whole(text, sub.start, sub.end):
            return sub.code
    return ""


@cache
def _subdivision_names_folded() -> frozenset[str]:
    return frozenset(
        fold(n) for sub in pycountry.subdivisions for n in (*_subdivision_names(sub.name), *older_forms_of(sub.code))
    )


def is_place_name(value: str) -> bool:
    """``value`` is, whole, a country's name or the name of an ISO 3166-2 subdivision of any level anywhere
    ("Porto Rico", "Santa Clara", "Puerto Plata", "Andros"), or a region's (``REGION``: "Netherlands Antilles")."""
    text = " ".join(value.split())
    if REGION.fullmatch(text):
        return True
    return bool(text) and (bool(country_code(text)) or fold(text) in _subdivision_names_folded())
