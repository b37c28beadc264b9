"""demands.csv (scenario file rules: errors name file, row, line and column) and
analyses.transit_demands: lambda per variant and policy against the exact LP (HiGHS), the
saturated links and the latency-budget table checked from the raw tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import routecore
from routecore import analyses
from routecore.errors import ScenarioError
from routecore.scenario import load_demands, load_scenario

from .oracles import multicommodity_lp

EXAMPLE = Path(routecore.__file__).parent / "data" / "central-asia" / "demands.csv"


def test_the_assumed_matrix_loads_and_is_labelled() -> None:
    net = load_scenario("central-asia")
    d = load_demands(EXAMPLE, net)
    assert len(d) == 8 and d["gbps"].min() > 0
    assert all(name.startswith("[ASSUMED]") for name in d["name"])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("source,target,gbps\nalmaty,almaty,1\n", "row 1.*target.*to itself"),
        ("source,target,gbps\nalmaty,nowhere,1\n", "row 1.*target.*'nowhere' is not a node"),
        ("source,target,gbps\nalmaty,astana,-1\n", "row 1.*gbps"),
        ("source,target,gbps,max_latency_ms\nalmaty,astana,1,x\n", "row 1.*max_latency_ms"),
        ("source,target,gbps,colour\nalmaty,astana,1,red\n", "colour.*unknown column"),
        ("source,gbps\nalmaty,1\n", "target.*missing column"),
        ("source,target,gbps\n", "no demand rows"),
    ],
)
def test_bad_demand_files_name_row_and_column(tmp_path: Path, text: str, match: str) -> None:
    p = tmp_path / "demands.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=match):
        load_demands(p, load_scenario("central-asia"))


def test_transit_demands_against_the_lp() -> None:
    net = load_scenario("central-asia")
    d = load_demands(EXAMPLE, net)
    r = analyses.transit_demands(net, d, variants=[None, "tcfo-4tbps"])
    assert len(r.cases) == 4  # two variants x (all routes, avoid RU)
    for row in r.cases.to_dict("records"):
        v = net if row["variant"] == "base" else net.variant(str(row["variant"]))
        a, b = v.link_ends()
        cap = v.column("links", "capacity_gbps").astype(np.float64)
        if row["policy"] != "all routes":
            ru = v.column("nodes", "country") == "RU"
            cap = np.where(ru[a] | ru[b], 0.0, cap)
        s, t = v.node_index(list(d["source"])), v.node_index(list(d["target"]))
        opt = multicommodity_lp(
            v.num_nodes, a, b, cap, False, s, t, d["gbps"].to_numpy(), "concurrent", by_source=True
        )
        lam = float(row["lambda"])
        assert row["lambda_upper"] >= opt * (1 - 1e-9) and lam <= opt * (1 + 1e-9)
        assert lam >= 0.99 * row["lambda_upper"] * (1 - 1e-9)
        assert row["carried"] == (lam >= 1.0)
    assert (r.links["load_gbps"] >= 0.999 * r.links["capacity_gbps"]).all()
    pairs = r.pairs
    assert len(pairs) == 4 * len(d)
    finite = np.isfinite(pairs["worst_route_ms"])
    assert (pairs["meets_budget"] == (pairs["worst_route_ms"] <= pairs["max_latency_ms"])).all()
    assert finite.any()


def test_transit_demands_within_budgets_route_only_within_them() -> None:
    """within_budgets=True: every route carrying flow is within its pair's budget, lambda is at
    most the unrestricted optimum's bound, and a case is unreachable exactly when some pair's
    shortest route over links of positive capacity (scipy Dijkstra) exceeds its budget."""
    from scipy.sparse.csgraph import csgraph_from_dense, dijkstra

    net = load_scenario("central-asia")
    d = load_demands(EXAMPLE, net)
    free = analyses.transit_demands(net, d, variants=["tcfo-4tbps"])
    r = analyses.transit_demands(net, d, variants=["tcfo-4tbps"], within_budgets=True)
    assert (r.cases["lambda"] <= free.cases["lambda_upper"] * (1 + 1e-9)).all()
    carried = r.pairs["carried_gbps"] > 0
    assert (r.pairs["worst_route_ms"][carried] <= r.pairs["max_latency_ms"][carried]).all()
    assert r.pairs["paths_complete"].dtype == bool
    v = net.variant("tcfo-4tbps")
    a, b = v.link_ends()
    w = v.column("links", "latency_ms").astype(np.float64)
    s, t = v.node_index(list(d["source"])), v.node_index(list(d["target"]))
    for row in r.cases.to_dict("records"):
        cap = v.column("links", "capacity_gbps").astype(np.float64)
        if row["policy"] != "all routes":
            ru = v.column("nodes", "country") == "RU"
            cap = np.where(ru[a] | ru[b], 0.0, cap)
        keep = cap > 0
        dense = np.full((v.num_nodes, v.num_nodes), np.inf)
        np.minimum.at(dense, (a[keep], b[keep]), w[keep])  # the fastest of parallel links
        m = csgraph_from_dense(dense, null_value=np.inf)
        dist = dijkstra(m, directed=False, indices=s)[np.arange(len(s)), t]
        late = bool((dist > d["max_latency_ms"].to_numpy()).any())
        assert (row["status"] == "unreachable") == late, (row, dist)
