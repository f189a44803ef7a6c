"""reproductiveCondition free text → {"flowers", "fruits", "buds"} (herbproc.fields.condition)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from herbproc.fields.condition import parse_remarks
from herbproc.phenology import parse_condition, parse_phenology_hints, summarise_unknown

FL, FR, BU = "flowers", "fruits", "buds"
STERILE = frozenset()

TABLE = [
    # English, full words and phrases
    ("flowering", {FL}),
    ("Flowering", {FL}),
    ("FLOWERING", {FL}),
    ("in flower", {FL}),
    ("flowers", {FL}),
    ("Flowers present", {FL}),
    ("open flowers", {FL}),
    ("flowers white", {FL}),
    ("anthesis", {FL}),
    ("in bloom", {FL}),
    ("fruiting", {FR}),
    ("in fruit", {FR}),
    ("fruits", {FR}),
    ("flowers and fruits", {FL, FR}),
    ("flowering and fruiting", {FL, FR}),
    ("Flowering; fruiting", {FL, FR}),
    ("FLOWERING | FRUITING", {FL, FR}),
    ("flowers present; fruits absent", {FL}),
    ("flowering; not fruiting", {FL}),
    ("buds", {BU}),
    ("in bud", {BU}),
    ("bud", {BU}),
    ("flower buds", {BU}),
    ("Flowers and buds", {FL, BU}),
    ("pre-anthesis", {BU}),
    ("sterile", STERILE),
    ("Sterile.", STERILE),
    ("vegetative", STERILE),
    ("no flowers or fruits", STERILE),
    ("neither flowers nor fruits", STERILE),
    ("Flowers: none, fruits: none", STERILE),
    ("flowers and fruits absent", STERILE),
    ("non-reproductive", STERILE),
    ("leaves only", STERILE),
    # fruit stages, seeds, cones
    ("fruit immature", {FR}),
    ("immature fruits", {FR}),
    ("young fruit", {FR}),
    ("mature fruit", {FR}),
    ("ripe berries", {FR}),
    ("fruits dehisced", {FR}),
    ("seeds", {FR}),
    ("capsules", {FR}),
    ("perigynia mature", {FR}),
    ("cones", {FR}),
    ("seed cones", {FR}),
    ("pollen cones", {FL}),
    ("male cones", {FL}),
    ("past flowering, fruiting", {FR}),
    # abbreviations
    ("fl.", {FL}),
    ("fl", {FL}),
    ("Fl.", {FL}),
    ("flr.", {FL}),
    ("fr", {FR}),
    ("fr.", {FR}),
    ("frt.", {FR}),
    ("fl & fr", {FL, FR}),
    ("fl/fr", {FL, FR}),
    ("fl. & fr.", {FL, FR}),
    ("fl.+fr.", {FL, FR}),
    ("fl. buds", {BU}),
    ("veg.", STERILE),
    ("st.", STERILE),
    ("ster.", STERILE),
    ("fl., buds", {FL, BU}),  # a list, unlike "fl. buds"
    ("buds & fl.", {FL, BU}),
    ("in flower and bud", {FL, BU}),
    ("fr. & buds", {FR, BU}),
    ("fl., fr. & buds", {FL, FR, BU}),
    ("flowers, buds", {FL, BU}),
    ("c. fl. et fr.", {FL, FR}),  # Latin cum floribus et fructibus
    # French
    ("en fleur", {FL}),
    ("en fleurs", {FL}),
    ("fleurs", {FL}),
    ("en fruit", {FR}),
    ("fleurs et fruits", {FL, FR}),
    ("en boutons", {BU}),
    ("stérile", STERILE),
    ("sans fleurs ni fruits", STERILE),
    # German
    ("blühend", {FL}),
    ("Blüte", {FL}),
    ("bluehend", {FL}),
    ("fruchtend", {FR}),
    ("Frucht", {FR}),
    ("mit Blüten und Früchten", {FL, FR}),
    ("Knospen", {BU}),
    ("Blütenknospen", {BU}),
    ("steril", STERILE),
    # Spanish / Portuguese
    ("en flor", {FL}),
    ("con flores", {FL}),
    ("fructificando", {FR}),
    ("con frutos", {FR}),
    ("flores y frutos", {FL, FR}),
    ("botones florales", {BU}),
    ("estéril", STERILE),
    ("ni flores ni frutos", STERILE),
    ("com flores e frutos", {FL, FR}),
    # Italian, Dutch, Latin, Nordic, Russian
    ("in fiore", {FL}),
    ("fiorito", {FL}),
    ("in frutto", {FR}),
    ("bloeiend", {FL}),
    ("vruchten", {FR}),
    ("florens", {FL}),
    ("fructificans", {FR}),
    ("sterilis", STERILE),
    ("blommande", {FL}),
    ("цветение", {FL}),
    ("плоды", {FR}),
]

UNKNOWN = [
    "",
    "   ",
    "?",
    "unknown",
    "Unknown",
    "n/a",
    "past flowering",  # the flowers are over; fruits are not stated: not guessed
    "post-anthesis",
    "flowers faded",
    "no flowers",  # says nothing about fruits
    "no fruit",
    "fertile",  # which organs?
    "reproductive",
    "spores",  # ferns: outside the vocabulary
    "sori present",
    "leaf buds",
    "winter buds",
    "catkins",
    "sterile, flowering",  # contradictory
    "leaves green",
    "collected in a bog",
    "xyzzy",
    "12345",
]


def test_table_is_large_enough() -> None:
    assert len(TABLE) >= 60
    assert len({text for text, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_known_conditions(text: str, expected: set[str]) -> None:
    result = parse_condition(text)
    assert isinstance(result, frozenset)
    assert result == frozenset(expected)


@pytest.mark.parametrize("text", UNKNOWN)
def test_unknown_conditions_are_not_guessed(text: str) -> None:
    assert parse_condition(text) is None


@pytest.mark.parametrize("value", [None, float("nan"), 3, b"flowering", ["flowering"]])
def test_non_text_values_are_unknown(value) -> None:
    assert parse_condition(value) is None


def test_summarise_unknown_counts_what_was_not_understood() -> None:
    texts = ["fertile", "flowering", "Fertile", "fertile", "spores", "", None, float("nan"), "?", "unknown",
             "sterile", "  spores  "]  # fmt: skip
    counts = summarise_unknown(texts)
    assert counts == {"fertile": 2, "Fertile": 1, "spores": 2}
    assert all(parse_condition(text) is None for text in counts)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"reproductiveCondition": "flowering"}, {FL}),
        ({"reproductiveCondition": "", "phenology": "in fruit"}, {FR}),
        ({"reproductiveCondition": None, "dynamicProperties": '{"phenology":"flowering"}'}, {FL}),
        ({"dynamicProperties": "reproductiveCondition=fruiting"}, {FR}),
        ({"dynamicProperties": "sex=female; reproductiveCondition=fl & fr"}, {FL, FR}),
        ({"dynamicProperties": "phenology: sterile, habitat: bog"}, set()),
        ({"dynamicProperties": '{"reproductive condition": ["flowering", "fruiting"]}'}, {FL, FR}),
        ({"dynamicProperties": '{"notes": {"phenology": "in bud"}}'}, {BU}),
        (
            {"reproductiveCondition": "fertile", "dynamicProperties": '{"phenology": "fl"}'},
            {FL},
        ),  # falls back
        ({"dwc:reproductiveCondition": "fr."}, {FR}),
    ],
)
def test_phenology_hints_from_a_record(record: dict, expected: set[str]) -> None:
    assert parse_phenology_hints(record) == frozenset(expected)


@pytest.mark.parametrize(
    "record",
    [
        {},
        {"reproductiveCondition": "unknown"},
        {"dynamicProperties": "{not json"},
        {"dynamicProperties": "age class=adult ; sex=female"},
        {"dynamicProperties": '["flowering"]'},
        {"dynamicProperties": 12},
        {"reproductiveCondition": float("nan"), "dynamicProperties": None},
    ],
)
def test_phenology_hints_without_an_answer(record: dict) -> None:
    assert parse_phenology_hints(record) is None


def test_phenology_hints_need_a_mapping() -> None:
    with pytest.raises(TypeError, match="mapping"):
        parse_phenology_hints("flowering")


def test_package_import_stays_light() -> None:
    code = (
        "import sys, herbproc.phenology; "
        "print(sorted(m for m in ('torch', 'timm', 'transformers', 'rapidfuzz') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("text", "states"),
    [
        ("Shrub 2 m; flowers white", {"flowers"}),
        ("Coll. no. 45 flowers white", {"flowers"}),  # "no." before a number is no negation
        ("In fruit. Tree 10 m", {"fruits"}),
        ("leaves only", set()),
        ("no flowers or fruits seen", set()),
        ("St. John river, Fl.", None),  # abbreviations mean other things in free text
        ("Fr. Marie-Victorin, fl. blue", None),
        ("Common in wet meadow", None),
        ("flowers purple; sterile shoots nearby", None),  # clauses that disagree say nothing
        ("with immature fruits, flowers fading", {"fruits"}),
        ("", None),
        (None, None),
    ],
)
def test_free_text_remarks(text, states):
    got = parse_remarks(text)
    assert got == (None if states is None else frozenset(states))
