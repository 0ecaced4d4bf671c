"""``SecretStore`` on the real freedesktop Secret Service (gnome-keyring), through keyring."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid
from contextlib import closing

import secretstorage
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from calendar_desktop.secrets import SERVICE, SecretStore
from tests.secrets.conftest import SecretService
from tests.support.cli import REPO, Result


def stored_entries() -> dict[str, str]:
    """Every item calendar-desktop has in the Secret Service: keyring entry name -> secret."""
    with closing(secretstorage.dbus_init()) as connection:
        collection = secretstorage.get_default_collection(connection)
        return {
            item.get_attributes()["username"]: item.get_secret().decode()
            for item in collection.search_items({"service": SERVICE})
        }


def test_account_secrets_round_trip(on_secret_service: SecretService) -> None:
    store = SecretStore(SecretServiceKeyring())
    assert store.backend_name() == "keyring.backends.SecretService.Keyring"
    first, second = uuid.uuid4().hex, uuid.uuid4().hex
    account, other = store.for_account(first), store.for_account(second)
    big = secrets.token_urlsafe(16_000)[:20_480]  # an MSAL token cache key is far smaller; a cache is this big
    account.update({"refresh_token": "1//" + secrets.token_urlsafe(40), "token_cache": big})
    other.set("refresh_token", "the other account's token")

    assert account.get("token_cache") == big
    assert set(account.all()) == {"refresh_token", "token_cache"}
    account.delete("refresh_token")
    assert account.get("refresh_token") is None and set(account.all()) == {"token_cache"}

    account.clear()
    assert account.all() == {}
    assert not [name for name in stored_entries() if first in name], "clear leaves no item behind"
    assert other.get("refresh_token") == "the other account's token", "clearing one account spares the others"
    other.clear()
    assert not [name for name in stored_entries() if second in name]


def test_another_process_sees_the_same_secrets_and_picks_the_secret_service_itself(
    on_secret_service: SecretService,
) -> None:
    key = uuid.uuid4().hex
    SecretStore(SecretServiceKeyring()).for_account(key).set("password", "shared between processes")
    script = (
        "from calendar_desktop.secrets import SecretStore\n"
        "store = SecretStore()\n"
        "print(store.backend_name())\n"
        f"print(store.for_account({key!r}).get('password'))\n"
    )
    env = {"DBUS_SESSION_BUS_ADDRESS": on_secret_service.address, "PYTHON_KEYRING_BACKEND": ""}
    result = run_python(script, env)
    assert result.code == 0, result.err
    backend, value = result.out.splitlines()
    assert backend == "keyring.backends.SecretService.Keyring", "keyring finds the Secret Service on its own"
    assert value == "shared between processes"
    SecretStore(SecretServiceKeyring()).for_account(key).clear()


def run_python(script: str, env: dict[str, str]) -> Result:
    """``script`` in a fresh interpreter; variables set to "" in ``env`` are removed."""
    full_env = {name: value for name, value in {**os.environ, "PYTHONPATH": str(REPO), **env}.items() if value}
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=full_env, cwd=REPO
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)
