// routecore/dijkstra.h — Dijkstra's algorithm: one source to all nodes, one source to one
// target, and many sources at once (nearest source, with its shortest-path tree).
//
// Problem
//   Given a CSR graph with non-negative arc weights, compute d(s, v), the length of a shortest
//   path, for the requested sources s and nodes v, avoiding blocked nodes.
//
// Input assumptions (validated by the Python layer, asserted only in debug builds)
//   Weights finite and >= 0 (see path_common.h for the accessors); node ids in range; sources
//   and targets not blocked. Multi-arcs, self-loops, zero weights, isolated nodes and
//   disconnected parts are all fine.
//
// Output
//   `distances`: out[v] = d(s, v) for every v with d(s, v) <= max_length, +inf otherwise.
//   `nearest`:   length[v] = min over sources s of d(s, v), root[v] = one source achieving it
//                (-1 if unreachable); optionally the shortest-path tree: pred_edge[v] is the
//                input edge id of the arc by which v was reached and parent[v] that arc's tail
//                (-1 at sources and unreachable nodes).
//   `path`:      a shortest s-t path (see PathResult), or false if t is unreachable. The search
//                stops as soon as t is settled.
//
// Invariants
//   A node popped from the heap is settled: its key is its final distance (non-negative
//   weights). Every queued node's key is the length of a path whose last arc leaves a settled
//   node, so following parent[] from any reached node gives a path of exactly its key.
//   Arcs are scanned in CSR order and the heap is deterministic, so results (ties included)
//   depend only on the input, never on threads or timing.
//
// Workspace reuse
//   A DijkstraSearch owns its heap and scratch arrays (O(n)); create one per thread and run many
//   queries on it. Blocked nodes are marked once at construction. After each query only the
//   nodes the query touched are reset, so a query that stops early costs time proportional to
//   the part of the graph it explored, not to n.
//
// Complexity
//   O((n' + m') log_4 n') time for n' settled nodes and m' scanned arcs; O(n) memory per
//   workspace. Cancellation (Cancel) is polled every 1024 settled nodes; a cancelled query returns
//   false and leaves its output unspecified.
//
// References
//   E. W. Dijkstra, "A note on two problems in connexion with graphs", Numer. Math. 1 (1959).
//   RoutingKit's optimality certificate is what the tests check (tests/test_paths.py).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "routecore/csr.h"
#include "routecore/heap.h"
#include "routecore/parallel.h"
#include "routecore/path_common.h"

namespace routecore {

class DijkstraSearch {
 public:
  // `blocked`: byte mask over the nodes (non-zero = never entered) or nullptr.
  DijkstraSearch(node_id num_nodes, const std::uint8_t* blocked) : heap_(num_nodes) {
    if (blocked != nullptr) {
      for (node_id v = 0; v < num_nodes; ++v) {
        if (blocked[v] != 0) heap_.mark_done(v);
      }
    }
  }

  // out[0..n) = distances from `source`, +inf beyond `max_length` or unreachable.
  template <class Weights>
  bool distances(const CsrView& g, Weights w, node_id source, double max_length, double* out,
                 const Cancel& cancel) {
    std::fill(out, out + g.num_nodes, unreachable);
    heap_.push(source, 0.0);
    std::uint32_t steps = 0;
    bool finished = true;
    while (!heap_.empty()) {
      const auto [du, u] = heap_.pop();
      out[u] = du;
      settled_.push_back(u);
      if ((++steps & 1023U) == 0 && cancel.requested()) {
        finished = false;
        break;
      }
      const arc_id end = g.first_out[u + 1];
      for (arc_id a = g.first_out[u]; a < end; ++a) {
        const double dv = du + w(a);
        if (dv <= max_length) heap_.relax(g.head[a], dv);
      }
    }
    reset();
    return finished;
  }

  // Multi-source search: see the header comment. `pred_edge` and `parent` may both be nullptr.
  template <class Weights>
  bool nearest(const CsrView& g, Weights w, std::span<const node_id> sources, double* length,
               node_id* root, edge_id* pred_edge, node_id* parent, const Cancel& cancel) {
    const bool tree = pred_edge != nullptr;
    std::fill(length, length + g.num_nodes, unreachable);
    std::fill(root, root + g.num_nodes, node_id{-1});
    if (tree) {
      std::fill(pred_edge, pred_edge + g.num_nodes, edge_id{-1});
      std::fill(parent, parent + g.num_nodes, node_id{-1});
    }
    for (const node_id s : sources) {
      if (heap_.state(s) == QuaternaryHeap::unseen) {
        heap_.push(s, 0.0);
        root[s] = s;
      }
    }
    std::uint32_t steps = 0;
    bool finished = true;
    while (!heap_.empty()) {
      const auto [du, u] = heap_.pop();
      length[u] = du;
      settled_.push_back(u);
      if ((++steps & 1023U) == 0 && cancel.requested()) {
        finished = false;
        break;
      }
      const node_id ru = root[u];
      const arc_id end = g.first_out[u + 1];
      for (arc_id a = g.first_out[u]; a < end; ++a) {
        const node_id v = g.head[a];
        if (heap_.relax(v, du + w(a))) {
          root[v] = ru;
          if (tree) {
            pred_edge[v] = edge_of(g.arc_edge[a]);
            parent[v] = u;
          }
        }
      }
    }
    reset();
    return finished;
  }

  // Shortest source-target path; returns whether the target is reachable. On a false return
  // with cancel.requested() the query was cancelled.
  template <class Weights>
  bool path(const CsrView& g, Weights w, node_id source, node_id target, PathResult& result,
            const Cancel& cancel) {
    if (parent_.empty()) {
      parent_.resize(static_cast<std::size_t>(g.num_nodes));
      pred_arc_.resize(static_cast<std::size_t>(g.num_nodes));
    }
    heap_.push(source, 0.0);
    std::uint32_t steps = 0;
    bool found = false;
    while (!heap_.empty()) {
      const auto [du, u] = heap_.pop();
      settled_.push_back(u);
      if (u == target) {
        found = true;
        break;
      }
      if ((++steps & 1023U) == 0 && cancel.requested()) break;
      const arc_id end = g.first_out[u + 1];
      for (arc_id a = g.first_out[u]; a < end; ++a) {
        const node_id v = g.head[a];
        if (heap_.relax(v, du + w(a))) {
          pred_arc_[v] = a;
          parent_[v] = u;
        }
      }
    }
    if (found) trace_tree_path(g, w, parent_.data(), pred_arc_.data(), source, target, result);
    reset();
    return found;
  }

 private:
  // Back to the state after construction: the heap emptied, touched nodes unseen again
  // (blocked nodes are never touched, so they stay blocked).
  void reset() {
    heap_.clear();
    for (const node_id v : settled_) heap_.reset(v);
    settled_.clear();
  }

  QuaternaryHeap heap_;           // queue + per-node state (unseen / queued / done)
  std::vector<node_id> settled_;  // nodes popped by the current query, for the reset
  std::vector<node_id> parent_;   // path(): tail of the arc that last improved a node
  std::vector<arc_id> pred_arc_;  // path(): that arc
};

}  // namespace routecore
