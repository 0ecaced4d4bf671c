"""Run the Google emulator on its own, for demos and manual tries:

    python -m tests.emulators.google [--port 8765] [--events 200]

It prints the environment variables that point calendar-desktop at it (and the OAuth client to
use), then serves until interrupted. With ``--events`` the primary calendar gets that many
events over the coming weeks.
"""

from __future__ import annotations

import argparse
import signal
import threading
from datetime import UTC, datetime, timedelta

from tests.emulators.google.bodies import timed
from tests.emulators.google.server import GoogleEmulator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--events", type=int, default=0, help="events to put in the primary calendar")
    options = parser.parse_args()

    emulator = GoogleEmulator(port=options.port)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    emulator.state.add_events(
        emulator.state.email,
        (timed(start + timedelta(hours=3 * i), 45, summary=f"Event {i}") for i in range(options.events)),
    )
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with emulator:
        for name, value in {
            **emulator.environment(),
            "GOOGLE_CLIENT_ID": emulator.client_id,
            "GOOGLE_CLIENT_SECRET": emulator.client_secret,
        }.items():
            print(f"export {name}={value}", flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
