"""The benchmark suite users run (``python -m routecore.bench``): report files, regression
check, mismatch reporting, and the instance generators (deterministic per seed, valid graphs
whose answers agree with scipy / networkx).

The whole smoke run is CI's (``.ci/run``); these tests run a few small families each.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra

import routecore as rc
from routecore.bench import _cli, families, peers, plots, report, runner
from routecore.bench.instances import FlowInstance, PathInstance

FEW = "flow-genrmf-long,flow-ak,sssp-er,p2p-grid"


def _run(tmp: Path, *args: str) -> int:
    return _cli.main(["--size", "smoke", "--out", str(tmp), *args])


def test_module_entry_point_writes_report(tmp_path: Path) -> None:
    # The installed module as users call it: JSON, Markdown table, plots, progress on stderr.
    out = tmp_path / "report"
    env = dict(os.environ, MPLBACKEND="Agg")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "routecore.bench",
            "--size",
            "smoke",
            "--family",
            FEW,
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "[1/4] flow-genrmf-long" in proc.stderr
    assert "| family | instance | routecore auto | auto vs best own |" in proc.stdout
    data = json.loads((out / "report.json").read_text())
    assert [r["family"] for r in data["families"]] == FEW.split(",")
    assert data["machine"]["routecore"] == rc.__version__
    assert set(data["machine"]["peers"]) == set(peers.installed())
    for r in data["families"]:
        names = [c["name"] for c in r["contestants"]]
        assert names[0] == "routecore"
        assert r["auto_s"] > 0
        assert all(c["status"] in ("ok", "skipped") for c in r["contestants"]), r
        assert all(len(c["runs"]) == 3 for c in r["contestants"] if c["status"] == "ok")
    flow = next(r for r in data["families"] if r["family"] == "flow-ak")
    # Every routecore method appears beside auto.
    assert {f"routecore:{m}" for m in rc.flow.FLOW_METHODS if m != "auto"} <= {
        c["name"] for c in flow["contestants"]
    }
    md = (out / "report.md").read_text()
    assert "| flow-ak |" in md and "Python" in md
    if plots.available():
        for fam in FEW.split(","):
            for ext in ("png", "svg"):
                assert (out / "plots" / f"{fam}.{ext}").stat().st_size > 0


def test_without_matplotlib_plots_are_skipped_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(plots, "available", lambda: False)
    assert _run(tmp_path, "--family", "flow-central-asia", "--peers", "ortools") == 0
    assert "matplotlib is not installed" in capsys.readouterr().err
    assert not (tmp_path / "plots").exists()
    assert (tmp_path / "report.json").exists()


def _slower(report_json: Path, factor: float, out: Path) -> None:
    data = json.loads(report_json.read_text())
    for r in data["families"]:
        for c in r["contestants"]:
            if c["seconds"] is not None and c["kind"] != "peer":
                c["seconds"] *= factor
    out.write_text(json.dumps(data))


def test_compare_detects_planted_regression(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first"
    assert _run(first, "--family", "flow-ak", "--peers", "") == 0
    # The old report claims routecore was 100x faster: the new run is a regression.
    planted = tmp_path / "old.json"
    _slower(first / "report.json", 0.01, planted)
    capsys.readouterr()
    code = _run(
        tmp_path / "second",
        "--family",
        "flow-ak",
        "--peers",
        "",
        "--compare",
        str(planted),
        "--threshold",
        "0.2",
    )
    assert code == _cli.REGRESSION
    err = capsys.readouterr().err
    assert "REGRESSION: flow-ak / routecore:" in err
    # An old report 100x slower: no regression.
    _slower(first / "report.json", 100.0, planted)
    assert (
        _run(tmp_path / "third", "--family", "flow-ak", "--peers", "", "--compare", str(planted))
        == 0
    )
    assert "no regression" in capsys.readouterr().err


def test_compare_rules() -> None:
    def rep(seconds: float, checksum: str = "c") -> dict[str, Any]:
        contestants = [
            {"name": "routecore", "kind": "auto", "seconds": seconds},
            {"name": "scipy", "kind": "peer", "seconds": 10 * seconds},
        ]
        return {"families": [{"family": "f", "checksum": checksum, "contestants": contestants}]}

    assert report.compare(rep(1.0), rep(1.19), 0.2) == []
    assert len(report.compare(rep(1.0), rep(1.21), 0.2)) == 1
    # A different instance (other seed or size) is not compared; peers never are.
    assert report.compare(rep(1.0), rep(5.0, checksum="other"), 0.2) == []
    with pytest.raises(ValueError, match="threshold"):
        report.compare(rep(1.0), rep(1.0), float("nan"))


def test_compare_refuses_a_file_that_is_not_a_report(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"families": []}))
    assert _run(tmp_path, "--family", "flow-ak", "--compare", str(bad)) == _cli.USAGE


@pytest.mark.parametrize(("family", "peer"), [("flow-ak", "scipy"), ("sssp-er", "scipy")])
def test_planted_wrong_peer_answer_is_a_mismatch(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    family: str,
    peer: str,
) -> None:
    real_flow, real_path = peers.flow_solver, peers.path_solver

    def wrong(solver: peers.Solver) -> peers.Solver:
        def call(arg: Any) -> Any:
            got = solver.call(arg)
            if isinstance(got, tuple):
                return (got[0] + 1, *got[1:])
            out = np.array(got, dtype=np.float64)
            out[np.isfinite(out).nonzero()[0][-1]] += 0.5
            return out

        return peers.Solver(call, solver.setup)

    monkeypatch.setattr(peers, "flow_solver", lambda p, i: wrong(real_flow(p, i)))
    monkeypatch.setattr(peers, "path_solver", lambda p, i: wrong(real_path(p, i)))
    assert _run(tmp_path, "--family", family, "--peers", peer) == _cli.MISMATCH
    captured = capsys.readouterr()
    assert f"MISMATCH: {family} / {peer}" in captured.err
    data = json.loads((tmp_path / "report.json").read_text())
    (bad,) = [c for c in data["families"][0]["contestants"] if c["name"] == peer]
    assert bad["status"] == "mismatch" and bad["seconds"] is None and bad["ratio"] is None
    assert "routecore auto" in bad["note"]
    assert "**MISMATCH**" in (tmp_path / "report.md").read_text()


def test_bad_options_exit_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _run(tmp_path, "--family", "no-such-family") == _cli.USAGE
    assert "no family matches" in capsys.readouterr().err
    assert _run(tmp_path, "--peers", "nope") == _cli.USAGE
    assert _run(tmp_path, "--rounds", "0") == _cli.USAGE


# ------------------------------------------------------------------------------ generators
SEEDLESS = {"flow-ak", "flow-central-asia", "flow-satellite", "batch-satellite"}


@pytest.mark.parametrize("family", families.FAMILIES, ids=lambda f: f.name)
def test_generators_are_deterministic_per_seed(family: families.Family) -> None:
    a = family.build("smoke", 5, 2)
    b = family.build("smoke", 5, 2)
    assert families.checksum(a) == families.checksum(b)
    if family.name not in SEEDLESS:
        assert families.checksum(family.build("smoke", 6, 2)) != families.checksum(a)


def _check_arrays(inst: FlowInstance | PathInstance) -> None:
    n = inst.num_nodes
    assert inst.src.dtype == np.int64 and inst.dst.dtype == np.int64
    assert inst.src.shape == inst.dst.shape and inst.src.size > 0
    assert inst.src.min() >= 0 and inst.dst.min() >= 0
    assert inst.src.max() < n and inst.dst.max() < n


@pytest.mark.parametrize(
    "family", [f for f in families.FAMILIES if f.task == "flow"], ids=lambda f: f.name
)
def test_flow_families_are_valid_and_agree_with_networkx(family: families.Family) -> None:
    inst = family.build("smoke", 1, 2)
    assert isinstance(inst, FlowInstance)
    _check_arrays(inst)
    assert inst.capacity.dtype == np.int64
    # Zero capacities occur (smooth grids: very different neighbours), as in vision data.
    assert inst.capacity.min() >= 0 and inst.capacity.max() < 2**31
    g = rc.Graph(inst.num_nodes, inst.src, inst.dst, capacity=inst.capacity, directed=inst.directed)
    ref = nx.DiGraph()
    for u, v, c in zip(*(a.tolist() for a in inst.directed_arcs()), strict=True):
        if u != v:
            old = ref.get_edge_data(u, v, {"capacity": 0})["capacity"]
            ref.add_edge(u, v, capacity=old + c)
    for s, t in inst.pairs()[:5]:
        assert s != t
        want = nx.maximum_flow_value(ref, s, t) if ref.has_node(s) and ref.has_node(t) else 0
        assert rc.max_flow(g, s, t).value == want


@pytest.mark.parametrize(
    "family", [f for f in families.FAMILIES if f.task == "paths"], ids=lambda f: f.name
)
def test_path_families_are_valid_and_agree_with_scipy(family: families.Family) -> None:
    inst = family.build("smoke", 1, 2)
    assert isinstance(inst, PathInstance)
    _check_arrays(inst)
    if inst.weight is not None:
        assert np.isfinite(inst.weight).all() and (inst.weight > 0).all()
    sources = inst.sources
    assert np.unique(np.r_[sources, inst.targets]).size == sources.size + inst.targets.size
    tails, heads, w = inst.directed_arcs()
    # Lightest of parallel arcs (the sparse constructor would add them up).
    order = np.lexsort((w, heads, tails))
    tails, heads, w = tails[order], heads[order], w[order]
    first = np.r_[True, (tails[1:] != tails[:-1]) | (heads[1:] != heads[:-1])]
    n = inst.num_nodes
    matrix = sp.csr_array((w[first], (tails[first], heads[first])), shape=(n, n))
    want = dijkstra(matrix, indices=sources, unweighted=inst.weight is None)
    g = rc.Graph(n, inst.src, inst.dst, weight=inst.weight, directed=inst.directed)
    got = rc.shortest_path_lengths(g, sources)
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_select_patterns() -> None:
    assert [f.name for f in families.select("grid3d")] == ["flow-grid3d-noisy"]
    assert {f.task for f in families.select("sssp-*")} == {"paths"}
    assert len(families.select(None)) == len(families.FAMILIES)


def test_readme_block_is_written_from_a_report(tmp_path: Path) -> None:
    tool = Path(__file__).resolve().parents[1] / "tools" / "bench_readme.py"
    if not tool.exists():
        pytest.skip("tools/ is in the source checkout only")
    assert _run(tmp_path, "--family", "flow-central-asia", "--peers", "ortools") == 0
    readme = tmp_path / "README.md"
    readme.write_text(
        "# x\n\nbefore\n<!-- bench-report:begin -->\nold\n<!-- bench-report:end -->\nafter\n"
    )
    cmd = [sys.executable, str(tool), str(tmp_path / "report.json"), "--readme", str(readme)]
    check = [*cmd, "--check"]
    assert subprocess.run(check, capture_output=True, check=False).returncode == 1
    subprocess.run(cmd, capture_output=True, check=True)
    text = readme.read_text()
    assert "old" not in text and text.startswith("# x\n\nbefore\n") and text.endswith("after\n")
    assert "| flow-central-asia |" in text and "ortools" in text
    assert subprocess.run(check, capture_output=True, check=False).returncode == 0


def _record(family: str, task: str, auto: float, **peers: float) -> dict[str, object]:
    contestants = [{"name": "routecore", "kind": "auto", "status": "ok", "seconds": auto}]
    contestants += [
        {"name": n, "kind": "peer", "status": "ok", "seconds": s} for n, s in peers.items()
    ]
    return {"family": family, "task": task, "auto_s": auto, "contestants": contestants}


def test_targets_table_names_the_peer_the_ratio_and_whether_it_is_met() -> None:
    rep = {
        "families": [
            _record("flow-a", "flow", 1.0, igraph=2.0, ortools=4.0),
            _record("flow-b", "flow", 1.0, pymaxflow=0.5),
            _record("sssp-er", "paths", 1.0, scipy=2.5, igraph=1.5),
            _record("batch-satellite", "paths", 1.0, networkit=1.6, scipy=0.9),
        ]
    }
    rows = {
        line.split(" | ")[0].lstrip("| "): line
        for line in report.targets_markdown(rep).splitlines()
    }
    assert rows["flow-a"].endswith("| igraph 2.00 s | 2.00 | >= 1x fastest peer | yes |")
    assert rows["flow-b"].endswith("| pymaxflow 500 ms | 0.50 | >= 1x fastest peer | **no** |")
    # The SSSP target is against scipy, not the fastest peer (igraph here).
    assert rows["sssp-er"].endswith("| igraph 1.50 s | 1.50 | >= 3x scipy (2.50) | **no** |")
    assert rows["batch-satellite"].endswith("| >= 1.5x networkit (1.60) | yes |")
    # Geometric mean of 2.0 and 0.5 is 1.0.
    assert (
        "geometric mean of 2 families | | | 1.00 | >= 1.5 | **no** |"
        in rows["max-flow, geometric mean of 2 families"]
    )


@given(st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_no_contestant_runs_twice_in_a_row(count: int, seed: int) -> None:
    # A back-to-back repeat runs on warm caches (runner's module notes): across rounds, each
    # round is a permutation that never starts with the previous round's last contestant.
    rng = np.random.default_rng(seed)
    order = list(range(count))
    for _ in range(6):
        nxt = runner._next_order(order, rng)
        assert sorted(nxt) == list(range(count))
        if count > 1:
            assert nxt[0] != order[-1]
        order = nxt
