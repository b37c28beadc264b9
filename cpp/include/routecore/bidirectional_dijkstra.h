// routecore/bidirectional_dijkstra.h — point-to-point shortest path by two Dijkstra searches,
// one forward from the source and one backward from the target on the reversed graph.
//
// Problem
//   A shortest s-t path in a graph with non-negative arc weights, exploring (on road-like
//   graphs) about half the nodes a one-sided search would: two balls of radius d/2 instead of
//   one of radius d.
//
// Input assumptions
//   `forward` is the graph and `backward` its reverse (csr.h, build_reverse_csr: arc_edge carries
//   the same stored edge ids), each with its own weight accessor giving, for an arc of the
//   reverse graph, the weight of the arc it mirrors. Weights finite and >= 0; s and t in range
//   and not blocked; `blocked` a byte mask or nullptr.
//
// Output
//   A shortest s-t path (PathResult) or false if t is unreachable from s.
//
// Invariants and stopping rule
//   df / db hold the best known distance from s / to t of every reached node (tentative until
//   settled). mu is the length of the best s-t path seen: every time a relaxation lowers df[v]
//   (or db[v]) and the other side has reached v, mu = min(mu, df[v] + db[v]) and v becomes the
//   meeting node. Labels only decrease, so mu is at all times the minimum of df[v] + db[v] over
//   the current labels. The search stops when top_f + top_b >= mu (the smallest keys still
//   queued on each side): any s-t path not yet seen passes through a node unsettled on both
//   sides and so is at least that long. Each step expands the side whose smallest key is
//   smaller, which keeps the two radii balanced.
//   parent/pred_arc of a reached node always point at a settled node (as in dijkstra.h), so the
//   two half paths traced from the meeting node have lengths exactly df[meet] and db[meet].
//
// Complexity
//   O((n' + m') log n') for the n' nodes and m' arcs the two searches touch; O(n) memory.
//   Only touched nodes are reset afterwards. Cancellation is polled every 1024 settled nodes.
//
// References
//   I. Pohl, "Bi-directional search", Machine Intelligence 6 (1971); A. V. Goldberg and
//   C. Harrelson, "Computing the shortest path: A* search meets graph theory", SODA 2005
//   (the stopping rule top_f + top_b >= mu).
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "routecore/csr.h"
#include "routecore/dijkstra.h"
#include "routecore/heap.h"
#include "routecore/parallel.h"
#include "routecore/path_common.h"

namespace routecore {

class BidirectionalDijkstra {
 public:
  BidirectionalDijkstra(node_id num_nodes, const std::uint8_t* blocked)
      : side_{Side(num_nodes, blocked), Side(num_nodes, blocked)} {}

  template <class ForwardWeights, class BackwardWeights>
  bool path(const CsrView& forward, ForwardWeights wf, const CsrView& backward, BackwardWeights wb,
            node_id source, node_id target, PathResult& result, const Cancel& cancel) {
    Side& f = side_[0];
    Side& b = side_[1];
    f.label(source, 0.0, -1, -1);
    f.heap.push(source, 0.0, forward.first_out[source]);
    b.label(target, 0.0, -1, -1);
    b.heap.push(target, 0.0, backward.first_out[target]);
    double mu = source == target ? 0.0 : unreachable;
    node_id meet = source == target ? source : -1;
    std::uint32_t steps = 0;
    while (!f.heap.empty() && !b.heap.empty()) {
      if (f.heap.top().key + b.heap.top().key >= mu) break;
      if ((++steps & 1023U) == 0 && cancel.requested()) {
        meet = -1;
        break;
      }
      if (f.heap.top().key <= b.heap.top().key) {
        expand(f, b, forward, wf, mu, meet);
      } else {
        expand(b, f, backward, wb, mu, meet);
      }
    }
    const bool found = meet >= 0;
    if (found) assemble(forward, wf, backward, wb, source, target, meet, result);
    f.reset();
    b.reset();
    return found;
  }

 private:
  struct Side {
    Side(node_id n, const std::uint8_t* blocked)
        : heap(n),
          dist(static_cast<std::size_t>(n), unreachable),
          parent(std::make_unique_for_overwrite<node_id[]>(static_cast<std::size_t>(n))),
          pred_arc(std::make_unique_for_overwrite<arc_id[]>(static_cast<std::size_t>(n))) {
      if (blocked != nullptr) {
        for (node_id v = 0; v < n; ++v) {
          if (blocked[v] != 0) heap.mark_done(v);
        }
      }
    }

    void label(node_id v, double d, node_id from, arc_id a) {
      if (dist[v] == unreachable) touched.push_back(v);
      dist[v] = d;
      parent[v] = from;
      pred_arc[v] = a;
    }

    void reset() {
      heap.clear();
      for (const node_id v : touched) {  // never a blocked node: those are never labelled
        heap.reset(v);
        dist[v] = unreachable;
      }
      touched.clear();
    }

    QuaternaryHeap heap;
    std::vector<double> dist;  // best known distance from s (forward) / to t (backward)
    // parent / pred_arc are written with every label, so left uninitialised.
    std::unique_ptr<node_id[]> parent;   // node the label came from (-1 at the root)
    std::unique_ptr<arc_id[]> pred_arc;  // arc used, in this side's graph
    std::vector<node_id> touched;        // nodes with a finite label, for the reset
  };

  template <class Weights>
  static void expand(Side& self, const Side& other, const CsrView& g, Weights w, double& mu,
                     node_id& meet) {
    const QuaternaryHeap::Entry top = self.heap.pop();
    const node_id u = top.node;
    scan_arcs(self.heap, g, w, top, unreachable, [&](node_id v, arc_id a, double dv) {
      self.label(v, dv, u, a);
      const double through = dv + other.dist[v];
      if (through < mu) {
        mu = through;
        meet = v;
      }
    });
  }

  template <class ForwardWeights, class BackwardWeights>
  void assemble(const CsrView& forward, ForwardWeights wf, const CsrView& backward,
                BackwardWeights wb, node_id source, node_id target, node_id meet,
                PathResult& result) const {
    const Side& f = side_[0];
    const Side& b = side_[1];
    // Forward half, traced meet -> source then reversed; backward half traced meet -> target.
    std::vector<node_id> nodes;
    std::vector<arc_id> forward_arcs;
    for (node_id x = meet; x != source; x = f.parent[x]) {
      nodes.push_back(x);
      forward_arcs.push_back(f.pred_arc[x]);
    }
    nodes.push_back(source);
    std::reverse(nodes.begin(), nodes.end());
    std::reverse(forward_arcs.begin(), forward_arcs.end());
    result.nodes = std::move(nodes);
    result.edges.clear();
    result.length = 0.0;
    for (const arc_id a : forward_arcs) {
      result.edges.push_back(edge_of(forward.arc_edge[a]));
      result.length += wf(a);
    }
    // A backward arc x -> parent[x] of the reversed graph is the arc parent[x] <- x of the graph,
    // i.e. the hop x -> parent[x] towards the target; it weighs the same as that arc, so the
    // length is still the sum of the path's edge weights in source-to-target order.
    for (node_id x = meet; x != target; x = b.parent[x]) {
      const arc_id a = b.pred_arc[x];
      result.edges.push_back(edge_of(backward.arc_edge[a]));
      result.nodes.push_back(b.parent[x]);
      result.length += wb(a);
    }
  }

  Side side_[2];
};

}  // namespace routecore
