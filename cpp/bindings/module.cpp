// The routecore._core extension: wiring only. Each area registers itself in its bind_*.cpp.
#include <pybind11/pybind11.h>

namespace py = pybind11;

namespace routecore::bindings {
void bind_graph(py::module_& m);
void bind_paths(py::module_& m);
void bind_flow(py::module_& m);
void bind_failure_cases(py::module_& m);
void bind_visibility(py::module_& m);
void bind_min_cost_flow(py::module_& m);
void bind_multicommodity(py::module_& m);
void bind_k_paths(py::module_& m);
}  // namespace routecore::bindings

PYBIND11_MODULE(_core, m) {
  m.doc() = "routecore C++ core. Use the routecore package; this module assumes validated input.";
  routecore::bindings::bind_graph(m);
  routecore::bindings::bind_paths(m);
  routecore::bindings::bind_flow(m);
  routecore::bindings::bind_failure_cases(m);
  routecore::bindings::bind_visibility(m);
  routecore::bindings::bind_min_cost_flow(m);
  routecore::bindings::bind_multicommodity(m);
  routecore::bindings::bind_k_paths(m);
}
