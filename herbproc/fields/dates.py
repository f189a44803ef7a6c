"""Collection dates on labels → ISO 8601 (``1912-06-12``, ``1921-09``, ``1912``, or an interval ``a/b``).

Styles: ``12 June 1912``, ``12th June 1912``, ``3 Aug. 1899``, ``June 12, 1912``, ``Aug 3 1899``, ``12.VI.1912``,
``12-VI-1912``, ``3 de agosto de 1950``, spans of months ``June-Aug. 1940``, ``6/12/1912`` (slash or dash: month
first as on North American labels, day first elsewhere, nothing when the label's ``order`` is not known; a number
over 12 is the day), ``12.6.1912`` (dots: day first), ``1912-06-12``, ``Sept. 1921``, ``VI.1912``, ``1912``, and day ranges
``June 12-15, 1912``. Month names in English, French, Spanish, German, Italian and Dutch. A two-digit year
(``5-14-75``, ``18-Jan-94``, ``25 July 82``) is read only when the date fills its line (after a ``Date`` cue at
most), and only where the century is certain: ``19yy`` when ``20yy`` would be in the future (``5-14-75`` →
1975, ``6/12/12`` → nothing: 1912 or 2012). A date that cannot exist (``31 June 1912``, month 13, a year before 1600 or in
the future) gives nothing, and its text is not re-read as a vaguer date.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass, replace
from typing import Literal

from rapidfuzz.distance import Levenshtein

from herbproc.fields.taxon import ConfusionCosts, confusion_costs, load_confusions
from herbproc.fields.text import fold

MONTHS: dict[str, int] = {}
_MONTH_NAMES = {
    1: "january jan janvier janv enero ene januar janner jänner gennaio genn januari janeiro",
    2: "february feb febr fevrier fevr fev febrero februar febbraio februari fevereiro",
    3: "march mar mars marzo marz märz maart março",
    4: "april apr avril avr abril aprile",
    5: "may mai mayo maggio mei maio",
    6: "june jun juin junio juni giugno junho",
    7: "july jul juillet juil julio juli luglio julho",
    8: "august aug aout agosto augustus",
    9: "september sep sept septembre septiembre setiembre settembre sett setembro",
    10: "october oct octobre octubre oktober okt ottobre ott outubro",
    11: "november nov novembre noviembre",
    12: "december dec decembre diciembre dic dezember dez dicembre dezembro",
}
for _number, _names in _MONTH_NAMES.items():
    for _name in _names.split():
        MONTHS[fold(_name)] = _number
# how 19th-century English hands abbreviate months ("Mch. 3, 1899", "Apl. 12", "Jany 1870", "Octr 4th"): read
# only as written, never as the near miss of a misread word ("Mich 1935" is not "Mch")
OLD_ENGLISH_MONTHS = {"jany": 1, "feby": 2, "mch": 3, "apl": 4, "augt": 8, "sepr": 9, "septr": 9, "octr": 10,
                      "novr": 11, "decr": 12}  # fmt: skip
_SIMILAR_NAMES = dict(MONTHS)  # what a misread word is compared with
MONTHS.update(OLD_ENGLISH_MONTHS)
# the last months as Spanish and Italian hands abbreviate them: "7bre" (septiembre, settembre) … "Xbre" (diciembre)
BRE_MONTHS = {"7bre": 9, "sbre": 9, "8bre": 10, "9bre": 11, "10bre": 12, "xbre": 12}
MONTHS.update(BRE_MONTHS)
# Spanish, Portuguese and Italian three- and four-letter abbreviations ("12 abr. 1912", "3 ago. 1950", "5 set. 1961",
# "2 mzo. 1930", "7 lug. 1920"): read only as written ("ago" and "set" are English words too)
ROMANCE_ABBREVIATIONS = {"abr": 4, "mzo": 3, "ago": 8, "set": 9, "magg": 5, "giu": 6, "lug": 7}
MONTHS.update(ROMANCE_ABBREVIATIONS)
_ENGLISH_WORDS = frozenset({"ago", "set"})

ROMAN_MONTHS = {r: i for i, r in enumerate("i ii iii iv v vi vii viii ix x xi xii".split(), start=1)}
# how a label writes a numeric date's day and month with a slash or dash: "month" first (the USA and its
# territories), "day" first (everywhere else), or "unknown" (the label does not say where it is from)
Order = Literal["month", "day", "unknown"]
PRECISION_RANK = {"range": 3, "day": 3, "month": 2, "years": 1, "year": 1}
EARLIEST_YEAR = 1600

# an ordinal day: "12th", "3rd", "1º", and the first of the month in French and Spanish ("1er mai", "1o de mayo")
_ORDINAL = r"(?:st|nd|rd|th|d|[º°ª]|(?<=(?<!\d)1)(?:er|o)(?=\s))"
_DAY = rf"(?P<day>[0-3]?\d){_ORDINAL}?"
# the second day of a range: "12-15", "3.–10.", "11, 12" / "11 & 12" / "3/4" / "3 y 4" (two days listed: the interval
# they span)
_DAY2 = r"(?:(?:\.?\s*[-–—]|\s+(?:to|al|au|bis)\s|\s*(?P<listed>,|&|/|and\b|y\b|et\b|und\b))\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th|d)?\.?)?"
_RANGE_DASH = r"\s*(?:[-–—]|\bto\b|\bau\b|\bal\b|\bbis\b)\s*"
_YEAR = r"(?P<year>\d{4})(?!\d)"
_WORD_MONTH = r"(?P<mon>[^\W\d_]{3,10}|[7-9]bre|10bre)\.?"
_ROMAN_MONTH = r"(?P<rom>[IVXivx]{1,4})"
_SEP = r"[\s.\-/,]*"
# Spanish / Portuguese "3 de agosto de 1950", English "the 3rd of June"
_SEP_DE = r"[\s.\-/,]*(?:de\s+|del\s+|of\s+)?"

# A form's date caption with its value written right against it ("Date8 Aug 1954", "DATEAug. 3, 1911").
_GLUED_CAPTION = r"(?:(?<=\b[Dd]ate)|(?<=\bDATE)|(?<=\b[Ff]echa)|(?<=\bFECHA)|(?<=\b[Dd]atum)|(?<=\bDATUM))"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "iso",
        re.compile(r"(?<![\d.])(?P<year>\d{4})(?P<s>[-/.])(?P<month>\d{1,2})(?P=s)(?P<day>\d{1,2})(?![\d])"),
    ),
    # a range across months: "31 Aug.–20 Sept. 1905", "31.VIII–20.IX.1905", "Aug. 31-Sept. 20, 1905"
    (
        "dmy2",
        re.compile(
            rf"(?<![\w.])(?P<day>[0-3]?\d)(?:st|nd|rd|th|d)?{_SEP}(?:(?P<mon>[^\W\d_]{{3,10}})|(?P<rom>[IVXivx]{{1,4}}))\.?"
            rf"{_RANGE_DASH}(?P<day2>[0-3]?\d)(?:st|nd|rd|th|d)?{_SEP}"
            rf"(?:(?P<mon2>[^\W\d_]{{3,10}})|(?P<rom2>[IVXivx]{{1,4}}))\.?{_SEP}{_YEAR}"
        ),
    ),
    (
        "mdy2",
        re.compile(
            rf"(?<![\w])(?P<mon>[^\W\d_]{{3,10}})\.?\s*(?P<day>[0-3]?\d)(?:st|nd|rd|th|d)?{_RANGE_DASH}"
            rf"(?P<mon2>[^\W\d_]{{3,10}})\.?\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th|d)?\s*[,.]?\s*{_YEAR}"
        ),
    ),
    # a range of years: "1860–1864", "1890-95", "1856-7" (the end written with its last digit)
    (
        "yy",
        re.compile(
            r"(?<![\d_A-Z.#/\-])(?P<year>1[6-9]\d\d|20\d\d)\s*[-–—]\s*(?P<year2>1[6-9]\d\d|20\d\d|[1-9]\d|[1-9](?![-/.]\d))(?![\w])"
        ),
    ),
    # a lower-case letter may touch the day where OCR lost a space ("Dore16 Aug.1974"; see _glued_to_a_word)
    ("dmy", re.compile(rf"(?:{_GLUED_CAPTION}|(?<![\w.])|(?<=[a-z])){_DAY}{_DAY2}{_SEP_DE}(?:{_WORD_MONTH}|{_ROMAN_MONTH}){_SEP_DE}{_YEAR}")),
    # "June 25. 1974", "May, 12, 1931", "May the 12th, 1931", "Sept: 2, 1938" (its dot read as a colon) too;
    # Spanish "Mayo 12 de 1931"; the day and year apart by a slash or a dash, or both a dot and a comma
    # ("Apr. 12/1931", "Apr. 12 - 1931", "Apr. 12., 1931")
    (
        "mdy",
        re.compile(
            rf"(?:{_GLUED_CAPTION}|(?<![\w])){_WORD_MONTH}:?[\s,]*(?:-\s*)?(?:the\s+)?{_DAY}{_DAY2}\s*(?:\.,|[,./\-])?\s*"
            rf"(?:de\s+)?{_YEAR}"
        ),
    ),
    # a month cut to two letters, its first and one more of its name, before the day and year: "Jy 30 2019" (July
    # with its middle letters lost on a thumbnail), "Ag. 4, 1931"
    ("mdy_short", re.compile(rf"(?<![\w.])(?P<mon>[A-Z][a-z])\.?\s+{_DAY}\s*,?\s*{_YEAR}")),
    # ... after the day: "30 Jy 2019"; a pair like two months' ("30 Ma 2019": March or May) gives no date, the
    # year alone would be wrong
    ("dmy_short", re.compile(rf"(?<![\w.]){_DAY}\s+(?P<mon>[A-Z][a-z])\.?\s+{_YEAR}")),
    # the year first: "1931 May 12", "1931, May 12", "1931-V-12"
    (
        "ymd",
        re.compile(
            rf"(?<![\w.])(?P<year>1[6-9]\d\d|20\d\d)(?:,\s*|\s+|[-./])(?:{_WORD_MONTH}|{_ROMAN_MONTH})"
            r"(?:\s+|[-./]\s*)(?P<day>[0-3]?\d)(?![\w])"
        ),
    ),
    # a Roman month before the day, between dots, dashes or slashes: "V.12.1931"
    ("rdy", re.compile(rf"(?<![\w.])(?P<rom>[IVX]{{1,4}}|[ivx]{{1,4}})(?P<s>[.\-/])\s?{_DAY}(?P=s)\s?{_YEAR}")),
    # a decade: "1930s", "early 1930's" → 1930/1939 (early, mid or late say no more than the decade for sure)
    ("decade", re.compile(r"(?<![\w.])(?P<year>1[6-9]\d0|20\d0)['’]?s\b")),
    (
        "numeric",
        re.compile(r"(?<![\d.])(?P<a>\d{1,2})(?P<s>[/\-.])(?P<b>\d{1,2})(?P=s)(?P<year>\d{4})(?!\d)"),
    ),
    # a space after each dot, as German and Scandinavian hands write it: "12. 4. 1912" (the day first)
    ("numeric", re.compile(r"(?<![\d.])(?P<a>\d{1,2})(?P<s>\.)\s(?P<b>\d{1,2})\.\s?(?P<year>\d{4})(?!\d)")),
    # a span of months: "June-Aug. 1940", "June, July, Aug. 1940" is not one (a list); "June July Aug. 1940" is
    # "June-Aug. 1940", "June July Aug. 1940", "MARCH, APRIL AND MAY, 1903" (a list of the months)
    (
        "mm",
        re.compile(
            rf"(?<![\w.])(?P<months>(?:[^\W\d_]{{3,18}}\.?\s*(?:(?:[-–—]|\bto\b|,\s*(?:(?i:and)\b|&)?|\b(?i:and)\b|&)\s*)?){{2,3}})"
            rf"{_YEAR}"
        ),
    ),
    ("my", re.compile(rf"(?<![\w.]){_WORD_MONTH}{_SEP}{_YEAR}")),
    # a span of Roman months: "IV-V.1912", "VI.-VIII.1912", "vi-vii 1912"
    (
        "rmm",
        re.compile(
            rf"(?<![\w.])(?P<rom>[IVX]{{1,4}}|[ivx]{{1,4}})\.?\s*[-–—]\s*(?P<rom2>[IVX]{{1,4}}|[ivx]{{1,4}})(?:[.\-/]\s*|\s+){_YEAR}"
        ),
    ),
    # a month's number and the year with a slash: "7/1941" (not a number's part: "No. 7/1941", "12/7/1941"; not
    # with a dot, often a Roman month misread: "1.1995" for "1.V.1995")
    (
        "num_my",
        re.compile(r"(?<![\w./,\-])(?P<month>0?[1-9]|1[0-2])/(?P<year>1[6-9]\d\d|20\d\d)(?![\w/]|[.\-]\d)"),
    ),
    # the year first: "1931, May", and ISO 8601's year-month "1931-05" (the month with its zero or 10-12)
    ("ym", re.compile(rf"(?<![\w.])(?P<year>1[6-9]\d\d|20\d\d),?\s+{_WORD_MONTH}(?![\w.]*\s*\d)")),
    ("ym_iso", re.compile(r"(?<![\w.\-/])(?P<year>1[6-9]\d\d|20\d\d)-(?P<month>0[1-9]|1[0-2])(?![\w\-/.])")),
    # a month word with one letter read as a digit, between a day and a year: "13 M4r., 1971" (a guess)
    ("dmy_ocr", re.compile(rf"(?<![\w.]){_DAY}[\s.]+(?P<mon>[A-Za-z]*\d[A-Za-z]*)\.?[\s.,]+{_YEAR}")),
    # the day, a month word whose first letter the reader took for a digit and the year run together:
    # "215uly2019" (21 July 2019, J read as 5); the day's two digits before it make the split certain
    ("dmy_glued", re.compile(r"(?<![\w.])(?P<day>[0-3]\d)(?P<mon>\d[a-z]{2,8})\.?[\s,]*(?P<year>\d{4})(?!\w)")),
    ("romy", re.compile(rf"(?<![\w.]){_ROMAN_MONTH}(?P<rs>[.\-/]|\s+){_YEAR}")),
    # a lower-case letter may touch the year where OCR lost a space ("Cronquist2007"); a capital may not
    ("y", re.compile(r"(?<![\d_A-Z.#/\-])(?P<year>1[6-9]\d\d|20\d\d)(?![\w])")),
]
# OCR often reads 1 as l/I/| and 0 as O/o inside a year, 9 as g.
_OCR_YEAR = re.compile(r"(?<![\w])[0-9OolI|g]{4}(?![\w])")
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "g": "9"})
# a day beside its month word and before a four-digit year, with 1 read as l/I and 0 as O: "May l2, 1931",
# "l2 May 1931"
_OCR_DAY = re.compile(
    r"(?<![\w])(?P<mon>[^\W\d_]{3,10})\.?\s+(?P<d>[0-3lIO]?[0-9lIO])(?=(?:st|nd|rd|th)?\s*,?\s*\d{4}(?!\d))"
    r"|(?<![\w.])(?P<d2>[0-3lIO]?[0-9lIO])\.?\s+(?P<mon2>[^\W\d_]{3,10})\.?\s*,?\s*\d{4}(?!\d)"
)
_OCR_DAY_DIGITS = str.maketrans({"O": "0", "l": "1", "I": "1"})
# a date's caption and its leader's dots before the day: "Date.....20 July 1956" (read as "Date: 20 July 1956")
_DATE_CAPTIONS = ("dat", "date", "dated", "datum", "fecha")  # with the leader's dots read away: "Dat"
_CAPTION_LEADER = re.compile(rf"(?<![^\W\d_])(?P<cap>(?i:{'|'.join(_DATE_CAPTIONS)}))(?P<dots>\s*\.[.\s]*)(?=\d)")
# a day split by a dot of the form's leader before its month word, after the date's caption or opening the line:
# ".Dat2.0 July 1956" (no date writes a day so; "Alt. 2.5 July 1956" is a measure before a month's date)
_DOTTED_DAY = re.compile(
    r"(?<!\d)(?<!\d\.)(?P<a>[0-3])\.(?P<b>\d)(?=\s+(?P<mon>[^\W\d_]{3,10})\.?\s*,?\s*\d{4}(?!\d))"
)
_STROKE_DAYS = {"I", "l", "ll", "Il", "lI"}  # a day of strokes alone read as letters: 1 or 11


@dataclass(frozen=True)
class DateMatch:
    iso: str
    start: int
    end: int
    precision: str  # "day", "range", "month" or "year"
    ambiguous: bool = False  # day/month order could be either way (6/7/1912)
    repaired: bool = False  # digits were read back from OCR look-alikes (l912 → 1912), or a month word guessed
    guessed: bool = False  # a misread month word read as the month nearest it (4 Auguit 2019): a guess
    two_digit_year: bool = False  # "5-14-75": the century is implied by the date being in the past


# a month word whose "l" was read as a look-alike stroke: "Ju1y", "Apri]", "Ju|y"; read back only when that gives
# a month's name
_L_LOOKALIKES = str.maketrans({"1": "l", "]": "l", "|": "l"})
_L_LOOKALIKE_WORD = re.compile(r"(?<![\w\]|])[A-Za-z]{2}[A-Za-z1\]|]{1,7}(?![\w\]|])")


# a month's name whose handwritten S was read as a digit: "8ept. 18" (a digit before lower-case letters opens no
# number; but "8bre" is octubre written with its numeral)
_S_LOOKALIKE_WORD = re.compile(r"(?<![\w])[85](?!bre\b)[a-z]{2,8}(?![\w])")


def _month_of_strokes(token: str) -> str | None:
    """``token`` as the month it spells with its strokes read as an l, or a 1 as an i ("Ju1y", "Abr11": Abril's
    il read as 11), else None."""
    word = token.translate(_L_LOOKALIKES)
    if word == token:
        return None
    if fold(word) in MONTHS:
        return word
    ones = [k for k, ch in enumerate(token) if ch == "1"]
    if not 0 < len(ones) <= 2:
        return None
    for letters in itertools.product("il", repeat=len(ones)):
        chars = list(word)
        for k, letter in zip(ones, letters, strict=True):
            chars[k] = letter
        if fold("".join(chars)) in MONTHS:
            return "".join(chars)
    return None


# a Roman month between a day and a year with an I read as a 1 ("21-V1-1988", "3.X1.1950", "12/1X/1950"): a V or an X
# beside the 1s, the same separator on both sides
_ROMAN_WITH_ONES = re.compile(r"(?<![\w.])[0-3]?\d(?P<s>[.\-/])\s?(?P<rom>(?=[IVX1]*[VX])(?=[IVX]*1)[IVX1]{2,4})(?P=s)\s?\d{4}(?!\d)")


def _repair_roman_months(text: str, repaired_at: set[int]) -> str:
    for m in _ROMAN_WITH_ONES.finditer(text):
        roman = m["rom"].replace("1", "I")
        if roman.lower() in ROMAN_MONTHS:
            repaired_at.add(m.start("rom"))
            text = text[: m.start("rom")] + roman + text[m.end("rom") :]  # the same length: spans stay
    return text


def _repair_years(text: str) -> tuple[str, set[int]]:
    repaired_at: set[int] = set()
    text = _repair_roman_months(text, repaired_at)

    def fix(m: re.Match[str]) -> str:
        token = m.group(0)
        if sum(ch.isdigit() for ch in token) < 3 or token.isdigit():
            return token
        repaired_at.add(m.start())
        return token.translate(_OCR_DIGITS)

    text = _OCR_YEAR.sub(fix, text)
    for m in _L_LOOKALIKE_WORD.finditer(text):
        word = _month_of_strokes(m[0])
        if word is not None:
            repaired_at.add(m.start())
            text = text[: m.start()] + word + text[m.end() :]
    for m in _S_LOOKALIKE_WORD.finditer(text):
        word = "S" + m[0][1:]
        if fold(word) in MONTHS or fuzzy_month(word) is not None:
            repaired_at.add(m.start())
            text = text[: m.start()] + word + text[m.end() :]
    text = _CAPTION_LEADER.sub(lambda m: m["cap"] + ":" + " " * (len(m["dots"]) - 1), text)  # the same length
    for m in _DOTTED_DAY.finditer(text):
        before = fold(text[: m.start()]).rstrip(" .:_-")
        captioned = not before or before.endswith(_DATE_CAPTIONS)
        if captioned and fold(m["mon"]) in MONTHS and 1 <= int(m["a"] + m["b"]) <= 31:
            repaired_at.add(m.start())
            text = text[: m.start()] + m["a"] + m["b"] + " " + text[m.end() :]  # the same length: spans stay
    for m in _OCR_DAY.finditer(text):
        group = "d" if m["d"] is not None else "d2"
        day, month = m[group], m["mon"] or m["mon2"]
        if day.isdigit() or fold(month) not in MONTHS:
            continue
        if not any(ch.isdigit() for ch in day) and day not in _STROKE_DAYS:
            continue  # "IO May": no day; a lone stroke is one ("I July 1967"), not "II" (a Roman month)
        repaired_at.add(m.start(group))
        text = text[: m.start(group)] + day.translate(_OCR_DAY_DIGITS) + text[m.end(group) :]
    return text, repaired_at


def _valid_year(year: int) -> bool:
    return EARLIEST_YEAR <= year <= dt.date.today().year


def _iso_day(year: int, month: int, day: int) -> str | None:
    if not _valid_year(year):
        return None
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return None if date > dt.date.today() else date.isoformat()


# month names a misread word may be matched to (four letters or more: "Sept", "June", "Agosto"); a three-letter
# abbreviation is one letter from too many words
_FUZZY_NAMES = [(name, number) for name, number in MONTHS.items() if len(name) >= 4 and name not in OLD_ENGLISH_MONTHS]


def fuzzy_month(word: str) -> int | None:
    """The month a misread month word stands for (``Auguit``, ``Seotember``, ``Sepoemsber``): the one month whose
    names are within 1 edit of it (words of 4-6 letters) or 2 edits (7 letters or more), every other month
    further. None when no month is that close or two months are (``Jurio``: junio and julio)."""
    w = fold(word)
    if len(w) < 4 or not w.isalpha():
        return None
    limit = 1 if len(w) <= 6 else 2
    best: dict[int, int] = {}
    for name, number in _FUZZY_NAMES:
        d = Levenshtein.distance(w, name, score_cutoff=limit + 1)
        if d <= limit + 1:
            best[number] = min(d, best.get(number, d))
    close = [n for n, d in best.items() if d <= limit]
    if len(close) == 1 and all(d > best[close[0]] for n, d in best.items() if n != close[0]):
        return close[0]
    return _month_by_shapes(w, limit)


# letters that look alike at a thumbnail's size (the truth's letter > the reading's), which the reader's table
# (synthetic lines, few capitals) lacks or rates dearer: half an edit each
_LETTER_SHAPES = {"j>l": 0.5, "j>i": 0.5, "l>j": 0.5, "u>n": 0.5, "n>u": 0.5, "e>c": 0.5, "c>e": 0.5, "e>o": 0.5,
                  "o>e": 0.5, "c>o": 0.5, "o>c": 0.5, "i>l": 0.5, "l>i": 0.5, "n>m": 0.5, "m>n": 0.5}  # fmt: skip
# a misread month word's weighted distance to its month at least this much less than to any other month: a
# whole generic edit between them
_SHAPE_MARGIN = 1.0


@functools.cache
def _shape_costs() -> ConfusionCosts:
    table = dict(load_confusions()["costs"])
    for key, cost in _LETTER_SHAPES.items():
        table[key] = min(cost, table.get(key, 1.0))
    return ConfusionCosts(table)


def _month_by_shapes(word: str, limit: int) -> int | None:
    """The month ``word`` is within ``limit`` of by the Levenshtein distance where a confusion the reader makes
    costs less than an edit (``lnly``: J read as l, u as n), every other month a whole edit further."""
    costs = _shape_costs()
    best: dict[int, float] = {}
    for name, number in _FUZZY_NAMES:
        d = costs.distance(name, word, substitution=1.0)
        best[number] = min(d, best.get(number, d))
    ranked = sorted((d, n) for n, d in best.items())
    (nearest, month), (second, _) = ranked[0], ranked[1]
    return month if nearest <= limit and second - nearest >= _SHAPE_MARGIN else None


# a month's three-letter abbreviation with one letter misread, between a day and a year ("17 Jam. 1953", "Way 20,
# 1955", "30 Oet 1996"): the month whose abbreviation it is nearest, by the letters the reader confuses, one letter
# off at most and every other month's half a letter further ("Jal": Jan or Jul, no month); never a weekday's
_ABBREVIATIONS = [(name, number) for name, number in MONTHS.items() if len(name) == 3 and name not in OLD_ENGLISH_MONTHS]
_WEEKDAYS = frozenset({"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
_ABBREVIATION_MARGIN = 0.5


def three_letter_month(word: str) -> int | None:
    """The month a misread three-letter abbreviation stands for (``Jam``: January), or None when unsure."""
    w = fold(word)
    if len(w) != 3 or not w.isalpha() or w in _WEEKDAYS or w in MONTHS:
        return None
    sub = _shape_costs().sub
    best: dict[int, float] = {}
    for name, number in _ABBREVIATIONS:
        d = sum(sub.get((a, b), 1.0) for a, b in zip(name, w, strict=True) if a != b)
        best[number] = min(d, best.get(number, d))
    (nearest, month), (second, _) = sorted((d, n) for n, d in best.items())[:2]
    return month if nearest <= 1 and second - nearest >= _ABBREVIATION_MARGIN else None


# a word right before a year ("Juy1900", "Ag 1919", "Ja14 1906") this similar to a month name, by the reader's
# confusions, is taken for a misread month; read as that month only when this similar and this far ahead of
# every other month (names of one month are not rivals: "juli", "juil", "july")
_MISREAD_AT = 0.7
_READ_AT = 0.8
_READ_MARGIN = 0.1
_WORD_BEFORE = re.compile(r"(?<![\w.])(?P<w>[^\W_]*[^\W\d_][^\W_]*)\s?$")
# "R. Jones 1975", "A. B. Mayes 1962": a capitalised word after an initial is a surname, not a misread month
_AFTER_INITIAL = re.compile(r"(?:^|[\s.])[A-Z]\.\s*$")


def _month_similarities(word: str) -> list[tuple[float, int]]:
    """(similarity, month) of ``word`` to each month's nearest name, most similar first."""
    costs = confusion_costs()
    best: dict[int, float] = {}
    for name, number in {**_SIMILAR_NAMES, **BRE_MONTHS}.items():
        best[number] = max(best.get(number, 0.0), costs.similarity(name, word))
    return sorted(((sim, number) for number, sim in best.items()), reverse=True)


def month_by_confusions(word: str) -> int | None:
    """The month a misread word stands for, by how the reader confuses letters, or None when unsure."""
    ranked = _month_similarities(fold(word))
    (best, month), (second, _) = ranked[0], ranked[1]
    return month if best >= _READ_AT and best - second >= _READ_MARGIN else None


@functools.cache
def _state_words() -> frozenset[str]:
    """US states' and Canadian provinces' names and abbreviations, folded, without their dots."""
    from herbproc.fields.places import CA_PROVINCES, US_STATES

    words = {fold(w).replace(".", "").replace(" ", "") for table in (US_STATES, CA_PROVINCES)
             for name, (_, short) in table.items() for w in (name, *short)}  # fmt: skip
    return frozenset(words)


def _word_before_year(m: re.Match[str]) -> str | None:
    """The word touching the year or one space before it when it reads as a misread month (not a month name,
    which other patterns read); its letters, digits kept. A word of two or three letters counts only when it touches
    the year or holds digits ("Ag1919", "Ja14 1906"), not "in 1912", "laid out 1931" (out ~ août)."""
    w = _WORD_BEFORE.search(m.string, 0, m.start())
    if w is None:
        return None
    word = w["w"]
    letters = fold(re.sub(r"\d", "", word))
    spaced = w.end() > w.start("w") + len(word)
    if fold(word) in MONTHS or not 2 <= len(letters) <= 7 or (len(letters) < 4 and spaced and word.isalpha()):
        return None
    if word[:1].isupper() and word[1:].islower() and _AFTER_INITIAL.search(m.string, 0, w.start("w")):
        return None
    if letters in _state_words():
        return None  # "Lansing, Mich 1935", "Maine 1935": a state or province, not a misread month
    return word if _month_similarities(letters)[0][0] >= _MISREAD_AT else None


_DAY_BEFORE = re.compile(r"(?<![\w.,/\-])(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\.?\s+$")


def _day_before_word(m: re.Match[str]) -> int | None:
    """The day written before the misread month word before the year ("12 Jamary 1962"), not a number's."""
    w = _WORD_BEFORE.search(m.string, 0, m.start())
    d = _DAY_BEFORE.search(m.string, 0, w.start("w")) if w is not None else None
    if d is None or _NUMBER_CUE_BEFORE.search(m.string, 0, d.start()) or not 1 <= int(d["day"]) <= 31:
        return None
    return int(d["day"])


def _dotted(m: re.Match[str]) -> bool:
    """The month's word is written with its abbreviation's dot ("ago. 1960")."""
    return m.string[m.end("mon") : m.end("mon") + 1] == "."


def _month_of(m: re.Match[str], suffix: str = "", fuzzy: bool = False) -> int | None:
    groups = m.groupdict()
    word = groups.get("mon" + suffix)
    if word and fold(word) in MONTHS:
        return MONTHS[fold(word)]
    if fuzzy and word and not re.fullmatch(r"[IVXivx]{1,4}", word):
        return fuzzy_month(word) or three_letter_month(word)
    roman = groups.get("rom" + suffix) or word  # "VII" fits the word pattern too: "14.VII.1919"
    if roman and re.fullmatch(r"[IVXivx]{1,4}", roman):
        if not (roman.isupper() or roman.islower()):
            return None
        return ROMAN_MONTHS.get(roman.lower())
    return None


def _split_months(word: str) -> list[int] | None:
    """The months of a word: one month name, or two run together where OCR lost the dash ("JuneJuly")."""
    w = fold(word)
    if w in MONTHS:
        return [MONTHS[w]]
    splits = [[MONTHS[w[:k]], MONTHS[w[k:]]] for k in range(3, len(w) - 2) if w[:k] in MONTHS and w[k:] in MONTHS]
    return splits[0] if len(splits) == 1 else None


def _month_span(m: re.Match[str]) -> tuple[str | None, str, bool] | None:
    """"June-Aug. 1940" → 1940-06/1940-08: two months joined by a dash or "to", or months written one after
    another ("June July Aug.", "March, April and May"); every word a month name, each month after the one before."""
    text = m.group("months")
    months: list[int] = []
    for word in re.findall(r"[^\W\d_]+", text):
        if fold(word) in ("to", "and"):
            continue
        found = _split_months(word)
        if found is None:
            return None
        months += found
    if len(months) < 2 or any(b <= a for a, b in zip(months, months[1:], strict=False)):
        return None
    dashed = re.search(r"[-–—]|\bto\b", text) is not None
    if not dashed and any(b != a + 1 for a, b in zip(months, months[1:], strict=False)):
        return None  # "May Aug. 1940" with nothing between: not a span
    year = int(m.group("year"))
    if not _valid_year(year):
        return None
    return f"{year:04d}-{months[0]:02d}/{year:04d}-{months[-1]:02d}", "month", False


def _roman_span(m: re.Match[str]) -> tuple[str | None, str, bool] | None:
    """"IV-V.1912" → 1912-04/1912-05; the text claimed and nothing read when the second month is not after the
    first."""
    first, second = ROMAN_MONTHS.get(m["rom"].lower()), ROMAN_MONTHS.get(m["rom2"].lower())
    if first is None or second is None or m["rom"].isupper() != m["rom2"].isupper():
        return None
    year = int(m["year"])
    if second <= first or not _valid_year(year):
        return None, "month", False
    return f"{year:04d}-{first:02d}/{year:04d}-{second:02d}", "month", False


def _month_with_a_digit(word: str) -> int | None:
    """The one month whose name or abbreviation has ``word``'s letters with any letter where the digit is
    ("M4r" → mar); None when no month or two months fit."""
    pattern = re.compile(re.sub(r"\d", ".", fold(word)))
    fits = {number for name, number in MONTHS.items() if len(name) == len(word) and pattern.fullmatch(name)}
    return fits.pop() if len(fits) == 1 else None


# a digit the reader puts for a month's first letter: "5uly" (July), "0ct" (Oct), "4ug" (Aug)
_LOOKALIKE_LETTERS = {"5": "sj", "1": "jl", "0": "od", "4": "a", "6": "g", "9": "g", "8": "b"}


def _month_with_a_lookalike(word: str) -> int | None:
    """The month of a word whose first letter was read as a digit that looks like it (``5uly``, ``0ct``): the
    one month named by the word with that letter back."""
    letters = _LOOKALIKE_LETTERS.get(word[:1], "")
    fits = {MONTHS[name] for ch in letters if (name := ch + fold(word[1:])) in MONTHS and name not in _ENGLISH_WORDS}
    return fits.pop() if len(fits) == 1 else None


def _glued_to_a_word(m: re.Match[str]) -> bool:
    """A day touching the word before it, not a date caption ("Dore16 Aug.1974", the space lost), that is not
    read: a single digit (often a letter misread: "Update8 Aug 1954"), the month not written out as a name (a
    misread or a Roman month), or a number's cue ("no16 Aug 1974")."""
    before = m.string[: m.start()]
    if not before[-1:].isalpha() or re.search(_GLUED_CAPTION + "$", before):
        return False
    word = m["mon"]
    return len(m["day"]) < 2 or not word or fold(word) not in MONTHS or bool(_NUMBER_CUE_BEFORE.search(before))


def _not_a_misread_month(m: re.Match[str]) -> bool:
    """The word between a day and a year is no misread month: a state's name or abbreviation ("Route 2, Mass.,
    1931"), or a word set off from the day by a comma, an item of a list ("Plot 4, Marsh, 1931")."""
    word = m["mon"]
    if not word or fold(word) in MONTHS:
        return False
    day, mon = m.span("day"), m.span("mon")
    between = m.string[day[1] : mon[0]] if day < mon else m.string[mon[1] : day[0]]
    return "," in between or fold(word).replace(".", "") in _state_words()


# two letters that are a word of their own before a number ("No 30", "De 30", "Se 30"), never taken for a month
_TWO_LETTER_WORDS = frozenset({"no", "nr", "de", "se", "me", "mi", "an", "en", "ne", "mo", "ja", "ee"})


def _two_letter_month(word: str) -> int | None:
    """The month a two-letter word stands for: the month the reader's confusions make it (:func:`month_by_confusions`)
    when one of its names starts with the word's first letter and holds its second later on (``Jy``: July, ``Ag``:
    August); None for a word of its own (``No``) or one no month's name holds so."""
    w = fold(word)
    month = month_by_confusions(w) if w not in _TWO_LETTER_WORDS else None
    if month is None:
        return None
    names = _MONTH_NAMES[month].split()
    return month if any(fold(n)[0] == w[0] and w[1] in fold(n)[1:] for n in names) else None


def _misread_month(kind: str, m: re.Match[str]) -> bool:
    """The match's month word was read as the month it is closest to (:func:`fuzzy_month`)."""
    if kind in ("dmy_ocr", "dmy_glued", "mdy_short", "dmy_short"):
        return True
    word = m.groupdict().get("mon") if kind in ("dmy", "mdy") else None
    return bool(word) and fold(word) not in MONTHS and not re.fullmatch(r"[IVXivx]{1,4}", word)


def _numeric_day(a: int, b: int, sep: str, order: Order) -> tuple[int, int] | None:
    """(month, day) of a numeric date's first two numbers ``a`` ``sep`` ``b``: with dots day first; with a slash
    or dash month first on a North American label (``order`` "month"), day first elsewhere ("day"); a number over
    12 is the day whatever the order. None when the order is not known ("unknown") and both could be the month."""
    if a == b or a > 12 >= b:
        return b, a
    if b > 12 >= a:
        return a, b
    if a > 12 or b > 12:
        return a, b  # neither can be the month: _iso_day refuses it
    if sep == "." or order == "day":
        return b, a
    return (a, b) if order == "month" else None


def _interpret(kind: str, m: re.Match[str], order: Order = "month") -> tuple[str | None, str, bool] | None:
    """(iso or None when impossible, precision, ambiguous); None when the text is not a date at all."""
    year = int(m.group("year"))
    if kind == "iso":
        return _iso_day(year, int(m.group("month")), int(m.group("day"))), "day", False
    if kind == "numeric":
        a, b = int(m.group("a")), int(m.group("b"))
        read = _numeric_day(a, b, m.group("s"), order)
        if read is None:
            return None, "day", True  # the order is not known and either reading could be: nothing
        month, day = read
        return _iso_day(year, month, day), "day", a != b and a <= 12 and b <= 12
    if kind == "y":
        if _valid_year(year) and (before := _word_before_year(m)) is not None:
            month = month_by_confusions(before)
            if month is None or not before.isalpha():
                # a misread month (and maybe a day) before the year: the year alone would be wrong
                return None, "year", False
            if (day := _day_before_word(m)) is not None:
                return _iso_day(year, month, day), "day", False  # "12 Jamary 1962": its day too
            return f"{year:04d}-{month:02d}", "month", False
        return (str(year) if _valid_year(year) else None), "year", False
    if kind == "mm":
        return _month_span(m)
    if kind == "rmm":
        return _roman_span(m)
    if kind == "dmy_ocr":
        month = _month_with_a_digit(m.group("mon"))
        if month is None:
            return None
        return _iso_day(year, month, int(m.group("day"))), "day", False
    if kind in ("mdy_short", "dmy_short"):
        month = _two_letter_month(m["mon"])
        if month is None:
            like_a_month = fold(m["mon"]) not in _TWO_LETTER_WORDS and _month_similarities(fold(m["mon"]))[0][0] >= _READ_AT
            return (None, "day", False) if kind == "dmy_short" and like_a_month else None
        return _iso_day(year, month, int(m["day"])), "day", False
    if kind == "dmy_glued":
        month = _month_with_a_lookalike(m["mon"])
        if month is None or _NUMBER_CUE_BEFORE.search(m.string, 0, m.start()):
            return None  # no month; "No. 125an2019": a number
        return _iso_day(year, month, int(m.group("day"))), "day", False
    if kind == "decade":
        last = year + 9
        return (f"{year}/{last}" if _valid_year(year) and _valid_year(last) else None), "years", False
    if kind == "ym_iso":
        return f"{year:04d}-{m['month']}", "month", False
    if kind == "num_my":
        if _NUMBER_CUE_BEFORE.search(m.string, 0, m.start()):
            return None  # "No. 7/1941": a collector's number
        return (f"{year:04d}-{int(m['month']):02d}" if _valid_year(year) else None), "month", False
    if kind == "yy":
        year2 = int(m.group("year2"))
        if len(m["year2"]) == 1:  # "1856-7": the end's last digit, its decade the start's
            year2 = year2 + year // 10 * 10
        elif year2 < 100:  # "1890-95": the end's century is the start's; not "1905-12" (ISO's December 1905)
            year2 = year2 + year // 100 * 100 if year2 > 12 else 0
        if not (_valid_year(year) and _valid_year(year2)) or year2 <= year:
            return None  # not a span of years: no claim on the text
        return f"{year}/{year2}", "years", False
    # a misread month word is read only between a day and a four-digit year ("4 Auguit 2019", "Seotember 12,
    # 2019"): the day and year make it a date, the word's closeness to one month name its month
    month = _month_of(m, fuzzy=kind in ("dmy", "mdy") and not _not_a_misread_month(m))
    if kind in ("dmy2", "mdy2"):
        month2 = _month_of(m, "2")
        if month is None or month2 is None:
            return None
        first = _iso_day(year, month, int(m.group("day")))
        second = _iso_day(year, month2, int(m.group("day2")))
        if first is None or second is None or second <= first:
            return None, "range", False
        return f"{first}/{second}", "range", False
    if month is None or (kind == "dmy" and _glued_to_a_word(m)):
        return None  # the word was not a month name: no claim on the text
    if kind == "romy" and m.group("rs").isspace() and len(m.group("rom")) < 2:
        return None  # "I 1912", "V 1912": too easily a stray letter
    if kind == "ymd" and m.group("rom") and not re.search(r"[-./]", m.group(0)):
        return None  # "1912 I 3": a Roman month after the year only between dashes, dots or slashes
    if kind in ("my", "ym") and fold(m["mon"]) in _ENGLISH_WORDS and not (kind == "my" and _dotted(m)):
        return None  # "set 1912", "ago 1912": a month only beside its day or with its dot ("ago. 1960")
    if kind in ("my", "romy", "ym"):
        return (f"{year:04d}-{month:02d}" if _valid_year(year) else None), "month", False
    m_day = int(m.group("day"))
    first = _iso_day(year, month, m_day)
    if m.groupdict().get("day2") is None:
        return first, "day", False
    second = _iso_day(year, month, int(m.group("day2")))
    between = re.search(r"\bbetween\s+$", m.string[: m.start()], re.I) is not None  # "between 12 and 15 May"
    if m.group("listed") and not between and (first is None or second is None or not 0 < int(m.group("day2")) - m_day <= 2):
        return None  # "Feb. 11, 12, 1914": listed days are read as the days they span only when close
    if first is None or second is None or second <= first:
        return None, "range", False
    return f"{first}/{second}", "range", False


_NUMBER_CUE_BEFORE = re.compile(r"(?:\b(?:no|nr|n[uú]m)\.?|#)\s*:?\s*$", re.I)
_DOUBT = re.compile(r"\s?\?")
_CIRCA = re.compile(r"(?<![\w.])(?:c|ca|cca|circa|approx)\.?\s*$", re.I)
# a month name split by a stray space between a day and a year ("12 Ma y 1931", "3 Aug ust 1931"): the space is
# moved after the word, so the date's span stays where it was written
_SPLIT_MONTH = re.compile(r"(?:(?<=\d\s)|(?<=\bde\s))(?P<a>[A-Za-z]{2,5}) (?P<b>[a-z]{1,5})(?=[\s.,]+\d)")


def _join_month(m: re.Match[str]) -> str:
    return m["a"] + m["b"] + " " if fold(m["a"] + m["b"]) in MONTHS else m[0]


_SPLIT_YEAR = re.compile(
    r"(?P<head>(?<![\w])(?P<mon>[^\W\d_]{3,10})\.?\s*[0-3]?\d(?:st|nd|rd|th)?\s*,\s*)"
    r"(?P<first>1[6-9]\d?) (?P<last>\d\d?)(?![\w])"
)


# A two-digit year that the way it is written makes one wherever it stands on its line: after an apostrophe
# ("June 4, '32", "'32 June 4", "Sept 1-3 '64"), after a day and a Roman month between dots, dashes or slashes
# ("4.VI.32"). Written out as 19yy (when 20yy is still to come) before the line is read.
_APOSTROPHE_YY = re.compile(r"(?<![\w'’])['’](?P<yy>\d{2})(?![\w'’]|[.,]\d)")
_ROMAN_YY = re.compile(
    r"(?<![\w.])[0-3]?\d(?P<s>[.\-/])\s?(?P<rom>[IVX]{1,4}|[ivx]{1,4})(?P=s)\s?(?P<yy>\d{2})(?![\w]|[.\-/]\d)"
)


def _expand_two_digit_years(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with its marked two-digit years written out as 19yy, and where characters were added (position in
    the new text, how many)."""
    this_year = dt.date.today().year % 100
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the text as written
    for m in _APOSTROPHE_YY.finditer(text):
        if int(m["yy"]) > this_year:
            edits.append((m.start(), m.end(), "19" + m["yy"]))
    for m in _ROMAN_YY.finditer(text):
        if int(m["yy"]) > this_year and _month_of(m) is not None:
            edits.append((m.start("yy"), m.end("yy"), "19" + m["yy"]))
    inserted: list[tuple[int, int]] = []
    shift = 0
    for start, end, new in sorted(edits):
        text = text[: start + shift] + new + text[end + shift :]
        inserted.append((start + shift, len(new) - (end - start)))
        shift += len(new) - (end - start)
    return text, inserted


def find_dates(text: str, order: Order = "month") -> list[DateMatch]:
    """Every date in ``text``, most precise reading of each stretch, in text order. ``order``: how a numeric date
    with a slash or dash is read (``6/12/1912``: month first, day first, or nothing when not known)."""
    if not isinstance(text, str) or not text:
        return []
    text, inserted = _expand_two_digit_years(text)
    if inserted:
        return [_written(d, inserted) for d in _find_dates(text, order) if _written(d, inserted) is not None]
    return _find_dates(text, order)


def _written(d: DateMatch, inserted: list[tuple[int, int]]) -> DateMatch | None:
    """``d`` read from a line whose two-digit years were written out, placed back on the line as written: flagged
    ``two_digit_year`` when it holds one; None when that year is all it holds (a year alone needs four digits)."""
    expanded = any(d.start <= at < d.end for at, _ in inserted)
    if expanded and d.precision in ("year", "years"):
        return None

    def back(pos: int) -> int:
        return pos - sum(added for at, added in inserted if at < pos)

    return replace(d, start=back(d.start), end=back(d.end), two_digit_year=d.two_digit_year or expanded)


def _find_dates(text: str, order: Order = "month") -> list[DateMatch]:
    text, repaired_at = _repair_years(text)
    # a year split by a stray space after a month and day ("March 12, 193 1."): the space moved after it; a date
    # ending where the moved digit now ends ends one character later in the line as written
    split_ends: dict[int, int] = {}

    def join_year(m: re.Match[str]) -> str:
        if fold(m["mon"]) not in MONTHS or len(m["first"] + m["last"]) != 4:
            return m[0]
        split_ends[m.start("first") + 4] = m.end("last")
        return m["head"] + m["first"] + m["last"] + " "

    text = _SPLIT_YEAR.sub(join_year, text)
    text = _SPLIT_MONTH.sub(_join_month, text)
    # (rank, -length, start, end, match); a None match still claims the text of an impossible date
    found: list[tuple[int, int, int, int, DateMatch | None]] = []
    for kind, pattern in _PATTERNS:
        pos = 0
        while (m := pattern.search(text, pos)) is not None:
            reading = _interpret(kind, m, order)
            # no claim on the text: a shorter match may start inside it ("Plot 5, 12 June 1912")
            pos = m.end() if reading is not None else m.start() + 1
            if reading is None:
                continue
            iso, precision, ambiguous = reading
            if _DOUBT.match(text, m.end()) or _CIRCA.search(text, 0, m.start()):
                iso = None  # "1930?", "circa 1900": the writer was not sure of it
            guessed = _misread_month(kind, m)
            repaired = any(m.start() <= pos < m.end() for pos in repaired_at) or guessed
            # a month read from a misread word by the reader's confusions (and the day before it)
            repaired |= kind == "y" and precision in ("month", "day")
            end = split_ends.get(m.end(), m.end())
            repaired |= end != m.end()
            match = DateMatch(iso, m.start(), end, precision, ambiguous, repaired, guessed) if iso else None
            found.append((PRECISION_RANK[precision], -(end - m.start()), m.start(), end, match))
    found.sort(key=lambda item: (-item[0], item[1], item[2]))
    taken: list[tuple[int, int]] = []
    kept: list[DateMatch] = []
    for _rank, _length, start, end, match in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        if match is not None:
            kept.append(match)
    if not kept and not taken and (yy := _two_digit_year(text, order)) is not None:
        return [yy]
    return _join_ranges(text, sorted(kept, key=lambda d: d.start))


# A date with a two-digit year that fills its line: "5-14-75", "5-14.75" (an OCR dot for a dash), "18-Jan-94",
# "25 July 82", "July 25, '82", "25.VII.82"; a "Date" cue may open the line.
_YY = r"['’]?(?P<yy>\d{2})"
_YY_CUE = re.compile(r"^\W*(?:(?:date|dated|fecha|datum|coll\.?\s*date)\b\s*[:.]?\s*)?", re.I)
_YY_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("numeric", re.compile(rf"(?P<a>\d{{1,2}})(?P<s>[-/.])(?P<b>\d{{1,2}})[-/.]{_YY}")),
    ("dmy", re.compile(rf"{_DAY}[\s.\-/,]*(?:{_WORD_MONTH}|{_ROMAN_MONTH})[\s.\-/,]*{_YY}")),
    ("mdy", re.compile(rf"{_WORD_MONTH}\s*{_DAY}\s*[,.]?\s*{_YY}")),
]
_LINE_END = re.compile(r"[\s.,;]*(?:\.-)?$")  # ".-": a typed line's closing stroke ("10/3/79.-")
_DAY_FIRST_CUE = re.compile(r"\b(?:fecha|datum)\b", re.I)  # a Spanish or German form: day first


def two_digit_date_at_an_edge(text: str, order: Order = "month") -> DateMatch | None:
    """A date with a two-digit year that opens or closes a line of other words, its words (three at most) and
    nothing else: the collector's line's date ("A. Bell 1234 6/12/64", "6/12/64 A. Bell 1234")."""
    words = list(re.finditer(r"\S+", text))
    for k in range(1, min(3, len(words) - 1) + 1):
        start = words[-k].start()
        if (d := _two_digit_year(text[start:], order)) is not None:
            return replace(d, start=d.start + start, end=d.end + start)
        if (d := _two_digit_year(text[: words[k - 1].end()], order)) is not None:
            return d
    return None


def _two_digit_year(text: str, order: Order = "month") -> DateMatch | None:
    """A date with a two-digit year that fills ``text``, read as 19yy when 20yy is still to come (a year of this
    century up to now could be either century: nothing)."""
    cue = _YY_CUE.match(text)
    at = cue.end() if cue else 0
    whole = ((k, m) for k, p in _YY_FORMS if (m := p.match(text, at)) and _LINE_END.fullmatch(text, m.end()))
    kind, m = next(whole, ("", None))
    if m is None:
        return None
    yy = int(m["yy"])
    if yy <= dt.date.today().year % 100:
        return None
    ambiguous = False
    if kind == "numeric":
        a, b = int(m["a"]), int(m["b"])
        # as with four-digit years; day first after "Fecha:"/"Datum:" (a Spanish or German form)
        read = _numeric_day(a, b, m["s"], "day" if cue and _DAY_FIRST_CUE.search(cue.group(0)) else order)
        if read is None:
            return None
        month, day = read
        ambiguous = a != b and a <= 12 and b <= 12
    else:
        month, day = _month_of(m), int(m["day"])
    iso = _iso_day(1900 + yy, month, day) if month else None
    return DateMatch(iso, m.start(), m.end(), "day", ambiguous, two_digit_year=True) if iso else None


_BETWEEN_DATES = re.compile(_RANGE_DASH + "$")


def _join_ranges(text: str, found: list[DateMatch]) -> list[DateMatch]:
    """Two full dates, or two months with their years, joined by a dash or "to" are one interval: "28 Dec. 1905 –
    3 Jan. 1906", "Dec. 1904 - Jan. 1905"."""
    out: list[DateMatch] = []
    for d in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.precision == d.precision
            and d.precision in ("day", "month")
            and "/" not in prev.iso + d.iso
            and _BETWEEN_DATES.fullmatch(text[prev.end : d.start])
            and d.iso > prev.iso
        ):
            out[-1] = DateMatch(
                f"{prev.iso}/{d.iso}",
                prev.start,
                d.end,
                "range" if d.precision == "day" else "month",
                prev.ambiguous or d.ambiguous,
                prev.repaired or d.repaired,
                prev.guessed or d.guessed,
            )
            continue
        out.append(d)
    return out


def best_date(text: str) -> DateMatch | None:
    """The most precise date in ``text`` (earliest on a tie)."""
    dates = find_dates(text)
    if not dates:
        return None
    return max(dates, key=lambda d: (PRECISION_RANK[d.precision], -d.start))


def parse_date(text: str) -> str | None:
    """ISO 8601 form of the (most precise) date written in ``text``, or None."""
    match = best_date(text)
    return match.iso if match else None
