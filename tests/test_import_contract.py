"""The house rules, read from the source: stages never import stages, and herbproc never imports the scheduler edge.

Every import counts, lazy ones inside functions too. The stages are the packages and modules that
``configs/stage/*.yaml`` name; everything else in ``herbproc/`` is the shared base or a library, which may import
neither. The command line (``herbproc.cli``) is an entry point and may reach every stage's tool parser.

What two stages both need lives in the base (``herbproc/*.py``) or a library (``store``, ``fetch``, ``fields``,
``sheet``, ``synthetic``, ``training``, ``models``, ``schema``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "herbproc"
ENTRY_POINTS = {"herbproc.cli"}
# A library that still lives inside a stage's package; the stages' report sections render through it.
LIBRARIES_INSIDE_STAGES = {"herbproc.report.render"}
FORBIDDEN = ("hpc", "submitit")


def stage_units() -> set[str]:
    """``herbproc.mask`` for a stage package, ``herbproc.noop`` for a stage module."""
    units = set()
    for path in (REPO / "configs" / "stage").glob("*.yaml"):
        module = (yaml.safe_load(path.read_text()) or {}).get("module", "none")
        if module.startswith("herbproc."):
            units.add(".".join(module.split(".")[:2]))
    return units


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, module: str | None = None) -> set[str]:
    module = module or module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def owner(module: str, units: set[str]) -> str | None:
    """The stage a module belongs to, or None for the base and the libraries."""
    if module in LIBRARIES_INSIDE_STAGES or any(
        module.startswith(f"{lib}.") for lib in LIBRARIES_INSIDE_STAGES
    ):
        return None
    for unit in units:
        if module == unit or module.startswith(unit + "."):
            return unit.split(".")[1]
    return None


def unit_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def package_modules() -> list[tuple[str, Path]]:
    return [(module_name(path), path) for path in sorted(PACKAGE.rglob("*.py"))]


def crossings(modules: list[tuple[str, Path]]) -> list[str]:
    """``source -> target`` for every import from one stage into another, or from the base into a stage."""
    units = stage_units()
    where = []
    for source, path in modules:
        if source in ENTRY_POINTS:
            continue
        mine = owner(source, units)
        for target in sorted(imports_of(path, source)):
            theirs = owner(target, units)
            if theirs is not None and theirs != mine:
                where.append(f"{source} -> {target}")
    return where


def test_the_stages_are_found():
    units = stage_units()
    assert {"herbproc.mask", "herbproc.ocr", "herbproc.ielt", "herbproc.gbif", "herbproc.noop"} <= units
    assert "herbproc.store" not in units and "herbproc.fields" not in units


def test_no_stage_imports_another_stage():
    where = crossings(package_modules())
    assert not where, "imports across stages: " + "; ".join(where)


def test_a_crossing_is_caught(tmp_path):
    (tmp_path / "a.py").write_text("def f():\n    from herbproc.mask.stage import store_dir\n")
    (tmp_path / "b.py").write_text("import herbproc.ocr\n")
    (tmp_path / "c.py").write_text(
        "from herbproc.store import open_store\nfrom herbproc.fields import DWC_TERMS\n"
    )
    modules = [
        ("herbproc.ocr.a", tmp_path / "a.py"),  # a stage into another stage
        ("herbproc.fields.b", tmp_path / "b.py"),  # a library into a stage
        ("herbproc.ocr.c", tmp_path / "c.py"),  # a stage into libraries: allowed
        ("herbproc.mask.a", tmp_path / "a.py"),  # a stage into itself: allowed
    ]
    assert crossings(modules) == [
        "herbproc.ocr.a -> herbproc.mask.stage",
        "herbproc.ocr.a -> herbproc.mask.stage.store_dir",
        "herbproc.fields.b -> herbproc.ocr",
    ]


def test_herbproc_never_imports_the_scheduler_edge():
    bad = [
        f"{module_name(path)} -> {target}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for target in imports_of(path)
        if target.split(".")[0] in FORBIDDEN
    ]
    assert not bad, bad


def test_the_reader_sees_lazy_and_relative_imports(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from ..mask import stage\n    import herbproc.synth.stage\n")
    found = imports_of(probe, "herbproc.ocr.probe")
    assert {"herbproc.mask", "herbproc.mask.stage", "herbproc.synth.stage"} <= found
    units = stage_units()
    assert owner("herbproc.mask.stage", units) == "mask" and owner("herbproc.fields.taxon", units) is None


def test_the_documented_names_keep_their_import_paths():
    from herbproc.fields import DWC_TERMS, resolve_taxon
    from herbproc.ielt import IELT, from_official_state_dict, load_vit_npz
    from herbproc.mask import mask_image, settings_from
    from herbproc.ocr import LabelReader, ocr_settings
    from herbproc.phenology import parse_condition
    from herbproc.store import open_store
    from herbproc.synth import make_world, render_sheet

    names = [IELT, load_vit_npz, from_official_state_dict, open_store, parse_condition, LabelReader, ocr_settings]
    names += [resolve_taxon, mask_image, settings_from, make_world, render_sheet]
    assert all(callable(n) for n in names) and "scientificName" in DWC_TERMS
    assert IELT.__module__ == "herbproc.models.ielt.model" and parse_condition("fl.") == {"flowers"}


def test_the_stage_modules_import_without_torch():
    """The launcher checks every stage of a pipeline and the report reads every stage's section: neither imports
    torch (seconds per process); a stage's shard imports it when it runs."""
    import subprocess
    import sys

    modules = sorted(
        m for p in (REPO / "configs" / "stage").glob("*.yaml")
        if (m := (yaml.safe_load(p.read_text()) or {}).get("module", "none")).startswith("herbproc.")
    )  # fmt: skip
    probe = f"import sys\nfor m in {modules!r}:\n    __import__(m)\nprint(sorted(k for k in ('torch', 'timm') if k in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "herbproc.ielt.train" in modules and "herbproc.phenology.stage" in modules
    assert out.stdout.strip() == "[]", f"imported with the stage modules: {out.stdout.strip()}"
    from herbproc.ielt.train import Trainer  # the names it re-exports still load, on first use

    assert Trainer.__name__ == "Trainer"
