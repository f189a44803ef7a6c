"""The ingest section of the run report: records in and out, drops by reason, the classes."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from herbproc.io import read_json
from herbproc.paths import RunPaths

REASON_TEXT = {
    "missing_id": "no gbifID",
    "unsafe_id": "record id unusable as a file name",
    "malformed_row": "row with the wrong number of fields",
    "bad_encoding": "bytes not valid in the file's encoding",
    "duplicate_id": "gbifID already seen",
    "basis_of_record": "basisOfRecord not wanted",
    "taxon_rank": "taxonRank not wanted",
    "country_code": "countryCode not wanted",
    "state_province": "stateProvince not wanted",
    "year": "year outside the range (or none)",
    "genus": "genus not in the genus list",
    "no_label": "no name at the label level",
    "no_image": "no media at all",
    "no_still_image": "media, but no still image",
    "api_not_found": "unknown to the occurrence API",
    "api_error": "occurrence API failed (tried again next run)",
    "class_cap": "over the per-class cap",
    "class_too_small": "class under the minimum",
    "orphan_media": "media row without an occurrence",
    "bad_media_row": "malformed media row",
}


def report_section(run_dir: str | Path, assets: Path | None = None) -> str:
    """HTML fragment: what ingest read, kept and dropped (``assets`` is unused: no figures)."""
    paths = RunPaths(run_dir)
    summary = read_json(paths.stage_dir("ingest") / "summary.json")
    if not summary:
        return "<p>ingest has not run.</p>"
    esc = html.escape
    dropped = summary.get("dropped", {})
    rows = "".join(
        f"<tr><td>{esc(r)}</td><td>{esc(REASON_TEXT.get(r, ''))}</td><td class='num'>{n}</td></tr>"
        for r, n in sorted(dropped.items(), key=lambda kv: -kv[1])
    )
    splits = summary.get("splits", {})
    parts = [
        f"<p>Read <b>{summary['records_in']}</b> records from <code>{esc(str(summary['input']))}</code> "
        f"({esc(summary['source'])}); kept <b>{summary['images']}</b> images in <b>{summary['classes']}</b> "
        f"classes at {esc(summary.get('label_level', '?'))} level "
        f"(train {splits.get('train', 0)}, val {splits.get('val', 0)}, test {splits.get('test', 0)}).</p>"
    ]
    if summary.get("api_requests"):
        parts.append(f"<p>Occurrence API requests: {summary['api_requests']}.</p>")
    if rows:
        parts.append(
            "<table><thead><tr><th>dropped because</th><th></th><th>records</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    if paths.classes.exists():
        classes = pd.read_csv(paths.classes)
        top = classes.sort_values("n_images", ascending=False).head(20)
        body = "".join(
            f"<tr><td>{int(c.label)}</td><td>{esc(str(c.name))}</td><td class='num'>{int(c.n_images)}</td>"
            f"<td class='num'>{int(c.n_train)}</td><td class='num'>{int(c.n_val)}</td>"
            f"<td class='num'>{int(c.n_test)}</td></tr>"
            for c in top.itertuples(index=False)
        )
        more = (
            f"<p>… and {len(classes) - len(top)} more classes (classes.csv).</p>"
            if len(classes) > len(top)
            else ""
        )
        parts.append(
            "<table><thead><tr><th>label</th><th>class</th><th>images</th><th>train</th><th>val</th><th>test</th>"
            f"</tr></thead><tbody>{body}</tbody></table>{more}"
        )
    for note in summary.get("notes", []):
        parts.append(f"<p class='note'>{esc(note)}</p>")
    return "\n".join(parts)
