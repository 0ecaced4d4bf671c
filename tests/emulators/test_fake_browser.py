"""The fake browser: redirects, auto-submitted forms (form_post), and the detached $BROWSER mode."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from tests.emulators import fake_browser

FORM_POST_PAGE = """<html><head><title>Working...</title></head><body>
<form method="POST" name="hiddenform" action="/callback">
<input type="hidden" name="code" value="c0de" /><input type="hidden" name="state" value="s1" />
<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript>
</form><script language="javascript">window.setTimeout(function() {document.forms[0].submit();}, 0);</script>
</body></html>"""


class _Site(BaseHTTPRequestHandler):
    posted: list[dict[str, list[str]]]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _answer(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/start":
            self._answer(302, Location="/authorize")
        elif self.path == "/authorize":
            self._answer(200, FORM_POST_PAGE.encode(), Content_Type="text/html; charset=utf-8")
        elif self.path == "/plain-form":
            self._answer(200, b'<form method="post" action="/callback"><input name="x" value="1"></form>', Content_Type="text/html")
        else:
            self._answer(200, b"done", Content_Type="text/plain")

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.posted.append(parse_qs(self.rfile.read(length).decode()))  # type: ignore[attr-defined]
        self._answer(303, Location="/finished")


@pytest.fixture
def site() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    server.posted = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _url(server: ThreadingHTTPServer, path: str) -> str:
    return f"http://127.0.0.1:{server.server_port}{path}"


def test_follows_redirects_and_submits_self_posting_forms(site: ThreadingHTTPServer) -> None:
    hops = fake_browser.browse(_url(site, "/start"))

    assert [(hop["method"], hop["status"]) for hop in hops] == [("GET", 302), ("GET", 200), ("POST", 303), ("GET", 200)]
    assert hops[2]["url"] == _url(site, "/callback")
    assert site.posted == [{"code": ["c0de"], "state": ["s1"]}]  # type: ignore[attr-defined]


def test_a_form_that_does_not_submit_itself_is_left_alone(site: ThreadingHTTPServer) -> None:
    hops = fake_browser.browse(_url(site, "/plain-form"))

    assert len(hops) == 1 and site.posted == []  # type: ignore[attr-defined]


def test_as_browser_variable_it_returns_at_once_and_browses_in_the_background(site: ThreadingHTTPServer, tmp_path: Path) -> None:
    log = tmp_path / "visits.jsonl"
    env = {"FAKE_BROWSER_LOG": str(log), "PATH": ""}

    result = subprocess.run([sys.executable, fake_browser.__file__, _url(site, "/start")], env=env, timeout=10, check=False)

    assert result.returncode == 0
    deadline = time.monotonic() + 15
    while not (log.exists() and log.read_text().endswith("\n")) and time.monotonic() < deadline:
        time.sleep(0.05)
    visit = json.loads(log.read_text())
    assert visit["error"] is None and [hop["status"] for hop in visit["hops"]][-1] == 200


def test_usage_error() -> None:
    assert fake_browser.main(["fake_browser.py"]) == 2
