"""Type stubs for the C++ extension ``routecore._core`` (hand-written; keep in sync with
cpp/bindings). Functions here assume validated input; call them through the routecore package."""

import numpy as np
import numpy.typing as npt

_I32 = npt.NDArray[np.int32]

max_id_count: int

def available_threads() -> int: ...
def build_csr(num_nodes: int, src: _I32, dst: _I32, directed: bool) -> tuple[_I32, _I32, _I32]: ...
def build_reverse_csr(first_out: _I32, head: _I32, arc_edge: _I32) -> tuple[_I32, _I32, _I32]: ...

_FlowTuple = tuple[
    str,
    str,
    int | float,
    npt.NDArray[np.int64] | npt.NDArray[np.float64] | None,
    npt.NDArray[np.uint8],
    _I32,
    float,
    float,
]

def max_flow_int64(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    arc_capacity: npt.NDArray[np.int64],
    directed: bool,
    num_edges: int,
    sources: _I32,
    sinks: _I32,
    method: str,
    want_edge_flow: bool,
) -> _FlowTuple: ...
def max_flow_float64(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    arc_capacity: npt.NDArray[np.float64],
    directed: bool,
    num_edges: int,
    sources: _I32,
    sinks: _I32,
    method: str,
    want_edge_flow: bool,
) -> _FlowTuple: ...
def release_scratch_memory() -> None: ...
