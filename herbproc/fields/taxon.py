"""Taxon names read from label text, matched against the run's taxonomy and fused with the image classifier.

``TaxonIndex(names)`` holds the taxonomy. ``TaxonIndex.match(lines)`` compares the text with it (rapidfuzz
``ratio``, i.e. normalised Indel similarity in [0, 1]) in two ways: windows anchored on words that look like a
known genus (genus + epithet, + rank + infraspecific epithet when a rank marker follows within a few words, so
authorship between them is skipped), and whole lines against names with and without authorship.

``resolve_taxon`` turns similarities into an OCR likelihood over the candidates plus a "none of these" outcome,

    L(c) ∝ exp(s_c / T),   L(none) ∝ exp(s_none / T)

and, with an image prior π (the classifier's top-k probabilities), picks the argmax of

    P(c) ∝ L(c) · π(c)^w,   P(none) ∝ L(none) · π(none)^w,   π(none) = 1 − Σ_candidates π(c)

where a candidate outside the prior's top-k gets π = floor (never above the smallest top-k probability).

With ``label_evidence`` the rest of the label votes among the candidates before the fusion
(``TaxonIndex.label_evidence``): a listed authorship or the genus's family read on the label is worth
``AUTHOR_EVIDENCE`` / ``FAMILY_EVIDENCE`` in score over a candidate without it (differences only).

``resolve_partial`` is the second try, with an image prior, when no whole name reads well enough: the names the
text supports in part are a word that reads as a genus of the taxonomy or as an epithet ("Viburnum" + an
illegible epithet supports every *Viburnum*; "Viharmm lentago" the names whose epithet is *lentago*; each scored
by its genus and epithet read word by word, weighted by their lengths) and whole names read weakly (similarity
from ``PARTIAL_WEAK``). They enter a softer likelihood (``PARTIAL_TEMPERATURE``) against "none of these" at
``PARTIAL_NONE``, so that among names the text cannot tell apart the prior decides, while what the text does say
still counts, and a prior whose favourite the text does not support leaves the name empty.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz, process

from herbproc.fields.names import HEADER_WORDS, HYBRID_SIGNS, ParsedName, parse_name
from herbproc.fields.text import fold

# One letter off in "Carex crinita Lam." (s ≈ 0.94) is ~50× less likely than the exact reading; one letter off
# in a bare binomial (s ≈ 0.92) ~170×.
TEMPERATURE = 0.015
NONE_SIMILARITY = 0.80  # a candidate must read at least about this well to beat "none of these" (hespi: 0.8)
PRIOR_FLOOR = 0.05
GENUS_CUTOFF = 65.0  # rapidfuzz ratio (0–100) for a word to be tried as a genus
INFRA_PENALTY = 0.05  # a species read while the text goes on with "var. x": prefer the variety where listed
GENUS_ONLY_PENALTY = 0.10  # a genus read while the text goes on with an epithet: prefer a species reading
# A name inside a sentence ("With Quercus rubra, …") is more often an associated species than the label's own.
NOT_LINE_START = 0.02
# Names nearer the top of the label are more often the specimen's own.
PER_LINE = 0.005
MAX_LINE_PENALTY = 0.03
# A name cited in brackets or after "=" on a line of its own is a synonym of the label's name ("Acarospora
# chlorophana (Wahlb.) Mass." / "(Acarospora flava (Bell.) Trev.)"), not the specimen's name.
SYNONYM = 0.10
# A name the label cites as a synonym is superseded on this sheet: its clean readings elsewhere (the original
# label's name, where an annotation reads "Bryoria trichodes (= Alectoria americana)") weigh as a synonym's too.
SYNONYM_CITED = 0.85  # how well a name must read on a synonym line to count as cited
_SYNONYM_LINE = re.compile(r"^\s*(?:\(.*\)[\s.,;]*|\(?\s*=.*)$")
SKIPPED_WORD = 0.05  # per word of OCR debris skipped between the genus and its epithet ("Cetraria e Gyis laevigata")
SKIPPABLE = 2  # at most this many debris words are skipped
NEXT_LINE = 0.03  # an epithet read from the start of the next line (the name broken over two lines)
# a genus the reader cut in two lines, its tail opening the epithet's line in lower case ("Adtin" / "yra
# muhlenbergii"): read joined, as a name broken over two lines is
_GENUS_HEAD = re.compile(r"^\s*[A-Z][a-z]{2,}\s*$")
_GENUS_TAIL = re.compile(r"^\s*[a-z]{2,}\s+[a-zA-Z]")
# an epithet read from a line above the genus alone on its line (the reader took the lines out of order:
# "muricatum" / "(Ach.) Laundon" / "Coelocaulon"), an authorship line between them skipped as a word
ABOVE_LINE = 0.05
RANK_WINDOW = 6  # words of authorship allowed between the epithet and a rank marker
# Partial evidence (resolve_partial): a word must read this well as a genus (of at least PARTIAL_MIN_LETTERS
# letters) or as an epithet to support a name; the word-by-word score of a supported name enters a softmax of
# temperature PARTIAL_TEMPERATURE against "none of these" at PARTIAL_NONE; whole names read at PARTIAL_WEAK or
# better are candidates too. Chosen on degraded synthetic sheets of seed 1 (docs/ocr.md), reported on seed 0.
PARTIAL_WORD = 0.8
PARTIAL_MIN_LETTERS = 5
PARTIAL_WEAK = 0.55
PARTIAL_TEMPERATURE = 0.065
PARTIAL_NONE = 0.5
# Whole-label evidence (resolve_taxon(label_evidence=True), ocr.label_evidence): a candidate whose listed
# authorship is read on the label (a window of words at AUTHOR_MATCH: anywhere when it has AUTHOR_MIN_LETTERS
# letters, else after the first word of the candidate's own line or starting the next, exactly when it has at
# most 2 letters) or whose genus's family is (FAMILY_MATCH, one word) is AUTHOR_EVIDENCE / FAMILY_EVIDENCE
# (similarity units) better off than a candidate without that evidence. Only the differences count: the
# best-supported candidates keep their scores, the others lose the difference, so evidence every candidate shares
# changes nothing and none of it lifts a name over "none of these". Chosen on synthetic sheets (seeds 1 and 3),
# reported on seed 2 and the real sheets (docs/benchmarks.md).
AUTHOR_EVIDENCE = 0.03
FAMILY_EVIDENCE = 0.03
# A later determination is the current name: a candidate read on a determination slip (its line or the one above
# or below holds a determiner's cue, "det.", "Determined by", "conf.", or a slip's header) is SLIP_EVIDENCE better
# off than one read elsewhere, which decides between the label's original name and a slip's that read equally well.
SLIP_EVIDENCE = 0.03
_SLIP_CUE = re.compile(
    r"(?<![\w])(?:det|determ|ident|conf|annot|rev|vid)\.|(?<![\w])(?:determined|identified|confirmed|annotated|"
    r"revised|verified)\s+by\b|(?<![\w])(?:determination|annotation)\b",
    re.I,
)
# ... or an annotation slip without a cue, as herbaria print them for a revision: the institution's name, the name
# under it, then the reviser and the year ("Field Museum of Natural History" / "Asplenium rhizophyllum L." /
# "Gayle S. Tonkovich" / "March 2006"); a collection's header ("Herbarium of the University of Elmton", "Plants
# of Elmton") heads a label, not a slip
SLIP_INSTITUTION = re.compile(
    r"\b(?:museum|mus[eé]e|museo|herbarium|herbaria|herbier|herbario|garden|jard[ií]n|univ|university|universidad|"
    r"universit[ée]|institute|instituto)\b",
    re.I,
)
COLLECTION_HEADER = re.compile(r"^\W*(?:herbarium|herbier|herbario|plants?|flora|plantae)\s+(?:of|de|du)\b", re.I)
_SLIP_YEAR = re.compile(r"(?<!\d)(?:1[89]\d\d|20\d\d)(?!\d)")
# a candidate's epithet counts as read where it is this similar (rapidfuzz partial_ratio) to part of the text
# around its genus read alone, and is then this better off than its congeners (similarity units, as the others)
EPITHET_READ = 0.7
EPITHET_EVIDENCE = 0.03
AUTHOR_MATCH = 0.7
AUTHOR_MIN_LETTERS = 6
FAMILY_MATCH = 0.85
MAX_LINE_CHARS = 160  # longer lines are not compared whole (they are sentences, not names)
SIMILARITIES = ("plain", "confusion")  # how a reading is compared with a name (see ConfusionCosts)
CONFUSIONS = Path(__file__).with_name("data") / "ocr_confusions.json"

_RANK_WORDS = {"var": "var", "variety": "var", "v": "var", "subsp": "subsp", "ssp": "subsp", "f": "f",
               "fo": "f", "forma": "f", "subvar": "subvar", "subf": "subf"}  # fmt: skip
_QUALIFIER_WORDS = {"cf", "cfr", "aff", "nr"}  # names.QUALIFIERS, squashed
# a line opening with a rank's word ("var. scaberulum") goes on from the name above it (``_match_anchored`` reads
# the two together); read whole, its rank word would stand for a genus ("var. scaberclum" → Cardus scaberulum).
# Not the one-letter "v." and "f.": a genus abbreviated ("V. opulus L.") opens a line as they do
_RANK_OPENINGS = frozenset(w for w in _RANK_WORDS if len(w) > 1)
_NON_WORD = re.compile(r"[^0-9a-z]+")
_Offer = Callable[[int, float, int, float], None]  # (name index, similarity, line, penalty)
_Similarity = Callable[[str, str], float] | None  # (name key, text) → similarity in [0, 1]


# "(Ach.) Laundon", "Rass,": an authorship opening its line, or an abbreviated one alone on it
_AUTHORSHIP_LINE = re.compile(r"^\s*(?:\(|[A-Z][a-z]{0,7}[.,]\s*$)")
_EPITHET_ALONE = re.compile(r"^\W*(?P<epithet>[a-z]{4,})\W*$")


def _epithet_above(lines: Sequence[object], line_no: int) -> tuple[str, int] | None:
    """(the epithet, the authorship lines skipped) when a lower-case word alone stands on the line above
    ``line_no``, or above one authorship line right above it."""
    k, skipped = line_no - 1, 0
    if k >= 0 and isinstance(lines[k], str) and _AUTHORSHIP_LINE.match(lines[k]):
        k, skipped = k - 1, 1
    if k < 0 or not isinstance(lines[k], str) or (m := _EPITHET_ALONE.match(lines[k])) is None:
        return None
    return m["epithet"], skipped


def squash(text: str) -> str:
    """Matching form: accents folded, lower case, punctuation → spaces, rank words normalised, × dropped."""
    words = _NON_WORD.sub(" ", fold(text)).split()
    return " ".join(_RANK_WORDS.get(w, w) for w in words if w not in HYBRID_SIGNS and w != "×")


class ConfusionCosts:
    """A weighted Indel similarity that knows how the reader fails: the edit distance between a reading and a
    name where a substitution costs 2 and an insertion or deletion 1 (rapidfuzz ``ratio``'s Indel distance),
    each scaled by the confusion table's cost (a common confusion such as ``u→n`` or a dropped space costs less
    than 1; anything not in the table costs 1), and the similarity ``1 − distance / (len(a) + len(b))``. With
    an empty table it is exactly ``fuzz.ratio / 100``; with any table it is never below it."""

    def __init__(self, costs: Mapping[str, float]):
        self.sub: dict[tuple[str, str], float] = {}
        self.dele: dict[str, float] = {}
        self.ins: dict[str, float] = {}
        for key, cost in costs.items():
            a, _, b = key.partition(">")
            cost = min(1.0, max(0.0, float(cost)))
            if a and b:
                self.sub[a, b] = cost
            elif a:
                self.dele[a] = cost
            elif b:
                self.ins[b] = cost
        self.similarity = functools.lru_cache(maxsize=200_000)(self._similarity)

    def closest(self, reading: str, keys: Iterable[str], at: float, margin: float) -> tuple[str | None, float]:
        """(the one of ``keys`` that ``reading`` is at least ``at`` similar to and ``margin`` more similar than to
        any other key, else None; the best similarity): a misread word matched to a closed list of names."""
        ranked = sorted(((self.similarity(k, reading), k) for k in keys), reverse=True)
        if not ranked:
            return None, 0.0
        best, key = ranked[0]
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        return (key if best >= at and best - second >= margin else None), best

    def _similarity(self, truth: str, reading: str) -> float:
        """Similarity in [0, 1] of ``reading`` (OCR text) to ``truth`` (a name's key)."""
        n, m = len(truth), len(reading)
        if not n + m:
            return 1.0
        return max(0.0, 1.0 - self.distance(truth, reading) / (n + m))

    def distance(self, truth: str, reading: str, substitution: float = 2.0) -> float:
        """The weighted edit distance from ``truth`` to ``reading``: a substitution costs ``substitution`` (2,
        Indel; 1, Levenshtein) times its table cost, an insertion or deletion its table cost."""
        n, m = len(truth), len(reading)
        dele, ins, sub = self.dele, self.ins, self.sub
        prev = [0.0] * (m + 1)
        for j in range(1, m + 1):
            prev[j] = prev[j - 1] + ins.get(reading[j - 1], 1.0)
        for i in range(1, n + 1):
            a = truth[i - 1]
            da = dele.get(a, 1.0)
            cur = [prev[0] + da] + [0.0] * m
            for j in range(1, m + 1):
                b = reading[j - 1]
                best = prev[j - 1] if a == b else prev[j - 1] + substitution * sub.get((a, b), 1.0)
                best = min(best, prev[j] + da, cur[j - 1] + ins.get(b, 1.0))
                cur[j] = best
            prev = cur
        return prev[m]


@functools.lru_cache(maxsize=4)
def load_confusions(path: str | Path = CONFUSIONS) -> dict:
    """The reader's confusion table and the taxon-confidence calibration (written by bench/confusions.py)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data.get("costs"), dict):
        raise ValueError(f"{path}: no 'costs' table")
    return data


@functools.lru_cache(maxsize=4)
def confusion_costs(path: str | Path = CONFUSIONS) -> ConfusionCosts:
    return ConfusionCosts(load_confusions(path)["costs"])


def calibrated(margin: float, none_margin: float = 1.0, calibration: Mapping[str, float] | None = None) -> float:
    """The probability that the best candidate is right, from its ``margin`` over the other names and its
    ``none_margin`` over "none of these" (``TaxonResolution``): ``sigmoid(a · margin) · sigmoid(c · none_margin
    + d)`` with ``a``, ``c``, ``d`` fitted on synthetic sheets (bench/confusions.py calibrate). Monotone in each
    margin, in [0, 1], and at most 0.5 when two names read equally well."""
    if calibration is None:
        calibration = load_confusions()["calibration"]["plain"]
    a, c, d = (float(calibration.get(k, 0.0)) for k in ("a", "c", "d"))
    return _sigmoid(a * margin) * _sigmoid(c * none_margin + d)


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


@dataclass(frozen=True)
class Candidate:
    name: str  # the taxonomy's name, as given (with authorship where the taxonomy has it)
    similarity: float  # string similarity in [0, 1] of its best reading
    line: int | None  # index of the line it was read from
    score: float  # similarity less the position and extent penalties: what the likelihood uses


@dataclass(frozen=True)
class TaxonCandidate:
    name: str
    similarity: float
    ocr_probability: float
    prior_probability: float | None  # None without a prior
    probability: float  # after fusion
    line: int | None


@dataclass(frozen=True)
class TaxonResolution:
    name: str | None  # None: nothing in the taxonomy reads well enough
    confidence: float  # posterior probability of ``name`` (of the best candidate when ``name`` is None)
    candidates: list[TaxonCandidate] = field(default_factory=list)
    none_probability: float = 1.0
    line: int | None = None
    evidence: str = "label"  # label (a whole name read) | partial (a genus or an epithet read) | image
    # log-odds of the best candidate against the other names together, and against "none of these", in
    # similarity units (temperature · log ratio, clipped to ±1): what the calibration maps to a probability
    margin: float = 0.0
    none_margin: float = 0.0


def _penalised(offer: _Offer, penalty: float) -> _Offer:
    """``offer`` with ``penalty`` more on every reading it is given."""

    def offered(i: int, similarity: float, line: int, more: float) -> None:
        offer(i, similarity, line, more + penalty)

    return offered


class TaxonIndex:
    """The run's taxonomy: scientific names, with or without authorship, or a file of them (one per line)."""

    def __init__(self, names: Iterable[str] | str | Path, families: Mapping[str, str] | None = None):
        """``families``: genus → family, where known (the manifest's columns), for ``label_evidence``."""
        if isinstance(names, (str, Path)):
            names = _read_names_file(Path(names))
        self.names: list[str] = []
        self.parsed: list[ParsedName] = []
        self.skipped: list[str] = []  # entries that are not a parseable name ("Unknown", "123")
        self._by_key: dict[str, int] = {}
        other_authorships: dict[int, list[str]] = {}  # the same taxon listed again with another authorship
        for raw in names:
            if not isinstance(raw, str):
                raise TypeError(f"taxon names must be strings, got {type(raw).__name__}: {raw!r}")
            name = " ".join(raw.split())
            parsed = parse_name(name)
            if not name or parsed is None:
                if name:
                    self.skipped.append(name)
                continue
            key = squash(parsed.canonical)
            if key in self._by_key:
                # same taxon listed twice (perhaps with another authorship): keep the first, unless only the
                # first is qualified ("Carex cf. alba" then "Carex alba L.": the list's name for the taxon)
                k = self._by_key[key]
                other_authorships.setdefault(k, []).append(parsed.authorship)
                if self.parsed[k].qualifier and not parsed.qualifier:
                    self.names[k], self.parsed[k] = name, parsed
                continue
            self._by_key[key] = len(self.names)
            self.names.append(name)
            self.parsed.append(parsed)
        self.canonical_keys = [squash(p.canonical) for p in self.parsed]
        self.full_keys = [squash(n) for n in self.names]
        self._genus_members: dict[str, list[int]] = {}
        for i, p in enumerate(self.parsed):
            self._genus_members.setdefault(squash(p.genus), []).append(i)
        self._genera = list(self._genus_members)
        self._epithet_members: dict[str, list[int]] = {}  # species (not their varieties) by epithet
        for i, p in enumerate(self.parsed):
            if p.specific_epithet and not p.infraspecific_rank:
                self._epithet_members.setdefault(squash(p.specific_epithet), []).append(i)
        self._epithets = list(self._epithet_members)
        self.families = {squash(g): squash(f) for g, f in (families or {}).items() if squash(g) and squash(f)}
        # a name's authorships as read: its own, the ones it is listed with again ("Rass." and "Rassad."), and,
        # below the species, the species' ("L." of an autonym)
        self.author_keys = [
            tuple(dict.fromkeys(
                k for k in (_compact(p.authorship), *map(_compact, other_authorships.get(i, [])),
                            _compact(p.species_authorship)) if k
            ))  # fmt: skip
            for i, p in enumerate(self.parsed)
        ]

    def __len__(self) -> int:
        return len(self.names)

    @property
    def genera(self) -> frozenset[str]:
        """The taxonomy's genera in matching form (:func:`squash`)."""
        return frozenset(self._genus_members)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.lookup(name) is not None

    def lookup(self, name: str) -> str | None:
        """The taxonomy's spelling of ``name`` (authorship and case ignored), or None."""
        i = self._position(name)
        return None if i is None else self.names[i]

    def parsed_name(self, name: str) -> ParsedName | None:
        i = self._position(name)
        return None if i is None else self.parsed[i]

    def _position(self, name: object) -> int | None:
        if not isinstance(name, str):
            return None
        name = " ".join(name.split())
        parsed = parse_name(name) or parse_name(name.capitalize())  # "carex CRINITA" → "Carex crinita"
        return None if parsed is None else self._by_key.get(squash(parsed.canonical))

    def match(self, lines: Iterable[object], limit: int = 10, similarity: str = "plain") -> list[Candidate]:
        """The taxonomy's names that the text reads as, best first (one entry per name, its best reading);
        ``similarity``: plain (rapidfuzz ``ratio``) or confusion (``ConfusionCosts``, the reader's confusions)."""
        if similarity not in SIMILARITIES:
            raise ValueError(f"similarity must be one of {', '.join(SIMILARITIES)}, got {similarity!r}")
        sim = _plain if similarity == "plain" else confusion_costs().similarity
        best: dict[int, tuple[float, float, int]] = {}  # name → (score, similarity, line)
        cited: dict[int, tuple[float, float, int]] = {}  # the same, of readings on a synonym line

        def offer(i: int, similarity: float, line: int, penalty: float, into: dict = best) -> None:
            score = similarity - penalty - min(PER_LINE * line, MAX_LINE_PENALTY)
            if i not in into or score > into[i][0]:
                into[i] = (score, similarity, line)

        def as_synonym(i: int, similarity: float, line: int, penalty: float) -> None:
            offer(i, similarity, line, penalty + SYNONYM, cited if similarity >= SYNONYM_CITED else best)

        lines = list(lines)
        tails: set[int] = set()  # lines that open with the tail of a genus cut on the line above
        for line_no, line in enumerate(lines):
            if not isinstance(line, str) or not line.strip():
                continue
            following = lines[line_no + 1] if line_no + 1 < len(lines) else None
            here = as_synonym if _SYNONYM_LINE.match(line) else offer
            if line_no in tails:  # read alone, a cut genus's tail is a genus no more surely than read joined
                here = _penalised(here, NEXT_LINE)
            above = _epithet_above(lines, line_no)
            self._match_anchored(line, line_no, here, sim, following if isinstance(following, str) else "", above)
            if isinstance(following, str) and _GENUS_HEAD.match(line) and _GENUS_TAIL.match(following):
                joined = line.strip() + following.lstrip()
                self._match_anchored(joined, line_no, _penalised(here, NEXT_LINE), sim)
                tails.add(line_no + 1)
            self._match_whole(line, line_no, here, sim, bool(isinstance(following, str) and following.strip()))
        for i, reading in cited.items():
            elsewhere = best.get(i)
            if elsewhere is None or elsewhere[0] - SYNONYM < reading[0]:
                best[i] = reading
            else:
                best[i] = (elsewhere[0] - SYNONYM, *elsewhere[1:])
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        return [
            Candidate(self.names[i], round(sim, 6), line, round(score, 6)) for i, (score, sim, line) in ranked
        ]

    def _match_anchored(
        self,
        line: str,
        line_no: int,
        offer: _Offer,
        sim: _Similarity = None,
        following: str = "",
        above: tuple[str, int] | None = None,
    ) -> None:
        """Genus + epithet windows of ``line``; with ``following`` (the next line) also the genus word + the next
        line's first word (a name broken over two lines: "Anthurium" / "hookeri Kunth"), and a line's closing
        binomial, perhaps with its authorship, + the rank and epithet the next line opens with ("Salix alba" /
        "var. vitellina"), at ``NEXT_LINE``; with ``above`` (an epithet alone heading a line above a genus alone on its line, the reading
        order upset, and the authorship lines skipped to it) the genus word + that epithet, at ``ABOVE_LINE``."""
        sim = sim or _plain
        words = [w for w in (squash(t).replace(" ", "") for t in line.replace("(", " (").split()) if w]
        below_words = [w for w in (squash(t).replace(" ", "") for t in following.split()) if w]
        below = next(iter(below_words), "")
        below = below if sum(ch.isalpha() for ch in below) >= 3 else ""
        for start, word in enumerate(words):
            if sum(ch.isalpha() for ch in word) < 3 or any(ch.isdigit() for ch in word[:1]):
                continue
            hits = process.extract(word, self._genera, scorer=fuzz.ratio, score_cutoff=GENUS_CUTOFF, limit=5)
            if not hits:
                continue
            binomial = " ".join(words[start : start + 2])
            has_epithet = start + 1 < len(words) and sum(ch.isalpha() for ch in words[start + 1]) >= 3
            has_epithet = has_epithet or (start + 1 == len(words) and bool(below))  # it goes on below
            infra = _infraspecific_text(words, start)
            infra_penalty = 0.0
            # "Genus epithet" / "var. infra (Author)", and "Genus epithet (Author) Author" / "var. infra"
            if not infra and start + 2 <= len(words) <= start + 2 + RANK_WINDOW:
                infra = _infraspecific_text([*words[start:], *below_words[:2]], 0)
                infra_penalty = NEXT_LINE if infra else 0.0
            position = NOT_LINE_START if start > 0 else 0.0
            for genus, _score, _ in hits:
                for i in self._genus_members[genus]:
                    parsed = self.parsed[i]
                    key = self.canonical_keys[i]
                    if not parsed.specific_epithet:
                        penalty = GENUS_ONLY_PENALTY if has_epithet else 0.0
                        offer(i, sim(key, word), line_no, position + penalty)
                    elif not parsed.infraspecific_rank:
                        penalty = INFRA_PENALTY if infra else 0.0
                        offer(i, sim(key, binomial), line_no, position + penalty)
                        for skipped, epithet in _past_debris(words, start):
                            offer(i, sim(key, f"{word} {epithet}"), line_no, position + penalty + SKIPPED_WORD * skipped)
                        if below:
                            offer(i, sim(key, f"{word} {below}"), line_no, position + penalty + NEXT_LINE)
                        if above and len(words) == 1:
                            epithet, skipped = above
                            offer(i, sim(key, f"{word} {epithet}"), line_no, ABOVE_LINE + SKIPPED_WORD * skipped)
                    elif infra:
                        offer(i, sim(key, infra), line_no, position + infra_penalty)

    def label_evidence(self, lines: Iterable[object], candidates: list[Candidate]) -> list[Candidate]:
        """``candidates`` rescored by what the rest of the label says (the module's ``AUTHOR_*``, ``FAMILY_*``,
        ``SLIP_*``): each gets ``AUTHOR_EVIDENCE`` when its listed authorship is read, ``FAMILY_EVIDENCE`` when its
        genus's family is and ``SLIP_EVIDENCE`` when it is read on a determination slip, less the best
        candidate's sum, so only differences between candidates count."""
        if len(candidates) < 2:
            return candidates
        lines = [ln if isinstance(ln, str) else "" for ln in lines]
        words = [squash(ln).split() for ln in lines]
        windows = {"".join(w[i : i + n]) for w in words for n in range(1, 5) for i in range(len(w) - n + 1)}
        windows.discard("")
        vocabulary = {x for w in words for x in w if len(x) >= 6}
        pool, vocab = sorted(windows), sorted(vocabulary)

        @functools.cache
        def read(key: str, family: bool) -> bool:
            within, cutoff = (vocab, FAMILY_MATCH) if family else (pool, AUTHOR_MATCH)
            hit = process.extractOne(key, within, scorer=fuzz.ratio, score_cutoff=cutoff * 100) if within else None
            return hit is not None

        sums = []
        for c in candidates:
            i = self._position(c.name)
            total = 0.0
            if i is not None:
                near = c.line is not None and c.line < len(words)
                if any(
                    read(author, False) if len(author) >= AUTHOR_MIN_LETTERS else near and _near(author, words, c.line)
                    for author in self.author_keys[i]
                ):
                    total += AUTHOR_EVIDENCE
                family = self.families.get(squash(self.parsed[i].genus))
                if family:
                    total += FAMILY_EVIDENCE if read(family, True) else 0.0
                if c.line is not None and (
                    any(_SLIP_CUE.search(lines[k]) for k in (c.line - 1, c.line, c.line + 1) if 0 <= k < len(lines))
                    or _annotation_slip(lines, c.line)
                ):
                    total += SLIP_EVIDENCE
            sums.append(total)
        top = max(sums)
        if top == min(sums):
            return candidates
        rescored = [replace(c, score=round(c.score - (top - b), 6)) for c, b in zip(candidates, sums, strict=True)]
        return sorted(rescored, key=lambda c: -c.score)

    def tie_unread_epithets(self, lines: Iterable[object], candidates: list[Candidate]) -> list[Candidate]:
        """``candidates`` of one genus each read from a line of one word, its genus alone ("heliophytum"),
        rescored: the string similarity puts the binomial with the shortest epithet nearest, which is no evidence
        for that epithet: those whose epithet is not read within two lines of the genus (``EPITHET_READ``; read
        order may put it first) are scored alike at their best, and those whose epithet is read keep their own
        score, at least that best, plus ``EPITHET_EVIDENCE``."""
        lines = [ln if isinstance(ln, str) else "" for ln in lines]
        groups: dict[str, list[int]] = {}
        read: set[int] = set()
        for k, c in enumerate(candidates):
            i = self._position(c.name)
            if i is None or c.line is None or c.line >= len(lines):
                continue
            epithet = squash(self.parsed[i].specific_epithet or "").replace(" ", "")
            if not epithet or len(re.findall(r"[^\W\d_]{3,}", lines[c.line])) != 1:
                continue
            near = range(max(0, c.line - 2), min(len(lines), c.line + 3))
            around = "".join(squash(lines[j]).replace(" ", "") for j in near)
            if fuzz.partial_ratio(epithet, around) >= EPITHET_READ * 100:
                read.add(k)
            groups.setdefault(squash(self.parsed[i].genus), []).append(k)
        out = list(candidates)
        for members in groups.values():
            unread = [k for k in members if k not in read]
            if len(members) < 2 or not unread:
                continue
            top = max(candidates[k].score for k in unread)
            for k in members:
                score = max(candidates[k].score, top) + EPITHET_EVIDENCE if k in read else top
                out[k] = replace(candidates[k], score=round(score, 6))
        return sorted(out, key=lambda c: -c.score) if out != candidates else candidates

    def partial_match(self, lines: Iterable[object], limit: int = 10) -> list[Candidate]:
        """Names supported by a word that reads as their genus or their epithet, scored word by word: the
        genus's and the epithet's best similarities on one line, weighted by their lengths (the epithet read
        from the word after the genus word when there is one, else from any word of the line)."""
        best: dict[int, tuple[float, int]] = {}
        for line_no, line in enumerate(lines):
            if not isinstance(line, str) or not line.strip():
                continue
            words = [
                w for w in (squash(t).replace(" ", "") for t in line.split()) if sum(map(str.isalpha, w)) >= 3
            ]
            supported: set[int] = set()
            for word in words:
                if len(word) >= PARTIAL_MIN_LETTERS:
                    for genus, _, _ in process.extract(word, self._genera, scorer=fuzz.ratio,
                                                       score_cutoff=PARTIAL_WORD * 100, limit=5):  # fmt: skip
                        supported.update(self._genus_members[genus])
                for epithet, _, _ in process.extract(word, self._epithets, scorer=fuzz.ratio,
                                                     score_cutoff=PARTIAL_WORD * 100, limit=5):  # fmt: skip
                    supported.update(self._epithet_members[epithet])
            for i in supported:
                score = self._word_score(i, words) - min(PER_LINE * line_no, MAX_LINE_PENALTY)
                if i not in best or score > best[i][0]:
                    best[i] = (score, line_no)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        return [Candidate(self.names[i], round(s, 6), line, round(s, 6)) for i, (s, line) in ranked]

    def _word_score(self, i: int, words: list[str]) -> float:
        parsed = self.parsed[i]
        genus, epithet = squash(parsed.genus), squash(parsed.specific_epithet)
        g_sims = [fuzz.ratio(w, genus) / 100 for w in words]
        k = max(range(len(words)), key=g_sims.__getitem__)
        if not epithet:
            return g_sims[k]
        after = [fuzz.ratio(words[k + 1], epithet) / 100] if k + 1 < len(words) else []
        anywhere = (
            max(fuzz.ratio(w, epithet) / 100 for j, w in enumerate(words) if j != k) if len(words) > 1 else 0
        )
        e = max([*after, anywhere])
        return (len(genus) * g_sims[k] + len(epithet) * e) / (len(genus) + len(epithet))

    def _match_whole(
        self, line: str, line_no: int, offer: _Offer, sim: _Similarity = None, goes_on: bool = False
    ) -> None:
        """The whole line against every name; a genus-rank name read from a line that the label goes on after
        (perhaps with the epithet) gets ``GENUS_ONLY_PENALTY``, as in the anchored windows. A label's header
        (``MEXICAN FLORA``, ``HERBARIUM OF …``: a word of ``HEADER_WORDS``) is not read whole: its letters would
        otherwise make a fair fuzzy match for any longer name that shares them ("LAN FLORA" → "Lantana biflora");
        a genus written on it is still found by the anchored windows. Nor is a line that opens with a rank's word
        (``_RANK_OPENINGS``)."""
        sim = sim or _plain
        text = squash(line)
        if not text or len(text) > MAX_LINE_CHARS or _header_line(line) or text.split()[0] in _RANK_OPENINGS:
            return
        cutoff = (NONE_SIMILARITY - 0.15) * 100
        for keys in (self.full_keys, self.canonical_keys):
            for key, _score, i in process.extract(
                text, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5
            ):
                genus_only = goes_on and not self.parsed[i].specific_epithet
                offer(i, sim(key, text), line_no, GENUS_ONLY_PENALTY if genus_only else 0.0)


def _header_line(line: str) -> bool:
    """A line with a word of a label's header or a herbarium's name (``HEADER_WORDS``: flora, herbarium, …)."""
    return any(w in HEADER_WORDS for w in re.findall(r"[a-z]+", line.lower()))


def _compact(text: str) -> str:
    return squash(text).replace(" ", "")


def _near(author: str, words: list[list[str]], line: int) -> bool:
    """A short authorship (``author``, squashed, no spaces) read after the first word of the name's ``line`` or
    at the start of the next: exactly when it has at most 2 letters ("l", "dc"), else at ``AUTHOR_MATCH``. A
    genus alone on its line has its epithet on the next ("Cetraria" / "laevigata" / "Rass"): the authorship is
    looked for after that line's first word and at the start of the line after it."""
    if len(words[line]) == 1 and line + 1 < len(words) and words[line + 1]:
        line += 1
    own = words[line][1:]
    near = {"".join(own[k : k + n]) for n in (1, 2, 3) for k in range(len(own) - n + 1)}
    if line + 1 < len(words):
        near.update("".join(words[line + 1][:n]) for n in (1, 2, 3))
    near.discard("")
    if len(author) <= 2 or not near:
        return author in near
    return process.extractOne(author, near, scorer=fuzz.ratio, score_cutoff=AUTHOR_MATCH * 100) is not None


def _plain(key: str, text: str) -> float:
    return fuzz.ratio(text, key) / 100


def _past_debris(words: list[str], start: int) -> list[tuple[int, str]]:
    """The words after the genus word ``words[start]`` that could be its epithet once OCR debris between them is
    skipped: each word of 3 letters or more after 1 to ``SKIPPABLE`` short words (fewer than 5 letters, no rank
    marker), with how many were skipped."""
    out = []
    for skipped in range(1, SKIPPABLE + 1):
        between = words[start + 1 : start + 1 + skipped]
        if len(between) < skipped or any(sum(ch.isalpha() for ch in w) >= 5 or w in _RANK_WORDS for w in between):
            break
        if start + 1 + skipped < len(words) and sum(ch.isalpha() for ch in words[start + 1 + skipped]) >= 3:
            debris = sum(w not in _QUALIFIER_WORDS for w in between)  # "cf." is written, not debris
            out.append((debris, words[start + 1 + skipped]))
    return out


def _infraspecific_text(words: list[str], start: int) -> str:
    """ "genus epithet rank infra" when a rank word follows the epithet within a few words, else ""."""
    for j in range(start + 2, min(start + 2 + RANK_WINDOW, len(words) - 1)):
        if words[j] in _RANK_WORDS.values() and words[j + 1].isalpha() and len(words[j + 1]) > 2:
            return " ".join([*words[start : start + 2], words[j], words[j + 1]])
    return ""


def _read_names_file(path: Path) -> list[str]:
    if not path.is_file():
        raise FileNotFoundError(f"taxon names file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"taxon names file {path} is not UTF-8 text: {exc}") from None
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not names:
        raise ValueError(f"taxon names file {path} has no names (one scientific name per line expected)")
    return names


def ocr_likelihood(
    candidates: list[Candidate], *, temperature: float = TEMPERATURE, none_similarity: float = NONE_SIMILARITY
) -> tuple[list[float], float]:
    """Softmax of similarity / temperature over the candidates and "none of these"; (per candidate, none)."""
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    logits = [c.score / temperature for c in candidates] + [none_similarity / temperature]
    probs = _softmax(logits)
    return probs[:-1], probs[-1]


def _softmax(logits: list[float]) -> list[float]:
    top = max(logits)
    weights = [math.exp(x - top) for x in logits]
    total = sum(weights)
    return [w / total for w in weights]


def _prior_by_key(prior: Mapping[str, float]) -> dict[str, float]:
    by_key: dict[str, float] = {}
    for name, p in prior.items():
        if not isinstance(p, (int, float)) or not math.isfinite(p) or p < 0:
            raise ValueError(f"prior probability for {name!r} must be a finite number >= 0, got {p!r}")
        text = " ".join(str(name).split())
        parsed = parse_name(text) or parse_name(text.capitalize())
        if parsed is not None:
            key = squash(parsed.canonical)
            by_key[key] = by_key.get(key, 0.0) + float(p)
    total = sum(prior.values())
    if total > 1.0 + 1e-3:  # float32 softmax rows sum to 1 only up to rounding
        raise ValueError(
            f"prior probabilities sum to {total:.4f} > 1 (expected the classifier's top-k softmax)"
        )
    return by_key


def resolve_partial(
    lines: Iterable[object],
    index: TaxonIndex,
    prior: Mapping[str, float] | None = None,
    *,
    weight: float = 1.0,
    floor: float = PRIOR_FLOOR,
    temperature: float = PARTIAL_TEMPERATURE,
    none_score: float = PARTIAL_NONE,
    limit: int = 10,
    min_confidence: float = 0.0,
) -> TaxonResolution:
    """The taxon from partial evidence (a genus or an epithet read, the rest not): the names that evidence
    supports, scored word by word under a softer likelihood, fused with the image ``prior`` as in
    ``resolve_taxon``. Its ``evidence`` is "partial"; without any supported name, or when the best is less sure
    than ``min_confidence`` (a prior flat over the supported names does not choose among them), the answer is
    None."""
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must lie between 0 and 1, got {min_confidence}")
    lines = list(lines) if lines is not None else []
    best = {c.name: c for c in index.partial_match(lines, limit=limit)}
    for c in index.match(lines, limit=limit):
        if c.score >= PARTIAL_WEAK and (c.name not in best or c.score > best[c.name].score):
            best[c.name] = c
    candidates = sorted(best.values(), key=lambda c: -c.score)[:limit]
    found = _fuse(candidates, index, prior, weight=weight, floor=floor, temperature=temperature,
                  none_similarity=none_score)  # fmt: skip
    name = found.name if found.name is not None and found.confidence >= min_confidence else None
    return TaxonResolution(name, found.confidence, found.candidates, found.none_probability,
                           found.line if name else None, "partial")  # fmt: skip


def resolve_taxon(
    lines: Iterable[object],
    index: TaxonIndex,
    prior: Mapping[str, float] | None = None,
    *,
    weight: float = 1.0,
    floor: float = PRIOR_FLOOR,
    temperature: float = TEMPERATURE,
    none_similarity: float = NONE_SIMILARITY,
    limit: int = 10,
    similarity: str = "plain",
    calibration: Mapping[str, float] | None = None,
    min_confidence: float = 0.0,
    label_evidence: bool = False,
) -> TaxonResolution:
    """The taxon the label names, reading OCR text against ``index`` and weighing it with an image ``prior``.

    ``similarity`` compares readings with names (``TaxonIndex.match``). With a ``calibration`` (``{"a", "b"}``,
    see ``calibrated``; ``load_confusions()["calibration"][similarity]`` is the reader's) the confidence is the calibrated
    probability of the resolution's margin, and a name less sure than ``min_confidence`` is left empty. With
    ``label_evidence`` the rest of the label votes among the candidates (``TaxonIndex.label_evidence``: their
    authorships, their genera's families)."""
    if weight < 0 or not math.isfinite(weight):
        raise ValueError(f"weight must be a finite number >= 0, got {weight}")
    if not 0 < floor <= 1:
        raise ValueError(f"floor must be in (0, 1], got {floor}")
    lines = list(lines) if lines is not None else []
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must lie between 0 and 1, got {min_confidence}")
    candidates = index.match(lines, limit=limit, similarity=similarity)
    if label_evidence:
        candidates = index.label_evidence(lines, index.tie_unread_epithets(lines, candidates))
    found = _fuse(candidates, index, prior, weight=weight, floor=floor, temperature=temperature,
                  none_similarity=none_similarity)  # fmt: skip
    if calibration is None or not found.candidates:
        return found
    confidence = calibrated(found.margin, found.none_margin, calibration)
    name = found.name if found.name is not None and confidence >= min_confidence else None
    return replace(found, name=name, confidence=confidence, line=found.line if name else None)


def _fuse(
    candidates: list[Candidate],
    index: TaxonIndex,
    prior: Mapping[str, float] | None,
    *,
    weight: float,
    floor: float,
    temperature: float,
    none_similarity: float,
) -> TaxonResolution:
    if weight < 0 or not math.isfinite(weight):
        raise ValueError(f"weight must be a finite number >= 0, got {weight}")
    if not 0 < floor <= 1:
        raise ValueError(f"floor must be in (0, 1], got {floor}")
    ocr, ocr_none = ocr_likelihood(candidates, temperature=temperature, none_similarity=none_similarity)
    prior_keys = _prior_by_key(prior) if prior else {}
    if prior_keys:
        positive = [p for p in prior_keys.values() if p > 0]
        floor = min(floor, min(positive)) if positive else floor
        priors = [prior_keys.get(squash(index.parsed_name(c.name).canonical), 0.0) for c in candidates]
        prior_none = max(1.0 - sum(priors), floor)
        priors = [max(p, floor) for p in priors]
        logits = [math.log(max(o, 1e-300)) + weight * math.log(p) for o, p in zip(ocr, priors, strict=True)]
        logits.append(math.log(max(ocr_none, 1e-300)) + weight * math.log(prior_none))
        posterior = _softmax(logits)
        post, post_none = posterior[:-1], posterior[-1]
        shown_priors: list[float | None] = priors
    else:
        post, post_none = ocr, ocr_none
        shown_priors = [None] * len(candidates)
    scored = [
        TaxonCandidate(c.name, c.similarity, o, p, q, c.line)
        for c, o, p, q in zip(candidates, ocr, shown_priors, post, strict=True)
    ]
    scored.sort(key=lambda c: -c.probability)
    if not scored:
        return TaxonResolution(None, 0.0, [], 1.0, None)
    top = scored[0]
    margins = {
        "margin": _log_ratio(top.probability, sum(c.probability for c in scored[1:]), temperature),
        "none_margin": _log_ratio(top.probability, post_none, temperature),
    }
    if post_none >= top.probability:
        return TaxonResolution(None, top.probability, scored, post_none, None, **margins)
    return TaxonResolution(top.name, top.probability, scored, post_none, top.line, **margins)


def _annotation_slip(lines: Sequence[str], k: int) -> bool:
    """Line ``k`` is a name under an institution's name that heads no collection, a year within two lines under
    it: an annotation slip without a determiner's cue."""
    if not 0 < k < len(lines):
        return False
    above = lines[k - 1]
    if not SLIP_INSTITUTION.search(above) or COLLECTION_HEADER.match(above):
        return False
    return any(_SLIP_YEAR.search(line) for line in lines[k + 1 : k + 3])


def _log_ratio(p: float, q: float, temperature: float) -> float:
    """temperature · log(p / q), clipped to ±1 (q = 0: 1)."""
    if q <= 0:
        return 1.0
    return min(1.0, max(-1.0, temperature * (math.log(max(p, 1e-300)) - math.log(q))))
