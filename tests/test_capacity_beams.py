"""Per-beam capacity in the capacity analyses: the beam cells (great-circle bound), and the
beams' limit checked against a count made from the beamless network (each (satellite, cell)
pair some school uses towards an exchange is one beam)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse.csgraph import breadth_first_order

import routecore as rc
from routecore import analyses
from routecore import constellation as cs
from routecore.analyses import _capacity_graph
from routecore.analyses._capacity_graph import EdgeKind, StepNetwork, beam_cells
from routecore.errors import ConstellationError
from routecore.geo import great_circle_km
from routecore.scenario import Network

latitudes = st.floats(-80.0, 80.0, allow_nan=False)
longitudes = st.floats(-180.0, 179.999, allow_nan=False)


@given(latitudes, longitudes, latitudes, longitudes, st.sampled_from([24.0, 100.0, 322.0]))
def test_points_of_one_cell_are_within_its_diagonal(
    lat1: float, lon1: float, lat2: float, lon2: float, cell_km: float
) -> None:
    cells = beam_cells(np.array([lat1, lat2]), np.array([lon1, lon2]), cell_km)
    assert (cells >= 0).all()
    if cells[0] == cells[1]:
        # A cell is cell_km tall and cell_km wide on its middle parallel, a little wider on
        # its edge nearer the equator.
        stretch = 1.0 + 2.0 * cell_km / 6371.0 * (1.0 + math.tan(math.radians(80.0)))
        diagonal = math.hypot(cell_km, cell_km * stretch)
        assert great_circle_km(lat1, lon1, lat2, lon2) <= diagonal * (1 + 1e-9)


def test_nearby_points_share_a_cell_far_points_do_not() -> None:
    lat = np.array([51.0, 51.01, 51.0, 43.0])
    lon = np.array([71.0, 71.01, 75.0, 71.0])
    cells = beam_cells(lat, lon, 24.0)
    assert cells[2] != cells[0] != cells[3]
    # 1 km apart: the same cell unless a cell border runs between them (then neighbours).
    assert cells[0] == cells[1] or abs(int(cells[0]) - int(cells[1])) in (1, cells.max())


def _reaching(net: StepNetwork) -> np.ndarray:
    """Per node, whether it reaches an exchange along edges with capacity."""
    g, n = net.graph, net.graph.num_nodes
    keep = net.capacity > 0
    # Edges reversed, plus a hub joined to every sink: one search from the hub.
    rows = np.concatenate([g.dst[keep], np.full(net.sinks.size, n)])
    cols = np.concatenate([g.src[keep], net.sinks])
    adj = sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(n + 1, n + 1))
    reach = np.zeros(n + 1, dtype=bool)
    reach[breadth_first_order(adj, n, return_predecessors=False)] = True
    return reach[:n]


@pytest.mark.parametrize(("name", "t_s"), [("oneweb", 0.0), ("starlink", 600.0)])
def test_tiny_beams_bind_one_beam_per_satellite_and_cell(
    thin_schools: Callable[[int], Network], name: str, t_s: float
) -> None:
    scenario = thin_schools(5)
    base = cs.ONEWEB if name == "oneweb" else cs.STARLINK_SHELL1_BENT_PIPE
    beamless = dataclasses.replace(base, beam_capacity_gbps=None, beam_cell_km=None)
    tiny = dataclasses.replace(base, beam_capacity_gbps=1e-4)
    plain = analyses.capacity_network(scenario, beamless, t_s, policy="any", demand_mbps=1e4)
    beamed = analyses.capacity_network(scenario, tiny, t_s, policy="any", demand_mbps=1e4)
    # Expected, from the beamless network: the (satellite, cell) pairs of the user links that
    # start at a school and end at a satellite that reaches an exchange.
    user = plain.kind == EdgeKind.USER_LINK
    reach = _reaching(plain)
    useful = user & reach[plain.graph.dst]
    lat = scenario.column("nodes", "lat").astype(float)[plain.schools]
    lon = scenario.column("nodes", "lon").astype(float)[plain.schools]
    cell = beam_cells(lat, lon, base.beam_cell_km or 0.0)
    index = np.full(plain.graph.num_nodes, -1)
    index[plain.schools] = np.arange(plain.schools.size)
    pairs = {
        (int(s), int(cell[index[t]]))
        for s, t in zip(plain.owner[useful], plain.graph.src[useful], strict=True)
    }
    assert pairs, "the scenario should have usable user links"
    got = rc.max_flow(beamed.graph, beamed.super_source, beamed.sinks, capacity=beamed.capacity)
    assert got.value == pytest.approx(len(pairs) * 1e-4, rel=1e-9)
    # Every edge of the cut closest to the schools is a beam.
    assert (beamed.kind[got.cut_edges] == EdgeKind.BEAM).all()
    # Without the beam limit far more flows.
    free = rc.max_flow(plain.graph, plain.super_source, plain.sinks, capacity=plain.capacity)
    assert free.value > 10 * got.value


def test_school_capacity_names_beams_as_the_bottleneck(
    thin_schools: Callable[[int], Network],
) -> None:
    tiny = dataclasses.replace(cs.ONEWEB, beam_capacity_gbps=1e-3)
    res = analyses.school_capacity(
        thin_schools(5), [tiny], [0.0], policies=("any",), latency=False, threads=1
    )
    (bottleneck,) = res.steps["bottlenecks"]
    assert bottleneck.startswith("satellite beams over")


def test_beam_fields_go_together_and_must_be_positive() -> None:
    with pytest.raises(ConstellationError, match="give both or neither"):
        dataclasses.replace(cs.ONEWEB, beam_cell_km=None)
    with pytest.raises(ConstellationError, match="beam_capacity_gbps"):
        dataclasses.replace(cs.ONEWEB, beam_capacity_gbps=0.0)
    with pytest.raises(ConstellationError, match="beam_cell_km"):
        dataclasses.replace(cs.ONEWEB, beam_cell_km=math.inf)


@pytest.mark.parametrize("beam_gbps", [0.1, 0.07])
def test_idle_beams_left_out_change_no_answer(
    thin_schools: Callable[[int], Network], monkeypatch: pytest.MonkeyPatch, beam_gbps: float
) -> None:
    # OneWeb's user links carry at most a school's 20 Mbit/s: a 0.1 Gbit/s beam binds in cells
    # of more than 5 schools, ties with exactly 5 (0.07: more than 3, no tie).
    system = dataclasses.replace(cs.ONEWEB, beam_capacity_gbps=beam_gbps)
    scenario = thin_schools(3)
    runs = []
    for prune in (True, False):
        monkeypatch.setattr(_capacity_graph, "PRUNE_IDLE_BEAMS", prune)
        step = analyses.capacity_network(scenario, system, 0.0, policy="any")
        runs.append(
            (
                int((step.kind == EdgeKind.BEAM).sum()),
                analyses.school_capacity(
                    scenario, [system], [0.0, 900.0], policies=("home", "any"), threads=1
                ),
            )
        )
    (kept, pruned), (every, plain) = runs
    assert 0 < kept < every  # some beams bind, some cannot
    for name in ("steps", "schools", "summary"):
        a, b = getattr(plain, name), getattr(pruned, name)
        numbers = a.select_dtypes("number").columns
        np.testing.assert_allclose(
            b[numbers].to_numpy(float), a[numbers].to_numpy(float), rtol=1e-9, atol=1e-9
        )
        pd.testing.assert_frame_equal(a.drop(columns=numbers), b.drop(columns=numbers))


def test_starlink_beams_never_bind_at_the_norm(net: Network) -> None:
    # 1.25 Gbit/s per 24 km cell against 20 Mbit/s schools: a cell would need 63 of them.
    step = analyses.capacity_network(net, cs.STARLINK_SHELL1, 0.0, policy="any")
    assert not (step.kind == EdgeKind.BEAM).any()
    # 0.3 Gbit/s beams and 0.2 Gbit/s user links: any cell with two schools binds.
    narrow = dataclasses.replace(cs.STARLINK_SHELL1, beam_capacity_gbps=0.3)
    heavy = analyses.capacity_network(net, narrow, 0.0, policy="any", demand_mbps=1e3)
    assert (heavy.kind == EdgeKind.BEAM).any()


@pytest.mark.parametrize("beam_gbps", [0.1, 0.07, 0.02])
def test_only_cells_that_could_fill_a_beam_are_looked_at(
    thin_schools: Callable[[int], Network], monkeypatch: pytest.MonkeyPatch, beam_gbps: float
) -> None:
    # The network built looking only at cells whose schools together could fill a beam is the
    # one built looking at every (satellite, cell) pair, array for array (0.02 Gbit/s: one
    # school at the 20 Mbit/s norm fills a beam exactly, a tie).
    system = dataclasses.replace(cs.ONEWEB, beam_capacity_gbps=beam_gbps)
    scenario = thin_schools(3)
    every = _capacity_graph.cells_that_may_fill

    def look_everywhere(cell: np.ndarray, most: np.ndarray, beam: float) -> np.ndarray:
        may = every(cell, most, beam)
        assert may.any() and (beam < 0.05 or not may.all())  # wide beams: some cells skipped
        return np.ones(cell.size, dtype=bool)

    steps = []
    for look in (every, look_everywhere):
        monkeypatch.setattr(_capacity_graph, "cells_that_may_fill", look)
        steps.append(analyses.capacity_network(scenario, system, 300.0, policy="any"))
    fast, full = steps
    assert (fast.kind == EdgeKind.BEAM).any()
    for name in ("src", "dst", "kind", "owner", "capacity", "cost"):
        assert np.array_equal(getattr(fast, name), getattr(full, name)), name
    assert fast.graph.num_nodes == full.graph.num_nodes


def test_cells_below_one_beam_cannot_fill_it() -> None:
    # Cell totals against the beam: 0.05 + 0.04 (not above 0.1), 0.06 + 0.06 (above), 0.1
    # alone (equal: a tie binds only above, but the margin keeps it looked at).
    cell = np.array([7, 7, 9, 9, 4])
    most = np.array([0.05, 0.04, 0.06, 0.06, 0.1])
    assert _capacity_graph.cells_that_may_fill(cell, most, 0.1).tolist() == [
        False,
        False,
        True,
        True,
        True,
    ]
