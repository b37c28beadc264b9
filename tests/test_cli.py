"""The ``routecore`` command line, end to end (through ``main(argv)`` and one real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from routecore.cli import main
from routecore.scenario import Network, load_scenario

from .scenario_files import LINKS_CSV, SCENARIO_TOML, write_scenario

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert main(argv) == 0
    out = capsys.readouterr().out
    return json.loads(out)


def test_report_json_counts_match_the_scenario(
    net: Network, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = run_json(capsys, ["report", "central-asia", "--json"])
    assert isinstance(doc, dict)
    assert doc["num_nodes"] == net.num_nodes
    assert doc["num_links"] == net.num_links
    kinds = net.nodes["kind"].value_counts().to_dict()
    assert {k: v["count"] for k, v in doc["nodes_by_kind"].items()} == kinds
    assert len(doc["assumptions"]) == len(net.meta["assumptions"])
    assert set(doc["variants"]) == set(net.variant_names)


def test_report_text_shows_data_verbatim(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tiny)]) == 0
    out = capsys.readouterr().out
    assert "tiny" in out and "four nodes" in out
    assert "Places" in out and "Links" in out


def test_report_keeps_brackets_in_descriptions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = SCENARIO_TOML.replace(
        'description = "four nodes"', 'description = "see [[sources]] and [bold]"'
    )
    root = write_scenario(tmp_path / "s", toml=toml)
    assert main(["report", str(root)]) == 0
    assert "see [[sources]] and [bold]" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["report", "/no/such/scenario"], "neither a scenario directory"),
        (["route", "Almaty", "Atlantis"], "no node has the id or name 'Atlantis'"),
        (["flow", "--from", "khorgos", "--to", "nowhere"], "'nowhere'"),
        (["route", "almaty", "astana", "--variant", "nope"], "unknown variant"),
        (["map", "--scenario", "/no/such/scenario"], "neither a scenario directory"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("routecore: error: ")
    assert fragment in lines[0]
    assert captured.out == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--threads", "0"],
        ["demo", "--threads", "two"],
        ["demo", "--steps", "-3"],
    ],
)
def test_bad_counts_are_usage_errors_naming_the_option(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A count option out of range is refused by the parser (exit 2, one line naming the
    option), never a traceback from deeper in the library."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"argument {argv[1]}: must be a whole number >= 1" in last


def test_bad_file_error_names_file_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_scenario(tmp_path / "s", links=LINKS_CSV.replace("2000.5,4000", "2000.5,-4"))
    assert main(["report", str(root)]) == 2
    err = capsys.readouterr().err.strip()
    assert str(root / "links.csv") in err
    assert "row 2 (line 3)" in err
    assert "'capacity_gbps'" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["route", "only-one-node"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2


def test_map_writes_a_png(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "tiny.png"
    assert main(["map", "--scenario", str(tiny), "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == PNG_MAGIC


def test_installed_entry_point_runs(tiny: Path) -> None:
    """The console script declared in pyproject runs as a separate process."""
    exe = Path(sys.executable).with_name("routecore")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "routecore.cli"]
    done = subprocess.run(
        [*cmd, "report", str(tiny), "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["name"] == "tiny"
    bad = subprocess.run(
        [*cmd, "report", str(tiny / "missing")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1


# ---------------------------------------------------------------------------- route / flow / demo
def test_route_json_matches_the_analysis(capsys: pytest.CaptureFixture[str]) -> None:
    from routecore.analyses import route_between

    doc = run_json(capsys, ["route", "Khorgos", "frankfurt", "--avoid-country", "RU", "--json"])
    assert isinstance(doc, dict)
    expected = route_between(
        load_scenario("central-asia"), "khorgos", "frankfurt", avoid_countries=["RU"]
    )
    assert expected is not None
    assert doc["nodes"] == list(expected.nodes)
    assert doc["latency_ms"] == pytest.approx(expected.latency_ms)
    assert "moscow" not in doc["nodes"]
    assert main(["route", "khorgos", "frankfurt"]) == 0
    assert "khorgos -> frankfurt" in capsys.readouterr().out


def test_route_reports_no_route(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(
        capsys,
        ["route", "aktau", "samara", "--avoid-country", "KZ", "--avoid-country", "RU", "--json"],
    )
    assert doc == {"src": "aktau", "dst": "samara", "route": None}


def test_flow_json_cut_equals_value(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(
        capsys,
        [
            "flow",
            "--from",
            "khorgos",
            "urumqi",
            "--to",
            "frankfurt",
            "istanbul",
            "--variant",
            "tcfo-6tbps",
            "--avoid-country",
            "RU",
            "--json",
        ],
    )
    assert isinstance(doc, dict)
    assert doc["max_flow_gbps"] == pytest.approx(doc["cut_capacity_gbps"])
    assert doc["cut_links"] == ["tcfo"]
    assert doc["max_flow_gbps"] == pytest.approx(6000)
    assert main(["flow", "--from", "khorgos", "--to", "istanbul"]) == 0
    assert "Minimum cut" in capsys.readouterr().out


def test_flow_refuses_overlapping_sets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flow", "--from", "almaty", "--to", "Almaty"]) == 2
    assert "both --from and --to" in capsys.readouterr().err


def test_demo_writes_map_json_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--steps", "2", "--step-s", "600"]) == 0
    text = capsys.readouterr().out
    transit = "Transit: Khorgos, Urumqi → Frankfurt, Istanbul"  # analysis.transit_sources/sinks
    for heading in (transit, "single-link failures", "Rural schools"):
        assert heading in text
    assert "Constellation assumptions" in text  # the preset spread
    assert "shorter than one orbit" in " ".join(text.split())  # 2 x 600 s is a short window
    assert (out / "map.png").read_bytes()[:8] == PNG_MAGIC
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    cases = doc["transit"]["cases"]
    assert len(cases) == 8  # 4 cable variants x 2 policies
    assert all(c["max_flow_gbps"] == pytest.approx(c["cut_capacity_gbps"]) for c in cases)
    assert {r["policy"] for r in doc["schools"]["summary"]} == {"home", "any", "abroad"}
    lines = (out / "schools.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 4 * 3 * 2000  # header + constellation presets x policies x schools


def test_demo_json_goes_to_stdout_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, ["demo", "--out", str(tmp_path / "d"), "--steps", "1", "--json"])
    assert isinstance(doc, dict)
    assert doc["outputs"]["map"].endswith("map.png")
    assert doc["elapsed_s"] >= 0
