"""Rendered sheets: determinism, truth geometry, plant mask, phenology, label text, barcode, degradations."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import cv2
import numpy as np
import pytest

from herbproc.synth import OCCURRENCE_COLUMNS, make_world, render_sheet
from herbproc.synthetic.barcode import PATTERNS
from herbproc.synthetic.fonts import FONTS

SMALL = {"species": 6, "sheets_per_species": 3, "width": 600, "height": 900}
KINDS = {"label", "annotation", "stamp", "barcode", "ruler", "colour_chart", "packet"}


@pytest.fixture(scope="module")
def sheets():
    world = make_world(SMALL, seed=1)
    return world, [render_sheet(world, i) for i in range(world.n_sheets)]


def _digest(sheet) -> str:
    h = hashlib.sha256()
    for part in (sheet.jpeg_bytes(), sheet.mask_png_bytes(), sheet.truth_json().encode()):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def test_same_bytes_in_process_in_any_order_and_in_another_process():
    world = make_world(SMALL, seed=9)
    first = _digest(render_sheet(world, 4))
    for i in (0, 7, 2):
        render_sheet(world, i)
    assert _digest(render_sheet(make_world(SMALL, seed=9), 4)) == first
    code = (
        "import hashlib\n"
        "from herbproc.synth import make_world, render_sheet\n"
        f"s = render_sheet(make_world({SMALL!r}, seed=9), 4)\n"
        "h = hashlib.sha256()\n"
        "for part in (s.jpeg_bytes(), s.mask_png_bytes(), s.truth_json().encode()):\n"
        "    h.update(hashlib.sha256(part).digest())\n"
        "print(h.hexdigest())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == first


def test_different_seed_or_index_gives_a_different_sheet():
    a = render_sheet(make_world(SMALL, seed=1), 0)
    b = render_sheet(make_world(SMALL, seed=2), 0)
    c = render_sheet(make_world(SMALL, seed=1), 1)
    assert not np.array_equal(a.image, b.image) and not np.array_equal(a.image, c.image)
    assert a.truth["gbifID"] != b.truth["gbifID"]


def test_truth_boxes_lie_in_the_image_and_lines_in_their_card(sheets):
    world, rendered = sheets
    for sheet in rendered:
        t = sheet.truth
        H, W = sheet.image.shape[:2]
        assert (t["image"]["width"], t["image"]["height"]) == (W, H) == (600, 900)
        kinds = [o["kind"] for o in t["objects"]]
        assert set(kinds) <= KINDS
        assert kinds.count("label") == 1 and "barcode" in kinds and "stamp" in kinds
        assert ("annotation" in kinds) == bool(world.specimen(t["sheet_index"]).determiner)
        for o in t["objects"]:
            x0, y0, x1, y1 = o["box"]
            assert 0 <= x0 < x1 <= W and 0 <= y0 < y1 <= H, o
            poly = np.array(o["polygon"])
            assert poly.shape == (4, 2)
            for ln in o["lines"]:
                lx0, ly0, lx1, ly1 = ln["box"]
                assert x0 <= lx0 < lx1 <= x1 and y0 <= ly0 < ly1 <= y1, (o["kind"], ln)
                assert ln["text"].strip() and set(ln["fields"]) <= set(OCCURRENCE_COLUMNS)
                lp = np.array(ln["polygon"])
                assert (lp >= poly.min(axis=0) - 1).all() and (lp <= poly.max(axis=0) + 1).all()
        label = next(o for o in t["objects"] if o["kind"] == "label")
        assert len(label["lines"]) >= 4


def test_plant_mask_is_not_empty_and_never_under_a_card(sheets, monkeypatch):
    _, rendered = sheets
    # a plant spread over the whole sheet still leaves the cards alone: the paper shows where a card lies
    from herbproc.synthetic import sheet as sheet_mod

    fit = sheet_mod.fit
    monkeypatch.setattr(sheet_mod, "fit", lambda plant, box, rng: fit(plant, (0, 0, 600, 900), rng))
    crowded = make_world({"species": 3, "sheets_per_species": 2, "width": 600, "height": 900}, seed=1)
    overlapping = [render_sheet(crowded, i) for i in range(crowded.n_sheets)]
    for sheet in rendered + overlapping:
        mask = sheet.plant_mask
        assert mask.dtype == np.uint8 and set(np.unique(mask)) <= {0, 255}
        assert sheet.truth["plant"]["pixels"] == int((mask > 0).sum()) > 1000
        for o in sheet.truth["objects"]:
            x0, y0, x1, y1 = o["box"]
            assert not mask[y0:y1, x0:x1].any(), f"plant pixels under the {o['kind']}"
        bx0, by0, bx1, by1 = sheet.truth["plant"]["box"]
        assert mask[by0:by1, bx0:bx1].sum() == mask.sum()


def test_flower_coloured_pixels_on_the_plant_iff_flowers(sheets):
    world, rendered = sheets
    seen = set()
    for sheet in rendered:
        sp = world.specimen(sheet.truth["sheet_index"])
        colour = np.array(sp.taxon.look.flower_colour, np.float32)
        on_plant = sheet.image[sheet.plant_mask > 0].astype(np.float32)
        near = int((np.linalg.norm(on_plant - colour, axis=1) < 40).sum())
        if sp.flowers:
            assert near > 60, (sp.taxon.look.flower_colour_name, near)
        else:
            assert near < 10, (sp.taxon.look.flower_colour_name, near)
        seen.add(sp.flowers)
    assert seen == {True, False}


def test_drawn_organs_follow_the_phenology_state(sheets):
    world, rendered = sheets
    states = set()
    for sheet in rendered:
        t = sheet.truth
        phen = t["phenology"]
        for part in ("flowers", "fruits", "buds"):
            assert (t["plant"]["organ_pixels"][part] > 0) == phen[part], (part, phen)
        assert phen["state"] == [p for p in ("flowers", "fruits", "buds") if phen[p]]
        kinds = {o["kind"] for o in t["plant"]["organs"]}
        assert kinds <= {"flower", "fruit", "bud"}
        if not phen["state"]:
            assert kinds == set()
        states.add(tuple(phen["state"]))
    assert () in states and len(states) >= 3


def test_label_lines_show_the_record(sheets):
    _, rendered = sheets
    for sheet in rendered:
        rec = sheet.truth["dwc"]
        lines = [ln for o in sheet.truth["objects"] for ln in o["lines"]]
        by_field = {}
        for ln in lines:
            for f in ln["fields"]:
                by_field.setdefault(f, []).append(ln["text"].lower())
        assert rec["catalogNumber"].lower() in by_field["catalogNumber"]
        assert rec["verbatimEventDate"].lower() in by_field["eventDate"]
        assert any(
            t.startswith(sheet.truth["species"]["canonicalName"].lower()) for t in by_field["scientificName"]
        )
        assert any(rec["recordedBy"].lower() in t for t in by_field["recordedBy"])
        assert set(sheet.truth["label_fields"]) == set(by_field)


def _decode_code128(row: np.ndarray) -> str:
    """Read a Code 128 B symbol from one row of booleans (True = bar)."""
    edges = np.flatnonzero(np.diff(row.astype(np.int8))) + 1
    runs = np.diff(np.concatenate([[0], edges, [len(row)]]))
    start = 1 if not row[0] else 0  # skip the quiet zone
    runs = runs[start:]
    module = runs[:6].sum() / 11.0
    widths = [max(1, int(round(r / module))) for r in runs]
    table = {p: v for v, p in enumerate(PATTERNS)}
    values = []
    k = 0
    while k + 6 <= len(widths):
        key = "".join(map(str, widths[k : k + 6]))
        if key == PATTERNS[106][:6]:
            break
        values.append(table[key])
        k += 6
    assert values[0] == 104, values
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:-1], start=1))) % 103
    assert check == values[-1], "checksum"
    return "".join(chr(v + 32) for v in values[1:-1])


def test_barcode_encodes_the_catalog_number():
    world = make_world({"species": 1, "sheets_per_species": 1, "noise": 0.0}, seed=4)
    sheet = render_sheet(world, 0)
    bar = next(o for o in sheet.truth["objects"] if o["kind"] == "barcode")
    assert bar["code"] == sheet.truth["dwc"]["catalogNumber"]
    x0, y0, x1, y1 = bar["box"]
    grey = cv2.cvtColor(sheet.image[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY)
    row = grey[int(grey.shape[0] * 0.3)] < 110
    assert _decode_code128(row) == bar["code"]


def _sharpness(img: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var())


def test_degradation_knobs_change_the_sheet_and_are_recorded():
    base = dict(SMALL, species=1, sheets_per_species=1)
    plain = render_sheet(make_world(base, seed=3), 0)
    blurred = render_sheet(make_world({**base, "blur": 2.0}, seed=3), 0)
    small = render_sheet(make_world({**base, "downsample": 3.0}, seed=3), 0)
    assert _sharpness(blurred.image) < _sharpness(plain.image) * 0.5
    assert _sharpness(small.image) < _sharpness(plain.image) * 0.7
    assert blurred.truth["degradation"]["blur"] == 2.0 and small.truth["degradation"]["downsample"] == 3.0
    assert blurred.truth["objects"] == plain.truth["objects"], "degradations keep the geometry"
    assert np.array_equal(blurred.plant_mask, plain.plant_mask)

    def ink(sheet) -> float:
        label = next(o for o in sheet.truth["objects"] if o["kind"] == "label")
        grey = cv2.cvtColor(sheet.image, cv2.COLOR_RGB2GRAY)
        return float(np.mean([grey[b:d, a:c].min() for a, b, c, d in (ln["box"] for ln in label["lines"])]))

    faded = render_sheet(make_world({**base, "fading": 1.0, "noise": 0.0}, seed=3), 0)
    crisp = render_sheet(make_world({**base, "noise": 0.0}, seed=3), 0)
    assert ink(faded) > ink(crisp) + 40
    extreme = render_sheet(
        make_world({**base, "blur": 20, "downsample": 16, "noise": 64, "fading": 1}, seed=3), 0
    )
    assert extreme.image.shape == plain.image.shape


def test_occlusion_and_handwriting_shares():
    base = dict(SMALL, species=3, sheets_per_species=2)
    occluded = [
        render_sheet(w, i) for w in [make_world({**base, "occlusion_share": 1.0}, seed=2)] for i in range(6)
    ]
    for s in occluded:
        cards = [o for o in s.truth["objects"] if o["kind"] in ("label", "annotation")]
        assert all("occluder" in o for o in cards)
        assert s.truth["degradation"]["occluded_cards"] == [o["id"] for o in cards]
    assert any(ln["occluded"] > 0 for s in occluded for o in s.truth["objects"] for ln in o["lines"])
    hand = make_world({**base, "handwriting_share": 1.0}, seed=2)
    printed = make_world({**base, "handwriting_share": 0.0, "annotation_share": 0.0}, seed=2)
    for i in range(6):
        assert render_sheet(hand, i).truth["degradation"]["handwritten_label"]
        p = render_sheet(printed, i).truth
        assert not any(ln["handwritten"] for o in p["objects"] for ln in o["lines"])


def test_font_styles_limit_the_label_fonts():
    world = make_world(
        {**SMALL, "species": 2, "sheets_per_species": 2, "font_styles": ["typewriter"]}, seed=5
    )
    allowed = {f.name for key in ("typewriter", "typewriter_bold", "typewriter_italic") for f in FONTS[key]}
    for i in range(world.n_sheets):
        t = render_sheet(world, i).truth
        for o in t["objects"]:
            if o["kind"] in ("label", "annotation"):
                assert {ln["font"] for ln in o["lines"]} <= allowed
