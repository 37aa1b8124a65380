"""A local SMTP server that speaks just enough of the protocol to refuse every recipient."""

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class RefusingSmtpServer:
    """Greets, accepts the sender, answers 550 to every ``RCPT TO``; records what it was asked."""

    port: int = 0
    commands: list[str] = field(default_factory=list)


def _handler_for(server: RefusingSmtpServer) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            self.reply("220 stub.example ESMTP")
            for raw in self.rfile:
                command = raw.decode(errors="replace").strip()
                server.commands.append(command)
                verb = command.split(" ", 1)[0].upper()
                if verb in {"EHLO", "HELO"}:
                    self.reply("250 stub.example")
                elif verb == "RCPT":
                    self.reply("550 5.1.1 No such user here")
                elif verb == "QUIT":
                    self.reply("221 Bye")
                    return
                else:
                    self.reply("250 OK")

    return Handler


@contextmanager
def refusing_smtp_server() -> Iterator[RefusingSmtpServer]:
    stub = RefusingSmtpServer()
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler_for(stub)) as tcp:
        tcp.daemon_threads = True
        stub.port = tcp.server_address[1]
        thread = threading.Thread(target=tcp.serve_forever, daemon=True)
        thread.start()
        try:
            yield stub
        finally:
            tcp.shutdown()
