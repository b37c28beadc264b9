// Internal to the multi-commodity flow sources (multicommodity_flow.cpp: the routing steps and
// the run; multicommodity_bounds.cpp: the dual bounds and the result): the solver's state. The
// contract, the method and the certificate are in routecore/multicommodity_flow.h.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <unordered_map>
#include <utility>
#include <vector>

#include "routecore/multicommodity_flow.h"

namespace routecore::mc_detail {

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
  // The better of the two accumulated flows (all phases, or the recent ones), with its primal
  // value and congestion.
  struct BestFlow {
    const Accumulator* acc;
    double value;
    double congestion;
  };
  BestFlow best_flow() const;
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

}  // namespace routecore::mc_detail
