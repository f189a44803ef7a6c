"""The report's HTML lives in herbproc/report/templates/: no tags in Python, values escaped, no orphan template."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import REPO

from herbproc.config import compose
from herbproc.report.render import TEMPLATES, render

HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

# Report HTML written in Python source instead of a template (case-insensitive).
TAG = re.compile(r"<(?:table|tr|td|th|div|h2|h3|figure)\b|<p[ >]", re.IGNORECASE)
# Python files that may write such markup, and why.
NOT_REPORT_HTML = {
    "herbproc/export/dwca.py": "writes the Darwin Core Archive's XML (meta.xml, eml.xml), not report HTML",
}


def test_no_report_html_in_python_source():
    for path in NOT_REPORT_HTML:
        assert (REPO / path).exists(), f"{path} is excluded from the scan but no longer exists"
    found = []
    for module in sorted((REPO / "herbproc").rglob("*.py")):
        rel = module.relative_to(REPO).as_posix()
        if rel in NOT_REPORT_HTML or module.is_relative_to(TEMPLATES):
            continue
        for n, line in enumerate(module.read_text().splitlines(), 1):
            if TAG.search(line):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert not found, "report HTML belongs in herbproc/report/templates/:\n" + "\n".join(found)


def test_ingest_section_escapes_the_input_path_and_class_names_and_caps_the_classes(tmp_path):
    from herbproc.gbif.report import report_section
    from herbproc.paths import RunPaths

    paths = RunPaths(tmp_path)
    paths.stage_dir("ingest").mkdir(parents=True)
    summary = {"records_in": 30, "input": f"/data/{HOSTILE}.zip", "source": "dwca", "images": 23, "classes": 23,
               "label_level": "species", "splits": {"train": 20, "val": 2, "test": 1}, "dropped": {HOSTILE: 1},
               "notes": [f"note {HOSTILE}"]}  # fmt: skip
    (paths.stage_dir("ingest") / "summary.json").write_text(json.dumps(summary))
    pd.DataFrame({"label": range(23), "name": [f"{HOSTILE} {i}" for i in range(23)], "n_images": range(23, 0, -1),
                  "n_train": 1, "n_val": 0, "n_test": 0}).to_csv(paths.classes, index=False)  # fmt: skip
    html = report_section(tmp_path)
    assert "<script" not in html
    assert f"<code>/data/{ESCAPED}.zip</code>" in html and f"<td>{ESCAPED} 0</td>" in html
    assert f"<p class='note'>note {ESCAPED}</p>" in html and f"<td>{ESCAPED}</td><td></td>" in html
    assert html.count(f"<td>{ESCAPED} ") == 20 and "… and 3 more classes (classes.csv)." in html
    assert "&amp;lt;" not in html  # escaped once, not twice


def test_predict_and_train_sections_escape_names(tmp_path):
    from herbproc.ielt import predict, train

    out = tmp_path / "predict"
    out.mkdir()
    summary = {"sheets": 3, "store": f"/s/{HOSTILE}", "mean_top1_probability": 0.5, "top1_counts": {HOSTILE: 3}}
    (out / "summary.json").write_text(json.dumps(summary))
    html = predict.report_section(compose(["stage=predict", f"run_dir={tmp_path}"], check_inputs=False), tmp_path)
    assert "<script" not in html and "&amp;lt;" not in html
    assert f"<code>/s/{ESCAPED}</code>" in html and f"<tr><td>{ESCAPED}</td><td class='num'>3</td></tr>" in html
    assert "mean top-1 probability 50.0%." in html

    out = train.train_dir(tmp_path)
    out.mkdir(parents=True)
    epoch = {k: 0.5 for k in train.METRIC_COLUMNS} | {"epoch": 1, "steps": 2}
    metrics = {"epochs": [epoch], "best": {"val_top1": 0.5, "epoch": 1}, "model": {"name": HOSTILE},
               "train_images": 4, "val_images": 2, "variant": HOSTILE, "classes": 2, "world_size": 1,
               "batch_size": 2, "precision": "fp32"}  # fmt: skip
    (out / "metrics.json").write_text(json.dumps(metrics))
    cfg = compose(["stage=train", f"run_dir={tmp_path}"], check_inputs=False)
    html = train.report_section(cfg, tmp_path / "assets")
    assert "<script" not in html and "&amp;lt;" not in html
    assert f"({ESCAPED} images)" in html and "best validation top-1 50.0% (epoch 1)" in html


def templates_named_by_code() -> set[str]:
    named = set()
    for module in (REPO / "herbproc").rglob("*.py"):
        named |= set(re.findall(r"render\(\s*\"([\w.]+\.j2)\"", module.read_text()))
    for template in TEMPLATES.glob("*.j2"):
        named |= set(re.findall(r"{%-?\s*(?:from|import|include|extends)\s+\"([\w.]+\.j2)\"", template.read_text()))
    return named


def test_no_orphan_template():
    orphans = {p.name for p in TEMPLATES.glob("*.j2")} - templates_named_by_code()
    assert not orphans, f"templates no module renders and no template imports: {sorted(orphans)}"


NOT_FINISHED = {
    "ingest.html.j2": ({"summary": None}, "<p>ingest has not run.</p>"),
    "download.html.j2": ({"summary": None}, "<p>download has not finished.</p>"),
    "mask.html.j2": ({"summary": None}, "<p>mask has not finished.</p>"),
    "ocr.html.j2": ({"sheets": 0}, "<p>No OCR results yet"),
    "phenology.html.j2": ({"summary": None}, "<p>phenology has not finished.</p>"),
    "train.html.j2": ({"metrics": None}, "<p>train has not finished an epoch.</p>"),
    "evaluate.html.j2": ({"m": None}, "<p>evaluate has not finished.</p>"),
    "predict.html.j2": ({"summary": None}, "<p>predict has not finished.</p>"),
}


@pytest.mark.parametrize("name", sorted(NOT_FINISHED))
def test_section_templates_render_their_not_finished_branch_from_one_value(name):
    context, text = NOT_FINISHED[name]
    assert render(name, **context).strip().startswith(text)


def test_every_section_template_has_a_not_finished_case_or_is_a_part():
    parts = {"page.html.j2", "_macros.html.j2", "ocr_samples.html.j2", "phenology_samples.html.j2"}
    assert {p.name for p in TEMPLATES.glob("*.j2")} == set(NOT_FINISHED) | parts
