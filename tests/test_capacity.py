"""school_capacity: carried traffic, fair share, bottleneck and latency under load, checked
against networkx / OR-Tools on the same snapshot network, and the in-country law on every leg."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import routecore as rc
from routecore import analyses
from routecore import constellation as cs
from routecore.analyses._capacity_graph import EdgeKind, flow_weighted_latency, integer_capacity
from routecore.errors import ConstellationError, ScenarioError
from routecore.scenario import Network, capacity_settings, with_terminals

from .oracles import networkx_multi_sink_max_flow, ortools_min_cost_max_flow

PRESETS = [cs.ONEWEB, cs.STARLINK_SHELL1_BENT_PIPE, cs.STARLINK_SHELL1]


@pytest.fixture(scope="module")
def small(thin_schools: Callable[[int], Network]) -> Network:
    """Every 20th school of the shipped scenario (100 schools)."""
    return thin_schools(20)


def _adversarial(home_backhaul_gbps: float = 0.01) -> Network:
    """Schools and a home gateway near Almaty. The gateway's only big route to the exchange
    runs through a foreign PoP; its in-country route is a thin link."""
    nodes = pd.DataFrame(
        {
            "id": ["gw", "ix", "foreign", "s1", "s2", "s3"],
            "name": ["Home GW", "IX", "Foreign PoP", "S1", "S2", "S3"],
            "kind": ["gateway", "ixp", "pop", "terminal", "terminal", "terminal"],
            "country": ["KZ", "KZ", "KG", "KZ", "KZ", "KZ"],
            "lat": [43.4, 43.25, 42.87, 43.6, 43.0, 43.9],
            "lon": [77.0, 76.9, 74.6, 77.5, 76.5, 76.8],
        }
    )
    links = pd.DataFrame(
        {
            "id": ["thin", "out", "back"],
            "a": ["gw", "gw", "foreign"],
            "b": ["ix", "foreign", "ix"],
            "medium": ["fiber"] * 3,
            "length_km": [40.0, 300.0, 300.0],
            "capacity_gbps": [home_backhaul_gbps, 1000.0, 1000.0],
        }
    )
    meta = {
        "name": "adversarial",
        "analysis": {"home_country": "KZ", "internet_exchanges": ["ix"]},
        "capacity": {"school_demand_mbps": 100.0},
    }
    return Network(nodes, links, meta)


# ------------------------------------------------------------------------- oracles
@pytest.mark.parametrize("constellation", PRESETS, ids=lambda c: c.name)
@pytest.mark.parametrize("policy", ["home", "any", "abroad"])
def test_carried_equals_networkx_max_flow(small: Network, constellation, policy: str) -> None:
    t = 300.0
    res = analyses.school_capacity(
        small, [constellation], [t], policies=(policy,), fair_share=False, latency=False
    )
    net = analyses.capacity_network(small, constellation, t, policy=policy)
    g = net.graph
    expect = networkx_multi_sink_max_flow(g.src, g.dst, net.capacity, net.super_source, net.sinks)
    got = float(res.steps["carried_gbps"].iat[0])
    assert got == pytest.approx(expect, rel=1e-9, abs=1e-9)
    assert got <= float(res.steps["demand_gbps"].iat[0]) * (1 + 1e-12)


@pytest.mark.parametrize(
    "constellation",
    [
        cs.ONEWEB,
        cs.STARLINK_SHELL1,
        # Satellites so small that the shortest paths do not fit: the min-cost flow runs.
        dataclasses.replace(cs.STARLINK_SHELL1, satellite_capacity_gbps=0.05),
        dataclasses.replace(cs.ONEWEB, satellite_capacity_gbps=0.03),
    ],
    ids=["oneweb", "starlink", "starlink-tight", "oneweb-tight"],
)
def test_latency_under_load_is_the_min_cost_flow(small: Network, constellation) -> None:
    """The routed traffic's total latency equals OR-Tools' min-cost max-flow on the same
    network (capacities in whole kbit/s, latency in fixed-point ns), whether the shortest
    paths fit (no min-cost flow needed) or not."""
    t = 120.0
    res = analyses.school_capacity(
        small, [constellation], [t], policies=("any",), fair_share=False, latency=True
    )
    net = analyses.capacity_network(small, constellation, t, policy="any")
    g = net.graph
    caps = integer_capacity(net.capacity)
    ns = np.rint(net.cost * 1e6).astype(np.int64)  # ms -> ns, integer
    value, cost_ns = ortools_min_cost_max_flow(g.src, g.dst, caps, ns, net.super_source, net.sinks)
    row = res.steps.iloc[0]
    assert row["routed_gbps"] * 1e6 == pytest.approx(value, abs=0.5)
    ours_ms = row["loaded_one_way_propagation_ms"] * value
    # ns rounding: at most 0.5 ns per unit of flow per edge on a path of a few dozen edges.
    assert ours_ms == pytest.approx(cost_ns / 1e6, rel=1e-6)
    # Loaded latency never beats the unloaded shortest path, school by school.
    one = res.schools
    both = one.dropna(subset=["loaded_one_way_propagation_ms"])
    assert (
        both["loaded_one_way_propagation_ms"] >= both["unloaded_one_way_propagation_ms"] - 1e-9
    ).all()
    assert np.allclose(
        one["loaded_propagation_rtt_ms"], 2 * one["loaded_one_way_propagation_ms"], equal_nan=True
    )


@pytest.mark.parametrize("policy", ["home", "any"])
def test_unloaded_latency_is_school_connectivity(small: Network, policy: str) -> None:
    res = analyses.school_capacity(
        small, [cs.ONEWEB], [600.0], policies=(policy,), fair_share=False
    )
    conn = analyses.school_connectivity(small, [cs.ONEWEB], [600.0], policies=(policy,))
    ours = res.schools.set_index("school")["unloaded_one_way_propagation_ms"]
    theirs = conn.set_index("school")["min_latency_ms"]
    np.testing.assert_allclose(ours.loc[theirs.index], theirs, rtol=1e-12, equal_nan=True)


# ------------------------------------------------------------------------- the law
def test_home_policy_never_leaves_the_country() -> None:
    net = _adversarial()
    res = analyses.school_capacity(
        net, [cs.STARLINK_SHELL1], [0.0], policies=("home", "any"), fair_share=False
    )
    carried = res.steps.set_index("policy")["carried_gbps"]
    assert carried["any"] > 0.05  # the foreign route carries more...
    assert carried["home"] == pytest.approx(0.01)  # ...but home gets only the thin link
    assert res.steps.set_index("policy").loc["home", "bottleneck"] == "ground backhaul thin"
    home = analyses.capacity_network(net, cs.STARLINK_SHELL1, 0.0, policy="home")
    country = net.column("nodes", "country")
    g = home.graph
    foreign = np.flatnonzero(country != "KZ")
    touches = np.isin(g.src, foreign) | np.isin(g.dst, foreign)
    assert touches.any() and (home.capacity[touches] == 0).all()  # closed, on every leg
    flow = rc.max_flow(g, home.super_source, home.sinks, capacity=home.capacity)
    assert flow.value == pytest.approx(0.01)
    assert not (flow.edge_flow[touches] != 0).any()
    # Without the policy's capacities the same graph would use the foreign route.
    assert rc.max_flow(g, home.super_source, home.sinks).value > 0.05


def test_abroad_uses_only_foreign_gateways(small: Network) -> None:
    net = analyses.capacity_network(small, cs.ONEWEB, 0.0, policy="abroad")
    kind = small.column("nodes", "kind")
    country = small.column("nodes", "country")
    gateways = np.flatnonzero(kind == "gateway")
    feeders = (net.kind == EdgeKind.FEEDER) & (net.capacity > 0)
    used = gateways[np.unique(net.owner[feeders])]
    assert used.size and (country[used] != "KZ").all()


# ------------------------------------------------------------------------- node splitting
def test_satellite_capacity_is_a_node_capacity(small: Network) -> None:
    tight = dataclasses.replace(cs.STARLINK_SHELL1, satellite_capacity_gbps=0.03)
    net = analyses.capacity_network(small, tight, 0.0, policy="any")
    g = net.graph
    flow = rc.max_flow(g, net.super_source, net.sinks, capacity=net.capacity)
    user = net.kind == EdgeKind.USER_LINK
    per_sat = np.bincount(
        net.owner[user], weights=flow.edge_flow[user], minlength=tight.num_satellites
    )
    assert per_sat.max() <= 0.03 * (1 + 1e-9)
    res = analyses.school_capacity(small, [tight], [0.0], policies=("any",), fair_share=False)
    assert res.steps["bottleneck"].iat[0].startswith("satellite user capacity over ")
    assert res.steps["carried_gbps"].iat[0] == pytest.approx(flow.value)


def test_gateway_antennas_cap_the_gateway(small: Network) -> None:
    """antennas x one feeder link, from the scenario and from a sensitivity variant."""
    assert capacity_settings(small).antennas["kokterek"] == 8
    gateways = small.column("nodes", "id")[small.column("nodes", "kind") == "gateway"].tolist()
    k = gateways.index("kokterek")
    for scenario, count in ((small, 8), (small.variant("kokterek-4-antennas"), 4)):
        net = analyses.capacity_network(scenario, cs.ONEWEB, 0.0, policy="home", demand_mbps=1e4)
        ant = (net.kind == EdgeKind.ANTENNAS) & (net.owner == k)
        assert net.capacity[ant].tolist() == [pytest.approx(count * 7.2)]


# ------------------------------------------------------------------------- demand
def test_per_school_demand_column(net: Network) -> None:
    mine = pd.DataFrame(
        {"id": ["a", "b"], "lat": [43.3, 51.0], "lon": [77.2, 71.0], "demand_mbps": [50.0, np.nan]}
    )
    two = with_terminals(net, mine, country="KZ")
    res = analyses.school_capacity(two, [cs.ONEWEB], [0.0], policies=("any",), fair_share=False)
    assert res.steps["demand_gbps"].iat[0] == pytest.approx(0.07)  # 50 + the default 20
    assert res.schools["demand_mbps"].tolist() == [50.0, 20.0]
    res = analyses.school_capacity(
        two, [cs.ONEWEB], [0.0], policies=("any",), demand_mbps=5.0, fair_share=False
    )
    assert res.schools["demand_mbps"].tolist() == [50.0, 5.0]


# ------------------------------------------------------------------------- runs anywhere
def test_executor_gives_identical_tables(small: Network) -> None:
    kw = {"policies": ("home", "any"), "fair_share": False}
    times = [0.0, 400.0, 800.0]
    here = analyses.school_capacity(small, [cs.ONEWEB], times, threads=1, **kw)
    with ThreadPoolExecutor(2) as pool:
        there = analyses.school_capacity(small, [cs.ONEWEB], times, executor=pool, **kw)
    for a, b in ((here.steps, there.steps), (here.schools, there.schools)):
        pd.testing.assert_frame_equal(a, b)
    seen: list[tuple[int, int]] = []
    analyses.school_capacity(
        small, [cs.ONEWEB], times, progress=lambda d, t: seen.append((d, t)), **kw
    )
    assert seen[-1] == (3, 3) and not here.partial


def test_ctrl_c_returns_partial_tables(small: Network) -> None:
    def stop(done: int, total: int) -> None:
        if done >= 1:
            raise KeyboardInterrupt

    res = analyses.school_capacity(
        small,
        [cs.ONEWEB],
        [0.0, 300.0, 600.0],
        fair_share=False,
        latency=False,
        progress=stop,
        threads=1,
    )
    assert res.partial and 1 <= len(res.steps) // 2 < 3
    done = res.steps.attrs["steps_done"]["oneweb"]
    assert res.steps.attrs["partial"] and len(res.steps) == 2 * done
    assert res.schools.attrs["times_done"]["oneweb"] == sorted(set(res.steps["t_s"]))


# ------------------------------------------------------------------------- bad input
def test_bad_input_raises_clear_errors(small: Network) -> None:
    with pytest.raises(ValueError, match=r"policies must be drawn from .*'nowhere'"):
        analyses.school_capacity(small, [cs.ONEWEB], [0.0], policies=("nowhere",))
    with pytest.raises(ValueError, match=r"demand_mbps = -1.0 must be finite and >= 0"):
        analyses.school_capacity(small, [cs.ONEWEB], [0.0], demand_mbps=-1.0)
    with pytest.raises(ValueError, match="demand_mbps must be a number"):
        analyses.school_capacity(small, [cs.ONEWEB], [0.0], demand_mbps="lots")  # type: ignore[arg-type]
    nodes = small.nodes
    nodes["demand_mbps"] = ""
    first = int(np.flatnonzero(nodes["kind"] == "terminal")[0])
    nodes.loc[first, "demand_mbps"] = "-3"
    bad = Network(nodes, small.links, small.meta)
    school = nodes["id"].iat[first]
    with pytest.raises(ScenarioError, match=rf"node '{school}': demand_mbps = '-3' must be"):
        analyses.school_capacity(bad, [cs.ONEWEB], [0.0])
    with pytest.raises(ConstellationError, match="satellite_capacity_gbps"):
        dataclasses.replace(cs.ONEWEB, satellite_capacity_gbps=-1.0)


def test_bad_capacity_tables_name_the_key(small: Network) -> None:
    meta = small.meta
    meta["capacity"]["gateways"]["kokterek"]["antenas"] = 4
    with pytest.raises(ScenarioError, match=r"capacity\.gateways\.kokterek\.antenas.*'antennas'"):
        Network(small.nodes, small.links, meta)
    meta = small.meta
    meta["capacity"]["gateways"]["kokterek"]["antennas"] = -2
    with pytest.raises(ScenarioError, match=r"antennas = -2 must be an integer >= 0"):
        Network(small.nodes, small.links, meta)
    meta = small.meta
    meta["capacity"]["gateways"]["almaty"] = {"antennas": 2}
    with pytest.raises(ScenarioError, match="'almaty' is a pop, not a gateway"):
        analyses.school_capacity(Network(small.nodes, small.links, meta), [cs.ONEWEB], [0.0])


def test_shipped_capacity_figures_cite_sources(net: Network) -> None:
    meta = net.meta
    ids = {s["id"] for s in meta["sources"]} | {a["id"] for a in meta["assumptions"]}
    cap = meta["capacity"]
    assert set(cap["source"].split(";")) <= ids
    for spec in cap["gateways"].values():
        assert set(spec["source"].split(";")) <= ids
    for name in ("kokterek-4-antennas", "kokterek-16-antennas"):
        assert name in net.variant_names
    for c in cs.PRESETS.values():
        assert c.satellite_capacity_gbps is not None
        assert "satellite" in c.sources.lower() or any("Satellite" in a for a in c.assumptions)


# ------------------------------------------------------------------------- fair share
@pytest.mark.parametrize("constellation", [cs.ONEWEB, cs.STARLINK_SHELL1], ids=lambda c: c.name)
def test_fair_share_is_a_maximum_flow_within_demand(small: Network, constellation) -> None:
    """Max-min fair rates of a single-commodity network are a maximum flow (polymatroid), each
    at most its demand; the step's figures are read off them."""
    tight = dataclasses.replace(constellation, satellite_capacity_gbps=0.05)
    res = analyses.school_capacity(small, [tight], [0.0, 900.0], policies=("home", "abroad"))
    for (_, step), (_, rows) in zip(
        res.steps.iterrows(), res.schools.groupby(["policy", "t_s"], sort=False), strict=True
    ):
        rate = rows["fair_rate_mbps"].to_numpy()
        demand = rows["demand_mbps"].to_numpy()
        assert (rate >= -1e-9).all() and (rate <= demand * (1 + 1e-9)).all()
        assert rate.sum() / 1000 == pytest.approx(step["carried_gbps"], rel=1e-7, abs=1e-9)
        assert step["guaranteed_mbps"] == pytest.approx(rate.min())
        assert step["schools_full_demand"] == int((rows["full_demand"]).sum())
        # The fair rates are routed: every school with a rate has a loaded latency.
        served = rate > 1e-3
        assert rows["loaded_one_way_propagation_ms"].to_numpy()[served].min() > 0
    assert set(res.summary["policy"]) == {"home", "abroad"}


# ------------------------------------------------------------------------- command line
def test_cli_capacity_json_and_csv(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from routecore.cli import main

    csv_path = tmp_path / "s.csv"
    argv = ["capacity", "--steps", "1", "-c", "oneweb", "--policy", "home", "--json"]
    assert main([*argv, "--schools-csv", str(csv_path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    (row,) = doc["summary"]
    schools = pd.read_csv(csv_path)
    assert len(schools) == 2000
    # One step: the summary's carried traffic is what the schools' fair rates add up to, at
    # most the 2,000 x 20 Mbit/s demanded (OneWeb's 450 Mbit/s beams bind in a few cells).
    carried = row["carried_gbps_mean"]
    assert row["policy"] == "home" and 0 < carried <= 40.0 + 1e-9
    assert schools["fair_rate_mbps"].sum() / 1000 == pytest.approx(carried, rel=1e-9)
    assert doc["assumptions"] and doc["times_s"] == [0.0]
    assert main(["capacity", "-c", "nosuch", "--steps", "1"]) == 2
    assert "unknown constellation 'nosuch'" in capsys.readouterr().err
    assert main(["capacity", "--steps", "1", "--demand-mbps", "-5"]) == 2
    assert "--demand-mbps must be a finite number >= 0" in capsys.readouterr().err


def test_flow_weighted_latency_adds_up_to_the_flow_cost(small: Network) -> None:
    """Per school, the flow-weighted latency times the school's flow sums to the min-cost
    flow's total cost, and no school's figure beats its shortest path."""
    tight = dataclasses.replace(cs.STARLINK_SHELL1, satellite_capacity_gbps=0.05)
    net = analyses.capacity_network(small, tight, 60.0, policy="any")
    caps = integer_capacity(net.capacity)
    flow = rc.min_cost_flow(net.graph, sources=net.super_source, sinks=net.sinks, capacity=caps)
    assert flow.status == "optimal" and flow.value > 0
    per_school = flow_weighted_latency(net, flow.edge_flow)
    demand = net.kind == EdgeKind.DEMAND
    sent = np.zeros(net.schools.size)
    sent[net.owner[demand]] = flow.edge_flow[demand]
    assert np.nansum(per_school * sent) == pytest.approx(flow.cost, rel=1e-9)
    dist = rc.nearest_source(net.graph, net.sinks, reverse=True, forbidden_edges=caps <= 0)[0]
    served = sent > 0
    assert (per_school[served] >= dist[net.schools][served] - 1e-9).all()
    assert np.isnan(per_school[~served]).all()


@pytest.mark.parametrize("fair_share", [True, False])
def test_gateway_table_adds_up_to_the_carried_traffic(net: Network, fair_share: bool) -> None:
    # 200 Mbit/s x 2,000 schools: at home the gateways' feeder links are the bottleneck.
    small = net
    res = analyses.school_capacity(
        small,
        [cs.STARLINK_SHELL1],
        [0.0, 600.0],
        policies=("home", "any"),
        demand_mbps=200.0,
        fair_share=fair_share,
        latency=False,
    )
    gw = res.gateways
    total = gw.groupby(["policy", "t_s"], sort=False)["carried_gbps"].sum().to_numpy()
    np.testing.assert_allclose(total, res.steps["carried_gbps"], rtol=1e-9)
    assert (gw["carried_gbps"] <= gw["capacity_gbps"] * (1 + 1e-9) + 1e-9).all()
    # The home policy closes the foreign gateways; a gateway named in the bottleneck is full.
    country = dict(zip(small.nodes["id"], small.nodes["country"], strict=True))
    foreign = (gw["policy"] == "home") & (gw["gateway"].map(country) != "KZ")
    assert (gw.loc[foreign, "carried_gbps"] == 0).all() and foreign.any()
    names = dict(zip(small.nodes["id"], small.nodes["name"], strict=True))
    full = 0
    for (policy, t), rows in gw.groupby(["policy", "t_s"]):
        step = res.steps[(res.steps["policy"] == policy) & (res.steps["t_s"] == t)].iloc[0]
        for _, row in rows.iterrows():
            if f"{names[row['gateway']]} feeder links" in step["bottleneck"]:
                assert row["saturation"] == pytest.approx(1.0)
                full += 1
    assert full > 0
