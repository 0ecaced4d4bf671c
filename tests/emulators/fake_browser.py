#!/usr/bin/env python3
"""A browser, as far as OAuth sign-in flows are concerned: usable as ``BROWSER=/path/to/fake_browser.py``.

Python's ``webbrowser`` runs ``$BROWSER URL`` and, for a plain command, waits for it to exit;
an OAuth flow only starts listening for the redirect after that, so the script hands the work
to a detached copy of itself and returns at once. The copy GETs the URL, follows redirects
(302/303/307 ...), and when a page carries a form that submits itself (Microsoft's
``response_mode=form_post``) it posts the form's fields to the form's action and goes on.

Environment:
  FAKE_BROWSER_LOG         append one JSON line per visit to this file (url, every hop's status, error)
  FAKE_BROWSER_FOREGROUND  "1": do the work in this process instead of a detached one

Standard library only, so it runs with any Python 3.
"""

from __future__ import annotations

import html.parser
import http.client
import json
import os
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Callable

TIMEOUT_S = 30
MAX_HOPS = 20


class _FormFinder(html.parser.HTMLParser):
    """Finds the first POST form and its input fields, and whether the page submits it by script."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.in_script = False
        self.auto_submit = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "form" and self.action is None and values.get("method", "get").lower() == "post":
            self.action = values.get("action", "")
            self.in_form = True
        elif tag == "input" and self.in_form and values.get("name"):
            self.fields.append((values["name"], values.get("value", "")))
        elif tag == "script":
            self.in_script = True
        if "submit()" in values.get("onload", ""):
            self.auto_submit = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "submit()" in data:
            self.auto_submit = True


def read_form(page: str) -> tuple[str | None, str, list[tuple[str, str]]]:
    """The first POST form of an HTML page: (action, method, fields)."""
    form = _FormFinder()
    form.feed(page)
    return form.action, "POST", form.fields


def fetch(method: str, url: str, body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request, redirects not followed: (status, lower-cased headers, body)."""
    parts = urllib.parse.urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.netloc, timeout=TIMEOUT_S)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    headers = {"User-Agent": "fake-browser/1", "Accept": "text/html,*/*"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def browse(url: str) -> list[dict[str, object]]:
    """Visit ``url`` like a browser would; return the hops (method, url, status)."""
    hops: list[dict[str, object]] = []
    method, body = "GET", None
    for _ in range(MAX_HOPS):
        try:
            status, headers, content = fetch(method, url, body)
        except (OSError, http.client.HTTPException) as exc:  # a browser shows an error page and stops
            hops.append({"method": method, "url": url, "error": type(exc).__name__})
            break
        hops.append({"method": method, "url": url, "status": status})
        if status in (301, 302, 303, 307, 308) and "location" in headers:
            url = urllib.parse.urljoin(url, headers["location"])
            if status in (301, 302, 303):
                method, body = "GET", None
            continue
        if "html" in headers.get("content-type", ""):
            form = _FormFinder()
            form.feed(content.decode("utf-8", errors="replace"))
            if form.action is not None and form.auto_submit:
                url = urllib.parse.urljoin(url, form.action)
                method, body = "POST", urllib.parse.urlencode(form.fields).encode()
                continue
        break
    return hops


class ThreadedBrowser:
    """An in-process stand-in for the system browser, as an ``open_browser`` callable: ``open``
    visits the URL in a thread (``visit``: ``browse`` unless given) and returns True at once, as
    ``webbrowser.open`` does; ``join`` waits for every visit (call it before the test ends)."""

    def __init__(self, visit: Callable[[str], object] = browse) -> None:
        self._visit = visit
        self.urls: list[str] = []
        self._threads: list[threading.Thread] = []

    def open(self, url: str) -> bool:
        self.urls.append(url)
        thread = threading.Thread(target=self._visit, args=(url,), name="fake-browser")
        self._threads.append(thread)
        thread.start()
        return True

    def join(self, timeout: float = 30) -> None:
        for thread in self._threads:
            thread.join(timeout=timeout)


def read_visits(log: str | os.PathLike[str], timeout: float = 10.0) -> list[dict[str, object]]:
    """The visits a detached browser logged to ``log`` (waits for it to finish writing)."""
    import time

    deadline = time.monotonic() + timeout
    while not os.path.exists(log) and time.monotonic() < deadline:
        time.sleep(0.05)
    with open(log, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh.read().splitlines()]


def _record(entry: dict[str, object]) -> None:
    path = os.environ.get("FAKE_BROWSER_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")


def _visit(url: str) -> int:
    hops = browse(url)
    error = next((hop["error"] for hop in hops if "error" in hop), None)
    _record({"url": url, "hops": hops, "error": error})
    return 1 if error else 0


def _detach(url: str) -> None:
    options: dict[str, object] = {
        "stdin": subprocess.DEVNULL,
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
        "env": {**os.environ, "FAKE_BROWSER_FOREGROUND": "1"},
    }
    if os.name == "nt":
        options["creationflags"] = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        options["start_new_session"] = True
    subprocess.Popen([sys.executable, os.path.abspath(__file__), url], **options)  # noqa: S603 - our own script


def main(argv: list[str]) -> int:
    urls = [arg for arg in argv[1:] if arg.startswith(("http://", "https://"))]
    if len(urls) != 1:
        print("usage: fake_browser.py URL", file=sys.stderr)
        return 2
    if os.environ.get("FAKE_BROWSER_FOREGROUND") == "1":
        return _visit(urls[0])
    _detach(urls[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
