"""Sync control: per-account passes, pages committed with their cursors, timers and backoff."""
