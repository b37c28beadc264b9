"""Benchmark configuration shared by every bench_*.py file.

Run the full suite:      python -m pytest bench --benchmark-only
Smoke mode (CI):         ROUTECORE_BENCH_SCALE=smoke python -m pytest bench --benchmark-disable

Conventions
-----------
* Every benchmark is a test parametrized by the library it runs, with ids such as ``routecore``,
  ``routecore-2threads``, ``scipy``, ``igraph``; all libraries solving one instance share one
  pytest-benchmark ``group``. The summary prints, per group, each peer's mean time divided by
  routecore's (``> 1`` means routecore is faster). The reference is the routecore benchmark
  that sets ``benchmark.extra_info["reference"] = True`` (for example ``max_flow`` rather than
  the cheaper ``min_cut`` in the max-flow groups), else the fastest routecore one.
* Instance generators are seeded and cached per session (``gen_*.py``); ``scale()`` tells them
  whether to build the real sizes or tiny smoke instances.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from typing import Any

import pytest


def scale() -> str:
    """``"full"`` (default) or ``"smoke"`` (tiny instances for CI)."""
    value = os.environ.get("ROUTECORE_BENCH_SCALE", "full")
    if value not in ("full", "smoke"):
        raise ValueError(f"ROUTECORE_BENCH_SCALE must be 'full' or 'smoke', got {value!r}")
    return value


def smoke() -> bool:
    return scale() == "smoke"


_LIB = re.compile(r"\[([^\]]+)\]")


def _library(name: str) -> str:
    match = _LIB.search(name)
    return match.group(1).split("-")[0] if match else name


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    session = getattr(config, "_benchmarksession", None)
    if session is None or not getattr(session, "benchmarks", None):
        return
    groups: dict[str, list[Any]] = defaultdict(list)
    for bench in session.benchmarks:
        if bench.stats is not None and bench.stats.rounds:
            groups[bench.group or "(no group)"].append(bench)
    if not groups:
        return
    tr = terminalreporter
    tr.write_sep("=", "speed ratios: peer mean time / routecore mean time (> 1: routecore faster)")
    for group, benches in sorted(groups.items()):
        ours = [b for b in benches if _library(b.name) == "routecore"]
        if not ours:
            continue
        marked = [b for b in ours if (b.extra_info or {}).get("reference")]
        best = min(marked or ours, key=lambda b: b.stats.mean)
        tr.write_line(f"{group}  (routecore: {best.name}, mean {best.stats.mean * 1e3:.2f} ms)")
        for b in sorted(benches, key=lambda b: b.stats.mean):
            ratio = b.stats.mean / best.stats.mean
            tr.write_line(f"    {b.name:<60} {b.stats.mean * 1e3:10.2f} ms   x{ratio:6.2f}")
