"""Word lists for plausible botanical names: real New England families and genera, Latin-ish epithets."""

from __future__ import annotations

# (family, order, class, [(genus, grammatical gender, habit hint or "")])
FAMILIES: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    ("Rosaceae", "Rosales", "Magnoliopsida",
     [("Rubus", "m", ""), ("Potentilla", "f", "herb"), ("Spiraea", "f", "shrub"), ("Amelanchier", "f", "shrub"),
      ("Prunus", "f", "shrub"), ("Rosa", "f", "shrub"), ("Fragaria", "f", "rosette"), ("Geum", "n", "herb")]),
    ("Asteraceae", "Asterales", "Magnoliopsida",
     [("Solidago", "f", "herb"), ("Symphyotrichum", "n", "herb"), ("Eurybia", "f", "herb"),
      ("Eupatorium", "n", "herb"), ("Hieracium", "n", "rosette"), ("Erigeron", "m", "herb"),
      ("Antennaria", "f", "rosette")]),
    ("Fabaceae", "Fabales", "Magnoliopsida",
     [("Lespedeza", "f", "herb"), ("Desmodium", "n", "herb"), ("Trifolium", "n", "herb"),
      ("Lathyrus", "m", "vine"), ("Apios", "f", "vine"), ("Baptisia", "f", "herb")]),
    ("Ericaceae", "Ericales", "Magnoliopsida",
     [("Vaccinium", "n", "shrub"), ("Kalmia", "f", "shrub"), ("Rhododendron", "n", "shrub"),
      ("Gaultheria", "f", "herb")]),
    ("Lamiaceae", "Lamiales", "Magnoliopsida",
     [("Mentha", "f", "herb"), ("Lycopus", "m", "herb"), ("Scutellaria", "f", "herb"),
      ("Prunella", "f", "herb"), ("Pycnanthemum", "n", "herb")]),
    ("Ranunculaceae", "Ranunculales", "Magnoliopsida",
     [("Ranunculus", "m", ""), ("Thalictrum", "n", "herb"), ("Anemone", "f", ""), ("Clematis", "f", "vine"),
      ("Aquilegia", "f", "herb")]),
    ("Caryophyllaceae", "Caryophyllales", "Magnoliopsida",
     [("Silene", "f", "herb"), ("Stellaria", "f", "herb"), ("Cerastium", "n", "herb")]),
    ("Brassicaceae", "Brassicales", "Magnoliopsida",
     [("Cardamine", "f", ""), ("Arabis", "f", "rosette"), ("Barbarea", "f", "herb")]),
    ("Violaceae", "Malpighiales", "Magnoliopsida", [("Viola", "f", "rosette")]),
    ("Hypericaceae", "Malpighiales", "Magnoliopsida", [("Hypericum", "n", "herb")]),
    ("Apiaceae", "Apiales", "Magnoliopsida", [("Zizia", "f", "herb"), ("Sium", "n", "herb"), ("Osmorhiza", "f", "herb")]),
    ("Onagraceae", "Myrtales", "Magnoliopsida",
     [("Oenothera", "f", "herb"), ("Epilobium", "n", "herb"), ("Ludwigia", "f", "herb")]),
    ("Polygonaceae", "Caryophyllales", "Magnoliopsida", [("Persicaria", "f", "herb"), ("Rumex", "m", "")]),
    ("Adoxaceae", "Dipsacales", "Magnoliopsida", [("Viburnum", "n", "shrub"), ("Sambucus", "f", "shrub")]),
    ("Caprifoliaceae", "Dipsacales", "Magnoliopsida", [("Lonicera", "f", ""), ("Diervilla", "f", "shrub")]),
    ("Betulaceae", "Fagales", "Magnoliopsida", [("Alnus", "f", "shrub"), ("Betula", "f", "shrub"), ("Corylus", "f", "shrub")]),
    ("Sapindaceae", "Sapindales", "Magnoliopsida", [("Acer", "n", "shrub")]),
    ("Fagaceae", "Fagales", "Magnoliopsida", [("Quercus", "f", "shrub"), ("Fagus", "f", "shrub")]),
    ("Primulaceae", "Ericales", "Magnoliopsida", [("Lysimachia", "f", "herb"), ("Trientalis", "f", "herb")]),
    ("Plantaginaceae", "Lamiales", "Magnoliopsida",
     [("Veronica", "f", ""), ("Penstemon", "m", "herb"), ("Chelone", "f", "herb"), ("Plantago", "f", "rosette")]),
    ("Campanulaceae", "Asterales", "Magnoliopsida", [("Campanula", "f", "herb"), ("Lobelia", "f", "herb")]),
    ("Geraniaceae", "Geraniales", "Magnoliopsida", [("Geranium", "n", "herb")]),
    ("Oxalidaceae", "Oxalidales", "Magnoliopsida", [("Oxalis", "f", "rosette")]),
    ("Cyperaceae", "Poales", "Liliopsida",
     [("Carex", "f", "graminoid"), ("Scirpus", "m", "graminoid"), ("Eleocharis", "f", "graminoid"),
      ("Cyperus", "m", "graminoid")]),
    ("Poaceae", "Poales", "Liliopsida",
     [("Poa", "f", "graminoid"), ("Glyceria", "f", "graminoid"), ("Panicum", "n", "graminoid"),
      ("Agrostis", "f", "graminoid")]),
    ("Juncaceae", "Poales", "Liliopsida", [("Juncus", "m", "graminoid"), ("Luzula", "f", "graminoid")]),
    ("Liliaceae", "Liliales", "Liliopsida",
     [("Lilium", "n", "herb"), ("Medeola", "f", "herb"), ("Clintonia", "f", "rosette"), ("Erythronium", "n", "rosette")]),
    ("Orchidaceae", "Asparagales", "Liliopsida",
     [("Platanthera", "f", "herb"), ("Cypripedium", "n", "rosette"), ("Spiranthes", "f", "rosette")]),
    ("Iridaceae", "Asparagales", "Liliopsida", [("Iris", "f", "rosette"), ("Sisyrinchium", "n", "graminoid")]),
    ("Commelinaceae", "Commelinales", "Liliopsida", [("Commelina", "f", "herb")]),
]  # fmt: skip

# adjectives of the first/second declension: stem + us / a / um
ADJ_12 = [
    "alb", "lute", "purpure", "rose", "hirsut", "villos", "tomentos", "glabrat", "elat", "erect", "american",
    "virginian", "pensylvanic", "sylvatic", "montan", "strict", "flexuos", "ramos", "racemos", "paniculat",
    "umbellat", "spicat", "acuminat", "lanceolat", "ovat", "cordat", "serrat", "dentat", "lobat", "aquatic",
    "maritim", "alpin", "oakesian", "nemoral", "uliginos", "hispid", "scabr", "canescen", "pilos", "glandulos",
]  # fmt: skip
# third declension, two endings: stem + is (m, f) / e (n)
ADJ_3 = [
    "canadens", "boreal", "palustr", "vulgar", "arvens", "rupestr", "nudicaul", "sylvestr", "campestr",
    "commun", "gracil", "occidental", "septentrional", "terrestr", "laurentian", "acadiens",
]  # fmt: skip
# words that do not change with gender
INVARIABLE = [
    "novae-angliae", "fernaldii", "grayi", "torreyi", "muhlenbergii", "bigelowii", "pringlei", "macounii",
    "longipes", "repens", "scandens", "reptans", "procumbens", "ascendens", "peckii", "eatonii", "deamii",
]  # fmt: skip
PREFIXES = [
    "lati", "angusti", "tenui", "parvi", "grandi", "longi", "brevi", "multi", "pauci", "rotundi", "crassi",
    "acuti", "obtusi", "albi", "rubri", "flavi", "hirti", "glabri", "nigri", "sessili",
]  # fmt: skip
# compound endings: (m, f, n)
SUFFIXES = [
    ("folius", "folia", "folium"), ("florus", "flora", "florum"), ("carpus", "carpa", "carpum"),
    ("phyllus", "phylla", "phyllum"), ("petalus", "petala", "petalum"), ("caulis", "caulis", "caule"),
    ("sepalus", "sepala", "sepalum"),
]  # fmt: skip

AUTHORS = [
    "L.", "Michx.", "Pursh", "Nutt.", "Torr.", "A. Gray", "Torr. & A. Gray", "Fernald", "Britton", "Muhl.",
    "Willd.", "Lam.", "Aiton", "Sm.", "Hook.", "Greene", "House", "Bigelow", "Small", "Wiegand", "B. L. Rob.",
    "Rydb.", "Schwein.", "Raf.", "Elliott", "Bicknell", "(L.) Britton", "(Michx.) Fernald", "(Pursh) Nutt.",
    "(L.) Moench", "(Torr.) A. Gray", "Muhl. ex Willd.", "Nees ex Steud.", "(Lam.) Poir.", "Ait. f.",
]  # fmt: skip
VARIETY_AUTHORS = [
    "Fernald",
    "A. Gray",
    "(Fernald) House",
    "B. Boivin",
    "Farw.",
    "Wiegand",
    "(Michx.) Fernald",
]

COLLECTORS = [
    "M. L. Fernald", "E. F. Williams", "C. A. Weatherby", "A. S. Pease", "W. Deane", "J. R. Churchill",
    "E. L. Rand", "F. F. Forbes", "C. H. Knowlton", "A. A. Eaton", "L. A. Standley", "R. C. Bean",
    "S. N. F. Sanford", "H. K. Svenson", "E. B. Harger", "C. C. Hanmer", "K. M. Wiegand", "E. J. Winslow",
    "F. C. Seymour", "R. J. Eaton", "A. F. Hill", "M. A. Day", "E. H. Eames", "W. W. Eggleston",
]  # fmt: skip
DETERMINERS = ["A. Cronquist", "H. E. Ahles", "G. E. Crow", "A. Haines", "P. Somers", "C. B. Hellquist",
               "W. D. Countryman", "L. J. Mehrhoff", "R. L. Wilbur", "D. E. Boufford"]  # fmt: skip

# (code, name printed on labels, stamp lines, rightsHolder, licence enum, licence URL)
INSTITUTIONS = [
    ("GH", "Gray Herbarium of Harvard University", ("GRAY HERBARIUM", "HARVARD", "UNIVERSITY"),
     "President and Fellows of Harvard College", "CC_BY_NC_4_0", "http://creativecommons.org/licenses/by-nc/4.0/"),
    ("NEBC", "Herbarium of the New England Botanical Club", ("NEW ENGLAND", "BOTANICAL", "CLUB"),
     "New England Botanical Club", "CC_BY_4_0", "http://creativecommons.org/licenses/by/4.0/"),
    ("YU", "Yale University Herbarium", ("YALE", "UNIVERSITY", "HERBARIUM"),
     "Yale Peabody Museum of Natural History", "CC0_1_0", "http://creativecommons.org/publicdomain/zero/1.0/"),
    ("MASS", "University of Massachusetts Herbarium", ("UNIV. OF MASS.", "HERBARIUM", "AMHERST"),
     "University of Massachusetts Amherst", "CC_BY_4_0", "http://creativecommons.org/licenses/by/4.0/"),
    ("VT", "Pringle Herbarium, University of Vermont", ("PRINGLE", "HERBARIUM", "VERMONT"),
     "University of Vermont", "CC_BY_NC_4_0", "http://creativecommons.org/licenses/by-nc/4.0/"),
    ("CONN", "G. S. Torrey Herbarium, University of Connecticut", ("TORREY", "HERBARIUM", "STORRS, CONN."),
     "University of Connecticut", "CC0_1_0", "http://creativecommons.org/publicdomain/zero/1.0/"),
]  # fmt: skip

# state code -> (name, label abbreviation, country, countryCode, weight, {county: [towns]})
STATES: dict[str, tuple[str, str, str, str, float, dict[str, list[str]]]] = {
    "MA": ("Massachusetts", "Mass.", "United States of America", "US", 0.28, {
        "Middlesex": ["Concord", "Lexington", "Framingham", "Sudbury", "Lowell"],
        "Essex": ["Ipswich", "Andover", "Gloucester", "Salem"],
        "Berkshire": ["Pittsfield", "Williamstown", "Sheffield", "Great Barrington"],
        "Worcester": ["Sturbridge", "Petersham", "Harvard", "Westborough"],
        "Hampshire": ["Amherst", "Northampton", "Hadley"],
        "Barnstable": ["Falmouth", "Truro", "Barnstable"],
        "Franklin": ["Deerfield", "Montague", "Greenfield"]}),
    "CT": ("Connecticut", "Conn.", "United States of America", "US", 0.15, {
        "Litchfield": ["Salisbury", "Norfolk", "Cornwall"],
        "New Haven": ["Hamden", "Guilford", "Meriden"],
        "Hartford": ["Farmington", "Glastonbury", "Simsbury"],
        "New London": ["Groton", "Ledyard", "Stonington"],
        "Windham": ["Putnam", "Pomfret"]}),
    "ME": ("Maine", "Me.", "United States of America", "US", 0.14, {
        "Penobscot": ["Orono", "Bangor"],
        "Aroostook": ["Fort Kent", "Presque Isle", "Van Buren"],
        "Hancock": ["Bar Harbor", "Mount Desert", "Ellsworth"],
        "Oxford": ["Bethel", "Norway"],
        "Piscataquis": ["Greenville", "Dover-Foxcroft"]}),
    "NH": ("New Hampshire", "N.H.", "United States of America", "US", 0.12, {
        "Coos": ["Randolph", "Jefferson", "Gorham"],
        "Grafton": ["Hanover", "Franconia", "Lincoln"],
        "Carroll": ["Conway", "Jackson"],
        "Cheshire": ["Keene", "Jaffrey"],
        "Strafford": ["Durham", "Dover"]}),
    "VT": ("Vermont", "Vt.", "United States of America", "US", 0.12, {
        "Windham": ["Brattleboro", "Putney"],
        "Chittenden": ["Burlington", "Charlotte", "Shelburne"],
        "Windsor": ["Woodstock", "Hartland"],
        "Rutland": ["Rutland", "Pittsford"],
        "Bennington": ["Bennington", "Manchester"]}),
    "RI": ("Rhode Island", "R.I.", "United States of America", "US", 0.07, {
        "Washington": ["Westerly", "Charlestown", "South Kingstown"],
        "Providence": ["Lincoln", "Smithfield"],
        "Newport": ["Middletown", "Tiverton"]}),
    "NY": ("New York", "N.Y.", "United States of America", "US", 0.12, {
        "Essex": ["Keene", "North Elba"],
        "Dutchess": ["Millbrook", "Poughkeepsie"],
        "Tompkins": ["Ithaca", "Dryden"],
        "Suffolk": ["Montauk", "Riverhead"]}),
}  # fmt: skip
NEW_ENGLAND = ("CT", "ME", "MA", "NH", "RI", "VT")
# far-away places, only for distractor records
FAR_STATES: dict[str, tuple[str, str, str, str, float, dict[str, list[str]]]] = {
    "CA": (
        "California",
        "Calif.",
        "United States of America",
        "US",
        1.0,
        {"Marin": ["Mill Valley", "Novato"]},
    ),
    "FL": (
        "Florida",
        "Fla.",
        "United States of America",
        "US",
        1.0,
        {"Alachua": ["Gainesville", "Micanopy"]},
    ),
    "VER": ("Veracruz", "Ver.", "Mexico", "MX", 1.0, {"": ["Xalapa", "Orizaba"]}),
}

HABITATS = [
    "swampy thicket", "dry sandy roadside", "rich woods", "open field", "wet meadow", "borders of woods",
    "gravelly shore", "rocky ledges", "pine barrens", "moist thicket", "brackish marsh", "old pasture",
    "along railroad", "sphagnum bog", "alluvial woods", "shaded ravine", "cut-over land", "river bank",
]  # fmt: skip
FEATURES = [
    "Long Pond", "Spectacle Pond", "Mill Pond", "Beaver Brook", "Otter Brook", "Cold River", "Stony Brook",
    "Bald Hill", "Pine Hill", "Rattlesnake Hill", "Great Swamp", "the Notch", "Mill River", "Round Pond",
]  # fmt: skip
PREPOSITIONS = ["near", "by", "along", "north of", "south of", "east of", "west of", "at"]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
MONTH_ABBR = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

# reproductiveCondition as people write it (keys: sorted phenology parts)
CONDITION_WORDS: dict[tuple[str, ...], list[str]] = {
    ("flowers",): ["fl.", "in flower", "flowering", "Flowers", "fl"],
    ("fruits",): ["fr.", "in fruit", "fruiting", "fruit"],
    ("buds",): ["buds", "in bud", "flower buds", "bud"],
    ("flowers", "fruits"): ["fl & fr", "fl. & fr.", "flowers and fruits", "flowering, fruiting"],
    ("buds", "flowers"): ["fl., buds", "in flower and bud", "buds & fl."],
    ("buds", "fruits"): ["fr. & buds", "buds, fruits"],
    ("buds", "flowers", "fruits"): ["fl., fr. & buds", "buds, flowers and fruits"],
    (): ["sterile", "vegetative", "ster.", "no flowers or fruits"],
}
