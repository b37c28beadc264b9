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
//                 reverses of its unmatched in-arcs (placed by a counting sort).
//   Antiparallel edges share one pair: a directed edge u -> v and an edge v -> u (u != v) are
//   matched (match_antiparallel), and their two out-arcs are each other's sister, so the pair
//   holds both capacities (as an undirected edge does) instead of two pairs with a dead reverse
//   each. Users who list both directions of a link as separate edges get the network of the
//   undirected link: half the arcs to scan, and flow one way cancels flow the other way in
//   place. Edges between the same two nodes are matched one to one (a u -> v edge left over
//   keeps its own pair, as every self-loop does).
//
// Invariants: sister(sister(a)) == a; head[sister(a)] is a's tail; every edge has its own
// residual arc in its direction, at its src, and a sister, whatever its capacity or ends
// (self-loops included); `loop_arcs` lists exactly the arcs of self-loops.
//
// Size limit: arc ids are 32-bit (csr.h), so a layout holds at most max_id_count arcs. Sizes
// are computed in 64 bits, and a directed graph with 2^30 edges or more is refused
// (flow_size_error) before anything is allocated or written (whatever merging would save).
//
// Complexity: O(num_nodes + num_arcs) time, once per graph. Memory: 4 bytes per arc (sister)
// for an undirected graph; 8 per residual arc (head, sister) and 4 per node for a directed one,
// which has between 1 (every edge matched) and 2 residual arcs per edge. Building a directed
// layout takes about 16 bytes per edge of scratch space for the matching.
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
//               of its unmatched in-arcs; so CSR arc a of u is residual arc a + first_out[u] -
//               csr.first_out[u] (forward_arc), and `sister` pairs each with its reverse, or
//               with the out-arc of its antiparallel partner (an out-arc of the head; see
//               is_out_arc).
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

// Most residual arcs of the layout of a graph with `num_arcs` CSR arcs: one per CSR arc
// (undirected), two (directed, before antiparallel edges are merged). Computed in 64 bits, so it
// is exact for every CSR.
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

// Matches the antiparallel edges of a directed graph: partner[a] is the CSR arc of an edge
// v -> u matched with CSR arc a (u -> v, u != v), or -1; matching is one to one and symmetric
// (partner[partner[a]] == a). Returns the number of matched arcs (twice the pairs).
// O(num_nodes + num_arcs) time: each pair {u, v} is matched at its smaller end u, from u's
// out-arcs to larger neighbours (bucketed by head) and u's in-arcs from larger neighbours.
inline arc_id match_antiparallel(const CsrView& g, std::span<arc_id> partner) {
  assert(partner.size() == static_cast<std::size_t>(g.num_arcs));
  const node_id n = g.num_nodes;
  const auto m = static_cast<std::size_t>(g.num_arcs);
  std::fill(partner.begin(), partner.end(), arc_id{-1});
  // In-arcs of every node with their tails, by counting sort on the head.
  auto in_first = make_scratch_buffer<arc_id>(static_cast<std::size_t>(n) + 1);
  std::fill_n(in_first.get(), n + 1, arc_id{0});
  for (arc_id a = 0; a < g.num_arcs; ++a) ++in_first[g.head[a] + 1];
  for (node_id v = 0; v < n; ++v) in_first[v + 1] += in_first[v];
  auto in_arc = make_scratch_buffer<arc_id>(m);
  auto in_tail = make_scratch_buffer<node_id>(m);
  auto fill = make_scratch_buffer<arc_id>(static_cast<std::size_t>(n));
  std::copy_n(in_first.get(), n, fill.get());
  for (node_id u = 0; u < n; ++u) {
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      const arc_id i = fill[g.head[a]]++;
      in_arc[i] = a;
      in_tail[i] = u;
    }
  }
  // bucket[v]: a stack (through `next`) of u's unmatched out-arcs to v, valid while
  // stamp[v] == u.
  auto bucket = make_scratch_buffer<arc_id>(static_cast<std::size_t>(n));
  auto stamp = make_scratch_buffer<node_id>(static_cast<std::size_t>(n));
  std::fill_n(stamp.get(), n, node_id{-1});
  auto next = make_scratch_buffer<arc_id>(m);
  arc_id matched = 0;
  for (node_id u = 0; u < n; ++u) {
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      const node_id v = g.head[a];
      if (v <= u) continue;
      if (stamp[v] != u) {
        stamp[v] = u;
        bucket[v] = -1;
      }
      next[a] = bucket[v];
      bucket[v] = a;
    }
    for (arc_id i = in_first[u]; i < in_first[u + 1]; ++i) {
      const node_id x = in_tail[i];
      if (x <= u || stamp[x] != u || bucket[x] < 0) continue;
      const arc_id a = bucket[x];
      bucket[x] = next[a];
      partner[a] = in_arc[i];
      partner[in_arc[i]] = a;
      matched += 2;
    }
  }
  return matched;
}

// Whether residual arc p of node u (in `layout` of a directed graph g) is one of u's CSR
// out-arcs, not the reverse of an unmatched in-arc.
inline bool is_out_arc(const CsrView& g, const arc_id* layout_first_out, node_id u, arc_id p) {
  return p < layout_first_out[u] + g.out_degree(u);
}

// The number of residual arcs of g's layout, and for a directed graph the antiparallel matching
// it rests on (`partner`: num_arcs entries, filled by match_antiparallel; empty for an undirected
// graph). Throws flow_size_error (see flow_layout_arcs) before writing anything when the layout
// might not fit 32-bit arc ids.
inline arc_id plan_flow_layout(const CsrView& g, bool directed, std::span<arc_id> partner) {
  const arc_id most = flow_layout_arcs(g, directed);
  if (!directed) return most;
  return most - match_antiparallel(g, partner);
}

// Fills the layout's arrays (first_out: num_nodes + 1 and head: plan_flow_layout entries, only
// for a directed graph; sister: plan_flow_layout entries), from `partner` (plan_flow_layout's
// matching; empty for an undirected graph). Throws flow_size_error (see flow_layout_arcs) before
// writing anything when the layout does not fit 32-bit arc ids.
inline void build_flow_layout(const CsrView& g, bool directed, std::span<const arc_id> partner,
                              std::span<arc_id> first_out, std::span<node_id> head,
                              std::span<arc_id> sister) {
  [[maybe_unused]] const arc_id most = flow_layout_arcs(g, directed);
  assert(sister.size() <= static_cast<std::size_t>(most));
  assert(!directed || partner.size() == static_cast<std::size_t>(g.num_arcs));
  assert(!directed || (first_out.size() == static_cast<std::size_t>(g.num_nodes) + 1 &&
                       head.size() == sister.size()));
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
  // first_out[u] = (out-arcs before u) + (unmatched in-arcs before u), by counting sort.
  std::fill(first_out.begin(), first_out.end(), arc_id{0});
  for (arc_id a = 0; a < g.num_arcs; ++a) first_out[g.head[a] + 1] += partner[a] < 0;
  for (node_id v = 0; v < n; ++v) first_out[v + 1] += first_out[v];
  auto next_in = make_scratch_buffer<arc_id>(static_cast<std::size_t>(n));
  for (node_id v = 0; v <= n; ++v) first_out[v] += g.first_out[v];
  for (node_id v = 0; v < n; ++v) next_in[v] = first_out[v] + g.out_degree(v);
  for (node_id u = 0; u < n; ++u) {
    const arc_id shift = first_out[u] - g.first_out[u];
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      const node_id v = g.head[a];
      const arc_id p = a + shift;
      head[p] = v;
      if (partner[a] >= 0) {  // the partner's out-arc at v, set from both ends alike
        sister[p] = partner[a] + first_out[v] - g.first_out[v];
        continue;
      }
      const arc_id q = next_in[v]++;
      head[q] = u;
      sister[p] = q;
      sister[q] = p;
    }
  }
  assert(static_cast<std::size_t>(first_out[n]) == sister.size());
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
    flow_layout_arcs(g, directed);  // refuses an oversized graph before any allocation
    const std::size_t num_partners = directed ? static_cast<std::size_t>(g.num_arcs) : 0;
    auto partner = make_scratch_buffer<arc_id>(num_partners);
    const arc_id m = plan_flow_layout(g, directed, {partner.get(), num_partners});
    const auto n1 = static_cast<std::size_t>(g.num_nodes) + 1;
    sister = make_scratch_buffer<arc_id>(static_cast<std::size_t>(m));
    if (directed) {
      first_out = make_scratch_buffer<arc_id>(n1);
      head = make_scratch_buffer<node_id>(static_cast<std::size_t>(m));
    }
    build_flow_layout(g, directed, {partner.get(), num_partners},
                      {first_out.get(), directed ? n1 : 0},
                      {head.get(), directed ? static_cast<std::size_t>(m) : 0},
                      {sister.get(), static_cast<std::size_t>(m)});
    loops =
        flow_layout_loop_arcs(g, directed, directed ? first_out.get() : g.first_out, sister.get());
    view = FlowLayout{m, directed ? first_out.get() : g.first_out, directed ? head.get() : g.head,
                      sister.get(), loops};
  }
};

}  // namespace routecore
