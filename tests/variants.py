"""The input-variant library of the robustness tests: every form of every argument of the public
functions.

A test draws a small valid problem, then replaces ONE argument by a :class:`Variant` of it: an
equivalent form (list, tuple, other integer width, big-endian, strided or negative-stride view,
read-only, 0-d where a scalar is allowed) or a broken one (wrong dtype, shape or length, ragged,
an id out of range up to 2**64, NaN / inf / negative values, text, None, bools). Every call must
end in exactly one of two ways (:func:`outcome` checks it):

* a valid variant gives the result an independent oracle (scipy / networkx / plain Python)
  computes from the canonical input (contiguous int64 ids, float64 weights);
* a broken variant raises :class:`routecore.GraphError` whose message names the argument.

Anything else (another exception type, a crash, a hang, a result that differs) fails, and no
input array may be modified or have its flags changed. :func:`chaos_arrays` adds arbitrary
numpy arrays (any dtype, shape, stride), judged by :func:`accepts_ids` / :func:`accepts_values`,
a reference statement of what the documentation accepts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import routecore as rc
from routecore._validation import MAX_WEIGHT_TOTAL

BAD_IDS = (-1, -(2**31), 2**31 - 1, 2**31, 2**32, 2**63 - 1, -(2**63))
"""Out-of-range ids for graphs with fewer than 2**31 - 1 nodes (all of these graphs)."""


# ------------------------------------------------------------------------------- variants
@dataclass(frozen=True)
class Variant:
    """One form of an argument: ``value`` is passed; if ``valid`` the call must behave as with
    ``canonical``, otherwise it must raise GraphError naming the argument."""

    label: str
    value: Any
    valid: bool
    canonical: Any = None
    data_error: bool = False
    """For an option: the value is recognised but the other arguments cannot serve it
    (method="astar" without coordinates), so the call raises GraphError like bad data."""


def _strided(a: np.ndarray) -> np.ndarray:
    """A non-contiguous view with the same values (every other element of a doubled array)."""
    return np.repeat(a, 2)[::2]


def _negative_stride(a: np.ndarray) -> np.ndarray:
    return a[::-1].copy()[::-1]


def read_only(a: np.ndarray) -> np.ndarray:
    b = a.copy()
    b.flags.writeable = False
    return b


def _column_view(a: np.ndarray) -> np.ndarray:
    """Column 0 of a Fortran-ordered 2-D array: non-contiguous, owned by the 2-D base."""
    return np.asfortranarray(np.stack([a, a], axis=1))[:, 0]


def same_values(a: np.ndarray) -> list[tuple[str, Any]]:
    """Equivalent containers of the values of ``a``."""
    return [
        ("array", a),
        ("list", a.tolist()),
        ("tuple", tuple(a.tolist())),
        ("strided", _strided(a)),
        ("negative-stride", _negative_stride(a)),
        ("read-only", read_only(a)),
        ("fortran-column", _column_view(a)),
        ("byte-swapped", a.astype(a.dtype.newbyteorder())),
    ]


def id_variants(
    base: np.ndarray,
    num_nodes: int,
    *,
    scalar_ok: bool,
    length_matters: bool,
    none_ok: bool = False,
) -> list[Variant]:
    """Forms of a 1-D int64 array of valid node ids. ``none_ok``: None is valid and means
    "no ids" (canonical None)."""
    out = [Variant(label, v, True, base) for label, v in same_values(base)]
    for dt in (np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.uint64):
        info = np.iinfo(dt)
        if base.size == 0 or (base.min() >= info.min and base.max() <= info.max):
            out.append(Variant(f"dtype {np.dtype(dt)}", base.astype(dt), True, base))
    if base.size == 0:
        out.append(Variant("empty list", [], True, base))
        out.append(Variant("empty float", np.zeros(0), True, base))
        out.append(Variant("empty text", np.zeros(0, dtype=str), True, base))
    else:
        for label, value in (
            ("float", base.astype(np.float64)),
            ("complex", base.astype(np.complex128)),
            ("bool", base.astype(bool)),
            ("text", base.astype(str)),
            ("bytes", base.astype(bytes)),
            ("timedelta", base.astype("m8[s]")),
            ("datetime", base.astype("M8[s]")),
            ("object with None", [*base.tolist()[:-1], None]),
            ("ragged", [base.tolist(), [0]]),
            ("row", base.reshape(1, -1)),
            ("column", base.reshape(-1, 1)),
        ):
            out.append(Variant(label, value, False))
        for i, bad in enumerate(BAD_IDS):
            ids = base.copy()
            ids[i % base.size] = bad
            out.append(Variant(f"id {bad}", ids, False))
        for bad_u in (np.uint64(2**63), np.uint64(2**64 - 1)):
            ids_u = base.astype(np.uint64)
            ids_u[-1] = bad_u
            out.append(Variant(f"uint64 id {bad_u}", ids_u, False))
        out.append(Variant("python id 2**64", [*base.tolist()[:-1], 2**64], False))
        out.append(Variant("id num_nodes", [*base.tolist()[:-1], num_nodes], False))
        zero_d = np.asarray(base[0])
        out.append(Variant("0-d array", zero_d, scalar_ok, base[:1] if scalar_ok else None))
        out.append(Variant("numpy scalar", base.astype(np.int16)[0], scalar_ok, base[:1]))
        if length_matters:
            out.append(Variant("one short", base[:-1], False))
    if length_matters:
        out.append(Variant("one long", np.append(base, 0), False))
    if not scalar_ok:
        out.append(Variant("python int", 0, False))
    out.append(Variant("None", None, none_ok, None))
    out.append(Variant("text", "0", False))
    return out


def value_variants(
    base: np.ndarray, *, kind: str, none_ok: bool = False, huge_ok: bool = False
) -> list[Variant]:
    """Forms of a per-edge float64 array of small integers (weights or capacities).
    ``none_ok``: None is valid (canonical None); ``huge_ok``: add the valid int64 maximum."""
    exact_int = kind == "capacity"
    canon_int = base.astype(np.int64)
    out = [Variant(label, v, True, base) for label, v in same_values(base)]
    for dt in (np.int8, np.uint8, np.int32, np.int64, np.uint64):
        out.append(Variant(f"dtype {np.dtype(dt)}", base.astype(dt), True, canon_int))
    out.append(Variant("float32", base.astype(np.float32), True, base))
    out.append(Variant("float16", base.astype(np.float16), True, base))
    out.append(Variant("longdouble", base.astype(np.longdouble), True, base))
    if base.size and base.max() <= 1:
        out.append(Variant("bool", base.astype(bool), True, canon_int))
    out.append(Variant("None", None, none_ok, None))
    for label, value in (
        ("row", base.reshape(1, -1)),
        ("column", base.reshape(-1, 1)),
        ("one long", np.append(base, 1.0)),
        ("text", "1"),
        ("scalar", 1.0),
    ):
        out.append(Variant(label, value, False))
    if base.size:
        for label, value in (
            ("complex", base.astype(np.complex128)),
            ("text array", base.astype(str)),
            ("timedelta", base.astype(np.int64).astype("m8[s]")),
            ("object with None", [*base.tolist()[:-1], None]),
            ("ragged", [base.tolist(), [1.0]]),
            ("one short", base[:-1]),
            ("python int 2**64", [*canon_int.tolist()[:-1], 2**64]),
        ):
            out.append(Variant(label, value, False))
        for bad in (np.nan, np.inf, -np.inf, -1.0, -5e-324):
            v = base.copy()
            v[-1] = bad
            out.append(Variant(f"value {bad}", v, False))
        for label, big in (("longdouble 1e4000", np.longdouble("1e4000")),):
            v = base.astype(np.longdouble)
            v[0] = big
            out.append(Variant(label, v, False))
        neg = canon_int.copy()
        neg[0] = -(2**63)
        out.append(Variant("int -2**63", neg, False))
        huge = canon_int.astype(np.uint64)
        huge[0] = np.uint64(2**64 - 1)
        out.append(Variant("uint64 2**64-1", huge, False))
    if base.size and huge_ok:
        # Huge but representable values are valid input: exact int64 for capacities, float64
        # for weights.
        big_int = canon_int.copy()
        big_int[0] = 2**63 - 1
        out.append(
            Variant(
                "int64 max",
                big_int,
                True,
                big_int if exact_int else big_int.astype(np.float64),
            )
        )
    return out


def scalar_variants(kind: str, good: Any) -> list[Variant]:
    """Forms of a scalar argument; ``good`` is the valid value the problem uses."""
    if kind == "length":  # max_length
        out = [
            Variant("same", good, True, good),
            Variant("numpy float", np.float64(good), True, good),
            Variant("0-d array", np.array(good), True, good),
        ]
        if math.isfinite(good) and good == int(good):
            out.append(Variant("int", int(good), True, good))
            out.append(Variant("numpy int", np.int64(int(good)), True, good))
        out += [
            Variant("inf", math.inf, True, math.inf),
            Variant("10**30", 10**30, True, 1e30),
        ]
        out += [
            Variant(label, v, False)
            for label, v in (
                ("nan", math.nan),
                ("negative", -1.0),
                ("-inf", -math.inf),
                ("text", "1.5"),
                ("None", None),
                ("bool", True),
                ("list", [1.0]),
                ("complex", 1j),
                ("10**400", 10**400),
            )
        ]
        return out
    if kind == "threads":
        out = [Variant(f"{v!r}", v, True) for v in (None, 1, 2, 3, np.int32(2), 10**6, 2**40)]
        out += [Variant(f"{v!r}", v, False) for v in (0, -1, 2.0, "2", True, [2])]
        return out
    if kind == "flag":
        out = [Variant(f"{v!r}", v, True, bool(v)) for v in (good, np.bool_(good))]
        out += [Variant(f"{v!r}", v, False) for v in (1, 0, "no", "yes", None, np.array([1, 1]))]
        return out
    raise AssertionError(kind)


def node_variants(node: int, num_nodes: int) -> list[Variant]:
    """Forms of one node id (source, target)."""
    out = [
        Variant(f"{t.__name__}", t(node), True, node)
        for t in (int, np.int8, np.uint8, np.int32, np.uint64)
    ]
    out.append(Variant("0-d array", np.array(node), True, node))
    out += [
        Variant(f"{v!r}", v, False)
        for v in (
            -1,
            num_nodes,
            2**31,
            2**63,
            2**64,
            -(2**63),
            float(node),
            str(node),
            None,
            True,
            1j,
            [node],
        )
    ]
    return out


def graph_variants(g: rc.Graph) -> list[Variant]:
    out = [Variant("graph", g, True, g)]
    out += [Variant(f"{type(v).__name__}", v, False) for v in (None, [[0, 1]], nx.Graph(), 3)]
    return out


def failure_variants(cases: list[list[int]], num_edges: int) -> list[Variant]:
    """Forms of the ``failed`` argument of the sweeps: one list of failed edge ids per case."""
    width = max((len(c) for c in cases), default=0)
    padded = np.full((len(cases), width), -1, dtype=np.int64)
    for i, c in enumerate(cases):
        padded[i, : len(c)] = c
    out = [
        Variant("lists", cases, True, cases),
        Variant("tuples", tuple(tuple(c) for c in cases), True, cases),
        Variant("arrays", [np.array(c, dtype=np.uint16) for c in cases], True, cases),
        Variant("padded 2-D", padded, True, cases),
        Variant("padded int8", padded.astype(np.int8), True, cases),
        Variant("padded strided", np.repeat(padded, 2, axis=0)[::2], True, cases),
        Variant("padded read-only", read_only(padded), True, cases),
        Variant("padded fortran", np.asfortranarray(padded), True, cases),
        Variant("no cases", [], True, []),
    ]
    # An empty 2-D array (no case has a failed edge) is valid whatever its dtype.
    out += [
        Variant(label, padded.astype(dtype), padded.size == 0, cases)
        for label, dtype in (
            ("float 2-D", np.float64),
            ("bool 2-D", bool),
            ("timedelta 2-D", "m8[s]"),
            ("text 2-D", str),
        )
    ]
    bad: list[tuple[str, Any]] = [
        ("None", None),
        ("int", 3),
        ("3-D", padded[None]),
        ("ragged case", [[0, [1]]]),
        ("float case", [[0.5]]),
        ("timedelta case", [np.array([0], dtype="m8[s]")]),
        ("negative id", [[-1]]),
        ("id num_edges", [[num_edges]]),
        ("id 2**31", [[2**31]]),
        ("id 2**64", [[2**64]]),
        ("uint64 2**63", np.array([[2**63]], dtype=np.uint64)),
        ("text", "ab"),
    ]
    if (padded < 0).any():
        bad.append(("-2 padding", np.where(padded < 0, -2, padded)))
    return out + [Variant(label, value, False) for label, value in bad]


def edge_set_variants(base: np.ndarray, num_edges: int) -> list[Variant]:
    """Forms of ``forbidden_edges``: edge ids (any valid id form) or a boolean mask."""
    out = id_variants(base, num_edges, scalar_ok=True, length_matters=False, none_ok=True)
    mask = np.zeros(num_edges, dtype=bool)
    mask[base] = True
    out += [Variant(f"mask {lb}", v, True, mask) for lb, v in same_values(mask)[:4]]
    out += [
        # One short (one long when there are no edges: an empty mask is then the right one).
        Variant("wrong-length mask", mask[:-1] if num_edges else np.zeros(1, bool), False),
        Variant("2-D mask", mask.reshape(1, -1), False),
        Variant("0-d mask", np.bool_(True), False),
    ]
    return [
        Variant(v.label.replace("num_nodes", "num_edges"), v.value, v.valid, v.canonical)
        for v in out
    ]


# -------------------------------------------------------------------------------- checking
def snapshot(values: Sequence[Any]) -> list[tuple[np.ndarray, np.ndarray, bool] | None]:
    return [
        (v, v.copy(), bool(v.flags.writeable)) if isinstance(v, np.ndarray) else None
        for v in values
    ]


def check_unchanged(
    snap: list[tuple[np.ndarray, np.ndarray, bool] | None], *, flags: bool = True
) -> None:
    for item in snap:
        if item is None:
            continue
        arr, copy, writeable = item
        assert arr.dtype == copy.dtype and arr.shape == copy.shape
        assert arr.tobytes() == copy.tobytes(), "input was modified"  # bitwise: NaN, NaT too
        if flags:
            assert bool(arr.flags.writeable) == writeable, "input's writeable flag changed"


def is_scalar(value: Any) -> bool:
    """An int, numpy scalar or 0-d array (np.ndim would choke on ragged lists)."""
    return isinstance(value, int) or (
        isinstance(value, np.ndarray | np.generic) and value.ndim == 0
    )


def _names(name: str) -> tuple[str, ...]:
    """Words that name an argument in a message ('sources' may read 'source')."""
    return (name, name.rstrip("s"))


OPTIONS = frozenset({"directed", "method", "reverse", "threads", "values"})
"""Arguments that are options, not graph or query data: a bad value is a plain ValueError or
TypeError naming the option, not a GraphError."""


def outcome(call: Callable[[], Any], variant: Variant, name: str, *inputs: Any) -> Any:
    """Run ``call``; a valid variant must succeed (its result is returned), an invalid one must
    raise GraphError naming ``name`` (ValueError / TypeError for a bad option value). The inputs
    must come back unchanged either way."""
    snap = snapshot([variant.value, *inputs])
    try:
        if variant.valid:
            return call()
        option = name in OPTIONS and not variant.data_error
        expected = (ValueError, TypeError) if option else rc.GraphError
        with pytest.raises(expected) as info:
            call()
        assert option != isinstance(info.value, rc.GraphError), (name, info.value)
        message = str(info.value)
        assert any(word in message for word in _names(name)), (name, message)
        return None
    finally:
        check_unchanged(snap)


# ------------------------------------------------------------------------- huge values
FLOAT_MAX = Fraction(MAX_WEIGHT_TOTAL)
"""The largest accepted weight total (a quarter of the float64 maximum: see
``routecore._validation.MAX_WEIGHT_TOTAL``), exactly."""


def exact_sum(values: np.ndarray) -> Fraction:
    """The exact sum of float values (no rounding), to compare with :data:`FLOAT_MAX`."""
    return sum((Fraction(x) for x in values.tolist()), Fraction(0))


# ------------------------------------------------------------------------------- chaos
_ANY_DTYPE = (
    hnp.scalar_dtypes()
    | hnp.byte_string_dtypes(max_len=3)
    | hnp.unicode_string_dtypes(max_len=3)
    | st.sampled_from([np.dtype(">i8"), np.dtype("<u2"), np.dtype(">f4"), np.dtype(np.longdouble)])
)


@st.composite
def chaos_arrays(draw: st.DrawFn, length: int) -> np.ndarray:
    """Any dtype, a shape near (length,), random values (extremes, NaN, inf included), and
    sometimes a non-contiguous or read-only view."""
    dtype = draw(_ANY_DTYPE)
    shape = draw(
        st.sampled_from([(length,), (length,), (length + 1,), (), (length, 1), (1, length)])
    )
    small = dtype.kind in "iu" and draw(st.booleans())
    elements = st.integers(0, 12) if small else None
    arr = draw(hnp.arrays(dtype, (2, *shape), elements=elements))[draw(st.integers(0, 1)), ...]
    if draw(st.booleans()) and arr.ndim:
        arr = np.repeat(arr, 2, axis=0)[::2]
    if draw(st.booleans()):
        arr.flags.writeable = False
    return arr


def accepts_ids(arr: np.ndarray, n: int, length: int | None) -> bool:
    """The documented contract for id arrays: 1-D integers (not bool), each in [0, n)."""
    if arr.ndim != 1 or (length is not None and arr.shape[0] != length):
        return False
    if arr.size == 0:
        return True
    return arr.dtype.kind in "iu" and bool(((arr >= 0) & (arr < n)).all())


def accepts_values(arr: np.ndarray, length: int, kind: str) -> bool:
    """Per-edge weights/capacities: 1-D of the right length, bool/int/float, finite, >= 0,
    integers within int64; weights also with a total below :data:`FLOAT_MAX`."""
    if arr.shape != (length,):
        return False
    if arr.dtype.kind in "biu":
        return bool((arr.astype(object) >= 0).all() and (arr.astype(object) < 2**63).all())
    if arr.dtype.kind == "f":
        with np.errstate(over="ignore"):
            as_f64 = arr.astype(np.float64)
        ok = bool(np.isfinite(as_f64).all() and (as_f64 >= 0).all())
        return ok and (kind == "capacity" or exact_sum(as_f64) < 0.999 * FLOAT_MAX)
    return False
