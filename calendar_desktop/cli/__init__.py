"""The headless command line: the same core as the window, no Qt on its code paths."""
