"""Browser sign-in flows for the Connect dialog: the core's Google and Microsoft sign-ins, with the
URL handed to the dialog. Provider modules are imported only when a sign-in starts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from calendar_desktop.core import connect
from calendar_desktop.core.service import AppService
from calendar_desktop.domain import ProviderKind

if TYPE_CHECKING:  # the connect dialogs are imported when first opened, not at start-up
    from calendar_desktop.ui.dialogs.connect import FlowFactory, SignInFlow


def google_flow(service: AppService, **options: Any) -> FlowFactory:
    """``options`` go to ``core.connect.google_sign_in`` (client, endpoints, open_browser, read_only …)."""

    def make(show_url: Callable[[str], None], **chosen: Any) -> SignInFlow:
        return connect.google_sign_in(service, url_callback=lambda url, _opened: show_url(url), **{**options, **chosen})

    return make


def microsoft_flow(service: AppService, **options: Any) -> FlowFactory:
    """``options`` go to ``core.connect.microsoft_sign_in`` (config, open_browser, read_only …)."""

    def make(show_url: Callable[[str], None], **chosen: Any) -> SignInFlow:
        return connect.microsoft_sign_in(service, show_url=show_url, **{**options, **chosen})

    return make


def sign_in_flows(service: AppService) -> dict[ProviderKind, FlowFactory]:
    return {ProviderKind.GOOGLE: google_flow(service), ProviderKind.MICROSOFT: microsoft_flow(service)}
