// Satellite visibility from ground points (see routecore/visibility.h), on a thread pool with the
// GIL released. Input is validated by routecore/constellation/_geometry.py; no logic here.
#include "common.h"
#include "routecore/visibility.h"

namespace routecore::bindings {

namespace {

// Returns (ground, satellite, elevation_deg, range_km): int64, int64, float64, float64.
py::tuple py_visible_pairs(const carray<double>& sat_xyz_km, const carray<double>& ground_unit,
                           const carray<double>& ground_radius_km,
                           const carray<std::int64_t>& ground_id,
                           const carray<std::int64_t>& tile_start, double min_elevation_deg,
                           std::int64_t max_per_ground, int threads) {
  const auto n = static_cast<std::int64_t>(ground_radius_km.size());
  if (sat_xyz_km.size() % 3 != 0 || ground_unit.size() != 3 * n || ground_id.size() != n ||
      tile_start.size() < 1 || tile_start.data()[0] != 0 ||
      tile_start.data()[tile_start.size() - 1] != n || max_per_ground < 0) {
    throw std::invalid_argument("internal error: inconsistent visibility arrays");
  }
  const GroundTiles ground{as_span(ground_unit), as_span(ground_radius_km), as_span(ground_id),
                           as_span(tile_start)};
  const auto sats = as_span(sat_xyz_km);
  const std::int64_t work = n * 64 + ground.num_tiles() * static_cast<std::int64_t>(sats.size());
  VisibleHits hits;
  run_interruptible(work, [&](const Cancel& cancel) {
    return find_visible(sats, ground, min_elevation_deg, max_per_ground, threads, cancel, hits);
  });
  const std::int64_t k = hits.num_pairs();
  auto out_ground = new_array<std::int64_t>(k);
  auto out_sat = new_array<std::int64_t>(k);
  auto out_elev = new_array<double>(k);
  auto out_range = new_array<double>(k);
  auto g = as_mut_span(out_ground);
  auto s = as_mut_span(out_sat);
  auto e = as_mut_span(out_elev);
  auto r = as_mut_span(out_range);
  run_interruptible(4 * k, [&](const Cancel& cancel) {
    write_visible(hits, ground, g, s, e, r, threads, cancel);
    return 0;
  });
  return py::make_tuple(out_ground, out_sat, out_elev, out_range);
}

}  // namespace

void bind_visibility(py::module_& m) {
  m.def("visible_pairs", &py_visible_pairs, py::arg("sat_xyz_km"), py::arg("ground_unit"),
        py::arg("ground_radius_km"), py::arg("ground_id"), py::arg("tile_start"),
        py::arg("min_elevation_deg"), py::arg("max_per_ground"), py::arg("threads"),
        "(ground, satellite, elevation_deg, range_km) of every satellite at or above the "
        "elevation mask from each ground point, the best max_per_ground (0: all) per point, "
        "sorted by ground id, decreasing elevation, satellite; see routecore/visibility.h.");
}

}  // namespace routecore::bindings
