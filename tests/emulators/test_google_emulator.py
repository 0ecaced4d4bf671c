"""Fidelity of the Google emulator, driven by the real client libraries: what Google accepts is
accepted, what Google rejects is rejected, and paging / sync tokens behave as documented."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from google.auth.exceptions import RefreshError
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError, MismatchingStateError

from tests.emulators.google import GoogleEmulator, all_day, recurring, timed

EVENTS_SCOPE = "https://www.googleapis.com/auth/calendar.events"
READONLY_SCOPE = "https://www.googleapis.com/auth/calendar.readonly"
TWO_WAY = (EVENTS_SCOPE, "https://www.googleapis.com/auth/calendar.calendarlist.readonly")


@pytest.fixture
def google() -> Iterator[GoogleEmulator]:
    with GoogleEmulator() as emulator:
        yield emulator


@pytest.fixture
def insecure_oauthlib(monkeypatch: pytest.MonkeyPatch) -> None:
    """requests-oauthlib refuses http:// endpoints without this; the emulator is plain HTTP."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


@pytest.fixture
def services(google: GoogleEmulator) -> Iterator[Any]:
    """Builds Calendar services with real credentials against the emulator; closes them after."""
    built: list[Any] = []

    def make(scopes: tuple[str, ...] = TWO_WAY) -> Any:
        credentials = Credentials(
            token=None,
            refresh_token=google.grant_offline_access(scopes),
            token_uri=google.token_uri,
            client_id=google.client_id,
            client_secret=google.client_secret,
        )
        service = build(
            "calendar",
            "v3",
            credentials=credentials,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": google.api_root + "calendar/v3/"},
        )
        built.append(service)
        return service

    yield make
    for service in built:
        service.close()


def _reason(error: HttpError) -> str:
    return json.loads(error.content)["error"]["errors"][0]["reason"]


T0 = datetime(2026, 4, 6, 9, tzinfo=UTC)


# ---------------------------------------------------------------- OAuth


@pytest.fixture
def flows(google: GoogleEmulator) -> Iterator[Any]:
    """Makes google-auth-oauthlib flows against the emulator; closes their HTTP sessions after."""
    made: list[Flow] = []

    def make(**kwargs: Any) -> Flow:
        made.append(_flow(google, **kwargs))
        return made[-1]

    yield make
    for flow in made:
        flow.oauth2session.close()


def _flow(google: GoogleEmulator, **kwargs: Any) -> Flow:
    config = {
        "installed": {
            "client_id": google.client_id,
            "client_secret": google.client_secret,
            "auth_uri": google.auth_uri,
            "token_uri": google.token_uri,
        }
    }
    flow = Flow.from_client_config(config, scopes=list(TWO_WAY), **kwargs)
    flow.redirect_uri = "http://127.0.0.1:8765/"
    return flow


def _authorize(url: str) -> tuple[int, str]:
    """GET the authorization URL without following the redirect: (status, Location or body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Location") or error.read().decode()


def _query(location: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def test_authorization_code_flow_with_pkce(google: GoogleEmulator, insecure_oauthlib: None, flows) -> None:
    flow = flows()
    url, state = flow.authorization_url(prompt="consent")

    status, location = _authorize(url)

    assert status == 302 and location.startswith("http://127.0.0.1:8765/?")
    assert _query(location)["state"] == state
    token = flow.fetch_token(authorization_response=location.replace("http://", "https://"))  # as run_local_server does
    assert token["refresh_token"] and token["access_token"]
    assert set(token["scope"]) == set(TWO_WAY)
    # requests-oauthlib authenticates the client with HTTP Basic, which the emulator accepted.


def test_authorization_requires_pkce(google: GoogleEmulator, insecure_oauthlib: None, flows) -> None:
    url, _ = flows(autogenerate_code_verifier=False).authorization_url()

    status, body = _authorize(url)

    assert status == 400 and "code_challenge" in body


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"client_id": "unknown"}, 401),
        ({"redirect_uri": "https://evil.example/cb"}, 400),
        ({"response_type": "token"}, 400),
        ({"scope": "https://www.googleapis.com/auth/not-a-scope"}, 400),
        ({"code_challenge_method": "plain"}, 400),
    ],
)
def test_bad_authorization_requests(google: GoogleEmulator, insecure_oauthlib: None, flows, change: dict, status: int) -> None:
    url, _ = flows().authorization_url()
    query = {**_query(url), **change}

    assert _authorize(google.auth_uri + "?" + urlencode(query))[0] == status


def test_wrong_code_verifier_is_refused(google: GoogleEmulator, insecure_oauthlib: None, flows) -> None:
    flow = flows()
    url, _ = flow.authorization_url()
    _, location = _authorize(url)
    flow.code_verifier = "x" * 64

    with pytest.raises(InvalidGrantError):
        flow.fetch_token(authorization_response=location.replace("http://", "https://"))


def test_codes_are_single_use_and_bound_to_the_redirect_uri(google: GoogleEmulator) -> None:
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {
        "client_id": google.client_id,
        "redirect_uri": "http://localhost:9999/",
        "response_type": "code",
        "scope": READONLY_SCOPE,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    code = _query(_authorize(google.auth_uri + "?" + urlencode(query))[1])["code"]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "code_verifier": verifier,
        "client_id": google.client_id,
        "client_secret": google.client_secret,  # client authentication in the body
    }

    assert _post(google.token_uri, {**form, "redirect_uri": "http://localhost:9998/"})[0] == 400
    status, body = _post(google.token_uri, {**form, "redirect_uri": "http://localhost:9999/"})
    assert status == 400 and body["error"] == "invalid_grant"  # the failed attempt used the code up


def _post(url: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=urlencode(form).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"{}")


def test_a_forged_state_is_caught_by_the_client(google: GoogleEmulator, insecure_oauthlib: None, flows) -> None:
    flow = flows()
    url, _ = flow.authorization_url()
    _, location = _authorize(url)
    forged = location.replace(f"state={_query(location)['state']}", "state=forged")

    with pytest.raises(MismatchingStateError):
        flow.fetch_token(authorization_response=forged.replace("http://", "https://"))


def test_refresh_token_only_on_first_consent_or_prompt_consent(google: GoogleEmulator, insecure_oauthlib: None, flows) -> None:
    def tokens(**kwargs: Any) -> dict[str, Any]:
        flow = flows()
        url, _ = flow.authorization_url(**kwargs)
        return flow.fetch_token(authorization_response=_authorize(url)[1].replace("http://", "https://"))

    assert "refresh_token" in tokens()  # first consent
    assert "refresh_token" not in tokens()  # already consented
    assert "refresh_token" in tokens(prompt="consent")
    assert "refresh_token" not in tokens(access_type="online", prompt="consent")


def test_denied_and_partial_consent(google: GoogleEmulator, insecure_oauthlib: None, flows) -> None:
    url, state = flows().authorization_url()
    google.oauth.deny_consent = True
    assert _query(_authorize(url)[1]) == {"error": "access_denied", "state": state}

    google.oauth.deny_consent = False
    google.oauth.grant_only = frozenset({EVENTS_SCOPE})
    flow = flows()
    url, _ = flow.authorization_url()
    with pytest.raises(Warning, match="Scope has changed"):  # oauthlib's reaction to a partial grant
        flow.fetch_token(authorization_response=_authorize(url)[1].replace("http://", "https://"))


def test_revocation_and_refresh(google: GoogleEmulator, services) -> None:
    service = services()
    service.calendarList().list().execute()
    credentials = service._http.credentials
    access_token, refresh_token = credentials.token, credentials.refresh_token

    assert _post(google.revoke_uri, {"token": refresh_token})[0] == 200
    assert google.oauth.revocations == [refresh_token]
    status, _ = _api_get(google, "users/me/calendarList", {}, {"Authorization": f"Bearer {access_token}"})
    assert status == 401  # the access token went with its refresh token
    with pytest.raises(RefreshError, match="invalid_grant"):  # the library's refresh after that 401
        service.calendarList().list().execute()
    assert _post(google.revoke_uri, {"token": "unknown"})[0] == 400


def test_expired_access_tokens_are_refreshed_by_the_library(google: GoogleEmulator, services) -> None:
    service = services()
    service.calendarList().list().execute()
    google.oauth.expire_access_tokens()

    service.calendarList().list().execute()

    assert [r.status for r in google.requests_to("/calendarList")] == [200, 401, 200]


def test_scopes_are_enforced(google: GoogleEmulator, services) -> None:
    service = services((READONLY_SCOPE,))
    service.events().list(calendarId="primary").execute()

    with pytest.raises(HttpError) as caught:
        service.events().insert(calendarId="primary", body=timed(T0)).execute()
    assert caught.value.status_code == 403 and _reason(caught.value) == "insufficientPermissions"


def test_requests_without_a_valid_token_are_refused(google: GoogleEmulator) -> None:
    for headers in ({}, {"Authorization": "Bearer nonsense"}):
        status, body = _api_get(google, "users/me/calendarList", {}, headers)
        assert status == 401 and body["error"]["status"] == "UNAUTHENTICATED"


# ---------------------------------------------------------------- request validation


def _api_get(google: GoogleEmulator, path: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    url = google.api_root + "calendar/v3/" + path + ("?" + urlencode(params) if params else "")
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def _bearer(google: GoogleEmulator) -> dict[str, str]:
    token = google.oauth._issue_access(google.client_id, frozenset(TWO_WAY), None)["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "params",
    [
        {"unknownParam": "1"},
        {"maxResults": "0"},
        {"maxResults": "ten"},
        {"singleEvents": "maybe"},
        {"orderBy": "title"},
        {"orderBy": "startTime"},  # needs singleEvents=true
        {"timeMin": "2026-01-01T00:00:00"},  # no offset
        {"timeMin": "2026-02-01T00:00:00Z", "timeMax": "2026-01-01T00:00:00Z"},
        {"fields": "items(id,nonsense)"},
        {"fields": "items(id"},
        {"pageToken": "made-up"},
    ],
)
def test_invalid_list_requests_are_400(google: GoogleEmulator, params: dict[str, str]) -> None:
    status, body = _api_get(google, "calendars/primary/events", params, _bearer(google))

    assert status == 400
    error = body["error"]
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert error["errors"][0]["domain"] and error["errors"][0]["reason"] and error["message"]


@pytest.mark.parametrize(
    "extra",
    [
        {"timeMin": "2026-01-01T00:00:00Z"},
        {"timeMax": "2027-01-01T00:00:00Z"},
        {"q": "interview"},
        {"orderBy": "updated"},
        {"iCalUID": "x@google.com"},
        {"updatedMin": "2026-01-01T00:00:00Z"},
        {"privateExtendedProperty": "a=b"},
        {"sharedExtendedProperty": "a=b"},
        {"showDeleted": "false"},
    ],
)
def test_sync_token_with_a_disallowed_parameter_is_400(google: GoogleEmulator, services, extra: dict[str, str]) -> None:
    token = services().events().list(calendarId="primary").execute()["nextSyncToken"]

    status, _ = _api_get(google, "calendars/primary/events", {"syncToken": token, **extra}, _bearer(google))

    assert status == 400


def test_the_library_rejects_unknown_arguments_before_the_emulator_sees_them(services) -> None:
    with pytest.raises(TypeError):
        services().events().list(calendarId="primary", bogus=1)


def test_long_urls_are_sent_as_post_with_a_method_override(google: GoogleEmulator, services) -> None:
    google.state.insert_event(google.state.email, timed(T0, summary="needle"))

    result = services().events().list(calendarId="primary", q="needle " + "x" * 2100).execute()

    assert result["items"] == []  # every word must match
    (request,) = google.requests_to("/events")
    assert request.overridden and request.method == "GET" and request.params["q"][0].startswith("needle")


# ---------------------------------------------------------------- paging, sync tokens, tombstones


def test_paging_never_puts_both_tokens_on_one_page(google: GoogleEmulator, services) -> None:
    google.state.add_events(google.state.email, (timed(T0 + timedelta(hours=i), summary=f"e{i}") for i in range(600)))
    events = services().events()

    request, pages = events.list(calendarId="primary", maxResults=250), []
    while request is not None:
        page = request.execute()
        pages.append(page)
        request = events.list_next(request, page)

    assert [len(p["items"]) for p in pages] == [250, 250, 100]
    assert ["nextPageToken" in p for p in pages] == [True, True, False]
    assert ["nextSyncToken" in p for p in pages] == [False, False, True]
    assert len({item["id"] for p in pages for item in p["items"]}) == 600


def test_max_results_is_capped_at_2500(google: GoogleEmulator, services) -> None:
    google.state.add_events(google.state.email, (timed(T0 + timedelta(minutes=i)) for i in range(2600)))

    page = services().events().list(calendarId="primary", maxResults=5000).execute()

    assert len(page["items"]) == 2500 and "nextPageToken" in page


def test_incremental_sync_with_tombstones_and_410(google: GoogleEmulator, services) -> None:
    calendar = google.state.email
    keep, edit, drop = google.state.add_events(calendar, [timed(T0), timed(T0, summary="old"), timed(T0)])
    standup = timed(datetime(2026, 4, 6, 9), 15, zone="Europe/Berlin", summary="Standup")
    series = google.state.insert_event(calendar, recurring(standup, "RRULE:FREQ=DAILY;COUNT=3"))["id"]
    events = services().events()
    full = events.list(calendarId="primary", singleEvents=True).execute()
    assert len(full["items"]) == 6 and keep in {i["id"] for i in full["items"]}

    google.state.patch_event(calendar, edit, {"summary": "new"}, None)
    google.state.delete_event(calendar, drop, None)
    cancelled = google.state.cancel_instance(calendar, series, datetime(2026, 4, 7, 7, tzinfo=UTC))
    changes = events.list(calendarId="primary", singleEvents=True, syncToken=full["nextSyncToken"]).execute()

    by_id = {item["id"]: item for item in changes["items"]}
    assert set(by_id) == {edit, drop, cancelled}
    assert by_id[edit]["summary"] == "new"
    assert by_id[drop] == {"kind": "calendar#event", "etag": by_id[drop]["etag"], "id": drop, "status": "cancelled"}
    assert by_id[cancelled]["status"] == "cancelled"
    assert by_id[cancelled]["recurringEventId"] == series
    assert by_id[cancelled]["originalStartTime"]["dateTime"] == "2026-04-07T09:00:00+02:00"
    # A full listing does not show the cancelled instance, a get still returns the deleted event.
    again = events.list(calendarId="primary", singleEvents=True).execute()
    assert cancelled not in {i["id"] for i in again["items"]} and drop not in {i["id"] for i in again["items"]}
    assert events.get(calendarId="primary", eventId=drop).execute()["status"] == "cancelled"

    google.state.expire_sync_tokens()
    with pytest.raises(HttpError) as caught:
        events.list(calendarId="primary", singleEvents=True, syncToken=changes["nextSyncToken"]).execute()
    assert caught.value.status_code == 410 and _reason(caught.value) == "fullSyncRequired"


def test_recurring_series_without_single_events(google: GoogleEmulator, services) -> None:
    weekly = recurring(all_day(date(2026, 4, 6), summary="Weekly"), "RRULE:FREQ=WEEKLY;COUNT=4", "EXDATE;VALUE=DATE:20260413")
    series = google.state.insert_event(google.state.email, weekly)["id"]
    google.state.cancel_instance(google.state.email, series, date(2026, 4, 20))
    events = services().events()

    masters = events.list(calendarId="primary").execute()["items"]
    instances = events.list(calendarId="primary", singleEvents=True, orderBy="startTime").execute()["items"]

    assert [m["id"] for m in masters if "recurrence" in m] == [series]
    assert [i["id"] for i in masters if i.get("recurringEventId")] == [f"{series}_20260420"]  # the cancelled exception
    assert [i["start"]["date"] for i in instances] == ["2026-04-06", "2026-04-27"]
    assert all(i["recurringEventId"] == series for i in instances)


# ---------------------------------------------------------------- writes


def test_insert_with_caller_supplied_ids(google: GoogleEmulator, services) -> None:
    events = services().events()
    created = events.insert(calendarId="primary", body=timed(T0, id="abcdef0123456789v"), sendUpdates="none").execute()
    assert created["id"] == "abcdef0123456789v" and created["etag"]

    with pytest.raises(HttpError) as duplicate:
        events.insert(calendarId="primary", body=timed(T0, id="abcdef0123456789v")).execute()
    assert duplicate.value.status_code == 409 and _reason(duplicate.value) == "duplicate"
    for bad in ("ABCDEF12345", "abcw1234567", "abc1"):
        with pytest.raises(HttpError) as invalid:
            events.insert(calendarId="primary", body=timed(T0, id=bad)).execute()
        assert invalid.value.status_code == 400
    with pytest.raises(TypeError):  # the library checks enums itself
        events.insert(calendarId="primary", body=timed(T0), sendUpdates="nobody")
    assert _api_get(google, "calendars/primary/events", {"sendUpdates": "none"}, _bearer(google))[0] == 400  # not a list parameter


def test_if_match_and_extended_properties(google: GoogleEmulator, services) -> None:
    events = services().events()
    created = events.insert(calendarId="primary", body=timed(T0, extendedProperties={"private": {"mine": "1", "other": "2"}})).execute()

    stale = events.patch(calendarId="primary", eventId=created["id"], body={"summary": "x"})
    stale.headers["If-Match"] = '"0"'
    with pytest.raises(HttpError) as caught:
        stale.execute()
    assert caught.value.status_code == 412

    fresh = events.patch(calendarId="primary", eventId=created["id"], body={"extendedProperties": {"private": {"other": None}}})
    fresh.headers["If-Match"] = created["etag"]
    patched = fresh.execute()
    assert patched["extendedProperties"] == {"private": {"mine": "1"}}
    assert patched["etag"] != created["etag"]

    delete = events.delete(calendarId="primary", eventId=created["id"])
    delete.headers["If-Match"] = created["etag"]
    with pytest.raises(HttpError) as conflict:
        delete.execute()
    assert conflict.value.status_code == 412
    events.delete(calendarId="primary", eventId=created["id"]).execute()
    with pytest.raises(HttpError) as gone:
        events.delete(calendarId="primary", eventId=created["id"]).execute()
    assert gone.value.status_code == 410 and _reason(gone.value) == "deleted"


def test_fields_filter_the_response(google: GoogleEmulator, services) -> None:
    google.state.insert_event(google.state.email, timed(T0, summary="x", location="y"))

    page = services().events().list(calendarId="primary", fields="nextSyncToken,items(id,start/dateTime)").execute()

    assert set(page) == {"nextSyncToken", "items"}
    assert set(page["items"][0]) == {"id", "start"} and set(page["items"][0]["start"]) == {"dateTime"}


def test_write_rules(google: GoogleEmulator, services) -> None:
    events = services().events()
    reader = google.state.create_calendar(summary="Shared", access_role="reader")
    cases = [
        ({"calendarId": "primary", "body": {"end": {"dateTime": "2026-01-01T10:00:00Z"}}}, 400),  # no start
        ({"calendarId": "primary", "body": timed(T0, minutes=-5)}, 400),  # ends before it starts
        ({"calendarId": "primary", "body": recurring(timed(T0), "RRULE:FREQ=DAILY;COUNT=2")}, 400),  # no time zone
        ({"calendarId": reader, "body": timed(T0)}, 403),
        ({"calendarId": "nope@group.calendar.google.com", "body": timed(T0)}, 404),
    ]
    for kwargs, status in cases:
        with pytest.raises(HttpError) as caught:
            events.insert(**kwargs).execute()
        assert caught.value.status_code == status, kwargs


# ---------------------------------------------------------------- faults and lifecycle


def test_fault_knobs(google: GoogleEmulator, services) -> None:
    service = services()
    service.calendarList().list().execute()
    google.clear_log()
    google.fail(429, count=1, path="/calendarList", retry_after=3)
    google.fail(403, "userRateLimitExceeded", count=1, path="/calendarList")

    with pytest.raises(HttpError) as throttled:
        service.calendarList().list().execute()
    assert throttled.value.status_code == 429 and throttled.value.resp["retry-after"] == "3"
    with pytest.raises(HttpError) as quota:
        service.calendarList().list().execute()
    assert quota.value.status_code == 403 and _reason(quota.value) == "userRateLimitExceeded"

    google.drop(count=1, path="/calendarList")  # httplib2 quietly retries a single drop
    service.calendarList().list().execute()
    assert [r.status for r in google.requests] == [429, 403, 0, 200]


def _request_ignoring_errors(url: str) -> None:
    try:
        urllib.request.urlopen(url, timeout=30).close()
    except OSError:
        pass  # the emulator stops under it


def test_stop_closes_the_port_and_joins_its_threads(services) -> None:
    emulator = GoogleEmulator().start()
    port = int(emulator.base_url.rsplit(":", 1)[1])
    held = socket.create_connection(("127.0.0.1", port))  # an idle keep-alive connection
    emulator.delay(30, path="/slow")
    slow = threading.Thread(target=_request_ignoring_errors, args=(emulator.base_url + "/slow",))
    slow.start()
    deadline = time.monotonic() + 10
    while len(emulator._server.connections) < 2 and time.monotonic() < deadline:  # both are being served
        time.sleep(0.01)
    before = threading.active_count()

    emulator.stop()

    slow.join(5)
    assert not slow.is_alive()  # the 30 s delay was cut short
    held.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)
    assert threading.active_count() <= before - 4  # the serving thread, both handlers and the client are gone


def test_calendar_list_paging_and_sync_token(google: GoogleEmulator, services) -> None:
    calendar_list = services().calendarList()
    for index in range(120):
        google.state.create_calendar(summary=f"Cal {index}")

    first = calendar_list.list().execute()
    second = calendar_list.list_next(calendar_list.list(), first).execute()
    assert (len(first["items"]), len(second["items"])) == (100, 21)
    assert "nextSyncToken" not in first and "nextPageToken" not in second

    added = google.state.create_calendar(summary="New")
    changes = calendar_list.list(syncToken=second["nextSyncToken"]).execute()
    assert [entry["id"] for entry in changes["items"]] == [added]
    status, _ = _api_get(google, "users/me/calendarList", {"syncToken": changes["nextSyncToken"], "minAccessRole": "owner"}, _bearer(google))
    assert status == 400
