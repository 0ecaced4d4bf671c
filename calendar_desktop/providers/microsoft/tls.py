"""One TLS context for every HTTP client of the provider.

Building one (loading the CA bundle) costs 0.1–0.3 s; each account opens two clients (MSAL's
and Graph's), so they share this one. It verifies certificates like httpx's default.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx


@cache
def tls_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()
