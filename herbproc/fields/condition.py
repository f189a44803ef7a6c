"""Darwin Core ``reproductiveCondition`` free text → a set of states from {"flowers", "fruits", "buds"}.

``frozenset()`` means sterile / vegetative; ``None`` means unknown or not understood — a state is never guessed.
Words are matched whole after folding case and accents, in English, French, Spanish, Portuguese, Italian,
German, Dutch, Latin, Swedish/Danish, Russian and common abbreviations ("fl.", "fr.", "st.", "veg."). Rules:

- a negation ("no", "without", "sin", "sans", "ohne", "senza", "geen", "neither … nor") or a following
  "absent"/"lacking" removes the states it covers; flowers *and* fruits negated means sterile, one of them
  negated alone says nothing about the other (``"no flowers"`` → None);
- "past flowering", "post-anthesis", "flowers faded"/"withered"/"spent" → None (flowers are gone; fruits are
  not stated);
- immature / young / mature / ripe fruit, seeds, capsules, berries, pods, achenes, perigynia … → fruits;
- cones / strobili / seed cones → fruits (the seed-bearing stage); pollen / male / staminate cones → flowers;
- "flower buds", "fl. buds", "floral buds", "pre-anthesis" → buds (not flowers); leaf / winter / vegetative
  buds → nothing (they say nothing about flowering);
- "fertile" / "reproductive" alone → None (which organs?); negated ("non-reproductive") → sterile;
- sterile together with a reproductive state ("sterile, flowering") is a contradiction → None;
- spores, sori, sporangia (ferns) are outside the vocabulary → None.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any


def fold(text: str) -> str:
    """Lower-case with accents removed ("Blüte" → "blute"); kept here so this module imports nothing heavy."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


FLOWERS, FRUITS, BUDS = "flowers", "fruits", "buds"
STATES = frozenset({FLOWERS, FRUITS, BUDS})
STERILE = "sterile"

_VOCABULARY = {
    FLOWERS: """flower flowers flowering flowered flowr fl flr flrs fls flw flwr flwrs flwg anthesis bloom blooms
        blooming bloomed blossom blossoms blossoming fleur fleurs fleuri fleurie fleuris fleuries floraison
        flor flores florido florida floreciendo florecido florecida floracion floraciones florescendo floracao
        fiore fiori fiorito fiorita fioriti fiorite fioritura bluhend bluhende bluehend blute bluten bluete
        blueten bluht bluhte bloeiend bloeiende bloei bloeit bloem bloemen florens florentes floret floribus flos
        blommande blommor blomning blomstrende blomst blomster kwitnacy kwiaty kvetouci kvety
        цветение цветет цветущии цветущая цветки цветы цветами""",
    FRUITS: """fruit fruits fruiting fruited frt frts fr fruct fructif fruto frutos fructificando fructificacion
        fructifero fructifera frutificando frutificacao fructifie fructifiee fructifies fructification frucht
        fruchte fruchten fruchtend fruchtende fruchtstand fruchtstande frutto frutti fruttificante fruttificazione
        fruttificato vrucht vruchten vruchtdragend fructificans fructus fructibus fructiferus fructifera frukt
        frukter owoce plody seed seeds seeding capsule capsules berry berries achene achenes pod pods legume
        legumes samara samaras nutlet nutlets acorn acorns drupe drupes silique siliques silicle silicles
        caryopsis caryopses perigynia perigynium graines semences semillas samen zaden semi плоды плодами
        плодоносит плодоношение семена""",
    BUDS: """bud buds budding blutenknospe blutenknospen bluetenknospen bouton boutons knospe knospen knospig boton botones botao botoes bocciolo boccioli
        knop knoppen knopp knoppar alabastrum alabastra preanthesis бутоны бутонизация""",
    STERILE: """sterile steril esteril sterilis steriel vegetative vegetatif vegetativ vegetativo vegetativa
        vegetatief veg st ster nonreproductive nonfertile стерильныи стерильное вегетативныи вегетирует""",
}
_CLASS: dict[str, str] = {fold(w): state for state, words in _VOCABULARY.items() for w in words.split()}
_CONES = {"cone", "cones", "strobili", "strobilus", "cono", "conos", "zapfen", "catkin", "catkins"}
_POLLEN = {"pollen", "male", "staminate", "microsporangiate", "masculinos", "males", "mannlich"}
_NEGATIONS = {"no", "not", "without", "non", "sin", "sans", "ohne", "senza", "geen", "zonder", "sem", "nicht",
              "kein", "keine", "neither", "nor", "ni", "нет", "без", "nonflowering"}  # fmt: skip
_ABSENT = {"absent", "absents", "absente", "absentes", "ausente", "ausentes", "lacking", "missing", "none",
           "fehlend", "fehlen", "assente", "assenti", "afwezig", "отсутствуют"}  # fmt: skip
# Words that keep a negation going: "no open flowers or mature fruits".
_SCOPE_KEEPERS = {"or", "and", "nor", "ni", "o", "u", "ou", "oder", "noch", "y", "e", "et", "und", "of", "any",
                  "open", "mature", "immature", "young", "ripe", "developing", "developed", "visible", "de",
                  "des", "di", "или", "и"}  # fmt: skip
_PAST_BEFORE = {"past", "post", "after", "apres", "despues", "nach", "dopo", "end", "pre", "before", "antes",
                "avant", "vor"}  # fmt: skip
_PAST_ONLY = {"postflowering", "postanthesis", "preflowering", "verbluht", "abgebluht", "uitgebloeid"}
_PAST_AFTER = {"faded", "fading", "withered", "spent", "senescent", "wilted", "fallen", "verbluht", "abgebluht",
               "uitgebloeid", "marchitas", "marchitos", "fanees", "fanes", "finished", "over", "ended"}  # fmt: skip
_BUD_NOT_FLORAL = {"leaf", "leaves", "foliar", "vegetative", "winter", "hojas", "foliaires"}
_FERTILE = {"fertile", "fertil", "fertilis", "reproductive", "reproductiva", "reproductivo"}
_LEAVES_ONLY = re.compile(r"\b(?:leaves|leaf|foliage)\s+only\b|\bonly\s+(?:leaves|foliage)\b")
UNKNOWN_MARKERS = {"", "?", "??", "-", "--", "unknown", "unk", "n/a", "na", "none", "not recorded",
                   "not determined", "not stated", "indeterminate", "undetermined", "sin datos", "inconnu",
                   "unbekannt", "desconocido", "sconosciuto", "onbekend", "null", "nan", "not applicable"}  # fmt: skip
_JOINED_PREFIX = re.compile(r"\b(pre|post|non)[\s\-]+(?=[^\W\d_])")
_TOKEN = re.compile(r"[^\W\d_]+")
_SEPARATOR = re.compile(r"[,;|/:()]")


def _normalise(text: str) -> str:
    folded = fold(text).replace("&", " and ").replace("+", " and ")
    return _JOINED_PREFIX.sub(r"\1", folded)


def is_unknown_marker(text: object) -> bool:
    """True for empty/missing values and explicit "unknown" markers ("?", "n/a", "unknown")."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return True
    return isinstance(text, str) and fold(text).strip(" .;:") in UNKNOWN_MARKERS


def _classify(token: str, previous: str) -> str | None:
    if token in _CONES:
        if previous in _POLLEN:
            return FLOWERS
        return None if token.startswith("catkin") else FRUITS
    return _CLASS.get(token)


def parse_condition(text: object) -> frozenset[str] | None:
    """States named by a ``reproductiveCondition`` value; ``frozenset()`` = sterile; None = unknown."""
    if not isinstance(text, str) or is_unknown_marker(text):
        return None
    normalised = _normalise(text)
    matches = list(_TOKEN.finditer(normalised))
    tokens = [m.group() for m in matches]
    positive: Counter[str] = Counter()
    negated: set[str] = set()
    sterile = bool(_LEAVES_ONLY.search(normalised))
    negating = False  # inside "no … or …"
    cancel_next = False  # after "past", "pre": the next state named is not present
    group: list[str] = []  # states named in the current run of words, for a trailing "absent"
    last_added: str | None = None  # state added by the previous word, for "flower buds"
    for i, token in enumerate(tokens):
        previous = tokens[i - 1] if i else ""
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        added, last_added = last_added, None
        if i and _SEPARATOR.search(normalised, matches[i - 1].end(), matches[i].start()):
            added = None  # "fl., buds" lists two states; only "fl. buds" / "flower buds" are buds
        if token == "nonflowering":
            negated.add(FLOWERS)
        elif token in _NEGATIONS:
            negating = True
        elif token in _ABSENT:
            for state in group:
                positive[state] -= 1
                negated.add(state)
            group = []
        elif token in _PAST_ONLY:
            continue
        elif token in _PAST_BEFORE:
            cancel_next = True
        elif token in _PAST_AFTER:
            for state in group:
                positive[state] -= 1
            group = []
        elif token in _FERTILE:
            sterile = sterile or negating
        elif token in _BUD_NOT_FLORAL and _classify(following, token) == BUDS:
            continue  # "leaf buds", "vegetative buds": no flowering state, and not sterile either
        else:
            state = _classify(token, previous)
            if state is None:
                if token not in _SCOPE_KEEPERS:
                    negating, group = False, []
                continue
            if cancel_next or (state == BUDS and previous in _BUD_NOT_FLORAL):
                cancel_next = False
                continue
            if state == BUDS and added == FLOWERS:
                positive[FLOWERS] -= 1  # "flower buds", "fl. buds": the flowers are not open
                group.remove(FLOWERS)
            if state == STERILE:
                sterile = sterile or not negating
            elif negating:
                negated.add(state)
            else:
                positive[state] += 1
                group.append(state)
                last_added = state
    present = {state for state, count in positive.items() if count > 0}
    if {FLOWERS, FRUITS} <= negated:
        sterile = True
    if present and sterile:
        return None  # contradictory: "sterile, flowering"
    if present:
        return frozenset(present)
    return frozenset() if sterile else None


_HINT_KEYS = ("reproductivecondition", "phenology", "phenologicalstage", "phenostage", "reproductivestate",
              "reproductivestage", "fenologia", "phenologie")  # fmt: skip
_PAIR_SPLIT = re.compile(r"[;|\n]+|,(?=[^,]*[=:])")
_PAIR = re.compile(r"^\s*(?P<key>[^=:]+?)\s*[=:]\s*(?P<value>.*)$", re.S)


def _key(name: object) -> str:
    return re.sub(r"[\s_\-]", "", str(name).lower().removeprefix("dwc:"))


def _from_mapping(values: Mapping[Any, Any]) -> frozenset[str] | None:
    wanted = {_key(k): v for k, v in values.items()}
    for key in _HINT_KEYS:
        value = wanted.get(key)
        if isinstance(value, (list, tuple)):
            value = "; ".join(str(v) for v in value)
        result = parse_condition(value)
        if result is not None:
            return result
    return None


def parse_dynamic_properties(text: object) -> frozenset[str] | None:
    """Phenology inside Darwin Core ``dynamicProperties``: JSON or ``key=value; key: value`` text."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, Mapping):
        found = _from_mapping(data)
        if found is not None:
            return found
        nested = [v for v in data.values() if isinstance(v, Mapping)]
        return next((r for r in map(_from_mapping, nested) if r is not None), None)
    pairs: dict[str, str] = {}
    for part in _PAIR_SPLIT.split(text.strip().strip("{}")):
        pair = _PAIR.match(part)
        if pair:
            pairs[pair.group("key").strip().strip("\"'")] = pair.group("value").strip().strip("\"'")
    return _from_mapping(pairs) if pairs else None


# Abbreviations that free text uses for other things too ("St. John", "Fl." = Florida, "Fr." = Father).
_FREE_TEXT_AMBIGUOUS = {"fl", "flr", "flrs", "fls", "flw", "flwr", "flwrs", "flwg", "fr", "frt", "frts",
                        "st", "ster", "veg", "flor", "fruct", "fructif"}  # fmt: skip
_NUMBER_CUE = re.compile(r"\b(?:no|nr|num|n)\.?\s*(?=\d)", re.I)  # "coll. no. 45" is no negation
_CLAUSE_SPLIT = re.compile(r"[;\n]+|(?<=[a-z]{3})\.\s+|,\s+")


def parse_remarks(text: object) -> frozenset[str] | None:
    """States stated in free text (``occurrenceRemarks``, ``fieldNotes``): "Shrub 2 m; flowers white" → flowers.

    Stricter than ``parse_condition``, since the text is mostly about other things: each clause is read on its
    own, ambiguous abbreviations ("fl.", "fr.", "st.", "veg.") are ignored, and clauses that disagree (sterile
    in one, flowering in another) say nothing.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    present: set[str] = set()
    sterile = False
    for clause in _CLAUSE_SPLIT.split(_NUMBER_CUE.sub(" ", text)):
        words = [w for w in _TOKEN.findall(_normalise(clause)) if w not in _FREE_TEXT_AMBIGUOUS]
        found = parse_condition(" ".join(words)) if words else None
        if found is None:
            continue
        present |= found
        sterile = sterile or not found
    if present and sterile:
        return None
    if present:
        return frozenset(present)
    return frozenset() if sterile else None


FREE_TEXT_KEYS = ("occurrenceremarks", "fieldnotes")


def parse_phenology_hints(record: Mapping[str, Any]) -> frozenset[str] | None:
    """States from a record's ``reproductiveCondition``, else ``phenology``, else ``dynamicProperties``, else
    the free text of ``occurrenceRemarks`` and ``fieldNotes`` (``parse_remarks``)."""
    return phenology_hint(record)[0]


def phenology_hint(record: Mapping[str, Any]) -> tuple[frozenset[str] | None, str]:
    """``parse_phenology_hints`` and the name of the term it was read from ("" when none said anything)."""
    if not isinstance(record, Mapping):
        raise TypeError(f"record must be a mapping of Darwin Core terms, got {type(record).__name__}")
    names = {_key(k): str(k) for k in record}
    by_key = {_key(k): v for k, v in record.items()}
    for key in ("reproductivecondition", "phenology"):
        result = parse_condition(by_key.get(key))
        if result is not None:
            return result, names[key]
    result = parse_dynamic_properties(by_key.get("dynamicproperties"))
    if result is not None:
        return result, names["dynamicproperties"]
    for key in FREE_TEXT_KEYS:
        result = parse_remarks(by_key.get(key))
        if result is not None:
            return result, names[key]
    return None, ""


def summarise_unknown(texts: Iterable[object]) -> Counter[str]:
    """How often each non-empty value that is not understood occurs (explicit "unknown"/"?" are not counted)."""
    counts: Counter[str] = Counter()
    for text in texts:
        if isinstance(text, str) and not is_unknown_marker(text) and parse_condition(text) is None:
            counts[" ".join(text.split())] += 1
    return counts
