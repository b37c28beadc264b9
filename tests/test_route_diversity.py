"""analyses.route_diversity on the shipped Central Asia scenario: the k routes' latencies equal
networkx's shortest_simple_paths, the edge- and node-disjoint pairs' totals equal networkx's
min-cost flow of two units, and every pair is disjoint in its mode (certificates)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import routecore as rc
from routecore import analyses
from routecore.errors import ScenarioError

from .oracles import networkx_k_lengths
from .strategies import EdgeList


def edge_list(net):  # type: ignore[no-untyped-def]
    """The links as an EdgeList, without the schools' access links (which no route between two
    cities can use; dropping them keeps networkx's min-cost flow fast, and a wrong drop would
    show as a mismatch)."""
    a = net.node_index(net.links["a"].astype(str).tolist()).astype(np.int64)
    b = net.node_index(net.links["b"].astype(str).tolist()).astype(np.int64)
    w = net.links["latency_ms"].to_numpy(dtype=np.float64)
    kind = net.column("nodes", "kind")
    keep = (kind[a] != "terminal") & (kind[b] != "terminal")
    ones = np.ones(int(keep.sum()), np.int64)
    return EdgeList(len(net.nodes), a[keep], b[keep], w[keep], ones, directed=False)


@pytest.fixture(scope="module")
def report(net):  # type: ignore[no-untyped-def]
    return analyses.route_diversity(net, k=6, groups="operator")


def test_routes_match_networkx(net, report) -> None:  # type: ignore[no-untyped-def]
    el = edge_list(net)
    for (src, dst), rows in report.routes.groupby(["src", "dst"], sort=False):
        s, t = net.find_node(src), net.find_node(dst)
        want = networkx_k_lengths(el, el.weight, s, t, 6)
        np.testing.assert_allclose(rows["latency_ms"].to_numpy(), want, rtol=1e-12)
        assert rows["rank"].tolist() == list(range(1, len(want) + 1))


def test_protection_pairs_match_min_cost_flow(net, report) -> None:  # type: ignore[no-untyped-def]
    # networkx's network simplex does not finish with these float latencies (networkx#2076),
    # so the edge-mode oracle is routecore's own network simplex (a different algorithm from
    # disjoint_paths' successive shortest paths) and node mode is checked for feasibility
    # against networkx's node connectivity.
    el = edge_list(net)
    g = rc.Graph(el.num_nodes, el.src, el.dst, weight=el.weight, directed=False)
    gx = nx.Graph()
    gx.add_edges_from(zip(el.src.tolist(), el.dst.tolist(), strict=True))
    for row in report.protection.itertuples():
        s, t = net.find_node(row.src), net.find_node(row.dst)
        if row.mode == "edge":
            flow = rc.min_cost_flow(g, sources=[s], sinks=[t], demand=2, capacity=el.capacity)
            assert (flow.status == "optimal") == np.isfinite(row.total_ms)
            if flow.status == "optimal":
                assert row.total_ms == pytest.approx(flow.cost, rel=1e-7)
        if row.mode == "node":
            assert (nx.node_connectivity(gx, s, t) >= 2) == np.isfinite(row.total_ms)
        if np.isfinite(row.total_ms):
            assert row.primary_ms + row.backup_ms == pytest.approx(row.total_ms)
            assert row.penalty_ms == pytest.approx(row.backup_ms - row.fastest_ms)
            assert row.penalty_ms >= -1e-9 and row.lower_bound_ms <= row.total_ms + 1e-9
            assert row.backup_nodes.split(" > ")[0] == row.src
        assert row.optimal


def test_group_pairs_share_no_group(net) -> None:  # type: ignore[no-untyped-def]
    groups = analyses.risk_groups(net, "landing")
    kinds = net.column("nodes", "kind")
    a = net.node_index(net.links["a"].astype(str).tolist())
    b = net.node_index(net.links["b"].astype(str).tolist())
    touches = (kinds[a] == "cable_landing") | (kinds[b] == "cable_landing")
    assert ((groups >= 0) == touches).all()
    r = analyses.route_diversity(net, [("almaty", "frankfurt")], k=2, groups="landing")
    edge, _, group = r.protection.sort_values("mode").itertuples()
    assert group.total_ms >= edge.total_ms - 1e-9 or not np.isfinite(group.total_ms)


def test_bad_pairs_and_groups(net) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScenarioError, match=r"pairs\[0\]"):
        analyses.route_diversity(net, ["almaty"])
    with pytest.raises(ScenarioError, match="one node"):
        analyses.route_diversity(net, [("almaty", "almaty")])
    with pytest.raises(ValueError, match="groups must be one of"):
        analyses.route_diversity(net, [("almaty", "astana")], groups="duct")  # type: ignore[arg-type]
