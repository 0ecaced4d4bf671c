"""Request and response values shared by the identity and Graph halves of the emulator."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from urllib.parse import parse_qsl


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    raw_query: str
    headers: Message
    body: bytes
    base_url: str
    """``http://127.0.0.1:PORT`` as the client reached us."""

    @property
    def query(self) -> dict[str, str]:
        """Query parameters with lower-cased names (OData system query options are case-insensitive)."""
        return {k.lower(): v for k, v in parse_qsl(self.raw_query, keep_blank_values=True)}

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def json(self) -> object:
        return json.loads(self.body.decode("utf-8"))

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def prefer(self) -> dict[str, str]:
        """``Prefer`` preferences (every ``Prefer`` header, comma separated), names lower-cased."""
        found: dict[str, str] = {}
        for header in self.headers.get_all("Prefer") or []:
            for part in header.split(","):
                name, _, value = part.strip().partition("=")
                if name:
                    found[name.strip().lower()] = value.strip().strip('"')
        return found


@dataclass(slots=True)
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    truncated: bool = False
    """Send the full ``Content-Length`` but only half the body, then close (a fault knob)."""

    @classmethod
    def json(cls, status: int, payload: object, headers: dict[str, str] | None = None) -> Response:
        return cls(
            status,
            json.dumps(payload).encode(),
            {"Content-Type": "application/json; odata.metadata=minimal; odata.streaming=true", **(headers or {})},
        )

    @classmethod
    def html(cls, status: int, text: str) -> Response:
        return cls(status, text.encode(), {"Content-Type": "text/html; charset=utf-8"})


def graph_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error in Graph's shape: ``{"error": {"code", "message", "innerError": {...}}}``."""
    request_id = str(uuid.uuid4())
    return Response.json(
        status,
        {
            "error": {
                "code": code,
                "message": message,
                "innerError": {
                    "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                    "request-id": request_id,
                    "client-request-id": request_id,
                },
            }
        },
        {"request-id": request_id, **(headers or {})},
    )
