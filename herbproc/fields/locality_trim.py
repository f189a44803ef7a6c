"""What a locality read from a label's lines carries that is not the locality: a higher region in capitals before
it ("NORTH SLOPE. Echo River …", "OTAGO PROV.: Lake …"), the habitat sentences after it ("… Pond. Rich woods
along trail.", "…; very common in wet soils") and a "GPS …" sentence; a closing sentence of light and soil
words, the state named last; and the measures' zeros read as the letter O mended."""

from __future__ import annotations

import re

from herbproc.fields import divisions, names, places
from herbproc.fields.label import Label
from herbproc.fields.locality_words import LOCALITY_WORDS

# a region in capitals that ends with a full stop, or a unit with its admin word ("X PROV.:", "X CO.:"), then text
_LEAD_REGION = re.compile(
    r"^\s*(?P<seg>[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ'’&\- ]*[A-ZÁÉÍÓÚÑ])"
    r"(?P<admin>\s+(?:PROV|DEPT|DIST|CO)\.)?\s*(?P<sep>\.:|[.:])\s+"
)
_ADMIN_WORDS = {"PROVINCE", "DEPARTMENT", "DISTRICT", "COUNTY", "COUNTIES", "REGION", "PARISH"}
_HEADING_DIVISIONS = {"PROVINCE", "DEPARTMENT", "PARISH"}  # (a county is its own term; a region no division)
# a sentence (after ". " or "; ") that says what the ground is like or how common the plant is, not where it grew
_HABITAT_OPENERS = set(
    "growing grows among common abundant frequent occasional locally very rare moist wet dry damp rich "
    "open shaded shady sunny sandy rocky gravelly grassy mowed alpine subalpine clay loamy silty mixed deciduous "
    "hardwood coniferous spruce pine oak fir aspen freshwater brackish disturbed meadow meadows forest woods "
    "woodland bog marsh swamp thicket thickets prairie grassland tundra gps plant plants "
    # the vegetation's kind and state: "Low, xerophytic forest on …", "Secondary montane rainforest."
    "low tall dense secondary primary degraded xerophytic montane lowland humid evergreen semideciduous "
    "semi-deciduous coastal riparian scrub pasture pastures rainforest "
    # Spanish labels' ground and vegetation: "…; potreros, conucos", "bosque húmedo", "matorral seco"
    "potrero potreros bosque bosques matorral matorrales vegetación vegetacion pastizal pastizales cafetal "
    "cafetales manglar manglares pinar pinares selva".split()
)
_HABIT_WORDS = set("tree trees treelet shrub shrubs subshrub vine vines liana herb herbs epiphyte climber".split())


def habitat_only(text: str) -> bool:
    """``text`` names only a kind of ground or vegetation ("Moist thicket", "Wet meadow") or a form's habit boxes
    ("Herb Shrub Tree"): what the place is like, not where it is."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return bool(words) and all(w in _HABITAT_OPENERS or w in _HABIT_WORDS or w in ("and", "or") for w in words)


def names_ground(text: str) -> bool:
    """``text`` has a word for the kind of ground or vegetation or its moisture ("moist", "shaded", "bog")."""
    return any(w in _HABITAT_OPENERS for w in re.findall(r"[^\W\d_]+", text.lower()))


_ABUNDANCE = re.compile(r"\b(?:common|abundant|frequent|occasional|rare)\b")  # lower case: "Boston Common"
# a clause after a comma that is a habitat: "…, in wet pine-oak", "…, on mossy rocks"
_HABITAT_CLAUSE = re.compile(r",\s*(?:in|on|among)\s+(?P<word>[a-z][\w-]*)[^,;.]*$")
# sentence ends: a full stop after a word of three or more letters or a number with its unit, or a semicolon
# (or a comma before a capitalised word and a lower-case one: "…Street, Open edge of woods")
# a division's word shortened before its name, whose stop ends no sentence: "Prov. Pinar del Río", "Depto. Elm",
# "Mpio. Rosaville", "Edo. Oaxaca", "Distr. Elm"
DIVISION_ABBREVIATION = re.compile(r"\b(?i:prov|dept|depto|dpto|mpio|munic|mun|edo|distr|dist)$")
_SENTENCE_END = re.compile(
    r"(?:(?<=[A-Za-z]{3})|(?<=\d)|(?<=\))|(?<=\d\sft)|(?<=\dft)|(?<=\d\sm)|(?<=\dm))\.\s+|;\s+"  # "300 ft. Common"
    r"|,\s+(?=[A-Z][a-z]+\s+[a-z])"
)


# a ";" right after coordinates or an elevation, that a habitat follows: "… 74°08'W; mixed …", "… 0-30 m; sea shore"
_AFTER_COORDINATES = re.compile(
    r"(?P<end>\d\s*(?:m|ft|feet|meters|metres)\b\.?|\d\s*['’′\"″]\s*(?:[NSEW]|Oeste|Norte)\b\.?)\s*;\s*(?=[a-z])"
)


# a last "sentence" of zeros alone: a measure whose digits and unit were read as rings ("Longs Peak. 000")
_LAST_NUMBER_ALONE = re.compile(r"(?<=[A-Za-z]{3}\.)\s+0+\W*$")
_EMPTY_PARENTHESES = re.compile(r"\s*\(\s*\)")
# a month and its day or days, no year, that ends the place's line: ", June 3-5."
_YEARLESS_DATE = re.compile(
    r",\s*(?:Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?\.?\s*$"
)
_INLINE_HABITAT = re.compile(r"(?<=[.;,])\s*(?:Hab(?:itat)?|HAB(?:ITAT)?|H[aá]bitat|Substrat(?:e|um)?)\s*[.:]")


# a line of its own that says what a lichen or moss grew on: "On bark of Quercus", "on granite", "Growing on soil"
_GREW_ON = re.compile(
    r"^\W*(?:(?:growing|epiphytic|saxicolous|corticolous|terricolous)\s+)?(?:on|upon|sur|auf)\s+\w"
    # or the substrate named first: "Bark of Quercus", "Sandstone ledge.", "Rock outcrop", "Rotten log"
    r"|^\W*(?:(?:rotten|decaying|dead|mossy|shaded|exposed|wet|dry)\s+)?(?:bark|rocks?|boulders?|(?:sand|lime)stone|"
    r"granite|basalt|soil|humus|mosses|logs?|stumps?|twigs?|trunks?|branch(?:es)?|wood|ledges?)\b",
    re.I,
)


# a host plant named by its genus and epithet after "on": "On Alnus sinuata near stream", "on bark of Quercus alba"
_ON_HOST = re.compile(r"^\W*(?i:(?:growing\s+)?on\s+(?:the\s+)?(?:(?:bark|wood|twigs?|branch(?:es)?)\s+of\s+)?)"
                      r"(?P<name>[A-Z][a-z]{2,}\s+[a-z][a-z-]{2,})\b")


def host_name(text: str) -> re.Match[str] | None:
    """Where ``text`` opens on a host plant's Latin name after "on" ("On Pinus resinosus, Elm Bay"); None when the
    two words do not read as a genus and its epithet ("On Elm creek")."""
    m = _ON_HOST.match(text)
    parsed = names.parse_name(m["name"]) if m else None
    return m if parsed is not None and names.latin_score(parsed) >= 0.6 else None


def grew_on(text: str, place_words: re.Pattern[str]) -> bool:
    """A substrate line under the place ("On bark of Quercus", "Rock outcrop"): no word of a place in it, or no
    named place (not "On cliff face, north side of Long Island", "on Elm Island"); a host's Latin name is none."""
    if _GREW_ON.match(text) is None:
        return False
    if host := host_name(text):
        text = text[: host.start("name")] + text[host.end("name") :]
    # a feature without a name is the ground the lichen grew on ("On sandstone bluff", "on boulder in creek")
    return not place_words.search(text) or not re.search(r"(?<=\s)(?:[A-Z][a-z]|Mt\b)", text)


_ONE_FOR_ELL = re.compile(r"(?<=[A-Za-z])1+(?=[a-z])")  # "O1iver Springs", "Quebradi11as", "Ju1y": an ell read as 1


def mend_ones(text: str) -> str:
    """``text`` with the letter l that OCR read as the digit 1 inside a word put back ("O1iver" → "Oliver")."""
    return _ONE_FOR_ELL.sub(lambda m: "l" * len(m[0]), text)


def trim_locality(value: str, description: re.Pattern[str]) -> str:
    """``value`` without a leading region in capitals and without its habitat sentences (the first sentence is
    kept whole: it is the locality)."""
    value = mend_ones(re.sub(r"\bl(?=\d+\b)", "1", value))  # "l8 miles", "l00 yds.": a one read as an ell
    value = _EMPTY_PARENTHESES.sub("", value)  # "Mt. Elm ( ), Elm Mts. ().": a script the reading left out
    value = re.sub(r"(?<=\w)\.\.(?!\.)", ".", value)
    value = _LAST_NUMBER_ALONE.sub("", value)
    value = _YEARLESS_DATE.sub("", value)  # "Elm Bay, June 3-5.": the days of collecting, the year on the header
    value = _INLINE_HABITAT.split(value, maxsplit=1)[0]  # "Rosaville. Hab. dry woods.": the habitat's own caption
    if (m := _AFTER_COORDINATES.search(value)) and re.search(r"[^\W\d_]{3}", value[: m.start()]):
        # (not coordinates that open the locality: "18°05'N, 77°20'W; along trail …", the place follows them)
        value = value[: m.start() + len(m["end"])]  # "…, 74°08'W, ca. 240 m; mixed forest": the habitat follows
    value = _FORM_CAPTION.sub("", value, count=1)
    return without_postal_state(_without_habitat(_without_lead_region(value), description))


def without_postal_state(value: str) -> str:
    """``value`` without a state's two-letter postal code after a town and a comma at its end ("Greenhouse, Elmton,
    TN" → "Greenhouse, Elmton"): an address's form, the state's own term, not the locality's words."""
    found = [s for s in places.find_states(value) if s.style == "postal"]
    if not found or value[found[-1].end :].strip(" .") or not value[: found[-1].start].rstrip().endswith(","):
        return value
    town = value[: found[-1].start].rstrip(" ,")
    return town if re.search(r"\b[A-Z][a-z]+$", town) else value  # (after a town: "…, north shore, NE" a direction)


# a printed form's caption in capitals before its blank, the kind of place first: "FOREST/EXPT. AREA: Elm
# National Forest", "AREA:", "COLLECTING SITE:" (the caption says what the blank holds; it is not the place)
_FORM_CAPTION = re.compile(r"^\W*(?:[A-Z][A-Z.\-]*[/\s]+){0,3}(?:AREA|SITE)\s*:\s*(?=\S)")


# a habitat before the place it is at: "On moss mounds in a bog along Cedar Creek …" → "along Cedar Creek …"
_LEAD_HABITAT = re.compile(r"^(?:On|In|Among)\s+[a-z][^,;.:]*?\s(?=(?:along|near|beside)\s+[A-Z])")


# a first sentence of the Public Land Survey's township, range and section alone: "T9S, R53W, sec 12, NW 1/4."
_LEAD_SURVEY = re.compile(
    r"^(?:(?:T\.?\s?\d+\s?[NS]|R\.?\s?\d+\s?[EW]|sec(?:tion|\.)?\s?\d+|[NS][EW]\s?1/4)[,;\s]*)+\.\s+(?=[A-Z])",
    re.I,
)
# an elevation at the end, after a comma: "…, 2900 FT. ALT.", "…, elev. 880 m"
_TAIL_ELEVATION = re.compile(
    r",\s*(?:[\d,.]+\s*(?:ft|feet|m|meters)\.?\s*(?:alt|elev)[a-z]*|(?:alt|elev)[a-z]*\.?\s*[\d,.]+\s*(?:ft|feet|m|meters))"
    r"\W*$",
    re.I,
)


# a printed form's header whose blank was filled in with the place: "PLANTS OF ___Elk Mountain State Park"
_FORM_HEADER = re.compile(r"^(?i:plants?|flora)\s+(?i:of|from)\s*_+\s*(?=[A-Z])")


# the collecting verb before the place, no person's name after it: "Collected in the Elm Hills …" → "Elm Hills …"
COLLECTED_IN = re.compile(r"^\W*(?i:collected\s+(?:in|at|on|from)\s+(?:the\s+)?)(?=[A-Z][a-z])")


def _without_lead_region(value: str) -> str:
    while (rest := _without_one_lead(value)) != value:
        value = rest
    return value


# a segment before a colon that opens the locality: "UNITED STATES: ALASKA: …", "U.S.A., VIRGINIA: Elm co:, …"
_LEAD_COLON = re.compile(r"^\s*(?P<seg>[^:;()]{2,40}?)\s*\.?:[\s,]*(?=\S)")
_COUNTY_WORD = re.compile(r"^[A-Z][\w'’. -]*\s(?i:co|county|parish)\.?$")
# the substrate a lichen or moss grew on, opening its locality: "On rock, Elm River …", "On Betula, Elm Bog", "on
# barnacles in Elm State Park" (the place's own preposition kept), "Thuja branches, Elm Lake" (a tree's part)
_PARTS = r"bark|wood|logs?|twigs?|branch(?:es)?|trunks?|stumps?"
_LEAD_SUBSTRATE = re.compile(
    rf"^(?:[Oo]n\s+(?:(?:rocks?|stones?|boulders?|{_PARTS}|barnacles|moss(?:es)?|"
    r"spruce|pine|fir|oak|birch|cedar|hemlock|maple|alder|willow|aspen|juniper|larch|tamarack|poplar)"
    rf"|[A-Z][a-z]+)|[A-Z][a-z]+\s+(?:{_PARTS}))(?:\s*,\s+(?=[A-Z])|\s+(?=(?:in|at)\s+[A-Z]))"
)


# a rock the lichen grew on, its formation perhaps named, before where it lay: "On Elmton sandstone in high hills"
_LEAD_ROCK = re.compile(
    r"^[Oo]n\s+(?:[A-Z][a-z]+\s+)?(?:sandstone|limestone|granite|basalt|quartzite|schist|gneiss|shale|dolomite|"
    r"slate|rocks?|boulders?)\s+(?=in\s)"
)
_AFTER_HOST = re.compile(r"\s*,\s+(?=[A-Z])|\s+(?=(?:in|at)\s+[A-Z])")


_PROVINCE_WORD = re.compile(r"\b(?i:prov(?:ince)?|pref(?:ecture)?)\b\.?")


def _admin_spans(seg: str) -> list[tuple[int, int]]:
    """Where ``seg`` names its country, states, a county, and after its country the country's subdivision and a
    province with its word ("JAPAN. Hokkaido. Prov. Ishikari")."""
    spans = [(x.start, x.end) for x in places.find_states(seg)]
    if (country := places.find_country(seg)) is not None:
        spans.append((country.start, country.end))
        if (sub := places.find_subdivision(seg, country.country_code)) is not None:
            spans.append((sub.start, sub.end))
        if (province := places.find_cued_province(seg)) is not None:  # ("Prov. Elmira:" alone heads the place)
            spans.append((province[1], province[2]))
    if (county := places.find_county(seg)) is not None:
        spans.append((county.start, county.end))
    return spans


def _admin_only(seg: str) -> bool:
    """``seg`` holds nothing but a country, states and a county ("U. S. A., VIRGINIA", "Elm co"), or a country,
    its subdivision and a province with its word ("JAPAN. Hokkaido. Prov. Ishikari")."""
    if _COUNTY_WORD.match(seg.strip()):
        return True
    spans = _admin_spans(seg)
    kept = [ch for k, ch in enumerate(seg) if not any(start <= k < end for start, end in spans)]
    return bool(spans) and not re.search(r"[^\W\d_]", _PROVINCE_WORD.sub(" ", "".join(kept)))


def _beyond_country(seg: str) -> bool:
    """``seg`` names more than its country alone."""
    country = places.find_country(seg)
    return country is None or re.search(r"[^\W\d_]", seg[: country.start] + seg[country.end :]) is not None


def _without_admin_prefix(value: str) -> str:
    """``value`` without the country, state and county segments before colons that open it ("UNITED STATES:
    ALASKA: Elm Island" → "Elm Island"), when one of them names a state or county; a country alone before its
    colon stays ("Bahamas: Little Abaco …": labels write it so, and transcribers keep it). "" when none."""
    rest, subdivision = value, False
    while (m := _LEAD_COLON.match(rest)) and _admin_only(m["seg"]):
        subdivision = subdivision or _beyond_country(m["seg"])
        rest = rest[m.end() :]
    return rest if subdivision and rest != value else ""


_DIVISION_WORD_ONLY = re.compile(rf"^[\W\d_]*{places.ADMIN_WORD}[\s.]*(?:of|de|del|du|de\s+la)?[\W\d_]*$", re.I)


def _worded_division(seg: str, code: str) -> bool:
    """``seg`` names a division of the country ``code`` with its word and nothing else ("Municipio Elmton" in
    Puerto Rico, "Prov. La Vega"); a bare name may be a town's as well ("Anse La Raye: 1 km SSW of Anse La Raye")."""
    found = places.find_subdivision(seg, code)
    span = (found.start, found.end) if found is not None else None
    if span is None and (municipio := places.find_first_level_municipio(seg, code)) is not None:
        span = municipio[1:]
    if span is None and (former := divisions.former_division(seg, code)) is not None:
        span = (seg.find(former), seg.find(former) + len(former)) if former in seg else None
    return span is not None and bool(_DIVISION_WORD_ONLY.match(seg[: span[0]] + " " + seg[span[1] :]))


# a sentence of administrative places ending in a full stop, the next one's capital perhaps run into it ("Elm
# County, Florida. USA.Rosa Key"); initials' stops stay inside it ("U.S.A.")
_LEAD_STOP = re.compile(
    r"^\s*(?:(?P<abbr>(?:[A-Z]\.){2,})|(?P<seg>(?:\b[Cc]o\.|[^.;:()])+?)\.)\s*(?=[A-Z])"
)


def _without_county_sentences(value: str) -> str:
    """``value`` without the county with its word, its state and country written first as sentences of their
    own ("Elm County, Florida. USA. Rosa Key, …" → "Rosa Key, …"): the county, state and country are their
    own terms; "" when no county heads it so (a country alone before the place stays: "DOMINICA. Carib …")."""
    rest, county = value, False
    while (m := _LEAD_STOP.match(rest)) and _admin_only(seg := m["seg"] or m["abbr"]):
        county = county or (c := places.find_county(seg)) is not None and c.start == 0
        rest = rest[m.end() :]
    return rest if county and re.search(r"[a-z]", rest) else ""


def _without_country_over_division(value: str) -> str:
    """``value`` without the country alone before its colon when a division of it follows before the next one
    ("Puerto Rico: Municipio Elmton: Barrio Rosa, …" → "Municipio Elmton: Barrio Rosa, …"): the country is its
    own term, the division heads the place as written; "" when not so (an island, a town or a division's bare
    name after the country's colon stays with it: "Bahamas: Little Elm Cay")."""
    first = _LEAD_COLON.match(value)
    if first is None or (country := places.find_country(first["seg"])) is None or _beyond_country(first["seg"]):
        return ""
    rest = value[first.end() :]
    second = _LEAD_COLON.match(rest)
    return rest if second is not None and _worded_division(second["seg"], country.country_code) else ""


# the collector's number written before the place on its line: "No. 382 Rocky thicket, Elm Hills" (its own term)
_LEAD_NUMBER = re.compile(r"^(?i:no)\.?\s*\d+[a-z]?\.?\s+(?=[A-Z][a-z])")


def _without_one_lead(value: str) -> str:
    if m := _LEAD_HABITAT.match(value) or _LEAD_SURVEY.match(value) or _FORM_HEADER.match(value):
        return value[m.end() :]
    if m := _LEAD_NUMBER.match(value):
        return value[m.end() :]
    if m := COLLECTED_IN.match(value):
        return value[m.end() :]
    if rest := _without_admin_prefix(value):
        return rest
    if rest := _without_county_sentences(value):
        return rest
    if rest := _without_country_over_division(value):
        return rest
    if m := _LEAD_SUBSTRATE.match(value) or _LEAD_ROCK.match(value):
        return value[m.end() :]
    if (host := host_name(value)) and (m := _AFTER_HOST.match(value, host.end())):
        return value[m.end() :]  # "On Pinus resinosus, Elm Bay": the host tree the lichen grew on, then the place
    m = _LEAD_REGION.match(value)
    if m is None:
        return value
    seg, rest = m["seg"], value[m.end() :]
    words = seg.split()
    if not re.search(r"[a-z]", rest) or not rest[:1].isupper() and not rest[:1].isdigit():
        return value  # a locality in capitals ("VICINITY OF …"), or a sentence that does not start anew
    admin = m["admin"] or (len(words) > 1 and words[-1] in _ADMIN_WORDS)
    if m["sep"] == ":" and not admin:
        return value  # "ELEUTHERA: The Current": an island or a place named before a colon is the locality's own
    if len(words[-1]) < 3 or places.find_country(seg):
        return value  # "ST. LUCIA", a country: kept as written
    if m["sep"] == "." and len(words) > 1 and words[-1] in _HEADING_DIVISIONS:
        return value  # "ST. PAUL PARISH. Road above …": the parish or province heads the sentence, as written
    return rest


def _without_habitat(value: str, description: re.Pattern[str]) -> str:
    ends = [m for m in _SENTENCE_END.finditer(value)]
    for m in ends:
        if value[: m.start()].rstrip().endswith(":"):
            continue  # "MAINE: , Dry sandy roadside …": what a caption introduces is the locality, not habitat
        if DIVISION_ABBREVIATION.search(value[: m.start()]):
            continue  # "Prov. Pinar del Río: …": the division's shortened word, its name follows
        following = value[m.end() :]
        first = re.match(r"[\w-]+", following)
        if first is None:
            continue
        sentence = _SENTENCE_END.split(following, maxsplit=1)[0]
        second = re.match(r"[\w-]+\W+(?P<w>\w+)", following)
        proper = second is not None and second["w"][:1].isupper() and not second["w"].isupper()
        if (
            (first[0].lower() in _HABITAT_OPENERS and not proper)  # not "Forest Park", "Pine Knob"
            or _ABUNDANCE.search(sentence)
            or description.search(sentence)
        ):
            value = value[: m.start()]
            break
    clause = _HABITAT_CLAUSE.search(value)
    if clause and clause["word"].lower() in _HABITAT_OPENERS:
        value = value[: clause.start()]
    return _TAIL_ELEVATION.sub("", value).strip(" ,;")


# A number before its unit with a letter O read for a zero: "55O METERS", "1O00 ft.", "3-4OO m", "2,OOO feet"
_O_IN_MEASURE = re.compile(
    r"(?<![\w.,])\d[\d,Oo]*[Oo][\d,Oo]*(?=\s?(?i:m|km|ft|feet|foot|meters?|metres?|metros|msnm|mi|miles?|yds)\b)"
)


_MC_MISREAD = re.compile(r"\bMo(?=[A-Z][a-z])")  # "Lake MoDonald": the c of a Scottish name's Mc read as o
_RANGE_DASH = re.compile(r"(?<=\d)\s?[–—]\s?(?=\d)")  # "0–30 m": a range typeset with an en dash


def mend_measures(text: str) -> str:
    """``text`` with the zeros of its measures read as the letter O put back, its ranges of numbers written
    with a hyphen, as records keep them ("0–30 m" → "0-30 m"), and the Mc of a name read Mo put back."""
    text = _RANGE_DASH.sub("-", text)
    text = _MC_MISREAD.sub("Mc", text)
    return _O_IN_MEASURE.sub(lambda m: m[0].replace("O", "0").replace("o", "0"), text)


_MAP_NAME_LAST = re.compile(r"\bquad(?:rangle)?\b[^;]*$", re.I)  # "Quad. Map Elmton (C-6), Alaska": the map's name


def without_state_last(label: Label, value: str) -> str:
    """``value`` without the label's state named last after a comma ("Across bay from Elm Point, Alaska." →
    "Across bay from Elm Point"; misread by a letter too: "Block Island, Bhode Island"): the state is the place's
    address, its own term; the sentence before it says where (a feature word), else the town and its state stay
    as written ("Rosaville, Mass.")."""
    state = label.fields.get("stateProvince")
    found = places.find_states(value)
    if not found and (misread := places.misread_state_last(value)) is not None:
        found = [misread]  # "Block Island, Bhode Island": the label's state, one letter misread
    if state is None or not found or found[-1].name != state.value or value[found[-1].end :].strip(" ."):
        return value
    head = value[: found[-1].start].rstrip()
    if not head.endswith(",") or not LOCALITY_WORDS.search(head) or _MAP_NAME_LAST.search(head):
        return value
    return head.rstrip(" ,")


def without_county_last(label: Label, value: str) -> str:
    """``value`` without the label's county and its word after a comma at its end ("Pike Lake, Luce Co" → "Pike
    Lake"): the county is its own term, the place before it says where."""
    county = label.fields.get("county")
    if county is None:
        return value
    m = re.search(rf",\s*{re.escape(county.value)}\s+(?:co\.?|county|parish)\W*$", value, re.I)
    return value[: m.start()].rstrip(" ,") if m is not None and m.start() > 0 else value


# a closing sentence that only says how sunny or wet the spot is ("Direct sun, dry soil."): habitat, not where
_CONDITION_WORDS = set(
    "direct full partial part sun sunny shade shaded shady exposed exposure dry moist wet damp soil soils sandy "
    "clay loam loamy rocky gravelly well drained poorly and in with".split()
)
_CONDITION_CORE = {"sun", "sunny", "shade", "shaded", "shady", "exposed", "exposure", "soil", "soils"}


def without_conditions(value: str) -> str:
    """``value`` without a last sentence of light and soil words alone, when a sentence comes before it."""
    head, sep, last = value.rstrip(" .").rpartition(". ")
    words = re.findall(r"[^\W\d_]+", last.lower())
    if sep and head and words and set(words) <= _CONDITION_WORDS and _CONDITION_CORE & set(words):
        return head + "."
    return value
