"""A collector's number beside a captioned date on one line ("B. C. Tharp 4455   Date: 4/12/1941") is read; no
number where the date may hold it."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields, to_darwin_core


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Collector: B. C. Tharp 4455      Date: 4/12/1941", "4455"),
        ("Coll. J. Smith 4455 Fecha: 3 mayo 1950", "4455"),
        ("Coll. J. Smith, Date: Jan 3 1925, 1234", "1234"),
        ("Coll. J. Smith Date: 3 Jan 1925", ""),
    ],
)
def test_a_collectors_number_before_or_after_a_captioned_date(line: str, number: str) -> None:
    assert to_darwin_core(extract_fields([line]))["recordNumber"] == number
