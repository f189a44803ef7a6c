"""stage=report: one HTML page with a section per stage that ran, failures by reason, figures."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import REPO, run_cli


def test_report_has_a_section_per_stage_with_failures(tmp_path):
    assert (
        run_cli(
            "launch",
            "stage=noop",
            f"run_dir={tmp_path}",
            "shards=2",
            "noop.count=6",
            "noop.fail_items=[item00002]",
            "noop.hold_mb=200",
            "stage.mem_gb=3",
        ).returncode
        == 0
    )
    proc = run_cli("launch", "stage=report", f"run_dir={tmp_path}")
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "report" / "index.html").read_text()
    assert 'id="noop"' in page and "does nothing per item" in page
    assert "poisoned" in page and "item00002" in page
    assert (tmp_path / "report" / "noop_shard_seconds.png").stat().st_size > 1000
    assert 'id="report"' not in page
    import re

    peak = re.search(r"<b>([\d.]+) GB</b><span>peak memory \(3 GB asked\)", page)
    assert peak and 200 / 1024 <= float(peak.group(1)) < 3  # the 200 MB each shard held


def test_report_reruns_and_tolerates_a_broken_stage_section(tmp_path, monkeypatch):
    import dataclasses

    import herbproc.noop
    from herbproc.config import compose
    from herbproc.report.stage import build_report

    assert run_cli("launch", "stage=noop", f"run_dir={tmp_path}", "noop.count=2").returncode == 0

    def broken(cfg, assets):
        raise RuntimeError("section exploded")

    monkeypatch.setattr(herbproc.noop, "STAGE", dataclasses.replace(herbproc.noop.STAGE, report_section=broken))
    page = build_report(compose(["stage=report", f"run_dir={tmp_path}"])).read_text()
    assert "section exploded" in page and 'id="noop"' in page
    first = run_cli("launch", "stage=report", f"run_dir={tmp_path}")
    second = run_cli("launch", "stage=report", f"run_dir={tmp_path}")
    assert "nothing to do" not in first.stdout + second.stdout


def test_report_of_an_empty_run(tmp_path):
    proc = run_cli("launch", "stage=report", f"run_dir={tmp_path}")
    assert proc.returncode == 0
    assert "No stage has run" in (tmp_path / "report" / "index.html").read_text()


@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="chromium is not installed (apt-get install chromium)"
)
def test_report_renders_in_headless_chromium(tmp_path):
    assert run_cli("launch", "stage=noop", f"run_dir={tmp_path}", "noop.count=2").returncode == 0
    assert run_cli("launch", "stage=report", f"run_dir={tmp_path}").returncode == 0
    shot = tmp_path / "shot.png"
    subprocess.run(
        ["bash", str(REPO / "scripts" / "screenshot_report.sh"), str(tmp_path), str(shot)],
        check=True,
        timeout=120,
    )
    import cv2

    image = cv2.imread(str(shot))  # BGR
    assert image.shape[:2] == (2400, 1280)
    blue, green, red = (int(v) for v in image[20, 20])
    assert green > red + 20 and green > blue + 20, "the header band's green: the page's stylesheet applied"
    card = image[150:400, 100:1100]
    assert (card.min(axis=2) < 80).mean() > 0.001, "the stage's card holds text"


def test_every_template_the_code_names_is_a_file_that_compiles():
    import re

    from herbproc.report.render import TEMPLATES, environment

    named = set()
    for module in (REPO / "herbproc").rglob("*.py"):
        named |= set(re.findall(r"render\(\s*\"([\w.]+\.j2)\"", module.read_text()))
    assert {"page.html.j2", "ocr.html.j2", "mask.html.j2", "phenology.html.j2"} <= named
    for name in named | {p.name for p in TEMPLATES.glob("*.j2")}:
        environment().get_template(name)  # raises TemplateNotFound / TemplateSyntaxError


def test_templates_escape_values_and_refuse_missing_ones():
    import jinja2

    from herbproc.report.render import render

    page = render("ocr_samples.html.j2", samples=[
        {"gbif_id": "<b>1</b>", "picture": None, "fields": [("locality", "<script>x</script>", 0.5)]}
    ], crop_width=10)  # fmt: skip
    assert "&lt;script&gt;" in page and "<script>" not in page and "&lt;b&gt;1" in page
    with pytest.raises(jinja2.UndefinedError):
        render("ocr_samples.html.j2", samples=[{"gbif_id": "1", "fields": []}])  # no crop_width, no picture
