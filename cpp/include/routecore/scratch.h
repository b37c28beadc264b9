// routecore/scratch.h — uninitialised per-call arrays backed by a small process-wide pool.
//
// Problem
//   Every max-flow call rebuilds its residual network and the algorithm's per-node state (one
//   or two arrays per arc and per node). Fresh pages cost a page fault and kernel zeroing on
//   first touch, about as much as building the network itself, so calls of similar size on the
//   same graph should reuse the memory of the previous call instead of allocating it anew.
//
// Contract
//   make_scratch_buffer<T>(count) returns uninitialised storage for `count` trivially
//   constructible, trivially destructible T; ScratchArray<T> is the same with its size (and
//   optionally a fill value). Storage of 64 KiB and more comes from the pool and goes back to
//   it when the owner is destroyed; smaller storage is plain malloc. release_scratch_memory()
//   frees every block the pool holds. Thread-safe: any thread may take and give blocks.
//
// Invariants (of the pool)
//   It holds at most max_blocks blocks and max_held bytes; a request is served by the smallest
//   held block that fits and is at most twice the size asked for, otherwise by a new block.
//   Blocks of 4 MiB and more are aligned to 2 MiB and marked for transparent huge pages, which
//   also cuts the TLB misses of the algorithms' random accesses.
//
// Complexity: O(blocks held) per pooled take or give, under one mutex; no per-element work.
//
// References: madvise(2), MADV_HUGEPAGE (Linux transparent huge pages).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(_WIN32)
#include <malloc.h>
#endif

namespace routecore {

namespace detail {

// Storage of `bytes` (a multiple of `alignment`, a power of two) aligned to `alignment`, or
// nullptr; given back with aligned_block_free. MSVC's C runtime has no std::aligned_alloc (its
// free cannot release over-aligned blocks); posix_memalign serves every POSIX system, including
// macOS releases older than 10.15, where aligned_alloc is missing.
inline void* aligned_block_alloc(std::size_t alignment, std::size_t bytes) {
#if defined(_WIN32)
  return _aligned_malloc(bytes, alignment);
#else
  void* p = nullptr;
  return posix_memalign(&p, alignment, bytes) == 0 ? p : nullptr;
#endif
}

inline void aligned_block_free(void* p) {
#if defined(_WIN32)
  _aligned_free(p);
#else
  std::free(p);
#endif
}

// The process-wide pool behind make_scratch_buffer (see the header comment).
class ScratchPool {
 public:
  static constexpr std::size_t min_pooled = std::size_t{64} << 10;  // smaller: plain malloc
  static constexpr std::size_t max_held = std::size_t{1} << 30;     // bytes kept for reuse
  static constexpr std::size_t max_blocks = 32;                     // blocks kept for reuse
  static constexpr std::size_t huge_page = std::size_t{2} << 20;
  static constexpr std::size_t page = 4096;

  // Never destroyed (deliberately leaked; the process exit returns its memory): a destructor
  // would run at exit while a worker thread of a call still running in a daemon Python thread
  // gives its blocks back, which freed them twice ("double free or corruption", SIGABRT).
  static ScratchPool& instance() {
    static ScratchPool* const pool = new ScratchPool();
    return *pool;
  }

  // A block of at least `bytes` (rounded up to whole pages); returns its size in `bytes`.
  void* take(std::size_t& bytes) {
    bytes = (bytes + page - 1) / page * page;
    const bool huge = bytes >= 2 * huge_page;
    if (huge) bytes = (bytes + huge_page - 1) / huge_page * huge_page;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // The smallest block that fits and is not more than twice too big.
      std::size_t best = blocks_.size();
      for (std::size_t i = 0; i < blocks_.size(); ++i) {
        const std::size_t size = blocks_[i].second;
        if (size >= bytes && size <= 2 * bytes &&
            (best == blocks_.size() || size < blocks_[best].second))
          best = i;
      }
      if (best < blocks_.size()) {
        auto [p, size] = blocks_[best];
        blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(best));
        held_ -= size;
        bytes = size;
        return p;
      }
    }
    void* p = aligned_block_alloc(huge ? huge_page : page, bytes);
    if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (huge) madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
  }

  void give(void* p, std::size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (blocks_.size() < max_blocks && held_ + bytes <= max_held) {
        blocks_.emplace_back(p, bytes);
        held_ += bytes;
        return;
      }
    }
    aligned_block_free(p);
  }

  void release() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [p, size] : blocks_) aligned_block_free(p);
    blocks_.clear();
    held_ = 0;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<void*, std::size_t>> blocks_;
  std::size_t held_ = 0;
};

struct ScratchDeleter {
  std::size_t pooled_bytes = 0;  // 0: plain malloc
  void operator()(void* p) const {
    if (pooled_bytes > 0) {
      ScratchPool::instance().give(p, pooled_bytes);
    } else {
      std::free(p);
    }
  }
};

}  // namespace detail

// Storage from make_scratch_buffer; returns to the pool (or to malloc) when destroyed.
template <class T>
using ScratchBuffer = std::unique_ptr<T[], detail::ScratchDeleter>;

// Uninitialised storage for `count` elements (at least one byte).
template <class T>
ScratchBuffer<T> make_scratch_buffer(std::size_t count) {
  static_assert(std::is_trivially_default_constructible_v<T> &&
                std::is_trivially_destructible_v<T>);
  std::size_t bytes = std::max<std::size_t>(count * sizeof(T), 1);
  if (bytes >= detail::ScratchPool::min_pooled) {
    void* p = detail::ScratchPool::instance().take(bytes);
    return ScratchBuffer<T>(static_cast<T*>(p), detail::ScratchDeleter{bytes});
  }
  void* p = std::malloc(bytes);
  if (p == nullptr) throw std::bad_alloc();
  return ScratchBuffer<T>(static_cast<T*>(p), detail::ScratchDeleter{0});
}

// A fixed-size array in scratch storage, for per-node and per-arc state.
template <class T>
class ScratchArray {
 public:
  ScratchArray() = default;
  explicit ScratchArray(std::size_t size) : data_(make_scratch_buffer<T>(size)), size_(size) {}
  ScratchArray(std::size_t size, T value) : ScratchArray(size) {
    std::fill_n(data_.get(), size, value);
  }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  ScratchBuffer<T> data_;
  std::size_t size_ = 0;
};

// Frees the scratch blocks that max-flow calls keep for reuse.
inline void release_scratch_memory() { detail::ScratchPool::instance().release(); }

}  // namespace routecore
