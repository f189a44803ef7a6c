"""The synthetic world without rendering: settings, taxa, records, identifiers."""

from __future__ import annotations

import re

import pytest

from herbproc.synth import OCCURRENCE_COLUMNS, Settings, make_world, synth_settings
from herbproc.synthetic.names import CONDITION_WORDS, FAR_STATES, NEW_ENGLAND, STATES
from herbproc.synthetic.world import gbif_id_for

SMALL = {"species": 4, "sheets_per_species": 3, "width": 600, "height": 900}


def test_same_seed_same_records_different_seed_different():
    a = make_world(SMALL, seed=5).records()
    b = make_world(dict(SMALL), seed=5).records()
    c = make_world(SMALL, seed=6).records()
    assert a == b
    assert [r["scientificName"] for r in a] != [r["scientificName"] for r in c]
    assert {r["gbifID"] for r in a}.isdisjoint({r["gbifID"] for r in c})


def test_records_do_not_depend_on_order_of_access():
    w1, w2 = make_world(SMALL, seed=2), make_world(SMALL, seed=2)
    backwards = [w2.occurrence(i) for i in reversed(range(w2.n_sheets))][::-1]
    assert [w1.occurrence(i) for i in range(w1.n_sheets)] == backwards


def test_gbif_ids_are_unique_large_digit_strings():
    ids = [gbif_id_for(11, i) for i in range(50_000)]
    assert len(set(ids)) == len(ids)
    assert all(isinstance(i, str) and i.isdigit() and int(i) >= 1_000_000_000 for i in ids)


def test_taxa_have_distinct_names_and_varieties_use_var():
    world = make_world({"species": 300, "sheets_per_species": 1, "infraspecific_share": 0.3}, seed=1)
    names = [t.canonical_name for t in world.taxa]
    assert len(set(names)) == 300
    varieties = [t for t in world.taxa if t.infraspecific_epithet]
    assert 40 < len(varieties) < 140
    for t in varieties:
        assert t.rank == "VARIETY" and f" var. {t.infraspecific_epithet}" in t.scientific_name
        assert t.scientific_name == f"{t.canonical_name} {t.authorship}"
    for t in world.taxa:
        assert re.fullmatch(r"[A-Z][a-z]+ [a-z-]+( var\. [a-z-]+)?", t.canonical_name), t.canonical_name


def test_small_world_taxa_look_different():
    taxa = make_world({"species": 6, "sheets_per_species": 1}, seed=0).taxa
    looks = {(t.look.leaf_shape, t.look.flower_colour_name, t.look.habit, t.look.arrangement) for t in taxa}
    assert len(looks) == 6
    assert len({t.look.flower_colour_name for t in taxa}) >= 4


def test_records_are_consistent_darwin_core():
    world = make_world({"species": 5, "sheets_per_species": 20}, seed=3)
    rows = world.records()
    assert len(rows) == 100
    allowed_conditions = {w for words in CONDITION_WORDS.values() for w in words} | {"", "unknown"}
    for r in rows:
        assert set(OCCURRENCE_COLUMNS) <= set(r)
        assert r["basisOfRecord"] == "PRESERVED_SPECIMEN"
        assert r["identifier"] == f"http://127.0.0.1:8765/images/{r['gbifID']}.jpg"
        assert r["species_id"] == r["sheet_index"] % 5
        parts = tuple(p for p in ("buds", "flowers", "fruits") if r[p])
        assert r["reproductiveCondition"] in allowed_conditions
        if r["reproductiveCondition"] not in ("", "unknown"):
            assert r["reproductiveCondition"] in CONDITION_WORDS[parts]
        date = f"{int(r['year']):04d}-{int(r['month']):02d}" + (f"-{int(r['day']):02d}" if r["day"] else "")
        assert r["eventDate"] == date and r["verbatimEventDate"]
        state = next(v for v in STATES.values() if v[0] == r["stateProvince"])
        assert r["county"] in state[5] and r["countryCode"] == "US"
        assert r["genus"] in r["scientificName"] and r["scientificName"].endswith(
            r["scientificNameAuthorship"]
        )
        assert r["identifiedBy"] == "" or r["dateIdentified"].isdigit()
    assert sum(r["stateProvince"] in [STATES[c][0] for c in NEW_ENGLAND] for r in rows) > 70
    assert {r["reproductiveCondition"] for r in rows} & {"", "unknown"}
    assert any(r["day"] == "" for r in rows), "some labels give only month and year"


def test_distractors_only_when_asked():
    plain = make_world(SMALL, seed=1)
    assert plain.distractor_rows() == ([], [])
    world = make_world({**SMALL, "distractors": True}, seed=1)
    occ, media = world.distractor_rows()
    assert len(occ) >= 4
    own = {r["gbifID"] for r in world.records()}
    assert own.isdisjoint({r["gbifID"] for r in occ})
    assert any(r["basisOfRecord"] == "HUMAN_OBSERVATION" for r in occ)
    with_media = {m["gbifID"] for m in media}
    assert any(r["gbifID"] not in with_media for r in occ), "a record without media"
    far = {v[0] for v in FAR_STATES.values()}
    assert any(r["stateProvince"] in far for r in occ)
    assert any(m["type"] == "Sound" and m["format"] == "audio/mpeg" for m in media)
    assert len(world.occurrence_rows()) == world.n_sheets + len(occ)


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ({"species": 0}, "synth.species"),
        ({"sheets_per_species": -1}, "synth.sheets_per_species"),
        ({"width": -600}, "synth.width"),
        ({"height": 10}, "synth.height"),
        ({"width": 3000, "height": 400}, "synth.height"),
        ({"font_styles": ["serif", "gothic"]}, "synth.font_styles"),
        ({"font_styles": []}, "synth.font_styles"),
        ({"handwriting_share": 1.5}, "synth.handwriting_share"),
        ({"fading": -0.1}, "synth.fading"),
        ({"downsample": 0.5}, "synth.downsample"),
        ({"jpeg_quality": 0}, "synth.jpeg_quality"),
        ({"base_url": "ftp://x"}, "synth.base_url"),
        ({"seed": -1}, "synth.seed"),
    ],
)
def test_bad_settings_name_the_key(override, key):
    with pytest.raises(ValueError, match=re.escape(key)):
        make_world({**SMALL, **override})


def test_unknown_font_style_lists_the_choices():
    with pytest.raises(
        ValueError, match="unknown font style 'gothic'.*choices: serif, sans, typewriter, handwriting"
    ):
        make_world({"font_styles": ["gothic"]})


def test_unknown_setting_and_wrong_container_are_rejected():
    with pytest.raises(ValueError, match="unknown synth setting.*colour"):
        synth_settings({"colour": 3})
    with pytest.raises(TypeError):
        synth_settings(42)
    assert synth_settings(Settings(species=2), width=1000).width == 1000
