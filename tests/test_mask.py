"""The mask library and the one-off CLI: detection API, fills, targets, plant protection, decoding errors,
settings errors, ``herbproc mask`` on a real sheet, bad inputs."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from conftest import shared_fixture
from mask_helpers import huge_png, jpeg, synthetic_sheets

from herbproc.cli import main as herbproc_main
from herbproc.mask.fill import apply_fill, draw_mask, grow
from herbproc.mask.masker import mask_image
from herbproc.mask.metrics import readable_chars
from herbproc.schema.mask import Settings, settings_from
from herbproc.shard import ItemError
from herbproc.sheet.detect import Detections, detect
from herbproc.store.decode import decode_original


@pytest.fixture(scope="module")
def sheet():
    return synthetic_sheets(1, seed=21)[0]


@pytest.fixture(scope="module")
def detections(sheet):
    return detect(sheet.image)


def _object(sheet, kind: str) -> dict:
    return next(o for o in sheet.truth["objects"] if o["kind"] == kind)


def _inside(polygon, point) -> bool:
    return (
        cv2.pointPolygonTest(np.asarray(polygon, np.float32), (float(point[0]), float(point[1])), False) >= 0
    )


def _best_truth_line(obj: dict, box: tuple[int, int, int, int]) -> int:
    def overlap(b) -> float:
        w = max(0, min(box[2], b[2]) - max(box[0], b[0]))
        h = max(0, min(box[3], b[3]) - max(box[1], b[1]))
        return w * h / max(1, (b[2] - b[0]) * (b[3] - b[1]))

    return int(np.argmax([overlap(ln["box"]) for ln in obj["lines"]]))


def test_detect_finds_the_label_with_its_lines_in_reading_order(sheet, detections):
    label = _object(sheet, "label")
    centre = np.mean(label["polygon"], axis=0)
    found = [(r, lines) for r, lines in detections.label_lines() if _inside(r.polygon, centre)]
    assert len(found) == 1, [r.kind for r in detections.regions]
    region, lines = found[0]
    assert len(lines) >= len(label["lines"]) - 1
    order = [_best_truth_line(label, ln.box) for ln in lines]
    assert order == sorted(order), (
        order
    )  # reading order: the card's own order, rows top to bottom, left to right
    assert all(0 <= ln.region < len(detections.regions) for ln in lines)
    stamp = _object(sheet, "stamp")
    assert any(
        r.kind == "stamp" and _inside(r.polygon, np.mean(stamp["polygon"], axis=0))
        for r in detections.regions
    )
    back = Detections.from_json(json.loads(detections.dumps()))
    assert back.to_json() == detections.to_json()
    assert len(back.label_lines()) == len(detections.label_lines())


def test_fills_change_only_masked_pixels_and_never_the_input(sheet, detections):
    image = sheet.image
    before = image.tobytes()
    layers = draw_mask(detections, Settings())
    where = layers.mask > 0
    assert where.any()
    outputs = {}
    for fill in ("auto", "paper", "telea", "ns", "black"):
        out = apply_fill(image, layers.mask, settings_from({"fill": fill}), detections.work)
        assert np.array_equal(out[~where], image[~where]), fill
        outputs[fill] = out
    assert image.tobytes() == before
    assert (outputs["black"][where] == 0).all()
    label = _object(sheet, "label")
    x0, y0, x1, y1 = label["box"]
    card = outputs["paper"][y0:y1, x0:x1].reshape(-1, 3).astype(int)
    assert card.std(axis=0).max() < 4  # a card filled with one paper colour: no ink left
    # the fill from the stored mask alone (no working copy) is the same as the stage's
    again = apply_fill(image, layers.mask, Settings(), None)
    assert np.abs(again.astype(int) - outputs["auto"].astype(int)).max() <= 1


def test_targets_choose_what_is_masked(sheet):
    only_stamps = mask_image(sheet.image, settings_from({"targets": ["stamps"]}))
    kinds = {only_stamps.detections.regions[i].kind for i in only_stamps.targeted}
    assert kinds == {"stamp"}
    x0, y0, x1, y1 = _object(sheet, "label")["box"]
    assert (only_stamps.mask[y0:y1, x0:x1] > 0).mean() < 0.05
    sx0, sy0, sx1, sy1 = _object(sheet, "stamp")["box"]
    assert (only_stamps.mask[sy0:sy1, sx0:sx1] > 0).mean() > 0.9


def test_a_leaf_lying_across_the_label_is_not_masked(sheet):
    image = sheet.image.copy()
    x0, y0, x1, y1 = _object(sheet, "label")["box"]
    leaf = np.zeros(image.shape[:2], np.uint8)
    centre = (x0 + (x1 - x0) // 3, y0)  # a leaf reaching from the plant's side over the label's top edge
    cv2.ellipse(leaf, centre, ((x1 - x0) // 6, (y1 - y0) // 2), 70, 0, 360, 255, -1)
    image[leaf > 0] = (52, 98, 40)
    result = mask_image(image)
    on_leaf = (result.mask[leaf > 0] > 0).mean()
    assert on_leaf < 0.05, f"{on_leaf:.1%} of the leaf masked"
    card = np.zeros_like(leaf)
    cv2.fillPoly(card, [np.round(np.asarray(_object(sheet, "label")["polygon"])).astype(np.int32)], 255)
    assert (result.mask[(card > 0) & (leaf == 0)] > 0).mean() > 0.97  # the rest of the label still goes


def test_grow_moves_every_side_out():
    square = np.array([[0, 0], [10, 0], [10, 10], [0, 10]], np.float32)
    assert np.allclose(grow(square, 2), [[-2, -2], [12, -2], [12, 12], [-2, 12]])
    assert np.allclose(grow(square[::-1], 2), [[-2, 12], [12, 12], [12, -2], [-2, -2]])


def test_decoding_errors_have_reasons(sheet):
    good = jpeg(sheet.image)
    assert decode_original(good, 10**9).shape == sheet.image.shape
    for data, reason in [
        (b"", "decode_error"),
        (b"plain text, not a picture", "decode_error"),
        (good[: len(good) // 2], "decode_error"),
        (huge_png(), "too_large"),
        (good, "too_large"),  # over a small max_pixels
    ]:
        limit = 10_000 if data is good else 10**9
        with pytest.raises(ItemError) as e:
            decode_original(data, limit)
        assert e.value.reason == reason


def test_readable_chars_counts_only_real_matches():
    truth = ["Gray Herbarium of Harvard University", "Coll. E. F. Williams No. 10461"]
    assert readable_chars(truth, truth) == (57, 57)
    assert readable_chars(truth, ["Harvard Universty"])[0] >= 15
    assert readable_chars(truth, ["||||", "xq", "IlI1l", "cm"]) == (0, 57)
    assert readable_chars(truth, []) == (0, 57)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"targets": ["labels", "logos"]},
            "unknown 'logos' (choices: labels, stamps, barcodes, rulers, charts",
        ),
        ({"fill": "blur"}, "wrong value for 'mask.fill'"),
        ({"margin": 0.5}, "wrong value for 'mask.margin'"),
        ({"max_pixels": 5}, "wrong value for 'mask.max_pixels'"),
        ({"colour": "red"}, "unknown mask setting(s) colour"),
    ],
)
def test_bad_settings_name_the_key(values, message):
    with pytest.raises(ValueError) as e:
        settings_from(values)
    assert message in str(e.value)


def test_cli_masks_a_real_sheet(tmp_path, capsys):
    path = shared_fixture("real_sheets", "LM_Validate_LowRes_1.jpg")
    before = path.read_bytes()
    assert herbproc_main(["mask", str(path), "-o", str(tmp_path / "out")]) == 0
    assert path.read_bytes() == before
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "LM_Validate_LowRes_1.boxes.json",
        "LM_Validate_LowRes_1.mask.png",
        "LM_Validate_LowRes_1.masked.png",
    ]
    masked = cv2.imread(str(tmp_path / "out" / names[2]))
    mask = cv2.imread(str(tmp_path / "out" / names[1]), cv2.IMREAD_GRAYSCALE)
    original = cv2.imread(str(path))
    assert masked.shape == original.shape and mask.shape == original.shape[:2]
    assert set(np.unique(mask)) == {0, 255} and 0.02 < (mask > 0).mean() < 0.4
    boxes = json.loads((tmp_path / "out" / names[0]).read_text())
    assert any(r["kind"] == "label" for r in boxes["regions"]) and boxes["width"] == original.shape[1]
    # the printed label (lower right, "Castanea dentata ...") is gone
    h, w = mask.shape
    assert (mask[int(h * 0.78) : int(h * 0.95), int(w * 0.62) : int(w * 0.95)] > 0).mean() > 0.8
    assert "masked" in capsys.readouterr().out


def test_cli_bad_inputs_are_clear_errors(tmp_path, capsys, sheet):
    out = tmp_path / "out"
    good = tmp_path / "good.jpg"
    good.write_bytes(jpeg(sheet.image))
    assert herbproc_main(["mask", str(good), str(tmp_path / "missing.jpg"), "-o", str(out)]) == 2
    assert "missing.jpg: no such file" in capsys.readouterr().err
    assert not out.exists()  # nothing written when an input is missing
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff garbage")
    assert herbproc_main(["mask", str(broken), "-o", str(out)]) == 2
    assert "broken.jpg" in capsys.readouterr().err and not out.exists()
    assert herbproc_main(["mask", str(good), "-o", str(out), "--set", "fill=blur"]) == 2
    assert "mask.fill" in capsys.readouterr().err
    assert herbproc_main(["mask", str(good), "-o", str(out), "--set", "fill"]) == 2
    assert "--set takes key=value" in capsys.readouterr().err
    assert herbproc_main(["mask-eval", "--sheets", "0"]) == 2
    assert herbproc_main(["mask-eval", "--run-dir", str(tmp_path)]) == 2
    assert "config/mask.yaml not found" in capsys.readouterr().err


def test_closely_set_lines_whose_boxes_overlap_are_read_in_rows_not_alternately() -> None:
    """Line boxes taller than the line pitch (a real label's lines, working-copy pixels, 5.3-5.5 px apart, boxes
    9-11 px high): the second and third centres fall within half a box height of each other (one row), but
    lines that overlap along the text are stacked and read top to bottom (by left ends, the third came before
    the second: its left end is half a pixel further left)."""
    from herbproc.sheet.regions import reading_order
    from herbproc.sheet.textdet import Line

    quads = [
        [[323.16, 658.91], [490.64, 656.62], [490.76, 665.56], [323.29, 667.85]],  # first
        [[322.99, 668.47], [487.80, 666.58], [487.93, 677.70], [323.12, 679.60]],  # third, its box tall
        [[323.39, 664.50], [472.33, 661.54], [472.52, 671.26], [323.58, 674.23]],  # second
    ]
    lines = [Line(np.array(q, np.float32), 1.0) for q in quads]
    assert reading_order(lines, [0, 1, 2]) == [0, 2, 1]
    # side by side on one row: still left to right; a stack stands where its leftmost line does
    hand = Line(np.array([[20, 96], [180, 96], [180, 140], [20, 140]], np.float32), 1.0)  # tall, left
    printed = [Line(np.array([[200, 90], [600, 90], [600, 114], [200, 114]], np.float32), 1.0),
               Line(np.array([[210, 100], [500, 100], [500, 122], [210, 122]], np.float32), 1.0)]  # fmt: skip
    assert reading_order([*printed, hand], [0, 1, 2]) == [2, 0, 1]
    # a short word (length under 3 heights) is no line of a stack: "No." set under a tall handwritten name
    name = Line(np.array([[320, 686], [450, 686], [450, 714], [320, 714]], np.float32), 1.0)
    word = Line(np.array([[334, 686], [346, 686], [346, 694], [334, 694]], np.float32), 1.0)
    assert reading_order([word, name], [0, 1]) == [1, 0]
    row = [Line(np.array([[600, 100], [900, 100], [900, 130], [600, 130]], np.float32), 1.0),
           Line(np.array([[100, 104], [500, 104], [500, 134], [100, 134]], np.float32), 1.0)]  # fmt: skip
    assert reading_order(row, [0, 1]) == [1, 0]
