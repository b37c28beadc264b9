// CSR construction and small graph utilities.
#include <pybind11/stl.h>

#include "common.h"
#include "routecore/csr.h"

namespace routecore::bindings {

namespace {

py::tuple py_build_csr(node_id num_nodes, const carray<node_id>& src, const carray<node_id>& dst,
                       bool directed) {
  const auto num_edges = static_cast<std::int64_t>(src.size());
  const std::int64_t num_arcs = directed ? num_edges : 2 * num_edges;
  if (num_arcs > max_id_count) {
    throw std::invalid_argument("graph has too many arcs for 32-bit arc ids");
  }
  auto first_out = new_array<arc_id>(static_cast<py::ssize_t>(num_nodes) + 1);
  auto head = new_array<node_id>(num_arcs);
  auto arc_edge = new_array<edge_id>(num_arcs);
  auto fo = as_mut_span(first_out);
  auto hd = as_mut_span(head);
  auto ae = as_mut_span(arc_edge);
  auto s = as_span(src);
  auto d = as_span(dst);
  {
    py::gil_scoped_release release;
    build_csr(num_nodes, s, d, directed, fo, hd, ae);
  }
  return py::make_tuple(first_out, head, arc_edge);
}

py::tuple py_build_reverse_csr(const carray<arc_id>& first_out, const carray<node_id>& head,
                               const carray<edge_id>& arc_edge) {
  const CsrView g = make_view(first_out, head, arc_edge);
  auto r_first_out = new_array<arc_id>(first_out.size());
  auto r_head = new_array<node_id>(head.size());
  auto r_arc_edge = new_array<edge_id>(arc_edge.size());
  auto fo = as_mut_span(r_first_out);
  auto hd = as_mut_span(r_head);
  auto ae = as_mut_span(r_arc_edge);
  {
    py::gil_scoped_release release;
    build_reverse_csr(g, fo, hd, ae);
  }
  return py::make_tuple(r_first_out, r_head, r_arc_edge);
}

}  // namespace

void bind_graph(py::module_& m) {
  m.attr("max_id_count") = max_id_count;
  m.def("available_threads", &available_threads, "Hardware threads available (at least 1).");
  m.def("build_csr", &py_build_csr, py::arg("num_nodes"), py::arg("src"), py::arg("dst"),
        py::arg("directed"),
        "Build (first_out, head, arc_edge) from int32 edge arrays; see routecore/csr.h.");
  m.def("build_reverse_csr", &py_build_reverse_csr, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), "CSR of the reversed graph; arc_edge keeps the original edge ids.");
}

}  // namespace routecore::bindings
