"""Where the app keeps its files: platformdirs by default, one folder with ``--profile DIR``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "calendar-desktop"


@dataclass(frozen=True, slots=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path
    cache_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        return cls(
            data_dir=Path(dirs.user_data_dir),
            config_dir=Path(dirs.user_config_dir),
            log_dir=Path(dirs.user_log_dir),
            cache_dir=Path(dirs.user_cache_dir),
        )

    @classmethod
    def profile(cls, root: Path) -> AppPaths:
        """Everything of one run inside ``root`` (tests, demos, several identities side by side)."""
        root = root.expanduser().resolve()
        return cls(data_dir=root / "data", config_dir=root / "config", log_dir=root / "logs", cache_dir=root / "cache")

    @property
    def database(self) -> Path:
        return self.data_dir / "calendar.sqlite3"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "calendar-desktop.log"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "sync.lock"

    def ensure(self) -> None:
        for folder in (self.data_dir, self.config_dir, self.log_dir, self.cache_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
