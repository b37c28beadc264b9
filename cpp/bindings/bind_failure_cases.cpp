// Batched what-if cases (see routecore/failure_cases.h): one call runs every case on a thread
// pool with the GIL released. Input is validated by routecore/sweep.py; no logic here.
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "common.h"
#include "routecore/failure_cases.h"

namespace routecore::bindings {

namespace {

std::int64_t case_count(const carray<std::int64_t>& case_offsets) {
  if (case_offsets.size() < 1) throw std::invalid_argument("internal error: empty case_offsets");
  return static_cast<std::int64_t>(case_offsets.size()) - 1;
}

// Returns (value per case, status per case as uint8: 0 optimal, 1 overflow, 2 cancelled).
template <class Cap>
py::tuple py_failure_max_flows(
    const carray<arc_id>& first_out, const carray<node_id>& head, const carray<edge_id>& arc_edge,
    const carray<Cap>& arc_capacity, bool directed, edge_id num_edges,
    const carray<node_id>& sources, const carray<node_id>& sinks, const std::string& method,
    const carray<std::int64_t>& case_offsets, const carray<arc_id>& case_arcs, int threads,
    const carray<arc_id>& layout_first_out, const carray<node_id>& layout_head,
    const carray<arc_id>& layout_sister, const carray<arc_id>& layout_loop_arcs) {
  const CsrView g = make_view(first_out, head, arc_edge);
  const FlowLayout layout =
      make_flow_layout(g, directed, layout_first_out, layout_head, layout_sister, layout_loop_arcs);
  if (arc_capacity.size() != head.size()) {
    throw std::invalid_argument("internal error: capacity array does not match the arcs");
  }
  const flow_method m = flow_method_from_name(method);
  const std::int64_t k = case_count(case_offsets);
  auto value = new_array<Cap>(k);
  auto status = new_array<std::uint8_t>(k);
  Cap* v = value.mutable_data();
  std::uint8_t* st = status.mutable_data();
  const auto cap = as_span(arc_capacity);
  const auto src = as_span(sources);
  const auto dst = as_span(sinks);
  const auto offsets = as_span(case_offsets);
  const auto arcs = as_span(case_arcs);
  const std::int64_t work = k * (8 * static_cast<std::int64_t>(g.num_arcs) + g.num_nodes);
  run_interruptible(work, [&](const Cancel& cancel) {
    return failure_max_flows<Cap>(g, layout, cap, directed, num_edges, src, dst, m, offsets, arcs,
                                  threads, v, st, cancel);
  });
  return py::make_tuple(value, status);
}

template <class Cap>
py::tuple py_pair_max_flows(const carray<arc_id>& first_out, const carray<node_id>& head,
                            const carray<edge_id>& arc_edge, const carray<Cap>& arc_capacity,
                            bool directed, edge_id num_edges, const carray<node_id>& pair_sources,
                            const carray<node_id>& pair_sinks, const std::string& method,
                            int threads, const carray<arc_id>& layout_first_out,
                            const carray<node_id>& layout_head, const carray<arc_id>& layout_sister,
                            const carray<arc_id>& layout_loop_arcs) {
  const CsrView g = make_view(first_out, head, arc_edge);
  const FlowLayout layout =
      make_flow_layout(g, directed, layout_first_out, layout_head, layout_sister, layout_loop_arcs);
  if (arc_capacity.size() != head.size() || pair_sources.size() != pair_sinks.size()) {
    throw std::invalid_argument("internal error: capacity or pair arrays do not match");
  }
  const flow_method m = flow_method_from_name(method);
  const std::int64_t k = pair_sources.size();
  auto value = new_array<Cap>(k);
  auto status = new_array<std::uint8_t>(k);
  Cap* v = value.mutable_data();
  std::uint8_t* st = status.mutable_data();
  const auto cap = as_span(arc_capacity);
  const auto src = as_span(pair_sources);
  const auto dst = as_span(pair_sinks);
  const std::int64_t work = k * (8 * static_cast<std::int64_t>(g.num_arcs) + g.num_nodes);
  run_interruptible(work, [&](const Cancel& cancel) {
    return pair_max_flows<Cap>(g, layout, cap, directed, num_edges, src, dst, m, threads, v, st,
                               cancel);
  });
  return py::make_tuple(value, status);
}

// (k, len(targets)) lengths from the nearest source, one row per case.
carray<double> py_failure_lengths(const carray<arc_id>& first_out, const carray<node_id>& head,
                                  const carray<edge_id>& arc_edge, const carray<double>& weight,
                                  const carray<node_id>& sources, const carray<node_id>& targets,
                                  const std::optional<carray<std::uint8_t>>& blocked,
                                  const carray<std::int64_t>& case_offsets,
                                  const carray<arc_id>& case_arcs, int threads) {
  const CsrView g = make_view(first_out, head, arc_edge);
  if (weight.size() != head.size()) {
    throw std::invalid_argument("internal error: weight array does not match the arcs");
  }
  const std::int64_t k = case_count(case_offsets);
  carray<double> out({static_cast<py::ssize_t>(k), static_cast<py::ssize_t>(targets.size())});
  double* o = out.mutable_data();
  const auto w = as_span(weight);
  const auto src = as_span(sources);
  const auto dst = as_span(targets);
  const auto offsets = as_span(case_offsets);
  const auto arcs = as_span(case_arcs);
  const std::uint8_t* b = blocked ? blocked->data() : nullptr;
  const std::int64_t work = k * (static_cast<std::int64_t>(g.num_nodes) + g.num_arcs);
  run_interruptible(work, [&](const Cancel& cancel) {
    return failure_lengths(g, w, src, dst, b, offsets, arcs, threads, o, cancel);
  });
  return out;
}

}  // namespace

void bind_failure_cases(py::module_& m) {
  const char* flows_doc =
      "Max-flow value of every failure case, on a thread pool (see routecore/failure_cases.h). "
      "Returns (values, status).";
  m.def("failure_max_flows_int64", &py_failure_max_flows<std::int64_t>, py::arg("first_out"),
        py::arg("head"), py::arg("arc_edge"), py::arg("arc_capacity"), py::arg("directed"),
        py::arg("num_edges"), py::arg("sources"), py::arg("sinks"), py::arg("method"),
        py::arg("case_offsets"), py::arg("case_arcs"), py::arg("threads"),
        py::arg("layout_first_out"), py::arg("layout_head"), py::arg("layout_sister"),
        py::arg("layout_loop_arcs"), flows_doc);
  m.def("failure_max_flows_float64", &py_failure_max_flows<double>, py::arg("first_out"),
        py::arg("head"), py::arg("arc_edge"), py::arg("arc_capacity"), py::arg("directed"),
        py::arg("num_edges"), py::arg("sources"), py::arg("sinks"), py::arg("method"),
        py::arg("case_offsets"), py::arg("case_arcs"), py::arg("threads"),
        py::arg("layout_first_out"), py::arg("layout_head"), py::arg("layout_sister"),
        py::arg("layout_loop_arcs"), flows_doc);
  const char* pairs_doc =
      "Max-flow value between each (source, sink) pair, on a thread pool (see "
      "routecore/failure_cases.h). Returns (values, status).";
  m.def("pair_max_flows_int64", &py_pair_max_flows<std::int64_t>, py::arg("first_out"),
        py::arg("head"), py::arg("arc_edge"), py::arg("arc_capacity"), py::arg("directed"),
        py::arg("num_edges"), py::arg("pair_sources"), py::arg("pair_sinks"), py::arg("method"),
        py::arg("threads"), py::arg("layout_first_out"), py::arg("layout_head"),
        py::arg("layout_sister"), py::arg("layout_loop_arcs"), pairs_doc);
  m.def("pair_max_flows_float64", &py_pair_max_flows<double>, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("arc_capacity"), py::arg("directed"), py::arg("num_edges"),
        py::arg("pair_sources"), py::arg("pair_sinks"), py::arg("method"), py::arg("threads"),
        py::arg("layout_first_out"), py::arg("layout_head"), py::arg("layout_sister"),
        py::arg("layout_loop_arcs"), pairs_doc);
  m.def("failure_lengths", &py_failure_lengths, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("weight"), py::arg("sources"), py::arg("targets"),
        py::arg("blocked"), py::arg("case_offsets"), py::arg("case_arcs"), py::arg("threads"),
        "(k, t) nearest-source lengths at the targets for every failure case, on a thread pool "
        "(see routecore/failure_cases.h).");
}

}  // namespace routecore::bindings
