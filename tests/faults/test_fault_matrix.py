"""The fault matrix: every fault a server can throw at a sync, against every peer, through the real
sync controller.

Each case connects an account, syncs, changes everything on the server (so the next pass lists
several pages), injects the fault and runs one pass. It checks the account's state and the
message the user sees, counts the requests the pass made (in-pass retries are bounded by the
provider's ``RetryPolicy``; the next pass waits for the controller's ``BackoffPolicy``, at least
``Retry-After``), then clears the fault, runs a clean pass and compares the store with the server:
the same events, nothing duplicated, nothing left behind.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.backoff import BackoffPolicy
from calendar_desktop.domain import AccountStatus
from tests.faults.conftest import TUNING, mirror, peer_fault_pairs, sync_pass
from tests.faults.peers import FAULTS, LONG_RETRY_AFTER_S, SLOW_S, Peer

EVENTS = 120
"""With pages of 50: a full listing of three pages, and an incremental one after every event changed."""


class Outcome(Enum):
    RETRY_LATER = "the pass fails; the account waits for its backoff"
    RECOVERS = "retried within the pass, which succeeds"
    RESYNC = "a full resync within the pass, which succeeds"
    REAUTH = "the account needs reconnecting"


@dataclass(frozen=True, slots=True)
class Expect:
    outcome: Outcome
    message: str = ""
    """A regular expression the user's message must match (case-insensitive)."""


def _says(*parts: str) -> str:
    """A pattern for a text that contains every part, in any order."""
    return "".join(f"(?=.*{part})" for part in parts)


_BUSY = r"(busy|unavailable|trouble|limit|slow down)"
_RETRY = r"will retry"

EXPECT: dict[str, Expect] = {
    "refused": Expect(Outcome.RETRY_LATER, _says("cannot reach", _RETRY)),
    "reset_mid_page": Expect(Outcome.RETRY_LATER, _says("broke off", _RETRY)),
    "reset_once": Expect(Outcome.RECOVERS),
    "slow": Expect(Outcome.RETRY_LATER, _says(r"did not answer within \S+ seconds", _RETRY)),
    "truncated": Expect(Outcome.RETRY_LATER, _says("broke off", _RETRY)),
    "http_500": Expect(Outcome.RETRY_LATER, _says(r"\b500\b", _BUSY, _RETRY)),
    "http_502": Expect(Outcome.RETRY_LATER, _says(r"\b502\b", _BUSY, _RETRY)),
    "http_503": Expect(Outcome.RETRY_LATER, _says(r"\b503\b", _BUSY, _RETRY)),
    "http_503_once": Expect(Outcome.RECOVERS),
    "http_429": Expect(Outcome.RETRY_LATER, _says(r"\b429\b", _BUSY, _RETRY)),
    "http_429_retry_after": Expect(Outcome.RETRY_LATER, _says(r"\b429\b", _BUSY, _RETRY)),
    "http_429_retry_after_once": Expect(Outcome.RECOVERS),
    "quota_403_rate": Expect(Outcome.RETRY_LATER, _says(r"\b403\b", _BUSY, _RETRY)),
    "quota_403_user_rate": Expect(Outcome.RETRY_LATER, _says(r"\b403\b", _BUSY, _RETRY)),
    "quota_403_daily": Expect(Outcome.RETRY_LATER, _says(r"\b403\b", "limit", _RETRY)),
    "expired_cursor": Expect(Outcome.RESYNC),
    "expired_cursor_sync_state": Expect(Outcome.RESYNC),
    "expired_cursor_resync": Expect(Outcome.RESYNC),
    "invalid_grant": Expect(Outcome.REAUTH, r"reconnect|connect the account again"),
    "revoked_password": Expect(Outcome.REAUTH, r"reconnect|connect the account again"),
}
assert set(EXPECT) == set(FAULTS)


def _failed(statuses: list[int]) -> int:
    return sum(1 for status in statuses if not 200 <= status < 300)


@pytest.mark.parametrize(("peer", "fault"), peer_fault_pairs(FAULTS), indirect=["peer"])
def test_fault(peer: Peer, app: AppService, fault: str) -> None:
    expect = EXPECT[fault]
    peer.seed(EVENTS)
    account = peer.connect(app)
    assert sync_pass(app, account.id).ok
    assert mirror(app) == peer.server_events()
    peer.change_everything()

    listed_before, refused_before = len(peer.listing_statuses()), peer.refused_credentials()
    peer.inject(fault)
    started = datetime.now(UTC)
    result = sync_pass(app, account.id)
    finished = datetime.now(UTC)
    if fault == "slow":
        time.sleep(SLOW_S)  # a held request is logged when the server answers it, after the client gave up
    statuses = peer.listing_statuses()[listed_before:]
    stored = app.store.accounts.get(account.id)
    attempts = TUNING.retry.attempts * peer.requests_per_attempt(fault)

    if expect.outcome is Outcome.RETRY_LATER:
        assert not result.ok and result.status is AccountStatus.ERROR
        assert stored.status is AccountStatus.ERROR and stored.last_error == result.message
        assert re.search(expect.message, result.message or "", re.I), result.message
        assert stored.retry_at is not None
        # The retry time is the failure's time (within the pass) plus the wait.
        longest_wait = (stored.retry_at - started).total_seconds()
        shortest_wait = (stored.retry_at - finished).total_seconds()
        if fault == "http_429_retry_after":
            assert len(statuses) == 1, "a Retry-After beyond the in-pass cap is not slept through"
            assert longest_wait >= LONG_RETRY_AFTER_S, "the next pass waits at least Retry-After"
        else:
            if fault != "refused":  # a stopped server logs nothing
                assert len(statuses) == peer.answered_before(fault) + attempts, "in-pass retries are bounded"
            first_backoff = BackoffPolicy().base_s
            assert longest_wait >= first_backoff * 0.5 and shortest_wait <= first_backoff, "waits for the backoff"
    elif expect.outcome is Outcome.RECOVERS:
        assert result.ok and stored.status is AccountStatus.CONNECTED and stored.last_error is None
        assert _failed(statuses) == peer.requests_per_attempt(fault), "one failed attempt, then success"
    elif expect.outcome is Outcome.RESYNC:
        assert result.ok and stored.status is AccountStatus.CONNECTED
        assert _failed(statuses) == 1, "the refused cursor is asked once, then a full listing"
        [run] = app.sync_history(account.id, limit=1)
        assert run.full_resync
    else:
        assert not result.ok and result.status is AccountStatus.NEEDS_REAUTH
        assert stored.status is AccountStatus.NEEDS_REAUTH
        assert re.search(expect.message, result.message or "", re.I), result.message
        assert peer.refused_credentials() - refused_before == 1, "a refused credential is not tried again"

    peer.clear_faults()
    if expect.outcome is Outcome.REAUTH:
        peer.reconnect(app, account)
    clean = sync_pass(app, account.id)
    assert clean.ok, clean.message
    stored = app.store.accounts.get(account.id)
    assert stored.status is AccountStatus.CONNECTED and stored.last_error is None and stored.retry_at is None
    assert mirror(app) == peer.server_events()


@pytest.mark.parametrize(("peer", "fault"), peer_fault_pairs(("reset_mid_page", "http_503")), indirect=["peer"])
def test_fault_during_the_initial_sync(peer: Peer, app: AppService, fault: str) -> None:
    """A first sync broken off after some pages were committed: the next one completes it, with
    nothing duplicated and nothing kept that the server no longer has."""
    peer.seed(EVENTS)
    account = peer.connect(app)
    peer.inject(fault)
    failed = sync_pass(app, account.id)
    assert not failed.ok and failed.status is AccountStatus.ERROR
    peer.clear_faults()
    peer.change_everything()  # some of what the first pages stored is gone now

    assert sync_pass(app, account.id).ok
    assert mirror(app) == peer.server_events()
    assert len(mirror(app)) == EVENTS
