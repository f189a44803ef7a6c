"""A ruler's or colour chart's scale read as text: its centimetre numbers are no collector number.

Sheets are imaged beside a ruler; on mid-sized images the detector finds its marks as lines of numbers
("14 15 16 17 18 19 20"), single marks ("28") and neighbours run together ("2425" for 24 and 25).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

_NUMBERS = re.compile(r"\s*\d+(?:\s+\d+)*\s*[.,]?\s*")
MIN_RUN = 3  # consecutive numbers on one line that make it a ruler's scale
MAX_MARK = 100  # a ruler's numbers (centimetres, half-inches) stay below this
MARGIN = 10  # a lone mark up to this far past the largest number read whole is the same scale's


def _run(numbers: Sequence[int]) -> int:
    """The longest run of numbers each one more than the one before."""
    best = run = 1 if numbers else 0
    for a, b in itertools.pairwise(numbers):
        run = run + 1 if b == a + 1 else 1
        best = max(best, run)
    return best


def _glued_pair(digits: str, top: int) -> bool:
    """``digits`` is two neighbouring marks no greater than ``top`` read as one number ("2425", "910")."""
    for cut in range(1, len(digits)):
        a, b = digits[:cut], digits[cut:]
        if a[0] != "0" and b[0] != "0" and int(b) == int(a) + 1 and int(b) <= top:
            return True
    return False


def ruler_marks(lines: Sequence[str]) -> set[int]:
    """The indices of the lines that are a ruler's scale or its marks: lines of MIN_RUN or more consecutive numbers
    under MAX_MARK, and, where such a line is on the sheet, lines holding nothing but one or two numbers up to a
    few past its largest, or two neighbouring marks run together."""
    scales, top = set(), 0
    for i, line in enumerate(lines):
        if _NUMBERS.fullmatch(line):
            numbers = [int(n) for n in re.findall(r"\d+", line)]
            if _run(numbers) >= MIN_RUN and max(numbers) < MAX_MARK:
                scales.add(i)
                top = max(top, max(numbers))
    if not scales:
        return set()
    top += MARGIN  # marks beyond the last one read whole
    marks = set(scales)
    for i, line in enumerate(lines):
        if i in scales or not _NUMBERS.fullmatch(line):
            continue
        numbers = re.findall(r"\d+", line)
        if len(numbers) <= 2 and all(int(n) <= top for n in numbers):
            marks.add(i)
        elif len(numbers) == 1 and _glued_pair(numbers[0], top):
            marks.add(i)
    return marks
