"""The report's HTML: one self-contained page (inline CSS) next to its PNG figures.

The page and the stages' sections are Jinja templates in ``herbproc/report/templates/`` (files, like
``sbatch_templates/``), rendered with autoescaping: a value from a record or an error message is text, never markup.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda x: "–" if x is None else f"{x:.0%}"
    env.filters["pct1"] = lambda x: "–" if x is None else f"{x:.1%}"
    return env


def render(template: str, **context) -> str:
    """``templates/<template>`` filled with ``context`` (a missing value is an error, not an empty string)."""
    return environment().get_template(template).render(**context)


def render_page(**context) -> str:
    return render("page.html.j2", **context)
