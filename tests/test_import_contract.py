"""The house rules, read from the source: stages never import stages, and herbproc never imports the scheduler edge.

Every import counts, lazy ones inside functions too. The stages are the packages and modules that
``configs/stage/*.yaml`` name; everything else in ``herbproc/`` is the shared base or a library, which may import
neither. The command line (``herbproc.cli``) is an entry point and may reach every stage's tool parser.

``KNOWN_DEBT`` lists the imports that break the rule today and are being moved out (issue 16). It may only shrink:
an entry that no longer exists fails the test too, so that the list is kept true.
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

KNOWN_DEBT = {
    ("mask", "synth"),
}


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


def crossings() -> tuple[set[tuple[str, str]], list[str]]:
    units = stage_units()
    debts: set[tuple[str, str]] = set()
    where: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = module_name(path)
        if source in ENTRY_POINTS:
            continue
        mine = owner(source, units)
        for target in imports_of(path):
            theirs = owner(target, units)
            if theirs is not None and theirs != mine:
                debts.add((mine or unit_of(source), theirs))
                where.append(f"{source} -> {target}")
    return debts, where


def test_the_stages_are_found():
    units = stage_units()
    assert {"herbproc.mask", "herbproc.ocr", "herbproc.ielt", "herbproc.gbif", "herbproc.noop"} <= units
    assert "herbproc.store" not in units and "herbproc.fields" not in units


def test_no_stage_imports_another_stage_beyond_the_known_debt():
    debts, where = crossings()
    new = debts - KNOWN_DEBT
    assert not new, f"new imports across stages {sorted(new)}: " + "; ".join(
        w for w in where if (unit_of(w.split(" -> ")[0]), unit_of(w.split(" -> ")[1])) in new
    )


def test_the_known_debt_is_still_true():
    debts, _ = crossings()
    paid = KNOWN_DEBT - debts
    assert not paid, f"these no longer cross: remove them from KNOWN_DEBT: {sorted(paid)}"


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
    probe.write_text("def f():\n    from ..mask import stage\n    import herbproc.synth.world\n")
    found = imports_of(probe, "herbproc.ocr.probe")
    assert {"herbproc.mask", "herbproc.mask.stage", "herbproc.synth.world"} <= found
    units = stage_units()
    assert owner("herbproc.mask.stage", units) == "mask" and owner("herbproc.fields.taxon", units) is None
