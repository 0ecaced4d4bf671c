"""The HTTP client MSAL uses (its ``http_client`` parameter), built on httpx.

MSAL needs ``get``/``post`` returning an object with ``status_code``, ``text``, ``headers`` and
``raise_for_status`` (msal ``oauth2cli/http.py``); an ``httpx.Response`` is one. Using httpx
here, as for Graph, gives one set of timeouts and one family of network errors
(``httpx.TransportError``) to turn into "offline" for the user.

``routes`` maps a URL prefix to another (``https://login.microsoftonline.com`` →
``http://127.0.0.1:PORT``): how an emulator on loopback stands in for the real host, which
MSAL insists on being https.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from calendar_desktop.providers.microsoft.tls import tls_context

DEFAULT_TIMEOUT_S = 30.0


class MsalHttpClient:
    def __init__(self, routes: Mapping[str, str] | None = None, *, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self._routes = dict(routes or {})
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, verify=tls_context())

    def _route(self, url: str) -> str:
        for prefix, target in self._routes.items():
            if url == prefix or url.startswith(prefix + "/"):
                return target + url[len(prefix) :]
        return url

    def get(
        self, url: str, params: object = None, headers: Mapping[str, str] | None = None, **_: object
    ) -> httpx.Response:
        return self._client.get(self._route(url), params=params, headers=headers)  # type: ignore[arg-type]

    def post(
        self,
        url: str,
        params: object = None,
        data: object = None,
        headers: Mapping[str, str] | None = None,
        **_: object,
    ) -> httpx.Response:
        route = self._route(url)
        if isinstance(data, (str, bytes)):
            return self._client.post(route, params=params, content=data, headers=headers)  # type: ignore[arg-type]
        return self._client.post(route, params=params, data=data, headers=headers)  # type: ignore[arg-type]

    def close(self) -> None:
        self._client.close()
