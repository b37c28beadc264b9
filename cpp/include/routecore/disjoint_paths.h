// routecore/disjoint_paths.h — k edge- or node-disjoint source-target paths of minimum total
// length.
//
// Problem
//   Given a CSR graph with non-negative arc weights, a source s != t and k >= 1, find k paths
//   from s to t that share no edge (edge mode) or no node other than s and t (node mode) and
//   whose total length is minimal. This is a min-cost flow of k units with unit capacities: on
//   every edge (edge mode), or on every node but s and t (node mode, by node splitting: v
//   becomes v_in -> v_out with capacity 1, and an arc u -> v becomes u_out -> v_in). If fewer
//   than k such paths exist, the largest possible number is returned, again of minimum total
//   length.
//
// Input assumptions (validated by the Python layer)
//   Weights >= 0 (+inf closes an arc); s, t in range and distinct. Parallel edges, self-loops
//   (never used), zero weights and undirected graphs (an edge usable in either direction, by
//   one path) are fine.
//
// Method: successive shortest paths with potentials (Suurballe & Tarjan, generalised to k)
//   Round r runs Dijkstra from s on the residual network with reduced costs
//   c(u, v) + pi(u) - pi(v) >= 0, stopping when t is settled, adds one unit along the path and
//   raises pi by min(d(v), d(t)). With k = 2 this is Suurballe's algorithm. The flow is then
//   decomposed into paths: an undirected edge carrying flow both ways (possible only through
//   zero-weight edges) has both units cancelled, and a walk from s along unused flow arcs,
//   taken in CSR order, cuts out any cycle it closes (zero-weight cycles), so every path is
//   simple and the total equals the flow's cost.
//
// Invariants
//   After each round the flow is a min-cost flow of its value and every residual arc has a
//   non-negative reduced cost (rounding clamped at 0: float weights make the total exact up to
//   rounding, see the tests' tolerance). Capacities stay in {0, 1}.
//
// Complexity
//   O(k (n + m) log n) time for k rounds, O(n + m) memory for the residual network (twice the
//   nodes and n more arc pairs in node mode). Cancellation is polled every 1024 settled nodes.
//
// References
//   J. W. Suurballe, "Disjoint paths in a network", Networks 4 (1974).
//   J. W. Suurballe, R. E. Tarjan, "A quick method for finding shortest pairs of disjoint
//   paths", Networks 14 (1984).
//   R. K. Ahuja, T. L. Magnanti, J. B. Orlin, "Network Flows" (1993), ch. 9 (successive
//   shortest paths).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "routecore/csr.h"
#include "routecore/heap.h"
#include "routecore/parallel.h"
#include "routecore/path_common.h"

namespace routecore {

// Writes the paths found (at most k) to `out`. Returns false if cancelled (output unspecified).
template <class Weights>
bool disjoint_paths(const CsrView& g, Weights w, node_id s, node_id t, std::int32_t k,
                    bool node_disjoint, std::vector<PathResult>& out, const Cancel& cancel) {
  out.clear();
  const node_id n = g.num_nodes;
  const node_id nr = node_disjoint ? 2 * n : n;  // residual nodes: v_in = v, v_out = v + n
  auto in = [](node_id v) { return v; };
  auto out_of = [&](node_id v) { return node_disjoint ? v + n : v; };
  // Residual arc pairs: 2j forward (capacity 1), 2j + 1 backward (capacity 0).
  std::vector<node_id> head;
  std::vector<double> cost;
  std::vector<std::int8_t> cap;
  std::vector<arc_id> orig;  // the CSR arc of pair j, -1 for a node's split arc
  std::vector<node_id> tail;
  auto add = [&](node_id u, node_id v, double c, arc_id a) {
    tail.push_back(u);
    head.push_back(v);
    cost.push_back(c);
    cap.push_back(1);
    tail.push_back(v);
    head.push_back(u);
    cost.push_back(-c);
    cap.push_back(0);
    orig.push_back(a);
  };
  for (node_id u = 0; u < n; ++u) {
    for (arc_id a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
      const node_id v = g.head[a];
      if (v == u || !(w(a) < unreachable) || v == s || u == t) continue;  // never on a path
      add(out_of(u), in(v), w(a), a);
    }
  }
  if (node_disjoint) {
    for (node_id v = 0; v < n; ++v) {
      if (v != s && v != t) add(in(v), out_of(v), 0.0, -1);
    }
  }
  const auto m = static_cast<arc_id>(head.size());
  // Adjacency of the residual network (arc ids grouped by tail, in creation order).
  std::vector<arc_id> first(static_cast<std::size_t>(nr) + 1, 0);
  for (const node_id u : tail) ++first[static_cast<std::size_t>(u) + 1];
  for (node_id u = 0; u < nr; ++u) first[u + 1] += first[u];
  std::vector<arc_id> adj(static_cast<std::size_t>(m));
  {
    std::vector<arc_id> fill(first.begin(), first.end() - 1);
    for (arc_id j = 0; j < m; ++j) adj[static_cast<std::size_t>(fill[tail[j]]++)] = j;
  }

  const node_id source = out_of(s);
  const node_id sink = in(t);
  std::vector<double> pi(static_cast<std::size_t>(nr), 0.0);
  std::vector<double> dist(static_cast<std::size_t>(nr));
  std::vector<arc_id> pred(static_cast<std::size_t>(nr), -1);
  QuaternaryHeap heap(nr);
  std::int32_t found = 0;
  std::uint32_t steps = 0;
  for (; found < k; ++found) {
    heap.reset_all();
    heap.push(source, 0.0);
    dist[static_cast<std::size_t>(source)] = 0.0;
    bool reached = false;
    while (!heap.empty()) {
      const QuaternaryHeap::Entry top = heap.pop();
      const node_id u = top.node;
      dist[static_cast<std::size_t>(u)] = top.key;
      if (u == sink) {
        reached = true;
        break;
      }
      if ((++steps & 1023U) == 0 && cancel.requested()) return false;
      for (arc_id i = first[u]; i < first[u + 1]; ++i) {
        const arc_id j = adj[static_cast<std::size_t>(i)];
        if (cap[static_cast<std::size_t>(j)] == 0) continue;
        const node_id v = head[static_cast<std::size_t>(j)];
        const double rc = std::max(0.0, cost[static_cast<std::size_t>(j)] + pi[u] - pi[v]);
        if (heap.relax(v, top.key + rc)) pred[static_cast<std::size_t>(v)] = j;
      }
    }
    if (!reached) break;
    const double dt = dist[static_cast<std::size_t>(sink)];
    for (node_id v = 0; v < nr; ++v) {
      const bool settled = heap.state(v) == QuaternaryHeap::done;
      pi[v] += settled ? std::min(dist[static_cast<std::size_t>(v)], dt) : dt;
    }
    for (node_id x = sink; x != source;) {
      const arc_id j = pred[static_cast<std::size_t>(x)];
      --cap[static_cast<std::size_t>(j)];
      ++cap[static_cast<std::size_t>(j ^ 1)];
      x = tail[static_cast<std::size_t>(j)];
    }
  }

  // Flow per CSR arc, with both-way flow on an undirected edge cancelled.
  std::vector<std::uint8_t> carries(static_cast<std::size_t>(g.num_arcs), 0);
  for (std::size_t p = 0; p < orig.size(); ++p) {
    if (orig[p] >= 0 && cap[2 * p] == 0) carries[static_cast<std::size_t>(orig[p])] = 1;
  }
  std::vector<arc_id> used;
  for (arc_id a = 0; a < g.num_arcs; ++a) {
    if (carries[static_cast<std::size_t>(a)] != 0) used.push_back(a);
  }
  for (const arc_id a : used) {
    if (is_forward(g.arc_edge[a])) continue;
    const edge_id e = edge_of(g.arc_edge[a]);
    // The forward arc of e leaves the backward arc's head; find it among that node's arcs.
    const node_id x = g.head[a];
    for (arc_id b = g.first_out[x]; b < g.first_out[x + 1]; ++b) {
      if (g.arc_edge[b] == e && carries[static_cast<std::size_t>(b)] != 0) {
        carries[static_cast<std::size_t>(a)] = 0;
        carries[static_cast<std::size_t>(b)] = 0;
        break;
      }
    }
  }
  std::vector<arc_id> next(static_cast<std::size_t>(n));  // per node: next arc to try
  for (node_id u = 0; u < n; ++u) next[u] = g.first_out[u];
  std::vector<std::int32_t> position(static_cast<std::size_t>(n), -1);  // index on the walk
  out.reserve(static_cast<std::size_t>(found));
  for (std::int32_t r = 0; r < found; ++r) {
    PathResult p;
    std::vector<arc_id> arcs;
    p.nodes.push_back(s);
    position[s] = 0;
    node_id x = s;
    while (x != t) {
      arc_id a = next[x];
      while (a < g.first_out[x + 1] && carries[static_cast<std::size_t>(a)] == 0) ++a;
      if (a == g.first_out[x + 1]) break;  // cannot happen: the flow is conserved
      carries[static_cast<std::size_t>(a)] = 0;
      next[x] = a + 1;
      const node_id v = g.head[a];
      if (position[v] >= 0) {  // a cycle closed at v: drop it
        const auto keep = static_cast<std::size_t>(position[v]) + 1;
        for (std::size_t i = keep; i < p.nodes.size(); ++i) position[p.nodes[i]] = -1;
        p.nodes.resize(keep);
        arcs.resize(keep - 1);
      } else {
        position[v] = static_cast<std::int32_t>(p.nodes.size());
        p.nodes.push_back(v);
        arcs.push_back(a);
      }
      x = v;
    }
    for (const node_id v : p.nodes) position[v] = -1;
    for (const arc_id a : arcs) {
      p.edges.push_back(edge_of(g.arc_edge[a]));
      p.length += w(a);
    }
    out.push_back(std::move(p));
  }
  return true;
}

}  // namespace routecore
