// routecore/flow_layout.h — where the arcs of a graph's residual network go; built once per
// graph, reused by every max-flow call on it.
//
// Problem
//   Max-flow needs both directions of every edge, each arc paired with its reverse (its
//   sister) and the arcs grouped by tail like a CSR (csr.h). Which arc is where depends only on
//   the graph, not on the capacities or terminals of a call, so it is built once per graph
//   (FlowLayout, build_flow_layout; Python's Graph keeps it) and each call only fills in the
//   residuals (residual_network.h).
//
// Layout
//   Residual arcs are grouped by tail (`first_out`, like csr.h); `head[a]` is the node arc a
//   enters and `sister[a]` its reverse, stored at the head. Each input edge becomes a pair of
//   residual arcs, a and sister(a), one at each end.
//     undirected  an undirected graph's CSR already holds both arcs of every edge at the right
//                 ends, so residual arc a is CSR arc a (`first_out` and `head` are the graph's)
//                 and the layout is just the sister of every arc.
//     directed    the arcs of node u are its CSR out-arcs, in CSR order, followed by the
//                 reverses of its in-arcs (placed by a counting sort).
//
// Invariants: sister(sister(a)) == a; head[sister(a)] is a's tail; every edge has its pair,
// whatever its capacity or ends (self-loops included); `loop_arcs` lists exactly the arcs of
// self-loops.
//
// Size limit: arc ids are 32-bit (csr.h), so a layout holds at most max_id_count arcs. Sizes
// are computed in 64 bits, and a directed graph with 2^30 edges or more is refused
// (flow_size_error) before anything is allocated or written.
//
// Complexity: O(num_nodes + num_arcs) time, once per graph. Memory: 4 bytes per arc (sister)
// for an undirected graph; 8 per residual arc (head, sister) and 4 per node for a directed one.
//
// References: R. K. Ahuja, T. L. Magnanti and J. B. Orlin, "Network Flows" (1993), ch. 2
// (residual networks and their arc-list representations).
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "routecore/csr.h"
#include "routecore/scratch.h"

namespace routecore {

// The arcs of the residual network, which depend only on the graph's structure: built once per
// graph by build_flow_layout and kept by the caller (Python's Graph keeps it with the graph).
//   undirected  residual arc a is CSR arc a (`first_out`, `head` are the graph's); `sister[a]`
//               is the other arc of a's edge (a self-loop's two arcs are each other's sister).
//   directed    the arcs of node u are its CSR out-arcs, in CSR order, followed by the reverses
//               of its in-arcs; so CSR arc a of u is residual arc a + first_out[u] -
//               csr.first_out[u] (forward_arc), and `sister` pairs each with its reverse.
// Every edge, whatever its capacity or its ends, has its pair of residual arcs: edges that cannot
// carry flow (residual_network.h, "Dead arcs") get zero residual both ways when a network is built.
// `loop_arcs` lists the arcs of self-loops (both of each), so that the per-call passes can run
// over all arcs without testing each for a loop (flow_layout_loop_arcs; usually empty).
struct FlowLayout {
  arc_id num_arcs = 0;
  const arc_id* first_out = nullptr;  // num_nodes + 1
  const node_id* head = nullptr;      // num_arcs
  const arc_id* sister = nullptr;     // num_arcs
  std::span<const arc_id> loop_arcs;
};

// Thrown when a graph's residual network would need more arcs than 32-bit arc ids can number.
class flow_size_error : public std::length_error {
 public:
  using std::length_error::length_error;
};

// Number of residual arcs of the layout of a graph with `num_arcs` CSR arcs: one per CSR arc
// (undirected), two (directed). Computed in 64 bits, so it is exact for every CSR.
inline constexpr std::int64_t flow_layout_arc_count(std::int64_t num_arcs, bool directed) {
  return directed ? 2 * num_arcs : num_arcs;
}

// flow_layout_arc_count of g as an arc id; throws flow_size_error, naming the count and the
// limit, when it exceeds max_id_count (a directed graph with 2^30 edges or more).
inline arc_id flow_layout_arcs(const CsrView& g, bool directed) {
  const std::int64_t count = flow_layout_arc_count(g.num_arcs, directed);
  if (count > max_id_count) {
    throw flow_size_error("max-flow needs two residual arcs per edge of a directed graph: " +
                          std::to_string(g.num_arcs) + " edges need " + std::to_string(count) +
                          ", more than the 32-bit limit of " + std::to_string(max_id_count) +
                          " arcs (at most " + std::to_string(max_id_count / 2) + " edges)");
  }
  return static_cast<arc_id>(count);
}

// Fills the layout's arrays (first_out: num_nodes + 1 and head: flow_layout_arcs entries, only
// for a directed graph; sister: flow_layout_arcs entries). Throws flow_size_error (see
// flow_layout_arcs) before writing anything when the layout does not fit 32-bit arc ids.
inline void build_flow_layout(const CsrView& g, bool directed, std::span<arc_id> first_out,
                              std::span<node_id> head, std::span<arc_id> sister) {
  [[maybe_unused]] const arc_id m = flow_layout_arcs(g, directed);
  assert(sister.size() == static_cast<std::size_t>(m));
  assert(!directed || (first_out.size() == static_cast<std::size_t>(g.num_nodes) + 1 &&
                       head.size() == static_cast<std::size_t>(m)));
  const node_id n = g.num_nodes;
  if (!directed) {
    auto first_seen = make_scratch_buffer<arc_id>(static_cast<std::size_t>(g.num_arcs));
    std::fill_n(first_seen.get(), g.num_arcs, arc_id{-1});
    for (arc_id a = 0; a < g.num_arcs; ++a) {
      const auto e = static_cast<std::size_t>(edge_of(g.arc_edge[a]));
      const arc_id other = first_seen[e];
      if (other < 0) {
        first_seen[e] = a;
      } else {
        sister[a] = other;
        sister[other] = a;
      }
    }
    return;
  }
  // first_out[u] = (out-arcs before u) + (in-arcs before u); the in-arcs by counting sort.
  std::fill(first_out.begin(), first_out.end(), arc_id{0});
  for (arc_id a = 0; a < g.num_arcs; ++a) ++first_out[g.head[a] + 1];
  for (node_id v = 0; v < n; ++v) first_out[v + 1] += first_out[v];
  auto next_in = make_scratch_buffer<arc_id>(static_cast<std::size_t>(n));
  for (node_id v = 0; v <= n; ++v) first_out[v] += g.first_out[v];
  for (node_id v = 0; v < n; ++v) next_in[v] = first_out[v] + g.out_degree(v);
  for (node_id u = 0; u < n; ++u) {
    const arc_id shift = first_out[u] - g.first_out[u];
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      const node_id v = g.head[a];
      const arc_id p = a + shift;
      const arc_id q = next_in[v]++;
      head[p] = v;
      head[q] = u;
      sister[p] = q;
      sister[q] = p;
    }
  }
}

// The residual arcs of the self-loops of a graph with layout first_out / sister (both arcs of
// each loop, ascending within a node).
inline std::vector<arc_id> flow_layout_loop_arcs(const CsrView& g, bool directed,
                                                 const arc_id* first_out, const arc_id* sister) {
  std::vector<arc_id> loops;
  for (node_id u = 0; u < g.num_nodes; ++u) {
    const arc_id shift = directed ? first_out[u] - g.first_out[u] : 0;
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      if (g.head[a] != u) continue;
      loops.push_back(a + shift);
      if (directed) loops.push_back(sister[a + shift]);
    }
  }
  return loops;
}

// A FlowLayout with its own arrays, for callers that do not keep one per graph.
struct OwnedFlowLayout {
  ScratchBuffer<arc_id> first_out, sister;
  ScratchBuffer<node_id> head;
  std::vector<arc_id> loops;
  FlowLayout view;

  OwnedFlowLayout(const CsrView& g, bool directed) {
    const arc_id m = flow_layout_arcs(g, directed);
    const auto n1 = static_cast<std::size_t>(g.num_nodes) + 1;
    sister = make_scratch_buffer<arc_id>(static_cast<std::size_t>(m));
    if (directed) {
      first_out = make_scratch_buffer<arc_id>(n1);
      head = make_scratch_buffer<node_id>(static_cast<std::size_t>(m));
    }
    build_flow_layout(g, directed, {first_out.get(), directed ? n1 : 0},
                      {head.get(), directed ? static_cast<std::size_t>(m) : 0},
                      {sister.get(), static_cast<std::size_t>(m)});
    loops =
        flow_layout_loop_arcs(g, directed, directed ? first_out.get() : g.first_out, sister.get());
    view = FlowLayout{m, directed ? first_out.get() : g.first_out, directed ? head.get() : g.head,
                      sister.get(), loops};
  }
};

}  // namespace routecore
