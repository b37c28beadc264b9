"""Max-min fair share: routecore's parametric max-flow against sequential LPs with HiGHS.

Run:    python -m pytest bench/bench_fair_share.py --benchmark-only
Smoke:  ROUTECORE_BENCH_SCALE=smoke pytest bench/bench_fair_share.py --benchmark-disable

Instances (bench/gen_fair_share.py): ``access_<k>``, a satellite access network with ``k``
terminals (demand 100 each, node-split satellites, gateways, one exchange), and
``grid_<r>x<c>_<k>``, an undirected grid with ``k`` sources and the last column as sinks.
Smoke mode: 200 terminals and a 20 x 20 grid with 50 sources.

Group ``fair-<instance>``:

``routecore``
    ``Graph`` built once; timed: ``max_min_fair(g, sources, sinks, demand, threads=1)``
    (progressive filling, Newton steps on minimum cuts). ``extra_info`` records the max-flow
    calls per solve and the number of levels.
``highs``
    The textbook LP method (HiGHS 1.x through highspy): per level, one LP maximising the
    smallest active rate ``t`` over edge flows and source rates; the sources whose
    ``rate_i >= t`` row has a nonzero dual, or whose demand is met, freeze at ``t``; when no
    dual is nonzero (degeneracy) the sources at ``t`` each get one LP maximising their own rate.
    The constraint matrix is built once; timed: the whole sequence. Every rate must agree with
    routecore's within ``1e-6`` relative.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from bench.conftest import smoke
from bench.gen_fair_share import FairInstance, instance, instance_names

import routecore as rc

LIBRARIES = ("routecore", "highs")


@cache
def _graph(name: str) -> rc.Graph:
    inst = instance(name)
    return rc.Graph(
        inst.num_nodes, inst.src, inst.dst, capacity=inst.capacity, directed=inst.directed
    )


def highs_fair(inst: FairInstance) -> Callable[[], np.ndarray]:
    """The sequential-LP solver of the module notes, its matrix built here, once."""
    import highspy

    n, m, k = inst.num_nodes, inst.num_edges, inst.sources.size
    cap = inst.capacity.astype(np.float64)
    demand = np.full(k, inst.demand)
    t_col, num_col = m + k, m + k + 1
    lower0 = np.r_[np.zeros(m) if inst.directed else -cap, np.zeros(k), 0.0]
    upper0 = np.r_[cap, demand, math.inf]
    inner = np.ones(n, dtype=bool)
    inner[inst.sinks] = False
    rows = np.r_[inst.src, inst.dst, inst.sources]
    cols = np.r_[np.arange(m), np.arange(m), m + np.arange(k)]
    vals = np.r_[np.ones(m), -np.ones(m), -np.ones(k)]
    flow_rows = sp.csr_array((vals, (rows, cols)), shape=(n, num_col))[inner]
    ids = np.arange(k)
    rate_rows = sp.csr_array(
        (np.r_[np.ones(k), -np.ones(k)], (np.r_[ids, ids], np.r_[m + ids, np.full(k, t_col)])),
        shape=(k, num_col),
    )
    tol = 1e-7 * max(1.0, float(cap.max(initial=0.0)))

    def lp(column: int, fixed: np.ndarray, ties: np.ndarray, floor: float) -> tuple[float, Any]:
        lower, upper = lower0.copy(), upper0.copy()
        frozen = ~np.isnan(fixed)
        lower[m:t_col][frozen] = upper[m:t_col][frozen] = fixed[frozen]
        lower[m:t_col][~frozen] = np.minimum(floor, demand[~frozen])
        matrix = sp.vstack([flow_rows, rate_rows[ties]]).tocsc()
        model = highspy.HighsLp()
        model.num_col_, model.num_row_ = num_col, matrix.shape[0]
        model.col_cost_ = (np.arange(num_col) == column).astype(np.float64)
        model.col_lower_, model.col_upper_ = lower, upper
        model.row_lower_ = np.zeros(matrix.shape[0])
        model.row_upper_ = np.r_[np.zeros(flow_rows.shape[0]), np.full(int(ties.sum()), np.inf)]
        model.sense_ = highspy.ObjSense.kMaximize
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        model.a_matrix_.start_ = matrix.indptr
        model.a_matrix_.index_ = matrix.indices
        model.a_matrix_.value_ = matrix.data
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(model)
        h.run()
        assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        return float(h.getInfo().objective_function_value), h.getSolution()

    def solve() -> np.ndarray:
        fixed = np.full(k, np.nan)
        while np.isnan(fixed).any():
            active = np.isnan(fixed)
            t, solution = lp(t_col, fixed, active, 0.0)
            dual = np.abs(np.asarray(solution.row_dual)[flow_rows.shape[0] :])
            stuck = np.zeros(k, dtype=bool)
            stuck[np.flatnonzero(active)[dual > 1e-9]] = True
            capped = active & (demand <= t + tol)
            if not (stuck.any() or capped.any()):
                at_t = np.flatnonzero(active & (np.asarray(solution.col_value)[m:t_col] <= t + tol))
                for i in at_t:
                    stuck[i] = lp(m + int(i), fixed, np.zeros(k, dtype=bool), t)[0] <= t + tol
            fixed[capped] = demand[capped]
            fixed[stuck & ~capped] = t
        return fixed

    return solve


def _solver(library: str, name: str) -> Callable[[], np.ndarray]:
    inst = instance(name)
    if library == "routecore":
        g = _graph(name)
        return lambda: rc.max_min_fair(g, inst.sources, inst.sinks, inst.demand, threads=1).rates
    return highs_fair(inst)


@cache
def _expected(name: str) -> rc.FairShare:
    inst = instance(name)
    return rc.max_min_fair(_graph(name), inst.sources, inst.sinks, inst.demand)


@pytest.mark.parametrize("name", instance_names())
@pytest.mark.parametrize("library", LIBRARIES)
def test_max_min_fair(benchmark: Any, name: str, library: str) -> None:
    if library == "highs":
        pytest.importorskip("highspy")
    inst = instance(name)
    call = _solver(library, name)
    expected = _expected(name)
    benchmark.group = f"fair-{name}"
    benchmark.extra_info["instance"] = (
        f"{inst.num_nodes} nodes, {inst.num_edges} edges, {inst.sources.size} sources"
    )
    benchmark.extra_info["reference"] = library == "routecore"
    if library == "routecore":
        benchmark.extra_info["max_flow_calls"] = expected.max_flow_calls
        benchmark.extra_info["levels"] = int(expected.levels.size)
    rounds = 1 if smoke() or library == "highs" else 3
    rates = benchmark.pedantic(call, rounds=rounds, iterations=1, warmup_rounds=0)
    scale = max(1.0, float(expected.rates.max()))
    np.testing.assert_allclose(rates, expected.rates, rtol=1e-6, atol=1e-6 * scale)
