// Max-flow / min-cut entry points (see routecore/max_flow.h). Bindings only: the Python layer
// (routecore/flow.py) validates the input and turns the status into exceptions.
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "routecore/flow_layout.h"
#include "routecore/max_flow.h"
#include "routecore/parallel_passes.h"
#include "routecore/scratch.h"

namespace routecore::bindings {

namespace {

const char* method_name(flow_method m) {
  switch (m) {
    case flow_method::push_relabel:
      return "push_relabel";
    case flow_method::boykov_kolmogorov:
      return "boykov_kolmogorov";
    case flow_method::dinic:
      return "dinic";
    case flow_method::ibfs:
      return "ibfs";
    default:
      return "auto";
  }
}

const char* status_name(flow_status s) {
  switch (s) {
    case flow_status::overflow:
      return "overflow";
    case flow_status::cancelled:
      return "cancelled";
    default:
      return "optimal";
  }
}

// What one max-flow call returns to Python: a tuple, in the order of MaxFlowOutcome in
// routecore/_core.pyi (see routecore/max_flow.h, FlowOutcome), unpacked into named values at
// once by routecore/flow.py's _solve, its one reader. Every array is a new numpy array owned by
// Python; none aliases the core's memory. A tuple rather than a bound class or a dict: reading
// a bound class's fields is one pybind11 dispatch each and a dict hashes fresh key strings, and
// either costs about 10,000 instructions per call (callgrind), a tenth of a max-flow call on a
// graph of a few dozen nodes.
using MaxFlowOutcome = py::tuple;

// An output array only when asked for (none otherwise): every numpy array costs about a
// thousand instructions to make and free, a tenth of a max-flow on a graph of a few dozen nodes.
template <class T>
std::optional<carray<T>> array_if(bool wanted, py::ssize_t n) {
  if (!wanted) return std::nullopt;
  return new_array<T>(n);
}

template <class T>
std::span<T> out_span(std::optional<carray<T>>& a) {
  return a ? as_mut_span(*a) : std::span<T>();
}

std::span<std::uint8_t> out_span(std::optional<carray<bool>>& a) {
  if (!a) return {};
  return {reinterpret_cast<std::uint8_t*>(a->mutable_data()), static_cast<std::size_t>(a->size())};
}

template <class T>
py::object or_none(std::optional<carray<T>>& a) {
  return a ? py::object(std::move(*a)) : py::object(py::none());
}

template <class Cap>
MaxFlowOutcome py_max_flow(const carray<arc_id>& first_out, const carray<node_id>& head,
                           const carray<edge_id>& arc_edge, const carray<Cap>& arc_capacity,
                           bool directed, edge_id num_edges, const carray<node_id>& sources,
                           const carray<node_id>& sinks, const std::string& method,
                           bool want_edge_flow, const carray<arc_id>& layout_first_out,
                           const carray<node_id>& layout_head, const carray<arc_id>& layout_sister,
                           const carray<arc_id>& layout_loop_arcs, double capacity_bound,
                           int threads, bool both_cuts, bool want_cut) {
  const CsrView g = make_view(first_out, head, arc_edge);
  const FlowLayout layout =
      make_flow_layout(g, directed, layout_first_out, layout_head, layout_sister, layout_loop_arcs);
  if (arc_capacity.size() != head.size()) {
    throw std::invalid_argument("internal error: capacity array does not match the arcs");
  }
  const flow_method m = flow_method_from_name(method);
  auto edge_flow = array_if<Cap>(want_edge_flow, num_edges);
  // Sides are numpy bool arrays (the type the results hold) that the core fills as bytes of
  // 0 and 1; a view in Python would cost a call per side. Without a cut (the value alone) there
  // is no side array, and the tuple holds None for it and for the cut edges.
  auto side = array_if<bool>(want_cut, g.num_nodes);
  // The other canonical cut and the critical edges cost more linear passes (and, for
  // push-relabel's min_cut, the flow recovery): only when asked.
  auto other = array_if<bool>(both_cuts, g.num_nodes);
  auto cap = as_span(arc_capacity);
  auto src = as_span(sources);
  auto dst = as_span(sinks);
  auto flow_out = out_span(edge_flow);
  auto side_out = out_span(side);
  auto other_out = out_span(other);
  const std::int64_t work = 8 * static_cast<std::int64_t>(g.num_arcs) + g.num_nodes;
  FlowOutcome<Cap> out = run_interruptible(work, [&](const Cancel& cancel) {
    return solve_max_flow<Cap>(g, cap, directed, num_edges, src, dst, m, want_edge_flow, flow_out,
                               side_out, &cancel, &layout, capacity_bound, threads, other_out);
  });
  auto ids = [](bool wanted, const std::vector<edge_id>& v) {
    if (!wanted) return py::object(py::none());
    auto a = new_array<edge_id>(static_cast<py::ssize_t>(v.size()));
    std::copy(v.begin(), v.end(), a.mutable_data());
    return py::object(std::move(a));
  };
  return py::make_tuple(
      status_name(out.status),  // "optimal", "overflow" or "cancelled"
      method_name(out.method),  // the method that ran ("auto" resolved)
      out.value,                // int or float
      or_none(edge_flow), or_none(side), ids(want_cut, out.cut_edges),
      // The other canonical cut (min_cut.h) and the critical edges: None unless both_cuts.
      or_none(other), ids(both_cuts, out.other_cut_edges), ids(both_cuts, out.critical_edges),
      out.source_total,  // approximate, for the overflow report
      out.sink_total);
}

// A graph prepared for repeated max-flow calls on its own capacities (routecore/graph.py keeps
// one per Graph): references to its CSR arrays, per-arc capacities and residual layout, taken
// once. A call then converts two small terminal arrays instead of ten graph arrays; on a graph of
// a few dozen nodes those conversions cost more than the max-flow. The arrays are the Graph's
// read-only views, so nothing here can change under a call.
struct PreparedFlowGraph {
  carray<arc_id> first_out;
  carray<node_id> head;
  carray<edge_id> arc_edge;
  std::optional<carray<std::int64_t>> int_capacity;  // exactly one of the two is set
  std::optional<carray<double>> float_capacity;
  bool directed;
  edge_id num_edges;
  carray<arc_id> layout_first_out;
  carray<node_id> layout_head;
  carray<arc_id> layout_sister;
  carray<arc_id> layout_loop_arcs;
  double capacity_bound;
};

PreparedFlowGraph py_prepare_flow_graph(carray<arc_id> first_out, carray<node_id> head,
                                        carray<edge_id> arc_edge, const py::array& arc_capacity,
                                        bool directed, edge_id num_edges,
                                        carray<arc_id> layout_first_out,
                                        carray<node_id> layout_head, carray<arc_id> layout_sister,
                                        carray<arc_id> layout_loop_arcs, double capacity_bound) {
  PreparedFlowGraph p{std::move(first_out),
                      std::move(head),
                      std::move(arc_edge),
                      std::nullopt,
                      std::nullopt,
                      directed,
                      num_edges,
                      std::move(layout_first_out),
                      std::move(layout_head),
                      std::move(layout_sister),
                      std::move(layout_loop_arcs),
                      capacity_bound};
  if (py::isinstance<carray<std::int64_t>>(arc_capacity)) {
    p.int_capacity = arc_capacity.cast<carray<std::int64_t>>();
  } else if (py::isinstance<carray<double>>(arc_capacity)) {
    p.float_capacity = arc_capacity.cast<carray<double>>();
  } else {
    throw std::invalid_argument("internal error: capacities must be C-contiguous int64 or float64");
  }
  const CsrView g = make_view(p.first_out, p.head, p.arc_edge);  // checks the sizes once
  make_flow_layout(g, directed, p.layout_first_out, p.layout_head, p.layout_sister,
                   p.layout_loop_arcs);
  return p;
}

MaxFlowOutcome py_max_flow_prepared(const PreparedFlowGraph& p, const carray<node_id>& sources,
                                    const carray<node_id>& sinks, const std::string& method,
                                    bool want_edge_flow, int threads, bool both_cuts,
                                    bool want_cut) {
  if (p.int_capacity) {
    return py_max_flow<std::int64_t>(
        p.first_out, p.head, p.arc_edge, *p.int_capacity, p.directed, p.num_edges, sources, sinks,
        method, want_edge_flow, p.layout_first_out, p.layout_head, p.layout_sister,
        p.layout_loop_arcs, p.capacity_bound, threads, both_cuts, want_cut);
  }
  return py_max_flow<double>(p.first_out, p.head, p.arc_edge, *p.float_capacity, p.directed,
                             p.num_edges, sources, sinks, method, want_edge_flow,
                             p.layout_first_out, p.layout_head, p.layout_sister, p.layout_loop_arcs,
                             p.capacity_bound, threads, both_cuts, want_cut);
}

// The arrays of a graph's FlowLayout (routecore/flow_layout.h), new numpy arrays owned by
// Python. first_out and head are None for an undirected graph (the layout uses the graph's).
struct FlowLayoutArrays {
  py::object first_out;
  py::object head;
  py::object sister;
  py::object loop_arcs;
};

FlowLayoutArrays py_build_flow_layout(const carray<arc_id>& first_out, const carray<node_id>& head,
                                      const carray<edge_id>& arc_edge, bool directed) {
  const CsrView g = make_view(first_out, head, arc_edge);
  flow_layout_arcs(g, directed);  // refuses layouts beyond 32-bit arc ids
  const std::size_t num_partners = directed ? static_cast<std::size_t>(g.num_arcs) : 0;
  auto partner = make_scratch_buffer<arc_id>(num_partners);
  const std::span<arc_id> partners(partner.get(), num_partners);
  arc_id m = 0;
  without_gil([&]() { m = plan_flow_layout(g, directed, partners); });
  auto l_first_out = new_array<arc_id>(directed ? g.num_nodes + 1 : 0);
  auto l_head = new_array<node_id>(directed ? m : 0);
  auto sister = new_array<arc_id>(m);
  auto fo = as_mut_span(l_first_out);
  auto hd = as_mut_span(l_head);
  auto si = as_mut_span(sister);
  std::vector<arc_id> loops;
  without_gil([&]() {
    build_flow_layout(g, directed, partners, fo, hd, si);
    loops = flow_layout_loop_arcs(g, directed, directed ? fo.data() : g.first_out, si.data());
  });
  auto loop_arcs = new_array<arc_id>(static_cast<py::ssize_t>(loops.size()));
  std::copy(loops.begin(), loops.end(), loop_arcs.mutable_data());
  if (!directed) return {py::none(), py::none(), std::move(sister), std::move(loop_arcs)};
  return {std::move(l_first_out), std::move(l_head), std::move(sister), std::move(loop_arcs)};
}

}  // namespace

void bind_flow(py::module_& m) {
  // A graph too large for the residual network's 32-bit arc ids is the caller's input error.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const flow_size_error& e) {
      const py::object graph_error = py::module_::import("routecore.errors").attr("GraphError");
      PyErr_SetString(graph_error.ptr(), e.what());
    }
  });
  m.attr("PARALLEL_MIN_ARCS_PER_THREAD") = min_arcs_per_pass_thread;
  py::class_<FlowLayoutArrays>(m, "FlowLayoutArrays",
                               "The residual arc layout of a graph; see routecore/flow_layout.h.")
      .def_readonly("first_out", &FlowLayoutArrays::first_out)
      .def_readonly("head", &FlowLayoutArrays::head)
      .def_readonly("sister", &FlowLayoutArrays::sister)
      .def_readonly("loop_arcs", &FlowLayoutArrays::loop_arcs);
  // Positional as well as by name: routecore/flow.py passes them positionally, because matching
  // 17 keywords costs microseconds on every call, more than a max-flow on a few nodes takes.
  const char* doc =
      "Max flow / min cut on a CSR graph with per-arc capacities (see routecore/max_flow.h); "
      "returns a MaxFlowOutcome tuple.";
  m.def("max_flow_int64", &py_max_flow<std::int64_t>, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("arc_capacity"), py::arg("directed"), py::arg("num_edges"),
        py::arg("sources"), py::arg("sinks"), py::arg("method"), py::arg("want_edge_flow"),
        py::arg("layout_first_out"), py::arg("layout_head"), py::arg("layout_sister"),
        py::arg("layout_loop_arcs"), py::arg("capacity_bound"), py::arg("threads"),
        py::arg("both_cuts") = false, py::arg("want_cut") = true, doc);
  m.def("max_flow_float64", &py_max_flow<double>, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("arc_capacity"), py::arg("directed"), py::arg("num_edges"),
        py::arg("sources"), py::arg("sinks"), py::arg("method"), py::arg("want_edge_flow"),
        py::arg("layout_first_out"), py::arg("layout_head"), py::arg("layout_sister"),
        py::arg("layout_loop_arcs"), py::arg("capacity_bound"), py::arg("threads"),
        py::arg("both_cuts") = false, py::arg("want_cut") = true, doc);
  py::class_<PreparedFlowGraph>(m, "PreparedFlowGraph",
                                "A graph's arrays held for repeated max-flow calls.")
      .def_property_readonly("integral",
                             [](const PreparedFlowGraph& p) { return p.int_capacity.has_value(); });
  m.def("prepare_flow_graph", &py_prepare_flow_graph, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("arc_capacity"), py::arg("directed"), py::arg("num_edges"),
        py::arg("layout_first_out"), py::arg("layout_head"), py::arg("layout_sister"),
        py::arg("layout_loop_arcs"), py::arg("capacity_bound"),
        "Hold a graph's flow arrays for max_flow_prepared (no copy).");
  m.def(
      "max_flow_prepared", &py_max_flow_prepared, py::arg("prepared"), py::arg("sources"),
      py::arg("sinks"), py::arg("method"), py::arg("want_edge_flow"), py::arg("threads"),
      py::arg("both_cuts") = false, py::arg("want_cut") = true,
      "max_flow_int64 / max_flow_float64 on a PreparedFlowGraph; returns a MaxFlowOutcome tuple.");
  m.def("build_flow_layout", &py_build_flow_layout, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("directed"),
        "The residual arc layout (routecore/flow_layout.h) as a FlowLayoutArrays; first_out "
        "and head are None for an undirected graph. Raises GraphError when it would exceed "
        "32-bit arc ids.");
  m.def("release_scratch_memory", &release_scratch_memory,
        "Free the scratch blocks max-flow calls keep for reuse.");
}

}  // namespace routecore::bindings
