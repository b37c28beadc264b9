// k shortest paths (k_shortest_paths.h) and disjoint paths (disjoint_paths.h) against brute
// force on small random multigraphs (parallel edges, self-loops, zero weights, both directed and
// undirected): the k lengths equal the k smallest of all loopless paths listed by a DFS, every
// path is loopless and distinct; the edge-disjoint pair's total equals the best pair of
// edge-disjoint loopless paths.
#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "check.h"
#include "routecore/csr.h"
#include "routecore/disjoint_paths.h"
#include "routecore/k_shortest_paths.h"
#include "routecore/parallel.h"

namespace {

using routecore::arc_id;
using routecore::edge_id;
using routecore::node_id;
using routecore::testing::check;

struct Graph {
  std::vector<arc_id> first_out, r_first_out;
  std::vector<node_id> head, r_head;
  std::vector<edge_id> arc_edge, r_arc_edge;
  std::vector<double> weight, r_weight;
  routecore::CsrView view() const {
    return {static_cast<node_id>(first_out.size() - 1), static_cast<arc_id>(head.size()),
            first_out.data(), head.data(), arc_edge.data()};
  }
  routecore::CsrView reverse() const {
    return {static_cast<node_id>(r_first_out.size() - 1), static_cast<arc_id>(r_head.size()),
            r_first_out.data(), r_head.data(), r_arc_edge.data()};
  }
};

Graph make(node_id n, const std::vector<node_id>& src, const std::vector<node_id>& dst,
           const std::vector<double>& w, bool directed) {
  Graph g;
  const std::size_t arcs = src.size() * (directed ? 1 : 2);
  g.first_out.resize(static_cast<std::size_t>(n) + 1);
  g.head.resize(arcs);
  g.arc_edge.resize(arcs);
  g.weight.resize(arcs);
  const routecore::ArcValues values[] = {{w, g.weight}};
  routecore::build_csr(n, src, dst, directed, g.first_out, g.head, g.arc_edge, values);
  g.r_first_out.resize(g.first_out.size());
  g.r_head.resize(arcs);
  g.r_arc_edge.resize(arcs);
  routecore::build_reverse_csr(g.view(), g.r_first_out, g.r_head, g.r_arc_edge);
  g.r_weight.resize(arcs);
  for (std::size_t a = 0; a < arcs; ++a)
    g.r_weight[a] = w[static_cast<std::size_t>(routecore::edge_of(g.r_arc_edge[a]))];
  return g;
}

// Every loopless s-t path as (length, arcs).
void all_paths(const Graph& g, node_id u, node_id t, std::vector<bool>& on, double len,
               std::vector<arc_id>& arcs,
               std::vector<std::pair<double, std::vector<arc_id>>>& out) {
  if (u == t) {
    out.emplace_back(len, arcs);
    return;
  }
  for (arc_id a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
    const node_id v = g.head[a];
    if (on[v]) continue;
    on[v] = true;
    arcs.push_back(a);
    all_paths(g, v, t, on, len + g.weight[a], arcs, out);
    arcs.pop_back();
    on[v] = false;
  }
}

}  // namespace

int main() {
  std::mt19937 rng(13);
  routecore::Cancel cancel;
  for (int trial = 0; trial < 400; ++trial) {
    const node_id n = 2 + static_cast<node_id>(rng() % 6);
    const int m = static_cast<int>(rng() % 14);
    const bool directed = rng() % 2 == 0;
    std::vector<node_id> src, dst;
    std::vector<double> w;
    for (int e = 0; e < m; ++e) {
      src.push_back(static_cast<node_id>(rng() % static_cast<unsigned>(n)));
      dst.push_back(static_cast<node_id>(rng() % static_cast<unsigned>(n)));
      w.push_back(static_cast<double>(rng() % 4));  // many ties and zeros
    }
    const Graph g = make(n, src, dst, w, directed);
    const node_id s = 0;
    const node_id t = n - 1;
    std::vector<std::pair<double, std::vector<arc_id>>> every;
    std::vector<bool> on(static_cast<std::size_t>(n), false);
    on[s] = true;
    std::vector<arc_id> arcs;
    all_paths(g, s, t, on, 0.0, arcs, every);
    std::sort(every.begin(), every.end());
    const routecore::ArcWeights aw{g.weight.data()};
    const routecore::ArcWeights rw{g.r_weight.data()};
    routecore::KShortestPaths<routecore::ArcWeights> ksp(g.view(), aw, g.reverse(), rw, nullptr);
    const auto k = static_cast<std::int64_t>(1 + rng() % 12);
    std::vector<routecore::PathResult> got;
    check(ksp.run(s, t, k, routecore::unreachable, got, cancel), "k paths cancelled", trial);
    const std::size_t want = std::min(every.size(), static_cast<std::size_t>(k));
    check(got.size() == want, "k paths: wrong count", trial);
    std::set<std::vector<edge_id>> seen;
    for (std::size_t i = 0; i < std::min(got.size(), want); ++i) {
      check(got[i].length == every[i].first, "k paths: wrong length", trial);
      std::vector<node_id> nodes = got[i].nodes;
      std::sort(nodes.begin(), nodes.end());
      check(std::adjacent_find(nodes.begin(), nodes.end()) == nodes.end(), "a loop", trial);
      check(seen.insert(got[i].edges).second, "listed twice", trial);
    }
    // Edge-disjoint pair against the best pair of loopless paths sharing no edge.
    double best = routecore::unreachable;
    for (std::size_t i = 0; i < every.size(); ++i) {
      for (std::size_t j = i + 1; j < every.size(); ++j) {
        std::set<edge_id> used;
        bool clash = false;
        for (const arc_id a : every[i].second) used.insert(routecore::edge_of(g.arc_edge[a]));
        for (const arc_id a : every[j].second)
          clash |= used.count(routecore::edge_of(g.arc_edge[a])) > 0;
        if (!clash) best = std::min(best, every[i].first + every[j].first);
      }
    }
    std::vector<routecore::PathResult> pair;
    check(routecore::disjoint_paths(g.view(), aw, s, t, 2, false, pair, cancel), "cancelled",
          trial);
    if (best < routecore::unreachable) {
      check(pair.size() == 2 && pair[0].length + pair[1].length == best, "disjoint: not optimal",
            trial);
    } else {
      check(pair.size() < 2, "disjoint: a pair where none exists", trial);
    }
  }
  return routecore::testing::report("test_k_paths");
}
