"""Runs Radicale from a config file, like its ``radicale -C FILE`` command, with fsync turned off.

The test storage is thrown away, so waiting for the disk buys nothing; with fsync on, Radicale's
first listing of a calendar seeded with 2,000 files (which writes 4,000 cache files) took
minutes on a busy 2-core machine. ``_filesystem_fsync`` is an internal option that only a
privileged update can set, hence this launcher.
"""

from __future__ import annotations

import sys

from radicale import config, log, server


def main(config_path: str) -> None:
    log.setup()
    configuration = config.load([(config_path, False)])
    configuration.update({"storage": {"_filesystem_fsync": "False"}}, "test launcher", privileged=True)
    log.set_level(configuration.get("logging", "level"), False, "")
    server.serve(configuration)


if __name__ == "__main__":
    main(sys.argv[1])
