// The internal numbering of renumber.h and its use by shortest_path_lengths (shortest_paths.h):
// on random multigraphs (parallel arcs, self-loops, zero weights, isolated nodes), new_id and
// old_id are inverse permutations, the renumbered CSR holds exactly the user's arcs (same
// edge ids, heads mapped, old_arc a bijection onto the user's arcs of the same node), and
// distances searched in internal ids and mapped back are bit-equal to the plain search's, with
// and without weights, blocked nodes, a length limit and threads. choose_renumbering declines
// graphs that fit in cache, grids numbered row by row and Erdős–Rényi graphs, and accepts a
// ring lattice whose ids were shuffled.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <optional>
#include <random>
#include <vector>

#include "check.h"
#include "routecore/csr.h"
#include "routecore/parallel.h"
#include "routecore/renumber.h"
#include "routecore/shortest_paths.h"

namespace {

using routecore::arc_id;
using routecore::edge_id;
using routecore::node_id;
using routecore::testing::check;

struct Graph {
  routecore::Csr csr;
  std::vector<double> weight;  // per arc
};

Graph make(node_id n, const std::vector<node_id>& src, const std::vector<node_id>& dst,
           const std::vector<double>& edge_weight, bool directed) {
  const auto m = static_cast<arc_id>(src.size() * (directed ? 1 : 2));
  Graph g;
  g.csr.first_out.resize(static_cast<std::size_t>(n) + 1);
  g.csr.head.resize(static_cast<std::size_t>(m));
  g.csr.arc_edge.resize(static_cast<std::size_t>(m));
  g.weight.resize(static_cast<std::size_t>(m));
  const routecore::ArcValues values{edge_weight, g.weight};
  routecore::build_csr(n, src, dst, directed, g.csr.first_out, g.csr.head, g.csr.arc_edge,
                       std::span(&values, 1));
  return g;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void check_structure(const Graph& g, const routecore::Renumbering& r, int trial) {
  const routecore::CsrView v = g.csr.view();
  const auto n = static_cast<std::size_t>(v.num_nodes);
  bool ok = r.new_id.size() == n && r.old_id.size() == n && r.view().num_arcs == v.num_arcs;
  for (std::size_t x = 0; ok && x < n; ++x) {
    ok = r.old_id[x] >= 0 && static_cast<std::size_t>(r.old_id[x]) < n &&
         r.new_id[static_cast<std::size_t>(r.old_id[x])] == static_cast<node_id>(x);
  }
  check(ok, "new_id and old_id are inverse permutations", trial);
  if (!ok) return;
  std::vector<int> seen(static_cast<std::size_t>(v.num_arcs), 0);
  for (std::size_t x = 0; x < n; ++x) {
    const node_id u = r.old_id[x];
    ok = ok && r.first_out[x + 1] - r.first_out[x] == v.out_degree(u);
    for (arc_id a = r.first_out[x]; ok && a < r.first_out[x + 1]; ++a) {
      const auto i = static_cast<std::size_t>(a);
      const arc_id o = r.old_arc[i];
      ok = o >= v.begin(u) && o < v.end(u) && seen[static_cast<std::size_t>(o)]++ == 0 &&
           r.head[i] == r.new_id[static_cast<std::size_t>(v.head[o])] &&
           r.arc_edge[i] == v.arc_edge[o] &&
           (r.weight.empty() || r.weight[i] == g.weight[static_cast<std::size_t>(o)]);
    }
  }
  check(ok, "the renumbered CSR holds the user's arcs", trial);
}

// Distances from `sources` on g, plainly and through the renumbering, bit for bit.
void check_distances(const Graph& g, const routecore::Renumbering& r,
                     const std::vector<node_id>& sources, const std::uint8_t* blocked,
                     double max_length, bool weighted, int threads, int trial) {
  const routecore::Cancel cancel;
  const auto n = static_cast<std::size_t>(g.csr.view().num_nodes);
  std::vector<double> plain(sources.size() * n);
  std::vector<double> mapped(sources.size() * n);
  const double* w = weighted ? g.weight.data() : nullptr;
  const double* rw = weighted ? r.weight.data() : nullptr;
  const routecore::NodeMap map{r.new_id.data(), r.old_id.data()};
  const bool a = routecore::shortest_path_lengths(g.csr.view(), w, sources, blocked, max_length,
                                                  threads, plain.data(), cancel);
  const bool b =
      routecore::shortest_path_lengths(r.view(), rw, sources, blocked, max_length, threads,
                                       mapped.data(), cancel, std::nullopt, std::nullopt, &map);
  check(a && b && same_bits(plain, mapped), "renumbered distances bit-equal", trial);
}

void random_graphs() {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 400; ++trial) {
    const node_id n = 1 + static_cast<node_id>(rng() % 60);
    const std::size_t m = rng() % (4 * static_cast<std::size_t>(n) + 1);
    const bool directed = rng() % 2 == 0;
    std::vector<node_id> src(m);
    std::vector<node_id> dst(m);
    std::vector<double> weight(m);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (std::size_t e = 0; e < m; ++e) {
      src[e] = static_cast<node_id>(rng() % static_cast<std::uint64_t>(n));
      dst[e] = static_cast<node_id>(rng() % static_cast<std::uint64_t>(n));
      weight[e] = rng() % 5 == 0 ? 0.0 : unit(rng) * 10.0;
    }
    const Graph g = make(n, src, dst, weight, directed);
    const std::optional<routecore::Renumbering> r =
        routecore::choose_renumbering(g.csr.view(), g.weight.data(), true);
    check(r.has_value(), "force renumbers", trial);
    if (!r) continue;
    check_structure(g, *r, trial);
    std::vector<node_id> sources(1 + rng() % 3);
    for (node_id& s : sources) s = static_cast<node_id>(rng() % static_cast<std::uint64_t>(n));
    std::vector<std::uint8_t> blocked(static_cast<std::size_t>(n), 0);
    for (auto& b : blocked) b = rng() % 6 == 0 ? 1 : 0;
    for (const node_id s : sources) blocked[static_cast<std::size_t>(s)] = 0;
    const double limit = rng() % 3 == 0 ? unit(rng) * 15.0 : routecore::unreachable;
    const int threads = 1 + static_cast<int>(rng() % 2);
    check_distances(g, *r, sources, nullptr, limit, true, threads, trial);
    check_distances(g, *r, sources, blocked.data(), limit, true, threads, trial);
    check_distances(g, *r, sources, blocked.data(), limit, false, threads, trial);
  }
}

// The rule on graphs large enough to leave the cache.
void rule() {
  std::mt19937_64 rng(5);
  const node_id side = 300;
  const node_id n = side * side;
  std::vector<node_id> src;
  std::vector<node_id> dst;
  for (node_id i = 0; i < side; ++i) {
    for (node_id j = 0; j + 1 < side; ++j) {
      src.push_back(i * side + j);
      dst.push_back(i * side + j + 1);
      src.push_back(j * side + i);
      dst.push_back((j + 1) * side + i);
    }
  }
  std::vector<double> weight(src.size(), 1.0);
  const Graph grid = make(n, src, dst, weight, false);
  check(!routecore::choose_renumbering(grid.csr.view(), nullptr, false).has_value(),
        "a grid numbered row by row is not renumbered");
  // The same grid with shuffled ids: breadth-first order recovers its locality.
  std::vector<node_id> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), rng);
  std::vector<node_id> s2(src.size());
  std::vector<node_id> d2(src.size());
  for (std::size_t e = 0; e < src.size(); ++e) {
    s2[e] = perm[static_cast<std::size_t>(src[e])];
    d2[e] = perm[static_cast<std::size_t>(dst[e])];
  }
  const Graph shuffled = make(n, s2, d2, weight, false);
  const auto r = routecore::choose_renumbering(shuffled.csr.view(), shuffled.weight.data(), false);
  check(r.has_value(), "a grid with shuffled ids is renumbered");
  if (r) {
    check_structure(shuffled, *r, -1);
    check_distances(shuffled, *r, {0, 17}, nullptr, routecore::unreachable, true, 2, -1);
  }
  // Erdős–Rényi: no locality to recover.
  std::vector<node_id> s3(4 * static_cast<std::size_t>(n));
  std::vector<node_id> d3(s3.size());
  for (std::size_t e = 0; e < s3.size(); ++e) {
    s3[e] = static_cast<node_id>(rng() % static_cast<std::uint64_t>(n));
    d3[e] = static_cast<node_id>(rng() % static_cast<std::uint64_t>(n));
  }
  const Graph er = make(n, s3, d3, std::vector<double>(s3.size(), 1.0), true);
  check(!routecore::choose_renumbering(er.csr.view(), nullptr, false).has_value(),
        "an Erdos-Renyi graph is not renumbered");
  // A small graph stays as it is, whatever its ids.
  const Graph small = make(100, std::vector<node_id>(s2.begin(), s2.begin() + 0), {}, {}, true);
  check(!routecore::choose_renumbering(small.csr.view(), nullptr, false).has_value(),
        "a graph that fits in cache is not renumbered");
}

}  // namespace

int main() {
  random_graphs();
  rule();
  return routecore::testing::report("test_renumber");
}
