"""WebDAV plumbing: canonical hrefs, Retry-After, multistatus parsing, statuses to provider errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from calendar_desktop.providers.caldav.webdav import (
    NotFoundOnServer,
    UnsupportedRequest,
    canonical_path,
    check,
    parse_multistatus,
    transport_error,
)
from calendar_desktop.providers.errors import (
    AuthenticationError,
    CursorExpired,
    PermanentError,
    TransientError,
    WriteConflict,
)


@pytest.mark.parametrize(
    ("href", "canonical"),
    [
        ("/u/cal/a%40b.ics", "/u/cal/a@b.ics"),
        ("https://p42-caldav.icloud.com/123/calendars/home/x%20y.ics", "/123/calendars/home/x%20y.ics"),
        ("/u/cal/name with space.ics", "/u/cal/name%20with%20space.ics"),
        ("/u/cal/a%2Fb.ics", "/u/cal/a%2Fb.ics"),
        ("/u/caf%C3%A9/", "/u/caf%C3%A9/"),
    ],
)
def test_hrefs_from_different_replies_compare_equal(href: str, canonical: str) -> None:
    assert canonical_path(href) == canonical
    assert canonical_path(canonical) == canonical


def reply(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, content=body, headers=headers, request=httpx.Request("REPORT", "http://dav.test/u/cal/"))


def server_wait(response: httpx.Response) -> float | None:
    with pytest.raises(TransientError) as raised:
        check(response, "REPORT")
    return raised.value.retry_after


def test_a_busy_server_says_how_long_to_wait_in_seconds_or_as_a_date() -> None:
    assert server_wait(reply(503, headers={"Retry-After": "120"})) == 120.0
    later = datetime.now(UTC) + timedelta(seconds=90)
    assert 80 <= (server_wait(reply(429, headers={"Retry-After": format_datetime(later, usegmt=True)})) or 0) <= 91
    assert server_wait(reply(503, headers={"Retry-After": "soon"})) is None
    assert server_wait(reply(503)) is None


SYNC_TOKEN_ERROR = b'<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:valid-sync-token/></D:error>'


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (401, b"", AuthenticationError),
        (429, b"", TransientError),
        (500, b"", TransientError),
        (503, b"", TransientError),
        (403, SYNC_TOKEN_ERROR, CursorExpired),  # Radicale
        (412, SYNC_TOKEN_ERROR, CursorExpired),  # Xandikos
        (412, b"", WriteConflict),
        (404, b"", NotFoundOnServer),
        (403, b"", PermanentError),
        (403, b'<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:supported-report/></D:error>', UnsupportedRequest),
        (501, b"", UnsupportedRequest),  # Not Implemented: no use retrying
        (405, b"", UnsupportedRequest),
    ],
)
def test_statuses_become_provider_errors(status: int, body: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        check(reply(status, body), "REPORT")


@pytest.mark.parametrize(
    ("exc", "says"),
    [
        (httpx.ReadTimeout("timed out"), "did not answer within 7.5 seconds"),
        (httpx.ConnectTimeout("timed out"), "did not answer within 7.5 seconds"),
        (httpx.RemoteProtocolError("incomplete body"), "broke off"),
        (httpx.ReadError("connection reset by peer"), "broke off"),
        (httpx.ConnectError("connection refused"), "Cannot reach"),
    ],
)
def test_network_trouble_is_transient_and_says_what_happened(exc: httpx.TransportError, says: str) -> None:
    error = transport_error(exc, "dav.test", 7.5)
    assert isinstance(error, TransientError)
    assert says in str(error) and "dav.test" in str(error) and "will retry" in str(error)


def test_success_passes() -> None:
    check(reply(207), "REPORT")
    check(reply(204), "DELETE")


def test_a_multistatus_is_read_with_statuses_found_and_missing_properties() -> None:
    result = parse_multistatus(
        b'<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
        b"<d:response><d:href>/u/cal/a%40b.ics</d:href><d:propstat><d:prop><d:getetag>\"1\"</d:getetag></d:prop>"
        b"<d:status>HTTP/1.1 200 OK</d:status></d:propstat><d:propstat><d:prop><c:calendar-data/></d:prop>"
        b"<d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>"
        b"<d:response><d:href>/u/cal/gone.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>"
        b"<d:sync-token>tok-2</d:sync-token></d:multistatus>"
    )
    first, gone = result.responses
    assert (first.href, first.status, first.text("{DAV:}getetag")) == ("/u/cal/a@b.ics", None, '"1"')
    assert first.missing == {"{urn:ietf:params:xml:ns:caldav}calendar-data"}
    assert (gone.href, gone.status, gone.props) == ("/u/cal/gone.ics", 404, {})
    assert result.sync_token == "tok-2"


def test_what_is_not_a_multistatus() -> None:
    with pytest.raises(PermanentError, match="not a WebDAV multistatus"):
        parse_multistatus(b"<html><body>hello</body></html>")
    with pytest.raises(TransientError, match="unreadable"):
        parse_multistatus(b"<d:multistatus xmlns:d='DAV:'><d:resp")
