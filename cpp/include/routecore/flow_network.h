// routecore/flow_network.h — the residual network every max-flow algorithm works on.
//
// Problem
//   Given a CSR graph (csr.h) with a capacity per arc, one or more sources and one or more sinks
//   (disjoint sets), build once per call the residual network that push-relabel, Boykov–Kolmogorov
//   and Dinic run on, and read the per-edge flows back out of it afterwards.
//
// Layout
//   Residual arcs are stored in CSR order of their tail (`first_out`, like csr.h), so the arcs of
//   a node are contiguous. Each input edge that can carry flow becomes a *pair* of residual arcs,
//   a and sister(a), one at each end:
//     directed edge u->v, capacity c        arc u->v with residual c, sister v->u with residual 0;
//     undirected edge {u,v}, capacity c     arc u->v with residual c, sister v->u with residual c
//                                           (a flow f >= 0 from u to v leaves c-f and c+f).
//   `capacity[a]` keeps the initial residual of every arc, so the flow along a is
//   capacity[a] - residual(a) (negative when the flow runs the other way).
//   Invariant kept by every algorithm: residual(a) >= 0 and
//   residual(a) + residual(sister(a)) == capacity[a] + capacity[sister(a)].
//
// What is dropped (the edge's flow is then 0; none of this changes the maximum flow value or the
// minimum cuts, because there is always a maximum flow without flow into a source, out of a sink,
// on a self-loop or on a zero-capacity edge):
//   self-loops, zero-capacity edges, edges between two sources or two sinks, directed edges into
//   a source or out of a sink. An undirected edge with a source (or sink) end is kept one-way,
//   away from the source (towards the sink).
//
// Terminal forms
//   explicit   sources and sinks are ordinary nodes with their arcs (push-relabel, Dinic).
//   folded     arcs between a terminal and a non-terminal node are not stored; they are summed
//              into per-node `source_cap` / `sink_cap` (the "terminal capacities" of
//              Boykov–Kolmogorov), and source->sink edges are saturated up front
//              (`direct_flow`). Sources and sinks then have no arcs at all. After the solve,
//              `terminal_residual[v]` holds source_cap - sink_cap minus the flow routed through
//              v's terminal capacities (> 0: residual from the sources, < 0: towards the sinks).
//
// Integer capacities and overflow
//   With int64 capacities every quantity is exact. Let S be the total capacity of the kept arcs
//   leaving the sources and T the total entering the sinks; the flow value is at most B =
//   min(S, T). Capacities above B + 1 are clamped to B + 1 (no cut through such an edge can be
//   minimal, and no flow on it can exceed B, so neither the value, the minimum cuts, nor the
//   certificate change). The build refuses (status `overflow`) when B, or a clamped S or T,
//   exceeds 2^61: then excesses (at most S), residuals of undirected arcs (up to twice a
//   capacity, 2^62 + 2) and the value are guaranteed to fit in int64 with room to spare.
//   Double capacities are not clamped; a non-finite total
//   is reported the same way.
//
// Complexity: two passes over the arcs, O(num_nodes + num_arcs) time; memory per residual arc is
// 16 bytes (head, sister, residual) plus 8 (capacity), plus 4 bytes per input edge.
#pragma once

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <type_traits>
#include <vector>

#include "routecore/csr.h"

namespace routecore {

enum class terminal_kind : std::uint8_t { none = 0, source = 1, sink = 2 };

// One residual arc. 16 bytes for both capacity types, so scanning a node's arcs touches one
// cache line per four arcs.
template <class Cap>
struct ResidualArc {
  node_id head;
  arc_id sister;  // the paired arc in the opposite direction, stored at `head`
  Cap residual;
};

// Sentinels in FlowNetwork::edge_arc.
inline constexpr arc_id no_residual_arc = -1;      // the edge carries no flow (dropped above)
inline constexpr arc_id folded_terminal_arc = -2;  // the edge was folded into terminal caps

enum class build_status : std::uint8_t { ok, overflow };

template <class Cap>
struct FlowNetwork {
  static_assert(std::is_same_v<Cap, std::int64_t> || std::is_same_v<Cap, double>);

  node_id num_nodes = 0;
  bool folded = false;
  std::vector<arc_id> first_out;        // num_nodes + 1; arcs of v: first_out[v] .. [v+1]-1
  std::vector<ResidualArc<Cap>> arcs;   // residual state
  std::vector<Cap> capacity;            // initial residual of each arc
  std::vector<terminal_kind> terminal;  // per node
  std::vector<node_id> sources, sinks;  // without duplicates
  // Per input edge: the residual arc in the edge's src -> dst direction, or a sentinel.
  std::vector<arc_id> edge_arc;
  // Folded form only (empty otherwise).
  std::vector<Cap> source_cap, sink_cap, terminal_residual;
  Cap direct_flow = 0;  // flow of source -> sink edges, saturated when folding

  // Capacity totals found by the build (for the overflow report) and the clamp applied.
  double source_total = 0, sink_total = 0;
  Cap clamp = std::numeric_limits<Cap>::max();

  arc_id begin(node_id v) const { return first_out[v]; }
  arc_id end(node_id v) const { return first_out[v + 1]; }
  bool is_terminal(node_id v) const { return terminal[v] != terminal_kind::none; }
};

namespace detail {

// How one input edge enters the residual network.
enum class edge_role : std::uint8_t {
  drop,         // carries no flow
  forward,      // arc src->dst with the capacity, sister with 0
  backward,     // arc dst->src with the capacity, sister with 0 (undirected, dst is a source...)
  both,         // undirected between non-terminals: both arcs get the capacity
  source_fold,  // folded form: capacity from the sources to `node`
  sink_fold,    // folded form: capacity from `node` to the sinks
  direct,       // folded form: a source -> sink edge
};

struct EdgeClass {
  edge_role role;
  node_id node;  // the non-terminal end for source_fold / sink_fold
};

inline EdgeClass classify_edge(node_id u, node_id v, terminal_kind tu, terminal_kind tv,
                               bool directed, bool folded) {
  using T = terminal_kind;
  if (u == v) return {edge_role::drop, u};
  if (tu == tv && tu != T::none) return {edge_role::drop, u};   // source-source, sink-sink
  bool fwd_ok = tv != T::source && tu != T::sink;               // u->v can be useful
  bool bwd_ok = !directed && tu != T::source && tv != T::sink;  // v->u can be useful
  if (!fwd_ok && !bwd_ok) return {edge_role::drop, u};
  if (fwd_ok && bwd_ok) return {edge_role::both, u};  // neither end is a terminal
  // Exactly one direction is useful, so one end is a terminal.
  const node_id tail = fwd_ok ? u : v;
  const node_id head = fwd_ok ? v : u;
  const T t_tail = fwd_ok ? tu : tv;
  const T t_head = fwd_ok ? tv : tu;
  if (folded) {
    if (t_tail == T::source && t_head == T::sink) return {edge_role::direct, tail};
    if (t_tail == T::source) return {edge_role::source_fold, head};
    if (t_head == T::sink) return {edge_role::sink_fold, tail};
  }
  return {fwd_ok ? edge_role::forward : edge_role::backward, tail};
}

inline bool tail_is_source_side(edge_role r) {
  return r == edge_role::source_fold || r == edge_role::direct;
}

// a + b for non-negative totals, saturating at the largest finite value (doubles are summed
// plainly; an infinite total is reported as overflow).
template <class Cap>
Cap add_total(Cap a, Cap b) {
  if constexpr (std::is_integral_v<Cap>) {
    Cap r;
    if (__builtin_add_overflow(a, b, &r)) return std::numeric_limits<Cap>::max();
    return r;
  } else {
    return a + b;
  }
}

}  // namespace detail

// Largest total (flow value bound) accepted with int64 capacities: 2^61.
inline constexpr std::int64_t max_int_flow_total = std::int64_t{1} << 61;

// Builds the residual network. `arc_capacity` is in CSR arc order (the caller's per-arc array);
// only forward arcs (arc_edge >= 0) are read, so an undirected edge contributes once.
// `sources` and `sinks` must be valid, disjoint node ids (duplicates allowed).
// Returns build_status::overflow (and an unusable network) when the totals do not fit, see the
// header comment.
template <class Cap>
build_status build_flow_network(const CsrView& g, std::span<const Cap> arc_capacity, bool directed,
                                edge_id num_edges, std::span<const node_id> sources,
                                std::span<const node_id> sinks, bool folded,
                                FlowNetwork<Cap>& net) {
  using detail::edge_role;
  const node_id n = g.num_nodes;
  net.num_nodes = n;
  net.folded = folded;
  net.terminal.assign(n, terminal_kind::none);
  net.sources.clear();
  net.sinks.clear();
  for (node_id s : sources) {
    if (net.terminal[s] == terminal_kind::none) net.sources.push_back(s);
    net.terminal[s] = terminal_kind::source;
  }
  for (node_id t : sinks) {
    assert(net.terminal[t] != terminal_kind::source);
    if (net.terminal[t] == terminal_kind::none) net.sinks.push_back(t);
    net.terminal[t] = terminal_kind::sink;
  }

  // Pass 1: degrees in the residual network and the capacity totals at the terminals.
  std::vector<arc_id> degree(static_cast<std::size_t>(n) + 1, 0);
  Cap source_total = 0, sink_total = 0;
  for (node_id u = 0; u < n; ++u) {
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      if (!is_forward(g.arc_edge[a])) continue;
      const Cap c = arc_capacity[a];
      if (c <= 0) continue;
      const node_id v = g.head[a];
      const auto cls =
          detail::classify_edge(u, v, net.terminal[u], net.terminal[v], directed, folded);
      switch (cls.role) {
        case edge_role::drop:
          continue;
        case edge_role::source_fold:
          source_total = detail::add_total(source_total, c);
          continue;
        case edge_role::sink_fold:
          sink_total = detail::add_total(sink_total, c);
          continue;
        case edge_role::direct:
          source_total = detail::add_total(source_total, c);
          sink_total = detail::add_total(sink_total, c);
          continue;
        default:
          break;
      }
      ++degree[u];
      ++degree[v];
      const node_id tail = cls.role == edge_role::backward ? v : u;
      const node_id head = cls.role == edge_role::backward ? u : v;
      if (net.terminal[tail] == terminal_kind::source)
        source_total = detail::add_total(source_total, c);
      if (net.terminal[head] == terminal_kind::sink) sink_total = detail::add_total(sink_total, c);
    }
  }
  net.source_total = static_cast<double>(source_total);
  net.sink_total = static_cast<double>(sink_total);

  // Overflow check and clamp (see the header comment).
  Cap clamp = std::numeric_limits<Cap>::max();
  if constexpr (std::is_integral_v<Cap>) {
    const Cap bound = std::min(source_total, sink_total);
    if (bound > max_int_flow_total) return build_status::overflow;
    clamp = bound + 1;
    if (source_total > clamp || sink_total > clamp) {
      // Recompute the totals with clamped capacities; refuse if they still do not fit.
      Cap s2 = 0, t2 = 0;
      for (node_id u = 0; u < n; ++u) {
        for (arc_id a = g.begin(u); a < g.end(u); ++a) {
          if (!is_forward(g.arc_edge[a]) || arc_capacity[a] <= 0) continue;
          const node_id v = g.head[a];
          const auto cls =
              detail::classify_edge(u, v, net.terminal[u], net.terminal[v], directed, folded);
          if (cls.role == edge_role::drop) continue;
          const Cap c = std::min(arc_capacity[a], clamp);
          const bool back = cls.role == edge_role::backward;
          const node_id tail = back ? v : u;
          const node_id head = back ? u : v;
          if (detail::tail_is_source_side(cls.role) || net.terminal[tail] == terminal_kind::source)
            s2 = detail::add_total(s2, c);
          if (cls.role == edge_role::sink_fold || cls.role == edge_role::direct ||
              net.terminal[head] == terminal_kind::sink)
            t2 = detail::add_total(t2, c);
        }
      }
      if (s2 > max_int_flow_total || t2 > max_int_flow_total) return build_status::overflow;
    }
  } else {
    if (!std::isfinite(source_total) || !std::isfinite(sink_total)) return build_status::overflow;
  }
  net.clamp = clamp;

  // Prefix sums; `degree` becomes the next free slot of each node.
  net.first_out.assign(static_cast<std::size_t>(n) + 1, 0);
  for (node_id v = 0; v < n; ++v) net.first_out[v + 1] = net.first_out[v] + degree[v];
  const arc_id num_arcs = net.first_out[n];
  std::copy(net.first_out.begin(), net.first_out.end() - 1, degree.begin());
  net.arcs.resize(static_cast<std::size_t>(num_arcs));
  net.capacity.resize(static_cast<std::size_t>(num_arcs));
  net.edge_arc.assign(static_cast<std::size_t>(num_edges), no_residual_arc);
  net.direct_flow = 0;
  if (folded) {
    net.source_cap.assign(n, 0);
    net.sink_cap.assign(n, 0);
  } else {
    net.source_cap.clear();
    net.sink_cap.clear();
  }

  // Pass 2: fill the arc pairs.
  for (node_id u = 0; u < n; ++u) {
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      const edge_id e = g.arc_edge[a];
      if (!is_forward(e)) continue;
      if (arc_capacity[a] <= 0) continue;
      const Cap c = std::min(arc_capacity[a], clamp);
      const node_id v = g.head[a];
      const auto cls =
          detail::classify_edge(u, v, net.terminal[u], net.terminal[v], directed, folded);
      switch (cls.role) {
        case edge_role::drop:
          continue;
        case edge_role::source_fold:
          net.source_cap[cls.node] += c;
          net.edge_arc[e] = folded_terminal_arc;
          continue;
        case edge_role::sink_fold:
          net.sink_cap[cls.node] += c;
          net.edge_arc[e] = folded_terminal_arc;
          continue;
        case edge_role::direct:
          net.direct_flow += c;
          net.edge_arc[e] = folded_terminal_arc;
          continue;
        default:
          break;
      }
      const arc_id at_u = degree[u]++;
      const arc_id at_v = degree[v]++;
      const Cap cap_u = cls.role == edge_role::backward ? 0 : c;
      const Cap cap_v = cls.role == edge_role::forward ? 0 : c;
      net.arcs[at_u] = ResidualArc<Cap>{v, at_v, cap_u};
      net.arcs[at_v] = ResidualArc<Cap>{u, at_u, cap_v};
      net.capacity[at_u] = cap_u;
      net.capacity[at_v] = cap_v;
      net.edge_arc[e] = at_u;  // always the src -> dst arc
    }
  }
  if (folded) {
    net.terminal_residual.resize(n);
    for (node_id v = 0; v < n; ++v) net.terminal_residual[v] = net.source_cap[v] - net.sink_cap[v];
  } else {
    net.terminal_residual.clear();
  }
  return build_status::ok;
}

// The flow along arc a, read from the residuals. When one of the pair is exactly saturated the
// flow is taken to be exactly its capacity, so for double capacities a saturated cut arc reports
// flow == capacity without rounding noise; the result is clamped to the capacity bounds.
template <class Cap>
Cap arc_flow(const FlowNetwork<Cap>& net, arc_id a) {
  const arc_id s = net.arcs[a].sister;
  const Cap cap_a = net.capacity[a];
  const Cap cap_s = net.capacity[s];
  if (net.arcs[a].residual == 0) return cap_a;
  if (net.arcs[s].residual == 0) return -cap_s;
  return std::clamp<Cap>(cap_a - net.arcs[a].residual, -cap_s, cap_a);
}

// Writes the flow of every input edge (in the src -> dst direction) into `edge_flow`
// (num_edges entries). In the folded form the flow through each node's terminal capacities is
// split over that node's terminal edges in CSR order, each up to its capacity; when the node's
// terminal residual on that side is zero, every such edge is exactly saturated (so double
// capacities report cut edges without rounding noise).
template <class Cap>
void extract_edge_flow(const FlowNetwork<Cap>& net, const CsrView& g,
                       std::span<const Cap> arc_capacity, bool directed, std::span<Cap> edge_flow) {
  std::vector<Cap> from_sources, to_sinks;
  if (net.folded) {
    from_sources.resize(net.num_nodes);
    to_sinks.resize(net.num_nodes);
    for (node_id v = 0; v < net.num_nodes; ++v) {
      const Cap r = net.terminal_residual[v];
      from_sources[v] = net.source_cap[v] - std::max<Cap>(r, 0);
      to_sinks[v] = net.sink_cap[v] - std::max<Cap>(-r, 0);
    }
  }
  for (node_id u = 0; u < g.num_nodes; ++u) {
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      const edge_id e = g.arc_edge[a];
      if (!is_forward(e)) continue;
      const arc_id r = net.edge_arc[e];
      if (r >= 0) {
        edge_flow[e] = arc_flow(net, r);
        continue;
      }
      if (r == no_residual_arc) {
        edge_flow[e] = 0;
        continue;
      }
      const node_id v = g.head[a];
      const Cap c = std::min(arc_capacity[a], net.clamp);
      const auto cls = detail::classify_edge(u, v, net.terminal[u], net.terminal[v], directed,
                                             /*folded=*/true);
      // Which way the folded edge runs relative to src -> dst.
      const bool reversed =
          net.terminal[u] != terminal_kind::source && net.terminal[v] != terminal_kind::sink;
      Cap f = c;
      if (cls.role == detail::edge_role::source_fold) {
        if (net.terminal_residual[cls.node] > 0) {
          f = std::min(c, from_sources[cls.node]);
          from_sources[cls.node] -= f;
        }
      } else if (cls.role == detail::edge_role::sink_fold) {
        if (net.terminal_residual[cls.node] < 0) {
          f = std::min(c, to_sinks[cls.node]);
          to_sinks[cls.node] -= f;
        }
      } else {
        assert(cls.role == detail::edge_role::direct);
      }
      edge_flow[e] = reversed ? -f : f;
    }
  }
}

}  // namespace routecore
