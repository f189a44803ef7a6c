"""The last text pass over the labels of a large scan (``herbproc.sheet.detail``, ``ocr.label_detail``): the lines a
label holds that ``detect`` did not find are added, in reading order, flagged; lines already found are not found
twice; nothing happens where ``detect`` already saw the sheet as finely (its second pass, where that searched the
label, else its first); the reader keeps such a line only when it
reads it sure enough; with ``margin`` the print beside and between a label's text blocks (no card edge found) is
searched too, and given to the nearer block, and a line an earlier pass cut short is taken whole; bad settings are
refused in one line.

The card is drawn here: a header and a name in large print, a block of collectors' names and a date in small
print. ``detect``'s output is given without the small print, as on a 5616 px scan whose fine pass saw it at 8 px.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from herbproc.ocr import LabelReader, ocr_settings
from herbproc.ocr.engines import Reading
from herbproc.ocr.lines import LabelLine
from herbproc.sheet.detail import COVERED, _covered, _found_again, _nearest, with_label_detail
from herbproc.sheet.detect import Detections, TextLine
from herbproc.sheet.regions import Region
from herbproc.sheet.textdet import get_detector

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # fonts-dejavu-core (scripts/setup.sh)
LARGE = ["FLORA OF ELMTON COUNTY", "Quercus alba L."]
SMALL = ["JOHN Q. SAMPLE", "R. T. EXAMPLE", "MAY 3, 1911"]
LARGE_SCAN = 800 / 5616  # detect's working scale on a 3744 x 5616 scan


def quad(box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)


@pytest.fixture(scope="module")
def card() -> tuple[np.ndarray, dict[str, tuple[int, int, int, int]]]:
    """A label card on a sheet's margin, and the box of every text drawn on it."""
    im = Image.new("RGB", (1700, 1000), (236, 232, 222))
    draw = ImageDraw.Draw(im)
    draw.rectangle((100, 80, 1500, 880), fill=(250, 248, 242), outline=(60, 60, 60), width=4)
    large, small = ImageFont.truetype(FONT, 56), ImageFont.truetype(FONT, 22)
    spots = {LARGE[0]: (220, 140, large), LARGE[1]: (220, 250, large), SMALL[0]: (220, 640, small),
             SMALL[1]: (220, 676, small), SMALL[2]: (1000, 660, small)}  # fmt: skip
    boxes = {}
    for text, (x, y, face) in spots.items():
        draw.text((x, y), text, font=face, fill=(20, 20, 20))
        boxes[text] = tuple(int(v) for v in draw.textbbox((x, y), text, font=face))
    return np.asarray(im), boxes


def without_small_print(card, scale: float = LARGE_SCAN) -> Detections:
    image, boxes = card
    lines = [TextLine(quad(boxes[t]), 0.9, 0) for t in LARGE]
    region = Region("label", quad((100, 80, 1500, 880)), 0.9, [0, 1], "rect")
    return Detections(image.shape[1], image.shape[0], scale, 30.0, [region], lines)


def centre_in(line: TextLine, box: tuple[int, int, int, int]) -> bool:
    x, y = line.polygon.mean(axis=0)
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def test_the_small_print_a_label_lacked_is_added_in_reading_order(card):
    _, boxes = card
    before = without_small_print(card)
    after = with_label_detail(card[0], before, get_detector(2))
    new = after.lines[len(before.lines) :]
    assert after.lines[: len(before.lines)] == before.lines, "the lines detect found stay as they were"
    for text in SMALL:
        assert sum(centre_in(ln, boxes[text]) for ln in new) == 1, (
            f"{text!r} found once: {[ln.box for ln in new]}"
        )
    assert not any(centre_in(ln, boxes[t]) for ln in new for t in LARGE), "a line already found is not added"
    assert all(ln.detail and ln.region == 0 for ln in new)
    order = [
        next(t for t in LARGE + SMALL if centre_in(after.lines[k], boxes[t])) for k in after.regions[0].lines
    ]
    assert order == LARGE + SMALL[:1] + SMALL[2:] + SMALL[1:2], "rows top to bottom, left to right in a row"


def test_no_pass_where_detect_saw_the_labels_as_finely(card):
    thumbnail = without_small_print(card, scale=1.0)
    assert with_label_detail(card[0], thumbnail, get_detector(2)) is thumbnail


def test_a_label_detects_second_pass_did_not_search_is_searched_at_full_resolution(card):
    """A mid-sized scan (a 1600 px lichen packet): the label fills too much of the sheet for detect's second pass,
    so its lines were found by the first pass only, at COARSE times the working scale; the pass at full
    resolution is finer than that, though not finer than the second pass."""
    image, boxes = card
    unsearched = without_small_print(card, scale=1.0)
    unsearched.refined = [(1550, 0, 1700, 1000)]  # the second pass searched a strip beside the label only
    after = with_label_detail(image, unsearched, get_detector(2))
    new = after.lines[len(unsearched.lines) :]
    assert {t for t in SMALL if any(centre_in(ln, boxes[t]) for ln in new)} == set(SMALL)
    searched = without_small_print(card, scale=1.0)
    searched.refined = [(0, 0, 1700, 1000)]
    assert with_label_detail(image, searched, get_detector(2)) is searched, "seen by the second pass: left"
    coarse_enough = without_small_print(card, scale=2.0)  # the first pass alone saw it at 1.2x: as finely
    coarse_enough.refined = []
    assert with_label_detail(image, coarse_enough, get_detector(2)) is coarse_enough


def test_detect_records_the_areas_its_second_pass_searched(card):
    from herbproc.sheet.detect import detect

    image = card[0]
    det = detect(image)
    assert det.refined is not None
    for x0, y0, x1, y1 in det.refined:
        assert 0 <= x0 < x1 <= image.shape[1] and 0 <= y0 < y1 <= image.shape[0]
    back = Detections.from_json(det.dumps())
    assert back.refined == det.refined
    old = det.to_json()
    del old["refined"]  # saved before the areas were recorded: taken as searched everywhere, as then
    assert Detections.from_json(old).refined is None


def test_the_reader_reads_the_added_lines_and_not_when_turned_off(card):
    image = card[0]
    texts = {}
    for scale in (1.0, 0.0):
        reader = LabelReader(ocr_settings(label_detail=scale, reread=False), threads=2)
        texts[scale] = [ln.text for ln in reader.read(image, detections=without_small_print(card)).lines]
    assert texts[0.0] == LARGE
    assert texts[1.0][:2] == LARGE and {"JOHN Q. SAMPLE", "MAY 3, 1911"} <= set(texts[1.0]), texts[1.0]


def test_an_added_line_read_unsure_is_left_out():
    reader = LabelReader(ocr_settings(label_detail_min=0.9), engines=[], threads=1)
    lines = [LabelLine(0, k, quad((0, 0, 10, 10)), (), detail=k > 0) for k in range(3)]
    readings = [
        [Reading("No.", 0.5, "ppocr")],
        [Reading("1674", 0.97, "ppocr")],
        [Reading("(-3t.", 0.85, "ppocr")],
    ]
    kept, read = reader._sure_detail(lines, readings)
    assert [ln.line for ln in kept] == [0, 1], (
        "detect's own line stays however unsure; the unsure added one goes"
    )
    assert [r[0].text for r in read] == ["No.", "1674"]


BLOCKS = {"EXPLORATION OF ELMTON": (300, 100, 44), "Quercus alba L.": (300, 170, 44),
          "No. 4592": (300, 232, 30), "JOHN Q. SAMPLE": (560, 232, 30), "MAY 3, 1911": (1000, 232, 30),
          "FAR BELOW THE LABEL": (300, 720, 24)}  # fmt: skip
FOUND = ["EXPLORATION OF ELMTON", "Quercus alba L.", "MAY 3, 1911"]  # what detect found: two text blocks
BETWEEN = ["No. 4592", "JOHN Q. SAMPLE"]  # small print under the first block, beside the second


@pytest.fixture(scope="module")
def blocks() -> tuple[np.ndarray, dict[str, tuple[int, int, int, int]]]:
    """A label without a card edge: its text on the sheet, found by ``detect`` as two text blocks."""
    im = Image.new("RGB", (1500, 900), (246, 244, 238))
    draw = ImageDraw.Draw(im)
    boxes = {}
    for text, (x, y, size) in BLOCKS.items():
        draw.text((x, y), text, font=ImageFont.truetype(FONT, size), fill=(20, 20, 20))
        boxes[text] = tuple(int(v) for v in draw.textbbox((x, y), text, font=ImageFont.truetype(FONT, size)))
    return np.asarray(im), boxes


def as_two_blocks(blocks) -> Detections:
    image, boxes = blocks
    lines = [TextLine(quad(boxes[t]), 0.9, 0 if k < 2 else 1) for k, t in enumerate(FOUND)]
    top = (boxes[FOUND[0]][0], boxes[FOUND[0]][1], boxes[FOUND[1]][2], boxes[FOUND[1]][3])
    regions = [Region("label", quad(top), 0.9, [0, 1], "text"), Region("label", quad(boxes[FOUND[2]]), 0.9, [2], "text")]
    return Detections(image.shape[1], image.shape[0], LARGE_SCAN, 30.0, regions, lines)


def test_without_a_margin_only_the_blocks_themselves_are_searched(blocks):
    before = as_two_blocks(blocks)
    assert with_label_detail(blocks[0], before, get_detector(2), margin=0.0) is before


def test_with_a_margin_the_print_between_the_blocks_is_found_and_given_to_the_nearer(blocks):
    _, boxes = blocks
    before = as_two_blocks(blocks)
    after = with_label_detail(blocks[0], before, get_detector(2), margin=2.0)
    new = after.lines[len(before.lines) :]
    assert after.lines[: len(before.lines)] == before.lines
    for text in BETWEEN:
        found = [ln for ln in new if centre_in(ln, boxes[text])]
        assert len(found) == 1, f"{text!r} found once: {[ln.box for ln in new]}"
        assert found[0].region == 0 and found[0].detail, "under the first block, nearer it than the date"
        assert any(after.lines[k] is found[0] for k in after.regions[0].lines)
    assert not any(centre_in(ln, boxes[t]) for ln in new for t in FOUND), "a line already found is not added"
    assert not any(centre_in(ln, boxes["FAR BELOW THE LABEL"]) for ln in new), "beyond the margin: not searched"
    assert after.regions[1].lines == [2]


def test_a_line_an_earlier_pass_cut_short_is_taken_whole(blocks):
    _, boxes = blocks
    before = as_two_blocks(blocks)
    x0, y0, x1, y1 = boxes[FOUND[0]]
    before.lines[0] = TextLine(quad((x0, y0, (x0 + x1) // 2, y1)), 0.9, 0)  # "EXPLORATION OF" of the header
    after = with_label_detail(blocks[0], before, get_detector(2), margin=2.0)
    header = [ln for ln in after.lines if centre_in(ln, boxes[FOUND[0]])]
    assert len(header) == 1 and header[0] is after.lines[0], "the cut line is replaced, not found twice"
    assert header[0].box[2] >= x1 - 4 and header[0].region == 0 and not header[0].detail
    assert after.lines[1].box == before.lines[1].box, "a line found whole stays as it was"


def test_the_reader_reads_the_number_between_the_blocks(blocks):
    texts = {}
    for margin in (2.0, 0.0):
        reader = LabelReader(ocr_settings(label_detail_margin=margin, reread=False), threads=2)
        texts[margin] = [ln.text for ln in reader.read(blocks[0], detections=as_two_blocks(blocks)).lines]
    assert "4592" not in " ".join(texts[0.0])
    assert {"No.4592", "JOHNQ.SAMPLE"} <= {t.replace(" ", "") for t in texts[2.0]}, texts[2.0]


@pytest.mark.parametrize(
    "key, value",
    [("label_detail", -0.5), ("label_detail", 3.0), ("label_detail_min", 1.5), ("label_detail_margin", -1.0),
     ("label_detail_margin", 11.0)],
)
def test_bad_label_detail_settings_are_refused_in_one_line(key, value):
    with pytest.raises(ValueError) as err:
        ocr_settings(**{key: value})
    assert f"'ocr.{key}'" in str(err.value) and "\n" not in str(err.value)


def test_an_added_line_goes_with_the_block_on_its_row():
    own = {0: (100, 100, 400, 140), 1: (500, 210, 900, 300)}  # a collector's name; a herbarium's block below
    beside = (650, 100, 750, 140)  # the number written to the right of the name, above the other block
    assert _nearest(beside, [0, 1], own) == 0
    assert _nearest((600, 160, 700, 200), [0, 1], own) == 1  # under the name's row, just above the block



CLOSE = ["N. L. SAMPLE", "J. F. EXAMPLE", "CARLOS DE LA MUESTRA"]


def test_a_row_between_close_rows_is_its_own_line_a_line_on_its_row_is_found_again():
    above, middle, below = (2231, 5253, 2470, 5290), (2229, 5280, 2454, 5315), (2229, 5303, 2592, 5341)
    assert max(_covered(middle, above), _covered(middle, below)) >= COVERED  # the grown boxes overlap
    assert not _found_again(middle, above) and not _found_again(middle, below)
    assert _found_again((2240, 5258, 2460, 5288), above)  # the same line a little smaller: found again


def test_rows_set_close_are_each_added_not_taken_for_one_found_again():
    """A collectors' block in small capitals, one line height apart on a soft scan, so that the detector's
    boxes overlap by a third of a line: three lines added, none dropped as another found again."""
    im = Image.new("RGB", (1700, 1000), (236, 232, 222))
    draw = ImageDraw.Draw(im)
    draw.rectangle((100, 80, 1500, 880), fill=(250, 248, 242), outline=(60, 60, 60), width=4)
    large, small = ImageFont.truetype(FONT, 56), ImageFont.truetype(FONT, 24)
    boxes = {}
    spots = {LARGE[0]: (220, 140, large), LARGE[1]: (220, 250, large)}
    spots |= {text: (220, 620 + k * 24, small) for k, text in enumerate(CLOSE)}
    for text, (x, y, face) in spots.items():
        draw.text((x, y), text, font=face, fill=(20, 20, 20))
        boxes[text] = tuple(int(v) for v in draw.textbbox((x, y), text, font=face))
    image = np.asarray(im.filter(ImageFilter.GaussianBlur(2)))
    lines = [TextLine(quad(boxes[t]), 0.9, 0) for t in LARGE]
    region = Region("label", quad((100, 80, 1500, 880)), 0.9, [0, 1], "rect")
    before = Detections(image.shape[1], image.shape[0], LARGE_SCAN, 30.0, [region], lines)
    after = with_label_detail(image, before, get_detector(2))
    new = after.lines[len(before.lines) :]
    tops = sorted(ln.box[1] for ln in new)
    assert len(new) == 3 and any(_covered(a.box, b.box) >= COVERED for a in new for b in new if a is not b)
    assert [sum(centre_in(ln, boxes[t]) for ln in new) for t in CLOSE] == [1, 1, 1], tops
