"""A real Celery worker, in its own process, on the test database and the configured broker."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from tests.conftest import IN_CI
from tests.servers import database_url_for_processes

BASE_DIR = Path(__file__).resolve().parents[2]
READY_TIMEOUT_SECONDS = 60


def _require_real_services() -> None:
    problems = []
    if connection.vendor != "postgresql":
        problems.append("PostgreSQL (set DATABASE_URL)")
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "amqp://")):
        problems.append("a Redis or RabbitMQ broker (set CELERY_BROKER_URL)")
    if problems:
        reason = "Celery worker tests need " + " and ".join(problems)
        if IN_CI:
            pytest.fail(f"CI=true but {reason}.")
        pytest.skip(reason)


def wait_for(condition: Callable[[], Any], *, timeout: float = 30, message: str = "") -> Any:
    """Poll ``condition`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {message or condition}")


@dataclass
class WorkerProcess:
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        name = f"test-{uuid.uuid4().hex[:8]}@%h"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                name,
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(
            lambda: (
                " ready." in self.log_path.read_text(errors="replace").split("--- start ---")[-1]
            ),
            timeout=READY_TIMEOUT_SECONDS,
            message=f"the Celery worker to start (log: {self.log_path})",
        )

    def kill(self) -> None:
        """Kill the worker and its pool at once, as a crash or an OOM kill would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None
        with self.log_path.open("a") as log:
            log.write("\n--- start ---\n")

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def worker_settings(settings: Any) -> Any:
    """Settings shared by the test process and the worker: local webhooks, quick retries."""
    settings.KEEL_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.KEEL_WEBHOOK_REQUIRE_HTTPS = False
    settings.KEEL_NOTIFICATION_RETRY_BASE_SECONDS = 0.2
    settings.KEEL_NOTIFICATION_RETRY_CAP_SECONDS = 1
    return settings


@pytest.fixture
def celery_worker(
    transactional_db: Any, worker_settings: Any, tmp_path: Path
) -> Iterator[WorkerProcess]:
    _require_real_services()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_processes(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "KEEL_VAR_DIR": str(tmp_path / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "KEEL_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "KEEL_WEBHOOK_REQUIRE_HTTPS": "false",
        "KEEL_NOTIFICATION_RETRY_BASE_SECONDS": "0.2",
        "KEEL_NOTIFICATION_RETRY_CAP_SECONDS": "1",
        "KEEL_BROKER_VISIBILITY_TIMEOUT": "5",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    app.control.purge()
    worker = WorkerProcess(env=env, log_path=tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop()
    app.control.purge()


def emails_sent(mail_dir: Path) -> list[str]:
    """The messages the file email backend wrote, one string each."""
    messages: list[str] = []
    for path in sorted(mail_dir.glob("*.log")):
        messages.extend(chunk for chunk in path.read_text().split("-" * 79) if "Subject:" in chunk)
    return messages
