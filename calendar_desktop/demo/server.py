"""A local Radicale CalDAV server for the demo: 127.0.0.1 on a free port, storage in the demo profile,
any user name and password accepted. Started as a child process and stopped with the app."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

import httpx

log = logging.getLogger(__name__)
USER = "demo"
PASSWORD = "demo"
MKCOL_BODY = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/">
  <D:set><D:prop>
    <D:resourcetype><D:collection/><C:calendar/></D:resourcetype>
    <D:displayname>{name}</D:displayname>
    <I:calendar-color>{colour}</I:calendar-color>
    <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
  </D:prop></D:set>
</D:mkcol>"""


class DemoServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RadicaleServer:
    def __init__(self, storage: Path) -> None:
        self.storage = storage
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._client: httpx.Client | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def principal_url(self) -> str:
        return f"{self.url}{USER}/"

    def start(self, timeout: float = 20.0) -> None:
        self.storage.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{self.port}",
             "--storage-filesystem-folder", str(self.storage), "--auth-type", "none", "--auth-delay", "0",
             "--rights-type", "owner_only", "--logging-level", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            if self._process.poll() is not None:
                raise DemoServerError("The demo calendar server (Radicale) did not start. Is it installed? pip install radicale")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise DemoServerError("The demo calendar server (Radicale) did not answer in time.") from None
                time.sleep(0.05)
        self._client = httpx.Client(auth=(USER, PASSWORD), timeout=10.0)
        # Radicale creates a user's principal collection on the user's first request.
        self._request("PROPFIND", self.principal_url, headers={"Depth": "0"})
        log.info("demo CalDAV server listening on %s", self.url)

    def make_calendar(self, slug: str, name: str, colour: str) -> str:
        url = f"{self.principal_url}{slug}/"
        body = MKCOL_BODY.format(name=escape(name), colour=escape(colour))
        self._request("MKCOL", url, content=body.encode(), headers={"Content-Type": "application/xml"})
        return url

    def put(self, calendar_url: str, uid: str, ics: str) -> None:
        self._request("PUT", f"{calendar_url}{uid}.ics", content=ics.encode(),
                      headers={"Content-Type": "text/calendar; charset=utf-8"})  # fmt: skip

    def _request(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        assert self._client is not None, "start() the server first"
        response = self._client.request(method, url, **kwargs)  # type: ignore[arg-type]
        if response.status_code >= 400:
            raise DemoServerError(f"The demo server refused {method} {url}: HTTP {response.status_code}")
        return response

    def stop(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
        self._process = None
