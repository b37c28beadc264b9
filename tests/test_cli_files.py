"""The command line's files and failures: what the demo writes and keeps (Ctrl-C at every
stage, files it did not write, atomic writes, formula cells), a ``--scheduler`` that is not a
Dask scheduler, and arguments or paths that must end in the one-line error (exit 2)."""

from __future__ import annotations

import contextlib
import csv
import errno
import json
import os
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import routecore.analyses
import routecore.cli.demo
import routecore.cli.output
from routecore.cli import main
from routecore.cli.output import MANIFEST

from .scenario_files import NODES_CSV, write_scenario

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DEMO = ["demo", "--steps", "1", "--scenario"]


def demo(scenario: Path, out: Path, *extra: str) -> int:
    return main([*DEMO, str(scenario), "--out", str(out), *extra])


def hidden_leftovers(directory: Path) -> list[str]:
    return sorted(
        p.name for p in directory.iterdir() if p.name.startswith(".") and p.name != MANIFEST
    )


# --- Ctrl-C at every stage keeps what finished (item 6) ---------------------------------------


def _interrupt(*args: Any, **kwargs: Any) -> Any:
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        # (what raises KeyboardInterrupt, the document sections that must hold results)
        ((routecore.analyses, "school_connectivity"), ["transit", "failure_sweep"]),
        ((routecore.cli.demo, "school_summary"), ["transit", "failure_sweep"]),
        ((routecore.analyses, "gateway_siting"), ["transit", "failure_sweep", "schools"]),
        ((routecore.cli.output, "_draw_map"), ["transit", "failure_sweep", "schools"]),
    ],
    ids=["schools", "school-summary", "siting", "map"],
)
def test_ctrl_c_at_each_stage_keeps_the_finished_results(
    tiny: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    target: tuple[Any, str],
    kept: list[str],
) -> None:
    monkeypatch.setattr(*target, _interrupt)
    out = tmp_path / "out"
    assert demo(tiny, out) == 130
    assert "interrupted" in capsys.readouterr().err
    doc = json.loads((out / "results.json").read_text())
    assert doc["partial"] is True
    for section in kept:
        assert doc[section], section
    assert doc["transit"]["cases"] and doc["failure_sweep"]["all routes"]
    if "schools" in kept:
        assert set(doc["schools"]["steps_done"].values()) == {1}
        rows = list(csv.DictReader((out / "schools.csv").read_text().splitlines()))
        assert {r["school"] for r in rows} == {"delta"}
    if target[1] == "_draw_map":
        assert doc["outputs"]["map"] is None and not (out / "map.png").exists()
    assert hidden_leftovers(out) == []


def test_ctrl_c_in_the_failure_sweep_keeps_transit(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routecore.analyses, "failure_sweep", _interrupt)
    out = tmp_path / "out"
    assert demo(tiny, out) == 130
    doc = json.loads((out / "results.json").read_text())
    assert doc["partial"] is True and doc["transit"]["cases"] and doc["schools"] is None
    assert not (out / "schools.csv").exists()


def test_ctrl_c_before_the_first_stage_finishes_writes_nothing(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routecore.analyses, "transit_capacity", _interrupt)
    out = tmp_path / "out"
    assert demo(tiny, out) == 130
    assert not (out / "results.json").exists()


# --- files the demo did not write; atomic writes (items 7, 11) -------------------------------


@pytest.mark.parametrize("name", ["results.json", "schools.csv", "map.png"])
def test_demo_refuses_to_replace_a_file_it_did_not_write(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / name).write_text("my own work\n")
    assert demo(tiny, out) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err and name in err
    assert (out / name).read_text() == "my own work\n"
    assert demo(tiny, out, "--force") == 0
    assert (out / "map.png").read_bytes().startswith(PNG_MAGIC)
    assert json.loads((out / "results.json").read_text())["partial"] is False


def test_demo_replaces_its_own_files_on_a_second_run(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert demo(tiny, out) == 0
    first = (out / "results.json").read_text()
    assert demo(tiny, out) == 0
    assert (
        json.loads((out / "results.json").read_text())["scenario"] == json.loads(first)["scenario"]
    )
    assert sorted(json.loads((out / MANIFEST).read_text())["files"]) == sorted(
        ["results.json", "schools.csv", "map.png", "capacity_map.png"]
    )
    doc = json.loads((out / "results.json").read_text())
    assert doc["outputs"]["capacity_map"].endswith("capacity_map.png")
    assert (out / "capacity_map.png").read_bytes().startswith(PNG_MAGIC)
    assert hidden_leftovers(out) == []


def test_a_full_disk_is_the_one_line_error_and_keeps_the_old_files(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert demo(tiny, out) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    assert demo(tiny, out) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and str(out) in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing half-written


def test_a_read_only_directory_is_the_one_line_error(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Simulated: the tests may run as root, whom chmod does not stop.
    def read_only(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), "somewhere")

    monkeypatch.setattr("tempfile.mkstemp", read_only)
    assert demo(tiny, tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert err.startswith("routecore: error: ") and "Read-only file system" in err
    assert err.count("\n") == 1


def test_demo_out_naming_a_file_is_the_one_line_error(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a-file"
    target.write_text("keep me")
    assert demo(tiny, target) == 2
    assert "is a file" in capsys.readouterr().err
    assert target.read_text() == "keep me"


# --- formula cells in derived CSV outputs (item 10) ------------------------------------------


def test_schools_csv_neutralises_formula_cells_and_keeps_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = "=SUM(1;2)"
    nodes = NODES_CSV.replace("delta,Delta School", f"{evil},Delta School")
    root = write_scenario(tmp_path / "s", nodes=nodes)
    out = tmp_path / "out"
    assert demo(root, out) == 0
    rows = list(csv.DictReader((out / "schools.csv").read_text().splitlines()))
    assert rows and {r["school"] for r in rows} == {"'" + evil}
    for row in rows:
        assert float(row["lat"]) == 48.0 and float(row["lon"]) == 68.0
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@")), cell
    # The JSON document keeps the id as it is: it is data, not a spreadsheet.
    doc = json.loads((out / "results.json").read_text())
    assert doc["schools"]["summary"]


def test_safe_csv_cell_leaves_negative_numbers_alone() -> None:
    import pandas as pd

    df = pd.DataFrame({"name": ["-x", "@y", "+z", "ok"], "value": [-1.5, -2.0, 3.0, 0.0]})
    text = routecore.cli.output._safe_csv_text(df)
    rows = list(csv.reader(text.splitlines()))
    assert rows[1:] == [["'-x", "-1.5"], ["'@y", "-2.0"], ["'+z", "3.0"], ["ok", "0.0"]]


# --- arguments and paths that must be the one-line error (item 11) ---------------------------


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["demo", "--steps", str(10**12)], "at most 100000"),
        (["demo", "--threads", str(10**9)], "at most 1024"),
        (["demo", "--step-s", "inf"], "finite number > 0"),
        (["demo", "--step-s", "nan"], "finite number > 0"),
    ],
)
def test_counts_out_of_bounds_are_refused_by_the_parser(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert fragment in capsys.readouterr().err


@pytest.mark.parametrize("name", ["m.txt", ".", "sub", "noext"])
def test_map_out_needs_an_image_file_name(
    tiny: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    assert main(["map", "--scenario", str(tiny), "--out", name]) == 2
    err = capsys.readouterr().err
    assert err.startswith("routecore: error: --out ") and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub", "tiny"]


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_map_writes_each_supported_format_atomically(
    tiny: Path, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"m.{suffix}"
    assert main(["map", "--scenario", str(tiny), "--out", str(out)]) == 0
    assert out.stat().st_size > 0 and hidden_leftovers(tmp_path) == []


# --- --scheduler pointing at something that is not a Dask scheduler (item 5) -----------------


@contextlib.contextmanager
def tcp_server(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    """A local TCP server calling ``answer(conn)`` for each connection; yields its address."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    stop = threading.Event()
    conns: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            conns.append(conn)
            with contextlib.suppress(OSError):
                answer(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in conns:
            conn.close()
        server.close()


def _garbage(conn: socket.socket) -> None:
    conn.sendall(b"\xff" * 64 + b"HTTP/1.1 400 Bad Request\r\n\r\n")


def _huge_frame(conn: socket.socket) -> None:
    # What a Dask peer reads as one frame of 2**62 bytes.
    conn.sendall(struct.pack("<Q", 1) + struct.pack("<Q", 2**62) * 3)


def _silent(conn: socket.socket) -> None:
    pass  # accept, read nothing, answer nothing


def _closes(conn: socket.socket) -> None:
    conn.close()


@pytest.mark.parametrize("answer", [_garbage, _huge_frame, _silent, _closes])
def test_scheduler_that_is_not_dask_is_the_one_line_error_within_the_deadline(
    tiny: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    answer: Callable[[socket.socket], None],
) -> None:
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    with (
        tcp_server(answer) as address,
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
    ):
        started = time.monotonic()
        code = demo(tiny, tmp_path / "out", "--scheduler", address)
        elapsed = time.monotonic() - started
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"routecore: error: cannot reach the Dask scheduler at {address}")
    assert err.count("\n") == 1
    assert elapsed < 10.0
    assert not (tmp_path / "out" / "results.json").exists()
