// The CSR of a large edge list with its per-arc values, on a thread pool with the GIL released
// (see routecore/parallel_csr.h). The callers (the constellation snapshot builder) pass arrays
// they built or validated themselves; no logic here.
#include <pybind11/stl.h>

#include <optional>
#include <vector>

#include "common.h"
#include "routecore/parallel_csr.h"

namespace routecore::bindings {

namespace {

// Returns (first_out, head, arc_edge, arc_weight or None, arc_capacity or None).
py::tuple py_build_csr_parallel(node_id num_nodes, const carray<node_id>& src,
                                const carray<node_id>& dst, bool directed,
                                const std::optional<carray<double>>& weight,
                                const std::optional<carray<double>>& capacity, int threads) {
  const auto num_edges = static_cast<std::int64_t>(src.size());
  const std::int64_t num_arcs = directed ? num_edges : 2 * num_edges;
  if (dst.size() != num_edges || num_nodes < 0 || num_arcs > max_id_count ||
      (weight && weight->size() != num_edges) || (capacity && capacity->size() != num_edges)) {
    throw std::invalid_argument("internal error: inconsistent edge arrays");
  }
  auto first_out = new_array<arc_id>(static_cast<py::ssize_t>(num_nodes) + 1);
  auto head = new_array<node_id>(num_arcs);
  auto arc_edge = new_array<edge_id>(num_arcs);
  std::optional<carray<double>> arc_weight;
  std::optional<carray<double>> arc_capacity;
  if (weight) arc_weight = new_array<double>(num_arcs);
  if (capacity) arc_capacity = new_array<double>(num_arcs);
  auto fo = as_mut_span(first_out);
  auto hd = as_mut_span(head);
  auto ae = as_mut_span(arc_edge);
  const auto s = as_span(src);
  const auto d = as_span(dst);
  std::vector<ArcValues> values;
  if (weight) values.push_back({as_span(*weight), as_mut_span(*arc_weight)});
  if (capacity) values.push_back({as_span(*capacity), as_mut_span(*arc_capacity)});
  run_interruptible((2 + static_cast<std::int64_t>(values.size())) * num_arcs + num_nodes,
                    [&](const Cancel& cancel) {
                      return build_csr_parallel(num_nodes, s, d, directed, threads, fo, hd, ae,
                                                values, cancel);
                    });
  return py::make_tuple(first_out, head, arc_edge, arc_weight, arc_capacity);
}

}  // namespace

void bind_parallel_csr(py::module_& m) {
  m.def("build_csr_parallel", &py_build_csr_parallel, py::arg("num_nodes"), py::arg("src"),
        py::arg("dst"), py::arg("directed"), py::arg("weight"), py::arg("capacity"),
        py::arg("threads"),
        "build_csr on a thread pool (same arrays), plus the float64 weights and capacities in "
        "arc order (None where not given); see routecore/parallel_csr.h.");
}

}  // namespace routecore::bindings
