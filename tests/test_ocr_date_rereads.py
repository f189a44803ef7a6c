"""ocr.reread_dates: a line that gives a year and no day of it is read again at other scales and by the other
engine; a date the re-readings agree on, of the same year and more precise, replaces the date's stretch of the
line (the rest keeps the first reading); anything else leaves the line as it was.

The unit tests use made-up lines in the shapes thumbnails are misread in; the sheet test garbles the month of a
rendered label's date in its first reading (``Garbling``), as a thumbnail's few pixels do, and the re-reads are
the real engines'."""

from __future__ import annotations

import re
import shutil

import pytest

from herbproc.ocr import LabelReader, ocr_settings
from herbproc.ocr.date_rereads import more_precise, unsure_date
from herbproc.ocr.engines import Reading
from herbproc.ocr.engines.ppocr import get_ppocr
from herbproc.synth import make_world, render_sheet

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract-ocr is not installed (scripts/setup.sh)"
)


@pytest.mark.parametrize(
    "line, unsure",
    [
        ("Fecha hug- 23,1950", True),  # a month misread: the year alone is read
        ("Rqs. 1941", True),
        ("Coll. K. Elm 28 Ox 1994", True),
        ("October 1935", True),  # a month: a day could be there
        ("12 Aug. 1941", False),  # a day already
        ("Sept. 3-5, 1962", False),  # a range of days
        ("1941", False),  # a year alone on its line: nothing more to read
        ("No. 4312", False),  # no year
        ("", False),
    ],
)
def test_which_lines_are_read_again(line, unsure):
    assert unsure_date(line) is unsure


@pytest.mark.parametrize(
    "line, rereadings, mended",
    [
        # the re-readings that read more agree: the date's stretch is taken from them
        ("Fecha hug- 23,1950", ["Fecha hug- 23,1950", "Fecha Aug- 23, 1950"], "Fecha Aug- 23, 1950"),
        ("Rqs. 1941", ["Aug. 1941", "Rus. 1941", "Aug. 1941"], "Aug. 1941"),
        # the rest of the line keeps the first reading, however the re-reading garbles it
        ("Coll. K. Elmsley 28 Ox 1994", ["Cull. K. Eimsly 28 Oct 1994"], "Coll. K. Elmsley 28 Oct 1994"),
        # a month where there was a year, a day where there was a month
        ("Oct. 1935", ["Oct. 12, 1935", "Oct. 1935"], "Oct. 12, 1935"),
        # re-readings that disagree, or read another year, or read nothing more: the line stays
        ("Coll. K. Elmsley 28 Ox 1994", ["Coll 28 Oct 1994", "Coll 26 Oct 1994"], None),
        ("Rqs. 1941", ["Aug. 1947"], None),
        ("SEPT. 1963", ["SEPT. 183", "SEPT. 1903"], None),
        ("Rqs. 1941", ["Rqs. 1941", ""], None),
        ("Oct. 12, 1935", ["Oct. 12, 1935"], None),
        ("From 1931 to 1935", ["May 1931", "June 1935"], None),  # two years: which one is unsure
    ],
)
def test_a_more_precise_date_of_the_same_year_is_taken(line, rereadings, mended):
    assert more_precise(line, rereadings) == mended


class Garbling:
    """PP-OCR whose readings have each month's name replaced by letters that name no month (the first engine,
    under another name so that the re-reads use the real engines)."""

    name = "first"
    months = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?", re.I)

    def __init__(self):
        self.engine = get_ppocr(2, 16, "latin")

    def read(self, crops):
        return [
            Reading(self.months.sub("Xq", r.text), r.confidence, self.name) for r in self.engine.read(crops)
        ]


@pytest.fixture(scope="module")
def dated_sheet():
    world = make_world({"species": 3, "sheets_per_species": 1, "width": 1000, "height": 1500,
                        "handwriting_share": 0.0}, seed=0)  # fmt: skip
    sheet = render_sheet(world, 1)  # its label dates the gathering by day, its month written as a word
    day = sheet.truth["dwc"]["eventDate"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", day)
    return sheet.image, day


def read(image, **settings):
    return LabelReader(ocr_settings(**settings), engines=[Garbling()], threads=2).read(image)


@needs_tesseract
def test_a_garbled_month_is_read_again_and_the_day_found(dated_sheet):
    image, day = dated_sheet
    before = read(image, reread_dates=False)
    assert before.darwin_core()["eventDate"] == day[:4], before.texts  # the first reading gives the year only
    assert before.date_rereads == 0
    after = read(image, reread_dates=True, reread_scales=[1.0, 1.5])
    assert after.date_rereads > 0
    assert after.darwin_core()["eventDate"] == day, after.texts
    changed = [(a, b) for a, b in zip(before.texts, after.texts, strict=True) if a != b]
    assert len(changed) == 1 and "Xq" in changed[0][0] and "Xq" not in changed[0][1], changed
    # the taxon's readings are as they were
    assert all(r.engine == "first" for ln in after.lines for r in ln.readings)


def test_only_ppocr_rereads_the_dates_at_another_scale(dated_sheet):
    image, day = dated_sheet
    result = read(image, reread_dates=True, reread_engines=["ppocr"], reread_scales=[1.5, 2.0])
    assert result.date_rereads == 2  # the one date line, twice
    assert result.darwin_core()["eventDate"] == day, result.texts


def test_bad_reread_dates_setting_is_refused_in_one_line():
    with pytest.raises(ValueError) as err:
        ocr_settings(reread_dates="sometimes")
    assert "'ocr.reread_dates'" in str(err.value) and "\n" not in str(err.value)


def test_a_missing_tesseract_is_told_before_a_run_that_rereads_dates(monkeypatch):
    from herbproc.ocr.engines import EngineError, check_engines

    monkeypatch.setattr(shutil, "which", lambda name: None if name == "tesseract" else "/bin/true")
    with pytest.raises(EngineError, match=r"ocr.reread_dates=false"):
        check_engines(ocr_settings(reread=False, reread_dates=True))
    check_engines(ocr_settings(reread=False, reread_dates=False))
    check_engines(ocr_settings(reread_dates=True, reread_engines=["ppocr"]))
