"""The sync cursor of a CalDAV calendar: everything the next incremental pass needs, in one string.

- ``token`` mode (RFC 6578): the sync token.
- ``etags`` mode (servers without sync-collection): the collection's ctag and every member's etag,
  so the next pass downloads only what changed.
- Both: the hrefs of recurring series and the sync window their instances were expanded for,
  so a pass on a later day re-expands them without downloading the whole calendar.

It is stored only with the last page of a pass, so it always describes what the store holds.
Compact JSON, zlib-compressed and base64-encoded (an etag map of 2,000 members is a few dozen KB).
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import dataclass, field, replace
from enum import StrEnum

from calendar_desktop.domain import SyncWindow
from calendar_desktop.providers.errors import CursorExpired

PREFIX = "caldav1:"


class Mode(StrEnum):
    TOKEN = "token"
    ETAGS = "etags"


def window_key(window: SyncWindow) -> str:
    return f"{window.start.date().isoformat()}/{window.end.date().isoformat()}"


@dataclass(frozen=True, slots=True)
class SyncState:
    mode: Mode
    window: str
    """``window_key`` of the window the series were expanded for."""
    token: str | None = None
    ctag: str | None = None
    etags: dict[str, str] = field(default_factory=dict)
    recurring: frozenset[str] = frozenset()

    def encode(self) -> str:
        document = {"m": self.mode.value, "w": self.window, "t": self.token, "c": self.ctag,
                    "e": self.etags, "r": sorted(self.recurring)}  # fmt: skip
        packed = zlib.compress(json.dumps(document, separators=(",", ":")).encode(), 6)
        return PREFIX + base64.urlsafe_b64encode(packed).decode("ascii")

    @classmethod
    def decode(cls, cursor: str) -> SyncState:
        """The state in ``cursor``; ``CursorExpired`` (a full resync) if it is not one of ours."""
        if not cursor.startswith(PREFIX):
            raise CursorExpired("The stored sync cursor has an unknown format.")
        try:
            document = json.loads(zlib.decompress(base64.urlsafe_b64decode(cursor[len(PREFIX) :])))
            return cls(
                mode=Mode(document["m"]),
                window=str(document["w"]),
                token=document.get("t"),
                ctag=document.get("c"),
                etags=dict(document.get("e") or {}),
                recurring=frozenset(document.get("r") or ()),
            )
        except (ValueError, KeyError, TypeError, zlib.error, binascii.Error):
            raise CursorExpired("The stored sync cursor is damaged.") from None

    def evolve(self, **changes: object) -> SyncState:
        return replace(self, **changes)  # type: ignore[arg-type]
