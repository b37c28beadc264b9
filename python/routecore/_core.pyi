"""Type stubs for the C++ extension ``routecore._core`` (hand-written; keep in sync with
cpp/bindings). Functions here assume validated input; call them through the routecore package."""

from collections.abc import Iterator
from typing import Any, Final, TypeAlias, final, overload

import numpy as np
import numpy.typing as npt

_I32 = npt.NDArray[np.int32]

max_id_count: int

def available_threads() -> int: ...
def build_csr(num_nodes: int, src: _I32, dst: _I32, directed: bool) -> tuple[_I32, _I32, _I32]: ...

@final
class CsrArrays:
    """One CSR build (routecore/csr.h); also unpacks as the 5-tuple of its fields."""

    @property
    def first_out(self) -> _I32: ...
    @property
    def head(self) -> _I32: ...
    @property
    def arc_edge(self) -> _I32: ...
    @property
    def arc_weight(self) -> _F64 | None: ...
    @property
    def arc_capacity(self) -> _F64 | None: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __getitem__(self, key: int | slice) -> Any: ...

def build_csr_parallel(
    num_nodes: int,
    src: _I32,
    dst: _I32,
    directed: bool,
    weight: _F64 | None,
    capacity: _F64 | None,
    threads: int,
) -> CsrArrays: ...
def build_reverse_csr(first_out: _I32, head: _I32, arc_edge: _I32) -> tuple[_I32, _I32, _I32]: ...

# ---- shortest paths (cpp/bindings/bind_paths.cpp) ----
_F64 = npt.NDArray[np.float64]
_U8 = npt.NDArray[np.uint8]
_I64 = npt.NDArray[np.int64]
_PathTuple = tuple[_I32, _I32, float]

def shortest_path_lengths(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    weight: _F64 | None,
    sources: _I32,
    blocked: _U8 | None,
    max_length: float,
    threads: int,
    queue: int = ...,
    weight_range: tuple[float, float] | None = ...,
    new_id: _I32 | None = ...,
    old_id: _I32 | None = ...,
) -> _F64: ...
def weight_range(weight: _F64) -> tuple[float, float]: ...

class RenumberedCsr:
    """A graph's internal numbering and its CSR in internal ids (routecore/renumber.h)."""

    @property
    def new_id(self) -> _I32: ...
    @property
    def old_id(self) -> _I32: ...
    @property
    def first_out(self) -> _I32: ...
    @property
    def head(self) -> _I32: ...
    @property
    def arc_edge(self) -> _I32: ...
    @property
    def old_arc(self) -> _I32: ...
    @property
    def arc_weight(self) -> _F64 | None: ...

def build_renumbering(
    first_out: _I32, head: _I32, arc_edge: _I32, weight: _F64 | None, force: bool
) -> RenumberedCsr | None: ...
def dijkstra_path(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    weight: _F64 | None,
    source: int,
    target: int,
    blocked: _U8 | None,
) -> _PathTuple | None: ...
def bidirectional_path(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    weight: _F64 | None,
    r_first_out: _I32,
    r_head: _I32,
    r_arc_edge: _I32,
    r_weight: _F64 | None,
    source: int,
    target: int,
    blocked: _U8 | None,
) -> _PathTuple | None: ...
def astar_path(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    weight: _F64 | None,
    lat_deg: _F64,
    lon_deg: _F64,
    cost_per_km: float,
    sphere_radius_km: float,
    source: int,
    target: int,
    blocked: _U8 | None,
) -> _PathTuple | int | None: ...

@final
class NearestSources:
    """Per node: length from and root of its nearest source (dijkstra.h)."""

    @property
    def length(self) -> _F64: ...
    @property
    def root(self) -> _I32: ...
    @property
    def pred_edge(self) -> _I32 | None: ...
    @property
    def parent(self) -> _I32 | None: ...

def nearest_source(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    weight: _F64 | None,
    sources: _I32,
    blocked: _U8 | None,
    tree: bool,
) -> NearestSources: ...
def tree_routes(
    parent: _I32, pred_edge: _I32, nodes: _I32, travel_to_root: bool
) -> tuple[_I64, _I32, _I32] | None: ...

# ---- max-flow / min-cut (cpp/bindings/bind_flow.cpp) ----
PARALLEL_MIN_ARCS_PER_THREAD: Final[int]
"""Arcs per thread below which max-flow's passes over all arcs stay on fewer threads
(``min_arcs_per_pass_thread`` in cpp/include/routecore/parallel_passes.h)."""

MaxFlowOutcome: TypeAlias = tuple[
    str,  # status: "optimal", "overflow" or "cancelled"
    str,  # method: the method that ran ("auto" resolved)
    int | float,  # value
    npt.NDArray[np.int64] | npt.NDArray[np.float64] | None,  # edge_flow (None: not asked)
    npt.NDArray[np.bool_] | None,  # source_side (None: want_cut False, the value alone)
    _I32 | None,  # cut_edges (None with source_side)
    npt.NDArray[np.bool_] | None,  # other_side (None unless both_cuts, as the next two)
    _I32 | None,  # other_cut_edges
    _I32 | None,  # critical_edges
    float,  # source_total (approximate, for the overflow report)
    float,  # sink_total
]
"""The outcome of one max-flow call (routecore/max_flow.h): a tuple, because reading a bound
class's fields costs a pybind11 dispatch each; routecore/flow.py's _solve unpacks it."""

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
    layout_first_out: _I32,
    layout_head: _I32,
    layout_sister: _I32,
    layout_loop_arcs: _I32,
    capacity_bound: float,
    threads: int,
    both_cuts: bool = False,
    want_cut: bool = True,
) -> MaxFlowOutcome: ...
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
    layout_first_out: _I32,
    layout_head: _I32,
    layout_sister: _I32,
    layout_loop_arcs: _I32,
    capacity_bound: float,
    threads: int,
    both_cuts: bool = False,
    want_cut: bool = True,
) -> MaxFlowOutcome: ...

@final
class FlowLayoutArrays:
    """A graph's residual arc layout (routecore/flow_layout.h); first_out and head are None
    for an undirected graph (the layout uses the graph's own)."""

    @property
    def first_out(self) -> _I32 | None: ...
    @property
    def head(self) -> _I32 | None: ...
    @property
    def sister(self) -> _I32: ...
    @property
    def loop_arcs(self) -> _I32: ...

class PreparedFlowGraph:
    @property
    def integral(self) -> bool: ...

def prepare_flow_graph(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    arc_capacity: npt.NDArray[np.int64] | _F64,
    directed: bool,
    num_edges: int,
    layout_first_out: _I32,
    layout_head: _I32,
    layout_sister: _I32,
    layout_loop_arcs: _I32,
    capacity_bound: float,
) -> PreparedFlowGraph: ...
def max_flow_prepared(
    prepared: PreparedFlowGraph,
    sources: _I32,
    sinks: _I32,
    method: str,
    want_edge_flow: bool,
    threads: int,
    both_cuts: bool = False,
    want_cut: bool = True,
) -> MaxFlowOutcome: ...
def build_flow_layout(
    first_out: _I32, head: _I32, arc_edge: _I32, directed: bool
) -> FlowLayoutArrays: ...
def release_scratch_memory() -> None: ...

# ---- failure cases (cpp/bindings/bind_failure_cases.cpp) ----
def failure_max_flows_int64(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    arc_capacity: npt.NDArray[np.int64],
    directed: bool,
    num_edges: int,
    sources: _I32,
    sinks: _I32,
    method: str,
    case_offsets: _I64,
    case_arcs: _I32,
    threads: int,
    layout_first_out: _I32,
    layout_head: _I32,
    layout_sister: _I32,
    layout_loop_arcs: _I32,
) -> tuple[npt.NDArray[np.int64], _U8]: ...
def failure_max_flows_float64(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    arc_capacity: npt.NDArray[np.float64],
    directed: bool,
    num_edges: int,
    sources: _I32,
    sinks: _I32,
    method: str,
    case_offsets: _I64,
    case_arcs: _I32,
    threads: int,
    layout_first_out: _I32,
    layout_head: _I32,
    layout_sister: _I32,
    layout_loop_arcs: _I32,
) -> tuple[_F64, _U8]: ...
def pair_max_flows_int64(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    arc_capacity: npt.NDArray[np.int64],
    directed: bool,
    num_edges: int,
    pair_sources: _I32,
    pair_sinks: _I32,
    method: str,
    threads: int,
    layout_first_out: _I32,
    layout_head: _I32,
    layout_sister: _I32,
    layout_loop_arcs: _I32,
) -> tuple[npt.NDArray[np.int64], _U8]: ...
def pair_max_flows_float64(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    arc_capacity: _F64,
    directed: bool,
    num_edges: int,
    pair_sources: _I32,
    pair_sinks: _I32,
    method: str,
    threads: int,
    layout_first_out: _I32,
    layout_head: _I32,
    layout_sister: _I32,
    layout_loop_arcs: _I32,
) -> tuple[_F64, _U8]: ...
def failure_lengths(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    weight: _F64,
    sources: _I32,
    targets: _I32,
    blocked: _U8 | None,
    case_offsets: _I64,
    case_arcs: _I32,
    threads: int,
) -> _F64: ...

# ---- satellite visibility (cpp/bindings/bind_visibility.cpp) ----
class VisibilitySearch:
    def __init__(
        self,
        sat_xyz_km: _F64,
        ground_unit: _F64,
        ground_radius_km: _F64,
        ground_id: _I64,
        tile_start: _I64,
        num_ids: int,
        min_elevation_deg: float,
        max_per_ground: int,
        threads: int,
    ) -> None: ...
    @property
    def num_pairs(self) -> int: ...
    @overload
    def write(
        self,
        ground: _I32,
        satellite: _I32,
        elevation_deg: _F64,
        range_km: _F64,
        satellite_offset: int,
        threads: int,
    ) -> None: ...
    @overload
    def write(
        self,
        ground: _I64,
        satellite: _I64,
        elevation_deg: _F64,
        range_km: _F64,
        satellite_offset: int,
        threads: int,
    ) -> None: ...

# Min-cost flow (bind_min_cost_flow.cpp, routecore/network_simplex.h).
INFINITE_CAPACITY: int

class MinCostFlowCoreResult:
    """The outcome of one min-cost flow call (routecore/network_simplex.h)."""

    @property
    def status(self) -> str: ...
    @property
    def cost(self) -> int | None: ...
    @property
    def flow(self) -> _I64: ...
    @property
    def potential(self) -> _I64: ...
    @property
    def pivots(self) -> int: ...

def network_simplex(
    *,
    num_nodes: int,
    tail: _I32,
    head: _I32,
    capacity: _I64,
    cost: _I64,
    supply: _I64,
    start_tree: _I32 | None = None,
    start_upper: npt.NDArray[np.uint8] | None = None,
) -> MinCostFlowCoreResult: ...
def cost_scaling(
    *,
    num_nodes: int,
    tail: _I32,
    head: _I32,
    capacity: _I64,
    cost: _I64,
    supply: _I64,
) -> MinCostFlowCoreResult: ...

# Multi-commodity flow (bind_multicommodity.cpp, routecore/multicommodity_flow.h).
class MulticommodityCoreResult:
    """The outcome of one multi-commodity flow call (routecore/multicommodity_flow.h)."""

    @property
    def status(self) -> str: ...
    @property
    def primal(self) -> float: ...
    @property
    def dual(self) -> float: ...
    @property
    def phases(self) -> int: ...
    @property
    def tree_steps(self) -> int: ...
    @property
    def commodity_flow(self) -> _F64: ...
    @property
    def unreachable(self) -> _I32: ...
    @property
    def path_commodity(self) -> _I32: ...
    @property
    def path_flow(self) -> _F64: ...
    @property
    def path_start(self) -> _I64: ...
    @property
    def path_arcs(self) -> _I32: ...

def multicommodity_flow(
    *,
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    capacity: _F64,
    source: _I32,
    target: _I32,
    demand: _F64,
    objective: str,
    epsilon: float,
    max_phases: int,
    step_start: float = 0.5,
    step_min: float = 0.0,
) -> MulticommodityCoreResult: ...
def path_multicommodity_flow(
    *,
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    capacity: _F64,
    source: _I32,
    target: _I32,
    demand: _F64,
    commodity_start: _I64,
    path_start: _I64,
    path_arcs: _I32,
    objective: str,
    epsilon: float,
    max_phases: int,
    step_start: float = 0.5,
    step_min: float = 0.0,
) -> MulticommodityCoreResult: ...

# ---- route diversity (cpp/bindings/bind_k_paths.cpp) ----
_FlatPaths = tuple[_I64, _I32, _I32, _F64]

def k_shortest_paths(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    weight: _F64 | None,
    r_first_out: _I32,
    r_head: _I32,
    r_arc_edge: _I32,
    r_weight: _F64 | None,
    sources: _I32,
    targets: _I32,
    k: int,
    blocked: _U8 | None,
    max_length: float,
    threads: int,
) -> list[_FlatPaths]: ...
def disjoint_paths(
    first_out: _I32,
    head: _I32,
    arc_edge: _I32,
    weight: _F64 | None,
    source: int,
    target: int,
    k: int,
    node_disjoint: bool,
) -> _FlatPaths: ...
