// routecore/astar.h — A* search for one shortest source-target path, guided by a great-circle
// lower bound on the remaining length.
//
// Problem
//   A shortest s-t path in a graph whose nodes have geographic coordinates and whose weights are
//   at least proportional to distance (e.g. latency: no signal travels faster than light). The
//   potential h(v) = min_cost_per_km * great_circle_km(v, t) lower-bounds the length of every
//   v-t path, so A* (Dijkstra on keys g(v) + h(v)) finds a shortest path while settling only
//   nodes "in the direction of" t.
//
// Input assumptions
//   Weights finite and >= 0; latitudes in [-90, 90] and longitudes in degrees; cost_per_km
//   finite and >= 0 (the Python layer checks these). The caller guarantees the bound: every arc
//   u -> v weighs at least cost_per_km * great_circle_km(u, v). Great-circle distances are on a
//   sphere of radius `radius_km`, given by the caller (the Python layer passes
//   routecore.geo.EARTH_RADIUS_KM, the one home of that figure), by Vincenty's formula for the
//   sphere, accurate for all point pairs, antipodes included.
//
// Output
//   outcome == found with a shortest path (PathResult), or unreachable, or cancelled, or
//   bound_violated: the search met an arc u -> v with h(u) > w(u, v) + h(v) (beyond rounding:
//   1e-9 relative plus the cost of 1e-9 km),
//   which proves w(u, v) < cost_per_km * great_circle_km(u, v); `violating_arc` names it and no
//   path is returned. This check only sees the arcs the search relaxes, so it catches many but
//   not all wrong bounds.
//
// Invariants
//   g(v) (dist) is the length of the path to v through parent[]; the heap key of a queued node
//   is g(v) + h(v). Because h is only guaranteed admissible up to floating-point rounding, a
//   settled node whose g later improves is queued again (re-opened); with a consistent h this
//   never happens and A* settles every node at most once. The search stops when t is popped:
//   its key g(t) + 0 is then no more than the key of any queued node, each a lower bound on
//   the paths through it. Blocked nodes start with g = -inf, so no relaxation ever enters them.
//
// Complexity
//   O((n' + m') log n') for the n' nodes and m' arcs explored, each explored node paying one
//   great-circle evaluation (cached); O(n) memory; only touched nodes are reset afterwards.
//
// References
//   P. E. Hart, N. J. Nilsson and B. Raphael, "A formal basis for the heuristic determination of
//   minimum cost paths", IEEE Trans. SSC 4 (1968); T. Vincenty, "Direct and inverse solutions
//   of geodesics on the ellipsoid", Survey Review 23 (1975) (the spherical special case).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <vector>

#include "routecore/csr.h"
#include "routecore/heap.h"
#include "routecore/parallel.h"
#include "routecore/path_common.h"

namespace routecore {

// Central angle (radians) between two points given by latitude/longitude in radians.
inline double central_angle(double lat1, double lon1, double lat2, double lon2) {
  const double dlon = lon2 - lon1;
  const double c1 = std::cos(lat1), s1 = std::sin(lat1);
  const double c2 = std::cos(lat2), s2 = std::sin(lat2);
  const double cd = std::cos(dlon), sd = std::sin(dlon);
  const double y = std::hypot(c2 * sd, c1 * s2 - s1 * c2 * cd);
  const double x = s1 * s2 + c1 * c2 * cd;
  return std::atan2(y, x);
}

struct GeoBound {
  const double* lat_deg;  // one per node
  const double* lon_deg;  // one per node
  double cost_per_km;     // weight per km of great-circle distance, a lower bound for every arc
  double radius_km;       // radius of the sphere the distances are measured on
};

class AStarSearch {
 public:
  enum class Outcome { found, unreachable, cancelled, bound_violated };
  struct Result {
    Outcome outcome = Outcome::unreachable;
    arc_id violating_arc = -1;
    node_id violating_tail = -1;
  };

  AStarSearch(node_id num_nodes, const std::uint8_t* blocked)
      : heap_(num_nodes),
        dist_(static_cast<std::size_t>(num_nodes), unreachable),
        potential_(static_cast<std::size_t>(num_nodes), not_computed),
        parent_(std::make_unique_for_overwrite<node_id[]>(static_cast<std::size_t>(num_nodes))),
        pred_arc_(std::make_unique_for_overwrite<arc_id[]>(static_cast<std::size_t>(num_nodes))) {
    if (blocked != nullptr) {
      for (node_id v = 0; v < num_nodes; ++v) {
        if (blocked[v] != 0) dist_[v] = -unreachable;
      }
    }
  }

  template <class Weights>
  Result path(const CsrView& g, Weights w, const GeoBound& bound, node_id source, node_id target,
              PathResult& path, const Cancel& cancel) {
    constexpr double to_rad = std::numbers::pi / 180.0;
    bound_ = bound;
    target_lat_ = bound.lat_deg[target] * to_rad;
    target_lon_ = bound.lon_deg[target] * to_rad;
    // Rounding in h is far below 1e-9 relative plus 1 micrometre's worth of cost; anything
    // beyond that is a real violation of the bound.
    const double slack = 1e-9 * bound.cost_per_km;
    Result result;
    dist_[source] = 0.0;
    parent_[source] = -1;
    heap_.push(source, potential(source));
    std::uint32_t steps = 0;
    while (!heap_.empty()) {
      const node_id u = heap_.pop().node;
      if (u == target) {
        result.outcome = Outcome::found;
        break;
      }
      if ((++steps & 1023U) == 0 && cancel.requested()) {
        result.outcome = Outcome::cancelled;
        break;
      }
      const double gu = dist_[u];
      const double hu = potential_[u];
      const arc_id end = g.first_out[u + 1];
      for (arc_id a = g.first_out[u]; a < end; ++a) {
        const node_id v = g.head[a];
        const double wa = w(a);
        const double gv = gu + wa;
        if (!(gv < dist_[v])) continue;  // also skips blocked nodes (g = -inf)
        const double hv = potential(v);
        if (hu > wa + hv + 1e-9 * (hu + wa) + slack) {
          result = Result{Outcome::bound_violated, a, u};
          reset();
          return result;
        }
        dist_[v] = gv;
        parent_[v] = u;
        pred_arc_[v] = a;
        const std::int32_t s = heap_.state(v);
        if (s >= 0) {
          heap_.decrease_key_at(s, std::min(gv + hv, heap_.key_at(s)));
        } else {
          if (s == QuaternaryHeap::done) heap_.reset(v);  // re-open (rounding in h only)
          heap_.push(v, gv + hv);
        }
      }
    }
    if (result.outcome == Outcome::found) {
      trace_tree_path(g, w, parent_.get(), pred_arc_.get(), source, target, path);
    }
    reset();
    return result;
  }

 private:
  static constexpr double not_computed = -1.0;

  double potential(node_id v) {
    double& h = potential_[v];
    if (h == not_computed) {
      constexpr double to_rad = std::numbers::pi / 180.0;
      const double angle = central_angle(bound_.lat_deg[v] * to_rad, bound_.lon_deg[v] * to_rad,
                                         target_lat_, target_lon_);
      h = bound_.cost_per_km * bound_.radius_km * angle;
      touched_.push_back(v);
    }
    return h;
  }

  void reset() {
    heap_.clear();
    for (const node_id v : touched_) {
      heap_.reset(v);
      dist_[v] = unreachable;
      potential_[v] = not_computed;
    }
    touched_.clear();
  }

  QuaternaryHeap heap_;            // keyed by g + h
  std::vector<double> dist_;       // g: best known distance from s; -inf marks a blocked node
  std::vector<double> potential_;  // h, computed on first touch; not_computed (-1) before
  // Written before they are read, so left uninitialised (untouched pages cost nothing).
  std::unique_ptr<node_id[]> parent_;   // tail of the arc that set dist_
  std::unique_ptr<arc_id[]> pred_arc_;  // that arc
  std::vector<node_id> touched_;        // nodes whose potential was computed, for the reset
  GeoBound bound_{};
  double target_lat_ = 0.0;
  double target_lon_ = 0.0;
};

}  // namespace routecore
