// routecore/bfs.h — breadth-first search: hop counts from one source to all nodes.
//
// Problem
//   On a graph without weights every arc counts 1; d(s, v) is the fewest arcs on an s-v path.
//   Breadth-first search settles nodes level by level, which is Dijkstra's order without a heap.
//
// Input assumptions
//   Valid CSR (csr.h); `source` in range and not blocked; `blocked` a byte mask or nullptr.
//
// Output
//   out[v] = d(s, v) as a double for every v with d(s, v) <= max_length, +inf otherwise.
//
// Invariants
//   The queue holds the nodes of level k followed by those of level k + 1; a node is written to
//   `out` (and so marked visited) when it is first queued, which is when its distance is known.
//
// Complexity
//   O(n' + m') time over the n' nodes reached and m' arcs scanned, plus O(n) to fill `out`;
//   a workspace holds one n-sized queue. Cancellation is polled every 1024 dequeued nodes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "routecore/csr.h"
#include "routecore/parallel.h"
#include "routecore/path_common.h"

namespace routecore {

class BreadthFirstSearch {
 public:
  BreadthFirstSearch(node_id num_nodes, const std::uint8_t* blocked)
      : queue_(static_cast<std::size_t>(num_nodes)), blocked_(blocked) {}

  bool distances(const CsrView& g, node_id source, double max_length, double* out,
                 const Cancel& cancel) {
    return blocked_ == nullptr ? run<false>(g, source, max_length, out, cancel)
                               : run<true>(g, source, max_length, out, cancel);
  }

 private:
  template <bool HasBlocked>
  bool run(const CsrView& g, node_id source, double max_length, double* out, const Cancel& cancel) {
    std::fill(out, out + g.num_nodes, unreachable);
    node_id* queue = queue_.data();
    std::size_t head = 0;
    std::size_t tail = 0;
    queue[tail++] = source;
    out[source] = 0.0;
    std::uint32_t steps = 0;
    while (head < tail) {
      const node_id u = queue[head++];
      const double next = out[u] + 1.0;
      if (next > max_length) break;  // levels only grow: nothing further is within reach
      if ((++steps & 1023U) == 0 && cancel.requested()) return false;
      const arc_id end = g.first_out[u + 1];
      for (arc_id a = g.first_out[u]; a < end; ++a) {
        const node_id v = g.head[a];
        if (out[v] != unreachable) continue;
        if constexpr (HasBlocked) {
          if (blocked_[v] != 0) continue;
        }
        out[v] = next;
        queue[tail++] = v;
      }
    }
    return true;
  }

  std::vector<node_id> queue_;   // FIFO of discovered nodes; each node enters at most once
  const std::uint8_t* blocked_;  // byte mask or nullptr
};

}  // namespace routecore
