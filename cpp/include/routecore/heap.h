// routecore/heap.h — an addressable 4-ary min-heap of (key, node) pairs with decrease-key.
//
// Problem
//   Dijkstra-type searches need a priority queue over node ids 0..n-1 that supports push,
//   pop-min and lowering the key of a node already queued, and that can tell in O(1) whether a
//   node was never queued, is queued (and where), or is finished.
//
// Representation
//   `entries_` holds the heap as (key, node, aux) triples, so comparisons never chase a pointer
//   into a separate key array; `aux` is a 32-bit payload that costs nothing (it fills what would
//   be padding) and lets the caller keep per-node data it will need at pop time. The root lives at
//   index 3 and the children of index i are 4i-8 .. 4i-5; with a 64-byte aligned buffer and 16-byte
//   entries every group of four siblings fills exactly one cache line, so a sift-down step touches
//   one line. `state_[v]` is the index of node v in `entries_` while v is queued (>= 3), `unseen`
//   (-1) before v was ever queued and `done` (-2) after v was popped or blocked by the caller.
//
// Invariants
//   Heap order: entries_[parent(i)].key <= entries_[i].key for every queued index i.
//   state_[entries_[i].node] == i for every queued index i.
//   Nodes move only unseen -> queued -> done; `reset` puts a node back to unseen. The caller owns
//   the reset policy (e.g. reset only the nodes it touched after an early-exit query).
//
// Complexity
//   push and decrease_key: O(log_4 q) sift-up steps; pop: O(log_4 q) sift-down steps of at most
//   4 comparisons each, q being the queue size. Memory: 4 bytes per node + 16 bytes per queued
//   entry. Ties between equal keys are broken by position, deterministically for a given
//   sequence of operations.
//
// References
//   D. B. Johnson, "Priority queues with update and finding minimum spanning trees", IPL 4 (1975)
//   (d-ary heaps); LaMarca & Ladner, "The influence of caches on the performance of heaps",
//   JEA 1 (1996) (aligned sibling groups).
#pragma once

#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <vector>

#include "routecore/csr.h"
#include "routecore/portability.h"

namespace routecore {

class QuaternaryHeap {
 public:
  struct Entry {
    double key;
    node_id node;
    std::int32_t aux;  // caller's payload, carried along (fills the padding; Dijkstra keeps the
                       // node's first arc here so popping needs no first_out lookup)
  };

  static constexpr std::int32_t unseen = -1;
  static constexpr std::int32_t done = -2;

  explicit QuaternaryHeap(node_id num_nodes) : state_(static_cast<std::size_t>(num_nodes), unseen) {
    reserve(64);
  }

  QuaternaryHeap(const QuaternaryHeap&) = delete;
  QuaternaryHeap& operator=(const QuaternaryHeap&) = delete;

  bool empty() const { return size_ == root; }
  const Entry& top() const { return entries_.get()[root]; }
  node_id num_nodes() const { return static_cast<node_id>(state_.size()); }

  // Queue state of v: unseen, done, or its heap index (>= 0).
  std::int32_t state(node_id v) const { return state_[v]; }
  double key_at(std::int32_t index) const { return entries_.get()[index].key; }

  void mark_done(node_id v) { state_[v] = done; }
  void prefetch_state(node_id v) const { routecore::prefetch(state_.data() + v); }
  void reset(node_id v) { state_[v] = unseen; }
  // Every node unseen and the heap empty.
  void reset_all() {
    std::fill(state_.begin(), state_.end(), unseen);
    size_ = root;
  }
  // Empty the heap and mark the queued nodes unseen again (after an early exit).
  void clear() {
    for (std::int32_t i = root; i < size_; ++i) state_[entries_.get()[i].node] = unseen;
    size_ = root;
  }

  // Queue v (which must be unseen) with `key` and payload `aux`.
  void push(node_id v, double key, std::int32_t aux = 0) {
    assert(state_[v] == unseen);
    if (size_ == capacity_) reserve(2 * capacity_);
    sift_up(size_++, Entry{key, v, aux});
  }

  // Lower the key of the queued entry at `index` to `key` (<= its current key).
  void decrease_key_at(std::int32_t index, double key) {
    Entry* e = entries_.get();
    assert(index >= root && index < size_ && key <= e[index].key);
    sift_up(index, Entry{key, e[index].node, e[index].aux});
  }

  // Offer `key` for v: queue it if unseen, lower its key if queued and `key` is smaller. Returns
  // whether v's key changed. Done nodes are left alone.
  bool relax(node_id v, double key) {
    const std::int32_t s = state_[v];
    if (s == unseen) {
      push(v, key);
      return true;
    }
    if (s >= 0 && key < entries_.get()[s].key) {
      decrease_key_at(s, key);
      return true;
    }
    return false;
  }

  // Remove and return the minimum entry; its node becomes done.
  Entry pop() {
    Entry* e = entries_.get();
    assert(!empty());
    const Entry min = e[root];
    state_[min.node] = done;
    --size_;
    if (size_ > root) sift_down(e[size_]);
    return min;
  }

 private:
  static constexpr std::int32_t root = 3;
  static constexpr std::int32_t first_child(std::int32_t i) { return 4 * i - 8; }
  static constexpr std::int32_t parent(std::int32_t i) { return i / 4 + 2; }

  struct AlignedFree {
    void operator()(Entry* p) const { ::operator delete[](p, std::align_val_t{64}); }
  };

  void reserve(std::int32_t capacity) {
    auto* fresh = static_cast<Entry*>(
        ::operator new[](sizeof(Entry) * static_cast<std::size_t>(capacity), std::align_val_t{64}));
    for (std::int32_t i = root; i < size_; ++i) fresh[i] = entries_.get()[i];
    entries_.reset(fresh);
    capacity_ = capacity;
  }

  void sift_up(std::int32_t i, Entry x) {
    Entry* e = entries_.get();
    while (i >= 4) {
      const std::int32_t p = parent(i);
      if (!(x.key < e[p].key)) break;
      e[i] = e[p];
      state_[e[i].node] = i;
      i = p;
    }
    e[i] = x;
    state_[x.node] = i;
  }

  // Place x, taken from the end, starting at the root.
  void sift_down(Entry x) {
    Entry* e = entries_.get();
    std::int32_t i = root;
    for (;;) {
      const std::int32_t c = first_child(i);
      if (c >= size_) break;
      std::int32_t best = c;
      double best_key = e[c].key;
      const std::int32_t last = c + 4 <= size_ ? c + 4 : size_;
      for (std::int32_t j = c + 1; j < last; ++j) {
        if (e[j].key < best_key) {
          best = j;
          best_key = e[j].key;
        }
      }
      if (!(best_key < x.key)) break;
      e[i] = e[best];
      state_[e[i].node] = i;
      i = best;
    }
    e[i] = x;
    state_[x.node] = i;
  }

  std::vector<std::int32_t> state_;
  std::unique_ptr<Entry[], AlignedFree> entries_;
  std::int32_t size_ = root;
  std::int32_t capacity_ = root;
};

}  // namespace routecore
