"""gunicorn's settings for Keel (``gunicorn -c config/gunicorn.py config.wsgi``): every worker
counts requests into one directory of Prometheus files, so ``/metrics`` from any worker reports
them all."""

import os
import shutil
from pathlib import Path
from typing import Any

_var_dir = Path(os.environ.get("KEEL_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
metrics_dir = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_var_dir / "prometheus")))


def on_starting(server: Any) -> None:
    # Counts start again with the server; files of an earlier run would be added to them.
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
