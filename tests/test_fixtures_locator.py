"""One way to find the shared fixtures (tests/conftest.py ``shared_fixture``), and the package never reads them."""

from __future__ import annotations

import re

import conftest
import pytest
from conftest import REPO, shared_fixture


def test_a_present_fixture_is_returned(tmp_path, monkeypatch):
    (tmp_path / "real_sheets").mkdir()
    monkeypatch.setattr(conftest, "FIXTURES", tmp_path)
    assert shared_fixture("real_sheets") == tmp_path / "real_sheets"


def test_a_missing_fixture_skips_here_and_fails_under_the_flag(tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "FIXTURES", tmp_path / "nowhere")
    monkeypatch.delenv("HERBPROC_REQUIRE_FIXTURES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="nowhere/real_sheets not found"):
        shared_fixture("real_sheets")
    monkeypatch.setenv("HERBPROC_REQUIRE_FIXTURES", "1")
    with pytest.raises(pytest.fail.Exception, match="HERBPROC_FIXTURES"):
        shared_fixture("real_sheets")


def test_tests_find_fixtures_only_through_the_locator():
    own_paths = [
        p.name
        for p in sorted((REPO / "tests").glob("*.py"))
        if p.name != "conftest.py" and re.search(r"""["']shared["']\s*/\s*["']fixtures""", p.read_text())
    ]
    assert not own_paths


def test_the_package_never_reads_the_shared_folder():
    readers = [
        str(p.relative_to(REPO))
        for folder in ("herbproc", "hpc", "configs")
        for p in sorted((REPO / folder).rglob("*"))
        if p.is_file()
        and p.suffix in (".py", ".yaml", ".j2")
        and re.search(r"\.\./shared|/work/shared|shared/fixtures", p.read_text())
    ]
    assert not readers
