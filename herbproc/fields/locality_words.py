"""The cue words and patterns that tell a locality's lines from the label's other lines."""

from __future__ import annotations

import re

COORDINATES = re.compile(  # "Long" alone is a pond's name, not a longitude: a number must follow
    r"\d+\s*°|\b(?:lat|long|latitude|longitude)\b\.?\s*[:=]?\s*[-+]?\d|\b\d{1,3}\.\d{3,}\s*°?\s*[NSEW]\b"
    # a latitude and longitude whose degree signs were read as zeros: "15019'N,61019W" (15°19'N, 61°19'W)
    r"|\b\d{1,2}0[0-5]\d['’]?\s?[NS]\b\W{0,3}\d{1,3}0[0-5]\d['’]?\s?[EW]\b",
    re.I,
)
ELEVATION_LINE = re.compile(r"^\W*(?:elev(?:ation)?|alt(?:itude|itud)?|altura|height\s+above)\b", re.I)
DESCRIPTION_WORDS = re.compile(  # lines that describe the plant, not the place
    r"\b(?:stems?|dbh|height|tall|shrubs?|trees?|herbs?|leaves|leaf|flowers?|flowering|fruits?|fruiting|corolla|"
    r"petals?|sepals?|reproductive|sterile|abundant|frequent|occasional|uncommon|rare|plants?\s+\d|"
    r"flor(?:es)?|hojas?|frutos?|arbustos?|[aá]rbol(?:es)?|hierbas?|herb[aá]ceas?|fleurs?|feuilles?)\b"
    r"|\b(?:fls|frs|fl\s*&\s*fr)\.",  # "fls. white", "frs. red": the label's abbreviations for flowers, fruits
    re.I,
)
LOCALITY_CUE = re.compile(
    r"^\W*(?:loc(?:ality|\.)?|location|localit[ée]|localit[àa]|localidade?|lokalit[ea]t|lokalita|fundort|vindplaats|"
    r"station)(?P<habitat>\s*/\s*hab\w*\.?)?\s*[:.]\s*"
    r"|^\W*(?-i:[Ll]oca[lt][a-z]{1,5}(?=[A-Z]))"  # the caption glued to its value, misread: "LocaltyElm Hill"
    r"|^\W*(?-i:Locality|LOCALITY)\s+(?=[A-Z])"  # a printed form's caption without its colon: "Locality Elm Hill"
    r"|^\W*(?-i:Local(?:ty|ily|itv|lty|iy))\s+(?=[A-Z])"  # that caption misread by a letter: "Localty Bot. Garden"
    r"|^\W*(?-i:Loc)\s+(?=[A-Z][a-z])",  # its short caption, the leader's dots read away: "Loc Pike Lake, Elm Co"
    re.I,
)
LOCALITY_WORDS = re.compile(
    r"\b(?:near|along|vicinity|vic\.|mi\.|miles?|km|N\.?E\.?|N\.?W\.?|S\.?E\.?|S\.?W\.?|N|S|E|W|north|south|"
    r"east|west)\b\.?\s*(?:of|from)\b|\babout\s+(?-i:[A-Z][a-z])"  # "Hills about Tepic"
    r"|\baround\s+(?:the\s+)?(?-i:[A-Z][a-z])"  # "Area around the Elm Motel"
    # "Barrow area": a named place's surroundings; not the kind of ground ("Disturbed area", "Sandy area")
    r"|(?-i:\b(?!(?:Open|Wet|Dry|Damp|Moist|Low|Waste|Study|Picnic|Parking|Recreation|Wilderness|Natural|Swamp|"
    r"Marsh|Bog|Meadow|Forest|Burn|Seepage|Flat|Upland|Lowland)\b)[A-Z][a-z]+(?<!ed)(?<!ing)(?<!y)\s+area)\b"
    r"|\b(?:cultivated|cult\.|grown|planted)\s+(?:in|at)\s+(?:the\s+)?(?-i:[A-Z][a-z])"  # "Cultivated in Elmira"
    r"|\b(?:near|along|vicinity|road|roadside|rd\.|route|rte\.|highway|hwy\.|trail|river|brook|creek|pond|lake|"
    r"swamp|bog|marsh|meadow|woods|forest|hill|mountain|peaks?|mt\.|(?-i:Mt)|island|shore|beach|park|falls|valley|town|township|"
    r"twp\.|village|station|bay|cove|harbou?r|cape|point|springs?|cays?|reef|bluffs?|ridge|canyon|ravine|gorge|"
    r"gulch|lagoon|inlet|peninsula|península|mountains|hills|rivers|lakes|islands|canal)(?:\b|(?<=\.))"
    # plurals ("TRINIDAD MOUNTAINS"), and the features of Spanish, Portuguese and French labels before their name:
    # "Isle of Pines", "Cerro de Cabezas", "Sierra de Baoruco", "cerca de Madruga", "près de Hull", "bei Hall"
    r"|\b(?:keys?|isles?|islas?|islotes?|cayos?|cerros?|sierras?|lomas?|montes?|montañas?|"
    r"r[ií]o|arroyo|quebrada|playa|bah[ií]a|laguna|lago|barrio|bo\.|camino|carretera|volc[aá]n|morne|rivi[eè]re|"
    r"piedras?|sabana|potrero|paraje|ensenada|"
    r"ilha|serra|ribeira|valle|massif|piton|port(?:o|us)?(?!\s+rico)|puerto(?!\s+rico)|insula|mons|"
    # a protected area, an estate or a reservoir named so: "Bosque Estatal de Maricao", "Reserva Forestal de …"
    r"bosque\s+(?:estatal|nacional|insular)|reserva(?:\s+(?:forestal|natural|cient[ií]fica|biol[oó]gica))?|"
    r"parque(?:\s+nacional)?|finca|hacienda|embalse|"
    # French labels' (Guadeloupe, Martinique, Haiti): "Forêt de …", "Habitation …", "Environs de …", "Trace des …"
    r"for[eê]t|habitation|environs|trace|[ée]tang|plaine|savane|lac)\s+(?:(?:de\s+la|de|del|do|da|du|des|la|las|los|of|the)\s+)?(?-i:[A-ZÁÉÍÓÚÑ])"
    r"|\b(?:cerca\s+de|pr[eè]s\s+de|bei|nahe|prope|juxta|apud)\s+(?-i:[A-ZÁÉÍÓÚÑ])"  # Latin "prope Baracoa"
    # the surroundings of a town in Spanish, Portuguese labels: "Alrededores de Elmton", "Arredores de Rosaville"
    r"|\b(?:alrededores|afueras|cercan[ií]as|inmediaciones|arredores|proximidades|imedia[cç][õo]es)\s+(?:de|del|do|da|dos|das)\s+(?-i:[A-ZÁÉÍÓÚÑ])"
    # a road to a town: "Estrada para Rosaville", "Camino a Elmton", "Route de Rosaville"
    r"|\b(?:estrada|caminho|rodovia|camino|carretera|route|chemin)\s+(?:para|a|à|de|do|da|du|entre)\s+(?-i:[A-ZÁÉÍÓÚÑ])"
    r"|^\W*(?:entre|between)\s+(?-i:[A-ZÁÉÍÓÚÑ])[\w'’.-]*(?:\s+(?-i:[A-ZÁÉÍÓÚÑ])[\w'’.-]*){0,3}\s+(?:y|e|et)\s+(?-i:[A-ZÁÉÍÓÚÑ])"
    # a town to another, the whole line a stretch of road: "Elmton to Rosaville.", "Port Elmo to Rosa Hill"
    r"|^\W*(?-i:(?!(?:Sent|Given|Lent|Loaned|Returned|Referred|Belongs|Compare|Due|Similar|Close|Next)\b)[A-Z][a-z]{2,}(?<!ed)(?:\s+[A-Z][a-z]{2,}){0,2})\s+to\s+(?-i:[A-Z][a-z]{2,}(?:\s+[A-Z][a-z]{2,}){0,2})\W*$"
    r"|^\W*between\s+(?-i:[A-Z])[\w'’.-]*(?:\s+(?-i:[A-Z])[\w'’.-]*){0,3}\s+(?:and|&)\s+(?-i:[A-Z])",  # "Between Elm and Rosa"
    re.I,
)
# "Great Inagua: on flat gravelly soil …", "ST. LUCIA: Anse La Raye: 1 km SSW …": a place named before a colon
# (one to four capitalised words, perhaps after a sentence's end: a word's stop, not an initial's, "U.S.A. Virgin
# Islands: …") and what is said of it; not a field's name.
PLACE_COLON = re.compile(
    r"(?:^\W*|(?<=[\w)]{2}[.;])\s*)(?P<place>(?:(?:[A-Z][\w'’áéíóúñ]*\s+){1,3}[—–]\s*)?(?:(?:[A-Z][\w'’áéíóúñ]*(?:-[A-Z][\w'’áéíóúñ]*)*(?![\w'’áéíóúñ])\.?|(?:de|del|la|y|of|the|du|des|do|da|dos|das)(?!\w))\s*){1,4})"
    r"\s*:\s*(?=\S)"  # ("Massif du Nord:", "Serra do Mar:": French and Portuguese names' particles too; "Basse-Terre:";
    # a region and its dash before the place: "Douro Litoral — Elmeira de Sousa : Rosal do Salto, …"); each word
    # whole, so that a long run of letters is not tried split every way (minutes on an OCR line of 300 capitals)
)
FIELD_NAMES = {
    w
    for w in (
        "det determined determinavit conf confirmed confirm vel rev date dated fecha datum coll colls collector "
        "collectors collected leg legit name bot vern common hab habitat alt altitude elev elevation lat long "
        "latitude longitude notes note uses use nv family familia fam no nr number county parish state province "
        "prov country locality loc description descr coordinates coord voucher sheet accession acc ex herb "
        "herbarium det vel substrate soil host flowers fruits phenology remarks comments ref cf id annotation "
        "label project site source duplicates dupl dupla num núm numero número nos "
        # the captions of French, Spanish and Portuguese forms: "Herbier: …", "Pays: …", "Territoire: …"
        "herbier herbario herbário pays país pais territoire secteur famille genre espèce espece synonyme forme "
        "biologique coordonnées coordonnees coordenadas récolteur récolteurs recolteur recolteurs récolte recolte "
        "nom localité localite localidad localidade provincia departamento municipio distrito colector colectores "
        "coletor altitud altura"
    ).split()
}
# The associated species begin: "Growing with …", "associated with …", "Assoc.: …", "With: …".
ASSOCIATES = re.compile(  # ... or a form's "With:" caption before them (bryophyte and lichen packets)
    r"\b(?:growing|associated|occurring|found)\s+w(?:ith|th|ih|ilh|ith)\b|\bassoc\.|^\W*with\s*:", re.I
)
# A line that ends a sentence begun on a line not read as the locality does not begin it: "and Bay Street."
TAIL = re.compile(r"^\W*(?:and|or|to|of|the|with|y|et)\b")
HABITAT_CUE = re.compile(
    r"^\W*(?:hab(?:itat)?|h[aá]bitat|substrat(?:e|um)?)\s*[.:]|^\W*(?-i:Habitat|HABITAT)\s",  # a form's caption
    re.I,
)
# a form's caption without its colon, a capitalised value after it: "Locality Elm Hill", "Habitat Open fields"
BARE_LOCALITY_CAPTION = re.compile(r"^\W*(?:Locality|LOCALITY|Localidad|LOCALIDAD|Location|LOCATION)\s+(?=[A-Z])")
HABITAT_WORD = re.compile(r"\b(?:hab(?:itat)?|h[aá]bitat|substrat(?:e|um)?)\b", re.I)
BARE_HABITAT_CAPTION = re.compile(r"^\W*(?:Habitat|HABITAT|H[aá]bitat)\s+(?=[A-Z])")
# a government body's line: "DEPARTMENT OF AGRICULTURE", "Ministry of Forests", "Bureau of Plant Industry"
AGENCY = re.compile(
    r"\b(?:department|dept\.?|ministry|bureau|division|office|board)\s+of\s+(?:the\s+)?"
    r"(?:agri|forest|botan|plant|natural|fish|conserv|environ|lands?\b|interior|biolog|science|parks?\b)",
    re.I,
)
# an exsiccata's or a collector's series title: "Lichenes rariores exsiccati", "PLANTAE PORTORICENSES", "Plantae
# Mexicanae", "Plantae Cubenses Wrightianae" (the plants of a land in Latin: a region, the series' name, no locality),
# its adjective's Latin plural ending kept where a letter before it was misread ("PLANTAE PORTORICESSES")
EXSICCATA = re.compile(r"\bexsicc?at(?:a|ae|i|us|orum)\b|\bplantae\s+[a-z]{3,}(?:es|ae)\b", re.I)
ADMIN_WORDS = ("county", "parish", "province", "state", "district", "department", "municipality")
# a header that names where the plants were collected: "PLANTS OF THE ISLE OF PINES", "PLANTS COLLECTED IN
# TURKS ISLANDS, 1905"; the place capitalised (not "Plants of pine woodlands.": a habitat)
# "WEST INDIAN EXPLORATION 1913", "BAHAMA EXPEDITION": an expedition's header, a region before the word
PLACE_HEADER = re.compile(  # (the stops of initials and "St." inside it: "Flora of St. Elm, D. W. Indies.")
    r"^\W*(?i:plants?|flora)\s+(?i:collected\s+)?(?i:of|in|on|from)\s+(?:(?i:the)\s+)?[A-Z]"
    r"(?:[^.]|(?<=\b[A-Z])\.|(?<=\bSt)\.)*(?:\.\s*)?$"
    r"|^\W*[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){0,2}\s+(?i:exploration|expedition)(?:[\s,]+\d{4})?\W*$"
    r"|^\W*(?i:exploration|expedition)\s+(?i:of|to)\s+(?:(?i:the)\s+)?[A-Z][^.]*$"  # "EXPLORATION OF GUAM"
)
# a town or township named after a comma in a header that names the state: "Plants of Elmia, Town of Rosaville"
HEADER_TOWN = re.compile(r",\s*(?P<town>(?i:town(?:ship)?\s+of)\s+[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){0,2})\W*$")
CAPTION_ONLY = re.compile(r"^\W*[A-Za-z]+\s*:\s*$")  # "Parish:" above its value
ADMIN_ONLY = re.compile(
    r"\b(?:prov(?:ince|incia)?|dept|department|departamento|parish|parroquia|state|estado|distrito|district)\b\.?"
    r"(?:\s+(?:of|de|del)\b)?",  # "STATE OF SONORA", "Provincia de Tarija"
    re.I,
)


# a line that opens with an institution's word, in any of the labels' languages
INSTITUTION_START = re.compile(
    r"^\W*(?:ex\s+|dupl\w*\.?\s+(?:ex\s+)?)?(?:herb\.|(?:museum|museo|mus[ée]e|herbarium|herbario|herbier|university|universidad|universidade|universit[ée]|"
    r"institute|instituto|institut|college|colegio|botanical\s+garden|jard[ií]n|jardim|"
    r"department|departamento|ministry|ministerio)\b)",
    re.I,
)


# a habitat in lower case before a colon, then the place capitalised: "In pasture: Elmton", "On dunes: Elm Key"
HABITAT_BEFORE_PLACE = re.compile(r"^\W*(?i:in|on|among)\s+[a-z][a-z -]*:\s*(?=[A-Z])")
# a caption and its number: "No. 18,186", "Sec:16"; "No, 2634" (the cue's dot read as a comma, as record_number's)
CAPTION_NUMBER = re.compile(r"^\W*(?:[A-Za-z]+\.?|[Nn][Oo],)\s*[:#.]?\s*[^\s\d]*\d(?:[\w\-/]|,(?=\d{3}))*\W*$")
ABUNDANT_ALONG = re.compile(
    r"^(?:very\s+|locally\s+)?(?:abundant|common|frequent|occasional|rare)\s+(?=(?:along|near|beside)\b)", re.I
)
ENDS_ON_WORD = re.compile(r"\b(?:of|at|near|by|along|in|on|the|and|to|from|with)$", re.I)


# a line of an elevation and nothing else: "Alt. 1200 m.", "Altura 2100 m.-", "Elev. ca. 300 ft."
ELEVATION_ONLY = re.compile(
    r"^\W*(?:elev(?:ation)?|alt(?:itude|itud)?|altura)\.?\s*:?\s*(?:(?:ca|c|approx)\.?\s*)?[\d,.]+"
    r"(?:\s*-\s*[\d,.]+)?\s*(?:m|ft|feet|meters|metres|msm)\b[\s.\-]*$",
    re.I,
)
# an elevation opening a line, no caption: "ca. 240 m; …", "1200 m", "12,740 ft" ("Elevation: 33 m" is a form's field)
ELEVATION_START = re.compile(
    r"^\W*(?:(?:ca|c|approx|about)\.?\s*)?[\d,.]+(?:\s*-\s*[\d,.]+)?\s*"
    r"(?:m|ft|feet|meters|metres)\b\.?\s*(?:alt\w*\.?|elev\w*\.?)?\s*(?:[;,.]|$)",
    re.I,
)
# the Public Land Survey's township, range and section opening a line: "R6E.", "T.10S., R.20E., sec. 22"
_SURVEY_PART = r"(?:T\.?\s?\d+\s?[NS]|R\.?\s?\d+\s?[EW]|(?i:sec(?:tion|\.)?)\s?\d+|[NS][EW]\s?1/4)\.?"
SURVEY_START = re.compile(rf"^\s*{_SURVEY_PART}(?:[,;\s]+{_SURVEY_PART})*[,;.]?(?=\s|$)")
# a form's map quadrangle caption and its sheet: "Quad. Map Elmton (C-6)", "Map/Quad.: Elm C-5 SW", "USGS Quad: Elm"
QUAD_MAP = re.compile(r"^\W*(?:(?:USGS\s+)?quad(?:rangle)?\.?\s*(?:/\s*)?map|map\s*/\s*quad\.?|(?:USGS\s+)?quad(?:rangle)?\.?)\s*:?\s*(?=[A-Z])", re.I)
# a form's caption for coordinates at the line's start: "Lat. 40°N", "Latitude 54° 56'N", "GPS:": their own field
COORDINATE_CAPTION = re.compile(r"^\W*(?:lat|long|l?atitude|l?ongitude|gps|coord\w*)\b", re.I)


SUBSTRATE_LINE = re.compile(  # "Sandstone. Horizontal surf.": what a lichen or moss grew on, not a place
    r"^\W*(?:(?:sand|lime|clay|mud|iron)stone|granite|basalt|quartzite|schist|gneiss|shale|dolomite|slate|bark|soil|humus)"
    r"\s*(?:[.,;:]|$)",
    re.I,
)


# a form's caption with its colon for a field other than the place's: the blank of the locality has ended
NEXT_FIELD = re.compile(r"^\W*(?:state|county|country|province|parish|collectors?|coll|date|elev|elevation|alt|altitude)\.?\s*:", re.I)
# a road named after the word before it: "Fla. Hwy 24", "Georgia Highway 15", "Co. Rd. 347": that word's full stop is
# an abbreviation's, not a sentence's end, and a state's name there is part of the road's
ROAD_NEXT = re.compile(
    r"\s*(?i:hwy|highway|hiway|rte|route|rd|road|pkwy|parkway|tpke|turnpike|interstate|state\s+(?:hwy|highway|route|road|rd))\b"
)
