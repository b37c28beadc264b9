// routecore/bucket_queue.h — a monotone bucket queue for Dijkstra whose bucket width is at most
// the smallest arc weight, so that every node in the lowest bucket is final (Dial's buckets).
//
// Problem
//   Dijkstra with weights in [w_min, w_max], w_min > 0. Key d goes to bucket floor(d / width)
//   with width = w_min. A node u in the lowest non-empty bucket b has the smallest key up to
//   less than one width, and any arc out of a node of bucket b adds at least w_min, so nothing
//   still to be scanned can lower u's key: all nodes of bucket b are final and can be scanned in
//   any order, without comparing keys. The search then runs in pops of O(1) and, inside a
//   bucket, in a known order, so the arcs of the nodes to be scanned next are fetched ahead.
//
// Representation
//   A ring of `num_buckets` (a power of two) growable arrays of (key, node, aux) entries; bucket
//   b lives in slot b mod num_buckets, and a bitmap marks the non-empty slots. Keys that a
//   search holds at one time lie in [current, current + w_max / w_min + 2] buckets (each push is
//   a settled key plus one weight), so num_buckets > w_max / w_min + 3 slots never alias.
//   There is no decrease-key: Dijkstra pushes a node again when its key drops and skips, on pop,
//   entries whose key is no longer the node's current key (lazy deletion).
//
// Invariants
//   Every entry's bucket is >= `current` and < current + num_buckets; bit s of the bitmap is set
//   iff slot s holds an entry. Buckets are visited in increasing order. Floating-point rounding
//   can put a key relaxed from bucket b back into bucket b (never below): such an entry joins
//   the bucket being scanned and is scanned in turn, so the node is scanned again with its lower
//   key. Every scan relaxes with the node's key at that time, each key is a path length summed
//   from the source in path order, and the search stops only when no arc improves a key: the
//   result is exactly the 4-ary heap's (the minimum over paths of those sums).
//
// Complexity
//   push O(1) amortised; moving to the next non-empty bucket reads one bitmap word per 64 empty
//   slots. One search costs O(m' + D / w_min / 64) for m' scanned arcs and largest distance D
//   (D <= n w_max), so the queue is meant for w_max / w_min bounded by a small constant (see
//   max_bucket_ratio in shortest_paths.h). Memory: 16 bytes per queued entry (at most one per
//   improving relaxation), 24 bytes per slot.
//
// References
//   R. B. Dial, "Algorithm 360: shortest-path forest with topological ordering", CACM 12 (1969);
//   B. V. Cherkassky, A. V. Goldberg and T. Radzik, "Shortest paths algorithms: theory and
//   experimental evaluation", Math. Programming 73 (1996) (buckets of width up to the smallest
//   arc length; every node of the lowest bucket is final).
#pragma once

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <vector>

#include "routecore/csr.h"

namespace routecore {

class BucketQueue {
 public:
  struct Entry {
    double key;
    node_id node;
    std::int32_t aux;  // caller's payload (fills what would be padding)
  };

  // Empties the queue and sets it up for keys bucketed by `width` (> 0), with at most `span`
  // buckets between the lowest and the highest key queued at once.
  void start(double width, std::uint64_t span) {
    assert(size_ == 0 && width > 0.0);
    const std::uint64_t slots = std::bit_ceil(span + 1);
    if (slots != buckets_.size()) {
      buckets_.assign(slots, {});
      bits_.assign((slots + 63) / 64, 0);
    }
    inverse_width_ = 1.0 / width;
    mask_ = slots - 1;
    current_ = 0;
  }

  void push(double key, node_id v, std::int32_t aux) {
    const auto b = static_cast<std::uint64_t>(key * inverse_width_);
    assert(b >= current_ && b - current_ <= mask_);
    const std::uint64_t slot = b & mask_;
    buckets_[slot].push_back(Entry{key, v, aux});
    bits_[slot >> 6] |= std::uint64_t{1} << (slot & 63);
    ++size_;
  }

  // Moves `current` to the lowest non-empty bucket and returns its entries, or nullptr if the
  // queue is empty. The caller scans them by index: pushes into the same bucket append to it.
  // Call release() once the bucket is scanned.
  std::vector<Entry>* next_bucket() {
    if (size_ == 0) return nullptr;
    const std::uint64_t start = current_ & mask_;
    std::uint64_t slot = start;
    for (;;) {
      const std::uint64_t word = bits_[slot >> 6] >> (slot & 63);
      if (word != 0) {
        slot += static_cast<std::uint64_t>(std::countr_zero(word));
        break;
      }
      slot = ((slot | 63) + 1) & mask_;
    }
    current_ += (slot - start) & mask_;
    return &buckets_[slot];
  }

  // Empties the current bucket (after its entries were scanned).
  void release() {
    const std::uint64_t slot = current_ & mask_;
    size_ -= buckets_[slot].size();
    buckets_[slot].clear();
    bits_[slot >> 6] &= ~(std::uint64_t{1} << (slot & 63));
  }

  // Empties every bucket (after a search stopped early), keeping their memory.
  void clear() {
    for (std::uint64_t s = 0; s < buckets_.size(); ++s) {
      if ((bits_[s >> 6] >> (s & 63) & 1) != 0) buckets_[s].clear();
    }
    std::fill(bits_.begin(), bits_.end(), 0);
    size_ = 0;
  }

 private:
  std::vector<std::vector<Entry>> buckets_;  // slot b mod size: the entries of bucket b
  std::vector<std::uint64_t> bits_;          // bit s: slot s is non-empty
  double inverse_width_ = 1.0;
  std::uint64_t mask_ = 0;
  std::uint64_t current_ = 0;  // the bucket being scanned (all entries are in it or later)
  std::size_t size_ = 0;       // entries queued (stale ones included)
};

}  // namespace routecore
