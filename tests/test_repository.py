"""The tree holds no half-finished merge: a conflict marker left in a page of docs, a stylesheet
or code is a defect nobody's test of behaviour would see."""

import subprocess
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
MARKERS = ("<<<<<<< ", ">>>>>>> ")


def test_no_tracked_file_holds_a_merge_conflict_marker():
    tracked = subprocess.run(
        ["git", "ls-files", "-z"],  # noqa: S607 - git from PATH, as the developer runs it
        cwd=BASE_DIR,
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split("\0")
    found = []
    for name in filter(None, tracked):
        path = BASE_DIR / name
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        found += [f"{name}:{n}" for n, line in enumerate(lines, 1) if line.startswith(MARKERS)]
    assert found == []
