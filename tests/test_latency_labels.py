"""Latencies say what they are: one-way propagation, with round trips beside them, and the
processing / scheduling delays a scenario declares ([delays]) added to the round trips only."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable

import numpy as np
import pytest

from routecore import ScenarioError
from routecore import constellation as cs
from routecore.analyses import (
    delay_assumptions,
    failure_sweep,
    gateway_siting,
    school_connectivity,
    transit_capacity,
)
from routecore.scenario import Network

DELAYS = {
    "assumption": "A-delay",
    "per_hop_ms": 0.25,
    "per_system_ms": {"OneWeb": 12.0, "Starlink shell 1": 8.0},
}


def _with_delays(base: Network, delays: object = DELAYS) -> Network:
    meta = copy.deepcopy(base.meta)
    meta["delays"] = delays
    meta.setdefault("assumptions", []).append(
        {"id": "A-delay", "subject": "processing", "value": "test figures", "basis": "test"}
    )
    return Network(base.nodes, base.links, meta)


@pytest.fixture(scope="module")
def small(thin_schools: Callable[[int], Network]) -> Network:
    return thin_schools(40)


def test_no_delays_declared_means_rtt_is_twice_the_propagation(small: Network) -> None:
    res = school_connectivity(small, {"OneWeb": cs.ONEWEB}, [0.0], policies=("any",))
    ok = res["median_latency_ms"].notna()
    assert ok.any()
    np.testing.assert_array_equal(
        res.loc[ok, "median_one_way_propagation_ms"], res.loc[ok, "median_latency_ms"]
    )
    np.testing.assert_allclose(res.loc[ok, "median_rtt_ms"], 2 * res.loc[ok, "median_latency_ms"])
    np.testing.assert_allclose(res.loc[ok, "p95_rtt_ms"], 2 * res.loc[ok, "p95_latency_ms"])


def test_declared_delays_are_added_to_round_trips_only(small: Network) -> None:
    net = _with_delays(small)
    systems = {"OneWeb": cs.ONEWEB, "Starlink shell 1": cs.STARLINK_SHELL1}
    plain = school_connectivity(small, systems, [0.0], policies=("any",))
    res = school_connectivity(net, systems, [0.0], policies=("any",))
    # One-way propagation does not change; the round trip gains 2 x the system's delay.
    np.testing.assert_array_equal(res["median_latency_ms"], plain["median_latency_ms"])
    for name, extra in DELAYS["per_system_ms"].items():  # type: ignore[attr-defined]
        rows = res[(res["constellation"] == name) & res["median_latency_ms"].notna()]
        assert len(rows)
        np.testing.assert_allclose(
            rows["median_rtt_ms"], 2 * (rows["median_latency_ms"] + extra), rtol=1e-12
        )
        np.testing.assert_allclose(
            rows["median_propagation_rtt_ms"], 2 * rows["median_latency_ms"], rtol=1e-12
        )
    sites = gateway_siting(net, {"OneWeb": cs.ONEWEB}, [0.0], candidates=["akkol"])
    np.testing.assert_allclose(sites["median_rtt_ms"], 2 * (sites["median_latency_ms"] + 12.0))


def test_transit_round_trips_count_the_hops_of_each_route(net: Network) -> None:
    res = transit_capacity(_with_delays(net))
    routes = res.routes[res.routes["route"].map(len) > 0]
    hops = routes["route"].map(len) - 1
    np.testing.assert_array_equal(routes["hops"], hops)
    np.testing.assert_allclose(routes["rtt_ms"], 2 * (routes["latency_ms"] + 0.25 * hops))
    np.testing.assert_allclose(routes["propagation_rtt_ms"], 2 * routes["latency_ms"])
    np.testing.assert_array_equal(routes["one_way_propagation_ms"], routes["latency_ms"])
    for _, case in res.cases.iterrows():
        assert case["best_propagation_rtt_ms"] == 2 * case["best_latency_ms"]
        assert case["best_rtt_ms"] > case["best_propagation_rtt_ms"]
    sweep = failure_sweep(net, links=["tcfo"])
    np.testing.assert_array_equal(sweep["propagation_rtt_ms"], 2 * sweep["latency_ms"])
    np.testing.assert_array_equal(sweep["one_way_propagation_ms"], sweep["latency_ms"])


@pytest.mark.parametrize(
    ("delays", "words"),
    [
        ({**DELAYS, "per_hop_ms": -1.0}, "delays.per_hop_ms"),
        ({**DELAYS, "per_hop_ms": float("nan")}, "delays.per_hop_ms"),
        ({**DELAYS, "per_system_ms": {"OneWeb": "fast"}}, "delays.per_system_ms.OneWeb"),
        ({**DELAYS, "per_hop": 1.0}, "delays.per_hop"),
        ({**DELAYS, "assumption": "nope"}, "delays.assumption"),
        ({"per_hop_ms": 1.0}, "delays.assumption"),
        ([1.0], "'delays': must be a table"),
    ],
)
def test_bad_delays_are_refused_naming_the_key(small: Network, delays: object, words: str) -> None:
    with pytest.raises(ScenarioError, match=words.replace(".", r"\.")):
        delay_assumptions(_with_delays(small, delays))


def test_demo_tables_and_json_say_one_way_propagation_and_rtt() -> None:
    from rich.console import Console

    from routecore.cli.demo import compute_demo, scenario_summary
    from routecore.cli.render_demo import print_demo_stage

    console = Console(file=io.StringIO(), width=100)
    result = compute_demo(
        "central-asia", steps=1, on_stage=lambda s, r: print_demo_stage(console, s, r)
    )
    text = console.file.getvalue()  # type: ignore[attr-defined]
    for words in ("one-way\npropagation", "RTT", "+ms one-way", "ms one-way propagation"):
        assert words.split("\n")[0] in text, words
    summary = result.school_summary
    assert summary is not None
    np.testing.assert_allclose(summary["median_rtt_ms"], 2 * summary["median_latency_ms"])
    np.testing.assert_array_equal(
        summary["median_one_way_propagation_ms"], summary["median_latency_ms"]
    )
    doc = scenario_summary(result.net)
    assert "one-way propagation" in doc["latency"]["basis"]
    assert doc["latency"]["declared_delays"]["per_hop_ms"] == 0.0
