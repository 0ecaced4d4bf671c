"""calendar-desktop: calendar sync and interview tracking for job seekers."""

import time

__version__ = "0.1.0"

STARTED_AT = time.perf_counter()
"""When the package was first imported: the origin of ``--smoke``'s startup_ms."""
