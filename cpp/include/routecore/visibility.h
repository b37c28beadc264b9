// routecore/visibility.h — which satellites each ground point sees above an elevation mask (the
// k highest per point when asked), for 10^5 ground points x 10^4 satellites, on a thread pool.
//
// Problem
//   Satellites and ground points are given in one Earth-fixed frame (km). Seen from ground point
//   g = r_g * up (spherical Earth: "up" is the radial direction), satellite s is at height
//   v = s . up - r_g above the local horizontal plane and at horizontal distance h = |s x up|;
//   its elevation is atan2(v, h) and its slant range sqrt(v^2 + h^2) (v and h are the components
//   of the vector from g to s, so neither loses digits to cancellation, not even at the zenith).
//   List every pair (g, s) with elevation >= eps, with elevation and range; with a limit k, only
//   the k highest satellites of each ground point.
//
// Input assumptions (validated by routecore/constellation/_geometry.py)
//   sat_xyz_km      S x 3 finite coordinates, row-major (a satellite may be anywhere).
//   ground_unit     N x 3 unit vectors and ground_radius_km[N] finite and > 0: point i is
//                   ground_radius_km[i] * ground_unit[i].
//   ground_id[N]    distinct ids in [0, num_ids): the id under which point i is reported (the
//                   caller's row of the point, or a node id of its graph).
//   tile_start[T+1] 0 = tile_start[0] <= ... <= tile_start[T] = N: tile t holds the points
//                   tile_start[t] .. tile_start[t+1]-1. Any grouping gives the same result;
//                   compact tiles (a few hundred nearby points) make the search fast.
//   0 <= eps < 90 degrees; max_per_ground = k >= 1, or 0 for every visible satellite.
//
// Output (write_visible, arrays of num_pairs() entries)
//   ground[j], satellite[j] + satellite_offset, elevation_deg[j], range_km[j], sorted by ground
//   id, then by decreasing elevation, then by increasing satellite index (a total order: the
//   result is unique). Only pairs with elevation_deg >= eps are listed; at most k per point.
//
// Algorithm and invariants
//   1. Per satellite: from radius r_g, a satellite at radius r_s is at elevation >= eps exactly
//      when the central angle between them is at most the horizon angle
//      arccos(r_g cos(eps) / r_s) - eps, which shrinks as r_g grows; it is taken at the lowest
//      ground point, so it bounds every point's horizon.
//   2. Per tile (the parallel task): a spherical cap around the normalised mean of the tile's
//      up vectors holds all its points; by the triangle inequality only satellites within
//      horizon + cap radius of the cap centre can be seen from the tile.
//   3. Per point: each candidate passes the central-angle bound, then the elevation test
//      v cos(eps) - h sin(eps) >= 0 (sin(elevation - eps) times the range). With a limit k, only
//      the candidates whose tan(elevation) = v / h is within a margin of the k-th largest get
//      their elevation computed (atan2); the others cannot be among the k highest.
//   4. Each point's pairs are sorted by the output order and kept in its tile's buffer; a prefix
//      sum over the per-id counts gives every id its place in the output, and the writer copies
//      the pairs there in id order (one task per block of ids: sequential writes).
//   The culls are conservative, with margins (>= 1e-12 relative) far above rounding error, and
//   the final decision for a pair (atan2 in degrees against eps) uses only that pair's numbers,
//   so the result does not depend on the tiling or on the thread count.
//
// Complexity
//   O(T * S) for the tile culls plus O(candidates) per point (about the satellites within
//   horizon + cap angle), an atan2 only per listed pair (plus a few near-ties), and a sort of
//   each point's computed pairs; O(num_ids + K) to place the K pairs. Memory: O(S) per call,
//   O(K) for the per-tile buffers, O(num_ids) for counts and offsets. Cancellation is polled
//   between tiles.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "routecore/parallel.h"

namespace routecore {

// Ground points grouped into tiles (see the contract above). A non-owning view.
struct GroundTiles {
  std::span<const double> unit;              // 3 per point, row-major
  std::span<const double> radius_km;         // per point
  std::span<const std::int64_t> ground_id;   // per point: its id in the output
  std::span<const std::int64_t> tile_start;  // num_tiles + 1
  std::int64_t num_ids = 0;                  // ids are in [0, num_ids)
  std::int64_t num_points() const { return static_cast<std::int64_t>(radius_km.size()); }
  std::int64_t num_tiles() const { return static_cast<std::int64_t>(tile_start.size()) - 1; }
};

// The pairs found by find_visible, before write_visible puts them in output order.
struct VisibleHits {
  struct Hit {
    std::int32_t satellite;
    double elevation_deg;
    double range_km;
  };
  // Per tile: the pairs of its points, point after point, each point's in output order.
  std::vector<std::vector<Hit>> tile_hits;
  // Per ground id: its first pair inside tile_hits (unused where count is 0) and its count.
  std::vector<const Hit*> first;
  std::vector<std::int32_t> count;
  // Per ground id, plus one entry: the output slot of its first pair (prefix sum of count).
  std::vector<std::int64_t> offset;

  std::int64_t num_pairs() const { return offset.empty() ? 0 : offset.back(); }
};

// Phase 1: finds the pairs (steps 1 to 3 and the prefix sum of step 4) into `out`. Returns false
// when cancelled (then `out` is unspecified).
bool find_visible(std::span<const double> sat_xyz_km, const GroundTiles& ground,
                  double min_elevation_deg, std::int64_t max_per_ground, int threads,
                  const Cancel& cancel, VisibleHits& out);

// Phase 2: writes the pairs in output order into arrays of hits.num_pairs() entries (Id: int32
// or int64), adding satellite_offset to the satellite indices.
template <class Id>
void write_visible(const VisibleHits& hits, Id satellite_offset, std::span<Id> ground_out,
                   std::span<Id> satellite_out, std::span<double> elevation_deg_out,
                   std::span<double> range_km_out, int threads, const Cancel& cancel) {
  constexpr std::int64_t block = 4096;
  const auto num_ids = static_cast<std::int64_t>(hits.count.size());
  parallel_for((num_ids + block - 1) / block, threads, &cancel, [&](std::int64_t b, int) {
    const std::int64_t end = std::min(num_ids, (b + 1) * block);
    for (std::int64_t id = b * block; id < end; ++id) {
      const auto i = static_cast<std::size_t>(id);
      const VisibleHits::Hit* hit = hits.first[i];
      auto slot = static_cast<std::size_t>(hits.offset[i]);
      for (std::int32_t j = 0; j < hits.count[i]; ++j, ++hit, ++slot) {
        ground_out[slot] = static_cast<Id>(id);
        satellite_out[slot] = static_cast<Id>(hit->satellite + satellite_offset);
        elevation_deg_out[slot] = hit->elevation_deg;
        range_km_out[slot] = hit->range_km;
      }
    }
  });
}

}  // namespace routecore
