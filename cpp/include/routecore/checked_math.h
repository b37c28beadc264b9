// routecore/checked_math.h — overflow-checked integer arithmetic and an exact 128-bit sum that
// compile on GCC, Clang (Linux, Apple) and MSVC alike.
//
// Problem
//   Capacity totals and the min-cost objective must be exact or refused, never wrapped. The
//   GCC/Clang builtins (__builtin_add_overflow, __int128) that did this are not in MSVC, so the
//   core did not build there. This header states the arithmetic once, with a builtin where the
//   compiler has one and a portable fallback otherwise.
//
// Contract
//   add_overflow(a, b, &r) / mul_overflow(a, b, &r), for a signed or unsigned integral T: return
//     true when the exact result does not fit in T (r is then unspecified), false otherwise with
//     r = a + b (a * b). Same meaning as the GCC/Clang builtins of the same name.
//   Int128: a signed two's-complement 128-bit integer (hi: the upper 64 bits, signed; lo: the
//     lower 64 bits), value = hi * 2^64 + lo. Built from an int64 or as the exact product of two
//     int64 (mul_wide); summed with +=; compared with ==, <, .... Sums wrap modulo 2^128 like
//     unsigned arithmetic (no undefined behaviour): callers keep their totals within +-2^127
//     (network_simplex.h shows why the objective stays below 2^124 in magnitude).
//   detail::*_portable are the fallbacks, exposed so that the unit tests (cpp/tests/
//   test_checked_math.cpp) check them against the builtins on compilers that have both.
//
// Complexity: O(1) per operation.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <type_traits>

#if defined(_MSC_VER) && !defined(__clang__) && defined(_M_X64)
#include <intrin.h>
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ROUTECORE_HAS_OVERFLOW_BUILTINS 1
#else
#define ROUTECORE_HAS_OVERFLOW_BUILTINS 0
#endif

namespace routecore {

namespace detail {

// a + b in T, decided without evaluating an overflowing expression.
template <class T>
constexpr bool add_overflow_portable(T a, T b, T* r) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  if constexpr (std::is_signed_v<T>) {
    if ((b > 0 && a > std::numeric_limits<T>::max() - b) ||
        (b < 0 && a < std::numeric_limits<T>::min() - b))
      return true;
  } else {
    if (a > std::numeric_limits<T>::max() - b) return true;
  }
  *r = static_cast<T>(a + b);
  return false;
}

// a * b in T, decided by division against the bounds (no wider type needed).
template <class T>
constexpr bool mul_overflow_portable(T a, T b, T* r) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  constexpr T max = std::numeric_limits<T>::max();
  if (a == 0 || b == 0) {
    *r = 0;
    return false;
  }
  if constexpr (std::is_signed_v<T>) {
    constexpr T min = std::numeric_limits<T>::min();
    bool over;
    if (a > 0) {
      over = b > 0 ? a > max / b : b < min / a;
    } else {
      over = b > 0 ? a < min / b : a < max / b;  // both negative: a * b > 0
    }
    if (over) return true;
  } else {
    if (a > max / b) return true;
  }
  *r = static_cast<T>(a * b);
  return false;
}

// The exact product of two int64 as (hi, lo), from 32-bit halves of the magnitudes.
constexpr void mul_wide_portable(std::int64_t a, std::int64_t b, std::int64_t* hi,
                                 std::uint64_t* lo) {
  const bool negative = (a < 0) != (b < 0);
  // Magnitudes as uint64 (INT64_MIN included: 0 - 2^63 modulo 2^64 is 2^63).
  const std::uint64_t ua =
      a < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(a) : static_cast<std::uint64_t>(a);
  const std::uint64_t ub =
      b < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(b) : static_cast<std::uint64_t>(b);
  constexpr std::uint64_t mask = 0xffffffffU;
  const std::uint64_t a0 = ua & mask, a1 = ua >> 32, b0 = ub & mask, b1 = ub >> 32;
  const std::uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const std::uint64_t mid = (p00 >> 32) + (p01 & mask) + (p10 & mask);  // < 3 * 2^32
  std::uint64_t ulo = (mid << 32) | (p00 & mask);
  std::uint64_t uhi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  if (negative) {  // two's complement of the 128-bit magnitude
    ulo = ~ulo + 1;
    uhi = ~uhi + (ulo == 0 ? 1 : 0);
  }
  *hi = static_cast<std::int64_t>(uhi);
  *lo = ulo;
}

}  // namespace detail

template <class T>
bool add_overflow(T a, T b, T* r) {
#if ROUTECORE_HAS_OVERFLOW_BUILTINS
  return __builtin_add_overflow(a, b, r);
#else
  return detail::add_overflow_portable(a, b, r);
#endif
}

template <class T>
bool mul_overflow(T a, T b, T* r) {
#if ROUTECORE_HAS_OVERFLOW_BUILTINS
  return __builtin_mul_overflow(a, b, r);
#else
  return detail::mul_overflow_portable(a, b, r);
#endif
}

// A signed 128-bit integer (see the header comment).
struct Int128 {
  std::int64_t hi = 0;  // upper 64 bits, carries the sign
  std::uint64_t lo = 0;

  constexpr Int128() = default;
  constexpr Int128(std::int64_t v)  // implicit: every int64 is exactly an Int128
      : hi(v < 0 ? -1 : 0), lo(static_cast<std::uint64_t>(v)) {}

  constexpr Int128& operator+=(const Int128& o) {
    const std::uint64_t sum = lo + o.lo;
    const std::uint64_t carry = sum < lo ? 1 : 0;
    lo = sum;
    hi = static_cast<std::int64_t>(static_cast<std::uint64_t>(hi) +
                                   static_cast<std::uint64_t>(o.hi) + carry);
    return *this;
  }
  friend constexpr Int128 operator+(Int128 a, const Int128& b) { return a += b; }
  friend constexpr bool operator==(const Int128&, const Int128&) = default;
  friend constexpr std::strong_ordering operator<=>(const Int128& a, const Int128& b) {
    if (a.hi != b.hi) return a.hi <=> b.hi;
    return a.lo <=> b.lo;
  }
};

// The exact product a * b.
inline Int128 mul_wide(std::int64_t a, std::int64_t b) {
  Int128 r;
#if defined(__SIZEOF_INT128__)
  const __int128 p = static_cast<__int128>(a) * b;
  r.hi = static_cast<std::int64_t>(p >> 64);
  r.lo = static_cast<std::uint64_t>(p);
#elif defined(_MSC_VER) && !defined(__clang__) && defined(_M_X64)
  std::int64_t high = 0;
  r.lo = static_cast<std::uint64_t>(_mul128(a, b, &high));
  r.hi = high;
#else
  detail::mul_wide_portable(a, b, &r.hi, &r.lo);
#endif
  return r;
}

}  // namespace routecore
