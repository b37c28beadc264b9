"""One max-flow call into the core, shared by :func:`routecore.max_flow`,
:func:`routecore.min_cut` and :func:`routecore.max_flow_value`: the input checks (once, at the
boundary), the call on the graph's prepared arrays or on given capacities, and the overflow
status turned into its error."""

from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np
import numpy.typing as npt

from . import _arc_values, _core
from ._validation import check_flow_size, check_graph, choice, flag, terminal_sets, thread_count
from .errors import GraphError
from .graph import Graph, csr_view, prepared_flow

FlowMethod = Literal["auto", "push_relabel", "boykov_kolmogorov", "dinic", "ibfs"]
"""Algorithm names accepted by ``method=``."""

FLOW_METHODS: tuple[str, ...] = get_args(FlowMethod)
"""The values ``method=`` accepts, in the order error messages list them."""


def solve(
    graph: Graph,
    sources: Any,
    sinks: Any,
    capacity: npt.ArrayLike | None,
    method: str,
    threads: int | None,
    *,
    want_edge_flow: bool,
    both_cuts: bool,
    want_cut: bool = True,
) -> _core.MaxFlowOutcome:
    """Check the input, run the core and turn an overflow status into its error; the core's
    outcome, a tuple in the order of ``_core.MaxFlowOutcome``. ``want_cut=False`` asks for the
    value alone (no edge flows, no cut)."""
    graph = check_graph(graph)
    method = choice(method, FLOW_METHODS, "method")
    m = graph.num_edges
    check_flow_size(m)
    src_ids, dst_ids = terminal_sets(sources, sinks, graph.num_nodes)
    workers = thread_count(threads)
    arc_capacity = _arc_values.arc_capacity(graph, capacity)
    cuts = flag(both_cuts, "both_cuts")
    # Positional, in the binding's order (bind_flow.cpp): keywords cost microseconds per call.
    if capacity is None:  # the graph's own capacities: the arrays the core already holds
        prepared = prepared_flow(graph)
        out = _core.max_flow_prepared(
            prepared, src_ids, dst_ids, method, want_edge_flow, workers, cuts, want_cut
        )
    else:
        view = csr_view(graph)
        args = (view.first_out, view.head, view.arc_edge, arc_capacity, graph.directed, m)
        rest = (src_ids, dst_ids, method, want_edge_flow, *graph.flow_layout(), -1.0, workers)
        if arc_capacity.dtype == np.int64:
            out = _core.max_flow_int64(*args, *rest, cuts, want_cut)  # type: ignore[arg-type]
        else:
            out = _core.max_flow_float64(*args, *rest, cuts, want_cut)  # type: ignore[arg-type]
    status = out[0]
    if status == "optimal":
        return out
    s_total, t_total = out[9], out[10]
    if status == "overflow" and arc_capacity.dtype.kind == "f":
        raise GraphError(
            "float capacities too large: the total capacity leaving the sources "
            f"({s_total:.4g}) or entering the sinks ({t_total:.4g}) overflows float64; scale "
            "the capacities down"
        )
    if status == "overflow":
        raise GraphError(
            "integer capacities too large: the total capacity leaving the sources "
            f"(about {s_total:.3g}) and entering the sinks (about {t_total:.3g}) bound a flow "
            f"value beyond 2**61 (int64 safety limit); scale the capacities down or use floats"
        )
    return out
