"""With LOG_LEVEL=DEBUG, request lines of outbound calls never show query values."""

from __future__ import annotations

import io
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from handoffs.outbound import http
from handoffs.outbound.log_redaction import RedactQueryStrings


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:  # the receiver's own access log is not ours
        pass


@pytest.fixture
def receiver_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def console_output():
    """What the configured console handler writes, with urllib3 at DEBUG."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactQueryStrings) for f in h.filters)
    )
    buffer = io.StringIO()
    previous_stream = handler.setStream(buffer)
    urllib3_logger = logging.getLogger("urllib3")
    previous_level = urllib3_logger.level
    urllib3_logger.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        urllib3_logger.setLevel(previous_level)
        handler.setStream(previous_stream)


def test_it_logs_the_request_line_without_the_receivers_token(receiver_url, console_output):
    url = f"{receiver_url}/hooks/dynamics?token=receiver-token-123&v=2"

    response, _ = http.post_json("callbacks-log-test", url, b"{}", {})

    logged = console_output.getvalue()
    assert response.status_code == 204
    assert "/hooks/dynamics?token=…&v=…" in logged
    assert "receiver-token-123" not in logged
