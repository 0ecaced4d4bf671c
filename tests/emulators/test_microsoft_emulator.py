"""Fidelity of the Microsoft emulator, driven by the real msal and httpx.

Each test states a behaviour of the identity platform or of Graph (see the docstrings of
``tests/emulators/microsoft``) that a client can observe; the emulator must reproduce it.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import msal
import pytest

from calendar_desktop.providers.microsoft.http_client import MsalHttpClient
from tests.emulators.microsoft import BROWSER_SCRIPT, MicrosoftEmulator, render_id
from tests.emulators.fake_browser import read_form, read_visits

SCOPES = ["Calendars.ReadWrite", "User.Read"]
PUBLIC = "https://login.microsoftonline.com"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WINDOW = {"startDateTime": "2026-02-01T00:00:00Z", "endDateTime": "2026-04-01T00:00:00Z"}
PROPERTY = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name marker"


@pytest.fixture
def ms() -> Iterator[MicrosoftEmulator]:
    with MicrosoftEmulator() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def web() -> Iterator[httpx.Client]:
    """A plain HTTP client for the tests' own requests (one, to avoid building TLS contexts)."""
    with httpx.Client(verify=False) as client:
        yield client


@pytest.fixture
def msal_http(ms: MicrosoftEmulator) -> Iterator[MsalHttpClient]:
    client = MsalHttpClient({PUBLIC: ms.base_url})
    yield client
    client.close()


def make_app(
    ms: MicrosoftEmulator, http: MsalHttpClient, cache: msal.TokenCache | None = None
) -> msal.PublicClientApplication:
    return msal.PublicClientApplication(
        ms.client_id, authority=f"{PUBLIC}/common", http_client=http, http_cache={}, token_cache=cache
    )


def authorize(
    app: msal.PublicClientApplication, web: httpx.Client, scopes: list[str] = SCOPES
) -> tuple[dict, dict[str, str]]:
    """The auth-code flow and the fields the form_post page would post back."""
    flow = app.initiate_auth_code_flow(scopes, redirect_uri="http://localhost:8400", response_mode="form_post")
    page = web.get(flow["auth_uri"])
    action, method, fields = read_form(page.text)
    assert page.status_code == 200 and action == "http://localhost:8400" and method == "POST"
    return flow, dict(fields)


def sign_in(app: msal.PublicClientApplication, web: httpx.Client, scopes: list[str] = SCOPES) -> dict:
    flow, response = authorize(app, web, scopes)
    result = app.acquire_token_by_auth_code_flow(flow, response)
    assert "access_token" in result, result
    return result


@pytest.fixture
def token(ms: MicrosoftEmulator, msal_http: MsalHttpClient, web: httpx.Client) -> str:
    return sign_in(make_app(ms, msal_http), web)["access_token"]


@pytest.fixture
def graph(ms: MicrosoftEmulator, token: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=ms.base_url, headers={"Authorization": f"Bearer {token}"}, verify=False) as client:
        yield client


def drain(
    graph: httpx.Client, first: httpx.Response, prefer: str = "odata.maxpagesize=10"
) -> tuple[list[dict], str, int]:
    """(items, deltaLink, pages) of a round whose first response is ``first``."""
    items, pages, response = [], 1, first
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["value"])
        if "@odata.deltaLink" in body:
            assert "@odata.nextLink" not in body
            return items, body["@odata.deltaLink"], pages
        response = graph.get(body["@odata.nextLink"], headers={"Prefer": prefer})
        pages += 1


def full_round(graph: httpx.Client, path: str = "/v1.0/me/calendarView/delta", prefer: str = "odata.maxpagesize=10"):
    return drain(graph, graph.get(path, params=WINDOW, headers={"Prefer": prefer}), prefer)


# --- identity platform ---------------------------------------------------------------------


def test_discovery_names_https_token_endpoint_and_browser_reachable_authorize(
    ms: MicrosoftEmulator, web: httpx.Client
) -> None:
    doc = web.get(f"{ms.base_url}/common/v2.0/.well-known/openid-configuration").json()
    assert doc["token_endpoint"] == f"{PUBLIC}/common/oauth2/v2.0/token"
    assert doc["authorization_endpoint"] == f"{ms.base_url}/common/oauth2/v2.0/authorize"
    assert "form_post" in doc["response_modes_supported"]


def test_msal_refuses_an_unknown_tenant(ms: MicrosoftEmulator, msal_http: MsalHttpClient) -> None:
    with pytest.raises(ValueError, match="authority configuration"):
        msal.PublicClientApplication(ms.client_id, authority=f"{PUBLIC}/no-such-tenant", http_client=msal_http)
    assert [r.status for r in ms.requests] == [400]


def test_form_post_page_carries_code_state_and_client_info(
    ms: MicrosoftEmulator, msal_http: MsalHttpClient, web: httpx.Client
) -> None:
    flow, fields = authorize(make_app(ms, msal_http), web)
    assert fields["state"] == flow["state"]
    assert fields["code"]
    assert json.loads(msal.oauth2cli.oidc.decode_part(fields["client_info"])) == {
        "uid": ms.user.oid,
        "utid": ms.user.tid,
    }


def test_sign_in_builds_an_msal_account_from_the_id_token(
    ms: MicrosoftEmulator, msal_http: MsalHttpClient, web: httpx.Client
) -> None:
    app = make_app(ms, msal_http)
    result = sign_in(app, web)
    assert result["id_token_claims"]["preferred_username"] == ms.user.username
    assert set(result["scope"].split()) >= set(SCOPES)
    [account] = app.get_accounts()
    assert account["home_account_id"] == f"{ms.user.oid}.{ms.user.tid}"
    assert account["username"] == ms.user.username


def test_unknown_client_and_unregistered_redirect_get_an_error_page(
    ms: MicrosoftEmulator, msal_http: MsalHttpClient, web: httpx.Client
) -> None:
    flow = make_app(ms, msal_http).initiate_auth_code_flow(
        SCOPES, redirect_uri="http://localhost:8400", response_mode="form_post"
    )
    unknown_client = web.get(flow["auth_uri"].replace(ms.client_id, "00000000-0000-0000-0000-000000000000"))
    assert unknown_client.status_code == 400 and "AADSTS700016" in unknown_client.text
    wrong_redirect = web.get(flow["auth_uri"].replace("localhost%3A8400", "evil.example%3A8400"))
    assert wrong_redirect.status_code == 400 and "AADSTS50011" in wrong_redirect.text


def test_authorize_without_pkce_is_refused_through_the_redirect(
    ms: MicrosoftEmulator, msal_http: MsalHttpClient, web: httpx.Client
) -> None:
    flow = make_app(ms, msal_http).initiate_auth_code_flow(
        SCOPES, redirect_uri="http://localhost:8400", response_mode="form_post"
    )
    parts = urlsplit(flow["auth_uri"])
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if not k.startswith("code_challenge")}
    page = web.get(f"{parts.scheme}://{parts.netloc}{parts.path}", params=query)
    fields = dict(read_form(page.text)[2])
    assert fields["error"] == "invalid_request" and fields["state"] == flow["state"]


def test_refused_consent_posts_access_denied(
    ms: MicrosoftEmulator, msal_http: MsalHttpClient, web: httpx.Client
) -> None:
    ms.identity.consent = "deny"
    app = make_app(ms, msal_http)
    flow, fields = authorize(app, web)
    assert fields["error"] == "access_denied"
    assert app.acquire_token_by_auth_code_flow(flow, fields)["error"] == "access_denied"


def test_query_response_mode_redirects_with_the_code(
    ms: MicrosoftEmulator, msal_http: MsalHttpClient, web: httpx.Client
) -> None:
    flow = make_app(ms, msal_http).initiate_auth_code_flow(
        SCOPES, redirect_uri="http://localhost:8400", response_mode="form_post"
    )
    response = web.get(flow["auth_uri"].replace("response_mode=form_post", "response_mode=query"))
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc == "localhost:8400" and "code" in parse_qs(location.query)


def test_wrong_pkce_verifier_is_invalid_grant(
    ms: MicrosoftEmulator, msal_http: MsalHttpClient, web: httpx.Client
) -> None:
    app = make_app(ms, msal_http)
    flow, fields = authorize(app, web)
    flow["code_verifier"] = "x" * 43
    result = app.acquire_token_by_auth_code_flow(flow, fields)
    assert result["error"] == "invalid_grant" and 501481 in result["error_codes"]


def test_a_code_is_redeemed_once(ms: MicrosoftEmulator, msal_http: MsalHttpClient, web: httpx.Client) -> None:
    app = make_app(ms, msal_http)
    flow, fields = authorize(app, web)
    assert "access_token" in app.acquire_token_by_auth_code_flow(dict(flow), fields)
    again = make_app(ms, msal_http).acquire_token_by_auth_code_flow(dict(flow), fields)
    assert again["error"] == "invalid_grant" and 54005 in again["error_codes"]


def test_a_client_secret_from_a_public_client_is_refused(ms: MicrosoftEmulator, web: httpx.Client) -> None:
    response = web.post(
        f"{ms.base_url}/common/oauth2/v2.0/token",
        data={"client_id": ms.client_id, "client_secret": "s", "grant_type": "refresh_token"},
    )
    assert response.json()["error"] == "invalid_client"


def test_refresh_rotates_the_refresh_token(ms: MicrosoftEmulator, msal_http: MsalHttpClient, web: httpx.Client) -> None:
    app = make_app(ms, msal_http)
    first = sign_in(app, web)
    refreshed = app.acquire_token_silent(SCOPES, app.get_accounts()[0], force_refresh=True)
    assert refreshed["refresh_token"] != first["refresh_token"]
    assert refreshed["access_token"] != first["access_token"]


def test_strict_rotation_refuses_a_used_refresh_token(
    ms: MicrosoftEmulator, msal_http: MsalHttpClient, web: httpx.Client
) -> None:
    ms.identity.revoke_used_refresh_tokens = True
    first = sign_in(make_app(ms, msal_http), web)
    form = {
        "client_id": ms.client_id,
        "grant_type": "refresh_token",
        "refresh_token": first["refresh_token"],
        "scope": " ".join(SCOPES),
    }
    assert web.post(f"{ms.base_url}/common/oauth2/v2.0/token", data=form).status_code == 200
    reused = web.post(f"{ms.base_url}/common/oauth2/v2.0/token", data=form).json()
    assert reused["error"] == "invalid_grant" and reused["error_codes"] == [50173]


@pytest.mark.parametrize(("knob", "code"), [("expire_refresh_tokens", 700082), ("revoke_refresh_tokens", 50173)])
def test_dead_refresh_tokens_are_invalid_grant(
    ms: MicrosoftEmulator, msal_http: MsalHttpClient, knob: str, code: int, web: httpx.Client
) -> None:
    app = make_app(ms, msal_http)
    sign_in(app, web)
    getattr(ms.identity, knob)()
    result = app.acquire_token_silent_with_error(SCOPES, app.get_accounts()[0], force_refresh=True)
    assert result["error"] == "invalid_grant" and code in result["error_codes"]


def test_browser_script_completes_msal_interactive_sign_in(
    ms: MicrosoftEmulator, msal_http: MsalHttpClient, tmp_path, monkeypatch: pytest.MonkeyPatch, web: httpx.Client
) -> None:
    import webbrowser

    log = tmp_path / "browser.jsonl"
    monkeypatch.setenv("BROWSER", str(BROWSER_SCRIPT))
    monkeypatch.setenv("FAKE_BROWSER_LOG", str(log))
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # webbrowser reads $BROWSER once per process
    app = make_app(ms, msal_http)
    result = app.acquire_token_interactive(SCOPES, timeout=30)
    assert result["id_token_claims"]["oid"] == ms.user.oid
    [visit] = read_visits(log)
    [submit] = [hop for hop in visit["hops"] if hop["method"] == "POST"]
    assert urlsplit(submit["url"]).hostname == "localhost" and submit["status"] == 200


# --- Graph: authentication and errors ------------------------------------------------------


def test_graph_refuses_missing_and_expired_tokens(
    ms: MicrosoftEmulator, graph: httpx.Client, web: httpx.Client
) -> None:
    missing = web.get(f"{ms.base_url}/v1.0/me")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert graph.get("/v1.0/me").json()["userPrincipalName"] == ms.user.username
    ms.identity.expire_access_tokens()
    expired = graph.get("/v1.0/me")
    assert expired.status_code == 401 and "WWW-Authenticate" in expired.headers
    assert set(expired.json()["error"]["innerError"]) >= {"date", "request-id"}


def test_read_only_grant_cannot_write(ms: MicrosoftEmulator, msal_http: MsalHttpClient, web: httpx.Client) -> None:
    token = sign_in(make_app(ms, msal_http), web, ["Calendars.Read", "User.Read"])["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert web.get(f"{ms.base_url}/v1.0/me/calendars", headers=headers).status_code == 200
    body = {
        "subject": "x",
        "start": {"dateTime": "2026-03-02T10:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2026-03-02T11:00:00", "timeZone": "UTC"},
    }
    refused = web.post(f"{ms.base_url}/v1.0/me/events", json=body, headers=headers)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "ErrorAccessDenied"


def test_injected_throttling_has_retry_after_and_graph_shape(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    ms.fail(429, path="/me/calendars", retry_after=7)
    throttled = graph.get("/v1.0/me/calendars")
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "7"
    assert throttled.json()["error"]["code"] == "TooManyRequests"
    assert graph.get("/v1.0/me/calendars").status_code == 200


def test_dropped_connection_is_a_network_error(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    ms.drop(path="/me$")
    with pytest.raises(httpx.TransportError):
        graph.get("/v1.0/me")
    assert graph.get("/v1.0/me").status_code == 200


def test_request_log_counts_requests_without_secrets(ms: MicrosoftEmulator, graph: httpx.Client, token: str) -> None:
    ms.clear_log()
    graph.get("/v1.0/me", headers={"Prefer": 'IdType="ImmutableId"'})
    graph.get("/v1.0/me/calendars")
    assert ms.count(path="^/v1.0/me") == 2 and ms.count(path="calendars") == 1
    logged = ms.requests[0]
    assert logged.authorized and logged.prefer == ('IdType="ImmutableId"',)
    assert token not in repr(ms.requests)


def test_calendars_are_paged(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    for index in range(4):
        ms.mailbox.create_calendar(f"C{index}")
    first = graph.get("/v1.0/me/calendars", headers={"Prefer": "odata.maxpagesize=3"}).json()
    assert len(first["value"]) == 3 and first["value"][0]["isDefaultCalendar"] is True
    second = graph.get(first["@odata.nextLink"]).json()
    assert len(second["value"]) == 2 and "@odata.nextLink" not in second


# --- Graph: calendarView delta -------------------------------------------------------------


def add_events(ms: MicrosoftEmulator, count: int, calendar: str | None = None) -> list[str]:
    calendar = calendar or ms.mailbox.default_calendar_id
    return ms.mailbox.add_events(
        calendar,
        (
            {"subject": f"Event {i}", "start": NOW + timedelta(hours=i), "end": NOW + timedelta(hours=i, minutes=30)}
            for i in range(count)
        ),
    )


def test_delta_refuses_odata_query_options(graph: httpx.Client) -> None:
    for option in ("$select", "$filter", "$expand", "$orderby", "$top"):
        response = graph.get("/v1.0/me/calendarView/delta", params={**WINDOW, option: "subject"})
        assert response.status_code == 400 and response.json()["error"]["code"] == "ErrorInvalidUrlQuery"


def test_delta_needs_a_time_window(graph: httpx.Client) -> None:
    response = graph.get("/v1.0/me/calendarView/delta")
    assert response.status_code == 400 and response.json()["error"]["code"] == "ErrorInvalidParameter"


def test_full_round_pages_up_to_a_delta_link(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    ids = add_events(ms, 25)
    first = graph.get("/v1.0/me/calendarView/delta", params=WINDOW, headers={"Prefer": "odata.maxpagesize=10"})
    assert first.json()["value"] == [] and "$skiptoken=" in first.json()["@odata.nextLink"]
    assert "odata.maxpagesize=10" in first.headers["Preference-Applied"]
    items, delta_link, pages = drain(graph, first)
    assert "$deltatoken=" in delta_link and pages == 4
    assert sorted(i["id"] for i in items) == sorted(render_id(i[len("AAkALgAAAAAA") :], False) for i in ids)


def test_a_next_link_fetched_twice_gives_the_same_page(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    add_events(ms, 15)
    first = graph.get("/v1.0/me/calendarView/delta", params=WINDOW, headers={"Prefer": "odata.maxpagesize=10"}).json()
    again = [
        graph.get(first["@odata.nextLink"], headers={"Prefer": "odata.maxpagesize=10"}).json()["value"]
        for _ in range(2)
    ]
    assert [e["id"] for e in again[0]] == [e["id"] for e in again[1]] and len(again[0]) == 10


def test_incremental_round_lists_changes_and_removals(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    ids = add_events(ms, 5)
    outside = ms.mailbox.add_event(
        ms.mailbox.default_calendar_id, "Far away", NOW + timedelta(days=200), NOW + timedelta(days=200, hours=1)
    )
    _, delta_link, _ = full_round(graph)
    assert graph.get(delta_link).json()["value"] == []
    ms.mailbox.update_event(ids[0], subject="Renamed")
    ms.mailbox.delete_event(ids[1])
    ms.mailbox.update_event(ids[2], start=NOW + timedelta(days=100), end=NOW + timedelta(days=100, hours=1))
    ms.mailbox.update_event(outside, subject="Changed far away")
    new = ms.mailbox.add_event(ms.mailbox.default_calendar_id, "New", NOW, NOW + timedelta(hours=1))
    items, next_delta, _ = drain(
        graph, graph.get(delta_link, headers={"Prefer": 'IdType="ImmutableId"'}), 'IdType="ImmutableId"'
    )
    by_id = {i["id"]: i for i in items}
    assert by_id[ids[0]]["subject"] == "Renamed"
    assert by_id[new]["subject"] == "New"
    for gone in (ids[1], ids[2], outside):
        assert by_id[gone]["@removed"] == {"reason": "deleted"} and set(by_id[gone]) == {
            "@odata.type",
            "id",
            "@removed",
        }
    assert graph.get(next_delta).json()["value"] == []


def test_replay_knob_lists_a_change_twice(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    [event] = add_events(ms, 1)
    _, delta_link, _ = full_round(graph)
    ms.mailbox.update_event(event, subject="Again")
    ms.graph.replay_rounds = 1
    items, _, _ = drain(graph, graph.get(delta_link))
    assert [i["subject"] for i in items] == ["Again", "Again"]


def test_state_token_resets(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    _, delta_link, _ = full_round(graph)
    ms.graph.fail_state_tokens("gone")
    gone = graph.get(delta_link)
    assert gone.status_code == 410
    restart = gone.headers["Location"]
    assert "$deltatoken=" in restart and "startDateTime=" in restart
    items, _, _ = drain(graph, graph.get(restart))
    assert items == []
    ms.graph.fail_state_tokens("syncStateNotFound")
    assert graph.get(delta_link).json()["error"]["code"] == "SyncStateNotFound"
    ms.graph.fail_state_tokens("resyncRequired")
    assert graph.get(delta_link).json()["error"]["code"] == "resyncRequired"
    unknown = graph.get("/v1.0/me/calendarView/delta", params={"$deltatoken": "no-such-token"})
    assert unknown.status_code == 410


def test_per_calendar_delta_is_beta_unless_allowed_on_v1(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    work = ms.mailbox.create_calendar("Work")
    add_events(ms, 3, work)
    refused = graph.get(f"/v1.0/me/calendars/{work}/calendarView/delta", params=WINDOW)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "BadRequest"
    items, delta_link, _ = full_round(graph, f"/beta/me/calendars/{work}/calendarView/delta")
    assert len(items) == 3 and "/beta/me/calendars/" in delta_link
    ms.graph.v1_per_calendar_delta = True
    assert len(full_round(graph, f"/v1.0/me/calendars/{work}/calendarView/delta")[0]) == 3


def test_immutable_ids_only_when_preferred(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    [event] = add_events(ms, 1)
    plain = full_round(graph)[0][0]["id"]
    immutable = full_round(graph, prefer='odata.maxpagesize=10, IdType="ImmutableId"')[0][0]["id"]
    assert immutable == event and plain != event
    assert graph.get(f"/v1.0/me/events/{plain}").json()["subject"] == "Event 0"


def test_outlook_timezone_preference_and_floating_all_day(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    calendar = ms.mailbox.default_calendar_id
    ms.mailbox.add_event(
        calendar, "Timed", datetime(2026, 3, 3, 9, 0), datetime(2026, 3, 3, 10, 0), tz="W. Europe Standard Time"
    )
    ms.mailbox.add_event(calendar, "Day off", date(2026, 3, 4), date(2026, 3, 5), tz="Tokyo Standard Time")
    in_utc = {i["subject"]: i for i in full_round(graph)[0]}
    assert in_utc["Timed"]["start"] == {"dateTime": "2026-03-03T08:00:00.0000000", "timeZone": "UTC"}
    assert in_utc["Timed"]["originalStartTimeZone"] == "W. Europe Standard Time"
    assert in_utc["Day off"]["start"]["dateTime"] == "2026-03-04T00:00:00.0000000" and in_utc["Day off"]["isAllDay"]
    first = graph.get(
        "/v1.0/me/calendarView/delta", params=WINDOW, headers={"Prefer": 'outlook.timezone="Pacific Standard Time"'}
    )
    assert 'outlook.timezone="Pacific Standard Time"' in first.headers["Preference-Applied"]
    pacific = {i["subject"]: i for i in drain(graph, first, 'outlook.timezone="Pacific Standard Time"')[0]}
    assert pacific["Timed"]["start"] == {"dateTime": "2026-03-03T00:00:00.0000000", "timeZone": "Pacific Standard Time"}
    assert pacific["Day off"]["start"]["dateTime"] == "2026-03-04T00:00:00.0000000"


def test_weekly_series_occurrences_exceptions_and_cancellations(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    first = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    master = ms.mailbox.add_weekly_series(ms.mailbox.default_calendar_id, "Standup", first, timedelta(minutes=30), 4)
    moved = ms.mailbox.move_occurrence(
        master,
        first + timedelta(weeks=1),
        first + timedelta(weeks=1, days=1),
        first + timedelta(weeks=1, days=1, minutes=30),
    )
    deleted = ms.mailbox.cancel_occurrence(master, first + timedelta(weeks=2), mode="delete")
    flagged = ms.mailbox.cancel_occurrence(master, first + timedelta(weeks=3), mode="flag")
    items = {i["id"]: i for i in full_round(graph, prefer='odata.maxpagesize=10, IdType="ImmutableId"')[0]}
    assert master not in items and deleted not in items and len(items) == 3
    assert {i["seriesMasterId"] for i in items.values()} == {master}
    assert items[moved]["type"] == "exception" and items[moved]["originalStart"] == "2026-03-09T15:00:00Z"
    assert items[moved]["start"]["dateTime"] == "2026-03-10T15:00:00.0000000"
    assert items[flagged]["isCancelled"] is True and items[flagged]["subject"].startswith("Canceled:")


# --- Graph: writes -------------------------------------------------------------------------


def event_body(**extra: object) -> dict:
    return {
        "subject": "Interview",
        "start": {"dateTime": "2026-03-05T10:00:00", "timeZone": "Europe/Berlin"},
        "end": {"dateTime": "2026-03-05T11:00:00", "timeZone": "W. Europe Standard Time"},
        **extra,
    }


def test_create_returns_201_and_a_transaction_id_makes_it_idempotent(
    ms: MicrosoftEmulator, graph: httpx.Client
) -> None:
    url = f"/v1.0/me/calendars/{ms.mailbox.default_calendar_id}/events"
    first = graph.post(url, json=event_body(transactionId="tx-1"))
    again = graph.post(url, json=event_body(transactionId="tx-1"))
    other = graph.post(url, json=event_body(transactionId="tx-2"))
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] != other.json()["id"]
    assert first.json()["transactionId"] == "tx-1"
    assert first.json()["start"] == {"dateTime": "2026-03-05T09:00:00.0000000", "timeZone": "UTC"}


def test_writes_refuse_unknown_properties_and_zones(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    unknown = graph.post("/v1.0/me/events", json=event_body(graphResponseHeaders={}))
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "RequestBodyRead"
    bad_zone = event_body()
    bad_zone["start"]["timeZone"] = "Mars/Olympus_Mons"
    refused = graph.post("/v1.0/me/events", json=bad_zone)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "TimeZoneNotSupportedException"
    not_midnight = graph.post("/v1.0/me/events", json=event_body(isAllDay=True))
    assert not_midnight.status_code == 400


def test_if_match_guards_patch_and_delete(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    created = graph.post("/v1.0/me/events", json=event_body()).json()
    url = f"/v1.0/me/events/{created['id']}"
    patched = graph.patch(url, json={"subject": "Moved"}, headers={"If-Match": created["@odata.etag"]})
    assert patched.status_code == 200 and patched.json()["@odata.etag"] != created["@odata.etag"]
    stale = graph.patch(url, json={"subject": "Lost"}, headers={"If-Match": created["@odata.etag"]})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "ErrorIrresolvableConflict"
    assert graph.delete(url, headers={"If-Match": created["@odata.etag"]}).status_code == 412
    assert graph.delete(url, headers={"If-Match": patched.json()["@odata.etag"]}).status_code == 204
    assert graph.get(url).status_code == 404


def test_extended_property_is_read_back_with_expand(ms: MicrosoftEmulator, graph: httpx.Client) -> None:
    created = graph.post(
        "/v1.0/me/events", json=event_body(singleValueExtendedProperties=[{"id": PROPERTY, "value": "ours"}])
    ).json()
    assert "singleValueExtendedProperties" not in created
    url = f"/v1.0/me/events/{created['id']}"
    expanded = graph.get(url, params={"$expand": f"singleValueExtendedProperties($filter=id eq '{PROPERTY}')"}).json()
    assert expanded["singleValueExtendedProperties"] == [{"id": PROPERTY, "value": "ours"}]
    assert graph.get(url, params={"$expand": "singleValueExtendedProperties"}).status_code == 400


# --- lifecycle -----------------------------------------------------------------------------


def test_stop_closes_the_port_and_joins_every_thread() -> None:
    before = threading.active_count()
    emulator = MicrosoftEmulator().start()
    port = emulator.port
    idle = httpx.Client(verify=False)
    assert idle.get(f"{emulator.base_url}/common/v2.0/.well-known/openid-configuration").status_code == 200
    emulator.stop()  # must not hang on the idle keep-alive connection
    idle.close()
    assert threading.active_count() == before
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_browser_script_is_executable() -> None:
    assert os.access(BROWSER_SCRIPT, os.X_OK)
