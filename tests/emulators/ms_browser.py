#!/usr/bin/env python3
"""A stand-in browser for OAuth tests: ``BROWSER=/path/to/ms_browser.py`` (standard library only).

Python's ``webbrowser`` runs ``$BROWSER URL`` and waits for it to exit, like a real browser
launcher that hands the URL to a running browser. So this script detaches a copy of itself and
returns at once; the copy then does what a browser would:

1. GET the URL, following redirects;
2. if the page holds a form (the identity platform's ``response_mode=form_post`` page, which a
   browser submits by script), submit it with its hidden fields to its ``action`` (the app's
   loopback listener), by POST unless the form says GET;
3. repeat for a few hops, then stop.

``MS_BROWSER_LOG=FILE`` appends one JSON line per step (method, URL without query, status, the
names of the form fields posted, never their values), so tests can check what happened.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

MAX_HOPS = 5
TIMEOUT_S = 30


class _FormFinder(HTMLParser):
    """The first form of a page: its action, method and input fields."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.method = "GET"
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and not self._done:
            self._in_form = True
            self.action = values.get("action", "")
            self.method = values.get("method", "GET").upper()
        elif tag == "input" and self._in_form and values.get("name") and values.get("type", "text") != "submit":
            self.fields.append((values["name"], values.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._in_form:
            self._in_form = False
            self._done = True


def read_form(page: str) -> tuple[str | None, str, list[tuple[str, str]]]:
    """(action, method, fields) of the first form of an HTML page; action None when there is none."""
    finder = _FormFinder()
    finder.feed(page)
    return finder.action, finder.method, finder.fields


def _log(entry: dict[str, object]) -> None:
    path = os.environ.get("MS_BROWSER_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")


def _without_query(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _fetch(method: str, url: str, data: bytes | None) -> tuple[int, str, str]:
    """(status, final URL, body) of a request, redirects followed."""
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return response.status, response.geturl(), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode("utf-8", "replace")


def browse(url: str) -> None:
    method, data = "GET", None
    for _ in range(MAX_HOPS):
        try:
            status, final_url, body = _fetch(method, url, data)
        except OSError as error:
            _log({"method": method, "url": _without_query(url), "error": type(error).__name__})
            return
        action, form_method, fields = read_form(body)
        _log({"method": method, "url": _without_query(final_url), "status": status, "form": action is not None})
        if action is None or status >= 400:
            return
        url = urllib.parse.urljoin(final_url, action)
        encoded = urllib.parse.urlencode(fields)
        if form_method == "POST":
            method, data = "POST", encoded.encode()
        else:
            method, data = "GET", None
            url = f"{url}{'&' if '?' in url else '?'}{encoded}"
        _log({"submit": form_method, "to": _without_query(url), "fields": [name for name, _ in fields]})


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--attached":
        browse(argv[2])
        return 0
    if len(argv) != 2:
        print("usage: ms_browser.py URL", file=sys.stderr)
        return 2
    subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--attached", argv[1]],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
