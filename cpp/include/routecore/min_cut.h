// routecore/min_cut.h — reading minimum cuts out of a residual network.
//
// Problem
//   After a maximum (pre)flow, report a minimum cut: a set S of nodes with every source in S
//   and no sink in S such that the capacity of the edges from S to V \ S equals the flow value.
//
// Two canonical cuts (both independent of which maximum flow was found):
//   closest to the sources   S_min = nodes reachable from a source along arcs with positive
//                            residual. Needs a flow (not a preflow): in a preflow, nodes holding
//                            excess can lie outside S_min while S_min's cut is larger.
//   closest to the sinks     S_max = nodes from which no sink is reachable along residual arcs.
//                            Valid for a maximum preflow as well, so push-relabel can stop after
//                            its first phase.
//   S_min is a subset of S_max; both have the minimum capacity, and the source side S of every
//   minimum cut lies between them (S_min <= S <= S_max). The minimum cut is unique exactly when
//   the two cut edge sets agree; the edges in every minimum cut (critical_edges below) are
//   those from S_min to V \ S_max.
//
// Certificate: no arc with positive residual leaves S, i.e. every edge from S to V \ S is
// saturated and every directed edge from V \ S into S carries no flow.
//
// In the folded terminal form (residual_network.h) a positive `terminal_residual` counts as a
// residual arc from the sources, a negative one as a residual arc to the sinks.
//
// Complexity: one breadth-first search per side, O(num_nodes + num_arcs); the edge scans below
// are one pass over the arcs each.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "routecore/csr.h"
#include "routecore/parallel_passes.h"
#include "routecore/residual_network.h"

namespace routecore {

// side[v] = 1 for v in S_min, else 0.
template <class Cap>
void source_side_from_sources(const FlowNetwork<Cap>& net, std::span<std::uint8_t> side) {
  std::fill(side.begin(), side.end(), std::uint8_t{0});
  // One spare slot: the branch-free search below writes one past the last node it queued.
  ScratchArray<node_id> queue(static_cast<std::size_t>(net.num_nodes) + 1);
  std::size_t tail = 0;
  for (node_id s : net.sources()) {
    side[s] = 1;
    queue[tail++] = s;
  }
  if (net.folded) {
    for (node_id v = 0; v < net.num_nodes; ++v) {
      if (net.terminal_residual[v] > 0 && side[v] == 0) {
        side[v] = 1;
        queue[tail++] = v;
      }
    }
  }
  for (std::size_t i = 0; i < tail; ++i) {
    const node_id v = queue[i];
    for (arc_id a = net.begin(v); a < net.end(v); ++a) {
      // Branch-free: whether an arc is open follows no pattern, so a branch mispredicts often.
      const node_id w = net.head[a];
      // Bitwise on integers (not bools: Clang warns of & between bools).
      const unsigned reached =
          static_cast<unsigned>(net.arcs[a].residual > 0) & static_cast<unsigned>(side[w] == 0);
      side[w] |= static_cast<std::uint8_t>(reached);
      queue[tail] = w;
      tail += reached;
    }
  }
}

// side[v] = 1 for v in S_max (no sink reachable from v), else 0.
template <class Cap>
void source_side_from_sinks(const FlowNetwork<Cap>& net, std::span<std::uint8_t> side) {
  std::fill(side.begin(), side.end(), std::uint8_t{1});
  ScratchArray<node_id> queue(static_cast<std::size_t>(net.num_nodes));
  std::size_t tail = 0;
  for (node_id t : net.sinks()) {
    side[t] = 0;
    queue[tail++] = t;
  }
  if (net.folded) {
    for (node_id v = 0; v < net.num_nodes; ++v) {
      if (net.terminal_residual[v] < 0 && side[v] == 1) {
        side[v] = 0;
        queue[tail++] = v;
      }
    }
  }
  for (std::size_t i = 0; i < tail; ++i) {
    const node_id v = queue[i];
    for (arc_id a = net.begin(v); a < net.end(v); ++a) {
      const auto& arc = net.arcs[a];
      // arc is v -> w; its sister w -> v is the arc that lets w reach v. (Branching: most heads
      // are reached already, and the test skips the sister's residual, a scattered read.)
      const node_id w = net.head[a];
      if (side[w] == 1 && net.arcs[arc.sister].residual > 0 &&
          net.terminal(w) != terminal_kind::source) {
        side[w] = 0;
        queue[tail++] = w;
      }
    }
  }
}

// Ids (ascending) of the input edges that leave `inner` and end outside `outer` (inner is a
// subset of outer): directed edges src -> dst with src in inner and dst not in outer; undirected
// edges with one end in inner and the other outside outer. With inner == outer these are the
// edges crossing that cut; with inner = S_min and outer = S_max they are the critical edges.
// Large graphs split the scan over up to `threads` threads (parallel_passes.h, pass_threads).
inline std::vector<edge_id> edges_leaving(const CsrView& g, edge_id num_edges,
                                          std::span<const std::uint8_t> inner,
                                          std::span<const std::uint8_t> outer, int threads = 1) {
  const int workers = pass_threads(g, threads);
  WorkerCutEdges cuts(num_edges, workers);
  auto scan = [&](node_id first, node_id last, int worker) {
    CutEdgeBits& cut = cuts[worker];
    for (node_id u = first; u < last; ++u) {
      if (inner[u] == 0) continue;
      for (arc_id a = g.begin(u); a < g.end(u); ++a)
        cut.add_if(edge_of(g.arc_edge[a]), outer[g.head[a]] == 0);
    }
  };
  run_pass(g, workers, scan);
  return cuts.list();
}

// Ids (ascending) of the input edges that cross from the source side to the sink side: directed
// edges src -> dst with src in S and dst not in S; undirected edges with exactly one end in S.
inline std::vector<edge_id> crossing_edges(const CsrView& g, edge_id num_edges,
                                           std::span<const std::uint8_t> side, int threads = 1) {
  return edges_leaving(g, num_edges, side, side, threads);
}

// Critical edges: the edges in every minimum cut, i.e. those leaving S_min (`smallest`) towards
// a node outside S_max (`largest`); for an undirected edge either orientation. Every minimum
// cut's source side S satisfies S_min <= S <= S_max, so such an edge crosses every one; an edge
// that crosses both canonical cuts is exactly such an edge. Equivalently (residual paths
// source -> u and v -> sink), they are the only single edges whose capacity increase raises the
// maximum flow. O(num_nodes + num_arcs).
inline std::vector<edge_id> critical_edges(const CsrView& g, edge_id num_edges,
                                           std::span<const std::uint8_t> smallest,
                                           std::span<const std::uint8_t> largest, int threads = 1) {
  return edges_leaving(g, num_edges, smallest, largest, threads);
}

}  // namespace routecore
