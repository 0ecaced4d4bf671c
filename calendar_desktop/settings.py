"""User settings, kept as JSON in the config folder. No secrets here: those go to the keyring."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from calendar_desktop.domain import UserIdentity

log = logging.getLogger(__name__)


class ConflictPolicy(StrEnum):
    ASK = "ask"
    LAST_UPDATED_WINS = "last_updated_wins"
    CALENDAR_WINS = "calendar_wins"
    APP_WINS = "app_wins"


@dataclass(slots=True)
class Settings:
    poll_interval_minutes: int = 5
    sync_on_startup: bool = True
    auto_apply_reschedules: bool = False
    notifications: bool = True
    start_at_login: bool = False
    keep_descriptions: bool = False
    conflict_policy: ConflictPolicy = ConflictPolicy.ASK
    window_days_back: int = 30
    window_days_ahead: int = 365
    user_name: str = ""
    user_emails: list[str] = field(default_factory=list)
    current_employer: str = ""
    google_client_id: str = ""
    microsoft_client_id: str = ""
    microsoft_authority: str = ""
    ui_state: dict[str, str] = field(default_factory=dict)
    """Window geometry and pane sizes (opaque strings written by the UI)."""

    def identity(self, account_emails: tuple[str, ...] = ()) -> UserIdentity:
        emails = tuple(dict.fromkeys(e.lower() for e in (*self.user_emails, *account_emails) if e))
        return UserIdentity(name=self.user_name, emails=emails, current_employer=self.current_employer)

    def to_json(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Settings:
        defaults = cls()
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in data:
                continue
            default = getattr(defaults, f.name)
            raw = data[f.name]
            try:
                values[f.name] = _coerce(raw, default)
            except (TypeError, ValueError):
                log.warning("settings: ignoring invalid value for %s", f.name)
        return cls(**values)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, StrEnum) else value


def _coerce(raw: Any, default: Any) -> Any:
    if isinstance(default, StrEnum):
        return type(default)(raw)
    if isinstance(default, bool):
        if not isinstance(raw, bool):
            raise TypeError
        return raw
    if isinstance(default, int):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError
        return raw
    if isinstance(default, str):
        if not isinstance(raw, str):
            raise TypeError
        return raw
    if isinstance(default, list):
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise TypeError
        return list(raw)
    if isinstance(default, dict):
        if not isinstance(raw, dict):
            raise TypeError
        return {str(k): str(v) for k, v in raw.items()}
    raise TypeError


class SettingsFile:
    """Loads and saves ``Settings`` atomically; a damaged file is set aside, never lost."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> Settings:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except FileNotFoundError:
            return Settings()
        except (OSError, ValueError) as exc:
            aside = self.path.with_suffix(".damaged.json")
            log.warning("settings file %s is unreadable (%s); using defaults, kept it as %s", self.path, exc, aside)
            try:
                self.path.replace(aside)
            except OSError:
                pass
            return Settings()
        return Settings.from_json(data)

    def save(self, settings: Settings) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(settings.to_json(), fh, indent=2, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
