"""The shape of the code: apps import only from the apps below them (``lint-imports`` with the
contracts in pyproject.toml, docs/architecture.md), and no module of application code grows past
400 lines."""

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
