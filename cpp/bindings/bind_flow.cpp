// Placeholder: the flow entry points are registered here.
#include "common.h"

namespace routecore::bindings {

void bind_flow(py::module_& m) { (void)m; }

}  // namespace routecore::bindings
