"""The scripts of packaging/, loaded by file path: the folder is not a Python package (DESIGN.md §4)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
BUILD_SCRIPT = PACKAGING / "build.py"


def load(name: str) -> ModuleType:
    """packaging/<name>.py as a module (only scripts that import no sibling script)."""
    spec = importlib.util.spec_from_file_location(f"packaging_script_{name}", PACKAGING / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
