"""A herbarium's list of collectors as a prior for ``recordedBy``: a collector read with a slip or two is written as
the list writes them, and a collector the rules did not find on the label is found by a name the list holds.

Herbaria keep such lists (an index of botanists, the ``recordedBy`` of the records already transcribed); a
collector's name is read at thumbnail sizes with a letter or two wrong ("Usa A Standey" for "Lisa A. Standley"),
and a name alone, without a cue or a number, is not one the rules take. A name is compared with the list in two
forms, its initials and surname ("la standley") and its given names and surname ("lisa a standley"); a reading
takes a listed name only when it is close to it (``MIN_SIMILARITY``), its surname too (``MIN_SURNAME``), and no
other listed person comes close (``MARGIN``). A collector read that fits no listed name stays as it was read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rapidfuzz import fuzz, process

from herbproc.fields.label import Field
from herbproc.fields.people import AGENT_SEPARATOR
from herbproc.fields.people_names import NEVER_SURNAMES, NON_PERSON_WORDS
from herbproc.fields.text import fold

MIN_SIMILARITY = 0.85  # a reading and a listed name: the better of the two forms
MIN_SURNAME = 0.8  # ... and the surnames alone
# ... and the given names: "Tilton Davis" is not "Camden Davis", though "t davis" is near "c davis"
MIN_GIVEN = 0.5
MARGIN = 0.08  # the best listed person ahead of the next by this
RIVAL_SURNAME = 0.6  # people whose surnames are further apart than this are never as close as MARGIN
MAX_GIVEN = 3  # words before a surname in a name searched for on a line ("Lisa A.", "Bro. Alain H.")

# a list entry of several people: "A. Smith | B. Jones", "A. Smith; B. Jones", "A. Smith & B. Jones",
# "A. Smith and B. Jones", "A. Smith, B. Jones" (a comma before a surname-first name's initials is kept)
_SPLIT = re.compile(
    r"(\s*(?:\||;|&|(?i:\band\b|\bet\b|\bwith\b)"
    r"|,(?!\s*(?:(?:[A-Z]\.\s*)+|(?i:jr|sr)\.?|(?:II|III|IV)\b)\s*(?:$|[,;|&])))\s*)"
)  # captured: a part of titles alone keeps its separator ("Dr. & Mrs. J. A. Smith")
# where a second person's initials follow a first person's surname: "Stewardson Brown N. L. Britton"
_SECOND_PERSON = re.compile(r"(?<=[^\W\d_]{3})\s+(?=(?:[A-Z]\.\s*){1,3}[A-Z][^\W\d_]+)")
# a first person of initials and a surname, and a second of a given name and a surname: "N. L. BRITTON ARTHUR
# HOLLICK" (not "F. De La Rosa": a surname's particle is neither)
_INITIALS_THEN_NAMED = re.compile(
    r"(?P<first>(?:[A-Z]\.\s*){1,3}(?P<surname>[A-Z][^\W\d_]{2,}))\s+(?P<second>(?P<given>[A-Z][^\W\d_]{2,})\s+[A-Z][^\W\d_]{2,})"
)
_PARTICLES = frozenset({"da", "das", "de", "del", "della", "der", "den", "di", "do", "dos", "du", "la", "le", "st", "ste",
                        "ten", "ter", "van", "von"})  # fmt: skip
_INITIALS_ONLY = re.compile(r"(?:[^\W\d_]\.\s*){1,4}")
_GLUED_INITIAL = re.compile(r"(?<=[a-z]{2})(?=[A-Z]\.)")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_TITLES = frozenset({"bro", "dr", "prof", "rev", "fr", "mr", "mrs", "miss", "hno", "hna"})
_JOINING = frozenset({"and", "et", "und"})  # "Mr. and Mrs. R. Jones": no given name
# letters after a name's comma that are a society's or a degree's, not given names: "F. D. Godman, F.R.S."
# ("Smith, M. D." is M. D. Smith: two initials are no degree here)
_HONOURS = re.compile(r",\s*(?:(?:F\.?\s*[LRZ]\.?\s*S|Ph\.?\s*D|D\.?\s*Sc)\.?\s*)+$", re.IGNORECASE)
# given names written short with a dot, as old labels do ("Chas. Wright", "Geo. R. Lyman"); any other word of
# three letters and a dot after a given name ends the name: "G. W. Smith. Comm. F. D. Godman" is G. W. Smith's
_GIVEN_SHORT = frozenset(
    {"alex", "benj", "chas", "danl", "edw", "eliz", "fred", "geo", "jas", "jno", "jos", "margt", "richd", "robt",
     "saml", "thos", "wm", "wilh"}
)  # fmt: skip
_ADDRESS = re.compile(
    r"@|\bhttps?:|\bwww\.|\.(?:com|org|net|edu)\b", re.IGNORECASE
)  # an e-mail or a web site
_NAME_WORD = re.compile(r"[^\s.,]+\.?")
# words on a line that make a name on it a determiner's, or not a person at all
_NOT_COLLECTOR_LINE = re.compile(
    r"\b(?:det|dets|determ\w*|identif\w*|conf|rev|revid\w*|annot\w*|fide|ex\s+herb)\b"
)


@dataclass(frozen=True)
class Person:
    text: str  # as the list writes them
    surname: str  # folded letters
    initials: str  # of the given names, folded
    given: str  # the given names' letters, folded ("lisaa")
    form: str  # per given name, "i" an initial, "w" a word: "Lisa A. Standley" is "wi", "L. A. Standley" "ii"

    @property
    def short(self) -> str:
        return f"{self.initials} {self.surname}"

    @property
    def full(self) -> str:
        return f"{self.given} {self.surname}"


def _letters(word: str) -> str:
    return "".join(ch for ch in fold(word) if ch.isalpha())


def person(text: str) -> Person | None:
    """One person as a list or a reading writes them ("Lisa A. Standley", "L.A. Standley", "Standley, L. A.",
    "Elbert L. Little, Jr."); None without a surname of two letters or more and a given name or initial, or for
    an e-mail or web address (an observer's, in a download)."""
    if _ADDRESS.search(text):
        return None
    text = _HONOURS.sub("", " ".join(text.split()).strip(" ,;"))
    text = written = re.sub(r"(?<=[^\W\d_]{3})\.$", "", _without_remark(text))
    text = _GLUED_INITIAL.sub(" ", text)  # "DavidA. Lovejoy": the space before an initial not read
    if "," in text:
        head, _, tail = text.partition(",")
        if _letters(tail) and _letters(tail) not in _SUFFIXES:  # "Standley, L. A.": the surname first
            text = f"{tail.strip()} {head.strip()}"
    words = [w for w in re.split(r"[\s.]+|(?<=\.)", text) if _letters(w)]
    words = [w for w in words if _letters(w) not in _SUFFIXES]
    if len(words) < 2:
        return None
    surname = _letters(words[-1])
    given = [_letters(w) for w in words[:-1] if _letters(w) not in _TITLES and _letters(w) not in _JOINING]
    if len(surname) < 2 or not given:
        return None
    form = "".join("i" if len(g) == 1 else "w" for g in given)
    return Person(written, surname, "".join(g[0] for g in given), "".join(given), form)


def _without_remark(text: str) -> str:
    """``text`` up to a surname written with a dot and followed by more ("G. W. SMITH. COMM. F. D. GODMAN" is "G. W.
    SMITH"): a given name's short form ("Chas.", ``_GIVEN_SHORT``) or a title goes on to the surname."""
    named = 0
    for word in _NAME_WORD.finditer(text):
        letters = _letters(word.group())
        if not letters or letters in _TITLES:
            continue
        if named and word.group().endswith(".") and len(letters) >= 3 and letters not in _GIVEN_SHORT:
            if text[word.end() :].strip(" ,;"):
                return text[: word.end() - 1]
        named += 1
    return text


def people(entry: str) -> list[Person]:
    """The people of one list entry or ``recordedBy`` value (several joined by ``|``, ``;``, ``&``, ``and``);
    initials alone share the surname of the person after them ("R. A. & E. S. Howard")."""
    parts = [two for part in _titles_joined(_SPLIT.split(entry)) for two in _one_or_two(part)]
    found = [person(part) for part in parts]
    for i in range(len(parts) - 2, -1, -1):
        after = found[i + 1]
        if found[i] is None and after is not None and _INITIALS_ONLY.fullmatch(parts[i]):
            found[i] = person(f"{parts[i]} {after.text.split()[-1]}")
    return [p for p in found if p is not None]


def _titles_joined(split: list[str]) -> list[str]:
    """The parts of an entry split at its separators (captured, at odd places), a part of titles alone joined to
    the next as written: "Dr. & Mrs. J. A. Smith" is one part."""
    parts: list[str] = []
    carried = ""
    for i in range(0, len(split), 2):
        part = split[i].strip()
        words = [_letters(w) for w in re.split(r"[\s.]+", part) if _letters(w)]
        if words and all(w in _TITLES for w in words) and i + 2 < len(split):
            carried += part + split[i + 1]
        elif part:
            parts.append(carried + part)
            carried = ""
    return parts


def _one_or_two(part: str) -> list[str]:
    """``part`` as two people where it is two names of two words or more one after the other ("Stewardson
    Brown N. L. Britton", not "Lisa A. Standley")."""
    for at in _SECOND_PERSON.finditer(part):
        first, second = part[: at.start()], part[at.end() :]
        named = [w for w in re.split(r"[\s.]+", first) if w]  # "J.W.Thomson J.A. Larsen": three, though glued
        if len(named) >= 2 and person(first) is not None and person(second) is not None:
            return [first, second]
    two = _INITIALS_THEN_NAMED.fullmatch(part)
    if two and not {_letters(two["surname"]), _letters(two["given"])} & _PARTICLES:
        return [two["first"], two["second"]]
    return [part]


def similarity(a: Person, b: Person) -> tuple[float, float, float]:
    """(the better of the short and full forms' similarities, the surnames' similarity, the given names'), each
    0–1."""
    whole = max(fuzz.ratio(a.short, b.short), fuzz.ratio(a.full, b.full)) / 100.0
    return whole, fuzz.ratio(a.surname, b.surname) / 100.0, fuzz.ratio(a.given, b.given) / 100.0


def same_person(a: Person, b: Person) -> bool:
    """One surname, and initials one of which begins the other ("J. Higgins", "James Higgins", "James E. Higgins"):
    a list may write a person more than one way."""
    return a.surname == b.surname and (a.initials.startswith(b.initials) or b.initials.startswith(a.initials))


class CollectorIndex:
    """The listed people, one entry per line of a file or per value given (several people to an entry allowed),
    each person once."""

    def __init__(self, entries: Iterable[str]):
        seen: dict[tuple[str, str, str], Person] = {}
        for entry in entries:
            for p in people(entry):
                seen.setdefault((p.initials, p.given, p.surname), p)
        self.people = list(seen.values())
        self._by_surname: dict[str, list[Person]] = {}
        for p in self.people:
            self._by_surname.setdefault(p.surname, []).append(p)
        self._surnames = list(self._by_surname)

    @classmethod
    def from_file(cls, path: str | Path) -> CollectorIndex:
        """One entry per line (UTF-8); blank lines and lines starting with ``#`` skipped. ValueError when the file
        is not text or names nobody."""
        path = Path(path).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"{path}: not UTF-8 text (one collector per line)") from None
        index = cls(line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
        if not index.people:
            raise ValueError(f"{path}: no collector in it (one name per line, e.g. 'Lisa A. Standley')")
        return index

    def __len__(self) -> int:
        return len(self.people)

    def best(self, reading: Person) -> tuple[Person, float] | None:
        """The listed person ``reading`` stands for, as the list writes them in the reading's form (initials or
        given names: "J. J. Carter" is not written "Jack Carter"), and the similarity; None when none is close
        enough, or another person is about as close."""
        near = process.extract(
            reading.surname, self._surnames, scorer=fuzz.ratio, score_cutoff=100 * RIVAL_SURNAME, limit=None
        )  # a list of thousands: only the people whose surname is near are compared whole
        candidates = (p for surname, _, _ in near for p in self._by_surname[surname])
        scored = sorted(((*similarity(reading, p), p) for p in candidates), key=lambda s: -s[0])
        found_at = next((s for s in scored if s[3].form == reading.form), None)
        if found_at is None:
            return None
        whole, surname, given, found = found_at
        if whole < MIN_SIMILARITY or surname < MIN_SURNAME or given < MIN_GIVEN:
            return None
        if len(found.surname) < 3 and found.surname != reading.surname:  # "Li" read "Lu" is a letter in two
            return None
        runner_up = next((s[0] for s in scored[1:] if not same_person(s[3], found)), 0.0)
        return (found, whole) if whole - runner_up >= MARGIN else None


FOUND = "list"  # recordedBy found on the label by a listed name (its confidence: the similarity)
RESPELT = "label+list"  # recordedBy read on the label, a person of it written as the list writes them


def apply_collectors(
    fields: dict[str, Field], texts: Sequence[str], collectors: CollectorIndex | None, find: bool = True
) -> str:
    """``recordedBy`` against the list, in place: each person read written as the list writes them where one
    listed person fits (``CollectorIndex.best``); without a collector and with ``find``, the listed people named
    on one line that is not the taxon's or a determiner's (the confidence is their similarity). ``find`` is
    False where the rules read a collector that was then left out as unsure (``ocr.min_field_probability``): the
    line they read it on is no better read for the list. Returns what the list did: ``FOUND``, ``RESPELT`` or
    "" (nothing)."""
    if collectors is None or not len(collectors):
        return ""
    found = fields.get("recordedBy")
    if found is not None:
        agents = [a.strip() for a in found.value.split(AGENT_SEPARATOR.strip()) if a.strip()]
        listed = AGENT_SEPARATOR.join(_as_listed(a, collectors) for a in agents)
        if listed == AGENT_SEPARATOR.join(agents):
            return ""
        fields["recordedBy"] = replace(found, value=listed)
        return RESPELT
    if not find:
        return ""
    taken = _lines_of_other_fields(fields)
    best: tuple[float, int, list[Person]] | None = None
    for i, text in enumerate(texts):
        if i in taken or _NOT_COLLECTOR_LINE.search(fold(text)):
            continue
        named = _listed_on(text, collectors)
        if named and (best is None or max(s for _, s in named) > best[0]):
            best = (max(s for _, s in named), i, [p for p, _ in named])
    if best is not None:
        score, line, named_people = best
        fields["recordedBy"] = Field(
            AGENT_SEPARATOR.join(p.text for p in named_people), round(score, 4), line
        )
        return FOUND
    return ""


def _as_listed(agent: str, collectors: CollectorIndex) -> str:
    """``agent`` as the list writes the person it stands for where its letters differ from theirs (a misreading);
    as it is where they do not (the label's own capitals and spacing) or where nobody on the list fits."""
    read = person(agent)
    match = collectors.best(read) if read is not None else None
    if read is None or match is None or (match[0].given, match[0].surname) == (read.given, read.surname):
        return agent
    return match[0].text


def _lines_of_other_fields(fields: Mapping[str, Field]) -> set[int]:
    """The lines that give the taxon or a determiner: a listed collector's name there is an author's or a
    determiner's."""
    terms = ("scientificName", "scientificNameAuthorship", "family", "identifiedBy", "dateIdentified")
    return {f.line for t in terms if (f := fields.get(t)) is not None and f.line is not None}


_WORD = re.compile(r"[^\W\d_][^\s,;:()]*")
_ACROSS = re.compile(r"[;:()\d]")  # a name searched for does not run across these
# no given name: place and institution words ("Flora Project", "Grand Forest"); a surname may be one ("Forest")
_NOT_GIVEN = NON_PERSON_WORDS | NEVER_SURNAMES


def _listed_on(text: str, collectors: CollectorIndex) -> list[tuple[Person, float]]:
    """The listed people named on ``text``, in order, without overlaps: spans of one to ``MAX_GIVEN`` given
    words or initials and a capitalised surname, the best span first."""
    words = list(_WORD.finditer(text))
    spans = []
    for end, last in enumerate(words):
        if not last.group()[0].isupper() or len(_letters(last.group())) < 2:
            continue
        for start in range(max(0, end - MAX_GIVEN), end):
            given = words[start:end]
            if not all(w.group()[0].isupper() and _letters(w.group()) not in _NOT_GIVEN for w in given):
                continue
            span = text[words[start].start() : last.end()]
            if _ACROSS.search(span):
                continue
            read = person(span.replace(",", " "))  # "A. J, Sharp": a dot read as a comma
            match = collectors.best(read) if read is not None else None
            if match is not None:
                spans.append((match[1], start, end, match[0]))
    spans.sort(key=lambda s: (-s[0], s[1]))
    chosen: list[tuple[float, int, int, Person]] = []
    for span in spans:
        if all(span[2] < c[1] or span[1] > c[2] for c in chosen) and all(span[3] != c[3] for c in chosen):
            chosen.append(span)
    return [(p, score) for score, _, _, p in sorted(chosen, key=lambda c: c[1])]
