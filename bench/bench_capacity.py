"""School capacity sweep: ``school_capacity`` on the 2,000 schools of ``central-asia`` x 96 time
steps x 2 systems (Starlink shell 1 with lasers, OneWeb) x 3 policies (home, any, abroad).

Target (issue 12): under 10 s on 2 cores. Each (step, system, policy) runs one max-flow on the
capacity network (schools, user links, split satellites, feeders, gateway antennas, ground), the
max-min fair share (a few max-flows, :func:`routecore.max_min_fair`) and the latency under load
(a shortest-path tree, and a min-cost flow where the shortest paths do not fit). Variants (ids
``routecore-<variant>``, one group; the ratio table divides by the fastest):

* ``maxflow``: carried traffic and bottleneck only (``fair_share=False, latency=False``);
* ``fair``: plus the fair share;
* ``full``: everything (the default of ``school_capacity``);
* ``full-2workers``: everything, the time steps on a 2-process pool.

Each prints time per (step, system, policy) and the peak memory (Python allocations by
tracemalloc; the process's maximum resident set). Instances: bench/gen_scale.py
(``school_network``, ``time_steps``: 96 x 60 s; smoke: every 20th school, 3 steps).

Run: ``python -m pytest bench/bench_capacity.py --benchmark-only`` (full) or
``ROUTECORE_BENCH_SCALE=smoke python -m pytest bench/bench_capacity.py --benchmark-disable``.
"""

from __future__ import annotations

import resource
import time
import tracemalloc
import warnings
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from bench.conftest import smoke
from bench.gen_scale import school_network, time_steps

from routecore import constellation as cs
from routecore.analyses import school_capacity

SYSTEMS = {"starlink-shell1": cs.STARLINK_SHELL1, "oneweb": cs.ONEWEB}
POLICIES = ("home", "any", "abroad")
TARGET_S = 10.0
VARIANTS = {
    "maxflow": {"fair_share": False, "latency": False},
    "fair": {"fair_share": True, "latency": False},
    "full": {},
    "full-2workers": {},
}

_summary: dict[str, dict[str, float]] = {}


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(2) as executor:
        yield executor


@pytest.fixture(scope="module", autouse=True)
def summary(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\nschool capacity sweep (target: < 10 s on 2 cores for the full sweep)")
        for name, row in _summary.items():
            verdict = "met" if row["seconds"] < TARGET_S else "missed"
            print(
                f"  {name:14s} {row['seconds']:8.2f} s  {row['ms_per_solve']:7.1f} ms per "
                f"(step, system, policy)  peak Python {row['peak_mib']:6.1f} MiB  max RSS "
                f"{row['rss_mib']:6.0f} MiB  "
                + ("(smoke size: no target)" if smoke() else f"target {verdict}")
            )


def _sweep(net: Any, times: Any, executor: Any, options: dict[str, Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cs.ShortWindowWarning)
        return school_capacity(
            net, SYSTEMS, times, policies=POLICIES, threads=2, executor=executor, **options
        )


@pytest.mark.parametrize("variant", [f"routecore-{v}" for v in VARIANTS])
def test_school_capacity_sweep(benchmark: Any, variant: str, pool: ProcessPoolExecutor) -> None:
    benchmark.group = "capacity: schools x steps x systems x policies"
    name = variant.removeprefix("routecore-")
    net, times = school_network(), time_steps()
    executor = pool if name.endswith("2workers") else None
    tracemalloc.start()
    started = time.perf_counter()
    result = benchmark.pedantic(
        _sweep, args=(net, times, executor, VARIANTS[name]), rounds=1, iterations=1
    )
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    solves = times.size * len(SYSTEMS) * len(POLICIES)
    assert len(result.steps) == solves and not result.partial
    assert (result.steps["carried_gbps"] <= result.steps["demand_gbps"] * (1 + 1e-9)).all()
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _summary[name] = {
        "seconds": seconds,
        "ms_per_solve": 1000 * seconds / solves,
        "peak_mib": peak / 2**20,
        "rss_mib": rss_mib,
    }
    benchmark.extra_info.update(
        schools=int(net.nodes_where(kind="terminal").size),
        steps=int(times.size),
        ms_per_solve=round(1000 * seconds / solves, 2),
        peak_python_mib=round(peak / 2**20, 1),
        max_rss_mib=round(rss_mib),
    )
