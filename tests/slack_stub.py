"""A local HTTP server that stands in for a Slack incoming webhook, answering from a script."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class SlackStub:
    """Answers each POST with the next status in ``script`` (200 once the script runs out).

    ``hold_first`` keeps the first request waiting until ``release`` is set, to catch a sender
    in the middle of a delivery.
    """

    script: list[int] = field(default_factory=list)
    hold_first: bool = False
    received: list[dict[str, Any]] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)
    first_arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next_status(self) -> tuple[int, bool]:
        with self._lock:
            number = len(self.received)
            status = self.script[number - 1] if number <= len(self.script) else 200
            return status, number == 1 and self.hold_first


def _handler_for(stub: SlackStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            payload = json.loads(self.rfile.read(length) or b"{}")
            with stub._lock:
                stub.received.append(payload)
            status, hold = stub.next_status()
            if hold:
                stub.first_arrived.set()
                stub.release.wait(timeout=60)
            body = b"ok" if status < 300 else b"rate_limited" if status == 429 else b"server_error"
            try:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                return
            with stub._lock:
                stub.answered.append(status)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def running_slack_stub(**options: Any) -> Iterator[SlackStub]:
    stub = SlackStub(**options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(stub))
    server.daemon_threads = True
    stub.url = f"http://127.0.0.1:{server.server_address[1]}/services/T000/B000/XXXXSECRET"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        stub.release.set()
        server.shutdown()
        server.server_close()
