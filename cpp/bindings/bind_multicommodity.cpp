// Multi-commodity flow entry point (see routecore/multicommodity_flow.h). Bindings only: the
// Python layer (routecore/multicommodity.py) validates the input and builds the result tables.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "routecore/multicommodity_flow.h"

namespace routecore::bindings {

namespace {

const char* mc_status_name(mc_status s) {
  switch (s) {
    case mc_status::phase_limit:
      return "phase_limit";
    case mc_status::unreachable:
      return "unreachable";
    case mc_status::cancelled:
      return "cancelled";
    default:
      return "converged";
  }
}

template <class T>
py::object to_numpy(const std::vector<T>& v) {
  auto a = new_array<T>(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

// What one multi-commodity flow call returns to Python (MulticommodityOutcome as numpy).
struct MulticommodityCoreResult {
  std::string status;  // "converged", "phase_limit", "unreachable" or "cancelled"
  double primal;
  double dual;
  std::int64_t phases;
  std::int64_t tree_steps;
  py::object commodity_flow;  // float64 per commodity
  py::object unreachable;     // int32 commodity ids
  py::object path_commodity;  // int32 per path
  py::object path_flow;       // float64 per path
  py::object path_start;      // int64, paths + 1
  py::object path_arcs;       // int32 arc ids (CSR positions), source first
};

MulticommodityCoreResult py_multicommodity_flow(
    const carray<arc_id>& first_out, const carray<node_id>& head, const carray<edge_id>& arc_edge,
    const carray<double>& capacity, const carray<std::int32_t>& source,
    const carray<std::int32_t>& target, const carray<double>& demand, const std::string& objective,
    double epsilon, std::int64_t max_phases, double step_start, double step_min) {
  const CsrView g = make_view(first_out, head, arc_edge);
  if (source.size() != target.size() || source.size() != demand.size()) {
    throw std::invalid_argument("internal error: inconsistent demand arrays");
  }
  MulticommodityProblem p;
  p.graph = g;
  p.capacity = as_span(capacity);
  p.source = as_span(source);
  p.target = as_span(target);
  p.demand = as_span(demand);
  p.objective = objective == "total" ? mc_objective::total : mc_objective::concurrent;
  p.epsilon = epsilon;
  p.max_phases = max_phases;
  p.step_start = step_start;
  p.step_min = step_min;
  const std::int64_t work = 64 * (static_cast<std::int64_t>(g.num_arcs) + g.num_nodes);
  MulticommodityOutcome out = run_interruptible(
      work, [&](const Cancel& cancel) { return solve_multicommodity_flow(p, &cancel); });
  return MulticommodityCoreResult{mc_status_name(out.status),
                                  out.primal,
                                  out.dual,
                                  out.phases,
                                  out.tree_steps,
                                  to_numpy(out.commodity_flow),
                                  to_numpy(out.unreachable),
                                  to_numpy(out.path_commodity),
                                  to_numpy(out.path_flow),
                                  to_numpy(out.path_start),
                                  to_numpy(out.path_arcs)};
}

}  // namespace

void bind_multicommodity(py::module_& m) {
  py::class_<MulticommodityCoreResult>(
      m, "MulticommodityCoreResult",
      "The outcome of one multi-commodity flow call; see multicommodity_flow.h.")
      .def_readonly("status", &MulticommodityCoreResult::status)
      .def_readonly("primal", &MulticommodityCoreResult::primal)
      .def_readonly("dual", &MulticommodityCoreResult::dual)
      .def_readonly("phases", &MulticommodityCoreResult::phases)
      .def_readonly("tree_steps", &MulticommodityCoreResult::tree_steps)
      .def_readonly("commodity_flow", &MulticommodityCoreResult::commodity_flow)
      .def_readonly("unreachable", &MulticommodityCoreResult::unreachable)
      .def_readonly("path_commodity", &MulticommodityCoreResult::path_commodity)
      .def_readonly("path_flow", &MulticommodityCoreResult::path_flow)
      .def_readonly("path_start", &MulticommodityCoreResult::path_start)
      .def_readonly("path_arcs", &MulticommodityCoreResult::path_arcs);
  m.def("multicommodity_flow", &py_multicommodity_flow, py::kw_only(), py::arg("first_out"),
        py::arg("head"), py::arg("arc_edge"), py::arg("capacity"), py::arg("source"),
        py::arg("target"), py::arg("demand"), py::arg("objective"), py::arg("epsilon"),
        py::arg("max_phases"), py::arg("step_start") = 0.5, py::arg("step_min") = 0.0,
        "Multi-commodity flow with a certified gap (routecore/multicommodity_flow.h); returns a "
        "MulticommodityCoreResult.");
}

}  // namespace routecore::bindings
