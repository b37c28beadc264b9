// Satellite visibility from ground points (see routecore/visibility.h), on a thread pool with the
// GIL released. Input is validated by routecore/constellation/_geometry.py; no logic here.
//
// A search runs in two calls so that the caller can allocate the output (or the edge arrays the
// pairs go into) once the number of pairs is known: VisibilitySearch(...) finds the pairs,
// write(...) writes them in output order into arrays the caller owns.
#include "common.h"
#include "routecore/visibility.h"

namespace routecore::bindings {

namespace {

class VisibilitySearch {
 public:
  VisibilitySearch(carray<double> sat_xyz_km, carray<double> ground_unit,
                   carray<double> ground_radius_km, carray<std::int64_t> ground_id,
                   carray<std::int64_t> tile_start, std::int64_t num_ids, double min_elevation_deg,
                   std::int64_t max_per_ground, int threads)
      : unit_(std::move(ground_unit)),
        radius_(std::move(ground_radius_km)),
        id_(std::move(ground_id)),
        tile_start_(std::move(tile_start)) {
    const auto n = static_cast<std::int64_t>(radius_.size());
    if (sat_xyz_km.size() % 3 != 0 || unit_.size() != 3 * n || id_.size() != n ||
        tile_start_.size() < 1 || tile_start_.data()[0] != 0 ||
        tile_start_.data()[tile_start_.size() - 1] != n || max_per_ground < 0 || num_ids < n) {
      throw std::invalid_argument("internal error: inconsistent visibility arrays");
    }
    const GroundTiles ground{as_span(unit_), as_span(radius_), as_span(id_), as_span(tile_start_),
                             num_ids};
    const auto sats = as_span(sat_xyz_km);
    const std::int64_t work = n * 64 + ground.num_tiles() * static_cast<std::int64_t>(sats.size());
    run_interruptible(work, [&](const Cancel& cancel) {
      return find_visible(sats, ground, min_elevation_deg, max_per_ground, threads, cancel, hits_);
    });
  }

  std::int64_t num_pairs() const { return hits_.num_pairs(); }

  template <class Id>
  void write(carray<Id>& ground, carray<Id>& satellite, carray<double>& elevation_deg,
             carray<double>& range_km, Id satellite_offset, int threads) const {
    const auto k = static_cast<py::ssize_t>(num_pairs());
    if (ground.size() != k || satellite.size() != k || elevation_deg.size() != k ||
        range_km.size() != k) {
      throw std::invalid_argument("internal error: output arrays do not match the pair count");
    }
    auto g = as_mut_span(ground);
    auto s = as_mut_span(satellite);
    auto e = as_mut_span(elevation_deg);
    auto r = as_mut_span(range_km);
    run_interruptible(4 * k, [&](const Cancel& cancel) {
      write_visible<Id>(hits_, satellite_offset, g, s, e, r, threads, cancel);
      return 0;
    });
  }

 private:
  // The ground arrays the hits point into stay alive with the search.
  carray<double> unit_;
  carray<double> radius_;
  carray<std::int64_t> id_;
  carray<std::int64_t> tile_start_;
  VisibleHits hits_;
};

}  // namespace

void bind_visibility(py::module_& m) {
  py::class_<VisibilitySearch>(
      m, "VisibilitySearch",
      "Finds every satellite at or above the elevation mask from each ground point, the best "
      "max_per_ground (0: all) per point; see routecore/visibility.h.")
      .def(py::init<carray<double>, carray<double>, carray<double>, carray<std::int64_t>,
                    carray<std::int64_t>, std::int64_t, double, std::int64_t, int>(),
           py::arg("sat_xyz_km"), py::arg("ground_unit"), py::arg("ground_radius_km"),
           py::arg("ground_id"), py::arg("tile_start"), py::arg("num_ids"),
           py::arg("min_elevation_deg"), py::arg("max_per_ground"), py::arg("threads"))
      .def_property_readonly("num_pairs", &VisibilitySearch::num_pairs)
      .def("write", &VisibilitySearch::write<std::int32_t>, py::arg("ground").noconvert(),
           py::arg("satellite").noconvert(), py::arg("elevation_deg").noconvert(),
           py::arg("range_km").noconvert(), py::arg("satellite_offset"), py::arg("threads"),
           "Writes (ground id, satellite + satellite_offset, elevation, range) of every pair, "
           "sorted by ground id, decreasing elevation, satellite, into the given arrays.")
      .def("write", &VisibilitySearch::write<std::int64_t>, py::arg("ground").noconvert(),
           py::arg("satellite").noconvert(), py::arg("elevation_deg").noconvert(),
           py::arg("range_km").noconvert(), py::arg("satellite_offset"), py::arg("threads"));
}

}  // namespace routecore::bindings
