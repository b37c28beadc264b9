"""The version is stated once (python/routecore/_version.py) and every place that shows it
agrees: ``routecore.__version__``, ``routecore --version``, the installed distribution's
metadata (written by the build backend's regex provider) and the source file itself."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import routecore
from routecore.cli import main

ROOT = Path(__file__).resolve().parents[1]
# PEP 440, public versions (the canonical pattern of the packaging specification, less local
# versions, which a release never carries).
PEP440 = re.compile(
    r"([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?"
    r"(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?"
)


def test_version_is_a_public_pep440_version() -> None:
    assert PEP440.fullmatch(routecore.__version__), routecore.__version__


def test_cli_prints_the_version_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.split() == ["routecore", routecore.__version__]


def test_cli_version_in_a_real_process() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "routecore.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert out.split() == ["routecore", routecore.__version__]


def test_pyproject_reads_the_version_from_the_one_file() -> None:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        config = tomllib.load(fh)
    assert "version" not in config["project"]
    assert "version" in config["project"]["dynamic"]
    provider = config["tool"]["scikit-build"]["metadata"]["version"]
    assert provider["provider"] == "scikit_build_core.metadata.regex"
    source = (ROOT / provider["input"]).read_text(encoding="utf-8")
    # scikit-build-core's default pattern: the one assignment of __version__ in the file.
    found = re.findall(r"""(?m)^__version__\s*=\s*["']([^"']+)["']""", source)
    assert found == [routecore.__version__]


def test_installed_metadata_matches() -> None:
    try:
        installed = importlib.metadata.version("routecore")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("routecore is imported from a source tree, not installed")
    assert installed == routecore.__version__
