"""The scenario analyses, checked against networkx and against physical bounds.

Oracles: networkx maximum flow / Dijkstra on the same ground network; an independently built
directed networkx graph for the satellite access paths. Time grids are kept small (a few steps)
and the school set is cut down, so the module runs in seconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from routecore import constellation as cs
from routecore.analyses import (
    failure_sweep,
    flow_between,
    route_between,
    school_connectivity,
    transit_capacity,
)
from routecore.scenario import C_KM_PER_MS, Network, great_circle_km

from .oracles import nx_ground, nx_max_flow, school_latency

TOL = 1e-6


@pytest.fixture(scope="module")
def small_net(thin_schools: Callable[[int], Network]) -> Network:
    """The scenario with every 20th school (100 schools), for the satellite analyses."""
    return thin_schools(20)


# ---------------------------------------------------------------------------- transit
@pytest.fixture(scope="module")
def transit(net: Network):  # type: ignore[no-untyped-def]
    return transit_capacity(net)


def test_transit_covers_both_variants_and_both_policies(transit) -> None:  # type: ignore[no-untyped-def]
    cases = transit.cases
    variants = {"tcfo-4tbps", "tcfo-6tbps", "tcfo-2025", "tcfo-2025-reserve"}
    assert set(cases["variant"]) == variants
    assert set(cases["policy"]) == {"all routes", "avoid RU"}
    assert len(cases) == 2 * len(variants)


def test_transit_flow_equals_cut_capacity_and_networkx(net: Network, transit) -> None:  # type: ignore[no-untyped-def]
    sources = ["khorgos", "urumqi"]
    sinks = ["frankfurt", "istanbul"]
    for row in transit.cases.itertuples():
        variant_net = net.variant(row.variant)
        drop = ("RU",) if row.policy == "avoid RU" else ()
        g = nx_ground(variant_net, drop_countries=drop)
        expected = nx_max_flow(g, sources, sinks)
        assert row.max_flow_gbps == pytest.approx(expected, rel=TOL)
        assert row.cut_capacity_gbps == pytest.approx(row.max_flow_gbps, rel=TOL)
        # The cut separates: without its links no source reaches a sink.
        cut = set(row.cut_links)
        h = g.copy()
        h.remove_edges_from(
            [(u, v) for u, v, d in g.edges(data=True) if d["link"] in cut or d["capacity"] == 0]
        )
        assert not any(nx.has_path(h, s, t) for s in sources for t in sinks)


def test_more_cable_capacity_never_hurts_and_avoiding_never_helps(transit) -> None:  # type: ignore[no-untyped-def]
    flows = transit.cases.set_index(["variant", "policy"])["max_flow_gbps"]
    for policy in ("all routes", "avoid RU"):
        assert flows[("tcfo-6tbps", policy)] >= flows[("tcfo-4tbps", policy)] - TOL
    for variant in ("tcfo-4tbps", "tcfo-6tbps"):
        assert flows[(variant, "avoid RU")] <= flows[(variant, "all routes")] + TOL


def test_link_flows_respect_capacity_and_conservation(net: Network, transit) -> None:  # type: ignore[no-untyped-def]
    links = transit.links
    assert (links["flow_gbps"] <= links["capacity_gbps"] * (1 + TOL) + TOL).all()
    ends = {"khorgos", "urumqi", "frankfurt", "istanbul"}
    for (_, _), grp in links.groupby(["variant", "policy"]):
        balance: dict[str, float] = {}
        for row in grp.itertuples():
            tail, head = (row.a, row.b) if row.direction == "a->b" else (row.b, row.a)
            balance[tail] = balance.get(tail, 0.0) - row.flow_gbps
            balance[head] = balance.get(head, 0.0) + row.flow_gbps
        for node, value in balance.items():
            if node not in ends:
                assert value == pytest.approx(0.0, abs=1e-6), node


def test_transit_routes_are_shortest_and_physical(net: Network, transit) -> None:  # type: ignore[no-untyped-def]
    nodes = net.nodes.set_index("id")
    for row in transit.routes.itertuples():
        drop = ("RU",) if row.policy == "avoid RU" else ()
        g = nx_ground(net.variant(row.variant), drop_countries=drop)
        expected = min(
            nx.shortest_path_length(g, s, row.sink, weight="latency") for s in ("khorgos", "urumqi")
        )
        assert row.latency_ms == pytest.approx(expected, rel=TOL)
        if drop:
            assert not set(row.route) & set(nodes.index[nodes["country"] == "RU"])
        a, b = nodes.loc[row.route[0]], nodes.loc[row.route[-1]]
        floor = great_circle_km(a.lat, a.lon, b.lat, b.lon) / C_KM_PER_MS
        assert row.latency_ms >= floor


def test_route_between_matches_networkx(net: Network) -> None:
    g = nx_ground(net)
    for src, dst in [("almaty", "frankfurt"), ("urumqi", "istanbul"), ("akkol", "baku-dc")]:
        r = route_between(net, src, dst)
        assert r is not None
        assert r.latency_ms == pytest.approx(nx.shortest_path_length(g, src, dst, weight="latency"))
        assert (r.nodes[0], r.nodes[-1]) == (src, dst)
        assert len(r.links) == len(r.nodes) - 1
    avoid = route_between(net, "astana", "moscow", avoid_countries=["RU"])
    assert avoid is not None and avoid.nodes[-1] == "moscow"  # the end point itself is allowed
    # Avoiding every country but the end points' leaves no way through.
    assert route_between(net, "aktau", "samara", avoid_countries=["KZ", "RU"]) is None


def test_flow_between_reports_a_consistent_cut(net: Network) -> None:
    rep = flow_between(net, ["almaty"], ["aktau"])
    assert rep.value_gbps == pytest.approx(
        nx_max_flow(nx_ground(net), ["almaty"], ["aktau"]), rel=TOL
    )
    assert rep.value_gbps == pytest.approx(sum(r["capacity_gbps"] for r in rep.cut_rows()), rel=TOL)


# ---------------------------------------------------------------------------- failures
@pytest.fixture(scope="module")
def sweep(net: Network) -> pd.DataFrame:
    return failure_sweep(net)


def test_every_single_failure_matches_networkx(net: Network, sweep: pd.DataFrame) -> None:
    links = net.links
    base = nx_max_flow(nx_ground(net), ["khorgos", "urumqi"], ["frankfurt", "istanbul"])
    assert sweep.attrs["base_flow_gbps"] == pytest.approx(base, rel=TOL)
    assert len(sweep) == net.num_links
    for row in sweep.itertuples():
        (failed,) = row.failed
        cap = links["capacity_gbps"].to_numpy().copy()
        cap[links.index[links["id"] == failed][0]] = 0.0
        expected = nx_max_flow(
            nx_ground(net, capacity=cap), ["khorgos", "urumqi"], ["frankfurt", "istanbul"]
        )
        assert row.max_flow_gbps == pytest.approx(expected, rel=TOL, abs=TOL)
        assert row.lost_gbps == pytest.approx(base - expected, rel=TOL, abs=TOL)


def test_removing_a_cut_link_never_raises_capacity(net: Network, transit, sweep) -> None:  # type: ignore[no-untyped-def]
    base = sweep.attrs["base_flow_gbps"]
    assert (sweep["max_flow_gbps"] <= base + TOL).all()
    cut = transit.cases.iloc[0]["cut_links"]
    by_link = {f[0]: v for f, v in zip(sweep["failed"], sweep["lost_gbps"], strict=True)}
    for link in cut:
        assert by_link[link] > 0  # every link of a minimum cut is critical


def test_sweep_is_ranked_and_latency_only_grows(sweep: pd.DataFrame) -> None:
    lost = sweep["lost_gbps"].to_numpy()
    assert (np.diff(lost) <= TOL).all()
    assert (sweep["added_latency_ms"] >= -TOL).all()


def test_pair_failures_are_at_least_as_bad_as_either_single(net: Network) -> None:
    some = ["tcfo", "almaty-shymkent", "moscow-minsk", "khorgos-almaty", "aktobe-samara"]
    res = failure_sweep(net, pairs=True, links=some)
    assert len(res) == len(some) + len(some) * (len(some) - 1) // 2
    single = {r.failed[0]: r for r in res.itertuples() if len(r.failed) == 1}
    for r in res.itertuples():
        if len(r.failed) == 2:
            a, b = r.failed
            assert r.max_flow_gbps <= min(single[a].max_flow_gbps, single[b].max_flow_gbps) + TOL
            assert r.latency_ms >= max(single[a].latency_ms, single[b].latency_ms) - TOL


def test_sweep_avoiding_russia(net: Network) -> None:
    res = failure_sweep(net, avoid_countries=["RU"])
    top = res.iloc[0]
    # Without Russia everything crosses the Caspian cable: losing it loses all transit.
    assert res.attrs["base_flow_gbps"] > 0
    assert top["lost_share"] == pytest.approx(1.0)
    assert "tcfo" in {f[0] for f in res.loc[res["lost_share"] > 1 - TOL, "failed"]}


# ---------------------------------------------------------------------------- schools
TIMES = np.array([0.0, 900.0])


@pytest.fixture(scope="module")
def schools(small_net: Network) -> pd.DataFrame:
    return school_connectivity(
        small_net, {"starlink": cs.STARLINK_SHELL1, "oneweb": cs.ONEWEB}, TIMES
    )


def test_school_table_shape(small_net: Network, schools: pd.DataFrame) -> None:
    n = int((small_net.nodes["kind"] == "terminal").sum())
    assert len(schools) == 2 * 2 * n
    assert set(schools["policy"]) == {"home", "any"}
    assert schools["connected_share"].between(0, 1).all()


def test_home_policy_only_uses_gateways_in_kazakhstan(schools: pd.DataFrame) -> None:
    home = schools[schools["policy"] == "home"]
    used = home[home["gateway"] != ""]
    assert len(used) > 0
    assert (used["gateway_country"] == "KZ").all()
    assert set(used["gateway"]) <= {"kokterek", "akkol"}


def test_any_policy_is_never_worse(schools: pd.DataFrame) -> None:
    key = ["constellation", "school"]
    home = schools[schools["policy"] == "home"].set_index(key)
    anyg = schools[schools["policy"] == "any"].set_index(key)
    assert (anyg["connected_share"] >= home["connected_share"] - TOL).all()
    both = home["min_latency_ms"].notna()
    assert (
        anyg.loc[both.index[both], "min_latency_ms"] <= home.loc[both, "min_latency_ms"] + TOL
    ).all()


def test_every_latency_is_above_the_speed_of_light(
    small_net: Network, schools: pd.DataFrame
) -> None:
    nodes = small_net.nodes.set_index("id")
    ix = nodes.loc["almaty-ix"]
    ok = schools["min_latency_ms"].notna()
    d = great_circle_km(schools.loc[ok, "lat"], schools.loc[ok, "lon"], ix.lat, ix.lon)
    # One Earth radius (routecore.geo) for the constellation and the distance: only rounding.
    assert (schools.loc[ok, "min_latency_ms"] >= d / C_KM_PER_MS * (1 - 1e-12)).all()
    assert (schools.loc[ok, "median_latency_ms"] >= schools.loc[ok, "min_latency_ms"]).all()
    assert (schools.loc[ok, "p95_latency_ms"] >= schools.loc[ok, "median_latency_ms"] - TOL).all()


@pytest.mark.parametrize(
    "which", ["starlink-shell1", "starlink-shell1-bent-pipe", "oneweb", "oneweb-55"]
)
def test_school_latency_matches_an_independent_oracle(small_net: Network, which: str) -> None:
    """Every preset reading (lasers or bent pipe; 35 or 55 degrees) against the oracle."""
    constellation = cs.PRESETS[which]
    t = 600.0
    res = school_connectivity(small_net, {which: constellation}, [t])
    for policy, allowed in (
        ("home", {"kokterek", "akkol"}),
        ("any", {"kokterek", "akkol", "baku-gw", "tbilisi-gw"}),
    ):
        expected = school_latency(small_net, constellation, t, allowed)
        got = res[res["policy"] == policy].set_index("school")["min_latency_ms"].fillna(math.inf)
        for school, value in expected.items():
            if math.isinf(value):
                assert math.isinf(got[school]), school
            else:
                assert got[school] == pytest.approx(value, rel=1e-9), school


@pytest.mark.parametrize("policy", ["home", "abroad"])
def test_school_routes_respect_the_policy(
    small_net: Network, schools: pd.DataFrame, policy: str
) -> None:
    """The full path of sampled schools: gateways of the right country, satellites as relays,
    and the latency the table reports."""
    from routecore.analyses import school_route

    nodes = small_net.nodes.set_index("id")
    res = school_connectivity(small_net, {"oneweb": cs.ONEWEB}, [TIMES[0]], policies=[policy])
    table = res.set_index("school")
    for school in list(table.index[:: max(1, len(table) // 12)]):
        route = school_route(small_net, cs.ONEWEB, TIMES[0], school, policy=policy)
        if route is None:
            assert np.isnan(table.loc[school, "min_latency_ms"])
            continue
        assert route.nodes[0] == school and route.nodes[-1] == "almaty-ix"
        assert route.latency_ms == pytest.approx(table.loc[school, "min_latency_ms"], rel=1e-9)
        ground = [n for n in route.nodes if not n.startswith("sat:")]
        kinds = nodes.loc[ground, "kind"]
        gws = list(kinds.index[kinds == "gateway"])
        assert len(gws) == 1, route.nodes  # exactly one gateway, never a relay
        assert gws[0] == table.loc[school, "gateway"]
        home = nodes.loc[gws[0], "country"] == "KZ"
        assert home if policy == "home" else not home
        # Nothing but satellites between the school and the gateway.
        k = route.nodes.index(gws[0])
        assert all(n.startswith("sat:") for n in route.nodes[1:k])
        assert (kinds.drop(index=[school, gws[0]]) != "terminal").all()
        assert route.links[0] == "user_link" and route.links[k - 1] == "feeder"
