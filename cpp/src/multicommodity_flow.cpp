// Multi-commodity flow by length functions (see routecore/multicommodity_flow.h for the
// contract, the method and the certificate).
#include "routecore/multicommodity_flow.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <unordered_map>
#include <utility>
#include <vector>

namespace routecore {

namespace {

using i32 = std::int32_t;
using i64 = std::int64_t;
using usize = std::size_t;

constexpr double kInf = std::numeric_limits<double>::infinity();
// Lengths are divided by their maximum once it passes this (every bound is scale-invariant).
constexpr double kRenormalise = 1e150;
// The returned flow is scaled by this much less than its congestion allows, so that summing
// the path flows in another order cannot exceed a capacity by a rounding error.
constexpr double kSafety = 1.0 - 1e-12;

// Routed flow: per stored path, per edge (summed over both arcs and all commodities) and per
// commodity. Two of these are kept (since the start; since the last power-of-two phase).
struct Accumulator {
  std::vector<double> path_flow;
  std::vector<double> edge_load;
  std::vector<double> routed;

  void reset() {
    std::fill(path_flow.begin(), path_flow.end(), 0.0);
    std::fill(edge_load.begin(), edge_load.end(), 0.0);
    std::fill(routed.begin(), routed.end(), 0.0);
  }
};

class Solver {
 public:
  Solver(const MulticommodityProblem& p, const CandidatePaths* candidates, const Cancel* cancel)
      : p_(p),
        g_(p.graph),
        candidates_(candidates),
        cancel_(cancel),
        n_(p.graph.num_nodes),
        m_(static_cast<i32>(p.capacity.size())),
        k_(static_cast<i32>(p.demand.size())),
        step_(p.step_min > 0.0 ? p.step_min : p.epsilon / 2.0),
        step_min_(step_),
        concurrent_(p.objective == mc_objective::concurrent) {
    length_.assign(static_cast<usize>(m_), kInf);
    for (i32 e = 0; e < m_; ++e) {
      if (p.capacity[e] > 0.0) length_[e] = 1.0 / p.capacity[e];
    }
    cap_length_.assign(static_cast<usize>(k_), 0.0);
    trivial_.assign(static_cast<usize>(k_), 0);
    reachable_.assign(static_cast<usize>(k_), 1);
    std::vector<i32> order;
    for (i32 j = 0; j < k_; ++j) {
      if (p.source[j] == p.target[j] || p.demand[j] == 0.0) {
        trivial_[j] = 1;
        continue;
      }
      if (std::isfinite(p.demand[j])) cap_length_[j] = 1.0 / p.demand[j];
      order.push_back(j);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](i32 a, i32 b) { return p.source[a] < p.source[b]; });
    for (usize i = 0; i < order.size(); ++i) {
      if (i == 0 || p.source[order[i]] != p.source[order[i - 1]]) {
        group_start_.push_back(static_cast<i32>(i));
      }
    }
    group_start_.push_back(static_cast<i32>(order.size()));
    members_ = std::move(order);
    dist_.assign(static_cast<usize>(n_), kInf);
    pred_.assign(static_cast<usize>(n_), -1);
    seen_.assign(static_cast<usize>(n_), 0);
    wanted_.assign(static_cast<usize>(n_), 0);
    step_load_.assign(static_cast<usize>(m_), 0.0);
    commodity_dist_.assign(static_cast<usize>(k_), kInf);
    chosen_.assign(static_cast<usize>(k_), -1);
    for (Accumulator* acc : {&all_, &recent_}) {
      acc->edge_load.assign(static_cast<usize>(m_), 0.0);
      acc->routed.assign(static_cast<usize>(k_), 0.0);
    }
    path_start_.push_back(0);
  }

  MulticommodityOutcome run();

 private:
  i32 groups() const { return static_cast<i32>(group_start_.size()) - 1; }
  bool cancelled() const { return cancel_ != nullptr && cancel_->requested(); }

  // Dijkstra from s under the current lengths, stopped once the targets of the commodities in
  // `commodities` are settled; fills commodity_dist_ for them (inf: unreachable). With
  // candidate paths, the least l-length candidate of each commodity instead (chosen_).
  void tree(i32 s, const std::vector<i32>& commodities);
  void best_candidates(const std::vector<i32>& commodities);
  // Upper bound on the optimum from the current lengths (all trees under one frozen l).
  double dual_bound();
  // Routes one concurrent phase (scale * d_j per commodity) or one total round.
  void route_concurrent(double scale);
  void route_total(double threshold);
  // Sends amount[j] (scaled so that no edge gets more than its capacity) along the current
  // tree paths of `active`; amount is changed to what was sent. Updates the lengths.
  void send(std::vector<i32>& active, std::vector<double>& amount);
  i32 store_path(i32 j);
  double primal_of(const Accumulator& acc, double* congestion) const;
  // The dual bound of the lengths with every edge (and demand cap) whose load in the better
  // accumulator is below theta times its congestion set to length 0: by complementary
  // slackness an optimal dual is zero on edges an optimal flow does not saturate, so these
  // lengths often give a much smaller bound (any lengths >= 0 give a valid one).
  // With `power` > 1 the kept lengths are also raised to that power (after dividing by the
  // largest), which weights the most congested edges more.
  double masked_bound(double theta, double power);
  void renormalise();
  MulticommodityOutcome finish(mc_status status, double dual);

  const MulticommodityProblem& p_;
  CsrView g_;
  const CandidatePaths* candidates_;  // null: the tree method
  const Cancel* cancel_;
  i32 n_, m_, k_;
  double step_;
  double step_min_;
  bool concurrent_;

  std::vector<double> length_;           // l[e]; inf for capacity 0 (never used)
  std::vector<double> cap_length_;       // total: length of commodity j's demand cap (0: no cap)
  std::vector<std::uint8_t> trivial_;    // s == t or d == 0: needs no path
  std::vector<std::uint8_t> reachable_;  // false once the first trees found no path
  std::vector<i32> members_;             // non-trivial commodities, grouped by source
  std::vector<i32> group_start_;         // group g is members_[group_start_[g] ..]

  // Dijkstra state, reset lazily by the `seen_` stamp.
  std::vector<double> dist_;
  std::vector<i32> pred_;  // arc into the node on the tree
  std::vector<std::uint32_t> seen_;
  std::vector<std::uint32_t> wanted_;  // == stamp_: a target still to settle
  std::uint32_t stamp_ = 0;
  std::vector<double> commodity_dist_;
  std::vector<i64> chosen_;  // path method: the candidate behind commodity_dist_ (-1: none)

  std::vector<double> step_load_;  // scratch: load of one tree step per edge
  std::vector<i32> touched_;
  std::vector<i32> scratch_arcs_;

  // Stored paths, deduplicated per commodity by a hash of (commodity, arcs).
  std::vector<i32> path_commodity_;
  std::vector<i64> path_start_;
  std::vector<i32> path_arcs_;
  std::unordered_multimap<std::uint64_t, i32> path_index_;
  std::vector<i32> step_path_;  // per active commodity of the current step: its path id

  Accumulator all_, recent_;
  // Dual averaging: the sum of the lengths of the phases since the last power-of-two phase,
  // each divided by its alpha (so that every term is a feasible dual of the same scale). The
  // bound of the average is at most the average of their bounds (alpha is concave), and the
  // averaging cancels the lengths' oscillation.
  double last_alpha_ = 0.0;
  std::vector<double> length_sum_;
  std::vector<double> cap_length_sum_;
  void add_to_average();
  double average_bound();
  i64 phases_ = 0;
  i64 steps_ = 0;
};

void Solver::best_candidates(const std::vector<i32>& commodities) {
  const CandidatePaths& c = *candidates_;
  for (i32 j : commodities) {
    double best = kInf;
    i64 arg = -1;
    for (i64 q = c.commodity_start[j]; q < c.commodity_start[j + 1]; ++q) {
      double len = 0.0;
      for (i64 x = c.path_start[q]; x < c.path_start[q + 1] && len < best; ++x) {
        len += length_[edge_of(g_.arc_edge[c.arcs[x]])];
      }
      if (len < best) {
        best = len;
        arg = q;
      }
    }
    commodity_dist_[j] = best;
    chosen_[j] = arg;
  }
  ++steps_;
}

void Solver::tree(i32 s, const std::vector<i32>& commodities) {
  if (candidates_ != nullptr) {
    best_candidates(commodities);
    return;
  }
  if (++stamp_ == 0) {  // wrapped: clear the stamps once
    std::fill(seen_.begin(), seen_.end(), 0u);
    std::fill(wanted_.begin(), wanted_.end(), 0u);
    stamp_ = 1;
  }
  i32 pending = 0;
  for (i32 j : commodities) {
    const i32 t = p_.target[j];
    if (wanted_[t] != stamp_) {
      wanted_[t] = stamp_;
      ++pending;
    }
  }
  using Item = std::pair<double, i32>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  seen_[s] = stamp_;
  dist_[s] = 0.0;
  pred_[s] = -1;
  heap.emplace(0.0, s);
  while (!heap.empty() && pending > 0) {
    const auto [d, u] = heap.top();
    heap.pop();
    if (d > dist_[u]) continue;
    if (wanted_[u] == stamp_) {
      wanted_[u] = 0;
      --pending;
    }
    for (arc_id a = g_.begin(u); a < g_.end(u); ++a) {
      const double w = length_[edge_of(g_.arc_edge[a])];
      if (w == kInf) continue;
      const i32 v = g_.head[a];
      const double nd = d + w;
      if (seen_[v] != stamp_ || nd < dist_[v]) {
        seen_[v] = stamp_;
        dist_[v] = nd;
        pred_[v] = a;
        heap.emplace(nd, v);
      }
    }
  }
  for (i32 j : commodities) {
    const i32 t = p_.target[j];
    commodity_dist_[j] = seen_[t] == stamp_ ? dist_[t] : kInf;
  }
  ++steps_;
}

double Solver::dual_bound() {
  std::vector<i32> group;
  double alpha = concurrent_ ? 0.0 : kInf;
  for (i32 gi = 0; gi < groups(); ++gi) {
    group.clear();
    for (i32 i = group_start_[gi]; i < group_start_[gi + 1]; ++i) {
      if (reachable_[members_[i]]) group.push_back(members_[i]);
    }
    if (group.empty()) continue;
    tree(p_.source[group.front()], group);
    for (i32 j : group) {
      const double dj = commodity_dist_[j];
      if (dj == kInf) {
        reachable_[j] = 0;
        continue;
      }
      if (concurrent_) {
        alpha += p_.demand[j] * dj;
      } else {
        alpha = std::min(alpha, dj + cap_length_[j]);
      }
    }
  }
  double total = 0.0;  // D(l)
  for (i32 e = 0; e < m_; ++e) {
    if (length_[e] != kInf) total += p_.capacity[e] * length_[e];
  }
  if (!concurrent_) {
    for (i32 j : members_) {
      if (reachable_[j] && cap_length_[j] > 0.0) total += p_.demand[j] * cap_length_[j];
    }
  }
  last_alpha_ = alpha;
  if (concurrent_) return alpha > 0.0 ? total / alpha : kInf;
  // total: no reachable commodity means nothing can be routed (the optimum is 0).
  if (alpha == kInf) return 0.0;
  return alpha > 0.0 ? total / alpha : kInf;
}

i32 Solver::store_path(i32 j) {
  // The chosen candidate, or the tree path to t_j (walked back, then reversed), source first,
  // into scratch_arcs_.
  scratch_arcs_.clear();
  if (candidates_ != nullptr) {
    const CandidatePaths& c = *candidates_;
    const i64 q = chosen_[j];
    scratch_arcs_.assign(c.arcs.begin() + c.path_start[q], c.arcs.begin() + c.path_start[q + 1]);
  } else {
    for (i32 v = p_.target[j]; v != p_.source[j];) {
      const i32 a = pred_[v];
      scratch_arcs_.push_back(a);
      // The tail of arc a: the node whose arc range holds it.
      v = static_cast<i32>(std::upper_bound(g_.first_out, g_.first_out + n_ + 1, a) -
                           g_.first_out) -
          1;
    }
    std::reverse(scratch_arcs_.begin(), scratch_arcs_.end());
  }
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ static_cast<std::uint64_t>(j);
  for (i32 a : scratch_arcs_) {
    h ^= static_cast<std::uint64_t>(a) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  }
  auto [lo, hi] = path_index_.equal_range(h);
  for (auto it = lo; it != hi; ++it) {
    const i32 q = it->second;
    const i64 b = path_start_[q], e = path_start_[q + 1];
    if (path_commodity_[q] == j && e - b == static_cast<i64>(scratch_arcs_.size()) &&
        std::equal(scratch_arcs_.begin(), scratch_arcs_.end(), path_arcs_.begin() + b)) {
      return q;
    }
  }
  const i32 q = static_cast<i32>(path_commodity_.size());
  path_commodity_.push_back(j);
  path_arcs_.insert(path_arcs_.end(), scratch_arcs_.begin(), scratch_arcs_.end());
  path_start_.push_back(static_cast<i64>(path_arcs_.size()));
  all_.path_flow.push_back(0.0);
  recent_.path_flow.push_back(0.0);
  path_index_.emplace(h, q);
  return q;
}

void Solver::send(std::vector<i32>& active, std::vector<double>& amount) {
  touched_.clear();
  step_path_.clear();
  for (usize i = 0; i < active.size(); ++i) {
    const i32 q = store_path(active[i]);
    step_path_.push_back(q);
    if (!concurrent_) {  // at most the path's bottleneck and the commodity's cap
      double bottleneck = amount[i];
      for (i64 x = path_start_[q]; x < path_start_[q + 1]; ++x) {
        bottleneck = std::min(bottleneck, p_.capacity[edge_of(g_.arc_edge[path_arcs_[x]])]);
      }
      amount[i] = bottleneck;
    }
    for (i64 x = path_start_[q]; x < path_start_[q + 1]; ++x) {
      const i32 e = edge_of(g_.arc_edge[path_arcs_[x]]);
      if (step_load_[e] == 0.0) touched_.push_back(e);
      step_load_[e] += amount[i];
    }
  }
  double sigma = 1.0;
  for (i32 e : touched_) sigma = std::max(sigma, step_load_[e] / p_.capacity[e]);
  const double factor = 1.0 / sigma;
  for (usize i = 0; i < active.size(); ++i) {
    const i32 j = active[i];
    const i32 q = step_path_[i];
    amount[i] = sigma == 1.0 ? amount[i] : amount[i] * factor;
    for (Accumulator* acc : {&all_, &recent_}) {
      acc->path_flow[q] += amount[i];
      acc->routed[j] += amount[i];
    }
    if (!concurrent_ && std::isfinite(p_.demand[j])) {
      cap_length_[j] *= 1.0 + step_ * amount[i] / p_.demand[j];
    }
  }
  for (i32 e : touched_) {
    const double load = sigma == 1.0 ? step_load_[e] : step_load_[e] * factor;
    all_.edge_load[e] += load;
    recent_.edge_load[e] += load;
    length_[e] *= 1.0 + step_ * load / p_.capacity[e];
    step_load_[e] = 0.0;
  }
}

void Solver::route_concurrent(double scale) {
  std::vector<i32> active;
  std::vector<double> remaining(static_cast<usize>(k_), 0.0);
  std::vector<double> amount;
  for (i32 gi = 0; gi < groups() && !cancelled(); ++gi) {
    for (i32 i = group_start_[gi]; i < group_start_[gi + 1]; ++i) {
      remaining[members_[i]] = scale * p_.demand[members_[i]];
    }
    for (;;) {
      active.clear();
      for (i32 i = group_start_[gi]; i < group_start_[gi + 1]; ++i) {
        if (remaining[members_[i]] > 0.0) active.push_back(members_[i]);
      }
      if (active.empty() || cancelled()) break;
      tree(p_.source[active.front()], active);
      amount.clear();
      for (i32 j : active) amount.push_back(remaining[j]);
      send(active, amount);
      for (usize i = 0; i < active.size(); ++i) {
        const i32 j = active[i];
        // A full send leaves exactly 0; a scaled one leaves the rest (never below 0).
        remaining[j] = amount[i] >= remaining[j] ? 0.0 : remaining[j] - amount[i];
      }
    }
  }
}

void Solver::route_total(double threshold) {
  std::vector<i32> active, group;
  std::vector<double> amount;
  for (i32 gi = 0; gi < groups() && !cancelled(); ++gi) {
    group.clear();
    for (i32 i = group_start_[gi]; i < group_start_[gi + 1]; ++i) {
      if (reachable_[members_[i]]) group.push_back(members_[i]);
    }
    while (!group.empty() && !cancelled()) {
      tree(p_.source[group.front()], group);
      // Lengths only grow: a commodity above the threshold stays above it this round.
      std::erase_if(group, [&](i32 j) { return commodity_dist_[j] + cap_length_[j] >= threshold; });
      if (group.empty()) break;
      active = group;
      amount.clear();
      for (i32 j : active) amount.push_back(std::isfinite(p_.demand[j]) ? p_.demand[j] : kInf);
      send(active, amount);
    }
  }
}

double Solver::primal_of(const Accumulator& acc, double* congestion) const {
  double cong = 0.0;
  for (i32 e = 0; e < m_; ++e) {
    if (acc.edge_load[e] > 0.0) cong = std::max(cong, acc.edge_load[e] / p_.capacity[e]);
  }
  if (concurrent_) {
    double lam = kInf;
    for (i32 j : members_) lam = std::min(lam, acc.routed[j] / p_.demand[j]);
    *congestion = cong;
    return cong > 0.0 ? lam / cong : 0.0;
  }
  double sum = 0.0;
  for (i32 j : members_) {
    sum += acc.routed[j];
    if (std::isfinite(p_.demand[j])) cong = std::max(cong, acc.routed[j] / p_.demand[j]);
  }
  *congestion = cong;
  return cong > 0.0 ? sum / cong : 0.0;
}

double Solver::masked_bound(double theta, double power) {
  double cong_all = 0.0, cong_recent = 0.0;
  const double v_all = primal_of(all_, &cong_all);
  const double v_recent = primal_of(recent_, &cong_recent);
  const bool use_recent = v_recent > v_all;
  const Accumulator& acc = use_recent ? recent_ : all_;
  const double cong = use_recent ? cong_recent : cong_all;
  if (!(cong > 0.0)) return kInf;
  const std::vector<double> saved = length_;
  const std::vector<double> saved_caps = cap_length_;
  double top = 0.0;
  for (double l : length_) {
    if (l != kInf) top = std::max(top, l);
  }
  for (double l : cap_length_) top = std::max(top, l);
  for (i32 e = 0; e < m_; ++e) {
    if (length_[e] == kInf) continue;
    if (acc.edge_load[e] < theta * cong * p_.capacity[e]) {
      length_[e] = 0.0;
    } else if (power != 1.0) {
      length_[e] = std::pow(length_[e] / top, power);
    }
  }
  if (!concurrent_) {
    for (i32 j : members_) {
      if (cap_length_[j] == 0.0) continue;  // uncapped
      if (acc.routed[j] < theta * cong * p_.demand[j]) {
        cap_length_[j] = 0.0;
      } else if (power != 1.0) {
        cap_length_[j] = std::pow(cap_length_[j] / top, power);
      }
    }
  }
  const double bound = dual_bound();
  length_ = saved;
  // A zeroed cap length must come back as a positive one, not as "no cap".
  cap_length_ = saved_caps;
  return bound;
}

void Solver::add_to_average() {
  if (!(last_alpha_ > 0.0) || last_alpha_ == kInf) return;
  const double w = 1.0 / last_alpha_;
  length_sum_.resize(static_cast<usize>(m_), 0.0);
  cap_length_sum_.resize(static_cast<usize>(k_), 0.0);
  for (i32 e = 0; e < m_; ++e) {
    if (length_[e] != kInf) length_sum_[e] += length_[e] * w;
  }
  for (i32 j = 0; j < k_; ++j) cap_length_sum_[j] += cap_length_[j] * w;
}

double Solver::average_bound() {
  if (length_sum_.empty()) return kInf;
  std::vector<double> saved = length_;
  std::vector<double> saved_caps = cap_length_;
  for (i32 e = 0; e < m_; ++e) {
    if (length_[e] != kInf) length_[e] = length_sum_[e];
  }
  cap_length_ = cap_length_sum_;
  const double bound = dual_bound();
  length_ = std::move(saved);
  cap_length_ = std::move(saved_caps);
  return bound;
}

void Solver::renormalise() {
  double top = 0.0;
  for (double l : length_) {
    if (l != kInf) top = std::max(top, l);
  }
  for (double l : cap_length_) top = std::max(top, l);
  if (top < kRenormalise) return;
  for (double& l : length_) {
    if (l != kInf) l /= top;
  }
  for (double& l : cap_length_) l /= top;
}

MulticommodityOutcome Solver::finish(mc_status status, double dual) {
  MulticommodityOutcome out;
  out.status = status;
  out.phases = phases_;
  out.tree_steps = steps_;
  out.commodity_flow.assign(static_cast<usize>(k_), 0.0);
  double trivial_total = 0.0;
  for (i32 j = 0; j < k_; ++j) {
    if (trivial_[j] && !concurrent_ && p_.source[j] == p_.target[j]) trivial_total += p_.demand[j];
    if (!trivial_[j] && !reachable_[j]) out.unreachable.push_back(j);
  }
  if (status == mc_status::unreachable) {
    out.primal = out.dual = 0.0;
    out.path_start.push_back(0);
    return out;
  }
  double cong_all = 0.0, cong_recent = 0.0;
  const double v_all = primal_of(all_, &cong_all);
  const double v_recent = primal_of(recent_, &cong_recent);
  const bool use_recent = v_recent > v_all;
  const Accumulator& acc = use_recent ? recent_ : all_;
  const double cong = use_recent ? cong_recent : cong_all;
  const double value = (use_recent ? v_recent : v_all) * kSafety;
  std::vector<double> scale(static_cast<usize>(k_), 0.0);  // per commodity: path flow factor
  for (i32 j : members_) {
    if (cong <= 0.0 || acc.routed[j] <= 0.0) continue;
    if (concurrent_) {
      // Trim every commodity to exactly value * d_j.
      scale[j] = value * p_.demand[j] / acc.routed[j];
      out.commodity_flow[j] = value * p_.demand[j];
    } else {
      scale[j] = kSafety / cong;
      out.commodity_flow[j] = acc.routed[j] * scale[j];
    }
  }
  for (i32 j = 0; j < k_; ++j) {
    if (trivial_[j])
      out.commodity_flow[j] =
          concurrent_ ? value * p_.demand[j] : (p_.source[j] == p_.target[j] ? p_.demand[j] : 0.0);
  }
  out.path_start.push_back(0);
  for (usize q = 0; q < path_commodity_.size(); ++q) {
    const i32 j = path_commodity_[q];
    const double f = acc.path_flow[q] * scale[j];
    if (!(f > 0.0)) continue;
    out.path_commodity.push_back(j);
    out.path_flow.push_back(f);
    out.path_arcs.insert(out.path_arcs.end(), path_arcs_.begin() + path_start_[q],
                         path_arcs_.begin() + path_start_[q + 1]);
    out.path_start.push_back(static_cast<i64>(out.path_arcs.size()));
  }
  if (concurrent_) {
    out.primal = cong > 0.0 ? value : 0.0;
    out.dual = dual;
  } else {
    double sum = trivial_total;
    for (i32 j : members_) sum += out.commodity_flow[j];
    out.primal = sum;
    out.dual = dual + trivial_total;
  }
  return out;
}

MulticommodityOutcome Solver::run() {
  double best = kInf;
  for (;;) {
    if (cancelled()) return finish(mc_status::cancelled, best);
    const bool first = phases_ == 0;
    if (!first && phases_ % 4 == 0) {
      // (theta, power) pairs; measured on random graphs and a Starlink snapshot against HiGHS,
      // the power-2 and power-4 variants most often gave the smallest bound.
      constexpr std::pair<double, double> kVariants[] = {{0.9, 1.0},  {0.99, 1.0}, {0.0, 2.0},
                                                         {0.99, 2.0}, {0.0, 4.0},  {0.99, 4.0}};
      for (const auto& [theta, power] : kVariants) {
        best = std::min(best, masked_bound(theta, power));
      }
    }
    if (!first && phases_ % 4 == 0) best = std::min(best, average_bound());
    best = std::min(best, dual_bound());
    add_to_average();
    if (first && concurrent_) {
      for (i32 j : members_) {
        if (!reachable_[j]) return finish(mc_status::unreachable, 0.0);
      }
    }
    double cong = 0.0;
    const double primal = std::max(primal_of(all_, &cong), primal_of(recent_, &cong));
    if (best <= 0.0 || primal * kSafety >= (1.0 - p_.epsilon) * best) {
      return finish(mc_status::converged, best);
    }
    if (phases_ >= p_.max_phases) return finish(mc_status::phase_limit, best);
    if (phases_ >= 2 && (phases_ & (phases_ - 1)) == 0) {
      recent_.reset();
      std::fill(length_sum_.begin(), length_sum_.end(), 0.0);
      std::fill(cap_length_sum_.begin(), cap_length_sum_.end(), 0.0);
    }
    step_ = std::max(step_min_, p_.step_start / std::sqrt(1.0 + static_cast<double>(phases_)));
    if (concurrent_) {
      route_concurrent(best);
    } else {
      double alpha = kInf;  // the smallest commodity length at the start of the round
      for (i32 j : members_) {
        if (reachable_[j]) alpha = std::min(alpha, commodity_dist_[j] + cap_length_[j]);
      }
      route_total(alpha * (1.0 + step_));
    }
    ++phases_;
    renormalise();
  }
}

}  // namespace

MulticommodityOutcome solve_multicommodity_flow(const MulticommodityProblem& p,
                                                const Cancel* cancel) {
  Solver solver(p, nullptr, cancel);
  return solver.run();
}

MulticommodityOutcome solve_path_multicommodity_flow(const MulticommodityProblem& p,
                                                     const CandidatePaths& paths,
                                                     const Cancel* cancel) {
  Solver solver(p, &paths, cancel);
  return solver.run();
}

}  // namespace routecore
