"""The runtime requirements alone start Keel on Redis: nothing it imports comes only from a test
tool that happens to be installed beside it."""

import importlib.metadata
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement

BASE_DIR = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter: any module of a distribution outside the runtime requirements is
# made unimportable, as it would be in a virtualenv holding requirements.txt alone.
START_WITH_RUNTIME_REQUIREMENTS_ONLY = """
import importlib.abc, importlib.metadata, os, sys

allowed = set(sys.argv[1].split(","))
owners = importlib.metadata.packages_distributions()

class OnlyRuntimeRequirements(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        distributions = {d.lower().replace("_", "-") for d in owners.get(name.split(".")[0], [])}
        if distributions and not distributions & allowed:
            raise ModuleNotFoundError(f"No module named {name!r} (from {sorted(distributions)})")
        return None

sys.meta_path.insert(0, OnlyRuntimeRequirements())
os.environ["CELERY_BROKER_URL"] = "redis://127.0.0.1:6379/0"
import django
django.setup()
from config.wsgi import application
from config.celery import app
app.connection_for_write().transport  # loads kombu's Redis transport, without connecting
print("started")
"""


def _normalised(name: str) -> str:
    return name.lower().replace("_", "-")


def runtime_distributions() -> set[str]:
    """Every distribution that installing requirements.txt brings in, extras included."""
    wanted = [
        Requirement(line.split("#")[0].strip())
        for line in (BASE_DIR / "requirements.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    found: set[str] = set()
    while wanted:
        requirement = wanted.pop()
        extras = requirement.extras or {""}
        name = _normalised(requirement.name)
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in found:
            continue
        found.update({key, name})
        for declared in importlib.metadata.requires(requirement.name) or []:
            dependency = Requirement(declared)
            if dependency.marker is None or any(
                dependency.marker.evaluate({"extra": extra}) for extra in extras
            ):
                wanted.append(dependency)
    return {entry for entry in found if "[" not in entry}


def test_keel_starts_on_redis_with_the_runtime_requirements_alone():
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [
            sys.executable,
            "-c",
            START_WITH_RUNTIME_REQUIREMENTS_ONLY,
            ",".join(runtime_distributions()),
        ],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("started")
