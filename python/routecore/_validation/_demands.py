"""Demand tables (multi-commodity flow): node pairs with an amount, and per-demand budgets."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import GraphError
from ._arrays import Float64Array, Int32Array, as_array, node_id_array
from ._options import real_number

DEMAND_COLUMNS = ("source", "target", "amount")


def _columns(demands: Any) -> tuple[Any, Any, Any]:
    """The three columns of a demand table, by position (a 3-tuple or 3-list of arrays) or by
    name (a mapping, a numpy structured array or a data frame with those columns)."""
    if isinstance(demands, tuple | list):
        if len(demands) != 3:
            raise GraphError(
                "demands: expected three arrays (source, target, amount) or a table with "
                f"columns {DEMAND_COLUMNS}, got a sequence of length {len(demands)}"
            )
        return demands[0], demands[1], demands[2]
    names: Any = None
    if isinstance(demands, np.ndarray) and demands.dtype.names is not None:
        names = demands.dtype.names
    elif isinstance(demands, Mapping):
        names = list(demands.keys())
    elif hasattr(demands, "columns"):  # a data frame
        names = list(demands.columns)
    if names is None:
        raise GraphError(
            "demands: expected three arrays (source, target, amount) or a table with columns "
            f"{DEMAND_COLUMNS}, got {type(demands).__name__}"
        )
    missing = [c for c in DEMAND_COLUMNS if c not in names]
    if missing:
        raise GraphError(f"demands: the table has no column {missing[0]!r} (it has {names})")
    return demands["source"], demands["target"], demands["amount"]


def demand_table(
    demands: Any, num_nodes: int, *, allow_inf: bool
) -> tuple[Int32Array, Int32Array, Float64Array]:
    """``(source, target, amount)``: int32 node ids in range and float64 amounts >= 0 (``inf``
    only where ``allow_inf``), all of one length."""
    src, dst, amount = _columns(demands)
    source = node_id_array(src, num_nodes, "demands.source")
    target = node_id_array(dst, num_nodes, "demands.target")
    arr = as_array(amount, "demands.amount")
    if arr.ndim != 1:
        raise GraphError(f"demands.amount: expected a 1-D array, got shape {arr.shape}")
    if arr.dtype.kind not in "biuf":
        raise GraphError(f"demands.amount: expected real numbers, got dtype {arr.dtype}")
    if not source.shape == target.shape == arr.shape:
        raise GraphError(
            "demands: source, target and amount must have one entry per demand; got lengths "
            f"{source.shape[0]}, {target.shape[0]} and {arr.shape[0]}"
        )
    with np.errstate(over="ignore", invalid="ignore"):  # inf, NaN: reported below
        values = np.ascontiguousarray(arr, dtype=np.float64)
    ok = np.isfinite(values) | (np.isposinf(values) if allow_inf else False)
    bad = np.flatnonzero(~ok | (values < 0))
    if bad.size:
        i = int(bad[0])
        rule = "finite or inf" if allow_inf else "finite"
        raise GraphError(f"demands.amount[{i}] = {values[i]}; amounts must be {rule} and >= 0")
    return source, target, values


def latency_budgets(value: Any, k: int) -> Float64Array:
    """One latency budget per demand (a scalar applies to all): >= 0, ``inf`` for none."""
    if np.ndim(value) == 0:
        budget = real_number(value, "max_latency")
        if math.isnan(budget) or budget < 0:
            raise GraphError(f"max_latency = {budget}; budgets must be >= 0 (inf for none)")
        return np.full(k, budget, dtype=np.float64)
    arr = as_array(value, "max_latency")
    if arr.shape != (k,) or arr.dtype.kind not in "biuf":
        raise GraphError(
            f"max_latency: expected a number or one number per demand, shape ({k},), got "
            f"shape {arr.shape} of dtype {arr.dtype}"
        )
    values = arr.astype(np.float64)
    bad = np.flatnonzero(np.isnan(values) | (values < 0))
    if bad.size:
        i = int(bad[0])
        raise GraphError(f"max_latency[{i}] = {values[i]}; budgets must be >= 0 (inf for none)")
    return values
