// Min-cost flow entry point (see routecore/network_simplex.h). Bindings only: the Python layer
// (routecore/min_cost.py) validates the input, builds the arc arrays and reads the status.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <pybind11/stl.h>

#include "common.h"
#include "routecore/cost_scaling.h"
#include "routecore/network_simplex.h"

namespace routecore::bindings {

namespace {

const char* mcf_status_name(mcf_status s) {
  switch (s) {
    case mcf_status::infeasible:
      return "infeasible";
    case mcf_status::unbounded:
      return "unbounded";
    case mcf_status::overflow:
      return "overflow";
    case mcf_status::cancelled:
      return "cancelled";
    default:
      return "optimal";
  }
}

// A Python int from an Int128 (hi * 2^64 + lo), exact at any size.
py::object int128_to_python(const Int128& v) {
  const py::int_ hi(v.hi);
  const py::int_ lo(v.lo);
  return hi.attr("__lshift__")(64).attr("__add__")(lo);
}

// What one min-cost flow call returns to Python. Arrays are new numpy arrays owned by Python.
struct MinCostFlowCoreResult {
  std::string status;    // "optimal", "infeasible", "unbounded", "overflow" or "cancelled"
  py::object cost;       // Python int (exact), None unless optimal
  py::object flow;       // int64 per arc, None unless optimal
  py::object potential;  // int64 per node, None unless optimal
  std::int64_t pivots;
};

using McfSolver = McfOutcome (*)(const McfProblem&, const Cancel*);

// Runs `solve` (network simplex or cost scaling: same problem, same outcome) on the arc arrays.
MinCostFlowCoreResult run_min_cost_flow(McfSolver solve, std::int32_t num_nodes,
                                        const carray<std::int32_t>& tail,
                                        const carray<std::int32_t>& head,
                                        const carray<std::int64_t>& capacity,
                                        const carray<std::int64_t>& cost,
                                        const carray<std::int64_t>& supply,
                                        const carray<std::int32_t>* start_tree = nullptr,
                                        const carray<std::uint8_t>* start_upper = nullptr) {
  if ((start_tree != nullptr && start_tree->size() != num_nodes) ||
      (start_upper != nullptr && start_upper->size() != tail.size())) {
    throw std::invalid_argument("internal error: inconsistent min-cost flow warm start");
  }
  if (tail.size() != head.size() || tail.size() != capacity.size() || tail.size() != cost.size() ||
      supply.size() != num_nodes) {
    throw std::invalid_argument("internal error: inconsistent min-cost flow arrays");
  }
  McfProblem p{num_nodes,
               as_span(tail),
               as_span(head),
               as_span(capacity),
               as_span(cost),
               as_span(supply),
               {},
               {}};
  if (start_tree != nullptr) p.start_tree = as_span(*start_tree);
  if (start_upper != nullptr) p.start_upper = as_span(*start_upper);
  const std::int64_t work = 64 * (static_cast<std::int64_t>(tail.size()) + num_nodes);
  McfOutcome out = run_interruptible(work, [&](const Cancel& cancel) { return solve(p, &cancel); });
  MinCostFlowCoreResult r{mcf_status_name(out.status), py::none(), py::none(), py::none(),
                          out.pivots};
  if (out.status == mcf_status::optimal) {
    auto flow = new_array<std::int64_t>(static_cast<py::ssize_t>(out.flow.size()));
    std::copy(out.flow.begin(), out.flow.end(), flow.mutable_data());
    auto pot = new_array<std::int64_t>(static_cast<py::ssize_t>(out.potential.size()));
    std::copy(out.potential.begin(), out.potential.end(), pot.mutable_data());
    r.cost = int128_to_python(out.total_cost);
    r.flow = std::move(flow);
    r.potential = std::move(pot);
  }
  return r;
}

MinCostFlowCoreResult py_network_simplex(std::int32_t num_nodes, const carray<std::int32_t>& tail,
                                         const carray<std::int32_t>& head,
                                         const carray<std::int64_t>& capacity,
                                         const carray<std::int64_t>& cost,
                                         const carray<std::int64_t>& supply,
                                         const std::optional<carray<std::int32_t>>& start_tree,
                                         const std::optional<carray<std::uint8_t>>& start_upper) {
  return run_min_cost_flow(&solve_network_simplex, num_nodes, tail, head, capacity, cost, supply,
                           start_tree ? &*start_tree : nullptr,
                           start_upper ? &*start_upper : nullptr);
}

MinCostFlowCoreResult py_cost_scaling(std::int32_t num_nodes, const carray<std::int32_t>& tail,
                                      const carray<std::int32_t>& head,
                                      const carray<std::int64_t>& capacity,
                                      const carray<std::int64_t>& cost,
                                      const carray<std::int64_t>& supply) {
  return run_min_cost_flow(&solve_cost_scaling, num_nodes, tail, head, capacity, cost, supply);
}

}  // namespace

void bind_min_cost_flow(py::module_& m) {
  py::class_<MinCostFlowCoreResult>(m, "MinCostFlowCoreResult",
                                    "The outcome of one min-cost flow call; see network_simplex.h.")
      .def_readonly("status", &MinCostFlowCoreResult::status)
      .def_readonly("cost", &MinCostFlowCoreResult::cost)
      .def_readonly("flow", &MinCostFlowCoreResult::flow)
      .def_readonly("potential", &MinCostFlowCoreResult::potential)
      .def_readonly("pivots", &MinCostFlowCoreResult::pivots);
  m.attr("INFINITE_CAPACITY") = kInfiniteCapacity;
  m.def("network_simplex", &py_network_simplex, py::kw_only(), py::arg("num_nodes"),
        py::arg("tail"), py::arg("head"), py::arg("capacity"), py::arg("cost"), py::arg("supply"),
        py::arg("start_tree") = py::none(), py::arg("start_upper") = py::none(),
        "Min-cost flow by primal network simplex on arc arrays (routecore/network_simplex.h); "
        "start_tree (int32 per node, an arc or -1) and start_upper (uint8 per arc) give an "
        "optional warm start. Returns a MinCostFlowCoreResult.");
  m.def("cost_scaling", &py_cost_scaling, py::kw_only(), py::arg("num_nodes"), py::arg("tail"),
        py::arg("head"), py::arg("capacity"), py::arg("cost"), py::arg("supply"),
        "Min-cost flow by cost-scaling push-relabel on arc arrays (routecore/cost_scaling.h); "
        "returns a MinCostFlowCoreResult (pivots is 0).");
}

}  // namespace routecore::bindings
