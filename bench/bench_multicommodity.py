"""Multi-commodity flow benchmarks: routecore's certified approximation against the exact LP
solved by HiGHS (highspy).

Run:    python -m pytest bench/bench_multicommodity.py --benchmark-only
Smoke:  ROUTECORE_BENCH_SCALE=smoke pytest bench/bench_multicommodity.py --benchmark-disable

Instances (bench/gen_multicommodity.py): the Central Asia ground network with every pair of its
22 cities (231 demands), and a Starlink shell-1 +Grid snapshot with 40 generated ground
stations (780 demands; 8 stations, 28 demands, in smoke mode). Objectives ``concurrent``
(lambda) and ``total``.

Group ``mc-<instance>-<objective>``: one entry per solver.

``routecore``
    ``multicommodity_flow(g, demands, objective=..., epsilon=0.01)``: validation, the solver,
    the result tables. ``extra_info`` holds its value, its certified upper bound and gap, and
    its gap to the HiGHS optimum.
``highs``
    The edge-flow LP with the demands of one source sharing one flow (tests/oracles/,
    ``multicommodity_lp_model(by_source=True)``; the same optimum as one flow per demand, with
    fewer columns), built outside the timed part; timed: ``Highs.run()`` (its default method,
    one thread as configured by highspy's defaults).

Target (issue 13): within a certified 1% of the HiGHS optimum in at most 0.1x HiGHS's time.

Measured (2026-12-07, smoke scale, one round each, on the shared 2-vCPU VM while seven other
jobs ran: timings are loaded and noisy). Accuracy is met, speed is not:

====================  =====================================  ============  ===========  ======
instance, objective   routecore <= HiGHS optimum <= bound    routecore     HiGHS        ratio
====================  =====================================  ============  ===========  ======
central_asia conc.    124.506 <= 125 <= 125.76 (gap 0.997%)  366 ms        95 ms        0.26
central_asia total    231 <= 231 <= 232.406 (gap 0.605%)     33 ms         64 ms        1.94
starlink_8 conc.      17.2694 <= 17.3143 <= 17.4364 (0.96%)  13.3 s        9.7 s        0.73
starlink_8 total      27.7692 <= 28 <= 28.0493 (0.998%)      2.76 s        1.80 s       0.65
====================  =====================================  ============  ===========  ======

(ratio: HiGHS time / routecore time; the target is >= 10.) The cause: a certified 1% needs
100-1,000 phases of the length-function method (every tree step may send at most the
bottleneck capacity of its paths, so the Starlink snapshot's 0.2 and 20 Gbit/s ground links
cost about 80 tree steps per phase), and the dual bound converges more slowly than the flow
(the flow was within 0.13-0.4% of the optimum, the bound 0.2-0.6% above it). The default
scale (40 stations) was not run here.
Assertions: routecore's value <= the HiGHS optimum <= routecore's upper bound (to 1e-7), and
value >= 0.99 * upper bound.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from bench.conftest import smoke
from bench.gen_multicommodity import MultiInstance, central_asia, starlink, station_count

import routecore as rc

SOLVERS = ("routecore", "highs")
OBJECTIVES = ("concurrent", "total")


def instance_names() -> list[str]:
    return ["central_asia", f"starlink_{station_count()}"]


@cache
def instance(name: str) -> MultiInstance:
    if name == "central_asia":
        return central_asia()
    return starlink(int(name.split("_")[1]))


@cache
def _optimum(name: str, objective: str) -> float:
    from tests.oracles import multicommodity_lp

    inst = instance(name)
    g = inst.graph
    assert g.capacity is not None
    return multicommodity_lp(
        g.num_nodes,
        g.src,
        g.dst,
        g.capacity,
        g.directed,
        inst.source,
        inst.target,
        inst.amount,
        objective,
        by_source=True,
    )


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("name", instance_names())
@pytest.mark.parametrize("library", SOLVERS)
def test_multicommodity(benchmark: Any, library: str, name: str, objective: str) -> None:
    pytest.importorskip("highspy")
    inst = instance(name)
    benchmark.group = f"mc-{name}-{objective}"
    benchmark.extra_info["instance"] = inst.description
    benchmark.extra_info["reference"] = library == "routecore"
    rounds = 1 if smoke() else 3
    if library == "highs":
        from tests.oracles import multicommodity_lp_model

        g = inst.graph
        assert g.capacity is not None

        def setup() -> tuple[tuple[Any], dict[str, Any]]:
            h, _ = multicommodity_lp_model(
                g.num_nodes,
                g.src,
                g.dst,
                g.capacity,
                g.directed,
                inst.source,
                inst.target,
                inst.amount,
                objective,
                by_source=True,
            )
            return (h,), {}

        def run(h: Any) -> float:
            h.run()
            return float(h.getInfo().objective_function_value)

        value = benchmark.pedantic(run, setup=setup, rounds=rounds, iterations=1)
        assert value == pytest.approx(_optimum(name, objective), rel=1e-7)
        return
    demands = (inst.source, inst.target, inst.amount)
    result = benchmark.pedantic(
        lambda: rc.multicommodity_flow(inst.graph, demands, objective=objective, epsilon=0.01),  # type: ignore[arg-type]
        rounds=rounds,
        iterations=1,
        warmup_rounds=0 if smoke() else 1,
    )
    opt = _optimum(name, objective)
    benchmark.extra_info.update(
        value=result.value,
        upper_bound=result.upper_bound,
        certified_gap=result.gap,
        highs_optimum=opt,
        gap_to_highs=1 - result.value / opt,
        phases=result.phases,
    )
    print(
        f"\n{name} {objective}: routecore {result.value:.6g} <= HiGHS {opt:.6g} <= "
        f"bound {result.upper_bound:.6g} (certified gap {result.gap:.4%}, {result.phases} "
        "phases)"
    )
    assert result.value <= opt * (1 + 1e-7) and opt <= result.upper_bound * (1 + 1e-7)
    assert result.value >= 0.99 * result.upper_bound
