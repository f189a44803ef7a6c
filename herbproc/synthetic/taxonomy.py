"""The taxa of a world: plausible botanical names and, for each, the look of its plants."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, replace
from typing import Any

from herbproc.synthetic import names
from herbproc.synthetic.rng import py_rng

RGB = tuple[int, int, int]

SHAPES = [
    "lanceolate", "ovate", "palmately_lobed", "linear", "pinnate", "cordate", "elliptic", "trifoliate",
    "obovate", "pinnately_lobed", "orbicular", "palmate",
]  # fmt: skip
COMPOUND = ("pinnate", "trifoliate", "palmate")
MARGINS = ["entire", "serrate", "dentate", "crenate"]
HABITS = ["herb", "shrub", "rosette", "vine"]
INFLORESCENCES = ["solitary", "cluster", "raceme", "axillary"]
FRUIT_TYPES = ["berry", "capsule", "pod", "achene_head", "samara"]

LEAF_COLOURS: list[RGB] = [
    (86, 110, 58), (58, 90, 46), (112, 126, 60), (76, 102, 90), (96, 98, 50), (68, 82, 38), (104, 118, 82),
    (56, 76, 60),
]  # fmt: skip
# saturated colours far from any leaf, stem or fruit colour, so flowers stay visible when the sheet is small
FLOWER_COLOURS: dict[str, RGB] = {
    "white": (244, 242, 232),
    "yellow": (242, 200, 36),
    "pink": (236, 118, 172),
    "magenta": (196, 36, 142),
    "purple": (124, 58, 178),
    "blue": (66, 104, 214),
    "orange": (244, 128, 36),
    "red": (214, 36, 48),
    "lavender": (176, 146, 228),
}
# ripe fruits in colours that leaves, stems, paper and the dark mount around it do not have (blue or red berries,
# amber capsules, mustard or purple pods, red samaras), two or more of each type so that a flower colour can
# always be avoided: a fruit must show on a small view. No black: a black fruit is the colour of the mount.
FRUIT_COLOURS: dict[str, list[RGB]] = {
    "berry": [(64, 42, 132), (150, 28, 40), (34, 62, 152), (112, 36, 122)],
    "capsule": [(206, 134, 38), (176, 72, 30)],
    "pod": [(150, 58, 112), (186, 160, 52)],
    "achene_head": [(214, 176, 60), (118, 58, 128)],
    "samara": [(208, 142, 70), (168, 46, 44)],
}
STEM_COLOURS: list[RGB] = [(96, 100, 60), (122, 72, 50), (108, 80, 56), (118, 136, 78)]
WOODY_COLOURS: list[RGB] = [(98, 70, 50), (84, 62, 48), (120, 96, 72)]


@dataclass(frozen=True)
class Look:
    """How the plants of one taxon look; each specimen varies around it."""

    habit: str  # herb | shrub | rosette | vine | graminoid
    arrangement: str  # alternate | opposite | whorled | basal
    leaf_shape: str
    margin: str  # entire | serrate | dentate | crenate
    venation: str  # pinnate | palmate | parallel
    leaf_colour: RGB
    vein_colour: RGB
    leaf_length: float  # share of the sheet height
    leaf_aspect: float  # width / length
    nodes: int  # leaf nodes per main stem
    stems: int
    branching: float  # chance that a node carries a side branch
    stem_colour: RGB
    stem_width: float  # share of the sheet height
    flower_colour_name: str
    flower_colour: RGB
    centre_colour: RGB
    petals: int
    flower_size: float  # flower radius, share of the sheet height
    inflorescence: str  # solitary | cluster | raceme | axillary | spike
    fruit_type: str
    fruit_colour: RGB
    fruit_size: float
    peak_month: int  # month of full flowering


@dataclass(frozen=True)
class Taxon:
    id: int
    family: str
    order: str
    class_name: str
    genus: str
    specific_epithet: str
    infraspecific_epithet: str
    authorship: str
    look: Look

    @property
    def rank(self) -> str:
        return "VARIETY" if self.infraspecific_epithet else "SPECIES"

    @property
    def canonical_name(self) -> str:
        """Genus, epithet and variety without authorship ("Carex crinita var. brevicrinis")."""
        name = f"{self.genus} {self.specific_epithet}"
        return f"{name} var. {self.infraspecific_epithet}" if self.infraspecific_epithet else name

    @property
    def species_name(self) -> str:
        return f"{self.genus} {self.specific_epithet}"

    @property
    def scientific_name(self) -> str:
        """As GBIF writes scientificName: the canonical name followed by its authorship."""
        return f"{self.canonical_name} {self.authorship}"

    def row(self) -> dict[str, Any]:
        """One row of taxonomy.csv."""
        look = {
            f"look_{k}": (" ".join(map(str, v)) if isinstance(v, tuple) else v)
            for k, v in asdict(self.look).items()
        }
        return {
            "species_id": self.id,
            "scientificName": self.scientific_name,
            "canonicalName": self.canonical_name,
            "scientificNameAuthorship": self.authorship,
            "kingdom": "Plantae",
            "phylum": "Tracheophyta",
            "class": self.class_name,
            "order": self.order,
            "family": self.family,
            "genus": self.genus,
            "specificEpithet": self.specific_epithet,
            "infraspecificEpithet": self.infraspecific_epithet,
            "taxonRank": self.rank,
            **look,
        }


def _epithet(rng: random.Random, gender: str) -> str:
    g = "mfn".index(gender)
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(names.ADJ_12) + ("us", "a", "um")[g]
    if roll < 0.6:
        return rng.choice(names.ADJ_3) + ("is", "is", "e")[g]
    if roll < 0.72:
        return rng.choice(names.INVARIABLE)
    return rng.choice(names.PREFIXES) + rng.choice(names.SUFFIXES)[g]


def _far_colour(rng: random.Random, options: list[RGB], avoid: RGB, min_dist: float = 130.0) -> RGB:
    good = [c for c in options if sum((a - b) ** 2 for a, b in zip(c, avoid, strict=True)) ** 0.5 >= min_dist]
    return rng.choice(good or options)


def _look(rng: random.Random, k: int, habit_hint: str, class_name: str, order: list[list[Any]]) -> Look:
    """A look for the k-th taxon; ``order`` holds shuffled lists cycled by k so that a small world's taxa
    differ in leaf shape, flower colour and arrangement."""
    shapes, colours, arrangements, inflors = order
    habit = habit_hint or rng.choice(HABITS)
    monocot = class_name == "Liliopsida"
    if habit == "graminoid":
        shape, venation, margin = "linear", "parallel", "entire"
    elif monocot:
        shape = rng.choice(["linear", "lanceolate", "elliptic", "ovate"])
        venation, margin = "parallel", "entire"
    else:
        shape = shapes[k % len(shapes)]
        if habit == "rosette" and shape in COMPOUND:
            shape = rng.choice(["ovate", "cordate", "obovate", "lanceolate"])
        venation = "palmate" if shape in ("palmately_lobed", "cordate", "orbicular", "palmate") else "pinnate"
        margin = rng.choice(MARGINS) if shape not in ("linear",) else "entire"
    if habit in ("rosette", "graminoid"):
        arrangement = "basal"
    else:
        arrangement = arrangements[k % len(arrangements)]
    aspect = {
        "linear": rng.uniform(0.05, 0.1),
        "lanceolate": rng.uniform(0.18, 0.3),
        "elliptic": rng.uniform(0.35, 0.5),
        "ovate": rng.uniform(0.45, 0.65),
        "obovate": rng.uniform(0.4, 0.55),
        "cordate": rng.uniform(0.7, 0.9),
        "orbicular": rng.uniform(0.8, 0.95),
        "palmately_lobed": rng.uniform(0.85, 1.05),
        "pinnately_lobed": rng.uniform(0.45, 0.65),
        "pinnate": rng.uniform(0.45, 0.7),
        "trifoliate": rng.uniform(0.7, 0.95),
        "palmate": rng.uniform(0.8, 1.0),
    }[shape]
    length = {
        "graminoid": rng.uniform(0.22, 0.36),
        "shrub": rng.uniform(0.07, 0.12),
        "rosette": rng.uniform(0.09, 0.15),
    }.get(habit, rng.uniform(0.05, 0.1))
    if shape == "linear" and habit != "graminoid":
        length *= 1.5
    leaf_colour = rng.choice(LEAF_COLOURS)
    pale = rng.random() < 0.6
    vein = tuple(min(255, int(c * 1.35 + 18)) if pale else int(c * 0.6) for c in leaf_colour)
    colour_name = colours[k % len(colours)]
    if habit == "graminoid":
        colour_name = rng.choice(["yellow", "white", "purple", "orange"])
    flower = FLOWER_COLOURS[colour_name]
    centre = (250, 214, 60) if colour_name not in ("yellow", "orange") else (120, 70, 30)
    if habit == "graminoid":
        inflorescence, fruit_type = "spike", "achene_head"
    else:
        inflorescence = inflors[k % len(inflors)]
        fruit_type = rng.choice(FRUIT_TYPES if habit == "shrub" else FRUIT_TYPES[:4])
    fruit = _far_colour(rng, FRUIT_COLOURS[fruit_type], flower)
    woody = habit == "shrub"
    return Look(
        habit=habit,
        arrangement=arrangement,
        leaf_shape=shape,
        margin=margin,
        venation=venation,
        leaf_colour=leaf_colour,
        vein_colour=vein,  # type: ignore[arg-type]
        leaf_length=round(length, 4),
        leaf_aspect=round(aspect, 3),
        nodes=rng.randint(4, 7) if woody else rng.randint(5, 11),
        stems=1 if woody else rng.randint(1, 3),
        branching=round(rng.uniform(0.15, 0.45) if woody else rng.uniform(0.0, 0.3), 3),
        stem_colour=rng.choice(WOODY_COLOURS if woody else STEM_COLOURS),
        stem_width=round(rng.uniform(0.004, 0.007) if woody else rng.uniform(0.0016, 0.003), 5),
        flower_colour_name=colour_name,
        flower_colour=flower,
        centre_colour=centre,
        petals=rng.choice([4, 5, 5, 5, 6]),
        flower_size=round(
            rng.uniform(0.008, 0.013) if inflorescence == "cluster" else rng.uniform(0.013, 0.022), 4
        ),
        inflorescence=inflorescence,
        fruit_type=fruit_type,
        fruit_colour=fruit,
        fruit_size=round(rng.uniform(0.012, 0.018), 4),
        peak_month=rng.randint(4, 8),
    )


def _variety_look(rng: random.Random, parent: Look) -> Look:
    """A variety differs from its species in flower colour, leaf size and leaf width."""
    colour_name = rng.choice([c for c in FLOWER_COLOURS if c != parent.flower_colour_name])
    return replace(
        parent,
        flower_colour_name=colour_name,
        flower_colour=FLOWER_COLOURS[colour_name],
        leaf_length=round(parent.leaf_length * rng.choice([0.7, 1.35]), 4),
        leaf_aspect=round(min(1.05, parent.leaf_aspect * rng.choice([0.7, 1.3])), 3),
        fruit_colour=_far_colour(rng, FRUIT_COLOURS[parent.fruit_type], FLOWER_COLOURS[colour_name]),
    )


def make_taxa(seed: int, count: int, infraspecific_share: float) -> list[Taxon]:
    """``count`` taxa with distinct names; the first taxa use distinct genera where there are enough."""
    rng = py_rng(seed, "taxonomy")
    genera = [
        (fam, order, cls, g, gender, hint) for fam, order, cls, gs in names.FAMILIES for g, gender, hint in gs
    ]
    pool: list[tuple[str, str, str, str, str, str]] = []
    order = [list(SHAPES), sorted(FLOWER_COLOURS), ["alternate", "opposite", "alternate", "whorled"],
             list(INFLORESCENCES)]  # fmt: skip
    for lst in order:
        rng.shuffle(lst)
    taxa: list[Taxon] = []
    seen: set[tuple[str, str, str]] = set()
    for k in range(count):
        parents = [t for t in taxa if not t.infraspecific_epithet]
        is_variety = rng.random() < infraspecific_share
        if is_variety and parents and rng.random() < 0.5:
            parent = rng.choice(parents)
            family, ord_, cls, genus = parent.family, parent.order, parent.class_name, parent.genus
            gender = next(g[4] for g in genera if g[3] == genus)
            epithet, look = parent.specific_epithet, _variety_look(rng, parent.look)
        else:
            if not pool:
                pool = list(genera)
                rng.shuffle(pool)
            family, ord_, cls, genus, gender, hint = pool.pop()
            epithet = _epithet(rng, gender)
            look = _look(rng, k, hint, cls, order)
        infra = ""
        for _ in range(1000):
            infra = _epithet(rng, gender) if is_variety else ""
            if (genus, epithet, infra) not in seen and infra != epithet:
                break
            epithet = epithet if is_variety else _epithet(rng, gender)
        else:  # pragma: no cover - needs millions of taxa in one genus
            raise ValueError(f"cannot find {count} distinct names")
        seen.add((genus, epithet, infra))
        author = rng.choice(names.VARIETY_AUTHORS if infra else names.AUTHORS)
        taxa.append(Taxon(k, family, ord_, cls, genus, epithet, infra, author, look))
    return taxa
