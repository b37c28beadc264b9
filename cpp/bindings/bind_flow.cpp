// Max-flow / min-cut entry points (see routecore/max_flow.h). Bindings only: the Python layer
// (routecore/flow.py) validates the input and turns the status into exceptions.
#include <string>

#include "common.h"
#include "routecore/flow_network.h"
#include "routecore/max_flow.h"

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

// Returns (status, method, value, edge_flow or None, source_side (uint8), cut_edges (int32),
// source_total, sink_total).
template <class Cap>
py::tuple py_max_flow(const carray<arc_id>& first_out, const carray<node_id>& head,
                      const carray<edge_id>& arc_edge, const carray<Cap>& arc_capacity,
                      bool directed, edge_id num_edges, const carray<node_id>& sources,
                      const carray<node_id>& sinks, const std::string& method, bool want_edge_flow,
                      const carray<arc_id>& layout_first_out, const carray<node_id>& layout_head,
                      const carray<arc_id>& layout_sister, const carray<arc_id>& layout_loop_arcs,
                      double capacity_bound, int threads) {
  const CsrView g = make_view(first_out, head, arc_edge);
  const FlowLayout layout =
      make_flow_layout(g, directed, layout_first_out, layout_head, layout_sister, layout_loop_arcs);
  if (arc_capacity.size() != head.size()) {
    throw std::invalid_argument("internal error: capacity array does not match the arcs");
  }
  const flow_method m = flow_method_from_name(method);
  auto edge_flow = new_array<Cap>(want_edge_flow ? num_edges : 0);
  auto side = new_array<std::uint8_t>(g.num_nodes);
  auto cap = as_span(arc_capacity);
  auto src = as_span(sources);
  auto dst = as_span(sinks);
  auto flow_out = as_mut_span(edge_flow);
  auto side_out = as_mut_span(side);
  const std::int64_t work = 8 * static_cast<std::int64_t>(g.num_arcs) + g.num_nodes;
  FlowOutcome<Cap> out = run_interruptible(work, [&](const Cancel& cancel) {
    return solve_max_flow<Cap>(g, cap, directed, num_edges, src, dst, m, want_edge_flow, flow_out,
                               side_out, &cancel, &layout, capacity_bound, threads);
  });
  auto cut = new_array<edge_id>(static_cast<py::ssize_t>(out.cut_edges.size()));
  std::copy(out.cut_edges.begin(), out.cut_edges.end(), cut.mutable_data());
  py::object flow_obj = want_edge_flow ? py::object(edge_flow) : py::object(py::none());
  return py::make_tuple(status_name(out.status), method_name(out.method), out.value, flow_obj, side,
                        cut, out.source_total, out.sink_total);
}

// (first_out, head, sister, loop_arcs) of the graph's FlowLayout; first_out and head are None
// for an undirected graph (the layout uses the graph's own).
py::tuple py_build_flow_layout(const carray<arc_id>& first_out, const carray<node_id>& head,
                               const carray<edge_id>& arc_edge, bool directed) {
  const CsrView g = make_view(first_out, head, arc_edge);
  const arc_id m = flow_layout_arcs(g, directed);
  auto l_first_out = new_array<arc_id>(directed ? g.num_nodes + 1 : 0);
  auto l_head = new_array<node_id>(directed ? m : 0);
  auto sister = new_array<arc_id>(m);
  auto fo = as_mut_span(l_first_out);
  auto hd = as_mut_span(l_head);
  auto si = as_mut_span(sister);
  std::vector<arc_id> loops;
  {
    py::gil_scoped_release release;
    build_flow_layout(g, directed, fo, hd, si);
    loops = flow_layout_loop_arcs(g, directed, directed ? fo.data() : g.first_out, si.data());
  }
  auto loop_arcs = new_array<arc_id>(static_cast<py::ssize_t>(loops.size()));
  std::copy(loops.begin(), loops.end(), loop_arcs.mutable_data());
  if (!directed) return py::make_tuple(py::none(), py::none(), sister, loop_arcs);
  return py::make_tuple(l_first_out, l_head, sister, loop_arcs);
}

}  // namespace

void bind_flow(py::module_& m) {
  const char* doc =
      "Max flow / min cut on a CSR graph with per-arc capacities (see routecore/max_flow.h). "
      "Returns (status, method, value, edge_flow or None, source_side, cut_edges, "
      "source_total, sink_total).";
  m.def("max_flow_int64", &py_max_flow<std::int64_t>, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("arc_capacity"), py::arg("directed"), py::arg("num_edges"),
        py::arg("sources"), py::arg("sinks"), py::arg("method"), py::arg("want_edge_flow"),
        py::arg("layout_first_out"), py::arg("layout_head"), py::arg("layout_sister"),
        py::arg("layout_loop_arcs"), py::arg("capacity_bound"), py::arg("threads"), doc);
  m.def("max_flow_float64", &py_max_flow<double>, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("arc_capacity"), py::arg("directed"), py::arg("num_edges"),
        py::arg("sources"), py::arg("sinks"), py::arg("method"), py::arg("want_edge_flow"),
        py::arg("layout_first_out"), py::arg("layout_head"), py::arg("layout_sister"),
        py::arg("layout_loop_arcs"), py::arg("capacity_bound"), py::arg("threads"), doc);
  m.def("build_flow_layout", &py_build_flow_layout, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("directed"),
        "(first_out, head, sister, loop_arcs) of the residual arc layout "
        "(routecore/flow_network.h); "
        "first_out and head are None for an undirected graph.");
  m.def("release_scratch_memory", &release_scratch_memory,
        "Free the scratch blocks max-flow calls keep for reuse.");
}

}  // namespace routecore::bindings
