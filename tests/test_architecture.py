"""The shape of the code: apps import only from the apps below them (``lint-imports`` with the
contracts in pyproject.toml, docs/architecture.md), and no module of application code grows past
400 lines."""

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_MODULE_LINES = 400


def _application_packages() -> list[str]:
    settings = tomllib.loads((REPO / "pyproject.toml").read_text())
    return list(settings["tool"]["importlinter"]["root_packages"])


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own virtualenv's tool
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _copy_of_the_tree(tmp_path: Path) -> Path:
    for package in _application_packages():
        shutil.copytree(
            REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_its_layers():
    checked = _lint_imports(REPO)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 broken" in checked.stdout


@pytest.mark.parametrize(
    ("module", "source", "refusal"),
    [
        (
            "programmes/leak.py",
            "from oncall import selectors\n",
            "programmes is not allowed to import oncall",
        ),
        (
            "oncall/leak.py",
            "from scorecards import models\n",
            "oncall is not allowed to import scorecards",
        ),
        (
            "scorecards/leak.py",
            "import oncall.models\n",
            "scorecards is not allowed to import oncall",
        ),
        (
            "programmes/leak.py",
            "from config import settings\n",
            "programmes is not allowed to import config",
        ),
    ],
)
def test_an_import_against_the_layers_fails_the_check(tmp_path, module, source, refusal):
    tree = _copy_of_the_tree(tmp_path)
    (tree / module).write_text(source)
    checked = _lint_imports(tree)
    assert checked.returncode != 0
    assert refusal in checked.stdout


def test_no_application_module_is_over_400_lines():
    too_long = {}
    for package in _application_packages():
        for module in (REPO / package).rglob("*.py"):
            relative = module.relative_to(REPO).as_posix()
            if "/migrations/" in relative:
                continue
            lines = len(module.read_text().splitlines())
            if lines > MAX_MODULE_LINES:
                too_long[relative] = lines
    assert too_long == {}, "split these by noun (docs/architecture.md)"


def _private_uses(module: Path, packages: list[str], root: Path = REPO) -> list[str]:
    """Where ``module`` takes a name starting with ``_`` from another of Keel's modules."""
    tree = ast.parse(module.read_text())
    imported_modules: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            ours = node.level > 0 or (node.module or "").split(".")[0] in packages
            for alias in node.names:
                if ours and alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{module.relative_to(root)}:{node.lineno} imports {alias.name}")
                if ours:
                    imported_modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in packages:
                    imported_modules.add((alias.asname or alias.name).split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in imported_modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(
                f"{module.relative_to(root)}:{node.lineno} uses {node.value.id}.{node.attr}"
            )
    return found


def test_no_module_uses_another_modules_private_names():
    packages = _application_packages()
    found = [
        use
        for package in packages
        for module in sorted((REPO / package).rglob("*.py"))
        if "/migrations/" not in module.as_posix()
        for use in _private_uses(module, packages)
    ]
    assert found == []


def test_the_private_name_check_finds_a_leak(tmp_path):
    leak = tmp_path / "oncall" / "leak.py"
    leak.parent.mkdir()
    leak.write_text(
        "from oncall import selectors\nfrom .models import _hidden\nselectors._peek()\n"
    )
    assert _private_uses(leak, ["oncall"], root=tmp_path) == [
        "oncall/leak.py:2 imports _hidden",
        "oncall/leak.py:3 uses selectors._peek",
    ]
