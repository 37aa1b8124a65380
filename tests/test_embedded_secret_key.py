"""The embedded run's secret key: web workers that start together all sign with one key."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from config import settings

BASE_DIR = Path(__file__).resolve().parent.parent
WORKERS = 8


def test_workers_starting_together_share_one_secret_key_that_only_its_owner_can_read(tmp_path):
    env = {**os.environ, "KEEL_VAR_DIR": str(tmp_path), "SECRET_KEY": ""}
    # Each process reads the settings as a gunicorn worker does when it boots.
    code = "import config.settings as settings; print(settings.SECRET_KEY)"
    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", code], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE
        )
        for _ in range(WORKERS)
    ]
    keys = {worker.communicate(timeout=60)[0].decode().strip() for worker in workers}

    assert len(keys) == 1
    assert len(keys.pop()) >= 50
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith("secret")] == [
        "secret-key"
    ]
    assert stat.S_IMODE((tmp_path / "secret-key").stat().st_mode) == 0o600


def test_a_worker_that_checked_before_another_wrote_the_key_keeps_the_key_written(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(settings, "VAR_DIR", tmp_path)
    first = settings._embedded_secret_key()
    # The second worker looked before the first had written its key, and saw none.
    monkeypatch.setattr(Path, "exists", lambda path: False)

    second = settings._embedded_secret_key()

    assert second == first
    assert sorted(path.name for path in tmp_path.iterdir()) == ["secret-key"]
