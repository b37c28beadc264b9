// routecore/dijkstra_buckets.h — one source to all nodes with a bucket queue whose width is the
// smallest arc weight (bucket_queue.h): Dijkstra without key comparisons.
//
// Problem
//   As DijkstraSearch::distances (dijkstra.h): out[v] = d(s, v) for every v with
//   d(s, v) <= max_length, +inf otherwise, avoiding blocked nodes.
//
// Input assumptions (validated by the Python layer, asserted only in debug builds)
//   As dijkstra.h, and a WeightRange that bounds the weights: every arc weight w is >= `min`
//   (which is > 0) and is either <= `max` or +inf (how callers close an edge: such an arc never
//   reaches a node). shortest_paths.h computes the range (weight_range) and picks this search
//   only where max / min is small (see choose_dijkstra_queue).
//
// Output
//   The same distances as the 4-ary heap's, bit for bit: see the invariants of bucket_queue.h.
//
// Memory access
//   A bucket's nodes are scanned in the order they were queued, which is known in advance, so
//   the arcs of the node `lookahead` places further on are prefetched while the current one is
//   scanned, and a node's arcs are prefetched when it is first reached. On graphs whose ids
//   carry no locality this overlaps the cache misses that the 4-ary heap's dependent sift-down
//   loads serialise (bench/ families; docs/performance-sssp.md).
//
// Complexity
//   O(m' + D / min / 64) for m' scanned arcs and largest distance D reached, plus O(n) to fill
//   `out`; memory 16 bytes per queued entry (at most one per improving relaxation) and
//   O(max / min) bucket headers. Cancellation is polled every 1024 scanned nodes; a cancelled
//   query returns false and leaves its output unspecified.
//
// References
//   R. B. Dial (1969) and Cherkassky, Goldberg and Radzik (1996): see bucket_queue.h.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "routecore/bucket_queue.h"
#include "routecore/csr.h"
#include "routecore/parallel.h"
#include "routecore/path_common.h"
#include "routecore/portability.h"

namespace routecore {

// Bounds on arc weights: min over all arcs, max over the finite ones (+inf closes an edge).
struct WeightRange {
  double min = 0.0;
  double max = 0.0;
};

// The range of `num_arcs` weights (min +inf and max 0 if there are none). One pass, four
// independent accumulators so that the loop does not wait on one compare chain.
inline WeightRange weight_range(const double* weight, arc_id num_arcs) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  double lo[4] = {inf, inf, inf, inf};
  double hi[4] = {0.0, 0.0, 0.0, 0.0};
  arc_id a = 0;
  for (; a + 4 <= num_arcs; a += 4) {
    for (int j = 0; j < 4; ++j) {
      const double x = weight[a + j];
      lo[j] = x < lo[j] ? x : lo[j];
      const double finite = x < inf ? x : 0.0;
      hi[j] = finite > hi[j] ? finite : hi[j];
    }
  }
  for (; a < num_arcs; ++a) {
    const double x = weight[a];
    lo[0] = x < lo[0] ? x : lo[0];
    const double finite = x < inf ? x : 0.0;
    hi[0] = finite > hi[0] ? finite : hi[0];
  }
  return WeightRange{std::min(std::min(lo[0], lo[1]), std::min(lo[2], lo[3])),
                     std::max(std::max(hi[0], hi[1]), std::max(hi[2], hi[3]))};
}

class BucketDijkstra {
 public:
  // `blocked`: byte mask over the nodes (non-zero = never entered) or nullptr.
  BucketDijkstra(node_id num_nodes, const std::uint8_t* blocked) : num_nodes_(num_nodes) {
    if (blocked != nullptr) {
      for (node_id v = 0; v < num_nodes; ++v) {
        if (blocked[v] != 0) blocked_.push_back(v);
      }
    }
  }

  node_id num_nodes() const { return num_nodes_; }

  // out[0..n) = distances from `source`. Tentative distances live in `out`; blocked nodes hold
  // -1 there during the search (no relaxation improves them) and +inf afterwards. An entry
  // whose key is no longer its node's distance is stale and skipped.
  template <class Weights>
  bool distances(const CsrView& g, Weights w, node_id source, double max_length, WeightRange range,
                 double* out, const Cancel& cancel) {
    constexpr std::size_t lookahead = 8;
    std::fill(out, out + g.num_nodes, unreachable);
    for (const node_id v : blocked_) out[v] = -1.0;
    const arc_id* first_out = g.first_out;
    const node_id* head = g.head;
    const double limit = std::min(max_length, std::numeric_limits<double>::max());
    // A push is a scanned key plus at most range.max, i.e. at most max / min + 1 buckets (and
    // one more for rounding) above the bucket being scanned.
    queue_.start(range.min, static_cast<std::uint64_t>(range.max / range.min) + 3);
    out[source] = 0.0;
    queue_.push(0.0, source, first_out[source]);
    std::uint32_t steps = 0;
    bool finished = true;
    while (std::vector<BucketQueue::Entry>* bucket = queue_.next_bucket()) {
      for (std::size_t i = 0; i < bucket->size(); ++i) {
        const BucketQueue::Entry* entries = bucket->data();
        if (i + lookahead < bucket->size()) {
          const arc_id ahead = entries[i + lookahead].aux;
          routecore::prefetch(head + ahead);
          w.prefetch(ahead);
        }
        const BucketQueue::Entry e = entries[i];
        if (out[e.node] != e.key) continue;
        if ((++steps & 1023U) == 0 && cancel.requested()) {
          finished = false;
          break;
        }
        const arc_id end = first_out[e.node + 1];
        for (arc_id a = e.aux; a < end; ++a) {
          const node_id v = head[a];
          const double dv = e.key + w(a);
          const double old = out[v];
          if (!(dv < old) || !(dv <= limit)) continue;
          out[v] = dv;
          const arc_id fv = first_out[v];
          if (old == unreachable) {
            routecore::prefetch(head + fv);
            w.prefetch(fv);
          }
          queue_.push(dv, v, fv);
        }
      }
      if (!finished) break;
      queue_.release();
    }
    if (!finished) queue_.clear();
    for (const node_id v : blocked_) out[v] = unreachable;
    return finished;
  }

 private:
  node_id num_nodes_;
  BucketQueue queue_;
  std::vector<node_id> blocked_;  // the blocked nodes, ascending
};

}  // namespace routecore
