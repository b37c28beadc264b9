// routecore/residual_network.h — the residual network every max-flow algorithm works on, built
// once per call on the graph's flow layout.
//
// Problem
//   Given a CSR graph (csr.h) with a capacity per arc, one or more sources and one or more sinks
//   (disjoint sets), and the graph's FlowLayout (flow_layout.h), give every residual arc its
//   initial residual, so that push-relabel, Boykov–Kolmogorov, IBFS and Dinic can run on it:
//     directed edge u->v, capacity c        arc u->v with residual c, sister v->u with residual 0;
//     undirected edge {u,v}, capacity c     arc u->v with residual c, sister v->u with residual c
//                                           (a flow f >= 0 from u to v leaves c-f and c+f).
//   How each edge enters the network is decided by classify_edge from its ends' terminal kinds;
//   capacity_totals checks the call for overflow first. The flows are read back by
//   edge_flow.h and the cuts by min_cut.h.
//
// Invariants (kept by every algorithm): residual(a) >= 0, and residual(a) +
// residual(sister(a)) stays equal to the sum of the two initial residuals. The flow along a is
// its initial residual minus residual(a) (negative when the flow runs the other way).
//
// Dead arcs (initial residual 0 both ways, so they never carry flow; none of this changes the
// maximum flow value or the minimum cuts, because there is always a maximum flow without flow
// into a source, out of a sink, on a self-loop or on a zero-capacity edge):
//   self-loops, zero-capacity edges, edges between two sources or two sinks, directed edges into
//   a source or out of a sink. An undirected edge with a source (or sink) end is made one-way,
//   away from the source (towards the sink). Dead pairs stay in the layout with zero residuals.
//
// Terminal forms
//   explicit   sources and sinks are ordinary nodes with their arcs (push-relabel, Dinic).
//   folded     arcs between a terminal and a non-terminal node are dead; their capacities are
//              summed into per-node `source_cap` / `sink_cap` (the "terminal capacities" of
//              Boykov–Kolmogorov), and source->sink edges are saturated up front
//              (`direct_flow`). After the solve, `terminal_residual[v]` holds source_cap -
//              sink_cap minus the flow routed through v's terminal capacities (> 0: residual
//              from the sources, < 0: towards the sinks).
//
// Integer capacities and overflow (capacity_totals)
//   Integer capacities are exact. Let S be the total capacity of the live arcs leaving the
//   sources and T the total entering the sinks (both read from the terminals' own arcs); the
//   flow value is at most B = min(S, T). Capacities above B + 1 are clamped to B + 1 (no cut
//   through such an edge can be minimal, so neither the value nor the minimum cuts change, and
//   it is never saturated). The call is refused (overflow) when B, or a clamped S or T, exceeds
//   max_int_flow_total (2^61): then excesses (at most S), residuals of undirected arcs (up to
//   twice a capacity, 2^62 + 2) and the value fit in int64 with room to spare. When the
//   clamped totals are at most max_narrow_total the network is built with 32-bit residuals
//   instead (`Cap` = int32): same results, half the memory traffic. Double capacities are not
//   clamped; a non-finite total is reported as overflow.
//
// Complexity: O(num_nodes + num_arcs) time per call: one pass over the arcs (split over
// threads on large graphs, parallel_passes.h) plus, for the totals and the folded form, passes
// over the terminals' own arcs. Memory per residual arc: 8 bytes (sister, residual) with 32-bit
// residuals, 16 with 64-bit ones; plus the initial residuals when kept (push-relabel's flow
// recovery); plus a few arrays per node.
//
// References
//   R. K. Ahuja, T. L. Magnanti and J. B. Orlin, "Network Flows" (1993), ch. 2 and 7;
//   Y. Boykov and V. Kolmogorov, "An experimental comparison of min-cut/max-flow algorithms for
//   energy minimization in vision", IEEE TPAMI 26 (2004) (terminal capacities, folded form).
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "routecore/checked_math.h"
#include "routecore/csr.h"
#include "routecore/flow_layout.h"
#include "routecore/parallel_passes.h"
#include "routecore/portability.h"
#include "routecore/scratch.h"

namespace routecore {

// What a node is to one max-flow call.
enum class terminal_kind : std::uint8_t { none = 0, source = 1, sink = 2 };

// The state of one residual arc; its head is FlowNetwork::head[a].
template <class Cap>
struct ResidualArc {
  arc_id sister;  // the paired arc in the opposite direction, stored at the head
  Cap residual;
};

// Which nodes are sources and sinks, and each set without duplicates.
struct Terminals {
  ScratchArray<terminal_kind> kind;  // per node
  std::vector<node_id> sources, sinks;

  Terminals() = default;
  Terminals(node_id num_nodes, std::span<const node_id> source_ids,
            std::span<const node_id> sink_ids)
      : kind(static_cast<std::size_t>(num_nodes), terminal_kind::none) {
    for (node_id s : source_ids) {
      if (kind[s] == terminal_kind::none) sources.push_back(s);
      kind[s] = terminal_kind::source;
    }
    for (node_id t : sink_ids) {
      assert(kind[t] != terminal_kind::source);
      if (kind[t] == terminal_kind::none) sinks.push_back(t);
      kind[t] = terminal_kind::sink;
    }
  }

  std::vector<node_id> all() const {
    std::vector<node_id> out(sources);
    out.insert(out.end(), sinks.begin(), sinks.end());
    return out;
  }
};

// The residual network of one call (see the header comment), on the arcs of a FlowLayout,
// with residuals of type Cap (int32 for small integer totals, int64, or double).
template <class Cap>
struct FlowNetwork {
  static_assert(std::is_same_v<Cap, std::int32_t> || std::is_same_v<Cap, std::int64_t> ||
                std::is_same_v<Cap, double>);

  node_id num_nodes = 0;
  arc_id num_arcs = 0;
  bool folded = false;
  bool directed = false;
  const arc_id* first_out = nullptr;      // num_nodes + 1 (the layout's)
  const node_id* head = nullptr;          // num_arcs (the layout's)
  const arc_id* csr_first_out = nullptr;  // the graph's, for forward_arc
  ScratchBuffer<ResidualArc<Cap>> arcs;   // residual state
  ScratchBuffer<Cap> capacity;            // initial residuals, only when asked for
  Terminals terminals;
  // Folded form only (empty otherwise).
  ScratchArray<Cap> source_cap, sink_cap, terminal_residual;
  Cap direct_flow = 0;  // flow of source -> sink edges, saturated when folding

  arc_id begin(node_id v) const { return first_out[v]; }
  arc_id end(node_id v) const { return first_out[v + 1]; }
  // The residual arc of CSR arc a (an arc of node u) in its own direction.
  arc_id forward_arc(node_id u, arc_id a) const {
    return directed ? a + first_out[u] - csr_first_out[u] : a;
  }
  terminal_kind terminal(node_id v) const { return terminals.kind[v]; }
  bool is_terminal(node_id v) const { return terminals.kind[v] != terminal_kind::none; }
  const std::vector<node_id>& sources() const { return terminals.sources; }
  const std::vector<node_id>& sinks() const { return terminals.sinks; }
};

// How one input edge (src -> dst) enters the residual network.
enum class edge_role : std::uint8_t {
  dead,         // carries no flow
  forward,      // arc src->dst gets the capacity, its sister 0
  backward,     // arc dst->src gets the capacity, its sister 0 (undirected, one end terminal)
  both,         // undirected between non-terminals: both arcs get the capacity
  source_fold,  // folded form: capacity from the sources to `node`
  sink_fold,    // folded form: capacity from `node` to the sinks
  direct,       // folded form: a source -> sink edge
};

// An edge's role, and what the totals need to know about it.
struct EdgeClass {
  edge_role role;
  node_id node;  // the non-terminal end for source_fold / sink_fold
  // Terminal ends of the useful direction, for the totals.
  bool from_source;
  bool to_sink;
};

// The role of edge u -> v (u its src) whose ends are of kinds tu and tv, in the explicit or the
// folded form: the one rule behind the dead arcs, the one-way terminal edges and the folded
// terminal capacities of the header comment. Used when the network is built, when the totals
// are summed and when the flows are read back (edge_flow.h), so all three agree.
ROUTECORE_ALWAYS_INLINE EdgeClass classify_edge(node_id u, node_id v, terminal_kind tu,
                                                terminal_kind tv, bool directed, bool folded) {
  using T = terminal_kind;
  if (tu == T::none && tv == T::none) {
    if (u == v) return {edge_role::dead, u, false, false};
    return {directed ? edge_role::forward : edge_role::both, u, false, false};
  }
  if (u == v || tu == tv) return {edge_role::dead, u, false, false};  // loop, source-source...
  const bool fwd_ok = tv != T::source && tu != T::sink;               // u->v can be useful
  const bool bwd_ok = !directed && tu != T::source && tv != T::sink;  // v->u can be useful
  if (!fwd_ok && !bwd_ok) return {edge_role::dead, u, false, false};
  // One end is a terminal, so exactly one direction is useful.
  const node_id tail = fwd_ok ? u : v;
  const node_id head = fwd_ok ? v : u;
  const bool from_source = (fwd_ok ? tu : tv) == T::source;
  const bool to_sink = (fwd_ok ? tv : tu) == T::sink;
  if (folded) {
    if (from_source && to_sink) return {edge_role::direct, tail, true, true};
    if (from_source) return {edge_role::source_fold, head, true, false};
    return {edge_role::sink_fold, tail, false, true};
  }
  return {fwd_ok ? edge_role::forward : edge_role::backward, tail, from_source, to_sink};
}

// Initial residuals of the src->dst arc and the dst->src arc of an edge with this role.
template <class Cap>
struct PairCapacity {
  Cap forward, backward;
};

template <class Cap>
PairCapacity<Cap> pair_capacity(edge_role role, Cap c) {
  switch (role) {
    case edge_role::forward:
      return {c, 0};
    case edge_role::backward:
      return {0, c};
    case edge_role::both:
      return {c, c};
    default:
      return {0, 0};
  }
}

namespace detail {

// a + b for non-negative totals, saturating at the largest finite value (doubles are summed
// plainly; an infinite total is reported as overflow).
template <class T>
T add_total(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    T r;
    if (add_overflow(a, b, &r)) return std::numeric_limits<T>::max();
    return r;
  } else {
    return a + b;
  }
}

}  // namespace detail

// Visits every edge with a terminal end once, as fn(src, dst, src_arc, csr_arc): src_arc is the
// residual arc src -> dst, csr_arc the edge's CSR arc (its capacity's index in arc order). Only
// the terminals' own residual arcs are read: in the layout every edge has an arc at both ends
// (a directed edge y -> x merged with x -> y, flow_layout.h, is found as the sister of x's
// out-arc).
template <class Fn>
void for_each_terminal_edge(const CsrView& g, const FlowLayout& layout, bool directed,
                            const Terminals& terminals, Fn&& fn) {
  const auto& kind = terminals.kind;
  auto visit = [&](node_id x) {
    const arc_id shift_x = layout.first_out[x] - g.first_out[x];
    const arc_id out_end = directed ? g.end(x) + shift_x : layout.first_out[x + 1];
    for (arc_id p = layout.first_out[x]; p < layout.first_out[x + 1]; ++p) {
      const node_id y = layout.head[p];
      const bool fwd = directed ? p < out_end : is_forward(g.arc_edge[p]);
      // An edge between two terminals is in both lists; take it from its src only.
      if (!fwd && kind[y] != terminal_kind::none) continue;
      if (fwd) {
        fn(x, y, p, directed ? p - shift_x : p);
        if (directed && kind[y] == terminal_kind::none) {
          const arc_id q = layout.sister[p];
          if (is_out_arc(g, layout.first_out, y, q))
            fn(y, x, q, q - (layout.first_out[y] - g.first_out[y]));
        }
      } else {
        const arc_id q = layout.sister[p];
        fn(y, x, q, directed ? q - (layout.first_out[y] - g.first_out[y]) : p);
      }
    }
  };
  for (node_id s : terminals.sources) visit(s);
  for (node_id t : terminals.sinks) visit(t);
}

// Largest total (flow value bound) accepted with integer capacities: 2^61.
inline constexpr std::int64_t max_int_flow_total = std::int64_t{1} << 61;
// Largest clamped total for which 32-bit residuals are used.
inline constexpr std::int64_t max_narrow_total = (std::int64_t{1} << 30) - 2;

// The capacity totals at the terminals and what follows from them (see the header comment).
template <class In>
struct CapacityTotals {
  double source_total = 0, sink_total = 0;  // approximate, for the overflow report
  bool overflow = false;
  bool narrow = false;  // int64 input whose residuals fit in int32
  In clamp = std::numeric_limits<In>::max();
};

// O(edges at the terminals) time: only the terminals' residual arcs are read.
template <class In>
CapacityTotals<In> capacity_totals(const CsrView& g, const FlowLayout& layout,
                                   std::span<const In> arc_capacity, bool directed,
                                   const Terminals& terminals) {
  struct Sum {
    In source = 0, sink = 0;
    In largest = 0;  // the largest capacity summed
  };
  auto sum_all = [&](Sum& sum, In clamp) {
    for_each_terminal_edge(
        g, layout, directed, terminals, [&](node_id u, node_id v, arc_id, arc_id csr_arc) {
          const In c = std::min(arc_capacity[csr_arc], clamp);
          if (!(c > 0) || u == v) return;
          const auto cls =
              classify_edge(u, v, terminals.kind[u], terminals.kind[v], directed, false);
          if (cls.from_source) sum.source = detail::add_total(sum.source, c);
          if (cls.to_sink) sum.sink = detail::add_total(sum.sink, c);
          if (cls.from_source || cls.to_sink) sum.largest = std::max(sum.largest, c);
        });
  };
  Sum raw;
  sum_all(raw, std::numeric_limits<In>::max());
  CapacityTotals<In> out;
  out.source_total = static_cast<double>(raw.source);
  out.sink_total = static_cast<double>(raw.sink);
  if constexpr (std::is_integral_v<In>) {
    const In bound = std::min(raw.source, raw.sink);
    if (bound > max_int_flow_total) {
      out.overflow = true;
      return out;
    }
    out.clamp = bound + 1;
    // Summed again with every capacity clamped, unless none exceeds the clamp: then the sums
    // are the same, and the second pass over the terminals' edges is skipped (the usual case,
    // and on graphs where most nodes have a terminal edge a noticeable share of the call).
    Sum clamped = raw;
    if (raw.largest > out.clamp) {
      clamped = Sum{};
      sum_all(clamped, out.clamp);
    }
    if (clamped.source > max_int_flow_total || clamped.sink > max_int_flow_total) {
      out.overflow = true;
      return out;
    }
    out.narrow = std::max(clamped.source, clamped.sink) <= max_narrow_total;
  } else {
    out.overflow = !std::isfinite(raw.source) || !std::isfinite(raw.sink);
  }
  return out;
}

// Builds the residual network on `layout` (build_flow_layout of the same graph). `arc_capacity`
// is in CSR arc order (for an undirected graph both arcs of an edge carry its capacity) and is
// clamped to `clamp` (from capacity_totals, which also guarantees that every clamped capacity
// fits in Cap). With keep_capacity the initial residuals are stored in `capacity`. Large graphs
// split the passes over up to `threads` threads (pass_threads); the result does not depend on it.
// One sequential pass over the arcs plus, in the folded form, one over the terminals' arcs.
template <class Cap, class In>
void build_flow_network(const CsrView& g, const FlowLayout& layout,
                        std::span<const In> arc_capacity, bool directed, Terminals terminals,
                        In clamp, bool folded, bool keep_capacity, FlowNetwork<Cap>& net,
                        int threads = 1) {
  const node_id n = g.num_nodes;
  const arc_id m = layout.num_arcs;
  net.num_nodes = n;
  net.num_arcs = m;
  net.folded = folded;
  net.directed = directed;
  net.first_out = layout.first_out;
  net.head = layout.head;
  net.csr_first_out = g.first_out;
  net.terminals = std::move(terminals);
  const auto& term = net.terminals.kind;
  auto cap_of = [&](arc_id csr_arc) {
    return static_cast<Cap>(std::min(arc_capacity[csr_arc], clamp));
  };

  // Pass 1, branch-free: every arc gets its initial residual, in arc order. Whether arc x -> y
  // keeps its capacity depends only on the terminal kinds of x and y, so it is read from a 3x3
  // table made with classify_edge: in the folded form only arcs between two ordinary nodes
  // keep it; in the explicit form every arc whose direction can be useful does (not into a
  // source, not out of a sink, not between two terminals of one kind). The rule is the same for
  // both arcs of an undirected edge, whichever end is its src, and for the out-arc of a directed
  // one; the reverse arcs of directed edges start at 0, and self-loops die after.
  // (Setting both arcs of each terminal edge from the terminal's own list instead would write
  // into the neighbours' arc lists out of order: on vision graphs, where most nodes have a
  // terminal edge, that costs more than this whole pass.)
  net.arcs = make_scratch_buffer<ResidualArc<Cap>>(static_cast<std::size_t>(m));
  ResidualArc<Cap>* arcs = net.arcs.get();
  const arc_id* sister = layout.sister;
  std::array<std::uint8_t, 9> keeps{};  // by 3 * kind(x) + kind(y)
  for (std::uint8_t x = 0; x < 3; ++x) {
    for (std::uint8_t y = 0; y < 3; ++y) {
      // An edge x -> y between two distinct nodes of these kinds: does its src -> dst arc
      // start with the capacity?
      const auto cls = classify_edge(0, 1, terminal_kind{x}, terminal_kind{y}, directed, folded);
      keeps[3u * x + y] = pair_capacity(cls.role, 1).forward > 0;
    }
  }
  auto kind = [&](node_id v) { return static_cast<std::size_t>(term[v]); };
  // c if keep else 0, without a branch: which arcs keep their capacity follows no pattern a
  // branch predictor could learn (on vision graphs about one arc in five is a terminal's).
  auto kept = [](Cap c, std::uint8_t keep) {
    if constexpr (std::is_integral_v<Cap>) {
      return static_cast<Cap>(c & -static_cast<Cap>(keep));
    } else {
      return c * static_cast<Cap>(keep);  // c is finite and >= 0
    }
  };
  auto fill_block = [&](node_id first, node_id last, int) {
    if (!directed) {
      // Flat over the arcs as if every tail were an ordinary node; then the terminals' lists.
      const std::uint8_t* keep_from_ordinary = keeps.data();
      for (arc_id a = g.first_out[first]; a < g.first_out[last]; ++a) {
        const Cap c = cap_of(a);
        arcs[a] = ResidualArc<Cap>{sister[a], kept(c, keep_from_ordinary[kind(g.head[a])])};
      }
      for (node_id x = first; x < last; ++x) {
        if (term[x] == terminal_kind::none) continue;
        const std::uint8_t* keep_from_x = keeps.data() + 3 * kind(x);
        for (arc_id a = g.begin(x); a < g.end(x); ++a)
          if (!keep_from_x[kind(g.head[a])]) arcs[a].residual = 0;
      }
      return;
    }
    for (node_id u = first; u < last; ++u) {
      const arc_id shift = layout.first_out[u] - g.first_out[u];
      const std::uint8_t* keep_from_u = keeps.data() + 3 * kind(u);
      for (arc_id a = g.begin(u); a < g.end(u); ++a) {
        const Cap c = cap_of(a);
        arcs[a + shift] =
            ResidualArc<Cap>{sister[a + shift], kept(c, keep_from_u[kind(g.head[a])])};
      }
      for (arc_id p = g.end(u) + shift; p < layout.first_out[u + 1]; ++p)
        arcs[p] = ResidualArc<Cap>{sister[p], Cap{0}};  // the reverses of the in-arcs
    }
  };

  // Pass 2 (folded form, independent of pass 1, so it runs beside it): the terminal edges'
  // capacities are summed into their nodes.
  net.direct_flow = 0;
  if (folded) {
    net.source_cap = ScratchArray<Cap>(static_cast<std::size_t>(n), 0);
    net.sink_cap = ScratchArray<Cap>(static_cast<std::size_t>(n), 0);
  } else {
    net.source_cap = {};
    net.sink_cap = {};
  }
  auto sum_terminals = [&] {
    for_each_terminal_edge(
        g, layout, directed, net.terminals, [&](node_id src, node_id dst, arc_id, arc_id csr_arc) {
          if (src == dst) return;
          const Cap c = cap_of(csr_arc);
          if (!(c > 0)) return;
          const auto cls = classify_edge(src, dst, term[src], term[dst], directed, folded);
          if (cls.role == edge_role::source_fold) {
            net.source_cap[cls.node] += c;
          } else if (cls.role == edge_role::sink_fold) {
            net.sink_cap[cls.node] += c;
          } else if (cls.role == edge_role::direct) {
            net.direct_flow += c;
          }
        });
  };
  run_pass(g, pass_threads(g, threads), fill_block, [&] {
    if (folded) sum_terminals();
  });
  for (const arc_id p : layout.loop_arcs) arcs[p].residual = 0;

  if (keep_capacity) {
    net.capacity = make_scratch_buffer<Cap>(static_cast<std::size_t>(m));
    for (arc_id p = 0; p < m; ++p) net.capacity[p] = arcs[p].residual;
  } else {
    net.capacity = nullptr;
  }
  if (folded) {
    net.terminal_residual = ScratchArray<Cap>(static_cast<std::size_t>(n));
    for (node_id v = 0; v < n; ++v) net.terminal_residual[v] = net.source_cap[v] - net.sink_cap[v];
  } else {
    net.terminal_residual = {};
  }
}

}  // namespace routecore
