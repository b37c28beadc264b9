"""school_capacity merges schools identical at a step (same satellites, same demand under every
policy, no ground link) for the maximum flow and the fair share (analyses._capacity_groups):
its tables equal those of the plain network, on the shipped scenario with a demand that binds
and on generated ones (mixed demands, tight satellites, a school with a ground link)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from routecore import analyses
from routecore import constellation as cs
from routecore.analyses import _capacity_groups, _capacity_model
from routecore.analyses._capacity_graph import beam_cells
from routecore.analyses._capacity_groups import school_groups
from routecore.scenario import Network

POLICIES = ("home", "any", "abroad")


def _run(monkeypatch: pytest.MonkeyPatch, merge: bool, *args: Any, **kwargs: Any) -> Any:
    monkeypatch.setattr(_capacity_model, "MERGE_IDENTICAL_SCHOOLS", merge)
    return analyses.school_capacity(*args, policies=POLICIES, threads=1, **kwargs)


def _assert_same(plain: Any, merged: Any) -> None:
    for name in ("steps", "schools", "summary"):
        a, b = getattr(plain, name), getattr(merged, name)
        assert list(a.columns) == list(b.columns) and len(a) == len(b)
        numbers = a.select_dtypes("number").columns
        np.testing.assert_allclose(
            b[numbers].to_numpy(float), a[numbers].to_numpy(float), rtol=1e-12, atol=1e-9
        )
        pd.testing.assert_frame_equal(a.drop(columns=numbers), b.drop(columns=numbers))
    # Gateways: the same capacities and total; the split of a maximum flow is not unique.
    ga, gb = plain.gateways, merged.gateways
    assert ga[["constellation", "policy", "t_s", "gateway"]].equals(
        gb[["constellation", "policy", "t_s", "gateway"]]
    )
    np.testing.assert_allclose(gb["capacity_gbps"], ga["capacity_gbps"], rtol=1e-12)
    keys = ["constellation", "policy", "t_s"]
    np.testing.assert_allclose(
        gb.groupby(keys, sort=False)["carried_gbps"].sum(),
        ga.groupby(keys, sort=False)["carried_gbps"].sum(),
        rtol=1e-9,
        atol=1e-9,
    )


def test_merged_equals_plain_on_the_shipped_scenario(
    net: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 200 Mbit/s per school: 400 Gbit/s demanded, cuts at the gateways bind (issue 12).
    systems = {"starlink-shell1": cs.STARLINK_SHELL1, "oneweb": cs.ONEWEB}
    times = np.array([0.0, 1800.0])
    plain = _run(monkeypatch, False, net, systems, times, demand_mbps=200.0, latency=False)
    merged = _run(monkeypatch, True, net, systems, times, demand_mbps=200.0, latency=False)
    _assert_same(plain, merged)
    assert (plain.steps["carried_share"] < 0.5).any()  # the demand binds somewhere


def _generated(base: Network, seed: int) -> Network:
    """``base`` with per-school demands drawn from three values and one school joined to the
    Almaty PoP by a ground link (so it must stay apart)."""
    rng = np.random.default_rng(seed)
    nodes = base.nodes.copy()
    school = (nodes["kind"] == "terminal").to_numpy()
    nodes["demand_mbps"] = np.where(school, rng.choice([10.0, 20.0, 50.0], len(nodes)), np.nan)
    first = str(nodes.loc[school, "id"].iat[0])
    link = pd.DataFrame(
        {
            "id": ["school-almaty"],
            "a": [first],
            "b": ["almaty"],
            "medium": ["fiber"],
            "length_km": [3000.0],  # longer than any distance in Kazakhstan
            "capacity_gbps": [0.01],
        }
    )
    return Network(nodes, pd.concat([base.links, link], ignore_index=True), base.meta)


@pytest.mark.parametrize("seed", [0, 1])
def test_merged_equals_plain_on_generated_scenarios(
    thin_schools: Callable[[int], Network], monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    scenario = _generated(thin_schools(10), seed)
    tight = dataclasses.replace(
        cs.STARLINK_SHELL1, name="tight", satellite_capacity_gbps=0.3, isl_capacity_gbps=0.5
    )
    systems = {"tight": tight, "oneweb": cs.ONEWEB}
    times = np.array([60.0 * seed, 900.0])
    plain = _run(monkeypatch, False, scenario, systems, times, demand_mbps=100.0)
    merged = _run(monkeypatch, True, scenario, systems, times, demand_mbps=100.0)
    _assert_same(plain, merged)
    assert (plain.steps["guaranteed_mbps"] < 10.0).any()  # fair levels below every demand


@pytest.mark.parametrize("beams", [False, True])
def test_groups_merge_identical_schools_only(
    thin_schools: Callable[[int], Network], beams: bool
) -> None:
    scenario = _generated(thin_schools(10), 0)
    system = cs.ONEWEB
    if not beams:
        system = dataclasses.replace(system, beam_capacity_gbps=None, beam_cell_km=None)
    step = analyses.capacity_network(scenario, system, 0.0, policy="any")
    demand = np.asarray(step.capacity[: step.schools.size])  # any per-school vector will do
    groups = school_groups(step, demand[None, :])
    n_s = step.schools.size
    assert groups.count.sum() == n_s and groups.count.size < n_s * (0.8 if beams else 0.5)
    # The school with a ground link is alone; members of a group share satellites (the
    # satellites' user sides, or with beams the beam nodes: satellite and cell) and demand.
    assert groups.count[groups.group[0]] == 1
    user = step.kind == 1
    heads = {
        s: frozenset(step.graph.dst[user & (step.graph.src == step.schools[s])].tolist())
        for s in range(n_s)
    }
    lat = scenario.column("nodes", "lat")[step.schools]
    lon = scenario.column("nodes", "lon")[step.schools]
    cell = beam_cells(lat, lon, cs.ONEWEB.beam_cell_km or 0.0)
    for g in range(groups.count.size):
        members = np.flatnonzero(groups.group == g)
        assert len({heads[s] for s in members}) == 1
        assert np.unique(demand[members]).size == 1
        if any(h > step.super_source for h in heads[members[0]]):  # a beam node
            assert np.unique(cell[members]).size == 1


def test_row_grouping_is_exact_even_when_hashes_collide(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    key = rng.integers(-1, 3, size=(500, 4))
    _, _, expect = np.unique(key, axis=0, return_index=True, return_inverse=True)
    for mix in (_capacity_groups._MIX, np.zeros(64, dtype=np.int64)):  # zeros: all collide
        monkeypatch.setattr(_capacity_groups, "_MIX", mix)
        group, first = _capacity_groups._rows_grouped(key)
        assert np.array_equal(key, key[first[group]])  # every row equals its group's first
        # Same partition as np.unique: rows share a group exactly when they are equal.
        pairs = {(int(g), int(e)) for g, e in zip(group, expect.reshape(-1), strict=True)}
        assert len(pairs) == len(set(group.tolist())) == len(set(expect.reshape(-1).tolist()))
