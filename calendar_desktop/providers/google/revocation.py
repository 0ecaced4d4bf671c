"""Revoking a grant at Google's revocation endpoint (best effort: the answer is only logged)."""

from __future__ import annotations

import logging
from http.client import HTTPException
from urllib.parse import urlencode

import httplib2

from calendar_desktop.providers.google.endpoints import GoogleEndpoints

log = logging.getLogger(__name__)


def revoke_token(endpoints: GoogleEndpoints, token: str, *, timeout: float = 30.0) -> bool:
    """POST ``token`` (a refresh token revokes its access tokens too); True when Google confirmed.

    Never raises for network trouble: a grant that could not be revoked here can still be
    removed by the user at https://myaccount.google.com/permissions.
    """
    http = httplib2.Http(timeout=timeout)
    try:
        response, _ = http.request(
            endpoints.revoke_uri,
            "POST",
            body=urlencode({"token": token}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    except (OSError, HTTPException, httplib2.HttpLib2Error) as exc:
        log.warning("Could not reach Google to revoke the grant (%s)", type(exc).__name__)
        return False
    finally:
        http.close()
    if response.status != 200:
        log.warning("Google answered %s to the revocation request", response.status)
    return response.status == 200
