"""Fast checks of the packaging sources: the folder's pitfall, names, versions, CI and desktop files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from calendar_desktop import __version__
from tests.packaging.scripts import BUILD_SCRIPT, PACKAGING, REPO, load

WORKFLOW = REPO / ".github" / "workflows" / "installers.yml"
YAMLLINT_CONFIG = """
extends: default
rules:
  line-length: {max: 120}
  truthy: {check-keys: false}  # GitHub's `on:` key
"""

artifacts = load("artifacts")


def test_packaging_folder_does_not_shadow_the_packaging_library() -> None:
    assert not list(PACKAGING.rglob("__init__.py"))
    probe = subprocess.run(
        [sys.executable, "-c", "import packaging.version, pathlib; print(pathlib.Path(packaging.__file__).resolve())"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert not probe.stdout.strip().startswith(str(PACKAGING))


@pytest.mark.parametrize(
    ("system", "machine", "expected"),
    [
        ("Linux", "x86_64", ["calendar-desktop-{v}-linux-x86_64.tar.gz", "calendar-desktop_{v}_amd64.deb"]),
        ("Linux", "aarch64", ["calendar-desktop-{v}-linux-aarch64.tar.gz", "calendar-desktop_{v}_arm64.deb"]),
        ("Windows", "AMD64", ["calendar-desktop-{v}-windows-x64-setup.exe"]),
        ("Darwin", "arm64", ["calendar-desktop-{v}-macos-arm64.dmg"]),
    ],
)
def test_every_artifact_is_named_after_the_version(system: str, machine: str, expected: list[str]) -> None:
    assert artifacts.artifact_names("2.5.1", system, machine) == [name.format(v="2.5.1") for name in expected]


def test_build_script_takes_the_version_from_the_package() -> None:
    listed = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--names"], capture_output=True, text=True, check=True, timeout=60
    )
    names = json.loads(listed.stdout)
    assert names["version"] == __version__
    assert names["artifacts"] == artifacts.artifact_names(__version__)
    assert all(__version__ in name for name in names["artifacts"])


@pytest.mark.parametrize(("pep440", "debian"), [("1.2.0", "1.2.0"), ("1.2.0rc1", "1.2.0~rc1"), ("1.2.0.dev3", "1.2.0~dev3")])
def test_debian_versions_sort_prereleases_before_the_release(pep440: str, debian: str) -> None:
    assert artifacts.debian_version(pep440) == debian
    if debian != "1.2.0":
        subprocess.run(["dpkg", "--compare-versions", debian, "lt", "1.2.0"], check=True)


def test_installers_workflow_passes_yamllint_and_builds_three_platforms() -> None:
    text = WORKFLOW.read_text()
    problems = list(linter.run(text, YamlLintConfig(YAMLLINT_CONFIG)))
    assert problems == [], "\n".join(f"{p.line}:{p.column} {p.message} ({p.rule})" for p in problems)
    matrix = yaml.safe_load(text)["jobs"]["build"]["strategy"]["matrix"]["os"]
    assert {runner.split("-")[0] for runner in matrix} == {"ubuntu", "windows", "macos"}


def test_desktop_entry_is_valid() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(REPO / "resources" / "calendar-desktop.desktop")], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout
