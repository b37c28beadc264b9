#include "routecore/visibility.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>

namespace routecore {

namespace {

constexpr double deg_per_rad = 180.0 / std::numbers::pi;
constexpr double infinity = std::numeric_limits<double>::infinity();

// Per satellite, fixed for one call.
struct SatelliteBound {
  double unit[3];  // direction from the Earth's centre (zero for a satellite at the centre)
  double horizon;  // horizon angle (rad) from the lowest ground point; may be < 0
  double cos_h;    // cos(horizon)
  double sin_h;    // sin(horizon)
  double min_dot;  // s . up below this: outside every point's horizon (margin included)
};

// A satellite that passed the elevation test for one point, before its elevation is computed.
struct Candidate {
  double v;    // height above the local horizontal plane (km)
  double h;    // horizontal distance (km)
  double key;  // v / h = tan(elevation), +-inf at the zenith / nadir
  std::int32_t satellite;
};

struct Workspace {
  std::vector<std::int32_t> tile_candidates;
  std::vector<Candidate> candidates;
  std::vector<VisibleHits::Hit> hits;
};

double tan_elevation(double v, double h) {
  if (h > 0.0) return v / h;
  return v > 0.0 ? infinity : (v < 0.0 ? -infinity : 0.0);
}

// The satellites that can be seen from some point of tile [begin, end) (step 2).
void tile_candidates(const GroundTiles& ground, std::int64_t begin, std::int64_t end,
                     std::span<const SatelliteBound> sats, std::vector<std::int32_t>& out) {
  out.clear();
  const double* u = ground.unit.data();
  double sum[3] = {0.0, 0.0, 0.0};
  for (std::int64_t i = begin; i < end; ++i) {
    for (int d = 0; d < 3; ++d) sum[d] += u[3 * i + d];
  }
  const double norm = std::sqrt(sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]);
  const auto num_sats = static_cast<std::int32_t>(sats.size());
  // Points spread so widely that their mean direction vanishes: the cap is the whole sphere.
  if (norm < 1e-6 * static_cast<double>(end - begin)) {
    for (std::int32_t s = 0; s < num_sats; ++s) out.push_back(s);
    return;
  }
  const double centre[3] = {sum[0] / norm, sum[1] / norm, sum[2] / norm};
  double min_cos = 1.0;
  for (std::int64_t i = begin; i < end; ++i) {
    const double c = u[3 * i] * centre[0] + u[3 * i + 1] * centre[1] + u[3 * i + 2] * centre[2];
    min_cos = std::min(min_cos, c);
  }
  const double cap = std::acos(std::clamp(min_cos, -1.0, 1.0)) + 1e-9;  // margin for rounding
  const double cos_cap = std::cos(cap);
  const double sin_cap = std::sin(cap);
  for (std::int32_t s = 0; s < num_sats; ++s) {
    const SatelliteBound& b = sats[static_cast<std::size_t>(s)];
    if (b.horizon + cap >= std::numbers::pi) {
      out.push_back(s);
      continue;
    }
    // cos(horizon + cap), by the angle-addition formula (no cos call per satellite and tile).
    const double limit = b.cos_h * cos_cap - b.sin_h * sin_cap - 1e-12;
    const double c = b.unit[0] * centre[0] + b.unit[1] * centre[1] + b.unit[2] * centre[2];
    if (c >= limit) out.push_back(s);
  }
}

// Steps 3 and 4 for one point: appends its pairs, in output order, to `hits`; returns how many.
std::int32_t point_pairs(const double* up, double radius, std::span<const double> sat_xyz,
                         std::span<const SatelliteBound> sats,
                         std::span<const std::int32_t> tile_sats, double min_elevation_deg,
                         double cos_eps, double sin_eps, std::int64_t max_per_ground,
                         Workspace& ws) {
  auto& cand = ws.candidates;
  cand.clear();
  const double* xyz = sat_xyz.data();
  for (const std::int32_t s : tile_sats) {
    const double* p = xyz + 3 * static_cast<std::ptrdiff_t>(s);
    const double dot = p[0] * up[0] + p[1] * up[1] + p[2] * up[2];
    if (dot < sats[static_cast<std::size_t>(s)].min_dot) continue;
    const double v = dot - radius;
    const double cx = p[1] * up[2] - p[2] * up[1];
    const double cy = p[2] * up[0] - p[0] * up[2];
    const double cz = p[0] * up[1] - p[1] * up[0];
    const double h = std::sqrt(cx * cx + cy * cy + cz * cz);
    // range * sin(elevation - eps); the margin keeps pairs within rounding of the mask for the
    // exact test in degrees below.
    if (v * cos_eps - h * sin_eps < -1e-12 * (std::abs(v) + h)) continue;
    cand.push_back({v, h, tan_elevation(v, h), s});
  }
  auto end = cand.end();
  const auto k = static_cast<std::size_t>(max_per_ground);
  if (k > 0 && cand.size() > k) {
    const auto kth = cand.begin() + static_cast<std::ptrdiff_t>(k - 1);
    std::nth_element(cand.begin(), kth, cand.end(),
                     [](const Candidate& a, const Candidate& b) { return a.key > b.key; });
    const double key_k = kth->key;
    if (std::isfinite(key_k)) {
      // d(elevation)/d(key) = 1 / (1 + key^2): a key below this is more than 1e-10 rad lower
      // than the k-th, far beyond the rounding of atan2, so it cannot be among the k highest.
      const double threshold = key_k - 1e-10 * (1.0 + key_k * key_k);
      end = std::partition(cand.begin(), cand.end(),
                           [threshold](const Candidate& c) { return c.key >= threshold; });
    }
  }
  auto& hits = ws.hits;
  hits.clear();
  for (auto it = cand.begin(); it != end; ++it) {
    const double elevation = std::atan2(it->v, it->h) * deg_per_rad;
    if (elevation >= min_elevation_deg) {
      hits.push_back({it->satellite, elevation, std::sqrt(it->v * it->v + it->h * it->h)});
    }
  }
  std::sort(hits.begin(), hits.end(), [](const VisibleHits::Hit& a, const VisibleHits::Hit& b) {
    return a.elevation_deg > b.elevation_deg ||
           (a.elevation_deg == b.elevation_deg && a.satellite < b.satellite);
  });
  if (k > 0 && hits.size() > k) hits.resize(k);
  return static_cast<std::int32_t>(hits.size());
}

}  // namespace

bool find_visible(std::span<const double> sat_xyz_km, const GroundTiles& ground,
                  double min_elevation_deg, std::int64_t max_per_ground, int threads,
                  const Cancel& cancel, VisibleHits& out) {
  const std::int64_t n = ground.num_points();
  const std::int64_t num_tiles = ground.num_tiles();
  const auto num_sats = static_cast<std::int64_t>(sat_xyz_km.size() / 3);
  const auto num_ids = static_cast<std::size_t>(ground.num_ids);
  assert(ground.unit.size() == static_cast<std::size_t>(3 * n));
  assert(ground.ground_id.size() == static_cast<std::size_t>(n));
  assert(num_tiles >= 0 && ground.tile_start[0] == 0 && ground.tile_start[num_tiles] == n);
  out.tile_hits.assign(static_cast<std::size_t>(std::max<std::int64_t>(num_tiles, 0)), {});
  out.first.assign(num_ids, nullptr);
  out.count.assign(num_ids, 0);
  out.offset.assign(num_ids + 1, 0);
  if (n == 0 || num_sats == 0) return !cancel.requested();

  const double eps = min_elevation_deg / deg_per_rad;
  const double cos_eps = std::cos(eps);
  const double sin_eps = std::sin(eps);
  const double lowest = *std::min_element(ground.radius_km.begin(), ground.radius_km.end());
  std::vector<SatelliteBound> sats(static_cast<std::size_t>(num_sats));
  for (std::int64_t s = 0; s < num_sats; ++s) {
    const double* p = sat_xyz_km.data() + 3 * s;
    const double r = std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
    SatelliteBound& b = sats[static_cast<std::size_t>(s)];
    for (int d = 0; d < 3; ++d) b.unit[d] = r > 0.0 ? p[d] / r : 0.0;
    const double ratio = r > 0.0 ? std::min(1.0, lowest * cos_eps / r) : 1.0;
    b.horizon = std::acos(ratio) - eps;
    b.cos_h = std::cos(b.horizon);
    b.sin_h = std::sin(b.horizon);
    // s . up = r cos(central angle) >= r cos(horizon) for every visible pair.
    b.min_dot = r * b.cos_h - 1e-9 * r;
  }

  std::vector<std::unique_ptr<Workspace>> workspace(static_cast<std::size_t>(std::max(1, threads)));
  parallel_for(num_tiles, threads, &cancel, [&](std::int64_t t, int worker) {
    auto& ws = workspace[static_cast<std::size_t>(worker)];
    if (!ws) ws = std::make_unique<Workspace>();
    const auto begin = static_cast<std::size_t>(ground.tile_start[static_cast<std::size_t>(t)]);
    const auto end = static_cast<std::size_t>(ground.tile_start[static_cast<std::size_t>(t) + 1]);
    if (begin == end) return;
    tile_candidates(ground, static_cast<std::int64_t>(begin), static_cast<std::int64_t>(end), sats,
                    ws->tile_candidates);
    auto& tile = out.tile_hits[static_cast<std::size_t>(t)];
    // A small limit k bounds the tile's pairs by points x k: one allocation, no regrowth
    // copies. (A large k gives no useful bound; the buffer grows as usual.)
    if (max_per_ground > 0 && max_per_ground <= 32) {
      tile.reserve((end - begin) * static_cast<std::size_t>(max_per_ground));
    }
    for (std::size_t i = begin; i < end; ++i) {
      const std::int32_t c = point_pairs(ground.unit.data() + 3 * i, ground.radius_km[i],
                                         sat_xyz_km, sats, ws->tile_candidates, min_elevation_deg,
                                         cos_eps, sin_eps, max_per_ground, *ws);
      out.count[static_cast<std::size_t>(ground.ground_id[i])] = c;
      tile.insert(tile.end(), ws->hits.begin(), ws->hits.end());
    }
    // The buffer is complete: point every id of the tile at its first pair.
    const VisibleHits::Hit* next = tile.data();
    for (std::size_t i = begin; i < end; ++i) {
      const auto id = static_cast<std::size_t>(ground.ground_id[i]);
      out.first[id] = next;
      next += out.count[id];
    }
  });
  if (cancel.requested()) return false;
  for (std::size_t id = 0; id < num_ids; ++id) out.offset[id + 1] = out.offset[id] + out.count[id];
  return true;
}

}  // namespace routecore
