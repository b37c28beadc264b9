"""Arrays at the boundary: node ids, per-edge values, masks, counts and the size limits."""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from ..errors import GraphError, NodeIndexError

if TYPE_CHECKING:
    pass

MAX_ID_COUNT = 2**31 - 1
"""Largest node or arc count with 32-bit ids (undirected graphs use two arcs per edge)."""

MAX_FLOW_EDGES = MAX_ID_COUNT // 2
"""Largest edge count max-flow accepts: its residual network has two arcs per edge (directed or
undirected), and residual arc ids are int32 too."""

MAX_WEIGHT_TOTAL = float(np.finfo(np.float64).max) / 4
"""Largest accepted sum of a graph's weights (each edge once), about 4.49e307.

Why a quarter of the float64 maximum ``F``: every number a search computes is a float sum of
weights along at most three simple paths (a path length; bidirectional search's
``dist_f[u] + w(u, v) + dist_b[v]``), so its exact value is at most ``3 S`` for the exact weight
total ``S``. A float sum of ``k`` non-negative terms, in any order, is at most ``(1 + u)**(k-1)``
times the exact sum (``u = 2**-53``), and ``k < 2**33`` with 32-bit ids, so rounding adds less
than a factor ``1 + 2**-19``; the check's own sum ``W`` is off from ``S`` by less than that
factor too. ``W <= F / 4`` therefore keeps every such sum below ``3 (1 + 2**-19)**2 F / 4 < F``:
no summation order can overflow to ``inf`` (which would read as "unreachable")."""

Int32Array = npt.NDArray[np.int32]
Float64Array = npt.NDArray[np.float64]


def read_only_view(arr: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """A read-only view of ``arr``, whose memory the caller hands over (``arr`` itself is made
    read-only too and must not be handed out). numpy refuses ``writeable = True`` on a view of a
    read-only base, so arrays that C++ code reads, or that results keep, cannot be switched back
    to writeable and edited behind the core's back. No copy.

    >>> v = read_only_view(np.arange(3))
    >>> v.flags.writeable = True
    Traceback (most recent call last):
    ...
    ValueError: cannot set WRITEABLE flag to True of this array
    """
    arr.flags.writeable = False
    view = arr.view()
    view.flags.writeable = False
    return view


def _item_types(values: Any) -> set[type] | None:
    """The types of a list's or tuple's items (``None`` for anything else, e.g. an array):
    numpy converts ``[0, True]`` to int64 and ``[1, 2**63]`` to float64 silently, so the
    checks below look at what the caller actually wrote. ``map(type, ...)`` runs in C."""
    if isinstance(values, list | tuple):
        return set(map(type, values))
    return None


def refuse_bool_ids(values: Any, name: str, what: str) -> None:
    """Refuse ``True`` / ``False`` mixed with other items in ids given as a list or tuple (numpy
    would read them as 1 and 0; a list of bools only is a boolean array, judged by dtype)."""
    types = _item_types(values)
    if types is not None and types & {bool, np.bool_} and types - {bool, np.bool_}:
        i = next(i for i, x in enumerate(values) if isinstance(x, bool | np.bool_))
        raise GraphError(f"{name}[{i}] = {values[i]!r} is a bool, not {what} (an integer)")


def as_array(values: Any, name: str) -> np.ndarray[Any, Any]:
    """``np.asarray(values)``, refusing what numpy cannot turn into an array of numbers.

    Masked arrays are refused: numpy's conversion drops the mask, so masked-out entries would
    silently count as data.
    """
    if isinstance(values, np.ma.MaskedArray):
        raise GraphError(
            f"{name}: masked arrays are not accepted (their mask would be ignored); pass "
            "arr.filled(value) or arr.compressed() instead"
        )
    try:
        arr = np.asarray(values)
    except Exception as exc:  # numpy raises many types for ragged or odd input
        raise GraphError(f"{name}: cannot convert to an array ({exc})") from exc
    if arr.dtype == object:
        raise GraphError(f"{name}: expected numbers, got an array of Python objects")
    return arr


def check_count(value: Any, name: str) -> int:
    """A non-negative integer count (e.g. ``num_nodes``) that fits 32-bit ids."""
    if isinstance(value, bool | np.bool_):
        raise GraphError(f"{name} must be an integer, got {value!r}")
    try:
        count = operator.index(value)
    except TypeError:
        raise GraphError(f"{name} must be an integer, got {value!r}") from None
    if count < 0:
        raise GraphError(f"{name} must be >= 0, got {count}")
    if count > MAX_ID_COUNT:
        raise GraphError(
            f"{name} = {count} exceeds the 32-bit limit of {MAX_ID_COUNT}; "
            "routecore stores node and arc ids as int32"
        )
    return count


def node_id_array(values: Any, num_nodes: int, name: str) -> Int32Array:
    """Integer node ids as a 1-D C-contiguous int32 array, each in ``[0, num_nodes)``."""
    refuse_bool_ids(values, name, "a node id")
    arr = as_array(values, name)
    if arr.ndim != 1:
        raise GraphError(f"{name}: expected a 1-D array of node ids, got shape {arr.shape}")
    if arr.size == 0:
        return np.zeros(0, dtype=np.int32)
    # dtype kinds: "i" signed and "u" unsigned integers. Not bool ("b"), and not timedelta64
    # ("m"), which numpy counts as an integer type but which carries a unit.
    if arr.dtype.kind not in "iu":
        raise GraphError(f"{name}: node ids must be integers, got dtype {arr.dtype}")
    bad = np.flatnonzero((arr < 0) | (arr >= num_nodes))
    if bad.size:
        i = int(bad[0])
        raise NodeIndexError(
            f"{name}[{i}] = {arr[i]} is not a node id; valid ids are 0..{num_nodes - 1}"
            if num_nodes
            else f"{name}[{i}] = {arr[i]} is not a node id; the graph has no nodes"
        )
    return np.ascontiguousarray(arr, dtype=np.int32)


def edge_endpoints(
    src: Any, dst: Any, num_nodes: int, directed: bool
) -> tuple[Int32Array, Int32Array]:
    """A graph's ``src`` and ``dst``: 1-D, one entry per edge, node ids in range, as int32.

    Sizes first: a graph whose arcs (one per directed edge, two per undirected) overflow int32
    arc ids is refused before any id array is converted or scanned (which would allocate a copy
    per array).
    """
    refuse_bool_ids(src, "src", "a node id")
    refuse_bool_ids(dst, "dst", "a node id")
    src_arr = as_array(src, "src")
    dst_arr = as_array(dst, "dst")
    for name, arr in (("src", src_arr), ("dst", dst_arr)):
        if arr.ndim != 1:
            raise GraphError(f"{name}: expected a 1-D array of node ids, got shape {arr.shape}")
    if src_arr.shape != dst_arr.shape:
        raise GraphError(
            f"src has {src_arr.shape[0]} entries but dst has {dst_arr.shape[0]}; "
            "they must have one entry per edge"
        )
    m = src_arr.shape[0]
    num_arcs = m if directed else 2 * m
    if num_arcs > MAX_ID_COUNT:
        raise GraphError(
            f"{m} edges need {num_arcs} arcs, more than the 32-bit limit of {MAX_ID_COUNT}"
        )
    return node_id_array(src_arr, num_nodes, "src"), node_id_array(dst_arr, num_nodes, "dst")


def node_id(value: Any, num_nodes: int, name: str) -> int:
    """One node id in ``[0, num_nodes)``."""
    if isinstance(value, bool | np.bool_):
        raise GraphError(f"{name} must be a node id (integer), got {value!r}")
    try:
        node = operator.index(value)
    except TypeError:
        raise GraphError(f"{name} must be a node id (integer), got {value!r}") from None
    if not 0 <= node < num_nodes:
        raise NodeIndexError(
            f"{name} = {node} is not a node id; valid ids are 0..{num_nodes - 1}"
            if num_nodes
            else f"{name} = {node} is not a node id; the graph has no nodes"
        )
    return node


def node_ids(values: Any, num_nodes: int, name: str) -> tuple[Int32Array, bool]:
    """A scalar node id or a sequence of them; returns (ids, was_scalar)."""
    if type(values) is int and 0 <= values < num_nodes:  # the commonest call, checked at once
        return np.array([values], dtype=np.int32), True
    if isinstance(values, int | np.integer):  # the common case, without an array round trip
        return np.array([node_id(values, num_nodes, name)], dtype=np.int32), True
    refuse_bool_ids(values, name, "a node id")
    arr = as_array(values, name) if not isinstance(values, str | bytes) else None
    if arr is None or arr.ndim == 0:
        return np.array([node_id(values, num_nodes, name)], dtype=np.int32), True
    return node_id_array(arr, num_nodes, name), False


def edge_values(
    values: Any,
    num_edges: int,
    name: str,
    *,
    kind: Literal["weight", "capacity"],
) -> npt.NDArray[np.float64] | npt.NDArray[np.int64]:
    """Per-edge weights or capacities: 1-D, length ``num_edges``, finite and >= 0.

    Weights become float64. Capacities stay exact: integer (and bool) input becomes int64,
    float input float64.
    """
    plural = "weights" if kind == "weight" else "capacities"
    arr = as_array(values, name)
    types = _item_types(values)
    if types is not None and int in types and arr.dtype.kind in "fu":
        # Python ints numpy could not keep as int64: it rounded them to floats (or, all
        # non-negative, made uint64, checked below). Refuse rather than lose digits.
        big = next(
            (i for i, x in enumerate(values) if type(x) is int and not -(2**63) <= x < 2**63), None
        )
        if big is not None:
            raise GraphError(
                f"{name}[{big}] = {values[big]} does not fit in int64; integer {plural} are "
                "kept exact, so give them within +-2**63 (or give floats)"
            )
    if arr.ndim != 1:
        raise GraphError(f"{name}: expected a 1-D array with one {kind} per edge, got {arr.shape}")
    if arr.shape[0] != num_edges:
        raise GraphError(f"{name} has {arr.shape[0]} entries but the graph has {num_edges} edges")
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    if arr.dtype.kind in "iu":
        if arr.dtype == np.uint64 and arr.size and int(arr.max()) > np.iinfo(np.int64).max:
            i = int(np.argmax(arr))
            raise GraphError(f"{name}[{i}] = {arr[i]} does not fit in int64")
        ints = arr.astype(np.int64)
        bad = np.flatnonzero(ints < 0)
        if bad.size:
            i = int(bad[0])
            raise GraphError(f"{name}[{i}] = {ints[i]} is negative; {plural} must be >= 0")
        if kind == "weight":
            return np.ascontiguousarray(ints, dtype=np.float64)
        return np.ascontiguousarray(ints)
    if arr.dtype.kind != "f":
        raise GraphError(f"{name}: {plural} must be real numbers, got dtype {arr.dtype}")
    with np.errstate(over="ignore", invalid="ignore"):  # inf, NaN: reported below
        floats = np.ascontiguousarray(arr, dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(floats) | (floats < 0))
    if bad.size:
        i = int(bad[0])
        v = floats[i]
        what = "NaN" if np.isnan(v) else ("infinite" if np.isinf(v) else "negative")
        raise GraphError(f"{name}[{i}] = {v} is {what}; {plural} must be finite and >= 0")
    if kind == "weight":
        check_weight_total(floats, name)
    return floats


def check_weight_total(weights: Float64Array, name: str) -> None:
    """Refuse weights (one per edge, finite, >= 0) whose total exceeds
    :data:`MAX_WEIGHT_TOTAL`, so that no path length can overflow in any summation order."""
    with np.errstate(over="ignore"):
        total = float(weights.sum())
    if not total <= MAX_WEIGHT_TOTAL:  # also catches inf
        raise GraphError(
            f"{name}: the weights add up to {total:.4g}, more than {MAX_WEIGHT_TOTAL:.4g} (a "
            "quarter of the float64 maximum), so path lengths could overflow; scale them down"
        )


def node_mask(values: Any, num_nodes: int, name: str) -> npt.NDArray[np.uint8] | None:
    """A boolean mask of length ``num_nodes`` or an array of node ids, as a uint8 mask."""
    if values is None:
        return None
    refuse_bool_ids(values, name, "a node id")
    arr = as_array(values, name)
    if arr.dtype == np.bool_:
        if arr.shape != (num_nodes,):
            raise GraphError(f"{name}: a boolean mask needs shape ({num_nodes},), got {arr.shape}")
        return np.ascontiguousarray(arr, dtype=np.uint8)
    ids = node_id_array(arr.reshape(-1) if arr.ndim == 0 else arr, num_nodes, name)
    mask = np.zeros(num_nodes, dtype=np.uint8)
    mask[ids] = 1
    return mask


def forbidden_node_mask(values: Any, num_nodes: int) -> npt.NDArray[np.uint8] | None:
    """``forbidden_nodes`` as a uint8 mask, or ``None`` when no node is forbidden."""
    mask = node_mask(values, num_nodes, "forbidden_nodes")
    if mask is None or not mask.any():
        return None
    return mask


def check_not_forbidden(
    ids: Int32Array, mask: npt.NDArray[np.uint8] | None, name: str, scalar: bool
) -> None:
    """Refuse route ends (sources, a target) that lie in ``forbidden_nodes``."""
    if mask is None:
        return
    bad = np.flatnonzero(mask[ids])
    if bad.size:
        i = int(bad[0])
        where = name if scalar else f"{name}[{i}]"
        raise GraphError(
            f"{where} = {ids[i]} is in forbidden_nodes; a path cannot start or end there"
        )
