// CSR construction (one builder, serial or threaded: see routecore/csr.h) and small graph
// utilities. Callers pass validated arrays (routecore/graph.py) or arrays this package built
// itself (the constellation snapshot builder); no logic here.
#include <pybind11/stl.h>

#include <optional>
#include <vector>

#include "common.h"
#include "routecore/csr.h"

namespace routecore::bindings {

namespace {

// The arrays of one CSR build. Every array is a new numpy array owned by Python.
struct CsrArrays {
  carray<arc_id> first_out;
  carray<node_id> head;
  carray<edge_id> arc_edge;
  std::optional<carray<double>> arc_weight;
  std::optional<carray<double>> arc_capacity;

  // (first_out, head, arc_edge, arc_weight, arc_capacity), so a build also unpacks like a tuple.
  py::tuple astuple() const {
    return py::make_tuple(first_out, head, arc_edge, arc_weight, arc_capacity);
  }
};

CsrArrays csr_arrays(node_id num_nodes, const carray<node_id>& src, const carray<node_id>& dst,
                     bool directed, const std::optional<carray<double>>& weight,
                     const std::optional<carray<double>>& capacity, int threads) {
  const auto num_edges = static_cast<std::int64_t>(src.size());
  const std::int64_t num_arcs = directed ? num_edges : 2 * num_edges;
  if (num_arcs > max_id_count) {
    throw std::invalid_argument("graph has too many arcs for 32-bit arc ids");
  }
  if (dst.size() != num_edges || num_nodes < 0 || (weight && weight->size() != num_edges) ||
      (capacity && capacity->size() != num_edges)) {
    throw std::invalid_argument("internal error: inconsistent edge arrays");
  }
  CsrArrays out{new_array<arc_id>(static_cast<py::ssize_t>(num_nodes) + 1),
                new_array<node_id>(num_arcs), new_array<edge_id>(num_arcs), std::nullopt,
                std::nullopt};
  if (weight) out.arc_weight = new_array<double>(num_arcs);
  if (capacity) out.arc_capacity = new_array<double>(num_arcs);
  auto fo = as_mut_span(out.first_out);
  auto hd = as_mut_span(out.head);
  auto ae = as_mut_span(out.arc_edge);
  const auto s = as_span(src);
  const auto d = as_span(dst);
  std::vector<ArcValues> values;
  if (weight) values.push_back({as_span(*weight), as_mut_span(*out.arc_weight)});
  if (capacity) values.push_back({as_span(*capacity), as_mut_span(*out.arc_capacity)});
  run_interruptible((2 + static_cast<std::int64_t>(values.size())) * num_arcs + num_nodes,
                    [&](const Cancel& cancel) {
                      return build_csr(num_nodes, s, d, directed, fo, hd, ae, values, threads,
                                       &cancel);
                    });
  return out;
}

py::tuple py_build_csr(node_id num_nodes, const carray<node_id>& src, const carray<node_id>& dst,
                       bool directed) {
  const CsrArrays csr = csr_arrays(num_nodes, src, dst, directed, std::nullopt, std::nullopt, 1);
  return py::make_tuple(csr.first_out, csr.head, csr.arc_edge);
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
  without_gil([&]() { build_reverse_csr(g, fo, hd, ae); });
  return py::make_tuple(r_first_out, r_head, r_arc_edge);
}

}  // namespace

void bind_graph(py::module_& m) {
  m.attr("max_id_count") = max_id_count;
  m.def("available_threads", &available_threads, "Hardware threads available (at least 1).");
  py::class_<CsrArrays>(m, "CsrArrays",
                        "The arrays of a CSR build (see routecore/csr.h): first_out, head, "
                        "arc_edge, and arc_weight / arc_capacity (float64 in arc order, or None). "
                        "Also unpacks as that 5-tuple.")
      .def_readonly("first_out", &CsrArrays::first_out)
      .def_readonly("head", &CsrArrays::head)
      .def_readonly("arc_edge", &CsrArrays::arc_edge)
      .def_readonly("arc_weight", &CsrArrays::arc_weight)
      .def_readonly("arc_capacity", &CsrArrays::arc_capacity)
      .def("__len__", [](const CsrArrays&) { return 5; })
      .def("__iter__", [](const CsrArrays& c) { return py::iter(c.astuple()); })
      .def("__getitem__", [](const CsrArrays& c, const py::object& key) {
        const py::tuple fields = c.astuple();
        return py::object(fields[key]);
      });
  m.def("build_csr", &py_build_csr, py::arg("num_nodes"), py::arg("src"), py::arg("dst"),
        py::arg("directed"),
        "Build (first_out, head, arc_edge) from int32 edge arrays on one thread; see "
        "routecore/csr.h.");
  m.def("build_csr_parallel", &csr_arrays, py::arg("num_nodes"), py::arg("src"), py::arg("dst"),
        py::arg("directed"), py::arg("weight"), py::arg("capacity"), py::arg("threads"),
        "build_csr on up to `threads` threads (the same arrays), plus the float64 weights and "
        "capacities in arc order (None where not given), as a CsrArrays; see routecore/csr.h.");
  m.def("build_reverse_csr", &py_build_reverse_csr, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), "CSR of the reversed graph; arc_edge keeps the original edge ids.");
}

}  // namespace routecore::bindings
