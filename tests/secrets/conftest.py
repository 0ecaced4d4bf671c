"""A real freedesktop Secret Service for tests: gnome-keyring inside its own ``dbus-run-session``.

The session runs a small shell script: unlock a fresh login keyring (gnome-keyring needs
``$HOME/.cache`` and ``$HOME/.local/share``, and without ``--unlock`` it would ask a prompter
that has no display), print the bus address, then wait on standard input. Closing that input
ends the session; gnome-keyring does not always leave with its bus, so the fixture then stops it
by its process id.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection

REQUIRED = ("dbus-run-session", "gnome-keyring-daemon")
SESSION_SCRIPT = """
printf '%s' "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
echo "BUS=$DBUS_SESSION_BUS_ADDRESS"
exec cat >/dev/null
"""
_BUS = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus")


@dataclass(frozen=True)
class SecretService:
    address: str
    """``DBUS_SESSION_BUS_ADDRESS`` of the session gnome-keyring serves."""

    def environment(self) -> dict[str, str]:
        """Variables that make a calendar-desktop process use this Secret Service through keyring."""
        return {"DBUS_SESSION_BUS_ADDRESS": self.address, "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring"}

    def wait_until_offered(self, timeout: float = 20) -> None:
        """Return once gnome-keyring owns ``org.freedesktop.secrets`` on the bus (it claims the
        name a moment after ``--unlock`` has returned)."""
        call = new_method_call(_BUS, "NameHasOwner", "s", ("org.freedesktop.secrets",))
        deadline = time.monotonic() + timeout
        with open_dbus_connection(bus=self.address) as connection:
            while not connection.send_and_get_reply(call, timeout=5).body[0]:
                if time.monotonic() > deadline:
                    raise RuntimeError("gnome-keyring never offered the Secret Service")
                time.sleep(0.05)


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretService]:
    missing = [name for name in REQUIRED if shutil.which(name) is None]
    if missing:
        pytest.skip(
            f"the real Secret Service tests need {', '.join(missing)}: install the Debian packages "
            "gnome-keyring, dbus-daemon and dbus-x11 (`.ci/dev test` does)"
        )
    home = tmp_path_factory.mktemp("secret-service-home")
    for folder in (".cache", ".local/share", ".config"):
        (home / folder).mkdir(parents=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "KEYRING_PASSWORD": "test-login-password",
    }
    session = subprocess.Popen(
        ["dbus-run-session", "--", "sh", "-c", SESSION_SCRIPT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # dbus-daemon complains it may not raise its fd limit
        env=env,
        cwd=home,
    )
    try:
        service = SecretService(_read_address(session))
        service.wait_until_offered()
        yield service
    finally:
        _end_session(session, home)


def _read_address(session: subprocess.Popen[bytes], timeout: float = 20) -> str:
    assert session.stdout is not None
    ready, _, _ = select.select([session.stdout], [], [], timeout)
    line = session.stdout.readline().decode().strip() if ready else ""
    if not line.startswith("BUS="):
        raise RuntimeError(f"gnome-keyring did not start inside dbus-run-session (got {line!r})")
    return line.removeprefix("BUS=")


def _end_session(session: subprocess.Popen[bytes], home: Path) -> None:
    """Close the session's input (it ends), then stop the gnome-keyring it started if it lingers."""
    assert session.stdin is not None
    with contextlib.suppress(OSError):
        session.stdin.close()
    try:
        session.wait(timeout=10)
    except subprocess.TimeoutExpired:
        session.kill()
        session.wait()
    if session.stdout is not None:
        session.stdout.close()
    for pid in _keyring_daemons(home):
        if not _gone(pid, within=3):
            os.kill(pid, signal.SIGTERM)
            _gone(pid, within=5)


def _keyring_daemons(home: Path) -> list[int]:
    """gnome-keyring daemons started by this fixture: the ones whose ``HOME`` is its fresh folder
    (gnome-keyring daemonizes, so it is no child of ours, and it outlives its bus)."""
    found = []
    marker = f"HOME={home}".encode() + b"\0"
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if (proc / "comm").read_text().strip().startswith("gnome-keyring") and marker in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _gone(pid: int, within: float) -> bool:
    """True once ``pid`` has exited (a zombie nobody reaps counts as exited)."""
    deadline = time.monotonic() + within
    while True:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state == "Z":
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


@pytest.fixture
def on_secret_service(secret_service: SecretService, monkeypatch: pytest.MonkeyPatch) -> SecretService:
    """This test process talks to the session's Secret Service (keyring reads the bus address per call)."""
    for name, value in secret_service.environment().items():
        monkeypatch.setenv(name, value)
    return secret_service


def profile_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())
