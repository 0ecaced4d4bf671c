"""Browser sign-in flows for the Connect dialog: Google and Microsoft, configured from the settings
and the environment. Provider modules are imported only when a sign-in starts."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import ProviderKind
from calendar_desktop.ui.dialogs.connect import FlowFactory, SignInFlow


def google_flow(service: AppService, *, client: Any = None, **options: Any) -> FlowFactory:
    """``client``: an ``OAuthClient`` (default: resolved from the environment); ``options`` go to
    ``GoogleSignIn`` (endpoints, open_browser … — tests point them at the emulator)."""

    def make(show_url: Callable[[str], None]) -> SignInFlow:
        from calendar_desktop.providers.google import GoogleSignIn, resolve_oauth_client

        oauth_client = client or resolve_oauth_client()
        return GoogleSignIn(oauth_client, url_callback=lambda url, _opened: show_url(url), **options)

    return make


def microsoft_flow(service: AppService, *, config: Any = None, **options: Any) -> FlowFactory:
    """``config``: a ``MicrosoftConfig`` (default: the settings' client id and authority, then the environment)."""

    def make(show_url: Callable[[str], None]) -> SignInFlow:
        from calendar_desktop.providers.microsoft.config import MicrosoftConfig
        from calendar_desktop.providers.microsoft.signin import MicrosoftSignIn

        settings = service.settings
        resolved = config or MicrosoftConfig.from_env(settings.microsoft_client_id or None)
        if config is None and settings.microsoft_authority:
            resolved = dataclasses.replace(resolved, authority=settings.microsoft_authority.rstrip("/"))
        return MicrosoftSignIn(resolved, service.paths.data_dir, show_url=show_url, **options)

    return make


def sign_in_flows(service: AppService) -> dict[ProviderKind, FlowFactory]:
    return {ProviderKind.GOOGLE: google_flow(service), ProviderKind.MICROSOFT: microsoft_flow(service)}
