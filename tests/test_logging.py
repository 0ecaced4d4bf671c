"""Nothing secret and no event body reaches the log file, whatever logs it."""

from __future__ import annotations

import logging
from pathlib import Path

import peewee
import pytest

from calendar_desktop.logging_setup import REDACTOR, configure_logging
from calendar_desktop.secrets import SecretStore
from tests.support.keyrings import MemoryKeyring

ICS = (
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x@y\r\nSUMMARY:Final round with Acme\r\n"
    "DESCRIPTION:Dial-in PIN 424242 and the offer details\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def log_file(tmp_path: Path):
    path = tmp_path / "logs" / "app.log"
    configure_logging(path, verbosity=2)
    yield path
    logging.shutdown()
    for handler in list(logging.getLogger().handlers):
        logging.getLogger().removeHandler(handler)


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_tokens_and_bodies_are_redacted(log_file: Path) -> None:
    log = logging.getLogger("calendar_desktop.test")
    lib = logging.getLogger("urllib3.connectionpool")
    log.info("request headers {'Authorization': 'Bearer ya29.a0AfH6SMBxyz-secret-access'}")
    lib.debug("POST /token body=grant_type=refresh_token&refresh_token=1//0gSecretRefresh-Token_value&client_secret=GOCSPX-abc123")
    log.warning("server said %s", {"access_token": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"})
    logging.getLogger("caldav").warning("Ical data was modified:\n%s", ICS)
    log.debug('google item {"id": "abc", "description": "Bring your passport \\"and\\" the NDA", "summary": "x"}')
    log.info("graph item {\"body\": {\"contentType\": \"html\", \"content\": \"<p>salary 120k</p>\"}}")
    log.info("caldav login password=s3cret-pass-word")
    _flush()
    text = log_file.read_text()
    for leaked in ("ya29.a0AfH6SMBxyz", "1//0gSecretRefresh", "GOCSPX-abc123", "eyJhbGciOi", "PIN 424242",
                   "offer details", "Bring your passport", "salary 120k", "s3cret-pass-word"):  # fmt: skip
        assert leaked not in text, leaked
    assert text.count("[redacted]") >= 7


def test_registered_secrets_are_masked_anywhere(log_file: Path) -> None:
    secrets = SecretStore(MemoryKeyring()).for_account("acc")
    secrets.set("password", "correct horse battery")
    logging.getLogger("some.library").error("login failed for user with correct horse battery in URL")
    try:
        raise RuntimeError("token correct horse battery rejected")
    except RuntimeError:
        logging.getLogger("calendar_desktop").exception("sync failed")
    _flush()
    text = log_file.read_text()
    assert "correct horse battery" not in text
    assert "RuntimeError" in text, "tracebacks stay useful"


def test_sql_parameters_stay_out_even_at_full_verbosity(log_file: Path) -> None:
    """peewee logs each statement with its parameters at DEBUG, and the store's parameters are
    the events' titles, places and attendees."""
    database = peewee.SqliteDatabase(":memory:")
    database.execute_sql("SELECT ?", ("Final round with Acme",))
    database.close()
    logging.getLogger("urllib3.connectionpool").debug("library debug still shows at -vv")
    _flush()
    text = log_file.read_text()
    assert "Final round with Acme" not in text
    assert "library debug still shows" in text


def test_redactor_leaves_ordinary_text_alone() -> None:
    line = "account 3 sync ok: +12 ~1 -0 skipped 1"
    assert REDACTOR.redact(line) == line
