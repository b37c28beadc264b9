"""Capacity sweeps (issue 12): ``school_capacity`` on

* the 2,000 schools of ``central-asia`` x 96 time steps x 2 systems (Starlink shell 1 with
  lasers, OneWeb) x 3 policies (home, any, abroad). Target: under 10 s on 2 cores;
* 100,000 terminals in Kazakhstan x 96 time steps on the 4,408-satellite Starlink constellation
  (StarPerf's four shells, bench/gen_scale.py) x 3 policies, each terminal on its 8 highest
  satellites (as bench_scale.py), on 2 processes. Target: under 60 s. Carried traffic,
  bottleneck and fair share; no latency under load (one min-cost flow over the ~800,000
  user links of a step ran for more than 14 minutes: see docs/scaling.md).

School sweep, in detail. Each (step, system, policy) runs one max-flow on the
capacity network (schools, user links, split satellites, feeders, gateway antennas, ground), the
max-min fair share (a few max-flows, :func:`routecore.max_min_fair`) and the latency under load
(a shortest-path tree, and a min-cost flow where the shortest paths do not fit). Variants (ids
``routecore-<variant>``, one group; the ratio table divides by the fastest):

* ``maxflow``: carried traffic and bottleneck only (``fair_share=False, latency=False``);
* ``fair``: plus the fair share;
* ``full``: everything (the default of ``school_capacity``);
* ``full-2workers``: everything, the time steps on a 2-process pool.

Each prints time per (step, system, policy) and the peak memory of the sweep: the peak
resident set of this process during the sweep (Linux: the kernel's high-water mark, reset just
before the sweep through ``/proc/self/clear_refs``, so nothing runs alongside the timing; else the
process's maximum resident set so far) next to its resident set when the sweep started, and the
workers' peaks where a pool ran; the CPU seconds the sweep used here (every thread) and in the
pool's workers (what a quiet machine's cores would have to give, whatever the other jobs on a
shared one take); then the ratio of the time to the target and the machine's load average
(other processes share the cores). Not tracemalloc: it traces every allocation and
tripled the time of the school sweep (16 steps, full: 2.7 to 3.3 s without, 9.3 to 10.6 s with).
Instances: bench/gen_scale.py (``school_network``, ``country_network``, ``time_steps``: 96 x
60 s; smoke: every 20th school, 300 terminals, 48 satellites, 3 steps).

Run: ``python -m pytest bench/bench_capacity.py --benchmark-only`` (full; a few minutes) or
``ROUTECORE_BENCH_SCALE=smoke python -m pytest bench/bench_capacity.py --benchmark-disable``.
"""

from __future__ import annotations

import os
import resource
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from bench.conftest import smoke
from bench.gen_scale import constellation, country_network, school_network, time_steps

from routecore import constellation as cs
from routecore.analyses import school_capacity

SYSTEMS = {"starlink-shell1": cs.STARLINK_SHELL1, "oneweb": cs.ONEWEB}
POLICIES = ("home", "any", "abroad")
TARGET_S = 10.0
TERMINAL_TARGET_S = 60.0
TERMINAL_USER_LINKS = 8
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
        print("\n" + "\n".join(_summary_lines()))


def _summary_lines() -> list[str]:
    load = os.getloadavg()
    out = [
        "capacity sweeps (targets: 2,000-school sweep < 10 s on 2 cores; 100,000-terminal "
        f"sweep < 60 s on 2 processes); load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"on {os.cpu_count()} cores"
    ]
    for name, row in _summary.items():
        target = TERMINAL_TARGET_S if name.startswith("terminals") else TARGET_S
        verdict = (
            "smoke size: no target"
            if smoke()
            else f"x{row['seconds'] / target:.2f} of the {target:g} s target, "
            + ("met" if row["seconds"] < target else "missed")
        )
        workers = f"  workers' peak RSS {row['workers_mib']:5.0f} MiB" if row["workers_mib"] else ""
        cpu = f"CPU {row['cpu_s']:6.2f} s here" + (
            f" + {row['workers_cpu_s']:.2f} s in the workers" if row["workers_mib"] else ""
        )
        out.append(
            f"  {name:22s} {row['seconds']:8.2f} s  {row['ms_per_step']:8.1f} ms per step  "
            f"{row['ms_per_solve']:7.1f} ms per (step, system, policy)  {cpu}  peak RSS "
            f"{row['peak_mib']:6.0f} MiB (at start {row['start_mib']:5.0f}){workers}  ({verdict})"
        )
    return out


def _status_mib(field: str) -> float | None:
    """``VmHWM`` (peak resident set) or ``VmRSS`` of this process from /proc (Linux), MiB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _cpu_s() -> float:
    """CPU seconds this process has used so far (user + system, every thread)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _reset_peak_rss(_: int = 0) -> tuple[int, float, float]:
    """Reset this process's peak resident set to its current one (Linux 4.0+: ``5`` into
    ``/proc/self/clear_refs``); returns (pid, current resident set in MiB or NaN, CPU
    seconds so far). The pause keeps a pool worker busy so that the other takes the next
    call."""
    time.sleep(0.2)
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass  # elsewhere the peak is the process's maximum so far
    now = _status_mib("VmRSS")
    return os.getpid(), float("nan") if now is None else now, _cpu_s()


def _peak_rss_mib(_: int = 0) -> tuple[int, float, float]:
    """(pid, the peak resident set since :func:`_reset_peak_rss` (else since the process
    started) in MiB, CPU seconds so far)."""
    time.sleep(0.2)
    peak = _status_mib("VmHWM")
    if peak is None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return os.getpid(), peak, _cpu_s()


def _start_meters(executor: Any) -> tuple[Any, ...]:
    """Reset the peaks here and in the pool's two workers; note every process's CPU time."""
    workers = list(executor.map(_reset_peak_rss, range(2))) if executor is not None else []
    return _reset_peak_rss(), workers


def _record(
    benchmark: Any,
    name: str,
    seconds: float,
    started: tuple[Any, ...],
    steps: int,
    solves: int,
    executor: Any,
    **extra: Any,
) -> None:
    """The row of the summary: time, memory, and the CPU seconds used by this process (all
    its threads) and by the pool's workers during the sweep (a measure the other jobs on the
    machine do not inflate as much as the wall time)."""
    (_, start_mib, cpu0), workers_before = started
    _, peak_mib, cpu1 = _peak_rss_mib()
    after = list(executor.map(_peak_rss_mib, range(2))) if executor is not None else []
    workers = max((peak for _, peak, _ in after), default=0.0)
    # Per worker process (one may have answered both probes): CPU time since the first probe.
    cpu_before = {pid: cpu for pid, _, cpu in workers_before}
    cpu_after = {pid: cpu for pid, _, cpu in after}
    workers_cpu = sum(cpu - cpu_before[pid] for pid, cpu in cpu_after.items() if pid in cpu_before)
    _summary[name] = {
        "seconds": seconds,
        "ms_per_step": 1000 * seconds / steps,
        "ms_per_solve": 1000 * seconds / solves,
        "peak_mib": peak_mib,
        "start_mib": start_mib,
        "workers_mib": workers,
        "cpu_s": cpu1 - cpu0,
        "workers_cpu_s": workers_cpu,
    }
    benchmark.extra_info.update(
        steps=steps,
        ms_per_solve=round(1000 * seconds / solves, 2),
        peak_rss_mib=round(peak_mib),
        start_rss_mib=round(start_mib),
        workers_peak_rss_mib=round(workers),
        cpu_s=round(cpu1 - cpu0, 2),
        workers_cpu_s=round(workers_cpu, 2),
        load_average=os.getloadavg()[0],
        **extra,
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
    meters = _start_meters(executor)
    started = time.perf_counter()
    result = benchmark.pedantic(
        _sweep, args=(net, times, executor, VARIANTS[name]), rounds=1, iterations=1
    )
    seconds = time.perf_counter() - started
    solves = times.size * len(SYSTEMS) * len(POLICIES)
    assert len(result.steps) == solves and not result.partial
    assert (result.steps["carried_gbps"] <= result.steps["demand_gbps"] * (1 + 1e-9)).all()
    _record(
        benchmark,
        name,
        seconds,
        meters,
        int(times.size),
        solves,
        executor,
        schools=int(net.nodes_where(kind="terminal").size),
    )


def test_terminal_capacity_sweep(benchmark: Any, pool: ProcessPoolExecutor) -> None:
    """100,000 terminals x 96 steps x the 4,408-satellite constellation x 3 policies, on the
    2-process pool: carried traffic, bottleneck and fair share (no latency under load)."""
    benchmark.group = "capacity: 100k terminals x 96 steps"
    net, times, system = country_network(), time_steps(), constellation()
    meters = _start_meters(pool)  # the workers started outside the timing
    started = time.perf_counter()
    result = benchmark.pedantic(
        _terminal_sweep, args=(net, times, system, pool), rounds=1, iterations=1
    )
    seconds = time.perf_counter() - started
    solves = times.size * len(POLICIES)
    assert len(result.steps) == solves and not result.partial
    assert (result.steps["carried_gbps"] <= result.steps["demand_gbps"] * (1 + 1e-9)).all()
    _record(
        benchmark,
        "terminals-2workers",
        seconds,
        meters,
        int(times.size),
        solves,
        pool,
        terminals=int(net.nodes_where(kind="terminal").size),
        satellites=system.num_satellites,
    )


def _terminal_sweep(net: Any, times: Any, system: Any, executor: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cs.ShortWindowWarning)
        return school_capacity(
            net,
            {system.name: system},
            times,
            policies=POLICIES,
            latency=False,
            max_user_links=TERMINAL_USER_LINKS,
            threads=1,
            executor=executor,
        )
