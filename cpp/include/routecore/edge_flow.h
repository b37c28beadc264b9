// routecore/edge_flow.h — reading the per-edge flows and the cut edges back out of a solved
// residual network.
//
// Problem
//   After a maximum flow on a residual network (residual_network.h), report the flow on every
//   input edge in its src -> dst direction (negative for an undirected edge whose flow runs
//   dst -> src) and, in the same pass, the ids of the edges crossing a given cut.
//
// Contract
//   The flow along residual arc a is its initial residual minus residual(a). Dead edges
//   (self-loops, zero capacities, edges no flow can use) report 0. Two antiparallel directed
//   edges merged into one arc pair (flow_layout.h) carry the pair's net flow: the edge in its
//   direction reports it, the other 0. In the folded terminal form
//   the flow through a node's terminal capacity (residual_network.h) is split over that node's
//   terminal edges, each up to its capacity, in the order the terminals' arc lists give them;
//   when the node's terminal residual on that side is zero, every such edge is exactly
//   saturated. Double capacities: an arc pair with one side exactly saturated reports exactly
//   its capacity, and every flow is clamped to its capacity bounds, so cut edges report
//   flow == capacity without rounding noise.
//
// Invariants of the result: |flow| <= capacity on every edge; flow is conserved at every
// non-terminal node; the cut edges are listed in ascending id order, each once, the same for
// every thread count (parallel_passes.h).
//
// Complexity: O(num_nodes + num_arcs) time, one pass over the arcs (split over threads on large
// graphs) beside one over the terminals' arcs; memory one bit per edge per worker for the cut.
//
// References: R. K. Ahuja, T. L. Magnanti and J. B. Orlin, "Network Flows" (1993), ch. 2
// (flows from residuals) and ch. 6 (cuts).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "routecore/csr.h"
#include "routecore/flow_layout.h"
#include "routecore/parallel_passes.h"
#include "routecore/residual_network.h"

namespace routecore {

// The flow along residual arc p (initial residual cap_p, its sister's cap_s), read from the
// residuals. For double capacities, when one of the pair is exactly saturated the flow is taken
// to be exactly its capacity, so a saturated cut arc reports flow == capacity without rounding
// noise, and the result is clamped to the capacity bounds.
template <class Cap>
Cap arc_flow(const FlowNetwork<Cap>& net, arc_id p, Cap cap_p, Cap cap_s) {
  const Cap res_p = net.arcs[p].residual;
  if constexpr (std::is_integral_v<Cap>) {
    (void)cap_s;
    return cap_p - res_p;  // exact
  } else {
    const Cap res_s = net.arcs[net.arcs[p].sister].residual;
    if (res_p == 0) return cap_p;
    if (res_s == 0) return -cap_s;
    return std::clamp<Cap>(cap_p - res_p, -cap_s, cap_p);
  }
}

// Writes the flow of every input edge (in the src -> dst direction) into `edge_flow`
// (num_edges entries) and returns the ids (ascending) of the edges crossing the cut `side`
// (1: source side), as crossing_edges (min_cut.h) does, read in the same pass over the arcs.
// In the folded form the flow through each node's terminal capacities is split over that
// node's terminal edges, each up to its capacity; when the node's terminal residual on that
// side is zero, every such edge is exactly saturated (so double capacities report cut edges
// without rounding noise). The split uses up `source_cap` and `sink_cap` (the network is not
// solved again afterwards). Pass 1 splits over up to `threads` threads on large graphs.
template <class Cap, class In>
std::vector<edge_id> extract_edge_flow(FlowNetwork<Cap>& net, const CsrView& g,
                                       const FlowLayout& layout, std::span<const In> arc_capacity,
                                       In clamp, bool directed, std::span<In> edge_flow,
                                       std::span<const std::uint8_t> side, edge_id num_edges,
                                       int threads = 1) {
  const auto& term = net.terminals.kind;
  auto cap_of = [&](arc_id csr_arc) {
    return static_cast<Cap>(std::min(arc_capacity[csr_arc], clamp));
  };
  const auto* arcs = net.arcs.get();

  // Pass 1 (branch-free flows for integers): every edge between two ordinary nodes, written
  // from its forward arc (other arcs write to a scratch slot); an arc from side 1 to side 0
  // marks its edge as cut (for an undirected edge only its end on side 1 does, for a directed
  // one only its tail, as the CSR lists out-arcs only). Node blocks may run on several
  // threads: each edge is written once, and each thread marks its own bits.
  const int workers = pass_threads(g, threads);
  WorkerCutEdges cuts(num_edges, workers);
  auto read_block = [&](node_id first, node_id last, int worker) {
    CutEdgeBits& cut = cuts[worker];
    In scratch = 0;
    for (node_id u = first; u < last; ++u) {
      const arc_id shift = directed ? layout.first_out[u] - g.first_out[u] : 0;
      const bool on_source_side = side[u] != 0;
      const bool u_ordinary = term[u] == terminal_kind::none;
      for (arc_id a = g.begin(u); a < g.end(u); ++a) {
        const arc_id p = a + shift;
        const node_id y = g.head[a];
        const edge_id stored = g.arc_edge[a];
        const Cap c = cap_of(a);
        Cap f;
        if constexpr (std::is_integral_v<Cap>) {
          f = c - arcs[p].residual;
        } else {
          Cap back = c;  // the sister's initial residual (the other edge's, when merged)
          if (directed) {
            const arc_id q = arcs[p].sister;
            const arc_id shift_y = layout.first_out[y] - g.first_out[y];
            back = is_out_arc(g, layout.first_out, y, q) ? cap_of(q - shift_y) : Cap{0};
          }
          f = c > 0 ? arc_flow(net, p, c, back) : 0.0;
        }
        // A directed edge never reports a negative flow: that is its merged partner's.
        if (directed) f = std::max<Cap>(f, 0);
        const bool write = (stored >= 0) & u_ordinary & (term[y] == terminal_kind::none);
        *(write ? edge_flow.data() + stored : &scratch) = static_cast<In>(f);
        if (on_source_side && side[y] == 0) cut.add(edge_of(stored));
      }
    }
  };
  // Pass 2, beside pass 1 (they write different edges): the edges with a terminal end,
  // whatever their role. Folded edges split the flow through their node's terminal capacity:
  // with terminal residual r > 0 on the source side, source_cap - r has passed in all, and
  // source_cap keeps that remainder plus r as edges take their share (likewise sink_cap, -r).
  auto split_terminal_edges = [&] {
    for_each_terminal_edge(
        g, layout, directed, net.terminals,
        [&](node_id u, node_id v, arc_id src_arc, arc_id csr_arc) {
          const edge_id e = edge_of(g.arc_edge[csr_arc]);
          const Cap c = u != v ? cap_of(csr_arc) : Cap{0};
          if (!(c > 0)) {
            edge_flow[e] = 0;
            return;
          }
          const auto cls = classify_edge(u, v, term[u], term[v], directed, net.folded);
          Cap f = 0;
          switch (cls.role) {
            case edge_role::dead:
              break;
            case edge_role::forward:
            case edge_role::backward:
            case edge_role::both: {
              const auto pc = pair_capacity(cls.role, c);
              f = arc_flow(net, src_arc, pc.forward, pc.backward);
              break;
            }
            case edge_role::source_fold:
            case edge_role::sink_fold: {
              // The residual's sign differs from node to node, so for integers this is
              // branch-free: with no residual on this side, `left - unused` is the sum of
              // the capacities still to come and every edge gets exactly its own (f = c).
              const bool from_source = cls.role == edge_role::source_fold;
              const Cap r = net.terminal_residual[cls.node];
              Cap& left = from_source ? net.source_cap[cls.node] : net.sink_cap[cls.node];
              const Cap unused = from_source ? std::max<Cap>(r, 0) : std::max<Cap>(-r, 0);
              if constexpr (std::is_integral_v<Cap>) {
                f = std::min(c, left - unused);
                left -= f;
              } else {
                f = c;  // exactly saturated unless some capacity is left unused
                if (unused > 0) {
                  // Rounding can leave `left - unused` a hair below zero; the flow stays
                  // within [0, c] like every other edge's.
                  f = std::clamp<Cap>(left - unused, Cap{0}, c);
                  left -= f;
                }
              }
              break;
            }
            case edge_role::direct:
              f = c;
              break;
          }
          // A folded edge whose src is not the terminal end runs dst -> src.
          const bool reversed = cls.role >= edge_role::source_fold &&
                                term[u] != terminal_kind::source && term[v] != terminal_kind::sink;
          edge_flow[e] = static_cast<In>(reversed ? -f : f);
        });
  };
  run_pass(g, workers, read_block, split_terminal_edges);
  // Self-loops carry nothing (their dead arcs read as saturated in pass 1).
  for (const arc_id p : layout.loop_arcs) {
    const node_id u = layout.head[p];
    if (directed && p >= layout.first_out[u] + g.out_degree(u)) continue;  // a reverse arc
    const arc_id a = directed ? p - (layout.first_out[u] - g.first_out[u]) : p;
    edge_flow[edge_of(g.arc_edge[a])] = 0;
  }
  return cuts.list();
}

}  // namespace routecore
