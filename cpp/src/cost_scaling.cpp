// Cost-scaling push-relabel min-cost flow (see routecore/cost_scaling.h for the contract and the
// method). Written from the papers cited there.
#include "routecore/cost_scaling.h"
#include "routecore/checked_math.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

namespace routecore {

namespace {

using i32 = std::int32_t;
using i64 = std::int64_t;
constexpr i64 kBoundLimit = i64{1} << 62;
constexpr i64 kPriceLimit = i64{1} << 61;
constexpr i64 kInf = kInfiniteCapacity;
// Work between two polls of the cancel flag (pushes, relabels, arcs scanned in bulk passes).
constexpr i64 kPollWork = 1 << 16;

// F = sum |b| + the sum of the finite capacities, or -1 beyond 2^62.
i64 flow_bound(const McfProblem& p) {
  // Every term and partial sum is checked before it could overflow int64: both terms of each
  // addition are at most 2^62.
  i64 total = 0;
  for (i64 b : p.supply) {
    if (b < -kBoundLimit || b > kBoundLimit) return -1;
    total += b < 0 ? -b : b;
    if (total > kBoundLimit) return -1;
  }
  for (i64 u : p.capacity) {
    if (u == kInf) continue;
    if (u > kBoundLimit) return -1;
    total += u;
    if (total > kBoundLimit) return -1;
  }
  return total;
}

class CostScaling {
 public:
  CostScaling(const McfProblem& p, i64 big_cap)
      : n_(p.num_nodes), m_(static_cast<i32>(p.tail.size())), big_cap_(big_cap), p_(p) {
    const auto n = static_cast<std::size_t>(n_);
    // Residual arcs grouped by tail (counting sort): input arc a (not a self-loop) becomes the
    // forward arc fwd_[a] at its tail and that arc's sister at its head.
    first_out_.assign(n + 1, 0);
    for (i32 a = 0; a < m_; ++a) {
      const i32 t = p.tail[static_cast<std::size_t>(a)];
      const i32 h = p.head[static_cast<std::size_t>(a)];
      if (t == h) continue;
      ++first_out_[static_cast<std::size_t>(t) + 1];
      ++first_out_[static_cast<std::size_t>(h) + 1];
    }
    for (std::size_t v = 0; v < n; ++v) first_out_[v + 1] += first_out_[v];
    const auto arcs = static_cast<std::size_t>(first_out_[n]);
    head_.resize(arcs);
    sister_.resize(arcs);
    rescap_.resize(arcs);
    cost_.resize(arcs);
    fwd_.assign(static_cast<std::size_t>(m_), -1);
    std::vector<i32> next(first_out_.begin(), first_out_.end() - 1);
    const i64 scale = static_cast<i64>(n_) + 1;
    for (i32 a = 0; a < m_; ++a) {
      const auto ai = static_cast<std::size_t>(a);
      const i32 t = p.tail[ai];
      const i32 h = p.head[ai];
      if (t == h) continue;
      const i32 f = next[static_cast<std::size_t>(t)]++;
      const i32 r = next[static_cast<std::size_t>(h)]++;
      fwd_[ai] = f;
      head_[f] = h;
      head_[r] = t;
      sister_[f] = r;
      sister_[r] = f;
      rescap_[f] = p.capacity[ai] == kInf ? big_cap_ : p.capacity[ai];
      rescap_[r] = 0;
      cost_[f] = p.cost[ai] * scale;
      cost_[r] = -cost_[f];
    }
    excess_.assign(p.supply.begin(), p.supply.end());
    price_.assign(n, 0);
    current_.assign(first_out_.begin(), first_out_.end() - 1);
  }

  mcf_status run(const Cancel* cancel) {
    cancel_ = cancel;
    if (!route_supplies()) return cancelled_ ? mcf_status::cancelled : mcf_status::infeasible;
    i64 eps = 0;
    for (i64 c : cost_) eps = std::max(eps, c);
    while (eps > 1) {
      eps = std::max<i64>(1, eps / kCostScalingAlpha);
      if (!refine(eps)) return cancelled_ ? mcf_status::cancelled : mcf_status::overflow;
    }
    exact_potentials();
    return mcf_status::optimal;
  }

  // Flow per input arc; true when no uncapacitated arc carries more than big_cap_ - 1.
  bool output(McfOutcome& out) const {
    out.flow.assign(static_cast<std::size_t>(m_), 0);
    bool within = true;
    Int128 total;
    for (i32 a = 0; a < m_; ++a) {
      const auto ai = static_cast<std::size_t>(a);
      i64 f = 0;
      if (fwd_[ai] >= 0) {
        f = rescap_[sister_[fwd_[ai]]];
      } else if (p_.cost[ai] < 0) {
        f = p_.capacity[ai];  // a self-loop: saturated when negative (kInf: unbounded, see run)
      }
      if (p_.capacity[ai] == kInf && f >= big_cap_) within = false;
      out.flow[ai] = f;
      total += mul_wide(f, p_.cost[ai]);
    }
    out.total_cost = total;
    out.potential = potential_;
    return within;
  }

 private:
  i64 reduced(i32 v, i32 r) const { return cost_[r] + price_[v] - price_[head_[r]]; }

  void push(i32 v, i32 r, i64 delta) {
    rescap_[r] -= delta;
    rescap_[sister_[r]] += delta;
    excess_[v] -= delta;
    excess_[head_[r]] += delta;
  }

  bool poll(i64 work) {
    work_ += work;
    if (work_ < kPollWork) return false;
    work_ = 0;
    if (cancel_ != nullptr && cancel_->requested()) cancelled_ = true;
    return cancelled_;
  }

  // Phase 1: FIFO push-relabel from the supplies towards the demands (a max-flow from a virtual
  // source to a virtual sink). Labels: d(v) <= d(w) + 1 on residual arcs, d = 0 at nodes that
  // still need flow, n for nodes that cannot reach one. True when every supply was routed.
  bool route_supplies() {
    const auto n = static_cast<std::size_t>(n_);
    std::vector<i32> label(n, 0);
    std::vector<i32> queue;
    queue.reserve(n);
    std::vector<std::uint8_t> queued(n, 0);
    i64 relabels = 0;
    std::size_t head = 0;  // the FIFO is queue[head ..]
    auto global_relabel = [&]() {
      std::fill(label.begin(), label.end(), n_);
      std::vector<i32> bfs;
      bfs.reserve(n);
      for (i32 v = 0; v < n_; ++v) {
        if (excess_[v] < 0) {
          label[v] = 0;
          bfs.push_back(v);
        }
      }
      for (std::size_t i = 0; i < bfs.size(); ++i) {
        const i32 w = bfs[i];
        for (i32 r = first_out_[w]; r < first_out_[w + 1]; ++r) {
          const i32 v = head_[r];
          if (label[v] == n_ && rescap_[sister_[r]] > 0) {
            label[v] = label[w] + 1;
            bfs.push_back(v);
          }
        }
      }
      if (poll(static_cast<i64>(first_out_[n]))) return;
      queue.clear();
      head = 0;
      std::fill(queued.begin(), queued.end(), 0);
      for (i32 v = 0; v < n_; ++v) {
        current_[v] = first_out_[v];
        if (excess_[v] > 0 && label[v] < n_) {
          queue.push_back(v);
          queued[v] = 1;
        }
      }
      relabels = 0;
    };
    global_relabel();
    while (!cancelled_) {
      if (head == queue.size()) break;
      const i32 v = queue[head++];
      queued[v] = 0;
      if (head > n && head * 2 > queue.size()) {  // compact the FIFO now and then
        queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(head));
        head = 0;
      }
      while (excess_[v] > 0 && label[v] < n_) {
        i32 r = current_[v];
        const i32 end = first_out_[v + 1];
        for (; r < end; ++r) {
          const i32 w = head_[r];
          if (rescap_[r] > 0 && label[v] == label[w] + 1) {
            const bool was_idle = excess_[w] <= 0;
            push(v, r, std::min(excess_[v], rescap_[r]));
            if (was_idle && excess_[w] > 0 && queued[w] == 0) {
              queue.push_back(w);
              queued[w] = 1;
            }
            if (excess_[v] == 0) break;
          }
        }
        current_[v] = r < end ? r : first_out_[v];
        if (excess_[v] > 0) {
          i32 d = n_;
          for (i32 s = first_out_[v]; s < end; ++s) {
            if (rescap_[s] > 0) d = std::min(d, label[head_[s]] + 1);
          }
          label[v] = d;
          ++relabels;
          if (poll(end - first_out_[v])) break;
        }
      }
      if (relabels > n_) global_relabel();
    }
    if (cancelled_) return false;
    for (i32 v = 0; v < n_; ++v) {
      if (excess_[v] != 0) return false;  // a supply no residual path could route
    }
    for (i32 v = 0; v < n_; ++v) current_[v] = first_out_[v];
    return true;
  }

  // One refinement to eps-optimality; false when cancelled or a price leaves the safe range.
  bool refine(i64 eps) {
    for (i32 v = 0; v < n_; ++v) {
      for (i32 r = first_out_[v]; r < first_out_[v + 1]; ++r) {
        if (rescap_[r] > 0 && reduced(v, r) < 0) push(v, r, rescap_[r]);
      }
      current_[v] = first_out_[v];
    }
    if (poll(static_cast<i64>(head_.size()))) return false;
    std::vector<i32>& queue = queue_;
    queue.clear();
    for (i32 v = 0; v < n_; ++v) {
      if (excess_[v] > 0) queue.push_back(v);
    }
    i64 relabels = 0;
    std::size_t qh = 0;
    while (qh < queue.size()) {
      const i32 v = queue[qh++];
      if (qh > static_cast<std::size_t>(n_) && qh * 2 > queue.size()) {
        queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(qh));
        qh = 0;
      }
      const i32 begin = first_out_[v];
      const i32 end = first_out_[v + 1];
      while (excess_[v] > 0) {
        i32 r = current_[v];
        for (; r < end; ++r) {
          if (rescap_[r] <= 0 || reduced(v, r) >= 0) continue;
          const i32 w = head_[r];
          // Look-ahead (Goldberg 1997): a node without a deficit and without an admissible arc
          // would only send the flow back; relabel it first, then re-check this arc.
          if (excess_[w] >= 0 && !has_admissible(w)) {
            if (!relabel(w, eps)) return false;
            ++relabels;
            if (reduced(v, r) >= 0) continue;
          }
          const bool was_idle = excess_[w] <= 0;
          push(v, r, std::min(excess_[v], rescap_[r]));
          if (was_idle && excess_[w] > 0) queue.push_back(w);
          if (excess_[v] == 0) break;
        }
        current_[v] = r < end ? r : begin;
        if (excess_[v] > 0) {
          // An active node always has a residual arc (its excess came in through one, whose
          // reverse is residual), so its price falls; the check guards against a loop.
          const i64 before = price_[v];
          if (!relabel(v, eps) || price_[v] == before) return false;
          ++relabels;
          if (poll(end - begin)) return false;
        }
      }
      if (relabels > n_) {
        if (!price_update(eps)) return false;
        relabels = 0;
        if (poll(static_cast<i64>(head_.size()))) return false;
      }
    }
    return true;
  }

  // True when v has an admissible arc (residual, reduced cost < 0); moves v's current arc to it.
  bool has_admissible(i32 v) {
    const i32 end = first_out_[v + 1];
    for (i32 r = current_[v]; r < end; ++r) {
      if (rescap_[r] > 0 && reduced(v, r) < 0) {
        current_[v] = r;
        return true;
      }
    }
    current_[v] = end;
    return false;
  }

  // Relabel: the highest price that leaves every residual arc of v at reduced cost >= -eps
  // (v has no admissible arc, so the price falls by eps at least). A node without residual
  // arcs keeps its price. False when the price leaves the safe range.
  bool relabel(i32 v, i64 eps) {
    const i32 begin = first_out_[v];
    const i32 end = first_out_[v + 1];
    i64 best = std::numeric_limits<i64>::min();
    for (i32 s = begin; s < end; ++s) {
      if (rescap_[s] > 0) best = std::max(best, price_[head_[s]] - cost_[s]);
    }
    current_[v] = begin;
    if (best == std::numeric_limits<i64>::min()) return true;
    price_[v] = best - eps;
    return price_[v] >= -kPriceLimit && price_[v] <= kPriceLimit;
  }

  // Global price update: dist(v) = least sum of floor(rc / eps) + 1 over residual paths from v
  // to a node with a deficit (Dial's buckets), capped; then p(v) -= eps * dist(v). Any capped
  // shortest-path function keeps eps-optimality (dist(v) <= dist(w) + floor(rc / eps) + 1).
  // False when a price leaves the safe range.
  bool price_update(i64 eps) {
    const auto n = static_cast<std::size_t>(n_);
    constexpr i32 kUnset = std::numeric_limits<i32>::max();
    dist_.assign(n, kUnset);
    done_.assign(n, 0);
    const auto limit = static_cast<std::size_t>(n_) + 1;
    if (buckets_.size() < limit + 1) buckets_.resize(limit + 1);
    for (auto& b : buckets_) b.clear();
    i64 waiting = 0;  // nodes with excess not yet reached
    for (i32 v = 0; v < n_; ++v) {
      if (excess_[v] < 0) {
        dist_[v] = 0;
        buckets_[0].push_back(v);
      } else if (excess_[v] > 0) {
        ++waiting;
      }
    }
    std::size_t level = 0;
    for (; level <= limit && waiting > 0; ++level) {
      auto& bucket = buckets_[level];
      for (std::size_t i = 0; i < bucket.size(); ++i) {
        const i32 w = bucket[i];
        if (done_[w] != 0 || static_cast<std::size_t>(dist_[w]) != level) continue;
        done_[w] = 1;
        if (excess_[w] > 0 && --waiting == 0) break;
        for (i32 r = first_out_[w]; r < first_out_[w + 1]; ++r) {
          const i32 s = sister_[r];  // the arc head_[r] -> w
          const i32 v = head_[r];
          if (rescap_[s] <= 0 || done_[v] != 0) continue;
          const i64 rc = price_[v] - price_[w] - cost_[r];  // cost_[s] == -cost_[r]
          const i64 len = rc < 0 ? 0 : rc / eps + 1;
          const i64 d = static_cast<i64>(level) + len;
          if (d < dist_[v] && d <= static_cast<i64>(limit)) {
            dist_[v] = static_cast<i32>(d);
            buckets_[static_cast<std::size_t>(d)].push_back(v);
          }
        }
      }
      if (waiting == 0) break;
    }
    const i64 cap = static_cast<i64>(std::min(level, limit));
    bool ok = true;  // false when a price leaves the safe range
    for (i32 v = 0; v < n_; ++v) {
      const i64 d = done_[v] != 0 ? dist_[v] : cap;
      price_[v] -= eps * d;
      current_[v] = first_out_[v];
      if (price_[v] < -kPriceLimit) ok = false;
    }
    return ok;
  }

  // Exact duals for the original costs (see the header, step 3).
  void exact_potentials() {
    const auto n = static_cast<std::size_t>(n_);
    potential_.assign(n, 0);
    if (n_ == 0) return;
    const i64 top = *std::max_element(price_.begin(), price_.end());
    std::vector<i64> key(n);
    using Entry = std::pair<i64, i32>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
    for (i32 v = 0; v < n_; ++v) {
      key[v] = top - price_[v];
      heap.emplace(key[v], v);
    }
    while (!heap.empty()) {
      const auto [k, v] = heap.top();
      heap.pop();
      if (k != key[v]) continue;
      for (i32 r = first_out_[v]; r < first_out_[v + 1]; ++r) {
        if (rescap_[r] <= 0) continue;
        const i32 w = head_[r];
        const i64 next = k + reduced(v, r) + 1;
        if (next < key[w]) {
          key[w] = next;
          heap.emplace(next, w);
        }
      }
    }
    const i64 scale = static_cast<i64>(n_) + 1;
    for (i32 v = 0; v < n_; ++v) {
      const i64 e = key[v] + price_[v] - top;  // <= 0: the empty path
      potential_[v] = e >= 0 ? e / scale : -((-e + scale - 1) / scale);
    }
  }

  i32 n_;
  i32 m_;
  i64 big_cap_;  // the capacity given to uncapacitated arcs: F + 1
  const McfProblem& p_;
  // The residual network: arcs of node v are first_out_[v] .. first_out_[v + 1] - 1; head_,
  // the sister arc (the reverse), the residual capacity and the cost times n + 1. fwd_[a] is
  // input arc a's forward residual arc (-1 for a self-loop), whose sister's residual capacity
  // is the flow on a.
  std::vector<i32> first_out_;
  std::vector<i32> head_;
  std::vector<i32> sister_;
  std::vector<i64> rescap_;
  std::vector<i64> cost_;
  std::vector<i32> fwd_;
  // Node state: excess (inflow - outflow + supply), price, the arc the next scan starts at.
  std::vector<i64> excess_;
  std::vector<i64> price_;
  std::vector<i32> current_;
  std::vector<i64> potential_;  // the exact duals, set by exact_potentials
  // Scratch of refine and price_update.
  std::vector<i32> queue_;
  std::vector<i32> dist_;
  std::vector<std::uint8_t> done_;
  std::vector<std::vector<i32>> buckets_;
  const Cancel* cancel_ = nullptr;
  i64 work_ = 0;
  bool cancelled_ = false;
};

}  // namespace

bool check_cost_scaling_bounds(const McfProblem& p) {
  const i64 c = max_abs_cost(p.cost);
  if (c < 0 || p.num_nodes < 0) return false;
  // Every intermediate is an int64 checked for overflow: a value that does not fit is above the
  // limit 2^62 anyway, so an overflow refuses the problem like the limit does.
  const i64 n = p.num_nodes;
  i64 scaled = 0;
  i64 bound = 0;
  if (mul_overflow(n + 1, c, &scaled) || add_overflow(scaled, i64{1}, &scaled) ||
      mul_overflow(i64{8} * (n + 2), scaled, &bound) || bound > kBoundLimit)
    return false;
  if (2 * static_cast<i64>(p.tail.size()) + n + 1 > std::numeric_limits<i32>::max()) return false;
  const i64 f = flow_bound(p);
  return f >= 0 && f < kBoundLimit;
}

McfOutcome solve_cost_scaling(const McfProblem& p, const Cancel* cancel) {
  McfOutcome out;
  if (!check_cost_scaling_bounds(p)) {
    out.status = mcf_status::overflow;
    return out;
  }
  Int128 sum;  // supplies are within 2^62 each (checked above): no overflow in 128 bits
  for (i64 b : p.supply) sum += b;
  if (sum != Int128{0}) {
    out.status = mcf_status::infeasible;
    return out;
  }
  for (std::size_t a = 0; a < p.tail.size(); ++a) {
    if (p.tail[a] == p.head[a] && p.cost[a] < 0 && p.capacity[a] == kInf) {
      // A negative uncapacitated self-loop: unbounded if feasible at all, which the network
      // simplex tells (it reports either, as documented, when both hold).
      return solve_network_simplex(p, cancel);
    }
  }
  CostScaling cs(p, flow_bound(p) + 1);
  out.status = cs.run(cancel);
  if (out.status != mcf_status::optimal) return out;
  if (!cs.output(out)) return solve_network_simplex(p, cancel);  // unbounded or tied (header)
  return out;
}

}  // namespace routecore
