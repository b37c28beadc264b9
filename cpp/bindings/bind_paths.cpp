// Placeholder: the paths entry points are registered here.
#include "common.h"

namespace routecore::bindings {

void bind_paths(py::module_& m) { (void)m; }

}  // namespace routecore::bindings
