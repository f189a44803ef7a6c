from __future__ import annotations

from dataclasses import dataclass

SECTION = "report"


@dataclass
class Settings:
    title: str = "herbproc run report"
    max_failure_rows: int = 20  # failed items listed per stage (all are in <stage>/failures.csv)
