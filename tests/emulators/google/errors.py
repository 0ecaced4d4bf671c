"""Errors in Google's JSON shape: ``{"error": {"code", "message", "errors": [...], "status"}}``."""

from __future__ import annotations

from typing import Any

# The gRPC-style status Google puts next to each HTTP code (absent for 410, as Google sends it).
_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    412: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}


class ApiError(Exception):
    """An error answer of the Calendar API."""

    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        *,
        domain: str = "global",
        headers: dict[str, str] | None = None,
        location: str | None = None,
        location_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.domain = domain
        self.headers = headers or {}
        self.location = location
        self.location_type = location_type

    def body(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"domain": self.domain, "reason": self.reason, "message": self.message}
        if self.location:
            detail["location"] = self.location
            detail["locationType"] = self.location_type or "parameter"
        error: dict[str, Any] = {"code": self.code, "message": self.message, "errors": [detail]}
        if self.code in _STATUS:
            error["status"] = _STATUS[self.code]
        return {"error": error}


def bad_request(message: str, reason: str = "badRequest", location: str | None = None) -> ApiError:
    return ApiError(400, reason, message, location=location)


def invalid_parameter(name: str, message: str) -> ApiError:
    return ApiError(400, "invalidParameter", message, location=name, location_type="parameter")


def not_found() -> ApiError:
    return ApiError(404, "notFound", "Not Found")


def unauthenticated() -> ApiError:
    return ApiError(
        401,
        "authError",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or "
        "other valid authentication credential.",
        headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"'},
        location="Authorization",
        location_type="header",
    )


def insufficient_scopes() -> ApiError:
    return ApiError(403, "insufficientPermissions", "Request had insufficient authentication scopes.")


def sync_token_expired() -> ApiError:
    return ApiError(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.")


def precondition_failed() -> ApiError:
    return ApiError(
        412, "conditionNotMet", "Precondition Failed", location="If-Match", location_type="header"
    )


# Errors the fault knobs inject, by (status, reason).
FAULTS: dict[tuple[int, str], tuple[str, str]] = {
    (429, "rateLimitExceeded"): ("usageLimits", "Rate Limit Exceeded"),
    (403, "rateLimitExceeded"): ("usageLimits", "Rate Limit Exceeded"),
    (403, "userRateLimitExceeded"): ("usageLimits", "User Rate Limit Exceeded"),
    (500, "backendError"): ("global", "Backend Error"),
    (503, "backendError"): ("global", "The service is currently unavailable."),
}


def injected(status: int, reason: str | None, retry_after: float | None) -> ApiError:
    """The error a fault knob answers with."""
    reason = reason or {429: "rateLimitExceeded"}.get(status, "backendError")
    domain, message = FAULTS.get((status, reason), ("global", reason))
    headers = {"Retry-After": _seconds(retry_after)} if retry_after is not None else None
    return ApiError(status, reason, message, domain=domain, headers=headers)


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
