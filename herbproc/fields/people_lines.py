"""Collectors, their numbers and determiners read from a label's lines, wrapped lines and form captions."""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Sequence

from herbproc.fields import dates, names, people, places
from herbproc.fields.label import CONFIDENCE, HEADER, NUMBER_BEFORE, Field, Label, strip_dates
from herbproc.fields.number_alone import A_YEAR
from herbproc.fields.number_lines import THOUSANDS_ALONE, exsiccata_label, series_number_spans
from herbproc.fields.people_cues import COLLECTOR_WORD
from herbproc.fields.taxon import confusion_costs
from herbproc.fields.text import fold

_RECORD_NUMBER_CUE = r"(?:No\.?|#|Nr\.?|N\.?\s?[°º]|N\.o\.?|N[uú]m(?:ero)?\.?|(?-i:no,|mo\.|n\.))\s*:?\s*"
_ENDS_WITH_INITIALS = re.compile(r"(?:^|[\s.&])[A-Z]\.$")
_NO_ALONE = re.compile(r"\W*(?:No|NO|no|Nr|N[uú]m)\.?\s*:?\s*")
_ENDS_WITH_NO = re.compile(r"(?<![\w])(?:No|NO|no|Nr)\.?$|#$")
_DET_CUE_ALONE = re.compile(r"^\W*(?:det(?:ermined|\.)?|determiner|identified)(?:\s+by)?\W*$", re.I)
_DET_CUE_ONLY = re.compile(r"^\W*(?:det|conf|rev)\.", re.I)


def numbered_collector(line: str) -> bool:
    """People and a collector number that is no year ("T. A. Smith 4521", "A. Jones s.n.")."""
    found = people.find_collectors(line)
    number = people.find_record_number(line, after=found.end) if found is not None else None
    return number is not None and not A_YEAR.fullmatch(number)


_ENDS_WITH_JOIN = re.compile(r"(?:,|&|\band|\bwith)\s*$", re.I)


def _names_to_the_end(line: str) -> bool:
    """Nothing but names on the line, after a collector cue at most ("Coll.: A. Smith, B. Jones,")."""
    if people.find_people_line(line):
        return True
    found = people.find_collectors(line)
    return found is not None and found.cued and not re.search(r"\w", line[found.end :].replace("and", ""))


_OPENS_WITH_JOIN = re.compile(r"\s*(?:&|and\s|AND\s|with\s)\s*(?=[A-Z])")


def _only_names(line: str) -> bool:
    """Names and nothing else on the line, after a collector cue at most ("Coll. A. Smith, B. Jones")."""
    found = people.find_people_line(line) or people.find_collectors(line)
    return found is not None and not re.search(r"\w", line[found.end :])


def _names_then_a_number(line: str) -> bool:
    """Names opening the line and at most a number and a date after them ("C. Brown, D. Green 1234", "C. Brown,
    1234 10 June 2004")."""
    found = people.find_collectors(line)
    return (
        found is not None and not found.cued and not re.search(r"\w", line[: found.start])
        and re.fullmatch(r"\W*(?:(?:No\.?|#)\s*)?(?:\d{1,6}[a-z]?)?\W*", strip_dates(line[found.end :])) is not None
    )  # fmt: skip


# A word alone on its line, a surname the line above was cut before ("Blancett"); a form's other field beside the
# names, read between them ("Date: 17 July 2001").
_LONE_WORD = re.compile(r"\W*(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]{3,}(?:-[A-Z]{3,})?)\W*")
_OTHER_FIELD = re.compile(r"^\W*[A-Z][A-Za-z]+(?:\s[A-Za-z]+)?\s*:\s*\S")


def _first_name_cut(line: str) -> bool:
    """A cued list of full names ending the line with a first name alone ("Collector: Jack Bell, Steven")."""
    found = people.find_collectors(line)
    if found is None or not found.cued or len(found.names) < 2 or re.search(r"\w", line[found.end :]):
        return False
    *others, last = found.names
    return " " not in last and all(re.fullmatch(r"[A-Z][a-z]+(?: [A-Z]\.)? [\w'’\-]+", n) for n in others)


def _surname_alone(line: str) -> bool:
    word = line.strip(" .,;")
    return (
        _LONE_WORD.fullmatch(line) is not None
        and fold(word) not in people.NON_PERSON_WORDS
        and not places.is_place_name(word)
        and not places.find_states(word)
    )


def wrapped_surname(label: Label, i: int) -> int | None:
    """The line holding the surname cut from the end of line ``i``: the next one, or the one after it past
    another field's line ("Collector: Jack Bell, Steven" / "Date: 17 July 2001" / "Elmton")."""
    if not _first_name_cut(label.text[i]):
        return None
    for k in (i + 1, i + 2):
        if k >= len(label.text) or not label.usable[k]:
            return None
        if _surname_alone(label.text[k]):
            return k
        if not _OTHER_FIELD.match(label.text[k]):
            return None
    return None


def _name_in_capitals_alone(line: str) -> bool:
    """A person's whole name in capitals and nothing else ("ARTHUR BELL"): a printed label's collector, whose
    number the reader may take apart from it."""
    found = people.find_people_line(line)
    return found is not None and line.isupper() and all(len(n.split()) >= 2 for n in found.names)


def _ends_with_state(line: str) -> bool:
    """A place line ending in its state's abbreviation, which reads like initials ("Mitchell Co., N.C.")."""
    text = line.rstrip(" ,;")
    return places.find_county(text) is not None and any(s.end >= len(text) - 1 for s in places.find_states(text))


# a capitalised word cut at a line's end ("…, sobre substrato calizo, Fer-") and its rest opening the next line
# ("nández Casas 10689 & Morales Valverde, 21-VI-1988."): a run-on label's collector wrapped inside his name
WORD_CUT_AT_END = re.compile(r"(?<![\w-])(?P<head>[A-Z][^\W\d_]*)-$")
_REST_OF_A_WORD = re.compile(r"[^\W\d_A-Z][^\W\d_]*(?=[\s,])")


def with_the_word_cut_before(label: Label, i: int, line: str) -> str:
    """Line ``i`` with the head of its first word put back when the line above cut it with a hyphen (the hyphen
    dropped: a word wrapped where it did not break); the line as it is otherwise."""
    if i == 0 or not label.usable[i - 1] or (m := WORD_CUT_AT_END.search(label.text[i - 1].rstrip())) is None:
        return line
    return m["head"] + line if _REST_OF_A_WORD.match(line) else line


def join_wrapped_people(label: Label) -> None:
    """Collector and determiner lines wrapped on narrow cards are read as one line: after initials
    ("Conf. W. D." / "Countryman 1974"), after "No." ("…, no." / "10563"), before a number alone
    ("M. L. Fernald & J. R. Churchill" / "9288"), or a list of names broken after its comma or "and" when the
    next line opens with a name ("A. Smith, B. Jones," / "C. Brown 123")."""
    i = 0
    while i < len(label.text) - 1:
        k = i + 1
        while k < len(label.text) - 1 and not label.usable[k] and not label.text[k]:
            k += 1  # a line joined to this one: its next is the line after
        joined = _join_wrapped_person(label, i, k)
        # a list wrapped again: the joined line still ends in initials or a joining word ("…, L. Lepper, U.")
        again = joined and (_ENDS_WITH_INITIALS.search(label.text[i]) or _ENDS_WITH_JOIN.search(label.text[i]))
        i += 0 if again else 1


def _join_wrapped_person(label: Label, i: int, k: int) -> bool:
    """Joins line ``k`` to line ``i`` where it goes on with ``i``'s people; whether it did."""
    if not (label.usable[i] and label.usable[k]):
        return False
    line, nxt = label.text[i], label.text[k]
    after_initials = _ENDS_WITH_INITIALS.search(line) and re.match(r"[A-Z]", nxt) and not _ends_with_state(line)
    after_no = _ENDS_WITH_NO.search(line) and re.match(r"\d", nxt)
    number_alone = re.fullmatch(r"\d{2,6}[a-z]?|[12]\d{3}", nxt) and (  # a lone digit: a stroke, a sheet's "2"
        people.find_collectors(line) or people.find_determiners(line) or _name_in_capitals_alone(line)
    )
    if _NO_ALONE.fullmatch(line) and (re.fullmatch(r"\d{1,6}[a-z]?\W*", nxt) or THOUSANDS_ALONE.fullmatch(nxt)):
        label.join(i, k)  # a form's "No." with its value under it ("No." / "4521")
        return True
    named = (n := names.find_name_in_line(line)) is not None and n.start_token == 0
    if named and not (people.has_collector_cue(line) or _DET_CUE_ONLY.search(line)):
        return False  # "Mitreola petiolata (J.F. Gmel.) T. & G.": an authorship's initials, not a person's
    opened = _OPENS_WITH_JOIN.match(nxt) if line.rstrip().endswith(",") else None
    rest = nxt[opened.end() :] if opened else nxt  # "A. Smith, B. Jones," / "and C. Brown, 1234"
    if _ENDS_WITH_JOIN.search(line) and _names_to_the_end(line) and _names_then_a_number(rest):
        label.join(i, k)
        return True
    if (m := _OPENS_WITH_JOIN.match(nxt)) and _only_names(line) and _names_then_a_number(nxt[m.end() :]):
        label.join(i, k)  # broken before its last name's "&": "A. Smith, B. Jones" / "& C. Brown 1234"
        return True
    if (after_initials or after_no or number_alone) and (
        people.has_collector_cue(line) or people.find_determiners(line) or people.find_collectors(line)
        or _DET_CUE_ONLY.search(line) or (number_alone and _name_in_capitals_alone(line))
    ):  # fmt: skip
        label.join(i, k)
        return True
    return False


def _determiner_under_caption(label: Label, i: int) -> bool:
    """Line ``i`` is the value of a "Det." caption alone on the line above it, the collector already read on
    a line before (else a form's captions may stand in a column above their values: "Coll:" / "Det:" / names)."""
    collector = label.fields.get("recordedBy")
    return (
        i > 0
        and _DET_CUE_ALONE.match(label.text[i - 1]) is not None
        and collector is not None
        and collector.line is not None
        and collector.line < i - 1
    )


_DATE_CAPTION_BEFORE = re.compile(r"(?:date|dated|fecha|datum)\s*[:.]?\s*$", re.I)


def _captioned_start(line: str, start: int) -> int:
    """Where the date starting at ``start`` begins with its caption ("Date: 4/12/1941")."""
    m = _DATE_CAPTION_BEFORE.search(line, 0, start)
    return m.start() if m and (m.start() == 0 or not line[m.start() - 1].isalnum()) else start


def after_a_county_heading(line: str) -> str | None:
    """The rest of a line opened by a county and its word, when the rest holds a collector and a number: a form's
    county and collector read as one line ("Blount Co.  A. Bell 1234"); None for any other line."""
    county = places.find_county(line)
    if county is None or line[: county.start].strip(" \t\"'(") or not county.end < len(line):
        return None
    rest = line[county.end :]
    if not re.match(r"[\s,;]", rest) or (found := people.find_collectors(rest)) is None:
        return None
    return rest if people.find_record_number(rest, after=found.end) else None


# a line that opens in lower case with a preposition or an article: the sentence of the line above goes on
_SENTENCE_GOES_ON = re.compile(r"^\W*(?:of|at|in|near|from|to|on|the|de|del)\s+$")
_ENDS_MID_PHRASE = re.compile(r"(?<![^\W\d_])(?:of|at|in|near|from|to|on|the|de|del|along|above|below)\s*$", re.I)


def _read_as_a_county(line: str, collectors: people.Agents) -> bool:
    county = places.find_county(line)
    return county is not None and county.start < collectors.end and collectors.start < county.end


def read_people(label: Label, i: int, line: str, *, on_slip: bool = False) -> None:
    determiners = people.find_determiners(line)
    if determiners:
        label.keep(
            "identifiedBy", people.AGENT_SEPARATOR.join(determiners.names), CONFIDENCE["determiner"], i
        )
        if not people.collected_and_determined(line):
            head = people.before_determiner_cue(line)
            if head and (people.has_collector_cue(head) or people.numbered_collectors(head)):
                # "Coll. J. Smith; det. K. Jones" / "A. Bell 1234   det. C. Dunn": both on one line
                read_people(label, i, head, on_slip=on_slip)
                return
            label.roles[i] = "determination"
            return
    elif people.opens_with_determiner_cue(line):
        label.roles[i] = "determination"
        return
    elif people.ends_with_determiner_caption(line) and people.has_collector_cue(head := people.before_determiner_cue(line)):
        read_people(label, i, head, on_slip=on_slip)  # "Collector   Determiner": captions side by side
        return
    if (head := people.before_other_role(line)) != line:
        read_people(label, i, head, on_slip=on_slip)  # "A. Bell 1234   TLC: C. Dunn"
        return
    if (rest := after_a_county_heading(line)) is not None:
        read_people(label, i, rest, on_slip=on_slip)  # "Blount Co.   A. Bell 1234": the form's two columns
        return
    collectors = people.find_collectors(line)
    if on_slip and (n := names.find_name_in_line(line)) is not None and n.start_token == 0:
        return  # the slip's name and its authorship ("Apios bigelowii B. L. Rob."), not a person
    if on_slip and collectors is None:
        collectors = people.find_slip_person(line)
    if collectors is None or (not collectors.cued and HEADER.match(line)):
        return
    if not collectors.cued and _read_as_a_county(line, collectors):
        return  # "QUÉBEC: Comté de Montmorency no. 1": the county's name, whatever number follows
    if not collectors.cued and people.owns_herbarium(line, collectors.start):
        return  # "Hb. C. Dunn": the herbarium's owner
    if not collectors.cued and i > 0 and people.other_role_caption(label.text[i - 1]):
        return  # "Determined by" / "C. Dunn": the caption above says who they are
    if not collectors.cued and _determiner_under_caption(label, i):
        label.roles[i] = "determination"  # "Det." / "J. Smith 1998": the value under a form's caption
        return
    if on_slip and not collectors.cued:  # "P. Somers, 1990" under "DETERMINATION SLIP"
        who = people.AGENT_SEPARATOR.join(collectors.names)
        label.keep("identifiedBy", who, CONFIDENCE["determiner_on_slip"], i)
        label.roles[i] = "determination"
        return
    found = [  # "No. 1617" is a number, not a year
        d
        for d in dates.find_dates(line)
        if d.precision not in ("year", "years") or not NUMBER_BEFORE.search(line[: d.start])
    ]
    # a date's span takes its caption in ("B. C. Tharp 4455   Date: 4/12/1941": the number stands before the date)
    date_spans = [(_captioned_start(line, d.start), d.end) for d in found]
    series = series_number_spans(line, collectors.start, exsiccata_label(label.text))
    number = people.find_record_number(
        line, after=collectors.end, skip=date_spans + series, after_start=collectors.start
    )
    maybe_year = None
    if number is None:
        # "F. F. Forbes 1811": a number right after the names that could be a year; it is the collector
        # number if another line holds a date (decided in date_lines.read_dates)
        years = [(d.start, d.end) for d in found if d.precision == "year"]
        others = [span for span in date_spans if span not in years]
        maybe = people.find_record_number(line, after=collectors.end, skip=others)
        if maybe and any(line[a:b] == maybe for a, b in years):
            maybe_year = maybe
    if collectors.cued:
        confidence = CONFIDENCE["collector_cued"]
    elif number:
        confidence = CONFIDENCE["collector_numbered"]
    else:
        rest = strip_dates(line[: collectors.start] + " " + line[collectors.end :])
        if len(re.sub(r"[\W\d_]+", "", rest)) > 3:
            return  # capitalised words inside other text: too weak without a cue or a number
        if _SENTENCE_GOES_ON.match(line[: collectors.start]):
            return  # "of Sachem Island": the place line above goes on, its names no person's
        if not line[: collectors.start].strip() and i > 0 and _ENDS_MID_PHRASE.search(label.text[i - 1]):
            return  # "… shales of the" / "Niobrara Formation.": the sentence above goes on
        if (county := places.find_county(line)) is not None and county.start < collectors.end:
            return  # "Mitchell Co., N.C.": a county and its state's abbreviation, no name and initials
        if any(d.repaired for d in found):
            return  # a date read back from misread characters ("4 Auguit 2019"): the names beside it are
            # likely misread too, too weak without a cue or a number
        confidence = CONFIDENCE["collector_bare"]
    label.keep("recordedBy", people.AGENT_SEPARATOR.join(collectors.names), confidence, i)
    label.collector_names[i] = collectors.names
    if not collectors.cued and not number:
        label.bare_collectors.add(i)
    if maybe_year:
        label.year_numbers[i] = (maybe_year, min(CONFIDENCE["record_number_bare"], confidence + 0.1))
    if number == "s.n.":
        label.sine_numero.add(i)
    elif number:
        cued = re.search(_RECORD_NUMBER_CUE + re.escape(number.split()[0]), people.repair_cued_numbers(line), re.I)
        kind = "record_number_cued" if cued else "record_number_bare"
        label.keep("recordNumber", number, min(CONFIDENCE[kind], confidence + 0.1), i)
    label.roles[i] = "collector"


_NOT_NAME_LINES = ("institution", "catalog", "determination", "header")


def read_captioned_collectors(label: Label, labels: Sequence[int] | None = None) -> None:
    """Lines of names captioned "COLLECTORS" under them ("N. L. BRITTON" / "J. F.COWELL" / "COLLECTORS"), or
    after a field name "Collector:" on the line above them, are the collectors (at most three lines; the other
    side is tried when the caption's own side has no names). A form's field names read before their values
    ("Collected by:" / "Date:" / "5-8-86" / "J. Smith"): the names after the other field names and dates. When
    a caption alone has no names read beside it, bare names on another card are not taken for its collectors
    (an annotation's or another slip's people)."""
    unread: list[int] = []
    for i, line in label.lines(skip_roles=_NOT_NAME_LINES):
        side = people.collector_caption(line)
        if side is None:
            continue
        found: list[tuple[int, people.Agents]] = []
        for step in (-1, 1) if side == "above" else (1, 0, -1):
            if step:
                found = _name_lines(label, i, step, cue=side == "below" and step > 0)
            else:
                found = _names_after_other_fields(label, i)
            if found:
                break
        if found and side == "above" and found[-1][0] < i:
            found += _names_on_the_brace_below(label, i, len(found), labels)
        if not found and side == "above":
            found = _names_over_dates(label, i)
        if not found:
            if side == "above" and people.caption_alone(line) and not _initials_beside(label, i):
                unread.append(i)
            continue
        who = people.AGENT_SEPARATOR.join(n for _, agents in found for n in agents.names)
        label.keep("recordedBy", who, CONFIDENCE["collector_cued"], found[0][0])
        for k, _ in found:
            label.roles[k] = "collector"
        label.roles.setdefault(i, "collector")
    best = label.fields.get("recordedBy")
    if unread and best is not None and best.line in label.bare_collectors:
        cards = labels if labels is not None and len(labels) == len(label.text) else None
        if cards is None or all(cards[best.line] != cards[k] for k in unread):
            del label.fields["recordedBy"]


def _names_on_the_brace_below(
    label: Label, i: int, above: int, labels: Sequence[int] | None
) -> list[tuple[int, people.Agents]]:
    """The names under a bare "COLLECTORS" caption whose names are above it as well: a brace's caption set beside
    the middle of its names ("E. G. BRITTON" / "COLLECTORS" / "DELIA W. MARBLE", "STEWARDSON BROWN" /
    "Collectors, AUG. 31, 1905" / "N. L. BRITTON"), in the caption's capitals or the names' on both sides, or
    any names after a party left open ("Elbert L. Little, Jr., and" / "COLLECTOR" / "Roy O. Woodbury"); on the
    caption's card, three lines of names at most in all."""
    line = label.text[i]
    if not people.caption_alone(line):
        return []
    cards = labels if labels is not None and len(labels) == len(label.text) else None
    open_party = re.search(r"(?:\band|&|,)\W*$", label.text[i - 1], re.I) is not None
    # the brace's print: the caption in capitals, or the names above it when a date shares the caption's line
    printed = line.isupper() or all(label.text[k].isupper() for k in range(i - above, i))
    below = []
    for k, agents in _name_lines(label, i, 1, cue=True)[: 3 - above]:
        if cards is not None and cards[k] != cards[i]:
            break
        if not open_party and not (printed and label.text[k].isupper()):
            break
        below.append((k, agents))
    return below


_INITIALS_ALONE = re.compile(r"\W*(?:[A-Z]\.\s?){2,4}\W*")


def _initials_beside(label: Label, i: int) -> bool:
    """The caption's value read as initials alone ("Collector" / "J.K.L."): a collector who signed so."""
    return any(0 <= k < len(label.text) and _INITIALS_ALONE.fullmatch(label.text[k]) for k in (i - 1, i + 1))


def whole_party(label: Label) -> None:
    """ "T. A. Smith 4521" on one line, "T. A. Smith, B. Jones & C. Brown" on another: the numbered line names
    the first collector, the other the whole party, who are the collectors."""
    best = label.fields.get("recordedBy")
    if best is None or best.line not in label.collector_names:
        return
    first = [fold(n) for n in label.collector_names[best.line]]
    for others in label.collector_names.values():
        if len(others) > len(first) and [fold(n) for n in others[: len(first)]] == first:
            label.fields["recordedBy"] = Field(people.AGENT_SEPARATOR.join(others), best.confidence, best.line)
            return


_CAPTION_CLOSES = re.compile(rf"\b(?i:{COLLECTOR_WORD})\W*$")


def names_under_the_collector(label: Label, labels: Sequence[int] | None) -> None:
    """A cued collector's line ending with the names ("Coll. A. Bell"), the next line of the same card nothing but
    names ("C. Rose"): the party went on to the next line; both are the collectors."""
    best = label.fields.get("recordedBy")
    if best is None or best.line is None or best.line not in label.collector_names:
        return
    i, j = best.line, best.line + 1
    if j >= len(label.text) or not label.usable[j] or label.roles.get(j) not in (None, "collector"):
        return
    if labels is not None and len(labels) == len(label.text) and labels[i] != labels[j]:
        return
    cued = people.find_collectors(label.text[i])
    if cued is None or not cued.cued or label.text[i][cued.end :].strip(" .,;&"):
        return  # no cue, or a number or other words after the names
    if _CAPTION_CLOSES.search(label.text[i]):
        return  # "JULIAN A. STEYERMARK, COLLECTOR": the caption after the names closes them
    if (more := people.find_people_line(label.text[j])) is None:
        return
    if "identifiedBy" not in label.fields and any(_DET_CUE_ALONE.match(line) for line in label.text):
        return  # a form's "Det." caption read apart from its value: the names may be the determiner's
    first = label.collector_names[i]
    added = [n for n in more.names if fold(n) not in {fold(f) for f in first}]
    if added:
        label.fields["recordedBy"] = Field(people.AGENT_SEPARATOR.join([*first, *added]), best.confidence, i)
        label.roles[j] = "collector"


# The rest of a party after the collector and the number: "Leslie J. Mehrhoff 22451, with E. Corrigan" on the
# line, or a line of its own within two under it ("I.M. Brodo, No. 10762" / "1 July 1967" / "with M.J. Shchepanek
# and W. B. Schofield", "With: M. Breckon", "and John E. Rawlins"): they collected too. People with initials;
# on a line of its own after a bare "with", whole names too ("with Prosper Paris"), but not a plant's name in
# the old style ("with Pinus Strobus", "with Rosa Elmiana": an epithet's ending, a genus of the taxonomy).
_WITH_AFTER_NUMBER = re.compile(r"\d[^A-Za-z]*\bwith\s+(?P<people>[A-Z].*)$")
_WITH_LINE = re.compile(r"^\W*(?P<cue>(?i:with|and))\b\s*(?P<colon>:)?\s*(?P<people>[A-Z].*?)\W*$")
_HAS_INITIAL = re.compile(r"\b[A-Z]\.")
# names._TITLE_ENDING with the common -us, -um, -ata endings too: after "with" a surname ending so is rarer than
# an old-style epithet ("Strobus")
_EPITHET_END = re.compile(r"(?:us|um|ii|ae|iana|ianum|ianus|ensis|ense|oides|ata|atum|atus|folia|folium)$")


def party_with(label: Label, labels: Sequence[int] | None, genera: Container[str] = ()) -> None:
    """The people after "with" on the collector's line, after its number, or on a line of their own under it (a
    date between at most), are added to the collectors. ``genera``: the run's genera, folded (a plant's name
    after "with" is the habitat's)."""
    best = label.fields.get("recordedBy")
    if best is None or best.line is None or best.line not in label.collector_names:
        return
    i = best.line
    cards = labels if labels is not None and len(labels) == len(label.text) else None
    found: list[tuple[int, str, bool]] = []  # (line, the people, whole names without initials may be read)
    if m := _WITH_AFTER_NUMBER.search(label.text[i]):
        found.append((i, m["people"], False))
    for j in (i + 1, i + 2):
        if j >= len(label.text) or not label.usable[j] or label.roles.get(j) not in (None, "collector"):
            continue
        if cards is not None and cards[j] != cards[i]:
            continue
        between = label.text[i + 1] if j == i + 2 else ""
        if between.strip() and not dates.find_dates(between):
            break  # a line of other words between: not the collector's party
        if m := _WITH_LINE.match(label.text[j]):
            found.append((j, m["people"], m["cue"].lower() == "with" and not m["colon"]))
            break
    for j, text, whole in found:
        more = people.find_people_line(text)
        if more is None:
            continue
        if not all(_HAS_INITIAL.search(n) or (whole and _whole_name(n, genera)) for n in more.names):
            continue
        first = label.collector_names[i]
        added = [n for n in more.names if fold(n) not in {fold(f) for f in first}]
        if added:
            label.fields["recordedBy"] = Field(people.AGENT_SEPARATOR.join([*first, *added]), best.confidence, i)
            label.roles[j] = "collector"
        return


def _whole_name(name: str, genera: Container[str]) -> bool:
    """A given name and a surname in full ("Prosper Paris"), not a plant's name ("Pinus Strobus")."""
    words = [fold(w) for w in re.findall(r"[^\W\d_]+", name)]
    return len(words) >= 2 and not _EPITHET_END.search(words[-1]) and words[0] not in genera


_FIELD_NAME_ALONE = re.compile(r"^\W*[^\W\d_][^\W\d_ .]*(?:\s[^\W\d_]+)?\s*:\W*$")


def _names_after_other_fields(label: Label, i: int) -> list[tuple[int, people.Agents]]:
    """A line of names within three lines under the field name ``i``, past only other field names ("Date:")
    and dates alone."""

    def other_field(line: str) -> bool:
        return bool(_FIELD_NAME_ALONE.match(line)) or not re.search(r"[^\W\d_]", strip_dates(line))

    return _first_names_line(label, range(i + 1, min(i + 4, len(label.text))), other_field)


def _names_over_dates(label: Label, i: int) -> list[tuple[int, people.Agents]]:
    """A form's values over their captions, read by columns: the names, the date, then "(Collector)" under them
    ("A. Bell" / "4 Aug 1989" / "(Collector)"): a line of names within three lines above caption ``i``, past
    dates alone."""

    def date_alone(line: str) -> bool:
        return bool(dates.find_dates(line)) and not re.search(r"[^\W\d_]{2,}", strip_dates(line))

    return _first_names_line(label, range(i - 1, max(i - 4, -1), -1), date_alone)


def _first_names_line(
    label: Label, order: range, passed: Callable[[str], bool]
) -> list[tuple[int, people.Agents]]:
    """The first line of names among lines ``order``, past the lines ``passed`` accepts; none past a line of
    another role or an unusable one."""
    for k in order:
        if not label.usable[k] or label.roles.get(k) in _NOT_NAME_LINES:
            return []
        if passed(label.text[k]):
            continue
        agents = people.find_people_line(label.text[k])
        return [(k, agents)] if agents is not None else []
    return []


# A field's name and its colon ("CHEMICAL TESTS:", "Notes:") is no line of names.
_FIELD_NAME_COLON = re.compile(r":\s*$")


def _name_lines(label: Label, i: int, step: int, cue: bool = False) -> list[tuple[int, people.Agents]]:
    """The lines of names next to the caption on line ``i``, going ``step``; ``cue``: the caption is the names'
    cue ("Collector:" above them, a brace's "COLLECTORS" between them), so that a name in capitals with
    particles is read too ("CARLOS DE LA TORRE", which, under a bare caption, may be a title: "FLORE DU
    QUEBEC")."""
    out: list[tuple[int, people.Agents]] = []
    k = i + step
    while 0 <= k < len(label.text) and len(out) < 3:
        if not label.usable[k] or label.roles.get(k) in _NOT_NAME_LINES or _FIELD_NAME_COLON.search(label.text[k]):
            break
        if (agents := (people.find_people_by_caption if cue else people.find_people_line)(label.text[k])) is None:
            break
        out.append((k, agents))
        k += step
    return sorted(out, key=lambda item: item[0])


# a bare name line (no cue, no number) this similar to the label's scientific name by the reader's confusions is
# that name written again (a handwritten repeat of the printed one: "Ipigelia Gutheluia" for Spigelia
# anthelmia), not a person's; people's names stay under it ("J. K. Small": 0.39, "B. L. Robinson": 0.45)
NAME_AGAIN_AT = 0.8


def taxon_read_as_people(label: Label) -> None:
    """Drops a bare collector whose line reads as the label's binomial (read after the people are)."""
    collector = label.fields.get("recordedBy")
    genus, epithet = label.fields.get("genus"), label.fields.get("specificEpithet")
    if collector is None or collector.line is None or genus is None or epithet is None:
        return
    if collector.line not in label.bare_collectors:
        return
    binomial = fold(f"{genus.value} {epithet.value}")
    if confusion_costs().similarity(binomial, fold(label.text[collector.line])) >= NAME_AGAIN_AT:
        del label.fields["recordedBy"]
        label.roles[collector.line] = "taxon"


# the collector read on the very line the taxonomy's name was read from is that name misread as a person when
# its words are this similar to the name's (authorship included: "Eushasra Elsridana Gandoger" for Buchnera
# floridana Gandog., 0.77); a lower bar than NAME_AGAIN_AT, the line being already read as the name, and still
# above people's names against a binomial (0.39, 0.45 above)
NAME_ON_ITS_LINE_AT = 0.6


def collector_on_the_name_line(fields: dict[str, Field], name: str, line: int | None) -> None:
    """Drops a bare collector (no cue, no number: a bare one's confidence) read on ``line``, the line the
    taxonomy's ``name`` was read from, whose words read as that name. ``taxon_read_as_people`` does this for the
    name the rules read; the taxonomy's is chosen after the fields, from every reading."""
    collector = fields.get("recordedBy")
    if collector is None or line is None or collector.line != line:
        return
    if collector.confidence > CONFIDENCE["collector_bare"]:
        return
    if confusion_costs().similarity(fold(name), fold(collector.value)) >= NAME_ON_ITS_LINE_AT:
        del fields["recordedBy"]


def collector_on_the_dated_card(label: Label, labels: Sequence[int] | None) -> None:
    """Two bare collectors (no cue, no number) on two cards: the one on the card that holds the collection's date
    is the label's; the other is an annotation's or another slip's ("Jahn L.Anderon" on a slip above the label,
    "Joan Michener" on the label under its date)."""
    best, date = label.fields.get("recordedBy"), label.fields.get("eventDate")
    cards = labels if labels is not None and len(labels) == len(label.text) else None
    if cards is None or best is None or date is None or best.line is None or date.line is None:
        return
    if best.confidence > CONFIDENCE["collector_bare"] or best.line not in label.bare_collectors:
        return  # (a caption's or a cue's collector stands, wherever the date is)
    if cards[best.line] == cards[date.line]:
        return
    dated = [i for i in label.bare_collectors if cards[i] == cards[date.line] and i in label.collector_names]
    if len(dated) == 1:
        i = dated[0]
        label.fields["recordedBy"] = Field(people.AGENT_SEPARATOR.join(label.collector_names[i]), best.confidence, i)
