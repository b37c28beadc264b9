"""Scenario directories as an attacker or a careless user hands them over (special files,
symlinks, huge or nested content, odd numbers, formula cells), and saves that fail or are
killed at every step: the loader raises only ScenarioError, and a save is all-or-nothing."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import routecore.scenario._csv as scenario_csv
from routecore.errors import ScenarioError
from routecore.scenario import Network, load_network

from .scenario_files import LINKS_CSV, NODES_CSV, SCENARIO_TOML, write_scenario


def load_within(root: Path, seconds: float = 20.0) -> Network:
    """``load_network(root)``, failing the test (instead of hanging) if it takes too long."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["net"] = load_network(root)
        except BaseException as exc:  # handed to the test below
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"loading {root} did not finish within {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    net: Network = outcome["net"]
    return net


# --- special files, sizes, excerpts (item 9) and raw tracebacks (item 11) --------------------


def _symlink_to_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _directory(path: Path) -> None:
    path.mkdir()


def _dangling_symlink(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere")


@pytest.mark.parametrize("name", ["nodes.csv", "links.csv", "scenario.toml"])
@pytest.mark.parametrize(
    "make", [_symlink_to_dev_zero, _fifo, _directory, _dangling_symlink], ids=lambda f: f.__name__
)
def test_only_regular_files_are_read(
    tmp_path: Path, name: str, make: Callable[[Path], None]
) -> None:
    if make is _symlink_to_dev_zero and not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    root = write_scenario(tmp_path / "s")
    (root / name).unlink()
    make(root / name)
    with pytest.raises(ScenarioError, match=re.escape(str(root / name))) as info:
        load_within(root)
    assert info.value.file == str(root / name)


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    root = write_scenario(tmp_path / "s")
    (tmp_path / "elsewhere.csv").write_text(NODES_CSV)
    (root / "nodes.csv").unlink()
    (root / "nodes.csv").symlink_to(tmp_path / "elsewhere.csv")
    assert load_within(root) == load_network(write_scenario(tmp_path / "plain"))


def test_files_over_the_size_limit_are_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nodes = NODES_CSV.replace("68.0,\n", "68.0," + "s" * 1000 + "\n")
    root = write_scenario(tmp_path / "s", nodes=nodes)
    monkeypatch.setattr(scenario_csv, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ScenarioError, match=r"nodes\.csv: \d+ bytes; scenario files are limited"):
        load_network(root)


def test_an_error_never_echoes_more_than_a_short_excerpt(tmp_path: Path) -> None:
    secret = "TOKEN=" + "s3cr3t" * 50
    root = write_scenario(tmp_path / "s", nodes=f"{secret},other\n1,2\n")
    with pytest.raises(ScenarioError) as info:
        load_network(root)
    message = str(info.value)
    assert secret not in message and len(message) < len(str(root)) + 300
    cell = "x" * 5000
    root = write_scenario(tmp_path / "t", nodes=NODES_CSV.replace("43.25", cell))
    with pytest.raises(ScenarioError, match="column 'lat'") as info:
        load_network(root)
    assert cell not in str(info.value) and "(5000 characters)" in str(info.value)


@pytest.mark.parametrize("depth", [200, 5000])
def test_deeply_nested_toml_is_a_scenario_error(tmp_path: Path, depth: int) -> None:
    toml = SCENARIO_TOML + "deep = " + "[" * depth + "]" * depth + "\n"
    root = write_scenario(tmp_path / "s", toml=toml)
    if depth <= 200:  # nesting tomllib handles is valid TOML; the key is then unknown
        with pytest.raises(ScenarioError, match="deep': unknown key"):
            load_network(root)
    else:
        with pytest.raises(ScenarioError, match="nested too deeply"):
            load_network(root)


def test_not_utf8_names_the_byte(tmp_path: Path) -> None:
    root = write_scenario(tmp_path / "s")
    (root / "links.csv").write_bytes(b"id,a\n\xff\xfe,x\n")
    with pytest.raises(ScenarioError, match=r"links\.csv: not UTF-8 text \(byte 5"):
        load_network(root)


# --- numbers as Python reads them but a spreadsheet does not (item 12, file part) -------------


@pytest.mark.parametrize(
    ("column", "old", "cell"),
    [
        ("capacity_gbps", "10000", "1_0"),
        ("length_km", "1300", "1_300"),
        ("capacity_gbps", "10000", "\u0661\u0662"),  # Arabic-Indic digits: float() reads 12
        ("length_km", "1300", "1.3e0_3"),
    ],
)
def test_numbers_python_reads_but_the_format_does_not_are_refused(
    tmp_path: Path, column: str, old: str, cell: str
) -> None:
    row = "ab,alpha,beta,fiber,1300,10000"
    fields = row.split(",")
    fields[4 if column == "length_km" else 5] = cell
    links = LINKS_CSV.replace(row, ",".join(fields))
    root = write_scenario(tmp_path / "s", links=links)
    with pytest.raises(ScenarioError, match="not a plain decimal number") as info:
        load_network(root)
    assert (info.value.file, info.value.row, info.value.line, info.value.column) == (
        str(root / "links.csv"),
        1,
        2,
        column,
    )


def test_plain_numbers_still_read(tmp_path: Path) -> None:
    links = LINKS_CSV.replace("1300,10000", "+1.3E3, 1e4 ").replace("2000.5", ".20005e4")
    net = load_network(write_scenario(tmp_path / "s", links=links))
    assert net.links["length_km"].tolist()[:2] == [1300.0, 2000.5]
    assert net.links["capacity_gbps"].iat[0] == 10000.0


# --- formula cells: neutral on disk, loss-free on a round trip (item 10) --------------------


def test_formula_cells_are_quoted_on_save_and_read_back_exactly(tmp_path: Path) -> None:
    nodes = pd.DataFrame(
        {
            "id": ["=cmd|' /C calc'!A0", "+b", "-c", "@d", "'e", "f"],
            "name": ["=1+1", "+1", "-1", "@SUM(1)", "''two", "plain"],
            "kind": "pop",
            "country": "KZ",
            "lat": [-43.2, 51.2, 40.0, 41.0, 42.0, 43.0],
            "lon": [-76.9, 71.4, 50.0, 51.0, 52.0, 53.0],
            "note": ["=x", "\tt", "-5", "ok", "'", ""],
        }
    )
    links = pd.DataFrame(
        {
            "a": ["=cmd|' /C calc'!A0", "+b"],
            "b": ["+b", "-c"],
            "medium": "fiber",
            "length_km": [20000.0, 5000.0],  # >= the great-circle distances
            "capacity_gbps": [1.0, 2.0],
            "operator": ["@op", "op"],
        }
    )
    net = Network(nodes, links, {"name": "formulas"})
    root = net.save(tmp_path / "s")
    for name in ("nodes.csv", "links.csv"):
        for line in (root / name).read_text().splitlines()[1:]:
            for cell in line.split(","):
                assert not cell.startswith(("=", "+", "@")), (name, line)
    assert "-76.9" in (root / "nodes.csv").read_text()  # numbers are written as numbers
    back = load_network(root)
    assert back == net
    assert back.nodes["note"].tolist() == nodes["note"].tolist()


# --- a save is all-or-nothing (item 8) -------------------------------------------------------


def _two_scenarios(tmp_path: Path) -> tuple[Path, Network, Network]:
    root = write_scenario(tmp_path / "s")
    old = load_network(root)
    toml = SCENARIO_TOML.replace('description = "four nodes"', 'description = "changed"')
    new = load_network(
        write_scenario(tmp_path / "new", links=LINKS_CSV.replace("10000", "12345"), toml=toml)
    )
    (root / "README.md").write_text("mine")  # other files are never touched
    return root, old, new


def _stage_dirs(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("."))


class Boom(OSError):
    pass


def _fail_on_call(n: int, real: Callable[..., Any]) -> Callable[..., Any]:
    calls = {"n": 0}

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == n:
            raise Boom("injected failure")
        return real(*args, **kwargs)

    return wrapped


@pytest.mark.parametrize(
    ("what", "call"),
    [
        ("_write_new", 1),
        ("_write_new", 2),
        ("_write_new", 3),
        ("_write_new", 4),  # the commit mark
        ("_backup", 2),
        ("fsync_directory", 1),
        ("os.replace", 1),
        ("os.replace", 2),
        ("os.replace", 3),
    ],
)
def test_a_save_failing_at_any_step_leaves_the_old_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str, call: int
) -> None:
    root, old, new = _two_scenarios(tmp_path)
    if what == "os.replace":
        monkeypatch.setattr(scenario_csv.os, "replace", _fail_on_call(call, os.replace))
    else:
        real = getattr(scenario_csv, what)
        monkeypatch.setattr(scenario_csv, what, _fail_on_call(call, real))
    with pytest.raises(Boom):
        new.save(root)
    monkeypatch.undo()
    assert load_network(root) == old
    assert (root / "scenario.toml").read_text() == SCENARIO_TOML
    assert _stage_dirs(root) == [] and (root / "README.md").read_text() == "mine"
    assert load_network(new.save(root)) == new


@pytest.mark.parametrize("moved", [0, 1, 2])
def test_a_save_killed_after_it_committed_is_finished_by_the_next_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moved: int
) -> None:
    root, _old, new = _two_scenarios(tmp_path)

    class Killed(BaseException):
        pass

    def killed(*args: Any) -> None:
        raise Killed

    # A kill cannot run the roll-back: model it by a failing move and no roll-back.
    monkeypatch.setattr(scenario_csv, "_roll_back", killed)
    monkeypatch.setattr(scenario_csv.os, "replace", _fail_on_call(moved + 1, os.replace))
    with pytest.raises(Killed):
        new.save(root)
    monkeypatch.undo()
    assert len(_stage_dirs(root)) == 1
    assert load_network(root) == new
    assert _stage_dirs(root) == []


def test_a_save_killed_before_it_committed_is_discarded_by_the_next_save(
    tmp_path: Path,
) -> None:
    root, old, new = _two_scenarios(tmp_path)
    stale = root / ".routecore-save-abc123"
    stale.mkdir()
    (stale / "nodes.csv").write_text("half a fil")
    old_style = root / ".nodes.csv.k2j4h5.tmp"
    old_style.write_text("x" * 1000)
    assert load_network(root) == old  # an uncommitted save is not the scenario
    new.save(root)
    assert _stage_dirs(root) == []
    assert load_network(root) == new


def test_a_committed_leftover_that_cannot_be_finished_is_a_scenario_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _old, _new = _two_scenarios(tmp_path)
    stale = root / ".routecore-save-abc123"
    stale.mkdir()
    (stale / "COMMITTED").write_text("")
    shutil.copy(root / "nodes.csv", stale / "nodes.csv")

    def read_only(*args: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(scenario_csv.os, "replace", read_only)
    with pytest.raises(ScenarioError, match="interrupted save"):
        load_network(root)


def test_save_keeps_file_modes(tmp_path: Path) -> None:
    root, _old, new = _two_scenarios(tmp_path)
    (root / "nodes.csv").chmod(0o640)
    new.save(root)
    assert (root / "nodes.csv").stat().st_mode & 0o777 == 0o640
    with contextlib.suppress(OSError):
        assert (root / "links.csv").stat().st_mode & 0o777 == 0o644
