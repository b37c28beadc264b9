"""The tables of school_capacity assembled from its chunks' answers (analyses._capacity_tables)
against a plain reference built row block by row block with pandas: the per-school series
filled in place (arrays not computed sent as None, finished steps around an unfinished chunk),
the rate figures computed per step, and the text columns adopted as pandas' own."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from routecore.analyses._capacity_tables import (
    SCHOOL_COLUMNS,
    STEP_SCALARS,
    capacity_tables,
    rate_stats,
)
from routecore.executor import ChunkRun

POLICIES = ("home", "any")


def _answers(rng: np.random.Generator, n_s: int, demand: np.ndarray, kind: str) -> list[Any]:
    """One step's answers per policy: rates / latencies as arrays, or None (not computed)."""
    out = []
    for _ in POLICIES:
        rates = None if kind == "maxflow" else np.minimum(rng.random(n_s) * 0.03, demand)
        if rates is not None:
            rates[rng.random(n_s) < 0.2] = 0.0  # offline schools
        loaded = None if kind != "full" else np.where(rng.random(n_s) < 0.3, np.nan, 20.0)
        unloaded = None if kind != "full" else rng.random(n_s) * 30.0
        scal = np.full(len(STEP_SCALARS), np.nan)
        scal[:5] = rng.random(5)
        scal[5:] = rate_stats(rates, demand)
        load = rng.random((2, 3))
        out.append((scal, rates, loaded, unloaded, [("x feeder links", 1.0)], load))
    return out


def _reference_schools(
    results: dict[tuple[str, int], list[Any]],
    times: np.ndarray,
    ids: np.ndarray,
    demand: np.ndarray,
) -> pd.DataFrame:
    """One small frame per (constellation, policy, step), concatenated."""
    frames = []
    nan = np.full(ids.size, np.nan)
    for (cname, k), per_policy in sorted(results.items(), key=lambda kv: kv[0]):
        for p, (_, rates, loaded, unloaded, _, _) in enumerate(per_policy):
            r = nan if rates is None else rates
            lo = nan if loaded is None else loaded
            un = nan if unloaded is None else unloaded
            with np.errstate(invalid="ignore"):
                full = (r >= demand * (1 - 1e-9)) & ~np.isnan(r)
            frames.append(
                (
                    (cname, p, k),
                    pd.DataFrame(
                        {
                            "constellation": np.array([cname] * ids.size, dtype=object),
                            "policy": np.array([POLICIES[p]] * ids.size, dtype=object),
                            "t_s": np.full(ids.size, times[k]),
                            "school": ids,
                            "demand_mbps": demand * 1000.0,
                            "fair_rate_mbps": r * 1000.0,
                            "full_demand": full,
                            "loaded_one_way_propagation_ms": lo,
                            "loaded_propagation_rtt_ms": 2.0 * lo,
                            "unloaded_one_way_propagation_ms": un,
                            "unloaded_propagation_rtt_ms": 2.0 * un,
                        }
                    ),
                )
            )
    frames.sort(key=lambda f: f[0])  # constellation order below is alphabetical: "a", "b"
    return pd.concat([f for _, f in frames], ignore_index=True)


@pytest.mark.parametrize("kind", ["full", "fair", "maxflow"])
def test_tables_equal_a_plain_reference(kind: str) -> None:
    rng = np.random.default_rng(7)
    n_s, n_t = 40, 5
    ids = np.array([f"school-{i}" for i in range(n_s)], dtype=object)
    demand = rng.choice([0.0, 0.01, 0.02], n_s)
    times = np.arange(n_t) * 60.0
    named = {"a": None, "b": None}
    # Chunks of 2 steps; the middle chunk of "a" did not finish (a partial run).
    where = [(c, sl) for c in named for sl in (slice(0, 2), slice(2, 4), slice(4, 5))]
    finished = np.array([True, False, True, True, True, True])
    chunk_results: list[Any] = []
    kept: dict[tuple[str, int], list[Any]] = {}
    for (cname, sl), ok in zip(where, finished, strict=True):
        steps = [_answers(rng, n_s, demand, kind) for _ in range(sl.start, sl.stop)]
        chunk_results.append(steps if ok else None)
        if ok:
            kept.update(
                {(cname, k): s for k, s in zip(range(sl.start, sl.stop), steps, strict=True)}
            )
    run = ChunkRun(chunk_results, finished)
    summary, steps, schools, _ = capacity_tables(
        named, POLICIES, times, run, where, ids, demand, np.array(["g0", "g1", "g2"], object)
    )
    assert tuple(schools.columns) == SCHOOL_COLUMNS
    pd.testing.assert_frame_equal(
        schools, _reference_schools(kept, times, ids, demand), check_exact=True
    )
    assert schools.attrs["partial"] and schools.attrs["steps_done"] == {"a": 3, "b": 5}
    # Rate figures per step, against numpy over that step's schools with demand.
    wants = demand > 0
    for row in steps.itertuples():
        k = int(row.t_s // 60.0)
        rates = kept[(row.constellation, k)][POLICIES.index(row.policy)][1]
        if rates is None:
            assert np.isnan(row.guaranteed_mbps) and np.isnan(row.schools_full_demand)
            continue
        mbps = rates[wants] * 1000.0
        assert row.guaranteed_mbps == mbps.min()
        assert row.median_rate_mbps == np.median(mbps)
        assert row.p10_rate_mbps == np.percentile(mbps, 10)
        assert row.schools_full_demand == int(((rates >= demand * (1 - 1e-9)) & wants).sum())
        assert row.schools_offline == int((mbps <= 0).sum())
    if kind != "maxflow":
        assert steps["schools_full_demand"].dtype == np.int64
    # The summary's unloaded mean is over every school and finished step of its block.
    for row in summary.itertuples():
        mine = schools[
            (schools.constellation == row.constellation) & (schools.policy == row.policy)
        ]
        expect = mine["unloaded_one_way_propagation_ms"].to_numpy()
        if kind == "full":
            assert row.unloaded_one_way_propagation_ms == pytest.approx(np.nanmean(expect))
        else:
            assert np.isnan(row.unloaded_one_way_propagation_ms)


def test_rate_stats_without_rates_or_demand_are_nan() -> None:
    demand = np.array([0.0, 0.02])
    assert np.isnan(rate_stats(None, demand)).all()
    assert np.isnan(rate_stats(np.array([0.01, 0.01]), np.zeros(2))).all()
    assert rate_stats(np.array([0.0, 0.02]), demand).tolist() == [20.0, 20.0, 20.0, 1.0, 0.0]
