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

MulticommodityCoreResult to_result(const MulticommodityOutcome& out) {
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

MulticommodityProblem make_problem(const CsrView& g, const carray<double>& capacity,
                                   const carray<std::int32_t>& source,
                                   const carray<std::int32_t>& target, const carray<double>& demand,
                                   const std::string& objective, double epsilon,
                                   std::int64_t max_phases, double step_start, double step_min) {
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
  return p;
}

MulticommodityCoreResult py_multicommodity_flow(
    const carray<arc_id>& first_out, const carray<node_id>& head, const carray<edge_id>& arc_edge,
    const carray<double>& capacity, const carray<std::int32_t>& source,
    const carray<std::int32_t>& target, const carray<double>& demand, const std::string& objective,
    double epsilon, std::int64_t max_phases, double step_start, double step_min) {
  const CsrView g = make_view(first_out, head, arc_edge);
  const MulticommodityProblem p = make_problem(g, capacity, source, target, demand, objective,
                                               epsilon, max_phases, step_start, step_min);
  const std::int64_t work = 64 * (static_cast<std::int64_t>(g.num_arcs) + g.num_nodes);
  return to_result(run_interruptible(
      work, [&](const Cancel& cancel) { return solve_multicommodity_flow(p, &cancel); }));
}

MulticommodityCoreResult py_path_multicommodity_flow(
    const carray<arc_id>& first_out, const carray<node_id>& head, const carray<edge_id>& arc_edge,
    const carray<double>& capacity, const carray<std::int32_t>& source,
    const carray<std::int32_t>& target, const carray<double>& demand,
    const carray<std::int64_t>& commodity_start, const carray<std::int64_t>& path_start,
    const carray<std::int32_t>& path_arcs, const std::string& objective, double epsilon,
    std::int64_t max_phases, double step_start, double step_min) {
  const CsrView g = make_view(first_out, head, arc_edge);
  const MulticommodityProblem p = make_problem(g, capacity, source, target, demand, objective,
                                               epsilon, max_phases, step_start, step_min);
  // The Python layer builds these arrays; check their shape so that no index runs out.
  const auto cs = as_span(commodity_start);
  const auto ps = as_span(path_start);
  const auto arcs = as_span(path_arcs);
  bool ok = cs.size() == static_cast<std::size_t>(source.size()) + 1 && !ps.empty() &&
            cs.front() == 0 && ps.front() == 0 &&
            cs.back() == static_cast<std::int64_t>(ps.size()) - 1 &&
            ps.back() == static_cast<std::int64_t>(arcs.size());
  for (std::size_t i = 1; ok && i < cs.size(); ++i) ok = cs[i - 1] <= cs[i];
  for (std::size_t i = 1; ok && i < ps.size(); ++i) ok = ps[i - 1] <= ps[i];
  for (std::size_t i = 0; ok && i < arcs.size(); ++i) ok = arcs[i] >= 0 && arcs[i] < g.num_arcs;
  if (!ok) throw std::invalid_argument("internal error: inconsistent candidate path arrays");
  const CandidatePaths c{cs, ps, arcs};
  const std::int64_t work = 64 * (static_cast<std::int64_t>(arcs.size()) + g.num_nodes);
  return to_result(run_interruptible(
      work, [&](const Cancel& cancel) { return solve_path_multicommodity_flow(p, c, &cancel); }));
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
  m.def("path_multicommodity_flow", &py_path_multicommodity_flow, py::kw_only(),
        py::arg("first_out"), py::arg("head"), py::arg("arc_edge"), py::arg("capacity"),
        py::arg("source"), py::arg("target"), py::arg("demand"), py::arg("commodity_start"),
        py::arg("path_start"), py::arg("path_arcs"), py::arg("objective"), py::arg("epsilon"),
        py::arg("max_phases"), py::arg("step_start") = 0.5, py::arg("step_min") = 0.0,
        "Multi-commodity flow restricted to candidate paths per commodity (latency budgets; "
        "routecore/multicommodity_flow.h); returns a MulticommodityCoreResult.");
}

}  // namespace routecore::bindings
