"""Label dates → ISO 8601 (herbproc.fields.dates)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest

from herbproc.fields import find_dates, parse_date
from herbproc.fields.dates import best_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 June 1912", "1912-06-12"),
        ("June 12, 1912", "1912-06-12"),
        ("6/12/1912", "1912-06-12"),  # North American: month first
        ("12.VI.1912", "1912-06-12"),
        ("12-VI-1912", "1912-06-12"),
        ("12 VI 1912", "1912-06-12"),
        ("Sept. 1921", "1921-09"),
        ("1912", "1912"),
        ("Aug 3 1899", "1899-08-03"),
        ("Aug-3, 1899", "1899-08-03"),  # a dash after the month, its dot read as one
        ("Date:Aug- 8, 1992", "1992-08-08"),
        ("3 Aug. 1899", "1899-08-03"),
        ("June 1912", "1912-06"),
        ("12th June 1912", "1912-06-12"),
        ("June 2nd, 1905", "1905-06-02"),
        ("VI.1912", "1912-06"),
        ("1912-06-12", "1912-06-12"),
        ("1964-4-23", "1964-04-23"),
        ("2019/05/26 4:39 PM CDT", "2019-05-26"),
        ("25/12/1912", "1912-12-25"),  # first number over 12: day first
        ("12.6.1912", "1912-06-12"),  # dots: day first
        ("June 12-15, 1912", "1912-06-12/1912-06-15"),
        ("12-15 June 1912", "1912-06-12/1912-06-15"),
        ("June 3-10, 1921", "1921-06-03/1921-06-10"),
        ("3.–10. VI. 1921", "1921-06-03/1921-06-10"),  # day dots, en dash, Roman month
        ("AUG. 31-SEPT. 20,1905", "1905-08-31/1905-09-20"),  # across months
        ("Aug. 31 to Sept. 20, 1905", "1905-08-31/1905-09-20"),
        ("31.VIII–20.IX.1905", "1905-08-31/1905-09-20"),
        ("31 Aug. - 20 Sept. 1905", "1905-08-31/1905-09-20"),
        ("28 Dec. 1905 – 3 Jan. 1906", "1905-12-28/1906-01-03"),  # two full dates joined by a dash
        ("FEB. 11, 12, 1914", "1914-02-11/1914-02-12"),  # two days listed: the interval they span
        ("Coll. C. Wright, 1860—1864.", "1860/1864"),  # a span of years
        ("Plot 5, 12 June 1912", "1912-06-12"),  # a number before a date is no listed day
        ("Alt. 30, 12 June 1912", "1912-06-12"),
        ("12 juin 1912", "1912-06-12"),
        ("5 März 1920", "1920-03-05"),
        ("3 de agosto de 1950", "1950-08-03"),
        ("Date: July 30 2019", "2019-07-30"),
        ("Sat Jun 13 2020 16:09:26 GMT-0400 (EDT)", "2020-06-13"),
        ("l912", "1912"),  # OCR read 1 as l
        ("June 19l2", "1912-06"),
        ("Coll. 2 mi. N of town, Aug. 1899", "1899-08"),
    ],
)
def test_date_styles(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31 June 1912",
        "Feb 30, 1912",
        "29 Feb 1900",  # 1900 was not a leap year
        "13/13/1912",
        "June 15-12, 1912",  # range ending before it starts
        "Sept. 20-Aug. 31, 1905",  # across months, backwards
        "12 June 1492",  # before herbaria
        f"12 June {dt.date.today().year + 1}",  # the future
        "3000",
        "No Date",
        "s.d.",
        "",
        "6/12/12",  # two-digit year: century unknown, not guessed
    ],
)
def test_impossible_or_missing_dates_give_nothing(text: str) -> None:
    assert parse_date(text) is None


def test_an_impossible_day_is_not_reread_as_month_or_year() -> None:
    assert find_dates("collected 31 June 1912 near Concord") == []


def test_leap_day_is_accepted() -> None:
    assert parse_date("29 Feb 1904") == "1904-02-29"


def test_ambiguous_numeric_dates_are_flagged() -> None:
    assert best_date("6/7/1912").ambiguous
    assert not best_date("6/13/1912").ambiguous
    assert not best_date("June 7, 1912").ambiguous


def test_repaired_digits_are_flagged() -> None:
    assert best_date("June l912").repaired
    assert not best_date("June 1912").repaired


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fernández 10689, 21-V1-1988.", "1988-06-21"),  # VI with its I read as a 1
        ("3.X1.1950", "1950-11-03"),
        ("12/1X/1950", "1950-09-12"),
        ("5. V11. 1931", "1931-07-05"),
    ],
)
def test_a_roman_month_with_an_i_read_as_a_one_is_read_and_flagged(text: str, expected: str) -> None:
    match = best_date(text)
    assert (match.iso, match.repaired) == (expected, True)
    assert text[match.start : match.end].rstrip(".").endswith(expected[:4])


@pytest.mark.parametrize("text", ["5.11.1931", "5.X111.1931", "21-V1.1988", "No. 11-1-1988"])
def test_ones_with_no_v_or_x_or_no_roman_month_are_not_read_as_one(text: str) -> None:
    assert all(not d.repaired or d.iso is None for d in find_dates(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17 Jam. 1953", "1953-01-17"),  # Jan with its n read as an m
        ("Way 20, 1955", "1955-05-20"),
        ("30 Oet 1996", "1996-10-30"),  # Oct, its c read as an e: the nearer month, not Set
        ("Dcc. 3, 1931", "1931-12-03"),
    ],
)
def test_a_three_letter_month_one_letter_misread_between_a_day_and_a_year(text: str, expected: str) -> None:
    match = best_date(text)
    assert (match.iso, match.repaired) == (expected, True)


@pytest.mark.parametrize(
    "text",
    [
        "30 Jal 1996",  # Jan or Jul
        "Sat. 12, 1950",  # a weekday
        "Lot 12, 1950",  # no month one letter off
        "13 Mrs, 1971",  # two letters off
        "Jam. 1953",  # no day: a word before a year
        "Nev. 3, 1931",  # Nevada's abbreviation
    ],
)
def test_no_month_from_a_three_letter_word_that_is_not_surely_one(text: str) -> None:
    assert best_date(text).iso == text[-4:]


def test_most_precise_date_wins_and_spans_point_into_the_text() -> None:
    text = "Det. 1985; collected Aug 3 1899"
    match = best_date(text)
    assert match.iso == "1899-08-03"
    assert text[match.start : match.end] == "Aug 3 1899"
    assert [d.iso for d in find_dates(text)] == ["1985", "1899-08-03"]


@pytest.mark.parametrize("junk", [None, 12, b"1912", ["1912"]])
def test_non_text_gives_nothing(junk) -> None:
    assert parse_date(junk) is None


def test_verbatim_dates_of_a_real_gbif_download_agree_with_its_event_dates(fixtures_dir) -> None:
    """verbatimEventDate as published vs GBIF's interpreted eventDate in a real download (1,310 records)."""
    with zipfile.ZipFile(fixtures_dir / "gbif_dwca_real.zip") as archive:
        text = archive.read("occurrence.txt").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    pairs = [
        (r["verbatimEventDate"], r["eventDate"]) for r in rows if r["verbatimEventDate"] and r["eventDate"]
    ]
    assert len(pairs) > 1000
    read = [(parse_date(v), e) for v, e in pairs]
    parsed = [(p, e) for p, e in read if p is not None]
    agree = [p for p, e in parsed if e.startswith(p.split("/")[0]) or p.startswith(e[:10])]
    assert len(parsed) >= 0.99 * len(pairs)
    # The few that differ are timestamps GBIF shifted to UTC across midnight: at most a day apart.
    assert len(agree) >= 0.99 * len(parsed)
    for p, e in parsed:
        if p[:10] != e[:10]:
            assert abs(dt.date.fromisoformat(p[:10]) - dt.date.fromisoformat(e[:10])) <= dt.timedelta(days=1)


def test_a_backwards_span_of_years_is_no_interval() -> None:
    assert parse_date("1864-1860") != "1864/1860"
    assert best_date("1860-1864").precision == "years"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4 Auguit 2019", "2019-08-04"),  # one edit from August
        ("Lsa A. Standey 4 Auguiat 2019", "2019-08-04"),  # two edits from a 7-letter word
        ("12 Seotember 2019", "2019-09-12"),
        ("14 Sepoemsber 2019", "2019-09-14"),
        ("Seotember 12, 2019", "2019-09-12"),
        ("2 Nobember 1950", "1950-11-02"),
        ("12 Jamary 1962.", "1962-01-12"),  # the month by the reader's confusions (m for nu), its day kept
        ("12th Jamary 1962", "1962-01-12"),
        ("No. 12 Jamary 1962", "1962-01"),  # a number before the month word, not its day
        ("41 Jamary 1962", "1962-01"),
    ],
)
def test_a_misread_month_word_close_to_one_month_is_read(text: str, expected: str) -> None:
    found = best_date(text)
    assert found is not None and found.iso == expected
    assert found.repaired  # read with less confidence than a clean month
    assert not best_date("4 August 2019").repaired


@pytest.mark.parametrize(
    "text",
    [
        "10 lkme 2019",  # two edits from June in a 4-letter word: too far
        "Plot 5 Road 1912",  # no month near
        "Sheet 3 Line 1912",
    ],
)
def test_a_word_far_from_or_between_months_leaves_the_year(text: str) -> None:
    assert parse_date(text) == text[-4:]


def test_a_word_between_months_before_the_year_leaves_nothing() -> None:
    # one edit from both junio and julio: the label gives a month (and a day), so the year alone would be wrong
    assert parse_date("3 Jurio 1950") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3 lnly 1931", "1931-07-03"),  # J read as l and u as n: two look-alike letters, half an edit each
        ("Luue 4, 1950", "1950-06-04"),
        ("10 lume 2019", "2019-06-10"),  # J read as l and n as m
    ],
)
def test_a_month_word_with_two_lookalike_letters_is_read(text: str, expected: str) -> None:
    found = best_date(text)
    assert found is not None and found.iso == expected and found.guessed


@pytest.mark.parametrize(
    "text",
    [
        "3 Lane 1931",  # u→a is no look-alike: more than an edit from June
        "4 Lnne 1950",  # near June, but near the Austrian Jänner too
    ],
)
def test_a_word_near_a_month_by_other_letters_is_no_month(text: str) -> None:
    assert parse_date(text) == text[-4:]


@pytest.mark.parametrize(
    "text",
    [
        "Route 2, Mass., 1931",  # a state's abbreviation, one letter from mars
        "Amherst 12 Mass 1931",
        "Plot 4, Marsh, 1931",  # a list's item, set off from the number by a comma
    ],
)
def test_a_state_or_a_listed_word_between_a_number_and_a_year_is_no_month(text: str) -> None:
    assert parse_date(text) == "1931"


def test_fuzzy_month_only_for_a_unique_close_name() -> None:
    from herbproc.fields.dates import fuzzy_month

    assert fuzzy_month("Auguit") == 8
    assert fuzzy_month("Agusto") == 8  # one edit from the Spanish agosto
    assert fuzzy_month("Mar") is None  # three letters: never fuzzy
    assert fuzzy_month("Jurio") is None


def test_misread_month_before_a_year_by_the_readers_confusions() -> None:
    # a month word the reader garbled right before the year: read when one month is clearly nearest
    assert parse_date("Jly1937") == "1937-07"
    assert parse_date("Ag1952") == "1952-08"
    assert parse_date("Augnst 1948") == "1948-08"  # n for u: a confusion the reader makes
    # near a month but not clearly one, or with a garbled day: the year alone would be wrong, nothing is read
    assert parse_date("Jurie 1948") is None
    assert parse_date("Jn23 1961") is None
    # a name or a common word before the year is no month
    assert parse_date("Coll. P. Brown 1933") == "1933"
    assert parse_date("Hawkins, 1874.") == "1874"
    assert parse_date("COLLECTED IN 1955") == "1955"


def test_a_year_split_by_a_stray_space_after_month_and_day() -> None:
    assert parse_date("October 3, 187 4.") == "1874-10-03"
    found = find_dates("Collected October 3, 187 4. in a bog")
    assert len(found) == 1 and found[0].repaired
    assert "Collected October 3, 187 4. in a bog"[found[0].start : found[0].end] == "October 3, 187 4"  # as written
    assert parse_date("Nos. 12, 194 5") is None  # no month word: not a date


@pytest.mark.parametrize(
    ("text", "iso"),
    [("Dec. 1904 - Jan. 1905", "1904-12/1905-01"), ("November 1931 to February 1932", "1931-11/1932-02"),
     ("XII.1904-I.1905", "1904-12/1905-01")],
)  # fmt: skip
def test_two_months_with_their_years_joined_by_a_dash_are_one_interval(text: str, iso: str) -> None:
    assert parse_date(text) == iso


def test_two_months_in_reverse_order_are_not_an_interval() -> None:
    assert [d.iso for d in find_dates("Mar. 1910 - Feb. 1910")] == ["1910-03", "1910-02"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [("12 de março de 1931", "1931-03-12"), ("fevereiro 1931", "1931-02"), ("3 de outubro de 1950", "1950-10-03"),
     ("Dezembro 5, 1949", "1949-12-05")],
)  # fmt: skip
def test_portuguese_month_names(text: str, iso: str) -> None:
    assert parse_date(text) == iso



@pytest.mark.parametrize("text", ["laid out 1931", "set 1931", "cut 1931"])
def test_a_short_word_spaced_from_the_year_is_no_misread_month(text: str) -> None:
    assert parse_date(text) == "1931"  # "out" is near "août" by the reader's confusions, but it is a word


@pytest.mark.parametrize(
    ("text", "iso"),
    [("3/4 May 1931", "1931-05-03/1931-05-04"), ("3 y 4 de mayo de 1931", "1931-05-03/1931-05-04"),
     ("1931 May 12", "1931-05-12"), ("1931, May 12", "1931-05-12"), ("1931-V-12", "1931-05-12")],
)  # fmt: skip
def test_listed_days_with_a_slash_or_y_and_the_year_written_first(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["1912 I 3", "1931 Alt 12", "1800 m 12"])
def test_no_year_first_date_from_a_stray_letter_or_a_word(text: str) -> None:
    assert parse_date(text) == text[:4]


@pytest.mark.parametrize(
    ("text", "iso"),
    [("12 abr. 1912", "1912-04-12"), ("3 ago. 1950", "1950-08-03"), ("5 set. 1961", "1961-09-05"),
     ("2 mzo. 1930", "1930-03-02"), ("7 lug. 1920", "1920-07-07"), ("abr. 1912", "1912-04"),
     ("the set 1912", "1912"), ("years ago 1912", "1912"),
     ("ago. 1960", "1960-08"), ("set. 1961", "1961-09")],  # the abbreviation's dot makes the word a month
)  # fmt: skip
def test_spanish_portuguese_and_italian_month_abbreviations(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [("Mayo 1 de 1912", "1912-05-01"), ("Abril 12 de 1912", "1912-04-12"), ("abril 12-15 de 1912", "1912-04-12/1912-04-15")],
)
def test_spanish_month_first_with_de_before_the_year(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [("IV-V.1912", "1912-04/1912-05"), ("VI.-VIII.1912", "1912-06/1912-08"), ("vi-vii 1912", "1912-06/1912-07"),
     ("V-IV.1912", None)],
)  # fmt: skip
def test_a_span_of_roman_months(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [("Apr. 12/1912", "1912-04-12"), ("Apr. 12 - 1912", "1912-04-12"), ("Apr. 12., 1912", "1912-04-12"),
     ("12. 4. 1912", "1912-04-12"), ("3. 12. 1912", "1912-12-03")],
)  # fmt: skip
def test_day_and_year_apart_by_a_slash_dash_or_spaced_dots(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [("Jy 30 2019", "2019-07-30"), ("My 30 2019", "2019-05-30"), ("Ag. 4, 1931", "1931-08-04"),
     ("Lisa A. Standley Jy 30 2019", "2019-07-30"), ("30 Jy 2019", "2019-07-30")],
)  # fmt: skip
def test_a_month_cut_to_two_of_its_letters_before_a_day_and_year_is_a_guess(text: str, iso: str) -> None:
    # a thumbnail loses a month's middle letters: the day and year make it a date, the two letters the month
    found = best_date(text)
    assert found is not None and found.iso == iso and found.guessed


@pytest.mark.parametrize(
    "text",
    [
        "Jn 30 2019",  # June or January: the reader's confusions do not tell
        "No 30 2019",  # a number's cue
        "De 30 2019",  # a word of its own
        "Ja 30 2019",  # January by the confusions, but a word of its own
        "Ov 30 2019",  # November's letters, but not its first
        "jy 30 2019",  # a month's abbreviation opens with a capital
    ],
)
def test_a_two_letter_word_that_is_no_months_abbreviation_leaves_the_year(text: str) -> None:
    assert parse_date(text) == "2019"


@pytest.mark.parametrize("text", ["30 Ma 2019", "30 Ju 2019"])  # March or May, June or July
def test_a_two_letter_month_after_the_day_that_two_months_share_gives_no_date(text: str) -> None:
    # the label gives a day and a month: the year alone would be wrong
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A. Bell 215uly2019", "2019-07-21"),  # J read as 5, nothing between day, month and year
        ("310ct 1999", "1999-10-31"),  # O read as 0
        ("204ug1995", "1995-08-20"),
    ],
)
def test_a_glued_date_with_the_months_first_letter_read_as_a_digit(text: str, expected: str) -> None:
    found = best_date(text)
    assert found is not None and found.iso == expected and found.guessed


@pytest.mark.parametrize(
    "text",
    [
        "15uly2019",  # 1 5uly or 15 [J]uly: the split is not certain
        "10ct1999",  # 1 Oct or 10 Oct
        "215xyz2019",  # no month
        "No. 125an2019",  # a number
        "213mi2019",  # 3 mi: no look-alike of a month's letter
    ],
)
def test_a_glued_token_that_is_no_certain_date(text: str) -> None:
    found = best_date(text)
    assert found is None or found.precision == "year"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A. Bell 1619 Dore16 Aug.1974", "1974-08-16"),  # a garbled "Date" glued to the day
        ("Cronquist16 Aug 1974", "1974-08-16"),
    ],
)
def test_a_day_glued_to_the_word_before_it(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("no16 Aug 1974", "1974-08"),  # a number's cue: 16 is the number
        ("Elmton8 Aug 1974", "1974-08"),  # one digit: often a letter misread (B, S)
        ("Elmton12 Auguit 1974", "1974-08"),  # a misread month: the day glued to a word is too much of a guess
    ],
)
def test_a_day_glued_to_a_word_only_before_a_month_name(text: str, expected: str | None) -> None:
    found = best_date(text)
    assert (found.iso if found and found.precision != "year" else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date 13 Apri] 1963", "1963-04-13"),  # the month's "l" read as "]"
        ("Ju1y 20 & 21, 1959", "1959-07-20/1959-07-21"),  # ... as "1"
        ("4 Ju|y 1931", "1931-07-04"),
    ],
)
def test_a_month_word_whose_l_was_read_as_a_stroke_is_the_month(text: str, expected: str) -> None:
    found = find_dates(text)
    assert [d.iso for d in found] == [expected] and found[0].repaired


def test_a_word_with_a_stroke_that_is_no_month_leaves_the_year() -> None:
    assert [d.iso for d in find_dates("Sta1 12 1931")] == ["1931"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("I July 1967", "1967-07-01"), ("l July 1967", "1967-07-01"), ("July I, 1967", "1967-07-01"),
     ("Il May 1931", "1931-05-11"), ("II May 1931", "1931-05")],  # "II": a Roman month as likely, no day
)
def test_a_day_of_strokes_read_as_letters_before_its_month_and_year(text: str, expected: str) -> None:
    assert [d.iso for d in find_dates(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("10 Abr11 2003", "2003-04-10"),  # Abril's i and l both read as 1: not the 11th of April
        ("11 Ju11 1960", "1960-07-11"),  # Juli
        ("Apri1 3, 1911", "1911-04-03"),  # an l alone, as before
    ],
)
def test_a_months_i_and_l_read_as_strokes_leave_the_day_before_it_the_day(text: str, iso: str) -> None:
    found = find_dates(text)
    assert [d.iso for d in found] == [iso] and found[0].repaired
