// routecore/radix_heap.h — a monotone priority queue for Dijkstra keys (non-negative doubles).
//
// Problem
//   Dijkstra pops keys in non-decreasing order and only pushes keys >= the last key popped.
//   A radix heap exploits this monotonicity: it never compares two arbitrary keys, it only
//   sorts entries into buckets by the highest bit in which they differ from the last key popped.
//
// Keys
//   A non-negative IEEE-754 double orders exactly like its bit pattern read as an unsigned
//   64-bit integer, so the heap works on those bits: any non-negative weights (integral or not)
//   are handled, with no scaling and no loss.
//
// Representation
//   `last_` is the bit pattern of the last key popped (0 initially). Bucket 0 holds entries whose
//   key equals last_; bucket b >= 1 holds entries whose key first differs from last_ in bit
//   b - 1 (counting from the least significant bit): bucket_of(x) = bit_width(x ^ last_).
//   Entries are (key bits, node) pairs; there is no decrease-key. Dijkstra pushes a node again
//   when its tentative distance improves and discards stale entries on pop (the caller compares
//   the entry's key with the node's current distance).
//
// Invariants
//   Every entry's key is >= last_, and an entry in bucket b agrees with last_ on all bits above
//   b - 1. pop() takes from bucket 0; if that is empty it finds the lowest non-empty bucket b,
//   makes its minimum the new last_ and redistributes bucket b, all of whose entries then fall
//   into buckets < b (they agree with the new last_ on bit b - 1 and above).
//
// Complexity
//   push O(1); pop amortised O(log C) where C bounds key differences in the queue (an entry
//   only moves to strictly lower buckets, at most 64 times). Memory 16 bytes per queued entry.
//   Ties are popped in a deterministic order for a given sequence of operations.
//
// References
//   R. K. Ahuja, K. Mehlhorn, J. B. Orlin and R. E. Tarjan, "Faster algorithms for the shortest
//   path problem", J. ACM 37 (1990) (radix heaps); the one-level variant with bit-width buckets
//   follows the description in B. V. Cherkassky, A. V. Goldberg and C. Silverstein, "Buckets,
//   heaps, lists, and monotone priority queues", SIAM J. Comput. 28 (1999).
#pragma once

#include <array>
#include <bit>
#include <cassert>
#include <cstdint>
#include <vector>

#include "routecore/csr.h"

namespace routecore {

class RadixHeap {
 public:
  struct Entry {
    std::uint64_t key;  // bit pattern of a non-negative double
    node_id node;
    std::int32_t aux;  // caller's payload (fills what would be padding)
  };

  static std::uint64_t key_bits(double key) { return std::bit_cast<std::uint64_t>(key); }
  static double key_value(std::uint64_t bits) { return std::bit_cast<double>(bits); }

  bool empty() const { return size_ == 0; }

  void push(double key, node_id v, std::int32_t aux = 0) {
    const std::uint64_t k = key_bits(key);
    assert(k >= last_);
    buckets_[bucket_of(k)].push_back(Entry{k, v, aux});
    ++size_;
  }

  Entry pop() {
    assert(size_ > 0);
    if (buckets_[0].empty()) refill();
    const Entry e = buckets_[0].back();
    buckets_[0].pop_back();
    --size_;
    return e;
  }

  // Empty the heap and start again from key 0 (keeps the buckets' memory).
  void clear() {
    for (auto& b : buckets_) b.clear();
    size_ = 0;
    last_ = 0;
  }

 private:
  int bucket_of(std::uint64_t k) const { return static_cast<int>(std::bit_width(k ^ last_)); }

  // Bucket 0 is empty: move the minimum of the lowest non-empty bucket there (see header).
  void refill() {
    std::size_t b = 1;
    while (buckets_[b].empty()) ++b;
    std::vector<Entry>& from = buckets_[b];
    std::uint64_t min = from[0].key;
    for (const Entry& e : from) min = e.key < min ? e.key : min;
    last_ = min;
    for (const Entry& e : from) buckets_[bucket_of(e.key)].push_back(e);
    from.clear();
  }

  std::array<std::vector<Entry>, 65> buckets_;
  std::uint64_t last_ = 0;
  std::size_t size_ = 0;
};

}  // namespace routecore
