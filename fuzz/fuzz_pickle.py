"""Atheris harness: unpickling Graphs from arbitrary and from corrupted bytes.

Each input either is raw pickle bytes, or builds a small valid Graph, pickles it (any protocol)
and then corrupts it: bytes of the pickle overwritten, or fields of the packed state (format
version, counts, the bytes of first_out, head, arc_edge, weights, capacities, capacity kind)
replaced; or corrupts the array state that ``_from_state`` takes (pickles of earlier versions)
and calls it directly. Pickle bytes are loaded with an unpickler that resolves only the globals
a pickled Graph needs (routecore's ``_from_packed`` and, at protocol 2, ``_codecs.encode`` for
bytes), so fuzzed bytes cannot call arbitrary functions (pickle executes what it is told). A
Graph's pickle holds no numpy objects: numpy's own reconstruction crashed on corrupted bytes
(a segmentation fault in a dtype's ``__setstate__``, found here). Then:

* routecore (``_from_packed``/``_from_state``, reached once the bytes make a call to it) may
  raise only :class:`~routecore.GraphError` naming a corrupt state; anything else raised inside
  routecore is a finding. Errors of pickle itself on garbage (``UnpicklingError``,
  ``EOFError``, ...) are the loader's business and pass;
* an accepted Graph is exactly the graph the public constructor builds from its own edges, and
  answers shortest paths and max-flow (every method, agreeing) without crash or hang.

Run alone (libFuzzer flags pass through)::

    python fuzz/fuzz_pickle.py -max_total_time=30 -print_final_stats=1
"""

from __future__ import annotations

import io
import pickle
import sys
import warnings
from typing import Any

import atheris
import numpy as np
from _instrument import instrument_package

import routecore as rc
from routecore import graph as graph_module

instrument_package(rc)

MAX_NODES = 12
MAX_EDGES = 24


def _checked(unpickle: Any) -> Any:
    """``unpickle`` letting only GraphError out: any other exception raised while routecore
    checks or adopts the state is a finding (re-raised as AssertionError)."""

    def call(*state: Any) -> rc.Graph:
        try:
            return unpickle(*state)  # type: ignore[no-any-return]
        except rc.GraphError:
            raise
        except Exception as exc:
            raise AssertionError(f"{unpickle.__name__} raised {type(exc).__name__}: {exc}") from exc

    return call


_checked_from_packed = _checked(graph_module._from_packed)
_checked_from_state = _checked(graph_module._from_state)


# The pure-Python unpickler: the C one sizes its memo to the largest PUT index in the stream, so
# four bytes of garbage (LONG_BINPUT 0x72727272) make it allocate 16 GiB before any routecore
# code runs (a CPython property, found by this harness as an out-of-memory "finding"). The
# Python one keeps the memo in a dict; everything routecore sees is the same.
class _GraphUnpickler(pickle._Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("routecore.graph", "_from_packed"):
            return _checked_from_packed
        if (module, name) == ("_codecs", "encode"):  # protocol 2 writes bytes through it
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"global {module}.{name} is not allowed")


def _load(data: bytes | list[Any]) -> Any:
    """Unpickle bytes, or call ``_from_state`` on an array state (a list)."""
    try:
        if isinstance(data, list):
            return _checked_from_state(*data)
        return _GraphUnpickler(io.BytesIO(data)).load()
    except AssertionError:
        raise
    except rc.GraphError as exc:
        if not str(exc).startswith("corrupt graph state: "):
            raise AssertionError(f"unexpected GraphError: {exc}") from exc
        return None
    except Exception:
        # pickle's own error on garbage bytes (UnpicklingError, EOFError, ...): never
        # routecore's, which _checked turns into an AssertionError unless it is a GraphError.
        return None


def _valid_graph(fdp: atheris.FuzzedDataProvider) -> rc.Graph:
    n = fdp.ConsumeIntInRange(1, MAX_NODES)
    m = fdp.ConsumeIntInRange(0, MAX_EDGES)
    src = np.array([fdp.ConsumeIntInRange(0, n - 1) for _ in range(m)], dtype=np.int64)
    dst = np.array([fdp.ConsumeIntInRange(0, n - 1) for _ in range(m)], dtype=np.int64)
    weight = np.array([fdp.ConsumeIntInRange(0, 9) for _ in range(m)], dtype=np.float64)
    capacity: Any = np.array([fdp.ConsumeIntInRange(0, 9) for _ in range(m)], dtype=np.int64)
    if fdp.ConsumeBool():
        capacity = capacity.astype(np.float64) / 4
    return rc.Graph(
        n,
        src,
        dst,
        weight=weight if fdp.ConsumeBool() else None,
        capacity=capacity if fdp.ConsumeBool() else None,
        directed=fdp.ConsumeBool(),
    )


class _Packed:
    """Pickles as a Graph with a given (possibly corrupted) packed state."""

    def __init__(self, packed: list[Any]) -> None:
        self.packed = packed

    def __reduce__(self) -> tuple[Any, ...]:
        return (graph_module._from_packed, tuple(self.packed))


def _corrupt_packed(fdp: atheris.FuzzedDataProvider, g: rc.Graph) -> bytes:
    packed = list(g.__reduce__()[1])
    for _ in range(fdp.ConsumeIntInRange(1, 3)):
        i = fdp.ConsumeIntInRange(0, len(packed) - 1)
        value = packed[i]
        if isinstance(value, bytes) and fdp.ConsumeBool():
            raw = bytearray(value)
            kind = fdp.ConsumeIntInRange(0, 2)
            if kind == 0 and raw:  # overwrite a few bytes
                at = fdp.ConsumeIntInRange(0, len(raw) - 1)
                chunk = fdp.ConsumeBytes(fdp.ConsumeIntInRange(1, 8))
                raw[at : at + len(chunk)] = chunk
            elif kind == 1:  # cut short, maybe mid-element
                del raw[fdp.ConsumeIntInRange(0, len(raw)) :]
            else:  # grow by arbitrary bytes
                raw += fdp.ConsumeBytes(fdp.ConsumeIntInRange(1, 16))
            packed[i] = bytes(raw)
        else:
            packed[i] = fdp.PickValueInList(
                [None, -1, 0, 1, 2, 2**31, True, False, 1.0, "x", "i8", "f8", b"", value]
            )
    if fdp.ConsumeIntInRange(0, 15) == 0:  # a field more or less
        packed = packed[:-1] if fdp.ConsumeBool() else [*packed, None]
    return pickle.dumps(_Packed(packed), protocol=fdp.ConsumeIntInRange(2, 5))


def _corrupt_state(fdp: atheris.FuzzedDataProvider, g: rc.Graph) -> list[Any]:
    view = graph_module.csr_view(g)
    arrays = (*view.adjacency, view.arc_weight, view.arc_capacity)
    state = [g.num_edges, g.directed, *(None if a is None else a.copy() for a in arrays)]
    for _ in range(fdp.ConsumeIntInRange(1, 3)):
        i = fdp.ConsumeIntInRange(0, len(state) - 1)
        value = state[i]
        if isinstance(value, np.ndarray) and value.size and fdp.ConsumeBool():
            j = fdp.ConsumeIntInRange(0, value.size - 1)
            if value.dtype.kind == "f":
                value[j] = fdp.PickValueInList([np.nan, np.inf, -1.0, 0.5, 1e308, -0.0])
            else:
                info = np.iinfo(value.dtype)
                value[j] = fdp.ConsumeIntInRange(int(info.min), int(info.max))
        elif isinstance(value, np.ndarray):
            kind = fdp.ConsumeIntInRange(0, 3)
            if kind == 0:
                state[i] = value[: fdp.ConsumeIntInRange(0, value.size)]
            elif kind == 1:
                state[i] = value.astype(fdp.PickValueInList(["int64", "float32", "int16", "u4"]))
            elif kind == 2:
                state[i] = value[::-1].copy()
            else:
                state[i] = None
        else:
            state[i] = fdp.PickValueInList([None, -1, 0, 1, 2**31, True, False, 1.0, "x", value])
    return state


def _corrupt_bytes(fdp: atheris.FuzzedDataProvider, g: rc.Graph) -> bytes:
    data = bytearray(pickle.dumps(g, protocol=fdp.ConsumeIntInRange(2, 5)))
    for _ in range(fdp.ConsumeIntInRange(1, 4)):
        at = fdp.ConsumeIntInRange(0, len(data) - 1)
        chunk = fdp.ConsumeBytes(fdp.ConsumeIntInRange(1, 4))
        data[at : at + len(chunk)] = chunk
    return bytes(data)


def _check_accepted(g: Any) -> None:
    assert isinstance(g, rc.Graph), type(g)
    rebuilt = rc.Graph(
        g.num_nodes, g.src, g.dst, weight=g.weight, capacity=g.capacity, directed=g.directed
    )
    assert rebuilt == g, "an accepted state is not the CSR the constructor builds"
    n = g.num_nodes
    if n == 0:
        return
    lengths = rc.shortest_path_lengths(g, 0)
    assert lengths.shape == (n,) and lengths[0] == 0.0
    if g.capacity is not None and n >= 2:
        values = []
        for method in ("push_relabel", "boykov_kolmogorov", "dinic", "ibfs"):
            try:
                values.append(rc.max_flow(g, 0, n - 1, method=method).value)
            except rc.GraphError as exc:  # a valid state with totals beyond the int64 bound
                if "capacities too large" not in str(exc):
                    raise AssertionError(f"unexpected GraphError: {exc}") from exc
        assert all(abs(v - values[0]) <= 1e-9 * max(1.0, abs(values[0])) for v in values), values


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 3)
    raw: bytes | list[Any]
    if mode == 0:
        raw = fdp.ConsumeBytes(fdp.remaining_bytes())
    else:
        g = _valid_graph(fdp)
        with warnings.catch_warnings():  # e.g. 1e308 cast into a float32 array: intended
            warnings.simplefilter("ignore")
            corrupt = (_corrupt_packed, _corrupt_bytes, _corrupt_state)[mode - 1]
            raw = corrupt(fdp, g)
    loaded = _load(raw)
    if isinstance(loaded, rc.Graph):
        _check_accepted(loaded)


def main() -> None:
    warnings.simplefilter("error")  # as in the test suite: a warning is a finding
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
