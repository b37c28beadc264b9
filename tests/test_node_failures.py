"""Node and shared-risk-group failure sweeps: node failures as edge cases against networkx
max-flow / shortest paths on the graph with the nodes removed (hypothesis graphs and the shipped
scenario), the same tables on every executor, partial tables after Ctrl-C (simulated and a real
SIGINT), and the ``[risk_groups]`` table of ``scenario.toml``."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore.analyses import group_failure_sweep, node_failure_sweep
from routecore.batch import lengths_under_failures, max_flow_under_failures, node_failure_edges
from routecore.errors import GraphError, ScenarioError
from routecore.scenario import Network, load_scenario

from .oracles import networkx_flow_value, nx_ground, nx_max_flow
from .strategies import EdgeList, FlowProblem, edge_lists, flow_problems

SOURCES = ["khorgos", "urumqi"]
SINKS = ["frankfurt", "istanbul"]


@st.composite
def node_cases(draw: st.DrawFn, num_nodes: int) -> list[list[int]]:
    """Up to 6 cases of 0-3 failed nodes (repeats allowed)."""
    node = st.integers(0, num_nodes - 1)
    return draw(st.lists(st.lists(node, max_size=3), max_size=6))


def _terminals(value: int | np.ndarray) -> list[int]:
    return [int(value)] if isinstance(value, int) else [int(x) for x in value]


# ------------------------------------------------------------------ graph level, hypothesis
@given(flow_problems(), st.data())
def test_node_failures_equal_networkx_max_flow_without_those_nodes(
    p: FlowProblem, data: st.DataObject
) -> None:
    cases = data.draw(node_cases(p.num_nodes))
    g = rc.Graph(p.num_nodes, p.src, p.dst, capacity=p.capacity, directed=p.directed)
    failed = node_failure_edges(g, cases)
    values = max_flow_under_failures(g, p.sources, p.sinks, failed, threads=2)
    for i, case in enumerate(cases):
        dead = set(case)
        edges = [
            (u, v, c)
            for u, v, c in zip(p.src.tolist(), p.dst.tolist(), p.capacity.tolist(), strict=True)
            if u not in dead and v not in dead
        ]
        src = [s for s in _terminals(p.sources) if s not in dead]
        dst = [t for t in _terminals(p.sinks) if t not in dead]
        expected = networkx_flow_value(edges, src, dst, directed=p.directed) if src and dst else 0
        assert values[i] == expected, (case, i)


@given(edge_lists(max_nodes=12, max_edges=40), st.data())
def test_node_failures_equal_networkx_lengths_without_those_nodes(
    el: EdgeList, data: st.DataObject
) -> None:
    cases = data.draw(node_cases(el.num_nodes))
    source = data.draw(st.integers(0, el.num_nodes - 1))
    g = rc.Graph(el.num_nodes, el.src, el.dst, weight=el.weight, directed=el.directed)
    lengths = lengths_under_failures(
        g, [source], np.arange(el.num_nodes), node_failure_edges(g, cases)
    )
    for i, case in enumerate(cases):
        h: nx.Graph = nx.DiGraph() if el.directed else nx.Graph()
        h.add_nodes_from(range(el.num_nodes))
        for u, v, w in zip(el.src.tolist(), el.dst.tolist(), el.weight.tolist(), strict=True):
            if u in case or v in case:
                continue
            if not h.has_edge(u, v) or h[u][v]["w"] > w:
                h.add_edge(u, v, w=w)
        reach = nx.single_source_dijkstra_path_length(h, source, weight="w")
        expected = [reach.get(t, np.inf) for t in range(el.num_nodes)]
        np.testing.assert_allclose(lengths[i], expected, rtol=1e-12, err_msg=str(case))


def test_node_failure_edges_refuses_bad_node_ids() -> None:
    g = rc.Graph(3, [0, 1], [1, 2])
    with pytest.raises(rc.errors.NodeIndexError, match=r"failed_nodes\[1\]"):
        node_failure_edges(g, [[0], [3]])
    with pytest.raises(GraphError, match=r"failed_nodes\[0\]\[0\] = True is a bool"):
        node_failure_edges(g, [[True, 1]])
    with pytest.raises(GraphError, match="sequence of sequences"):
        node_failure_edges(g, 2)
    assert node_failure_edges(g, [2, 0, 1]).tolist() == [[1, -1], [0, -1], [0, 1]]


# --------------------------------------------------------------------- scenario level
@pytest.fixture(scope="module")
def node_pairs(net: Network) -> pd.DataFrame:
    return node_failure_sweep(net, pairs=True, threads=1)


def _oracle(g: nx.Graph, dead: set[str]) -> tuple[float, float]:
    """networkx max flow and best one-way latency with ``dead`` removed (and out of the
    terminal sets)."""
    h = g.copy()
    h.remove_nodes_from(dead)
    src = [s for s in SOURCES if s not in dead]
    dst = [t for t in SINKS if t not in dead]
    flow = nx_max_flow(h, src, dst) if src and dst else 0.0
    best = min(
        (
            nx.shortest_path_length(h, s, t, weight="latency")
            for s in src
            for t in dst
            if nx.has_path(h, s, t)
        ),
        default=np.inf,
    )
    return flow, best


def test_node_sweep_equals_networkx_with_the_nodes_removed(
    net: Network, node_pairs: pd.DataFrame
) -> None:
    g = nx_ground(net)
    linked = {n for n in g if g.degree(n) > 0}
    assert len(node_pairs) == len(linked) + len(linked) * (len(linked) - 1) // 2
    assert {case[0] for case in node_pairs["failed"] if len(case) == 1} == linked
    for row in node_pairs.itertuples():
        flow, best = _oracle(g, set(row.failed))
        assert row.max_flow_gbps == pytest.approx(flow, rel=1e-9), row.failed
        assert row.latency_ms == pytest.approx(best, rel=1e-12), row.failed
        assert row.disconnected == (best == np.inf)
        assert row.terminal == bool(set(row.failed) & set(SOURCES + SINKS))
    key = list(zip(node_pairs["lost_gbps"], node_pairs["added_latency_ms"], strict=True))
    assert key == sorted(key, reverse=True)
    # Almaty is the cut vertex between the Chinese border and everything west.
    assert node_pairs.loc[0, "failed"] == ("almaty",) or "almaty" in node_pairs.loc[0, "failed"]
    assert node_pairs.attrs["base_flow_gbps"] == pytest.approx(nx_max_flow(g, SOURCES, SINKS))


def test_a_failed_terminal_drops_out_of_the_terminal_set(net: Network) -> None:
    sweep = node_failure_sweep(net, nodes=["khorgos", "frankfurt"], sinks=["frankfurt"])
    by = sweep.set_index("failed")
    assert by.loc[[("frankfurt",)], "max_flow_gbps"].item() == 0.0
    assert by.loc[[("frankfurt",)], "disconnected"].item()
    g = nx_ground(net)
    h = g.copy()
    h.remove_node("khorgos")
    expected = nx_max_flow(h, ["urumqi"], ["frankfurt"])
    assert by.loc[[("khorgos",)], "max_flow_gbps"].item() == pytest.approx(expected)
    assert sweep["terminal"].all()


def test_node_sweep_with_avoided_countries_equals_networkx(net: Network) -> None:
    sweep = node_failure_sweep(net, avoid_countries=["RU"])
    g = nx_ground(net, drop_countries=("RU",))
    for row in sweep.itertuples():
        dead = set(row.failed) & set(g)
        flow, best = _oracle(g, dead)
        assert row.max_flow_gbps == pytest.approx(flow, rel=1e-9), row.failed
        assert row.latency_ms == pytest.approx(best, rel=1e-12), row.failed


def test_group_sweep_equals_networkx_with_the_members_removed(net: Network) -> None:
    groups = {
        "caspian": ["aktau", "siyazan"],
        "west-kz-duct": ["kyzylorda-aktobe", "atyrau-aktau"],
        "hub-and-link": ["almaty-ix", "samara-moscow"],
    }
    sweep = group_failure_sweep(net, groups)
    assert sorted(name for (name,) in sweep["failed"]) == sorted(groups)
    g = nx_ground(net)
    for row in sweep.itertuples():
        members = groups[row.failed[0]]
        assert row.members == tuple(members)
        h = g.copy()
        h.remove_edges_from([(u, v) for u, v, d in g.edges(data=True) if d["link"] in members])
        flow, best = _oracle(h, {m for m in members if m in g})
        assert row.max_flow_gbps == pytest.approx(flow, rel=1e-9), row.failed
        assert row.latency_ms == pytest.approx(best, rel=1e-12), row.failed


def test_derived_groups_cover_the_links_of_risk_groups(net: Network) -> None:
    from routecore.analyses import risk_groups

    for how in ("landing", "operator", "country"):
        sweep = group_failure_sweep(net, how)
        code = risk_groups(net, how)  # type: ignore[arg-type]
        assert len(sweep) == len(set(code[code >= 0].tolist()))
        assert all(name.startswith(f"{how}:") for (name,) in sweep["failed"])
        members = sorted(m for ms in sweep["members"] for m in ms)
        assert members == sorted(net.column("links", "id")[code >= 0].tolist())


def test_group_sweep_refuses_bad_groups(net: Network) -> None:
    with pytest.raises(ScenarioError, match=r"risk group 'x': 'atlantis' is neither"):
        group_failure_sweep(net, {"x": ["almaty", "atlantis"]})
    with pytest.raises(ScenarioError, match="has no members"):
        group_failure_sweep(net, {"x": []})
    with pytest.raises(ScenarioError, match="members must be a list"):
        group_failure_sweep(net, {"x": "almaty"})
    with pytest.raises(ScenarioError, match=r"declares no \[risk_groups\]"):
        group_failure_sweep(net)
    with pytest.raises(ValueError, match="groups must be one of"):
        group_failure_sweep(net, "duct")


# ------------------------------------------------------- executors, progress and Ctrl-C
def test_node_sweep_is_the_same_for_any_threads_chunks_and_executor(
    net: Network, node_pairs: pd.DataFrame
) -> None:
    assert not node_pairs.attrs["partial"]
    pd.testing.assert_frame_equal(node_failure_sweep(net, pairs=True, threads=2), node_pairs)
    pd.testing.assert_frame_equal(node_failure_sweep(net, pairs=True, chunk_size=7), node_pairs)
    with ThreadPoolExecutor(2) as pool:
        pd.testing.assert_frame_equal(
            node_failure_sweep(net, pairs=True, executor=pool, chunk_size=50), node_pairs
        )
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=spawn) as processes:
        pd.testing.assert_frame_equal(
            node_failure_sweep(net, pairs=True, executor=processes, chunk_size=100), node_pairs
        )
    groups = {"a": ["aktau"], "b": ["almaty", "tcfo"], "c": ["moscow"]}
    one = group_failure_sweep(net, groups, threads=1)
    with ThreadPoolExecutor(2) as pool:
        pd.testing.assert_frame_equal(
            group_failure_sweep(net, groups, executor=pool, chunk_size=1), one
        )


def test_node_sweep_progress_and_interrupt(net: Network, node_pairs: pd.DataFrame) -> None:
    total = len(node_pairs)
    seen: list[int] = []
    node_failure_sweep(net, pairs=True, chunk_size=100, progress=lambda d, t: seen.append(d))
    assert seen == [*range(100, total, 100), total]
    calls: list[int] = []

    def stop_after_two(done: int, _total: int) -> None:
        calls.append(done)
        if len(calls) == 2:
            raise KeyboardInterrupt

    part = node_failure_sweep(net, pairs=True, chunk_size=100, progress=stop_after_two)
    assert part.attrs["partial"] and part.attrs["cases_done"] == 200 == len(part)
    assert part.attrs["cases_total"] == total
    full = node_pairs.set_index("failed")
    pd.testing.assert_frame_equal(
        part.set_index("failed"), full.loc[part["failed"]], check_names=False
    )


SIGINT_SCRIPT = textwrap.dedent(
    """
    import json, time
    from routecore.analyses import node_failure_sweep
    from routecore.scenario import load_scenario

    net = load_scenario("central-asia")

    def progress(done, total):
        print(f"cases {done}", flush=True)
        time.sleep(0.2)

    res = node_failure_sweep(net, pairs=True, chunk_size=10, threads=1, progress=progress)
    print(json.dumps({"partial": res.attrs["partial"], "done": res.attrs["cases_done"],
                      "total": res.attrs["cases_total"], "rows": len(res)}), flush=True)
    """
)


def test_sigint_returns_the_finished_node_failures() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SIGINT_SCRIPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == "cases 30":
                proc.send_signal(signal.SIGINT)
                break
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    doc = json.loads(out.strip().splitlines()[-1])
    assert doc["partial"] is True
    assert 30 <= doc["done"] < doc["total"] and doc["rows"] == doc["done"]


# ------------------------------------------------------------ [risk_groups] in scenario.toml
@pytest.fixture
def grouped(tmp_path: Path) -> Path:
    """A copy of the shipped scenario whose scenario.toml declares two risk groups."""
    src = load_scenario("central-asia")
    out = tmp_path / "grouped"
    src.save(out)
    toml = out / "scenario.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '\n[risk_groups]\ncaspian = ["aktau", "tcfo"]\nnorth = ["samara-moscow", "minsk"]\n',
        encoding="utf-8",
    )
    return out


def test_risk_groups_declared_in_scenario_toml(grouped: Path) -> None:
    net = load_scenario(grouped)
    sweep = group_failure_sweep(net)
    assert sorted(sweep["failed"]) == [("caspian",), ("north",)]
    # A variant that removes a member drops it from the group (tcfo-2025 removes tcfo).
    assert net.variant("tcfo-2025").meta["risk_groups"]["caspian"] == ["aktau"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('caspian = ["aktau", "atlantis"]', "'atlantis' is neither a node id nor a link id"),
        ("caspian = []", "must be a non-empty list"),
        ('caspian = "aktau"', "must be a non-empty list"),
        ("caspian = [1]", "must be a node or link id"),
    ],
)
def test_bad_risk_groups_name_the_file_and_line(grouped: Path, table: str, message: Any) -> None:
    toml = grouped / "scenario.toml"
    text = toml.read_text(encoding="utf-8").split("\n[risk_groups]\n")[0]
    toml.write_text(text + "\n[risk_groups]\n" + table + "\n", encoding="utf-8")
    line = len(text.splitlines()) + 3
    with pytest.raises(ScenarioError, match=message) as err:
        load_scenario(grouped)
    assert f"scenario.toml, line {line}, key 'risk_groups.caspian'" in str(err.value)
    assert err.value.line == line


def test_node_and_group_sweeps_on_a_dask_cluster_equal_the_local_run(
    net: Network, node_pairs: pd.DataFrame
) -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=False,
            threads_per_worker=1,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = node_failure_sweep(net, pairs=True, executor=client)
        remote_groups = group_failure_sweep(net, "landing", executor=client)
    pd.testing.assert_frame_equal(remote, node_pairs)
    pd.testing.assert_frame_equal(remote_groups, group_failure_sweep(net, "landing"))


def test_node_and_group_tables_as_geojson(net: Network) -> None:
    """Before the node sweeps told GeoJSON what ``failed`` holds, a node id was looked up as a
    link and raised KeyError."""
    from routecore.geojson import to_geojson

    nodes = node_failure_sweep(net)
    fc = to_geojson(nodes, net)
    coords = net.nodes.set_index("id")[["lon", "lat"]]
    for feature, failed in zip(fc["features"], nodes["failed"], strict=True):
        assert feature["geometry"]["type"] == "MultiPoint"
        expected = [
            [round(coords.loc[n, "lon"], 6), round(coords.loc[n, "lat"], 6)] for n in failed
        ]
        assert feature["geometry"]["coordinates"] == expected
    groups = group_failure_sweep(net, {"both": ["aktau", "tcfo"], "link": ["tcfo"]})
    kinds = {
        f["properties"]["failed"][0]: f["geometry"]["type"]
        for f in to_geojson(groups, net)["features"]
    }
    assert kinds == {"both": "GeometryCollection", "link": "LineString"}
