"""Collectors (recordedBy) and determiners (identifiedBy) found on one label line, after a cue or without one."""

from __future__ import annotations

import re

from herbproc.fields import dates
from herbproc.fields.label import strip_dates
from herbproc.fields.people_cues import (
    COLLECTED_AND_DETERMINED,
    COLLECTOR_CUE,
    COLLECTOR_WORD,
    DETERMINER_CUE,
    TRAILING_COLLECTOR_CUE,
    has_collector_cue,
)
from herbproc.fields.people_names import (
    CAPS_PERSON_PARTICLES,
    INVERTED,
    INVERTED_LIST,
    INVERTED_ONE,
    JOIN,
    PEOPLE_AFTER_CUE,
    PEOPLE_STRICT_RE,
    SURNAME,
    Agents,
    find_people_line,
    plausible,
    split_people,
)
from herbproc.fields.people_numbered import (
    comma_initials_numbered,
    find_numbered_surnames,
    inverted_and_numbered,
    numbered_after_quote,
)
from herbproc.fields.places import find_country, find_states
from herbproc.fields.record_number import find_record_number, year_like
from herbproc.fields.text import fold, smart_title

_NAME_GOES_ON = re.compile(r"\s+[A-Z]\.\s?[A-Z]")


def _name_unread_after_cue(line: str) -> bool:
    for m in COLLECTOR_CUE.finditer(line):
        people = PEOPLE_AFTER_CUE.match(line, m.end())
        if people and _NAME_GOES_ON.match(line, people.end()):
            return True
    return False


# One person's initials with their stops lost (OCR) after a cue, the number or the line's end after the name:
# "Coll. A C Bell 1234" is A. C. Bell's; never before another name ("Coll. A Bell, C Dunn": who is whose?).
_BARE_INITIALS = re.compile(
    rf"(?P<initials>(?:[A-Z] ){{1,3}})(?P<surname>{SURNAME})(?![\w'’.-])"
    r"(?=\s*(?:$|\d|#|\(\d|(?:No|no|Nr|nr)\.?\s*\d|,\s*(?:\d|#|(?:No|no)\.?\s*\d)))"
)


def _stopped(bare: re.Match[str]) -> str:
    return " ".join(f"{c}." for c in bare["initials"].split()) + " " + smart_title(bare["surname"])


def find_agents_after(cue: re.Pattern[str], line: str) -> Agents | None:
    for m in cue.finditer(line):
        several = INVERTED_LIST.match(line, m.end())  # "Leg.: SMITH, J. & JONES, K."
        if several:
            names = [
                f"{p.group('initials').strip()} {smart_title(p.group('surname'))}"
                for p in INVERTED_ONE.finditer(several.group("list"))
            ]
            return Agents(names, several.start(), several.end(), cued=True)
        inverted = INVERTED.match(line, m.end())  # "Coll.: FERNALD, M. L."
        if inverted:
            name = f"{inverted.group('initials').strip()} {smart_title(inverted.group('surname'))}"
            return Agents([name], inverted.start(), inverted.end(), cued=True)
        if (bare := _BARE_INITIALS.match(line, m.end())) and plausible([name := _stopped(bare)]):
            return Agents([name], bare.start(), bare.end(), cued=True)
        people = PEOPLE_AFTER_CUE.match(line, m.end())
        if people and _NAME_GOES_ON.match(line, people.end()):
            continue  # "Coll. HAROLD B. QUIMBY": a first name in capitals read alone; the name goes on unread
        if people:
            names = _without_trailing_affiliation(split_people(people.group("people")))
            if plausible(names):
                return Agents(names, people.start(), people.end(), cued=True)
    return None


def _without_trailing_affiliation(names: list[str]) -> list[str]:
    """The names before the last ones that are no one's (an institution or a place after the cued names: "Coll.
    A. Bell, Elmton College"); all of them when the first is no one's either."""
    keep = len(names)
    while keep > 1 and not plausible(names[keep - 1 : keep]):
        keep -= 1
    return names[:keep] if keep < len(names) and plausible(names[:keep]) else names


# Surnames alone before the cue after them: "Fernald leg.", "Smith & Jones, legit".
_SURNAMES_TRAILING_CUE = re.compile(rf"\W*(?P<people>{SURNAME}(?:{JOIN}{SURNAME}){{0,3}})(?={TRAILING_COLLECTOR_CUE.pattern})")


# The date between the cue and its "by": "Collected June 4, 1932 by J. Smith", "Coll. 12.V.1931, by K. Jones".
_DATE_THEN_BY = re.compile(
    r"(?<![\w])(?:collected|gathered|coll\.)\s+(?:on\s+)?(?P<date>[^;:]{4,30}?)(?:\s*,?\s+by\s+|(?P<comma>\s*[,;]\s*)(?=[A-Z]))",
    re.I,
)  # or its comma, then a person's whole name: "Coll. 12 June 1964, A. Bell"


def _collected_on_a_date_by(line: str) -> Agents | None:
    for m in _DATE_THEN_BY.finditer(line):
        if strip_dates(m["date"]).strip(" ,.") or not dates.find_dates(m["date"]):
            continue  # not a date alone: "Collected in a swamp by the road"
        people = (PEOPLE_STRICT_RE if m["comma"] else PEOPLE_AFTER_CUE).match(line, m.end())
        if people and not _NAME_GOES_ON.match(line, people.end()):
            names = split_people(people.group("people"))
            if plausible(names):
                return Agents(names, people.start(), people.end(), cued=True)
    return None


# the caption that says what the names before it on their line are: "N. L. BRITTON & ARTHUR HOLLICK COLLECTORS"
# (a pair printed one over the other beside a brace and the caption, read row by row: herbproc.ocr.stacked)
# (its doubled letters misread: "COLLEOTOR"); then at most a date
_CAPTION_LAST = re.compile(rf"[\s,;:}}\])|]*\b(?:(?=[A-Z]{{8}})|(?=[A-Z][a-z]{{7}}))(?i:{COLLECTOR_WORD})\b\W*")


# the collector's number printed before the names and their caption: "No. 2832 Dr. EDGAR A. MEARNS, Collector"
_NUMBER_FIRST = re.compile(r"^\W*(?:no\.?|n[°º]\.?|#)\s*\d{1,6}(?!\d|[.,]\d)[a-z]?[\s.,;:]*", re.I)


def _names_before_caption(line: str) -> Agents | None:
    m = next((c for c in _CAPTION_LAST.finditer(line) if not strip_dates(line[c.end() :]).strip(" .,;")), None)
    if m is None:
        return None
    number = _NUMBER_FIRST.match(line[: m.start()])
    skip = number.end() if number else 0
    if (whole := find_people_line(line[skip : m.start()])) is None:
        return None
    return Agents(whole.names, skip + whole.start, m.end(), cued=True)


_PARTICLES_ALONE = re.compile(rf"\W*(?P<people>{CAPS_PERSON_PARTICLES})\W*")


def find_people_by_caption(line: str) -> Agents | None:
    """A line of names beside a "COLLECTORS" caption, which is their cue: what :func:`find_people_line` reads,
    and a name in capitals with particles ("CARLOS DE LA TORRE"), which alone on a line may be a title, and is
    not where it names a place ("FLORE DU QUEBEC", "REPUBLICA DE CUBA")."""
    if (found := find_people_line(line)) is not None:
        return found
    m = _PARTICLES_ALONE.fullmatch(line)
    if m is None or find_states(line) or find_country(line):
        return None
    names = split_people(m.group("people"))
    return Agents(names, m.start("people"), m.end("people"), cued=True) if plausible(names) else None


def find_collectors(line: str) -> Agents | None:
    """Collectors after a cue ("Coll.", "leg.", "Collected by", "Collected June 4, 1932 by") or before one ("…,
    COLLECTOR", "ARTHUR HOLLICK COLLECTORS"), else a list of full names on the line."""
    cued = _collected_on_a_date_by(line) or find_agents_after(COLLECTOR_CUE, line)
    if cued:
        return cued
    if (captioned := _names_before_caption(line)) is not None:
        return captioned
    if _name_unread_after_cue(line):
        return None  # not its tail ("B. Quimby") either
    if (inverted := inverted_and_numbered(line) or comma_initials_numbered(line)) is not None:
        return inverted
    if DETERMINER_CUE.search(line) and not COLLECTED_AND_DETERMINED.search(line):
        return None  # a determiner's line; not "J. Smith, leg. & det."
    m = PEOPLE_STRICT_RE.search(line)
    numbered = find_numbered_surnames(line)
    if numbered is not None and (m is None or numbered.start < m.start("people")):
        return numbered  # "ROLAND M. HARPER 1234": the whole name, not "M. HARPER"
    if m:
        whole = find_people_line(line)
        if whole is not None and whole.start < m.start("people") and whole.end >= m.end("people"):
            return whole  # "ROLAND M. HARPER" alone on its line: the whole name, not "M. Harper"
        names = split_people(m.group("people"))
        if plausible(names):
            trailing = TRAILING_COLLECTOR_CUE.match(line, m.end())
            end = trailing.end() if trailing else m.end()  # "J. Smith leg. 1234": the number after the cue
            return Agents(names, m.start(), end, cued=trailing is not None)
    if numbered is None and (dated := _names_then_date(line)) is not None:
        return dated
    if numbered is None and (m := _SURNAMES_TRAILING_CUE.match(line)) is not None:
        names = split_people(m.group("people"))
        if plausible(names) and all(len(n) >= 3 for n in names):
            cue = TRAILING_COLLECTOR_CUE.match(line, m.end())
            return Agents(names, m.start("people"), cue.end() if cue else m.end(), cued=True)
    return numbered or numbered_after_quote(line)


def _names_then_date(line: str) -> Agents | None:
    """A line of names in capitals and the date after them, nothing else: "WALTER KIENER July 1, 1936"."""
    found = dates.find_dates(line)
    if len(found) != 1 or found[0].precision in ("year", "years") or line[found[0].end :].strip(" .,;"):
        return None
    head = line[: found[0].start].rstrip(" ,;")
    if not head.isupper() or find_states(head):
        return None  # (not "NEBRASKA" of a header's "NEBRASKA LICHENS")
    return find_people_line(head)


def find_determiners(line: str) -> Agents | None:
    collector_cues = {m.end() for m in COLLECTOR_CUE.finditer(line)}
    for m in DETERMINER_CUE.finditer(line):
        if m.start() in collector_cues and fold(m.group(0)).startswith("rev"):
            return None  # "Coll. Rev. A. Brown": a reverend after the collector cue, no revision
    return find_agents_after(DETERMINER_CUE, line)


# On a determination slip, a line that is a name and perhaps a year, initials' dots lost: "A Haines, 1944".
_SLIP_PERSON = re.compile(
    rf"^\W*(?P<who>(?:[A-Z][.,]?\s*){{1,3}}\s{SURNAME})\s*[.,]?\s*(?:[12]\d{{3}}\W*)?$"
)


def find_slip_person(line: str) -> Agents | None:
    m = _SLIP_PERSON.match(line)
    if not m:
        return None
    *initials, surname = re.findall(r"[A-Z][\w'’\-]*", m.group("who"))
    name = " ".join([*(f"{i}." for i in initials), smart_title(surname)])
    return Agents([name], m.start("who"), m.end("who"), cued=False) if plausible([name]) else None


def numbered_collectors(text: str) -> bool:
    """Names, then a number that is no year, and nothing but a date before them ("A. Bell 1234"): a collector and
    number without a cue, as they stand before a "det." on the same line."""
    found = find_collectors(text)
    if found is None or strip_dates(text[: found.start]).strip(" \t,;:.-"):
        return False
    number = find_record_number(text, after=found.end)
    return number is not None and number != "s.n." and not year_like(number)


# Another role's cue after the collector on one line: the herbarium the packet came from, the chemist
_OTHER_ROLE_CUE = re.compile(
    r"[\s,;]+(?:(?:ex\s+)?(?:hb|herb)\.|(?:ex\s+)?herbarium\b|tlc\b|chem(?:istry)?[.:]|distrib(?:uted)?\b|comm\.)",
    re.I,
)


def before_other_role(line: str) -> str:
    """What stands before another role's cue when it is a collector and number or cued collectors ("A. Bell 1234
    TLC: C. Dunn" → "A. Bell 1234"), else the line."""
    m = _OTHER_ROLE_CUE.search(line)
    if m is None or m.start() == 0:
        return line
    head = line[: m.start()]
    return head if has_collector_cue(head) or numbered_collectors(head) else line
