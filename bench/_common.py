"""Shared by the bench scripts (not a bench itself: ``run_all`` skips files starting with ``_``)."""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class ChildRun:
    wall_s: float
    max_rss_mb: float
    out: str


def run_child(args: Sequence[str], env: dict[str, str] | None = None, timeout: float = 600) -> ChildRun:
    """Run ``python ARGS`` from the repository, timing the whole process and reading its own peak
    RSS. Raises on failure.

    The peak is the child's ``VmHWM`` read from /proc while it runs: ``ru_maxrss`` from ``wait4``
    would count this (large) parent too, since Linux records the memory a child had between fork
    and exec. Where /proc is missing, ``ru_maxrss`` is all there is."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, *args], env=full_env, cwd=REPO, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        try:
            status, usage, peak_kb = _wait4(process.pid, timeout)
        except TimeoutError:
            process.kill()
            process.wait()
            raise
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:6])} failed ({process.returncode}): {err.read().decode(errors='replace')[-2000:]}")
        return ChildRun(wall, (peak_kb or usage.ru_maxrss) / 1024, out.read().decode(errors="replace"))


def _wait4(pid: int, timeout: float) -> tuple[int, os.struct_rusage, int]:  # type: ignore[name-defined]
    """(status, rusage, highest VmHWM seen in kB) once ``pid`` has exited."""
    deadline = time.monotonic() + timeout
    peak_kb = 0
    while True:
        found, status, usage = os.wait4(pid, os.WNOHANG)
        if found:
            return status, usage, peak_kb
        peak_kb = max(peak_kb, _high_water_kb(pid))
        if time.monotonic() > deadline:
            raise TimeoutError(f"process {pid} ran longer than {timeout} s")
        time.sleep(0.005)


def _high_water_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def median(values: Sequence[float], digits: int = 3) -> float:
    return round(statistics.median(values), digits)


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    return {
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "date": time.strftime("%Y-%m-%d"),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def python_startup_s(runs: int = 5) -> dict[str, float]:
    """The floor under every whole-process figure: a bare interpreter, and the CLI's imports."""
    bare = [run_child(["-c", "pass"]).wall_s for _ in range(runs)]
    cli = [run_child(["-c", "import calendar_desktop.cli.main"]).wall_s for _ in range(runs)]
    return {"python_s": median(bare), "python_and_cli_imports_s": median(cli)}


def timed_pass(service, account_id: int) -> float:  # type: ignore[no-untyped-def]
    """Seconds for one sync pass of ``account_id`` through the app's controller, in this process."""
    from calendar_desktop.core.wiring import build_controller

    async def run() -> float:
        controller = build_controller(service)
        try:
            started = time.perf_counter()
            result = await controller.sync_account(account_id)
            elapsed = time.perf_counter() - started
            if not result.ok:
                raise RuntimeError(result.message)
            return elapsed
        finally:
            await controller.stop()

    return asyncio.run(run())
