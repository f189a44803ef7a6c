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


def test_report_reruns_and_tolerates_a_broken_stage_section(tmp_path, monkeypatch):
    import herbproc.noop
    from herbproc.config import compose
    from herbproc.report.stage import build_report

    assert run_cli("launch", "stage=noop", f"run_dir={tmp_path}", "noop.count=2").returncode == 0

    def broken(cfg, assets):
        raise RuntimeError("section exploded")

    monkeypatch.setattr(herbproc.noop, "report_section", broken, raising=False)
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
    assert shot.stat().st_size > 10_000
