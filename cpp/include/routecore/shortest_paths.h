// routecore/shortest_paths.h — the batched entry points behind the Python API: many sources in
// parallel, and routes read off a shortest-path tree.
//
// shortest_path_lengths
//   Problem: the k x n matrix of distances from k sources. Rows are independent single-source
//   searches (dijkstra.h or dijkstra_buckets.h with weights, the queue picked by
//   choose_dijkstra_queue; bfs.h without weights), run by `threads` workers (parallel.h)
//   that each own one workspace, so no allocation happens per row and nothing is shared but the
//   read-only graph. With one worker, no blocked nodes and n <= 2^16 the weighted searches reuse
//   a per-thread workspace across calls (CachedDijkstra), so a small call allocates only its
//   output. out is row-major k x n; row i belongs to sources[i]. Results do not depend
//   on the thread count. Input as in dijkstra.h / bfs.h. Time O(k (n + m log n) / threads);
//   memory O(n) per worker. Returns false if cancelled (output then unspecified).
//   Renumbered graphs (renumber.h): with a NodeMap the graph (and weights) are in internal
//   ids while sources, blocked and out stay in the user's: sources and the blocked mask are
//   mapped in, each row is searched into a per-worker buffer and scattered back to the user's
//   ids (O(n) per row, O(n) more memory per worker). Lengths are bit-equal to those of the
//   unrenumbered search: each is the minimum over paths of the path's weights summed from the
//   source in path order, which no numbering changes.
//
// choose_renumbering
//   The rule deciding whether a graph gets an internal numbering (the Python layer builds it
//   once per Graph and passes it to every shortest_path_lengths call), all of it structural
//   and cheap:
//     1. not if the search data (16 bytes per node, 12 per arc) fit in `in_cache_bytes`: every
//        access hits the cache anyway and the mapping only costs;
//     2. not if the ids already have locality: locality(g, ids, renumber_window) >=
//        renumber_min_locality (grids numbered row by row: every arc within one row);
//     3. not if the graph expands (renumber.h's expands: a breadth-first level of more than
//        renumber_window nodes among the first 4 windows reached): Erdős–Rényi and power-law
//        graphs, where a node's neighbours are spread over the whole graph whatever the
//        numbering;
//     4. else the breadth-first order (renumber.h) is computed and kept only if it recovers
//        locality: the same statistic in the new ids >= renumber_min_locality (kNN graphs of
//        random points, grids with shuffled ids: yes).
//   Cost: two sampled passes over <= 1024 nodes' arcs and a search of <= 4 windows of nodes
//   (a fraction of one Dijkstra search) for graphs that reach step 3, two breadth-first
//   sweeps for graphs that reach step 4, and O(n + m) for the new CSR when accepted (in all
//   about three searches' time, once per graph). Measurements in docs/performance-sssp.md.
//
// tree_routes
//   Problem: the routes of many nodes through a shortest-path tree given as parent[] and
//   pred_edge[] (dijkstra.h `nearest`), in one pass, without a search per node.
//   Output: route i is edges[offsets[i] .. offsets[i+1]) — for a forward tree (rooted at the
//   sources, arcs pointing away from them) in root-to-node order, for a reverse tree (searched on
//   the reversed graph, so parent[] leads towards the root along the graph's arcs) in
//   node-to-root order: in both cases the order of travel. A root or unreachable node has an
//   empty route. The nodes visited come with them (see below). Time and memory
//   O(k + total route length).
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "routecore/bfs.h"
#include "routecore/csr.h"
#include "routecore/dijkstra.h"
#include "routecore/dijkstra_buckets.h"
#include "routecore/parallel.h"
#include "routecore/path_common.h"
#include "routecore/renumber.h"

namespace routecore {

// Whether a strided sample of up to 1024 arc weights are all whole numbers. Only the choice of
// priority queue depends on it (radix heap for integral weights, where many distances tie;
// 4-ary heap otherwise), never the result, so a sample is enough.
inline bool weights_look_integral(const double* weight, arc_id num_arcs) {
  if (num_arcs == 0) return false;
  const arc_id stride = std::max<arc_id>(1, num_arcs / 1024);
  for (arc_id a = 0; a < num_arcs; a += stride) {
    if (weight[a] != std::trunc(weight[a]) || weight[a] > 9007199254740992.0) return false;
  }
  return true;
}

// How shortest_path_lengths runs its one-source searches (never changes a result):
//   buckets             every weight positive and the largest finite one at most
//                       bucket_max_ratio times the smallest (WeightRange): the bucket queue of
//                       dijkstra_buckets.h, width = smallest weight, no key comparisons;
//   radix               otherwise, integral weights on a large graph (>= radix_min_arcs arcs):
//                       many distances tie and the radix heap's buckets beat heap sifting;
//   quaternary          otherwise, the 4-ary heap with the arc and queue-state prefetches of
//                       scan_arcs, for graphs whose search data outgrow the L2 cache;
//   quaternary_in_cache the 4-ary heap without prefetches, for graphs whose search data (16
//                       bytes per node, 12 per arc) fit in `in_cache_bytes`: there every access
//                       hits the cache anyway and the prefetch pass over each node's arcs is
//                       pure overhead (about 10% of a search on the benchmark's smoke graphs).
// The bucket queue needs the weights' range, one pass over them (weight_range) unless the
// caller passes it (the Python layer keeps it once per graph). The measurements behind the
// rule and the constants are in docs/performance-sssp.md.
enum class DijkstraQueue { radix = 0, quaternary = 1, quaternary_in_cache = 2, buckets = 3 };

inline constexpr arc_id radix_min_arcs = arc_id{1} << 18;
inline constexpr double in_cache_bytes = 512.0 * 1024.0;
inline constexpr double bucket_max_ratio = 16384.0;

// Whether the bucket queue applies to weights in `range`: smallest weight positive (and
// finite: a graph with arcs), largest at most bucket_max_ratio times it.
inline bool buckets_apply(WeightRange range) {
  return range.min > 0.0 && range.min < std::numeric_limits<double>::infinity() &&
         range.max <= bucket_max_ratio * range.min;
}

// The bytes a search touches: 16 per node (distance, queue state, first arc), 12 per arc.
inline double search_bytes(const CsrView& g) {
  return 16.0 * static_cast<double>(g.num_nodes) + 12.0 * static_cast<double>(g.num_arcs);
}

inline DijkstraQueue choose_dijkstra_queue(const CsrView& g, const double* weight,
                                           WeightRange range) {
  if (buckets_apply(range)) return DijkstraQueue::buckets;
  if (g.num_arcs >= radix_min_arcs && weights_look_integral(weight, g.num_arcs)) {
    return DijkstraQueue::radix;
  }
  return search_bytes(g) <= in_cache_bytes ? DijkstraQueue::quaternary_in_cache
                                           : DijkstraQueue::quaternary;
}

// The rule of the header comment (choose_renumbering): the window, in nodes, of the locality
// statistic (4096 ids: 32 KiB of distances, 16 KiB of first_out), and the fraction of sampled
// arcs that must fall within it.
inline constexpr std::int64_t renumber_window = 4096;
inline constexpr double renumber_min_locality = 0.5;

// The renumbering choose_renumbering accepts for `g` (weights per arc or nullptr), or nullopt;
// `force` skips the rule and always renumbers.
inline std::optional<Renumbering> choose_renumbering(const CsrView& g, const double* weight,
                                                     bool force) {
  if (!force) {
    if (search_bytes(g) <= in_cache_bytes) return std::nullopt;
    if (locality(g, nullptr, renumber_window) >= renumber_min_locality) return std::nullopt;
    if (expands(g, renumber_window)) return std::nullopt;
  }
  std::vector<node_id> order = bfs_order(g);
  std::vector<node_id> new_id = inverse_permutation(order);
  if (!force && locality(g, new_id.data(), renumber_window) < renumber_min_locality) {
    return std::nullopt;
  }
  return renumber(g, std::move(order), std::move(new_id), weight);
}

// How shortest_path_lengths finds the user's nodes in a renumbered graph (Renumbering's
// new_id and old_id).
struct NodeMap {
  const node_id* new_id = nullptr;
  const node_id* old_id = nullptr;
};

// Graphs up to this many nodes reuse one Dijkstra workspace per thread across calls (see
// CachedDijkstra): there, building the workspace (an O(n) state array, heap buffers grown from
// empty) costs as much as a search.
inline constexpr node_id cached_workspace_max_nodes = node_id{1} << 16;

// The calling thread's cached workspace (a DijkstraSearch or a BucketDijkstra) for unblocked
// searches on an n-node graph, made anew when n changes. A query that throws may leave it
// half-used, so it is dropped unless keep() is called after the queries finished normally
// (they return it to its initial state, also when cancelled).
template <class Search>
class CachedDijkstra {
 public:
  explicit CachedDijkstra(node_id num_nodes) : slot_(slot()) {
    if (!slot_ || slot_->num_nodes() != num_nodes) {
      slot_ = std::make_unique<Search>(num_nodes, nullptr);
    }
  }
  CachedDijkstra(const CachedDijkstra&) = delete;
  CachedDijkstra& operator=(const CachedDijkstra&) = delete;
  ~CachedDijkstra() {
    if (!kept_) slot_.reset();
  }
  Search& get() { return *slot_; }
  void keep() { kept_ = true; }

 private:
  static std::unique_ptr<Search>& slot() {
    thread_local std::unique_ptr<Search> workspace;
    return workspace;
  }
  std::unique_ptr<Search>& slot_;
  bool kept_ = false;
};

// `weight` (one per arc) may be nullptr: every arc counts 1 (breadth-first search).
// `range`: the weights' WeightRange if the caller knows it (else computed here).
// `queue` overrides choose_dijkstra_queue (tests run every queue on small graphs with it);
// `buckets` runs only where buckets_apply, else the 4-ary heap.
// `map`: if not nullptr, g and weight are in internal ids and sources, blocked and out in the
// user's (see the header comment).
inline bool shortest_path_lengths(const CsrView& g, const double* weight,
                                  std::span<const node_id> sources, const std::uint8_t* blocked,
                                  double max_length, int threads, double* out, const Cancel& cancel,
                                  std::optional<DijkstraQueue> queue_override = std::nullopt,
                                  std::optional<WeightRange> known_range = std::nullopt,
                                  const NodeMap* map = nullptr) {
  const auto n = static_cast<std::size_t>(g.num_nodes);
  const auto k = static_cast<std::int64_t>(sources.size());
  const int workers =
      static_cast<int>(std::clamp<std::int64_t>(threads, 1, std::max<std::int64_t>(k, 1)));
  std::atomic<bool> finished{true};
  // Renumbered: the blocked mask in internal ids, and one row buffer per worker.
  std::vector<std::uint8_t> internal_blocked;
  std::vector<std::vector<double>> buffer;
  if (map != nullptr) {
    if (blocked != nullptr) {
      internal_blocked.resize(n);
      for (std::size_t v = 0; v < n; ++v) internal_blocked[map->new_id[v]] = blocked[v];
      blocked = internal_blocked.data();
    }
    buffer.resize(static_cast<std::size_t>(workers));
  }
  // Searches source task's row into `out` directly, or (renumbered) into the worker's buffer,
  // then scattered to the user's ids.
  auto search_row = [&](auto& query, auto& ws, std::int64_t task, int worker) {
    const node_id s = sources[static_cast<std::size_t>(task)];
    double* row = out + static_cast<std::size_t>(task) * n;
    if (map == nullptr) return query(ws, s, row);
    std::vector<double>& internal = buffer[static_cast<std::size_t>(worker)];
    internal.resize(n);  // allocated by the thread that uses it
    if (!query(ws, map->new_id[s], internal.data())) return false;
    for (std::size_t x = 0; x < n; ++x) row[map->old_id[x]] = internal[x];
    return true;
  };
  auto run = [&](auto make_workspace, auto query) {
    using Workspace = decltype(make_workspace());
    std::vector<std::unique_ptr<typename Workspace::element_type>> workspace(
        static_cast<std::size_t>(workers));
    parallel_for(k, workers, &cancel, [&](std::int64_t task, int worker) {
      auto& ws = workspace[static_cast<std::size_t>(worker)];
      if (!ws) ws = make_workspace();  // allocated by the thread that uses it
      if (!search_row(query, *ws, task, worker)) finished = false;
    });
  };
  // One worker, no blocked nodes and a small graph: the thread's cached workspace.
  auto run_cached_or_not = [&]<class Search>(auto query) {
    if (workers == 1 && blocked == nullptr && g.num_nodes <= cached_workspace_max_nodes) {
      CachedDijkstra<Search> cached(g.num_nodes);
      for (std::int64_t i = 0; i < k; ++i) {
        if (cancel.requested() || !search_row(query, cached.get(), i, 0)) return false;
      }
      cached.keep();
    } else {
      run([&] { return std::make_unique<Search>(g.num_nodes, blocked); }, query);
    }
    return true;
  };
  if (weight == nullptr) {
    run([&] { return std::make_unique<BreadthFirstSearch>(g.num_nodes, blocked); },
        [&](BreadthFirstSearch& ws, node_id s, double* row) {
          return ws.distances(g, s, max_length, row, cancel);
        });
    return finished && !cancel.requested();
  }
  const ArcWeights w{weight};
  const WeightRange range = known_range ? *known_range : weight_range(weight, g.num_arcs);
  DijkstraQueue queue = queue_override.value_or(choose_dijkstra_queue(g, weight, range));
  if (queue == DijkstraQueue::buckets && !buckets_apply(range)) queue = DijkstraQueue::quaternary;
  bool completed = true;
  if (queue == DijkstraQueue::buckets) {
    completed = run_cached_or_not.template operator()<BucketDijkstra>(
        [&](BucketDijkstra& ws, node_id s, double* row) {
          return ws.distances(g, w, s, max_length, range, row, cancel);
        });
  } else {
    completed = run_cached_or_not.template operator()<DijkstraSearch>(
        [&](DijkstraSearch& ws, node_id s, double* row) {
          switch (queue) {
            case DijkstraQueue::radix:
              return ws.distances_radix(g, w, s, max_length, row, cancel);
            case DijkstraQueue::quaternary_in_cache:
              return ws.template distances<false>(g, w, s, max_length, row, cancel);
            case DijkstraQueue::quaternary:
            case DijkstraQueue::buckets:
              break;
          }
          return ws.template distances<true>(g, w, s, max_length, row, cancel);
        });
  }
  return completed && finished && !cancel.requested();
}

// Returns false (output unspecified) if parent[] is not a forest: a walk leaves [0, n) or does
// not reach a root within n steps. Query nodes must be in range. `route_nodes` receives, per
// query node, the len + 1 nodes of its route in the same order as its edges (the node alone for
// an empty route), so route i's nodes start at offsets[i] + i.
inline bool tree_routes(std::span<const node_id> parent, std::span<const edge_id> pred_edge,
                        std::span<const node_id> nodes, bool travel_to_root,
                        std::vector<std::int64_t>& offsets, std::vector<edge_id>& edges,
                        std::vector<node_id>& route_nodes) {
  const auto n = static_cast<std::int64_t>(parent.size());
  offsets.assign(1, 0);
  edges.clear();
  route_nodes.clear();
  for (const node_id v : nodes) {
    const auto first_edge = static_cast<std::ptrdiff_t>(edges.size());
    const auto first_node = static_cast<std::ptrdiff_t>(route_nodes.size());
    std::int64_t steps = 0;
    node_id x = v;
    for (; pred_edge[x] >= 0; x = parent[x]) {
      if (++steps > n || parent[x] < 0 || parent[x] >= n) return false;
      edges.push_back(pred_edge[x]);
      route_nodes.push_back(x);
    }
    route_nodes.push_back(x);
    if (!travel_to_root) {
      std::reverse(edges.begin() + first_edge, edges.end());
      std::reverse(route_nodes.begin() + first_node, route_nodes.end());
    }
    offsets.push_back(static_cast<std::int64_t>(edges.size()));
  }
  return true;
}

}  // namespace routecore
