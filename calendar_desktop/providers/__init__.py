"""Calendar providers: one module per API, each behind the contract in ``base``.

A provider knows its API and nothing of SQLite or Qt. Its calls block; the sync controller
runs them in worker threads.
"""
