"""Phenology: flowers / fruits / buds. This package root stays light (no torch): the normaliser of
``reproductiveCondition`` text lives in ``conditions``; the model and the stage are separate modules."""

from herbproc.phenology.conditions import (
    BUDS,
    FLOWERS,
    FRUITS,
    STATES,
    parse_condition,
    parse_phenology_hints,
    summarise_unknown,
)

__all__ = [
    "BUDS",
    "FLOWERS",
    "FRUITS",
    "STATES",
    "parse_condition",
    "parse_phenology_hints",
    "summarise_unknown",
]
