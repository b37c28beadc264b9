// Edge cases of routecore/checked_math.h: the portable fallbacks (the code MSVC compiles) and
// the dispatching functions, at the int64 limits, against hand-computed values and, where the
// compiler has them, against the GCC/Clang builtins and __int128 on random and boundary values.
#include <cstdint>
#include <limits>
#include <vector>

#include "check.h"
#include "routecore/checked_math.h"

using routecore::Int128;
using routecore::testing::check;
namespace detail = routecore::detail;

namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;
constexpr i64 kMax = std::numeric_limits<i64>::max();
constexpr i64 kMin = std::numeric_limits<i64>::min();

Int128 make(i64 hi, u64 lo) {
  Int128 r;
  r.hi = hi;
  r.lo = lo;
  return r;
}

void check_limits() {
  i64 r = 0;
  check(!detail::add_overflow_portable(kMax, i64{0}, &r) && r == kMax, "max + 0");
  check(detail::add_overflow_portable(kMax, i64{1}, &r), "max + 1 overflows");
  check(detail::add_overflow_portable(kMin, i64{-1}, &r), "min - 1 overflows");
  check(!detail::add_overflow_portable(kMin, kMax, &r) && r == -1, "min + max = -1");
  check(detail::add_overflow_portable(kMin, kMin, &r), "min + min overflows");
  check(detail::add_overflow_portable(kMax, kMax, &r), "max + max overflows");
  check(!detail::mul_overflow_portable(kMin, i64{1}, &r) && r == kMin, "min * 1");
  check(detail::mul_overflow_portable(kMin, i64{-1}, &r), "min * -1 overflows");
  check(detail::mul_overflow_portable(i64{-1}, kMin, &r), "-1 * min overflows");
  check(!detail::mul_overflow_portable(kMax, i64{-1}, &r) && r == kMin + 1, "max * -1");
  check(detail::mul_overflow_portable(kMax, i64{2}, &r), "max * 2 overflows");
  check(detail::mul_overflow_portable(kMin, kMin, &r), "min * min overflows");
  check(!detail::mul_overflow_portable(i64{3037000499}, i64{3037000499}, &r) &&
            r == i64{3037000499} * i64{3037000499},
        "floor(sqrt(max))^2 fits");
  check(detail::mul_overflow_portable(i64{3037000500}, i64{3037000500}, &r),
        "ceil(sqrt(max))^2 overflows");
  check(!detail::mul_overflow_portable(i64{-4611686018427387904}, i64{2}, &r) && r == kMin,
        "-2^62 * 2 = min");
  check(detail::mul_overflow_portable(i64{4611686018427387904}, i64{2}, &r), "2^62 * 2 overflows");
  u64 u = 0;
  const u64 umax = std::numeric_limits<u64>::max();
  check(detail::add_overflow_portable(umax, u64{1}, &u), "unsigned max + 1 overflows");
  check(!detail::mul_overflow_portable(umax, u64{1}, &u) && u == umax, "unsigned max * 1");
  check(detail::mul_overflow_portable(umax, u64{2}, &u), "unsigned max * 2 overflows");
  // The dispatching functions agree on the same cases.
  check(routecore::add_overflow(kMax, i64{1}, &r), "add_overflow(max, 1)");
  check(!routecore::add_overflow(kMin, kMax, &r) && r == -1, "add_overflow(min, max)");
  check(routecore::mul_overflow(kMin, i64{-1}, &r), "mul_overflow(min, -1)");
  check(!routecore::mul_overflow(kMax, i64{-1}, &r) && r == kMin + 1, "mul_overflow(max, -1)");
}

void check_wide_products() {
  // Exact products at the limits, worked out by hand: 2^126; (2^63 - 1)^2 = 2^126 - 2^64 + 1;
  // -2^63 (2^63 - 1) = -2^126 + 2^63.
  const u64 two63 = u64{1} << 63;
  i64 hi = 0;
  u64 lo = 0;
  detail::mul_wide_portable(kMin, kMin, &hi, &lo);
  check(hi == i64{1} << 62 && lo == 0, "portable min * min = 2^126");
  detail::mul_wide_portable(kMax, kMax, &hi, &lo);
  check(hi == (i64{1} << 62) - 1 && lo == 1, "portable max * max");
  detail::mul_wide_portable(kMin, kMax, &hi, &lo);
  check(hi == -(i64{1} << 62) && lo == two63, "portable min * max");
  detail::mul_wide_portable(i64{-1}, i64{1}, &hi, &lo);
  check(hi == -1 && lo == ~u64{0}, "portable -1 * 1");
  detail::mul_wide_portable(i64{0}, kMin, &hi, &lo);
  check(hi == 0 && lo == 0, "portable 0 * min");
  check(routecore::mul_wide(kMin, kMin) == make(i64{1} << 62, 0), "mul_wide min * min");
  check(routecore::mul_wide(kMax, kMax) == make((i64{1} << 62) - 1, 1), "mul_wide max * max");
  check(routecore::mul_wide(kMin, kMax) == make(-(i64{1} << 62), two63), "mul_wide min * max");
}

void check_sums_and_order() {
  // Carries and borrows across the 64-bit halves.
  Int128 s = Int128{kMax};
  s += Int128{1};
  check(s == make(0, u64{1} << 63), "max + 1 carries into the low half only");
  s = Int128{-1};
  s += Int128{1};
  check(s == Int128{0}, "-1 + 1 = 0 (carry out of lo)");
  s = routecore::mul_wide(kMin, kMin);  // 2^126
  s += routecore::mul_wide(kMin, kMin);
  check(s == make(std::numeric_limits<i64>::min(), 0), "2^126 + 2^126 wraps to -2^127");
  // Order: sign first, then magnitude.
  check(Int128{-1} < Int128{0} && Int128{0} < Int128{1}, "order around zero");
  check(Int128{kMin} < Int128{kMax}, "order of int64 limits");
  check(Int128{kMax} < routecore::mul_wide(kMax, 2), "order beyond int64");
  check(routecore::mul_wide(kMin, 2) < Int128{kMin}, "order below int64");
  // A long sum of products: sum over k of k * (-k) for k in [1, 10^5] = -n(n+1)(2n+1)/6.
  Int128 total;
  for (i64 k = 1; k <= 100000; ++k) total += routecore::mul_wide(k, -k);
  const i64 n = 100000;
  check(total == Int128{-(n * (n + 1) * (2 * n + 1) / 6)}, "sum of products");
}

#if defined(__SIZEOF_INT128__) && ROUTECORE_HAS_OVERFLOW_BUILTINS
// splitmix64: a fixed, seeded stream of test values.
u64 next_random(u64& state) {
  u64 z = (state += 0x9e3779b97f4a7c15U);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9U;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebU;
  return z ^ (z >> 31);
}

// Values at and near the limits, zero and one, the 32-bit boundaries.
std::vector<i64> boundary_values() {
  std::vector<i64> v{0, 1, -1, 2, -2, 3, kMax, kMax - 1, kMin, kMin + 1, kMax / 2, kMin / 2};
  for (i64 k : {i64{1} << 31, i64{1} << 32, i64{1} << 62, (i64{1} << 32) - 1, i64{3037000499},
                i64{3037000500}}) {
    v.push_back(k);
    v.push_back(-k);
  }
  return v;
}

// The fallbacks against the builtins, on every pair of boundary values and random pairs.
void check_against_builtins() {
  std::vector<i64> values = boundary_values();
  u64 state = 20240607;
  for (int k = 0; k < 200; ++k) {
    const u64 x = next_random(state);
    values.push_back(static_cast<i64>(x));
    values.push_back(static_cast<i64>(x >> (x % 63)));  // all magnitudes
  }
  int trial = 0;
  for (i64 a : values) {
    for (i64 b : values) {
      ++trial;
      i64 r1 = 0, r2 = 0;
      const bool o1 = detail::add_overflow_portable(a, b, &r1);
      const bool o2 = __builtin_add_overflow(a, b, &r2);
      check(o1 == o2 && (o1 || r1 == r2), "add: portable == builtin", trial);
      const bool m1 = detail::mul_overflow_portable(a, b, &r1);
      const bool m2 = __builtin_mul_overflow(a, b, &r2);
      check(m1 == m2 && (m1 || r1 == r2), "mul: portable == builtin", trial);
      const __int128 p = static_cast<__int128>(a) * b;
      i64 hi = 0;
      u64 lo = 0;
      detail::mul_wide_portable(a, b, &hi, &lo);
      check(hi == static_cast<i64>(p >> 64) && lo == static_cast<u64>(p),
            "mul_wide: portable == __int128", trial);
      const __int128 q = p + static_cast<__int128>(a);
      const Int128 s = make(hi, lo) + Int128{a};
      check(s.hi == static_cast<i64>(q >> 64) && s.lo == static_cast<u64>(q),
            "Int128 += == __int128 +", trial);
      check((make(hi, lo) < Int128{b}) == (p < b), "Int128 < == __int128 <", trial);
    }
  }
}
#endif

}  // namespace

int main() {
  check_limits();
  check_wide_products();
  check_sums_and_order();
#if defined(__SIZEOF_INT128__) && ROUTECORE_HAS_OVERFLOW_BUILTINS
  check_against_builtins();
#endif
  return routecore::testing::report("test_checked_math");
}
