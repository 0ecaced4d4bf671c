"""Which provider implementations this build has; each is imported only when first needed."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from calendar_desktop.domain import ProviderKind
from calendar_desktop.providers.base import ProviderFactory
from calendar_desktop.providers.errors import ProviderUnavailable


@dataclass(frozen=True, slots=True)
class ProviderContext:
    """What factories may need from the app: where to keep files, and settings values."""

    data_dir: Path
    settings: dict[str, str]


# kind -> "module:callable" returning a ProviderFactory for a ProviderContext.
_IMPLEMENTATIONS: dict[ProviderKind, str] = {
    ProviderKind.CALDAV: "calendar_desktop.providers.caldav.factory:make_factory",
    ProviderKind.GOOGLE: "calendar_desktop.providers.registry:_google",
    ProviderKind.MICROSOFT: "calendar_desktop.providers.registry:_microsoft",
}


def _google(context: ProviderContext) -> ProviderFactory:
    from calendar_desktop.providers.google import GoogleProviderFactory

    return GoogleProviderFactory()


def _microsoft(context: ProviderContext) -> ProviderFactory:
    from calendar_desktop.providers.microsoft import MicrosoftProviderFactory

    return MicrosoftProviderFactory(context.data_dir)


class ProviderRegistry:
    def __init__(
        self,
        context: ProviderContext,
        overrides: dict[ProviderKind, Callable[[ProviderContext], ProviderFactory]] | None = None,
    ) -> None:
        self._context = context
        self._overrides = dict(overrides or {})
        self._factories: dict[ProviderKind, ProviderFactory] = {}

    def available(self, kind: ProviderKind) -> bool:
        return kind in self._overrides or kind in _IMPLEMENTATIONS

    def factory(self, kind: ProviderKind) -> ProviderFactory:
        if kind not in self._factories:
            make = self._overrides.get(kind)
            if make is None:
                target = _IMPLEMENTATIONS.get(kind)
                if target is None:
                    raise ProviderUnavailable(
                        f"{kind.value} calendars are not available in this version of calendar-desktop yet."
                    )
                module_name, attr = target.split(":")
                make = getattr(importlib.import_module(module_name), attr)
            self._factories[kind] = make(self._context)
        return self._factories[kind]
