"""multicommodity_flow: the certified bounds against the exact LP optimum (HiGHS, edge-flow
formulation per commodity) on generated instances, the flow checked for feasibility from the
raw edge lists (capacity, conservation per commodity, lambda * amount delivered), unreachable
demands, the demand-table forms and bad input."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import routecore as rc

from .oracles import check_multicommodity_flow, multicommodity_lp
from .strategies import MultiCommodityProblem, multicommodity_problems

TOL = 1e-7


def lp_optimum(p: MultiCommodityProblem, objective: str) -> float:
    el = p.el
    return multicommodity_lp(
        el.num_nodes,
        el.src,
        el.dst,
        el.capacity,
        el.directed,
        p.source,
        p.target,
        p.amount,
        objective,
    )


def solve(p: MultiCommodityProblem, objective: str, epsilon: float) -> rc.MulticommodityFlow:
    g = rc.Graph(p.el.num_nodes, p.el.src, p.el.dst, capacity=p.el.capacity, directed=p.el.directed)
    return rc.multicommodity_flow(
        g,
        (p.source, p.target, p.amount),
        objective=objective,
        epsilon=epsilon,  # type: ignore[arg-type]
    )


def check_against_lp(p: MultiCommodityProblem, objective: str, epsilon: float) -> None:
    r = solve(p, objective, epsilon)
    el = p.el
    check_multicommodity_flow(
        el.num_nodes,
        el.src,
        el.dst,
        el.capacity.astype(np.float64),
        el.directed,
        p.source,
        p.target,
        p.amount,
        r,
    )
    opt = lp_optimum(p, objective)
    slack = TOL * max(1.0, abs(opt))
    assert r.upper_bound >= opt - slack, (r.upper_bound, opt)
    assert r.value <= opt + slack, (r.value, opt)
    assert r.status in {"converged", "unreachable"}
    assert r.value >= (1 - epsilon) * r.upper_bound - slack
    assert r.value >= (1 - epsilon) * opt - slack
    assert 0.0 <= r.gap <= epsilon + TOL
    if objective == "total":
        assert r.value == pytest.approx(float(r.commodity_flow.sum()), rel=1e-9, abs=1e-9)


def concurrent_defined(p: MultiCommodityProblem) -> bool:
    return bool(np.any((p.source != p.target) & (p.amount > 0)))


@settings(max_examples=60, deadline=None)
@given(multicommodity_problems())
def test_concurrent_bounds_bracket_the_lp_optimum(p: MultiCommodityProblem) -> None:
    if not concurrent_defined(p):
        with pytest.raises(rc.GraphError, match="at least one demand"):
            solve(p, "concurrent", 0.05)
        return
    check_against_lp(p, "concurrent", 0.05)


@settings(max_examples=60, deadline=None)
@given(multicommodity_problems(uncapped=True))
def test_total_bounds_bracket_the_lp_optimum(p: MultiCommodityProblem) -> None:
    check_against_lp(p, "total", 0.05)


@settings(max_examples=8, deadline=None)
@given(
    multicommodity_problems(max_nodes=12, max_edges=40, max_demands=8),
    st.sampled_from(["concurrent", "total"]),
)
def test_one_percent_gap(p: MultiCommodityProblem, objective: str) -> None:
    if objective == "concurrent" and not concurrent_defined(p):
        return
    check_against_lp(p, objective, 0.01)


def test_unreachable_target_gives_lambda_zero_with_a_status() -> None:
    g = rc.Graph(4, [0, 2], [1, 3], capacity=[5, 5])
    r = rc.multicommodity_flow(g, ([0, 0, 2], [1, 3, 3], [1.0, 2.0, 1.0]))
    assert (r.status, r.value, r.upper_bound) == ("unreachable", 0.0, 0.0)
    assert r.unreachable.tolist() == [1]
    t = rc.multicommodity_flow(g, ([0, 0, 2], [1, 3, 3], [1.0, 2.0, 1.0]), objective="total")
    assert t.status == "converged" and t.unreachable.tolist() == [1]
    assert t.commodity_flow[1] == 0.0 and t.value == pytest.approx(2.0, rel=0.02)


def test_zero_capacity_edge_is_unusable() -> None:
    g = rc.Graph(2, [0], [1], capacity=[0])
    assert rc.multicommodity_flow(g, ([0], [1], [1.0])).status == "unreachable"


def test_demand_table_forms_agree() -> None:
    g = rc.Graph(4, [0, 1, 0, 2], [1, 3, 2, 3], capacity=[5, 5, 3, 3], directed=False)
    s, t, a = [0, 1], [3, 2], [4.0, 2.0]
    table = np.zeros(2, dtype=[("source", "i8"), ("target", "i8"), ("amount", "f8")])
    table["source"], table["target"], table["amount"] = s, t, a
    values = [
        rc.multicommodity_flow(g, d).value
        for d in ((s, t, a), [s, t, a], {"source": s, "target": t, "amount": a}, table)
    ]
    assert len(set(values)) == 1


def test_dense_matrix_matches_the_sparse_table_and_the_paths() -> None:
    g = rc.Graph(4, [0, 1, 0, 2, 1], [1, 3, 2, 3, 2], capacity=[5, 5, 3, 3, 2], directed=False)
    r = rc.multicommodity_flow(g, ([0, 1, 3], [3, 2, 0], [4.0, 2.0, 1.0]))
    dense = r.edge_flow_matrix()
    assert dense.shape == (3, 5)
    assert np.allclose(np.abs(dense).sum(axis=0) <= r.edge_load + 1e-9, True)
    per_path = np.zeros(3)
    np.add.at(per_path, r.path_commodity, r.path_flow)
    assert np.allclose(per_path, r.commodity_flow)
    assert not r.flow.flags.writeable and not r.path_flow.flags.writeable


def test_inputs_are_not_mutated() -> None:
    g = rc.Graph(3, [0, 1], [1, 2], capacity=[2.0, 2.0])
    s, t, a = np.array([0]), np.array([2]), np.array([1.0])
    cap = np.array([2.0, 2.0])
    cap.flags.writeable = False
    rc.multicommodity_flow(g, (s, t, a), capacity=cap)
    assert s.tolist() == [0] and t.tolist() == [2] and a.tolist() == [1.0]


@pytest.mark.parametrize(
    ("kwargs", "demands", "error", "match"),
    [
        ({}, ([0, 1], [1, 7], [1, 1]), rc.NodeIndexError, r"demands.target\[1\] = 7"),
        ({}, ([0], [1], [-1.0]), rc.GraphError, r"demands.amount\[0\] = -1.0"),
        ({}, ([0], [1], [np.nan]), rc.GraphError, r"demands.amount\[0\] = nan"),
        ({}, ([0], [1], [np.inf]), rc.GraphError, r"demands.amount\[0\] = inf"),
        ({}, ([0, 1], [1], [1, 1]), rc.GraphError, "one entry per demand"),
        ({}, {"source": [0], "amount": [1]}, rc.GraphError, "no column 'target'"),
        ({}, "0 1 1", rc.GraphError, "expected three arrays"),
        ({"capacity": [1, -2]}, ([0], [1], [1]), rc.GraphError, r"capacity\[1\] = -2"),
        ({"epsilon": 0.0}, ([0], [1], [1]), rc.GraphError, "epsilon"),
        ({"objective": "max"}, ([0], [1], [1]), ValueError, "objective"),
        ({"max_phases": -1}, ([0], [1], [1]), ValueError, "max_phases"),
        ({}, ([0], [0], [1]), rc.GraphError, "at least one demand"),
        ({"objective": "total"}, ([0], [0], [np.inf]), rc.GraphError, r"demands\[0\]"),
        ({"max_latency": -1}, ([0], [1], [1]), rc.GraphError, "max_latency"),
    ],
)
def test_bad_input_names_what_and_where(
    kwargs: dict[str, object], demands: object, error: type[Exception], match: str
) -> None:
    g = rc.Graph(3, [0, 1], [1, 2], capacity=[2, 2])
    with pytest.raises(error, match=match):
        rc.multicommodity_flow(g, demands, **kwargs)  # type: ignore[arg-type]


def test_graph_without_capacities_is_refused() -> None:
    with pytest.raises(rc.GraphError, match="needs edge capacities"):
        rc.multicommodity_flow(rc.Graph(2, [0], [1]), ([0], [1], [1]))


def test_phase_limit_still_certifies() -> None:
    g = rc.Graph(4, [0, 1, 0, 2, 1], [1, 3, 2, 3, 2], capacity=[5, 5, 3, 3, 2], directed=False)
    r = rc.multicommodity_flow(
        g, ([0, 1, 3], [3, 2, 0], [4.0, 2.0, 1.0]), max_phases=1, epsilon=1e-6
    )
    assert r.status == "phase_limit" and r.phases == 1
    assert 0 < r.value <= r.upper_bound


CTRL_C = """
import os, signal, threading, time
import numpy as np
import routecore as rc
n = 60  # a 60 x 60 grid with 40 demands at epsilon 1e-6: minutes (a 4-node graph took 0.46 s,
idx = np.arange(n * n).reshape(n, n)  # which a quiet machine finished before the signal)
src = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
dst = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
rng = np.random.default_rng(0)
g = rc.Graph(n * n, src, dst, capacity=rng.integers(1, 100, src.size), directed=False)
s, t = rng.integers(0, n * n, 40), rng.integers(0, n * n, 40)
ok = s != t
threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
start = time.perf_counter()
try:
    rc.multicommodity_flow(g, (s[ok], t[ok], np.ones(ok.sum())), epsilon=1e-6,
                           max_phases=10**9)
    print("finished")
except KeyboardInterrupt:
    print("interrupted", time.perf_counter() - start < 5)
"""


def test_ctrl_c_interrupts_a_long_run() -> None:
    """A grid at epsilon=1e-6 runs for minutes; SIGINT after 0.5 s raises KeyboardInterrupt promptly
    (the solver polls the Cancel flag at every tree step, run_interruptible asks Python)."""
    out = subprocess.run(
        [sys.executable, "-c", CTRL_C], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["interrupted", "True"], out.stdout
