// routecore/dijkstra.h — Dijkstra's algorithm: one source to all nodes, one source to one
// target, and many sources at once (nearest source, with its shortest-path tree).
//
// Problem
//   Given a CSR graph with non-negative arc weights, compute d(s, v), the length of a shortest
//   path, for the requested sources s and nodes v, avoiding blocked nodes.
//
// Input assumptions (validated by the Python layer, asserted only in debug builds)
//   Weights finite and >= 0 (see path_common.h for the accessors); node ids in range; sources
//   and targets not blocked. Multi-arcs, self-loops, zero weights, isolated nodes and
//   disconnected parts are all fine.
//
// Output
//   `distances`: out[v] = d(s, v) for every v with d(s, v) <= max_length, +inf otherwise.
//                `distances_radix` computes the same with a radix heap (faster for integral
//                weights on large graphs; the caller picks, see choose_dijkstra_queue in
//                shortest_paths.h). Both keep tentative distances in `out` itself.
//   `nearest`:   length[v] = min over sources s of d(s, v), root[v] = one source achieving it
//                (-1 if unreachable); optionally the shortest-path tree: pred_edge[v] is the
//                input edge id of the arc by which v was reached and parent[v] that arc's tail
//                (-1 at sources and unreachable nodes).
//   `path`:      a shortest s-t path (see PathResult), or false if t is unreachable. The search
//                stops as soon as t is settled.
//
// Invariants
//   A node popped from the heap is settled: its key is its final distance (non-negative
//   weights). Every queued node's key is the length of a path whose last arc leaves a settled
//   node, so following parent[] from any reached node gives a path of exactly its key.
//   Arcs are scanned in CSR order and the heap is deterministic, so results (ties included)
//   depend only on the input, never on threads or timing.
//
// Workspace reuse
//   A DijkstraSearch owns its heaps and scratch arrays (O(n)); create one per thread and run
//   many queries on it. Blocked nodes are marked once at construction. After `path` and
//   `nearest` only the nodes the query touched are reset, so a query that stops early costs time
//   proportional to the part of the graph it explored, not to n; `distances` resets in O(n),
//   which its output costs anyway.
//
// Memory access
//   On graphs whose node numbering has no locality (e.g. random points), the search waits on
//   cache misses, not arithmetic. Each queued node carries its first arc in its heap entry, and
//   its arc block is prefetched when it is first queued and again just before it is popped
//   (scan_arcs). On graphs that sit in cache the prefetches only cost instructions, so
//   `distances` takes them as a template switch (distances<false> skips them). Branch misses
//   matter there instead: `distances` tests an arc with one comparison against the tentative
//   distance in `out` and reads the heap position only when the arc improves it.
//   Graphs whose ids carry no locality but whose structure has some (kNN graphs of random
//   points) are searched in an internal breadth-first numbering by shortest_path_lengths
//   (renumber.h, the rule choose_renumbering in shortest_paths.h); on Erdős–Rényi and
//   power-law graphs no numbering recovers locality and none is made.
//
// Complexity
//   O((n' + m') log_4 n') time for n' settled nodes and m' scanned arcs with the 4-ary heap;
//   with the radix heap O(m' B) where B <= 64 bounds how often an entry moves between buckets
//   (about log2 of the largest weight for integral weights). O(n) memory per workspace.
//   Cancellation (Cancel) is polled every 1024 settled nodes; a cancelled query returns false
//   and leaves its output unspecified.
//
// References
//   E. W. Dijkstra, "A note on two problems in connexion with graphs", Numer. Math. 1 (1959).
//   RoutingKit's optimality certificate is what the tests check (tests/test_paths.py).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "routecore/csr.h"
#include "routecore/heap.h"
#include "routecore/parallel.h"
#include "routecore/path_common.h"
#include "routecore/portability.h"
#include "routecore/radix_heap.h"

namespace routecore {

// One Dijkstra step after `top` was popped from `heap`: relax every arc of top.node (whose first
// arc top.aux carries), calling on_improve(v, arc, new_key) whenever a node's key drops. Keys
// above `max_length` are not queued, and neither are infinite keys (an arc of weight +inf, which is
// how callers close an edge, never reaches a node). Every queued node carries its first arc as the
// heap payload, read (and its arcs prefetched) when it is first queued.
//
// Memory latency, not arithmetic, bounds this loop on graphs whose node ids carry no locality,
// so the arcs of the node most likely to be popped next are prefetched before this node's are
// scanned, and a new node's arcs (first and last, so both lines of a typical block) are
// prefetched when it is first queued: the frontier's arcs fit in L2.
// Prefetches the arc block of node v as it is first queued: its first and its last arc, so
// both cache lines of a typical block.
template <class Weights>
inline void prefetch_arc_block(const arc_id* first_out, const node_id* head, const Weights& w,
                               node_id v) {
  const arc_id first = first_out[v];
  const arc_id last = first_out[v + 1] - 1;
  routecore::prefetch(head + first);
  w.prefetch(first);
  routecore::prefetch(head + last);
  w.prefetch(last);
}

template <class Weights, class OnImprove>
inline void scan_arcs(QuaternaryHeap& heap, const CsrView& g, Weights w,
                      const QuaternaryHeap::Entry& top, double max_length, OnImprove&& on_improve) {
  const arc_id* first_out = g.first_out;
  const node_id* head = g.head;
  if (!heap.empty()) {
    const arc_id next = heap.top().aux;
    routecore::prefetch(head + next);
    w.prefetch(next);
  }
  const arc_id end = first_out[top.node + 1];
  const double limit = std::min(max_length, std::numeric_limits<double>::max());
  // Issue the neighbours' random accesses (queue state, first arc) all at once before using
  // any of them, so their misses overlap instead of queueing up one per arc.
  for (arc_id a = top.aux; a < end; ++a) {
    heap.prefetch_state(head[a]);
    routecore::prefetch(first_out + head[a]);
  }
  for (arc_id a = top.aux; a < end; ++a) {
    const double dv = top.key + w(a);
    if (!(dv <= limit)) continue;
    const node_id v = head[a];
    const std::int32_t state = heap.state(v);
    if (state == QuaternaryHeap::unseen) {
      prefetch_arc_block(first_out, head, w, v);
      heap.push(v, dv, first_out[v]);
      on_improve(v, a, dv);
    } else if (state >= 0 && dv < heap.key_at(state)) {
      heap.decrease_key_at(state, dv);
      on_improve(v, a, dv);
    }
  }
}

class DijkstraSearch {
 public:
  // `blocked`: byte mask over the nodes (non-zero = never entered) or nullptr.
  DijkstraSearch(node_id num_nodes, const std::uint8_t* blocked) : heap_(num_nodes) {
    if (blocked != nullptr) {
      for (node_id v = 0; v < num_nodes; ++v) {
        if (blocked[v] != 0) blocked_.push_back(v);
      }
    }
    for (const node_id v : blocked_) heap_.mark_done(v);
  }

  // out[0..n) = distances from `source`, +inf beyond `max_length` or unreachable. Uses the
  // 4-ary heap; see distances_radix for the alternative queue. Tentative distances live in
  // `out` (blocked nodes hold -1 there during the search, +inf afterwards), so an arc is
  // tested with one comparison against out[v]: a settled node's distance is at most the
  // current key, so it never improves, and only an improvement reads v's heap position. That
  // keeps the common case (an arc back into the settled region, or one that does not improve)
  // to one load and one well-predicted branch. With `Prefetch`, each node's neighbours' entries
  // and the arcs of newly queued nodes and of the next node to pop are fetched ahead (see
  // scan_arcs); without, for graphs that sit in cache, the extra pass is skipped.
  template <bool Prefetch = true, class Weights>
  bool distances(const CsrView& g, Weights w, node_id source, double max_length, double* out,
                 const Cancel& cancel) {
    std::fill(out, out + g.num_nodes, unreachable);
    for (const node_id v : blocked_) out[v] = -1.0;
    const arc_id* first_out = g.first_out;
    const node_id* head = g.head;
    const double limit = std::min(max_length, std::numeric_limits<double>::max());
    out[source] = 0.0;
    heap_.push(source, 0.0, first_out[source]);
    std::uint32_t steps = 0;
    bool finished = true;
    while (!heap_.empty()) {
      const QuaternaryHeap::Entry top = heap_.pop();
      if ((++steps & 1023U) == 0 && cancel.requested()) {
        finished = false;
        break;
      }
      const arc_id end = first_out[top.node + 1];
      if constexpr (Prefetch) {
        if (!heap_.empty()) {
          const arc_id next = heap_.top().aux;
          routecore::prefetch(head + next);
          w.prefetch(next);
        }
        for (arc_id a = top.aux; a < end; ++a) {
          routecore::prefetch(out + head[a]);
          routecore::prefetch(first_out + head[a]);
          heap_.prefetch_state(head[a]);
        }
      }
      for (arc_id a = top.aux; a < end; ++a) {
        const node_id v = head[a];
        const double dv = top.key + w(a);
        const double old = out[v];
        if (!(dv < old) || !(dv <= limit)) continue;
        out[v] = dv;
        if (old == unreachable) {
          if constexpr (Prefetch) prefetch_arc_block(first_out, head, w, v);
          heap_.push(v, dv, first_out[v]);
        } else {
          heap_.decrease_key_at(heap_.state(v), dv);
        }
      }
    }
    reset_all();
    for (const node_id v : blocked_) out[v] = unreachable;
    return finished;
  }

  // The same result as distances(), computed with a radix heap (radix_heap.h) and lazy
  // deletion: a node is queued again whenever its tentative distance improves, and entries
  // whose key no longer matches out[v] are skipped. Faster when many distances tie, as with
  // small integer weights; slower with general float weights, where entries move through many
  // buckets. Tentative distances live in `out`; blocked nodes hold -1 there during the search
  // (so no relaxation improves them) and +inf afterwards. Entries carry the node's first arc.
  template <class Weights>
  bool distances_radix(const CsrView& g, Weights w, node_id source, double max_length, double* out,
                       const Cancel& cancel) {
    std::fill(out, out + g.num_nodes, unreachable);
    for (const node_id v : blocked_) out[v] = -1.0;
    const arc_id* first_out = g.first_out;
    const node_id* head = g.head;
    out[source] = 0.0;
    radix_.push(0.0, source, first_out[source]);
    std::uint32_t steps = 0;
    bool finished = true;
    while (!radix_.empty()) {
      const RadixHeap::Entry e = radix_.pop();
      const node_id u = e.node;
      const double du = out[u];
      if (RadixHeap::key_bits(du) != e.key) continue;  // stale: u was reached more cheaply
      if ((++steps & 1023U) == 0 && cancel.requested()) {
        finished = false;
        break;
      }
      const arc_id end = first_out[u + 1];
      for (arc_id a = e.aux; a < end; ++a) {
        const node_id v = head[a];
        const double dv = du + w(a);
        const double old = out[v];
        if (dv < old && dv <= max_length) {
          out[v] = dv;
          const arc_id fv = first_out[v];
          if (old == unreachable) {  // first time reached: fetch its arcs early (see scan_arcs)
            routecore::prefetch(head + fv);
            w.prefetch(fv);
          }
          radix_.push(dv, v, fv);
        }
      }
    }
    radix_.clear();
    for (const node_id v : blocked_) out[v] = unreachable;
    return finished;
  }

  // Multi-source search: see the header comment. `pred_edge` and `parent` may both be nullptr.
  template <class Weights>
  bool nearest(const CsrView& g, Weights w, std::span<const node_id> sources, double* length,
               node_id* root, edge_id* pred_edge, node_id* parent, const Cancel& cancel) {
    const bool tree = pred_edge != nullptr;
    std::fill(length, length + g.num_nodes, unreachable);
    std::fill(root, root + g.num_nodes, node_id{-1});
    if (tree) {
      std::fill(pred_edge, pred_edge + g.num_nodes, edge_id{-1});
      std::fill(parent, parent + g.num_nodes, node_id{-1});
    }
    for (const node_id s : sources) {
      if (heap_.state(s) == QuaternaryHeap::unseen) {
        heap_.push(s, 0.0, g.first_out[s]);
        root[s] = s;
      }
    }
    std::uint32_t steps = 0;
    bool finished = true;
    while (!heap_.empty()) {
      const QuaternaryHeap::Entry top = heap_.pop();
      const node_id u = top.node;
      length[u] = top.key;
      settled_.push_back(u);
      if ((++steps & 1023U) == 0 && cancel.requested()) {
        finished = false;
        break;
      }
      const node_id ru = root[u];
      scan_arcs(heap_, g, w, top, unreachable, [&](node_id v, arc_id a, double) {
        root[v] = ru;
        if (tree) {
          pred_edge[v] = edge_of(g.arc_edge[a]);
          parent[v] = u;
        }
      });
    }
    reset();
    return finished;
  }

  // Shortest source-target path; returns whether the target is reachable. On a false return
  // with cancel.requested() the query was cancelled.
  template <class Weights>
  bool path(const CsrView& g, Weights w, node_id source, node_id target, PathResult& result,
            const Cancel& cancel) {
    if (!parent_) {
      parent_ = std::make_unique_for_overwrite<node_id[]>(static_cast<std::size_t>(g.num_nodes));
      pred_arc_ = std::make_unique_for_overwrite<arc_id[]>(static_cast<std::size_t>(g.num_nodes));
    }
    heap_.push(source, 0.0, g.first_out[source]);
    std::uint32_t steps = 0;
    bool found = false;
    while (!heap_.empty()) {
      const QuaternaryHeap::Entry top = heap_.pop();
      const node_id u = top.node;
      settled_.push_back(u);
      if (u == target) {
        found = true;
        break;
      }
      if ((++steps & 1023U) == 0 && cancel.requested()) break;
      scan_arcs(heap_, g, w, top, unreachable, [&](node_id v, arc_id a, double) {
        pred_arc_[v] = a;
        parent_[v] = u;
      });
    }
    if (found) trace_tree_path(g, w, parent_.get(), pred_arc_.get(), source, target, result);
    reset();
    return found;
  }

  node_id num_nodes() const { return heap_.num_nodes(); }

 private:
  // Back to the state after construction, in O(n): for searches that reach most nodes.
  void reset_all() {
    heap_.reset_all();
    for (const node_id v : blocked_) heap_.mark_done(v);
  }

  // Back to the state after construction: the heap emptied, touched nodes unseen again
  // (blocked nodes are never touched, so they stay blocked). O(nodes touched).
  void reset() {
    heap_.clear();
    for (const node_id v : settled_) heap_.reset(v);
    settled_.clear();
  }

  QuaternaryHeap heap_;           // queue + per-node state (unseen / queued / done)
  RadixHeap radix_;               // distances_radix(): monotone queue, lazy deletion
  std::vector<node_id> blocked_;  // the blocked nodes, ascending
  std::vector<node_id> settled_;  // nodes popped by the current query, for the reset
  // path(): tail of the arc that last improved a node, and that arc. Written before read, so
  // allocated uninitialised on first use.
  std::unique_ptr<node_id[]> parent_;
  std::unique_ptr<arc_id[]> pred_arc_;
};

}  // namespace routecore
