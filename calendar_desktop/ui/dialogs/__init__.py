"""Dialogs: connect flows, settings, pipeline records, suggestion edits."""
