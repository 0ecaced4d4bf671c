"""Initial and no-change sync of a 2,000-event calendar on a local Radicale, whole processes timed:
``calendar-desktop sync`` and, when given, vdirsyncer on the same server and data.

    python bench/caldav_sync.py [--events 2000] [--runs 3] [--vdirsyncer PATH/TO/vdirsyncer]

Prints one JSON document: medians of wall time, CPU time (user + system, s) and peak RSS (MB), and
every run's wall time. Radicale runs
in its own process with the test suite's launcher (fsync off, no login delay), seeded through
its storage folder and warmed (item cache and sync history built) before anything is timed.
The keyring is the test suite's file keyring in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.servers.calendars import sample_calendar  # noqa: E402
from tests.servers.dav import DavAccount  # noqa: E402
from tests.servers.processes import Radicale  # noqa: E402


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one child process (output to a file, never a pipe)."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{command[:4]} failed: {errors.read().decode(errors='replace')[-1500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def summary(runs: list[tuple[float, float, float]]) -> dict[str, object]:
    return {
        "median_s": round(statistics.median(w for w, _, _ in runs), 3),
        "median_cpu_s": round(statistics.median(c for _, c, _ in runs), 3),
        "median_max_rss_mb": round(statistics.median(r for _, _, r in runs), 1),
        "runs_s": [round(w, 3) for w, _, _ in runs],
    }


def bench_calendar_desktop(dav: DavAccount, work: Path, runs: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHON_KEYRING_BACKEND": "tests.support.keyrings.FileKeyring",
           "CALENDAR_DESKTOP_TEST_KEYRING": str(work / "keyring.json")}  # fmt: skip
    app = [sys.executable, "-m", "calendar_desktop"]
    initial, unchanged = [], []
    for run in range(runs):
        profile = work / f"profile-{run}"
        subprocess.run(  # connect (and its first sync) untimed, then forget the events: only the sync is timed
            [*app, "--profile", str(profile), "accounts", "add", "caldav", "--url", dav.url, "--username", dav.username,
             "--password-stdin"], input=(dav.password + "\n").encode(), env=env, cwd=REPO, check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run([*app, "--profile", str(profile), "forget"], env=env, cwd=REPO, check=True, capture_output=True)
        initial.append(timed([*app, "--profile", str(profile), "sync"], env))
        unchanged.append(timed([*app, "--profile", str(profile), "sync"], env))
    return {"initial": summary(initial), "no_change": summary(unchanged)}


def bench_vdirsyncer(vdirsyncer: str, dav: DavAccount, work: Path, runs: int) -> dict[str, object]:
    root = work / "vds"
    config = root / "config"
    root.mkdir()
    config.write_text(
        f'[general]\nstatus_path = "{root}/status/"\n\n'
        '[pair bench]\na = "bench_local"\nb = "bench_radicale"\ncollections = ["from a", "from b"]\n'
        'conflict_resolution = "b wins"\n\n'
        f'[storage bench_local]\ntype = "filesystem"\npath = "{root}/local/"\nfileext = ".ics"\n\n'
        f'[storage bench_radicale]\ntype = "caldav"\nurl = "{dav.url}"\nusername = "{dav.username}"\npassword = "{dav.password}"\n'
    )
    env = dict(os.environ)
    subprocess.run([vdirsyncer, "-c", str(config), "discover"], input=b"y\n" * 10, env=env, check=True, capture_output=True)
    initial, unchanged = [], []
    for _run in range(runs):  # as in docs/caldav-servers.md §4.1: wipe the items and their status, keep discovery
        shutil.rmtree(root / "status" / "bench", ignore_errors=True)
        shutil.rmtree(root / "local" / "big", ignore_errors=True)
        (root / "local" / "big").mkdir()
        initial.append(timed([vdirsyncer, "-c", str(config), "sync"], env))
        unchanged.append(timed([vdirsyncer, "-c", str(config), "sync"], env))
    return {"initial": summary(initial), "no_change": summary(unchanged)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--vdirsyncer", help="path to a vdirsyncer executable to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caldav-bench-") as scratch:
        work = Path(scratch)
        server = Radicale(work / "radicale")
        server.start()
        dav = DavAccount(server, server.new_login())
        try:
            dav.make_calendar("big", display_name="Bench")
            dav.seed("big", sample_calendar(args.events, seed=7))
            dav.warm("big")
            report: dict[str, object] = {
                "events": args.events,
                "server": "radicale (tests/servers launcher)",
                "cores": os.cpu_count(),
                "load_average_1m": round(os.getloadavg()[0], 2),
                "calendar_desktop": bench_calendar_desktop(dav, work, args.runs),
            }
            if args.vdirsyncer:
                report["vdirsyncer"] = bench_vdirsyncer(args.vdirsyncer, dav, work, args.runs)
                ours = report["calendar_desktop"]["initial"]["median_s"]  # type: ignore[index]
                theirs = report["vdirsyncer"]["initial"]["median_s"]  # type: ignore[index]
                report["initial_ratio_to_vdirsyncer"] = round(ours / theirs, 3)
        finally:
            dav.close()
            server.stop()
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
