// routecore/parallel.h — run independent tasks on a few threads, with cooperative cancellation.
//
// Contract
//   parallel_for(count, threads, fn) calls fn(task, worker) exactly once for every task in
//   [0, count) unless cancelled, using min(threads, count) threads (the calling thread is one of
//   them). `worker` in [0, threads) identifies the thread, so callers can keep one scratch
//   workspace per worker instead of allocating per task. Tasks are handed out dynamically (an
//   atomic counter), so uneven task costs still balance.
//   The first exception thrown by fn stops the hand-out of new tasks and is rethrown in the
//   calling thread after all threads have joined.
//
// Cancellation: a `Cancel` flag is polled by long-running loops (every few thousand steps) and
// between tasks. The binding layer sets it when Python reports a pending signal (Ctrl-C); the
// algorithm then returns early with an unspecified partial result that the binding discards.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace routecore {

class Cancel {
 public:
  using PollFn = bool (*)(void* context);

  void request() { requested_.store(true, std::memory_order_relaxed); }

  // True once cancellation was requested. On the thread that installed a poll (set_poll), also
  // runs poll(context) and cancels when it returns true: the binding layer uses this to ask
  // Python about Ctrl-C while a computation runs on the calling thread itself, so that every
  // polling loop can be interrupted whatever the input size. The poll throttles itself.
  bool requested() const {
    if (requested_.load(std::memory_order_relaxed)) return true;
    if (poll_ != nullptr && std::this_thread::get_id() == owner_ && poll_(context_)) {
      requested_.store(true, std::memory_order_relaxed);
      return true;
    }
    return false;
  }

  // Installs `poll` for the calling thread (other threads never run it).
  void set_poll(PollFn poll, void* context) {
    poll_ = poll;
    context_ = context;
    owner_ = std::this_thread::get_id();
  }

 private:
  mutable std::atomic<bool> requested_{false};
  PollFn poll_ = nullptr;
  void* context_ = nullptr;
  std::thread::id owner_{};
};

// Number of hardware threads, at least 1.
inline int available_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

template <class Fn>
void parallel_for(std::int64_t count, int threads, const Cancel* cancel, Fn&& fn) {
  if (count <= 0) return;
  const int workers =
      static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(threads, count)));
  std::atomic<std::int64_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  std::atomic<bool> failed{false};
  auto work = [&](int worker) {
    try {
      for (;;) {
        if (failed.load(std::memory_order_relaxed)) return;
        if (cancel != nullptr && cancel->requested()) return;
        const std::int64_t task = next.fetch_add(1, std::memory_order_relaxed);
        if (task >= count) return;
        fn(task, worker);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      failed.store(true);
    }
  };
  if (workers == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(workers - 1));
    for (int w = 1; w < workers; ++w) {
      // Tasks are handed out dynamically, so if the system refuses another thread the ones
      // already started (and this one) simply do all the work.
      try {
        pool.emplace_back(work, w);
      } catch (const std::system_error&) {
        break;
      }
    }
    work(0);
    for (auto& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace routecore
