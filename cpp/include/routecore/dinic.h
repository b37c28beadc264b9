// routecore/dinic.h — Dinic's blocking-flow algorithm, the simple reference method.
//
// Problem
//   Maximum flow from a set of sources to a disjoint set of sinks in a residual network built by
//   residual_network.h in its explicit terminal form.
//
// Method
//   Repeat: a breadth-first search from all sources labels every node with its residual
//   distance level(v) (stopping at the level of the nearest sink); if no sink is reached the flow
//   is maximum. Otherwise find a blocking flow in the level graph (arcs u->v with positive
//   residual and level(v) == level(u) + 1) by depth-first searches from each source that keep a
//   current-arc pointer per node and retire dead ends.
//   Invariants: the flow is always feasible (0 <= residual, conservation at every non-terminal
//   node); each phase strictly increases the source-to-sink residual distance.
//
// It is kept deliberately plain; the tests use it to cross-check the faster methods.
// Complexity: O(n^2 m) in general, O(m sqrt(n)) with unit capacities.
// Reference
//   E. A. Dinic. Algorithm for solution of a problem of maximum flow in networks with power
//   estimation. Soviet Math. Doklady 11, 1970.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>
#include <vector>

#include "routecore/parallel.h"
#include "routecore/residual_network.h"

namespace routecore {

template <class Cap>
class Dinic {
 public:
  explicit Dinic(FlowNetwork<Cap>& net) : net_(net), n_(net.num_nodes) { assert(!net.folded); }

  // Computes a maximum flow. Returns false when cancelled.
  bool run(const Cancel* cancel) {
    value_ = 0;
    level_.assign(n_, -1);
    current_.resize(n_);
    std::int64_t steps = 0;
    while (build_levels()) {
      std::copy(net_.first_out, net_.first_out + n_, current_.begin());
      for (node_id s : net_.sources()) {
        if (!blocking_flow_from(s, cancel, steps)) return false;
      }
    }
    return true;
  }

  Cap flow_value() const { return value_; }

 private:
  bool is_sink(node_id v) const { return net_.terminal(v) == terminal_kind::sink; }

  // Levels from the sources; returns whether a sink was reached.
  bool build_levels() {
    std::fill(level_.begin(), level_.end(), -1);
    queue_.clear();
    for (node_id s : net_.sources()) {
      level_[s] = 0;
      queue_.push_back(s);
    }
    std::int32_t sink_level = -1;
    for (std::size_t i = 0; i < queue_.size(); ++i) {
      const node_id v = queue_[i];
      if (sink_level >= 0 && level_[v] >= sink_level) break;
      for (arc_id a = net_.begin(v); a < net_.end(v); ++a) {
        const auto& arc = net_.arcs[a];
        const node_id w = net_.head[a];
        if (arc.residual <= 0 || level_[w] >= 0) continue;
        level_[w] = level_[v] + 1;
        if (is_sink(w)) {
          sink_level = level_[w];
        } else {
          queue_.push_back(w);
        }
      }
    }
    return sink_level >= 0;
  }

  bool blocking_flow_from(node_id s, const Cancel* cancel, std::int64_t& steps) {
    auto& arcs = net_.arcs;
    path_.clear();
    node_id u = s;
    for (;;) {
      if ((++steps & 4095) == 0 && cancel != nullptr && cancel->requested()) return false;
      if (is_sink(u)) {
        Cap bottleneck = std::numeric_limits<Cap>::max();
        for (arc_id a : path_) bottleneck = std::min(bottleneck, arcs[a].residual);
        std::size_t first_saturated = path_.size();
        for (std::size_t i = 0; i < path_.size(); ++i) {
          auto& arc = arcs[path_[i]];
          arc.residual -= bottleneck;
          arcs[arc.sister].residual += bottleneck;
          if (arc.residual == 0 && first_saturated == path_.size()) first_saturated = i;
        }
        value_ += bottleneck;
        // Resume at the tail of the first saturated arc.
        path_.resize(first_saturated);
        u = path_.empty() ? s : net_.head[path_.back()];
        continue;
      }
      arc_id a = current_[u];
      const arc_id end = net_.end(u);
      while (a < end && !(arcs[a].residual > 0 && level_[net_.head[a]] == level_[u] + 1)) ++a;
      current_[u] = a;
      if (a < end) {
        path_.push_back(a);
        u = net_.head[a];
        continue;
      }
      // Dead end: retire u and step back.
      level_[u] = -1;
      if (path_.empty()) return true;
      const arc_id back = path_.back();
      path_.pop_back();
      u = path_.empty() ? s : net_.head[path_.back()];
      assert(current_[u] == back);
      current_[u] = back + 1;
    }
  }

  FlowNetwork<Cap>& net_;
  node_id n_;
  Cap value_ = 0;
  std::vector<std::int32_t> level_;  // residual distance from the sources; -1: unreached/dead
  std::vector<arc_id> current_;      // next arc to try in the level graph
  std::vector<node_id> queue_;
  std::vector<arc_id> path_;  // arcs of the current search path from the source
};

}  // namespace routecore
