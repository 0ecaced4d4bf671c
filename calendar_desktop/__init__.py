"""calendar-desktop: calendar sync and interview tracking for job seekers."""

__version__ = "0.1.0"
