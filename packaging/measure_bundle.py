"""Measure a built bundle: size on disk, artifact sizes and start-up time; prints JSON.

    python packaging/measure_bundle.py [--dist DIR] [--runs N]

Start-up is ``--smoke``'s own ``startup_ms`` (window shown and idle), plus the wall time and the
CPU time (user + system; steadier on a busy machine) of the whole process, median of N runs, for the bundled binary and for the same app run from source
(``python -m calendar_desktop``). Offscreen always; also on a real X server with a session bus,
as on a desktop, when ``xvfb-run`` and ``dbus-run-session`` exist (without a bus libdbus
autolaunches one through X, which alone costs seconds). Run after ``python packaging/build.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from artifacts import NAME, ROOT, artifact_names, project_version


def disk_usage_mb(path: Path) -> float:
    """Like ``du -s``: allocated blocks of every file, each counted once."""
    return round(sum(p.lstat().st_blocks * 512 for p in path.rglob("*")) / 1e6, 1)


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def smoke(command: list[str], platform: str, runs: int) -> dict[str, int]:
    """Medians over ``runs``; on xcb the CPU time includes Xvfb's and the bus daemon's."""
    startup, wall, cpu = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as profile:
            env = {**os.environ, "QT_QPA_PLATFORM": platform}
            full = [*command, "--profile", profile, "--smoke"]
            if platform == "xcb":
                full = ["xvfb-run", "-a", "dbus-run-session", "--", *full]
            started, cpu_before = time.perf_counter(), children_cpu_s()
            done = subprocess.run(full, capture_output=True, text=True, env=env, timeout=120, check=True)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((children_cpu_s() - cpu_before) * 1000)
            startup.append(int(re.search(r"startup_ms=(\d+)", done.stdout).group(1)))
    return {
        "startup_ms": round(statistics.median(startup)),
        "process_ms": round(statistics.median(wall)),
        "process_cpu_ms": round(statistics.median(cpu)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bundle = args.dist / NAME
    binary = bundle / NAME
    report: dict[str, object] = {
        "version": project_version(),
        "bundle_mb": disk_usage_mb(bundle),
        "bundle_files": sum(1 for p in bundle.rglob("*") if p.is_file()),
        "artifacts_mb": {
            name: round((args.dist / name).stat().st_size / 1e6, 1)
            for name in artifact_names(project_version())
            if (args.dist / name).exists()
        },
    }
    desktop = shutil.which("xvfb-run") and shutil.which("dbus-run-session")
    platforms = ["offscreen", *(["xcb"] if desktop else [])]
    for platform in platforms:
        report[f"bundled_{platform}"] = smoke([str(binary)], platform, args.runs)
        report[f"source_{platform}"] = smoke([sys.executable, "-m", "calendar_desktop"], platform, args.runs)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
