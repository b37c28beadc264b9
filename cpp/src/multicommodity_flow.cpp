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

#include "multicommodity_solver.h"

namespace routecore {

namespace mc_detail {

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

}  // namespace mc_detail

using mc_detail::Solver;

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
