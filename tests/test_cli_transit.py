"""``routecore paths`` and ``routecore demands``: the JSON against networkx (k shortest simple
paths, a 2-unit min-cost flow for the link-disjoint pair) and HiGHS (the demand matrix's
lambda), the tables and GeoJSON, and one-line errors with exit status 2 for bad input."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

from routecore.cli import main
from routecore.scenario import Network

from .oracles import multicommodity_lp, nx_ground


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def fails(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """The command exits 2 with one line on stderr; returns that line."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("routecore: error: ") and err.count("\n") == 1, err
    return err


# ----------------------------------------------------------------------------- paths
@pytest.mark.parametrize(("src", "dst"), [("khorgos", "istanbul"), ("almaty", "frankfurt")])
def test_paths_json_equals_networkx(
    net: Network, capsys: pytest.CaptureFixture[str], src: str, dst: str
) -> None:
    doc = run_json(capsys, ["paths", src, dst, "-k", "6", "--json"])
    assert doc["latency"] == "one-way propagation, ms" and doc["k"] == 6
    g = nx_ground(net)
    simple = nx.shortest_simple_paths(g, src, dst, weight="latency")
    expected = [nx.path_weight(g, p, "latency") for p in itertools.islice(simple, 6)]
    got = [r["latency_ms"] for r in doc["routes"]]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    for r in doc["routes"]:
        nodes = r["nodes"].split(" > ")
        assert nodes[0] == src and nodes[-1] == dst and len(set(nodes)) == len(nodes)
    # The link-disjoint pair: a 2-unit min-cost flow (weights in ns, integers for networkx).
    d = nx.DiGraph()
    for u, v, data in g.edges(data=True):
        w = round(data["latency"] * 1e6)
        d.add_edge(u, v, capacity=1, weight=w)
        d.add_edge(v, u, capacity=1, weight=w)
    d.nodes[src]["demand"], d.nodes[dst]["demand"] = -2, 2
    cost = nx.cost_of_flow(d, nx.min_cost_flow(d)) / 1e6
    edge = next(p for p in doc["protection"] if p["mode"] == "edge")
    assert edge["total_ms"] == pytest.approx(cost, rel=1e-6)
    assert edge["penalty_ms"] == pytest.approx(edge["backup_ms"] - got[0], rel=1e-12)
    primary, backup = edge["primary_nodes"].split(" > "), edge["backup_nodes"].split(" > ")
    shared = {frozenset(e) for e in itertools.pairwise(primary)} & {
        frozenset(e) for e in itertools.pairwise(backup)
    }
    assert not shared


def test_paths_node_mode_reports_no_pair_through_a_cut_vertex(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Almaty is a cut vertex between Khorgos and the west: no node-disjoint pair."""
    doc = run_json(capsys, ["paths", "khorgos", "istanbul", "--json"])
    node = next(p for p in doc["protection"] if p["mode"] == "node")
    assert node["backup_ms"] is None and node["backup_nodes"] == ""
    assert main(["paths", "khorgos", "istanbul"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("Routes khorgos -> istanbul (latency: one-way propagation, ms)")
    assert "No two routes share no node: every route passes one node" in out


def test_paths_avoiding_a_country_never_enters_it(
    net: Network, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = run_json(
        capsys, ["paths", "khorgos", "frankfurt", "--avoid-country", "RU", "-k", "4", "--json"]
    )
    ru = set(net.nodes.loc[net.nodes["country"] == "RU", "id"])
    g = nx_ground(net, drop_countries=("RU",))
    simple = nx.shortest_simple_paths(g, "khorgos", "frankfurt", weight="latency")
    expected = [nx.path_weight(g, p, "latency") for p in itertools.islice(simple, 4)]
    np.testing.assert_allclose([r["latency_ms"] for r in doc["routes"]], expected, rtol=1e-12)
    for r in doc["routes"]:
        assert not set(r["nodes"].split(" > ")) & ru


def test_paths_geojson_has_the_routes_and_the_disjoint_pairs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sub" / "paths.geojson"
    doc = run_json(
        capsys, ["paths", "almaty", "frankfurt", "-k", "3", "--json", "--geojson", str(out)]
    )
    fc = json.loads(out.read_text(encoding="utf-8"))
    roles = [f["properties"]["role"] for f in fc["features"]]
    pairs = [p for p in doc["protection"] if p["backup_nodes"]]
    assert roles == ["route"] * 3 + ["primary", "backup"] * len(pairs)
    for f in fc["features"]:
        assert f["geometry"]["type"] == "LineString"
        assert len(f["geometry"]["coordinates"]) == len(f["properties"]["nodes"])
    assert fc["routecore"]["latency"] == "one-way propagation, ms"


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["paths", "almaty", "atlantis"], "atlantis"),
        (["paths", "almaty", "Almaty"], "same place"),
        (["paths", "almaty", "astana", "-k", "5000"], "-k must be between 1 and 1000"),
        (["paths", "almaty", "astana", "--variant", "nope"], "unknown variant 'nope'"),
    ],
)
def test_paths_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], match: str
) -> None:
    assert match in fails(capsys, argv)


def test_paths_geojson_into_a_directory_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "is a directory" in fails(
        capsys, ["paths", "almaty", "astana", "--geojson", str(tmp_path)]
    )


@pytest.mark.parametrize(
    "argv",
    [["paths", "almaty", "astana", "-k", "0"], ["paths", "almaty", "astana", "--groups", "duct"]],
)
def test_paths_argument_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


# --------------------------------------------------------------------------- demands
def test_demands_json_brackets_the_lp_optimum(
    net: Network, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = run_json(
        capsys, ["demands", "--variant", "tcfo-4tbps", "--variant", "tcfo-2025", "--json"]
    )
    d = net.demands()
    assert d is not None
    assert [(c["variant"], c["policy"]) for c in doc["cases"]] == [
        ("tcfo-4tbps", "all routes"),
        ("tcfo-4tbps", "avoid RU"),
        ("tcfo-2025", "all routes"),
        ("tcfo-2025", "avoid RU"),
    ]
    for case in doc["cases"]:
        v = net.variant(case["variant"])
        a, b = v.link_ends()
        cap = v.column("links", "capacity_gbps").astype(np.float64)
        if case["policy"] == "avoid RU":
            ru = v.column("nodes", "country") == "RU"
            cap = np.where(ru[a] | ru[b], 0.0, cap)
        s, t = v.node_index(list(d["source"])), v.node_index(list(d["target"]))
        amount = d["gbps"].to_numpy()
        opt = multicommodity_lp(v.num_nodes, a, b, cap, False, s, t, amount, "concurrent")
        assert case["lambda"] <= opt * (1 + 1e-9) <= case["lambda_upper"] * (1 + 2e-9)
        assert case["carried"] == (case["lambda"] >= 1.0)
    for link in doc["saturated_links"]:
        assert link["load_gbps"] >= 0.999 * link["capacity_gbps"]
    assert len(doc["pairs"]) == 4 * len(d)
    for p in doc["pairs"]:
        worst = np.inf if p["worst_route_ms"] is None else p["worst_route_ms"]
        assert p["meets_budget"] == (worst <= p["max_latency_ms"])
    assert any("one-way propagation" in line for line in doc["assumptions"])


def test_demands_table_and_a_file_of_ones_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "mine.csv"
    f.write_text("source,target,gbps,max_latency_ms\nalmaty,frankfurt,20000,30\n", encoding="utf-8")
    assert main(["demands", "--demands", str(f), "--variant", "tcfo-4tbps"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("Demand matrix: 1 pairs, 20,000 Gbit/s in all")
    # More than the network holds (lambda < 1), and late: every route is longer than 30 ms.
    assert "│ NO │" in out and "Pairs missing their latency budget (2 of 2 rows)" in out


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["demands", "--epsilon", "2"], "--epsilon must be a number between 0 and 1"),
        (["demands", "--variant", "nope"], "unknown variant 'nope'"),
        (["demands", "--demands", "/nonexistent/d.csv"], "/nonexistent/d.csv"),
    ],
)
def test_demands_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], match: str
) -> None:
    assert match in fails(capsys, argv)


def test_demands_bad_file_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "d.csv"
    f.write_text("source,target,gbps\nalmaty,frankfurt,10\nalmaty,atlantis,5\n", encoding="utf-8")
    err = fails(capsys, ["demands", "--demands", str(f)])
    assert "line 3" in err and "'atlantis' is not a node of the network" in err


def test_demands_without_a_matrix_says_how_to_give_one(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "has no demands.csv; give one with --demands FILE" in fails(
        capsys, ["demands", "--scenario", str(tiny)]
    )


# ------------------------------------------------------------------------------ demo
def test_demo_transit_planning_stage(net: Network, tmp_path: Path) -> None:
    """The demo's stage: lambda per case from transit_demands, the diverse pairs of the two
    largest demands, and the worst node failures of each policy equal to networkx with the
    node removed."""
    import io

    from rich.console import Console

    from routecore.cli.demo import compute_demo
    from routecore.cli.output import write_demo_outputs
    from routecore.cli.render_demo import print_demo_stage

    from .oracles import nx_max_flow

    console = Console(file=io.StringIO(), width=140)
    result = compute_demo(
        "central-asia", steps=1, on_stage=lambda s, r: print_demo_stage(console, s, r)
    )
    text = console.file.getvalue()
    for title in ("Demand matrix (8 city pairs", "Diverse route pairs", "Worst node failures"):
        assert title in text
    doc, _ = write_demo_outputs(result, tmp_path)
    tp = doc["transit_planning"]
    assert tp["latency"] == "one-way propagation, ms"
    d = net.demands()
    assert d is not None
    lp = []
    for case in tp["carried"]["cases"]:
        v = net.variant(case["variant"])
        a, b = v.link_ends()
        cap = v.column("links", "capacity_gbps").astype(np.float64)
        if case["policy"] == "avoid RU":
            ru = v.column("nodes", "country") == "RU"
            cap = np.where(ru[a] | ru[b], 0.0, cap)
        s, t = v.node_index(list(d["source"])), v.node_index(list(d["target"]))
        lp.append(
            multicommodity_lp(
                v.num_nodes, a, b, cap, False, s, t, d["gbps"].to_numpy(), "concurrent"
            )
        )
        assert case["lambda"] <= lp[-1] * (1 + 1e-9) <= case["lambda_upper"] * (1 + 2e-9)
    top = d.sort_values("gbps", ascending=False, kind="stable").head(2)
    shown = {(p["src"], p["dst"]) for p in tp["diverse_routes"]}
    assert shown == set(zip(top["source"], top["target"], strict=True))
    g = nx_ground(net)
    sources, sinks = ["khorgos", "urumqi"], ["frankfurt", "istanbul"]
    for policy, rows in tp["worst_node_failures"].items():
        assert len(rows) == 3
        h0 = nx_ground(net, drop_countries=("RU",)) if policy == "avoid RU" else g
        for row in rows:
            h = h0.copy()
            h.remove_nodes_from(row["failed"])
            src = [x for x in sources if x not in row["failed"]]
            dst = [x for x in sinks if x not in row["failed"]]
            assert row["max_flow_gbps"] == pytest.approx(nx_max_flow(h, src, dst), rel=1e-9)


# ------------------------------------------------------------------------------ map
def test_paths_map_draws_the_disjoint_pair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "maps" / "routes.png"
    assert main(["paths", "urumqi", "frankfurt", "--map", str(out), "--map-mode", "edge"]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    assert f"wrote {out}" in " ".join(capsys.readouterr().out.split())
    assert "must end in .png, .svg, .pdf" in fails(
        capsys, ["paths", "almaty", "astana", "--map", str(tmp_path / "x.gif")]
    )
    assert "is a directory" in fails(capsys, ["paths", "almaty", "astana", "--map", str(tmp_path)])


def test_diverse_routes_map_labels_primary_backup_and_missing_pairs(net: Network) -> None:
    from routecore.analyses import route_diversity
    from routecore.route_maps import diverse_routes_map

    report = route_diversity(net, [("almaty", "frankfurt"), ("urumqi", "frankfurt")], k=1)
    fig = diverse_routes_map(net, report, mode="node")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    node = report.protection[report.protection["mode"] == "node"].set_index("src")
    a = node.loc["almaty"]
    assert labels[:2] == [
        f"almaty → frankfurt primary {a['primary_ms']:.1f} ms",
        f"almaty → frankfurt backup {a['backup_ms']:.1f} ms (+{a['penalty_ms']:.1f})",
    ]
    note = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "No such pair exists for: urumqi → frankfurt" in note
    assert "one-way propagation" in note
    with pytest.raises(ValueError, match="mode must be one of"):
        diverse_routes_map(net, report, mode="duct")  # type: ignore[arg-type]
