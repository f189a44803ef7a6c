"""The scan's last step: a line of free text, the plant's description, a taxon, a substrate, or the
locality's words."""

from __future__ import annotations

from herbproc.fields import names
from herbproc.fields.label import CONFIDENCE, strip_dates
from herbproc.fields.locality_cues import place_ending_description
from herbproc.fields.locality_lines import (
    after_leading_name,
    clause_wrapped_before,
    comes_after,
    continues,
    description_after,
    locality_clause,
    place_sentence,
    runs_on,
    sentence_start,
    substrate_under,
    wrapped_before,
)
from herbproc.fields.locality_scan_state import Scan
from herbproc.fields.locality_trim import habitat_only, mend_ones
from herbproc.fields.locality_words import (
    ABUNDANT_ALONG,
    DESCRIPTION_WORDS,
    ENDS_ON_WORD,
    INSTITUTION_START,
    LOCALITY_WORDS,
    NEXT_FIELD,
    SUBSTRATE_LINE,
    TAIL,
)


def free_text_line(s: Scan, i: int, line: str) -> bool:
    """A line of free text: the plant's description, a taxon, a substrate, or the locality's words."""
    parts, label = s.parts, s.label
    remainder = strip_dates(mend_ones(line)).strip(" ,;.")  # ("Ju1y 20, 1959": a date, its l read as 1)
    if _description_runs_on(s, i, remainder):
        return True
    if not parts and (lead := ABUNDANT_ALONG.match(remainder)):
        parts.append((i, remainder[lead.end() :], CONFIDENCE["locality_cue_words"]))  # "Common along …"
        return True
    listed = names.find_name_in_line(remainder)
    if listed and remainder.startswith("(") and remainder.endswith(")"):
        return True  # "(Elmia rosea (Bell.) Dunn)": the taxon's synonym in parentheses, set under its name
    if parts and listed and listed.start_token == 0 and not LOCALITY_WORDS.search(remainder):
        s.stopped = True  # a scientific name or a list of associated species: the locality has ended
        return True
    if parts and NEXT_FIELD.match(line):
        return True  # "State: Wisconsin" under the "Locality:" line: a form's next blank, not the place going on
    if parts and (SUBSTRATE_LINE.match(remainder) or substrate_under(label, parts, remainder)):
        return True  # "Sandstone. Horizontal surf." / "On bark of Quercus" under the place: what the lichen grew on
    follows = bool(parts) and parts[-1][0] != s.ended and comes_after(label, s.free, parts[-1][0], i)
    other_print = remainder.isupper() and not label.text[parts[-1][0]].isupper() if parts else False
    if follows and runs_on(s.free[parts[-1][0]]) and continues(remainder, line) and not other_print:
        parts.append((i, remainder, CONFIDENCE["locality_continuation"]))  # "… west of Long" / "Pond."
        return True
    if DESCRIPTION_WORDS.search(remainder):
        _description_line(s, i, line, remainder)
        return True
    if len(remainder.split()) < 2:
        return True
    _cue_words_line(s, i, remainder, listed, follows, other_print)
    return True


def _description_runs_on(s: Scan, i: int, remainder: str) -> bool:
    free = s.free
    if not (
        s.description == i - 1
        and (remainder[:1].islower() or ENDS_ON_WORD.search(free[i - 1].rstrip()))
        and not free[i - 1].rstrip().endswith(".")
    ):
        return False
    if not s.parts and (start := locality_clause(remainder, free.get(i + 1, ""))) is not None:
        s.parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "…; common, near" / "Elmton."
        return True
    if not s.parts and (start := place_sentence(remainder, free.get(i + 1, ""))) is not None:
        s.parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "… green. On roadside, …"
        return True
    s.description = i  # "31 h erb ; fls. white; in grassy" / "areas near the river.": still the plant
    return True


def _description_line(s: Scan, i: int, line: str, remainder: str) -> None:
    parts, free = s.parts, s.free
    if parts and parts[-1][0] == i - 1:
        description_after(s.label, parts, i, remainder)
    elif not parts and (start := locality_clause(remainder, free.get(i + 1, ""))) is not None:
        parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "Herb 3 dm, near" / "Elmton"
        return
    elif not parts and (start := place_sentence(remainder, free.get(i + 1, ""))) is not None:
        parts.append((i, remainder[start:], CONFIDENCE["locality_cue_words"]))  # "Shrub; fls. red. Along …"
        return
    elif not parts and (start := place_ending_description(line, DESCRIPTION_WORDS)) is not None:
        parts.append((i, line[start:].strip(" ,;."), CONFIDENCE["locality_cue_words"]))  # "…, at Elmton."
        return
    s.description = i


def _cue_words_line(
    s: Scan, i: int, remainder: str, listed: names.NameInLine | None, follows: bool, other_print: bool
) -> None:
    parts, label = s.parts, s.label
    has_cue_words = LOCALITY_WORDS.search(remainder) is not None
    if listed and listed.start_token == 0 and not has_cue_words:
        return  # a list of associated species
    if has_cue_words and listed and listed.start_token == 0 and not parts:
        remainder = after_leading_name(remainder)  # "Sida acuta L. Along the shore …": the name is the taxon's
    if has_cue_words and not parts and INSTITUTION_START.match(remainder):
        return  # "MUSEO DE HISTORIA NATURAL, SIERRA DE …": an institution and its town, not where
    if has_cue_words and not parts and habitat_only(remainder):
        return  # "Moist thicket", "Open woods": what the ground is like, not where
    if has_cue_words and not (parts or TAIL.match(remainder)):
        _first_cue_words_line(s, i, remainder)
    elif has_cue_words and parts and not (parts[-1][0] == s.ended == i - 1 and remainder[:1].islower()):
        # (a lower-case line goes on with the sentence after the coordinates, left out: "…. 29°35'N, 85°03'W.
        # In stable" / "backdunes of the island.")
        parts.append((i, remainder, CONFIDENCE["locality_cue_words"]))
    elif (
        follows
        and not (remainder[:1].islower() and label.text[parts[-1][0]].rstrip().endswith("."))
        and not other_print
    ):
        # (a lower-case line after a full stop goes on with some other sentence: another column's; a line in
        # capitals after a mixed-case one is another print: a stamp's, a printed slip's)
        parts.append((i, remainder, CONFIDENCE["locality_continuation"]))


def _first_cue_words_line(s: Scan, i: int, remainder: str) -> None:
    """The locality's first line by its words, with the start of its sentence on the lines above."""
    parts, label, free = s.parts, s.label, s.free
    if remainder[:1].islower():
        sentence_start(label, free, parts, i)
    elif (clause := clause_wrapped_before(label, i)) is not None:
        parts.append((i - 1, clause, CONFIDENCE["locality_continuation"]))
    else:
        wrapped_before(label, free, parts, i)  # "from the clip quadrat 15," / "Elm area"
        if parts and label.text[i - 1][:1].islower():  # that line began in lower case: its sentence
            sentence_start(label, free, parts, i - 1)  # began above ("… of the Cen-" / "tral Elm Range,")
            parts.sort(key=lambda part: part[0])
    parts.append((i, remainder, CONFIDENCE["locality_cue_words"]))
