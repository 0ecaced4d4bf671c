"""Radicale and Xandikos as real server processes on 127.0.0.1, random ports, throwaway storage.

Both are started as subprocesses (the GIL of the test process stays out of their timings) and
stopped by whoever started them. ``stop()`` and ``start()`` may be called again to take a
server away in the middle of a sync and bring it back on the same port with the same data.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Login:
    """Credentials of one server user (one principal)."""

    username: str
    password: str


class ServerProcess:
    """A DAV server in a subprocess; subclasses say how to start it."""

    name = "server"

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self._process: subprocess.Popen[bytes] | None = None
        self._log = root / f"{self.name}.log"

    def command(self) -> list[str]:
        raise NotImplementedError

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 30.0) -> None:
        if self.running:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, cwd=self.root)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start: {self._log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not start within {timeout} s")

    def stop(self) -> None:
        """Stop the process at once (SIGKILL: a crash, not a clean shutdown) and wait for it."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(timeout=30)
        self._process = None

    def log_text(self) -> str:
        return self._log.read_text(errors="replace") if self._log.exists() else ""


class Radicale(ServerProcess):
    """Radicale 3 with plain-text htpasswd users and no delay on refused logins."""

    name = "radicale"

    def __init__(self, root: Path, *, skip_broken_items: bool = True) -> None:
        super().__init__(root)
        self.storage = root / "storage"
        self.users_file = root / "users"
        self.users_file.write_text("")
        (root / "config").write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.port}\n"
            "[auth]\n"
            "type = htpasswd\n"
            f"htpasswd_filename = {self.users_file}\n"
            "htpasswd_encryption = plain\n"
            "delay = 0\n"
            "[storage]\n"
            f"filesystem_folder = {self.storage}\n"
            f"skip_broken_item = {'True' if skip_broken_items else 'False'}\n"
            "[logging]\n"
            "level = warning\n"
        )

    def command(self) -> list[str]:
        return [sys.executable, str(Path(__file__).with_name("radicale_main.py")), str(self.root / "config")]

    def new_login(self) -> Login:
        """A fresh user (Radicale re-reads the users file on every login), with its principal created."""
        login = Login(f"user-{uuid.uuid4().hex[:10]}", uuid.uuid4().hex)
        with self.users_file.open("a") as users:
            users.write(f"{login.username}:{login.password}\n")
        response = httpx.request(
            "PROPFIND", f"{self.url}{login.username}/", auth=(login.username, login.password), headers={"Depth": "0"}
        )
        response.raise_for_status()
        return login

    def change_password(self, login: Login) -> Login:
        """A new password for the user: the old one is refused from the next request on."""
        changed = Login(login.username, uuid.uuid4().hex)
        lines = self.users_file.read_text().splitlines()
        edited = self.users_file.with_suffix(".new")
        edited.write_text(
            "".join(f"{changed.username}:{changed.password}\n" if line.split(":", 1)[0] == login.username else f"{line}\n"
                    for line in lines)  # fmt: skip
        )
        edited.replace(self.users_file)  # at once: Radicale never reads a half-written file
        return changed

    def collection_dir(self, login: Login, calendar: str) -> Path:
        return self.storage / "collection-root" / login.username / calendar

    def calendar_path(self, login: Login, calendar: str) -> str:
        return f"/{login.username}/{calendar}/"


class Xandikos(ServerProcess):
    """Xandikos with its default principal ``/user/`` and no authentication (loopback only)."""

    name = "xandikos"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.data = root / "data"

    def command(self) -> list[str]:
        return [str(BIN / "xandikos"), "serve", "--defaults", "-d", str(self.data), "-l", "127.0.0.1", "-p", str(self.port)]

    @property
    def calendar_home(self) -> Path:
        return self.data / "user" / "calendars"

    def collection_dir(self, login: Login, calendar: str) -> Path:
        return self.calendar_home / calendar

    def calendar_path(self, login: Login, calendar: str) -> str:
        return f"/user/calendars/{calendar}/"

    def reset(self) -> Login:
        """Remove every calendar, so the next test sees an empty account (Xandikos has one principal)."""
        for child in self.calendar_home.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
        return Login("user", "unused")


def commit_work_tree(folder: Path, message: str) -> None:
    """Xandikos keeps each collection in git: files written by hand count once committed."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "seed", "GIT_AUTHOR_EMAIL": "seed@calendar-desktop.test",
           "GIT_COMMITTER_NAME": "seed", "GIT_COMMITTER_EMAIL": "seed@calendar-desktop.test"}  # fmt: skip
    subprocess.run(["git", "add", "-A"], cwd=folder, check=True, env=env, capture_output=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=folder, check=True, env=env, capture_output=True)
