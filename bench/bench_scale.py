"""Country-scale benchmark: 100,000 terminals in Kazakhstan, a Starlink-size constellation
(4,408 satellites, StarPerf's four Starlink shells), 96 time steps; and the 96-step
school-connectivity sweep for the 2,000 schools of ``central-asia`` on Starlink shell 1.

Instances: bench/gen_scale.py (sources there). Terminals keep their 8 highest satellites per
step (``max_user_links=8``) in the sweeps; the snapshot group also builds the full graph with
every visible satellite. Groups (ids ``routecore-<variant>``; the ratio table printed at the end
divides each variant's mean by the fastest):

* ``scale: snapshot`` -- one snapshot of the 100k terminals and 16 gateway sites: propagation,
  visibility, Graph build and the directed access graph (``top8`` and ``allvisible``). The
  Python-side memory peak of one full step (build + queries, tracemalloc) goes in extra_info.
* ``scale: gateway queries`` -- the batched search from the 16 gateway sites over one
  all-visible access graph (4.3M edges), on 1 and 2 C++ threads: the thread scaling.
* ``scale: sweep 8 steps`` -- ``school_connectivity`` over 8 steps of the country network,
  here (1 worker, 1 thread) and on a 2-process ``ProcessPoolExecutor``: the scaling of the whole
  pipeline (snapshot build is numpy, so more C++ threads alone cannot scale it).
* ``scale: sweep 96 steps`` -- the full 96-step country sweep on 2 processes (time per snapshot
  = mean / 96).
* ``schools: 96 steps`` -- ``school_connectivity(central-asia, Starlink shell 1, 96 steps)``
  end to end, here with 1 and 2 threads and on 2 processes. Target: under 10 s on 2 cores.

A summary (time per snapshot, memory, throughput ratios against the targets: 2 threads/workers
>= 1.8x one, 96-step school sweep < 10 s) is printed at the end of the module.

Run: ``python -m pytest bench/bench_scale.py --benchmark-only`` (full; about 5 minutes on 2
cores) or ``ROUTECORE_BENCH_SCALE=smoke python -m pytest bench/bench_scale.py
--benchmark-disable``.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from typing import Any

import numpy as np
import pytest
from bench.conftest import smoke
from bench.gen_scale import (
    constellation,
    country_network,
    gateway_sites,
    school_network,
    time_steps,
)

import routecore as rc
from routecore import constellation as cs
from routecore.analyses import _access_graph, school_connectivity

MAX_USER_LINKS = 8
SWEEP_STEPS = 8

_summary: dict[str, float] = {}


@pytest.fixture(scope="module", autouse=True)
def summary(request: pytest.FixtureRequest) -> Iterator[dict[str, float]]:
    """Collects the figures; prints them when the module is done (shown without ``-s``)."""
    yield _summary
    capture = request.config.pluginmanager.getplugin("capturemanager")
    lines = _summary_lines(_summary)
    if not lines:
        return
    with capture.global_and_fixture_disabled():
        print("\n" + "\n".join(lines))


def _summary_lines(s: dict[str, float]) -> list[str]:
    out = ["== country-scale summary" + (" (smoke sizes)" if smoke() else "")]
    if "snapshot_top8_s" in s:
        out.append(
            f"one snapshot, {s['terminals']:,.0f} terminals x {s['satellites']:,.0f} satellites: "
            f"build + access graph {s['snapshot_top8_s']:.2f} s (top-8 user links, "
            f"{s['edges_top8']:,.0f} edges)"
            + (
                f", {s['snapshot_allvisible_s']:.2f} s (all visible, {s['edges_allvisible']:,.0f}"
                " edges)"
                if "snapshot_allvisible_s" in s
                else ""
            )
        )
    if "tracemalloc_peak_mb" in s:
        out.append(
            f"memory: one step (build + queries) peaks at {s['tracemalloc_peak_mb']:.0f} MB of "
            f"Python/numpy allocations (tracemalloc); process max RSS so far "
            f"{s['maxrss_mb']:.0f} MB"
        )
    for key, label in (
        ("queries", "gateway queries (16 sources, one snapshot), 2 vs 1 C++ threads"),
        ("sweep8", f"country sweep ({SWEEP_STEPS} steps), 2 processes vs 1"),
        ("schools", "96-step school sweep, 2 processes vs 1 thread here"),
    ):
        one, two = s.get(f"{key}_1_s"), s.get(f"{key}_2_s")
        if one and two:
            ratio = one / two
            verdict = "meets" if ratio >= 1.8 else "misses"
            out.append(
                f"{label}: {one:.3f} s -> {two:.3f} s, throughput x{ratio:.2f} "
                f"({verdict} the 1.8x target)"
            )
    if "schools_threads2_s" in s:
        v = s["schools_threads2_s"]
        out.append(
            f"96-step school sweep, {s['schools']:,.0f} schools, Starlink shell 1, here on 2 "
            f"threads: {v:.2f} s ({'meets' if v < 10 else 'misses'} the 10 s target)"
        )
    if "sweep96_s" in s:
        steps = s["sweep96_steps"]
        out.append(
            f"country sweep, {steps:.0f} steps on 2 processes: {s['sweep96_s']:.1f} s, "
            f"{s['sweep96_s'] / steps:.2f} s per snapshot (build + queries)"
        )
    return out


def measure(
    benchmark: Any,
    fn: Any,
    args: tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    *,
    rounds: int,
    warmup_rounds: int = 0,
) -> tuple[Any, float]:
    """``benchmark.pedantic`` plus our own wall-clock mean of the timed rounds (also with
    ``--benchmark-disable``, where pytest-benchmark keeps no statistics)."""
    times: list[float] = []

    def timed(*a: Any, **k: Any) -> Any:
        start = time.perf_counter()
        out = fn(*a, **k)
        times.append(time.perf_counter() - start)
        return out

    result = benchmark.pedantic(
        timed,
        args=args,
        kwargs=kwargs or {},
        rounds=rounds,
        iterations=1,
        warmup_rounds=warmup_rounds,
    )
    timed_rounds = times[-rounds:] if len(times) >= rounds else times
    return result, float(np.mean(timed_rounds))


# ------------------------------------------------------------------------------ instances
@cache
def ground_inputs() -> tuple[np.ndarray, np.ndarray, np.ndarray, int, np.ndarray]:
    """(lat, lon, role) of the terminals followed by the gateway sites; terminal count; the
    sites' access-graph node ids."""
    net = country_network()
    kind = net.column("nodes", "kind")
    terminals = np.flatnonzero(kind == "terminal")
    sites = gateway_sites(net)
    rows = np.concatenate([terminals, sites])
    lat = net.column("nodes", "lat").astype(np.float64)[rows]
    lon = net.column("nodes", "lon").astype(np.float64)[rows]
    role = np.concatenate(
        [
            np.full(terminals.size, int(cs.GroundRole.TERMINAL)),
            np.full(sites.size, int(cs.GroundRole.GATEWAY)),
        ]
    )
    n_t = terminals.size
    return lat, lon, role, n_t, np.arange(n_t, n_t + sites.size)


def build_access(t_s: float, max_user_links: int | None) -> tuple[rc.Graph, int]:
    lat, lon, role, _, _ = ground_inputs()
    snap = cs.snapshot(constellation(), t_s, lat, lon, role, max_user_links=max_user_links)
    return _access_graph(snap), snap.graph.num_edges


@cache
def access_graph_all_visible() -> rc.Graph:
    return build_access(0.0, None)[0]


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    """Two worker processes, started (and routecore imported there) before any timing."""
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(2, mp_context=context) as executor:
        list(executor.map(_warm, range(2)))
        yield executor


def _warm(_: int) -> int:
    import routecore.analyses  # noqa: F401

    return 0


# ------------------------------------------------------------------------------ benchmarks
@pytest.mark.parametrize("variant", ["routecore-top8", "routecore-allvisible"])
def test_snapshot(benchmark: Any, variant: str) -> None:
    benchmark.group = "scale: snapshot"
    limit = MAX_USER_LINKS if variant.endswith("top8") else None
    (_, edges), mean = measure(benchmark, build_access, (0.0, limit), rounds=3)
    key = variant.split("-")[1]
    _summary[f"snapshot_{key}_s"] = mean
    _summary[f"edges_{key}"] = float(edges)
    _summary["terminals"] = float(ground_inputs()[3])
    _summary["satellites"] = float(constellation().num_satellites)
    benchmark.extra_info.update(edges=int(edges), terminals=int(ground_inputs()[3]))
    if limit is not None:
        # Memory of one whole step of the pipeline, outside the timed rounds.
        _, _, _, _, sites = ground_inputs()
        tracemalloc.start()
        graph, _ = build_access(60.0, limit)
        rc.shortest_path_lengths(graph, sites, threads=2)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        _summary["tracemalloc_peak_mb"] = peak / 2**20
        _summary["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        benchmark.extra_info.update(
            tracemalloc_peak_mb=round(peak / 2**20, 1),
            maxrss_mb=round(_summary["maxrss_mb"], 1),
        )


@pytest.mark.parametrize("threads", [1, 2], ids=["routecore-1thread", "routecore-2threads"])
def test_gateway_queries(benchmark: Any, threads: int) -> None:
    benchmark.group = "scale: gateway queries"
    graph = access_graph_all_visible()
    sites = ground_inputs()[4]
    out, mean = measure(
        benchmark,
        rc.shortest_path_lengths,
        (graph, sites),
        {"threads": threads},
        rounds=5,
        warmup_rounds=1,
    )
    assert out.shape == (sites.size, graph.num_nodes)
    _summary[f"queries_{threads}_s"] = mean
    benchmark.extra_info.update(sources=int(sites.size), edges=graph.num_edges, threads=threads)


def _country_sweep(steps: np.ndarray, executor: Any) -> Any:
    return school_connectivity(
        country_network(),
        {"starlink-4408": constellation()},
        steps,
        max_user_links=MAX_USER_LINKS,
        threads=1,
        executor=executor,
        chunk_size=max(1, steps.size // 4) if executor is not None else None,
    )


@pytest.mark.parametrize("workers", [1, 2], ids=["routecore-1worker", "routecore-2workers"])
def test_country_sweep_8_steps(benchmark: Any, workers: int, pool: ProcessPoolExecutor) -> None:
    benchmark.group = f"scale: sweep {SWEEP_STEPS} steps"
    steps = time_steps()[:SWEEP_STEPS]
    executor = pool if workers == 2 else None
    table, mean = measure(benchmark, _country_sweep, (steps, executor), rounds=2)
    assert not table.attrs["partial"] and len(table) == 2 * ground_inputs()[3]
    _summary[f"sweep8_{workers}_s"] = mean
    benchmark.extra_info.update(steps=int(steps.size), workers=workers)


def test_country_sweep_96_steps(benchmark: Any, pool: ProcessPoolExecutor) -> None:
    benchmark.group = "scale: sweep 96 steps"
    steps = time_steps()
    table, mean = measure(benchmark, _country_sweep, (steps, pool), rounds=1)
    assert not table.attrs["partial"]
    _summary["sweep96_s"] = mean
    _summary["sweep96_steps"] = float(steps.size)
    benchmark.extra_info.update(
        steps=int(steps.size), seconds_per_snapshot=_summary["sweep96_s"] / steps.size
    )


def _school_sweep(threads: int, executor: Any) -> Any:
    return school_connectivity(
        school_network(),
        {"starlink": cs.STARLINK_SHELL1},
        np.arange(96) * 60.0,
        threads=threads,
        executor=executor,
    )


@pytest.mark.parametrize(
    "variant", ["routecore-threads1", "routecore-threads2", "routecore-2workers"]
)
def test_school_sweep_96_steps(benchmark: Any, variant: str, pool: ProcessPoolExecutor) -> None:
    benchmark.group = "schools: 96 steps"
    threads = 1 if variant == "routecore-threads1" else 2
    executor = pool if variant == "routecore-2workers" else None
    table, mean = measure(
        benchmark, _school_sweep, (1 if executor else threads, executor), rounds=3
    )
    assert table.attrs["steps_done"] == {"starlink": 96}
    key = {
        "routecore-threads1": "schools_1_s",
        "routecore-threads2": "schools_threads2_s",
        "routecore-2workers": "schools_2_s",
    }[variant]
    _summary[key] = mean
    _summary["schools"] = float(len(table) // 2)
    benchmark.extra_info.update(schools=int(len(table) // 2), steps=96)
