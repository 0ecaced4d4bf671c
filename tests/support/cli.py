"""Running the CLI in-process (fast) or as a real subprocess (entry point, exit codes, no Qt)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calendar_desktop.cli.main import main

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(profile: Path, *args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--profile", str(profile), *args], out=out, err=err)
    return Result(code, out.getvalue(), err.getvalue())


def run_process(*args: str, stdin: str | None = None, timeout: float = 60, env: dict[str, str] | None = None) -> Result:
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "calendar_desktop", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=full_env,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)
