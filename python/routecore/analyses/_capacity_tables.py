"""The tables of :func:`~routecore.analyses.school_capacity`, from its chunks' answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

STEP_SCALARS = (
    "demand_gbps",
    "carried_gbps",
    "carried_share",
    "loaded_one_way_propagation_ms",
    "routed_gbps",
)
"""The scalars a chunk returns per step and policy, in order."""

NO_BOTTLENECK = "none (full demand)"
"""The bottleneck label when the minimum cut is the schools' own demand."""

STEP_COLUMNS = (
    "constellation",
    "policy",
    "t_s",
    "demand_gbps",
    "carried_gbps",
    "carried_share",
    "guaranteed_mbps",
    "median_rate_mbps",
    "p10_rate_mbps",
    "schools_full_demand",
    "schools_offline",
    "bottleneck",
    "bottlenecks",
    "loaded_one_way_propagation_ms",
    "routed_gbps",
)

SCHOOL_COLUMNS = (
    "constellation",
    "policy",
    "t_s",
    "school",
    "demand_mbps",
    "fair_rate_mbps",
    "full_demand",
    "loaded_one_way_propagation_ms",
    "loaded_propagation_rtt_ms",
    "unloaded_one_way_propagation_ms",
    "unloaded_propagation_rtt_ms",
)

GATEWAY_COLUMNS = (
    "constellation",
    "policy",
    "t_s",
    "gateway",
    "carried_gbps",
    "capacity_gbps",
    "saturation",
)

SUMMARY_COLUMNS = (
    "constellation",
    "policy",
    "steps",
    "demand_gbps",
    "carried_gbps_mean",
    "carried_gbps_min",
    "carried_share_mean",
    "carried_share_min",
    "guaranteed_mbps_min",
    "guaranteed_mbps_median",
    "median_rate_mbps",
    "schools_full_demand_mean",
    "schools_offline_mean",
    "bottleneck",
    "bottleneck_share",
    "loaded_one_way_propagation_ms",
    "unloaded_one_way_propagation_ms",
)


def _label(groups: list[tuple[str, float]]) -> tuple[str, str]:
    """The bottleneck (the largest groups of the cut, ties joined by " + ") and the whole cut
    in words, e.g. ``("Akkol feeder links + Kokterek feeder links", "Akkol ...: 160 Gbit/s;
    ...")``."""
    if not groups:
        return NO_BOTTLENECK, ""
    text = "; ".join(f"{name}: {gbps:.3g} Gbit/s" for name, gbps in groups)
    top = groups[0][1]
    tied = [name for name, gbps in groups if gbps >= top * (1 - 1e-9)]
    return " + ".join(tied), text


def _step_rows(
    cname: str,
    policy: str,
    t: npt.NDArray[np.float64],
    scal: npt.NDArray[np.float64],
    rates: npt.NDArray[np.float64],
    labels: list[list[tuple[str, float]]],
    demand: npt.NDArray[np.float64],
) -> pd.DataFrame:
    """Rows of one (constellation, policy): ``scal`` (k, scalars), ``rates`` (k, schools) Gbit/s."""
    wants = demand > 0
    mbps = rates[:, wants] * 1000.0
    have = mbps.shape[1] > 0 and not np.isnan(mbps).all()
    with np.errstate(invalid="ignore"):
        full = (rates >= demand * (1 - 1e-9)) & wants
    cols: dict[str, Any] = {
        "constellation": cname,
        "policy": policy,
        "t_s": t,
        **{name: scal[:, i] for i, name in enumerate(STEP_SCALARS[:3])},
        "guaranteed_mbps": mbps.min(axis=1) if have else np.nan,
        "median_rate_mbps": np.median(mbps, axis=1) if have else np.nan,
        "p10_rate_mbps": np.percentile(mbps, 10, axis=1) if have else np.nan,
        "schools_full_demand": full.sum(axis=1) if have else np.nan,
        "schools_offline": (mbps <= 0).sum(axis=1) if have else np.nan,
        "bottleneck": [_label(g)[0] for g in labels],
        "bottlenecks": [_label(g)[1] for g in labels],
        "loaded_one_way_propagation_ms": scal[:, 3],
        "routed_gbps": scal[:, 4],
    }
    assert tuple(cols) == STEP_COLUMNS
    return pd.DataFrame(cols)


def _summary_row(steps: pd.DataFrame, unloaded: npt.NDArray[np.float64]) -> dict[str, Any]:
    counts = steps["bottleneck"].value_counts()
    top = str(counts.index[0])
    with np.errstate(all="ignore"):
        unloaded_mean = float(np.nanmean(unloaded)) if np.isfinite(unloaded).any() else np.nan
    return {
        "constellation": steps["constellation"].iat[0],
        "policy": steps["policy"].iat[0],
        "steps": len(steps),
        "demand_gbps": float(steps["demand_gbps"].iat[0]),
        "carried_gbps_mean": float(steps["carried_gbps"].mean()),
        "carried_gbps_min": float(steps["carried_gbps"].min()),
        "carried_share_mean": float(steps["carried_share"].mean()),
        "carried_share_min": float(steps["carried_share"].min()),
        "guaranteed_mbps_min": float(steps["guaranteed_mbps"].min()),
        "guaranteed_mbps_median": float(steps["guaranteed_mbps"].median()),
        "median_rate_mbps": float(steps["median_rate_mbps"].median()),
        "schools_full_demand_mean": float(steps["schools_full_demand"].mean()),
        "schools_offline_mean": float(steps["schools_offline"].mean()),
        "bottleneck": top,
        "bottleneck_share": float(counts.iat[0] / len(steps)),
        "loaded_one_way_propagation_ms": float(steps["loaded_one_way_propagation_ms"].mean()),
        "unloaded_one_way_propagation_ms": unloaded_mean,
    }


def capacity_tables(
    named: Mapping[str, Any],
    policies: Sequence[str],
    times: npt.NDArray[np.float64],
    run: Any,
    where: list[tuple[str, slice]],
    school_ids: npt.NDArray[Any],
    demand_gbps: npt.NDArray[np.float64],
    gateway_ids: npt.NDArray[Any],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(summary, steps, schools, gateways)`` from the finished chunks of a capacity sweep;
    each with the ``attrs`` of :func:`~routecore.analyses.school_connectivity`'s table
    (``partial``, ``steps_done`` and ``times_done`` per constellation, ``steps_total``)."""
    n_p, n_s, n_t, n_g = len(policies), school_ids.size, times.size, gateway_ids.size
    scal = {c: np.full((n_p, n_t, len(STEP_SCALARS)), np.nan) for c in named}
    arrays = {c: np.full((3, n_p, n_t, n_s), np.nan) for c in named}
    gw = {c: np.full((2, n_p, n_t, n_g), np.nan) for c in named}
    labels: dict[str, list[list[Any]]] = {c: [[None] * n_t for _ in policies] for c in named}
    done = {c: np.zeros(n_t, dtype=bool) for c in named}
    for (cname, sl), finished, result in zip(where, run.finished, run.results, strict=True):
        if not finished:
            continue
        for k, per_policy in zip(range(sl.start, sl.stop), result, strict=True):
            for p, (s, rates, loaded, unloaded, groups, load) in enumerate(per_policy):
                scal[cname][p, k] = s
                gw[cname][:, p, k] = load
                arrays[cname][:, p, k] = (rates, loaded, unloaded)
                labels[cname][p][k] = groups
        done[cname][sl] = True
    step_frames, gateway_frames, summary_rows = [], [], []
    blocks: list[tuple[str, str, Any, Any, Any, Any]] = []  # per (constellation, policy)
    for cname in named:
        ok = done[cname]
        if not ok.any():
            continue
        k = int(ok.sum())
        for p, policy in enumerate(policies):
            rates, loaded, unloaded = arrays[cname][:, p, ok]
            groups = [g for g, d in zip(labels[cname][p], ok, strict=True) if d]
            steps = _step_rows(
                cname, policy, times[ok], scal[cname][p, ok], rates, groups, demand_gbps
            )
            step_frames.append(steps)
            gateway_frames.append(
                _gateway_rows(cname, policy, times[ok], gw[cname][:, p, ok], gateway_ids)
            )
            summary_rows.append(_summary_row(steps, unloaded))
            blocks.append((cname, policy, times[ok], rates, loaded, unloaded))
    del arrays  # the school rows hold their own copies; keep the peak at one table
    steps_df = _frame(step_frames, STEP_COLUMNS)
    schools_df = _school_frame(blocks, school_ids, demand_gbps)
    gateways_df = _frame(gateway_frames, GATEWAY_COLUMNS)
    summary = pd.DataFrame(summary_rows, columns=list(SUMMARY_COLUMNS))
    for frame in (summary, steps_df, schools_df, gateways_df):
        frame.attrs.update(
            partial=not run.complete,
            steps_done={c: int(done[c].sum()) for c in named},
            times_done={c: times[done[c]].tolist() for c in named},
            steps_total=int(n_t),
        )
    return summary, steps_df, schools_df, gateways_df


def _school_frame(
    blocks: list[tuple[str, str, Any, Any, Any, Any]],
    school_ids: npt.NDArray[Any],
    demand_gbps: npt.NDArray[np.float64],
) -> pd.DataFrame:
    """The per-school time series: one row per (block, step, school), each block a
    (constellation, policy, step times, rates, loaded, unloaded) with (steps, schools) arrays.
    Every column is built once at its full length and adopted without a copy: concatenating
    per-block frames held the table twice (2.4x its size at 100,000 schools x 96 steps)."""
    if not blocks:
        return pd.DataFrame(columns=list(SCHOOL_COLUMNS))
    n_s = school_ids.size
    steps = np.concatenate([b[2] for b in blocks])
    sizes = [b[2].size * n_s for b in blocks]
    rates = np.concatenate([b[3].ravel() for b in blocks])
    loaded = np.concatenate([b[4].ravel() for b in blocks])
    unloaded = np.concatenate([b[5].ravel() for b in blocks])
    demand = np.tile(demand_gbps, steps.size)
    with np.errstate(invalid="ignore"):
        full = (rates >= demand * (1 - 1e-9)) & ~np.isnan(rates)
    columns = {
        "constellation": np.repeat(np.array([b[0] for b in blocks], dtype=object), sizes),
        "policy": np.repeat(np.array([b[1] for b in blocks], dtype=object), sizes),
        "t_s": np.repeat(steps, n_s),
        "school": np.tile(school_ids, steps.size),
        "demand_mbps": demand * 1000.0,
        "fair_rate_mbps": rates * 1000.0,
        "full_demand": full,
        "loaded_one_way_propagation_ms": loaded,
        "loaded_propagation_rtt_ms": 2.0 * loaded,
        "unloaded_one_way_propagation_ms": unloaded,
        "unloaded_propagation_rtt_ms": 2.0 * unloaded,
    }
    return pd.DataFrame(columns, copy=False)


def _gateway_rows(
    cname: str,
    policy: str,
    t: npt.NDArray[np.float64],
    load: npt.NDArray[np.float64],
    gateway_ids: npt.NDArray[Any],
) -> pd.DataFrame:
    """Rows of one (constellation, policy): ``load`` (2, k steps, gateways) carried and
    capacity, Gbit/s; saturation NaN where the gateway can take nothing."""
    carried, capacity = load[0].ravel(), load[1].ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        saturation = np.where(capacity > 0, carried / capacity, np.nan)
    return pd.DataFrame(
        {
            "constellation": cname,
            "policy": policy,
            "t_s": np.repeat(t, gateway_ids.size),
            "gateway": np.tile(gateway_ids, t.size),
            "carried_gbps": carried,
            "capacity_gbps": capacity,
            "saturation": saturation,
        }
    )


def _frame(frames: list[pd.DataFrame], columns: Sequence[str]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=list(columns))
    return pd.concat(frames, ignore_index=True)
