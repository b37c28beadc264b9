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
    "guaranteed_mbps",
    "median_rate_mbps",
    "p10_rate_mbps",
    "schools_full_demand",
    "schools_offline",
)
"""The scalars a chunk returns per step and policy, in order (the last five:
:func:`rate_stats`)."""

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


def rate_stats(
    rates: npt.NDArray[np.float64] | None, demand: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """The fair-rate figures of one step's steps row, over the schools with demand (``demand``:
    per school, before a policy excludes any): guaranteed (smallest), median and 10th
    percentile rate (Mbit/s), schools at full demand, schools offline (rate 0); NaN without
    rates (``None``: all NaN, not computed) or without a school that has demand. Computed
    where the step is solved (a worker), so the tables are not held up by 10^5 schools x
    steps of statistics."""
    wants = demand > 0
    if rates is None or not wants.any():
        return np.full(5, np.nan)
    mbps = rates[wants] * 1000.0
    full = (rates >= demand * (1 - 1e-9)) & wants
    return np.array(
        [mbps.min(), np.median(mbps), np.percentile(mbps, 10), full.sum(), (mbps <= 0).sum()],
        dtype=np.float64,
    )


def _step_rows(
    cname: str,
    policy: str,
    t: npt.NDArray[np.float64],
    scal: npt.NDArray[np.float64],
    labels: list[list[tuple[str, float]]],
) -> pd.DataFrame:
    """Rows of one (constellation, policy): ``scal`` (k, :data:`STEP_SCALARS`)."""
    have = not np.isnan(scal[:, 5]).all()  # fair rates, and a school with demand
    counts = scal[:, 8:10].astype(np.int64) if have else np.full((len(t), 2), np.nan)
    cols: dict[str, Any] = {
        "constellation": cname,
        "policy": policy,
        "t_s": t,
        **{name: scal[:, i] for i, name in enumerate(STEP_SCALARS[:3])},
        "guaranteed_mbps": scal[:, 5] if have else np.nan,
        "median_rate_mbps": scal[:, 6] if have else np.nan,
        "p10_rate_mbps": scal[:, 7] if have else np.nan,
        "schools_full_demand": counts[:, 0] if have else np.nan,
        "schools_offline": counts[:, 1] if have else np.nan,
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
    (``partial``, ``steps_done`` and ``times_done`` per constellation, ``steps_total``).

    A chunk's answer per step and policy: ``(scalars, rates, loaded, unloaded, labels,
    gateways)`` with ``rates`` (Gbit/s), ``loaded`` and ``unloaded`` (ms) per school, each
    ``None`` where it was not computed (all NaN)."""
    n_p, n_t, n_g = len(policies), times.size, gateway_ids.size
    done = {c: np.zeros(n_t, dtype=bool) for c in named}
    for (cname, sl), finished in zip(where, run.finished, strict=True):
        done[cname][sl] = bool(finished)
    blocks = [(c, p) for c in named if done[c].any() for p in range(n_p)]
    school_rows = SchoolColumns(blocks, done, times, policies, school_ids, demand_gbps)
    scal = {c: np.full((n_p, n_t, len(STEP_SCALARS)), np.nan) for c in named}
    gw = {c: np.full((2, n_p, n_t, n_g), np.nan) for c in named}
    labels: dict[str, list[list[Any]]] = {c: [[None] * n_t for _ in policies] for c in named}
    for (cname, sl), finished, result in zip(where, run.finished, run.results, strict=True):
        if not finished:
            continue
        for k, per_policy in zip(range(sl.start, sl.stop), result, strict=True):
            for p, (s, rates, loaded, unloaded, groups, load) in enumerate(per_policy):
                scal[cname][p, k] = s
                gw[cname][:, p, k] = load
                labels[cname][p][k] = groups
                school_rows.put(cname, p, k, rates, loaded, unloaded)
    step_frames, gateway_frames, summary_rows = [], [], []
    for cname, p in blocks:
        ok, policy = done[cname], policies[p]
        groups = [g for g, d in zip(labels[cname][p], ok, strict=True) if d]
        steps = _step_rows(cname, policy, times[ok], scal[cname][p, ok], groups)
        step_frames.append(steps)
        gateway_frames.append(
            _gateway_rows(cname, policy, times[ok], gw[cname][:, p, ok], gateway_ids)
        )
        summary_rows.append(_summary_row(steps, school_rows.unloaded(cname, p)))
    steps_df = _frame(step_frames, STEP_COLUMNS)
    schools_df = school_rows.frame()
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


class SchoolColumns:
    """The per-school time series, one row per (constellation, policy, step, school) in that
    order over the finished steps, its columns allocated once at full length and filled
    as the chunks' answers are read (:meth:`put`), then adopted by the frame without a copy:
    28.8 million rows for 100,000 schools x 96 steps x 3 policies, so no column is built
    twice and nothing is concatenated."""

    def __init__(
        self,
        blocks: list[tuple[str, int]],
        done: Mapping[str, npt.NDArray[np.bool_]],
        times: npt.NDArray[np.float64],
        policies: Sequence[str],
        school_ids: npt.NDArray[Any],
        demand_gbps: npt.NDArray[np.float64],
    ) -> None:
        n_s = school_ids.size
        self.blocks, self.school_ids, self.demand = blocks, school_ids, demand_gbps
        self.policies = tuple(policies)
        self.step_times = [times[done[c]] for c, _ in blocks]
        sizes = [t.size * n_s for t in self.step_times]
        self.start = dict(zip(blocks, np.cumsum([0, *sizes[:-1]]).tolist(), strict=True))
        self.size = dict(zip(blocks, sizes, strict=True))
        self.rank = {c: np.cumsum(ok) - 1 for c, ok in done.items()}  # step -> rank among done
        total = int(sum(sizes))
        self.rates_mbps = np.empty(total)
        self.full = np.zeros(total, dtype=bool)
        self.loaded = np.empty(total)
        self.loaded_rtt = np.empty(total)
        self.unloaded_ms = np.empty(total)
        self.unloaded_rtt = np.empty(total)

    def put(
        self,
        cname: str,
        p: int,
        k: int,
        rates: npt.NDArray[np.float64] | None,
        loaded: npt.NDArray[np.float64] | None,
        unloaded: npt.NDArray[np.float64] | None,
    ) -> None:
        """One step's answer of constellation ``cname``, policy ``p``, step ``k``."""
        n_s = self.demand.size
        lo = self.start[(cname, p)] + int(self.rank[cname][k]) * n_s
        rows = slice(lo, lo + n_s)
        if rates is None:
            self.rates_mbps[rows] = np.nan
        else:
            np.multiply(rates, 1000.0, out=self.rates_mbps[rows])
            with np.errstate(invalid="ignore"):
                self.full[rows] = (rates >= self.demand * (1 - 1e-9)) & ~np.isnan(rates)
        for one_way, rtt, value in (
            (self.loaded, self.loaded_rtt, loaded),
            (self.unloaded_ms, self.unloaded_rtt, unloaded),
        ):
            if value is None:
                one_way[rows] = np.nan
                rtt[rows] = np.nan
            else:
                one_way[rows] = value
                np.multiply(value, 2.0, out=rtt[rows])

    def unloaded(self, cname: str, p: int) -> npt.NDArray[np.float64]:
        """The unloaded latencies of one (constellation, policy), steps x schools, flat."""
        lo = self.start[(cname, p)]
        return self.unloaded_ms[lo : lo + self.size[(cname, p)]]

    def frame(self) -> pd.DataFrame:
        if not self.blocks:
            return pd.DataFrame(columns=list(SCHOOL_COLUMNS))
        n_s = self.school_ids.size
        steps = np.concatenate(self.step_times)
        sizes = [self.size[b] for b in self.blocks]
        columns = {
            "constellation": _text(np.repeat(np.array([c for c, _ in self.blocks], object), sizes)),
            "policy": _text(
                np.repeat(np.array([self.policies[p] for _, p in self.blocks], object), sizes)
            ),
            "t_s": np.repeat(steps, n_s),
            "school": _text(np.tile(self.school_ids, steps.size)),
            "demand_mbps": np.tile(self.demand, steps.size) * 1000.0,
            "fair_rate_mbps": self.rates_mbps,
            "full_demand": self.full,
            "loaded_one_way_propagation_ms": self.loaded,
            "loaded_propagation_rtt_ms": self.loaded_rtt,
            "unloaded_one_way_propagation_ms": self.unloaded_ms,
            "unloaded_propagation_rtt_ms": self.unloaded_rtt,
        }
        assert tuple(columns) == SCHOOL_COLUMNS
        return pd.DataFrame(columns, copy=False)


def _text(values: npt.NDArray[Any]) -> Any:
    """``values`` (an object array, 10^7 entries and more) as the frame column pandas would
    make of it, without pandas' per-element inference where that column is pandas' own
    Python-backed ``str`` (pandas 3): the checked ``StringArray`` constructor adopts the array
    as it is, three times faster (the frame is the same, ``assert_frame_equal``)."""
    dtype = pd.Series(values[:1]).dtype  # what pandas infers (all strings: the first says it)
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "python":
        try:
            return pd.arrays.StringArray(values, dtype=dtype)
        except (TypeError, ValueError):  # not all strings after all: pandas decides
            pass
    return values


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
