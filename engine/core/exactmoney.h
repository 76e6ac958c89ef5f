#pragma once
// Exact money (docs/pricing.md): integer nano-dollars and exact decimal text conversions. Lives in core so
// that every module (artifact reader, metrics, pricing, budgets) sums money the same way;
// pricing/money.h re-exports it with the display helpers.
#include <QString>
#include <QtGlobal>
#include <optional>
#include <string>
#include <string_view>

namespace djp {

using NanoUsd = qint64; // integer nano-dollars: the source of every stored sum
inline constexpr NanoUsd kNanoPerUsd = 1'000'000'000;
// $1e9: far above any real spend, small enough that sums of thousands never overflow. Stands for
// "unaffordable" (a fail-safe price when nothing is known) and is where conversions saturate.
inline constexpr NanoUsd kNanoUsdSaturation = 1'000'000'000'000'000'000LL;

// n / 1e9 as the nearest double: printed with the shortest round-trip format (JSON writers, QString
// 'g' 17) it reads as the exact decimal (43654600 -> 0.0436546).
double nanoToUsd(NanoUsd n);
// USD -> nano-dollars through the double's shortest decimal text, rounded up / down to the nano-dollar
// (0.3 -> 300000000 both ways; 0.30000000000000004 -> 300000001 up). Negative or NaN -> 0; huge or
// infinite -> kNanoUsdSaturation.
NanoUsd usdToNanoCeil(double usd);
NanoUsd usdToNanoFloor(double usd);
// Nearest nano-dollar (half up), for amounts read back from files: a legacy 0.0123456789 -> 12345679.
NanoUsd usdToNanoNearest(double usd);
// The nano-dollars of a JSON number's text, exactly (nearest, half up): "0.0436546" -> 43654600.
// nullopt for text that is not a plain non-negative number.
std::optional<NanoUsd> decimalTextToNano(std::string_view text);
// Adds, clamping at kNanoUsdSaturation (and at 0 below).
NanoUsd saturatingAddNano(NanoUsd a, NanoUsd b);

// The exact decimal text of a nano amount, trailing zeros dropped: 43654600 -> "0.0436546",
// 2500000000 -> "2.5", 0 -> "0". Used where a figure must never show float noise (CSV, quotes).
QString nanoToDecimal(NanoUsd n);

// Exact decimal arithmetic on number text: the value of `text` (digits, optional fraction, optional
// exponent, no sign) times 10^scale, rounded up (ceil) or down. nullopt for malformed text, negative
// numbers, or results above INT64_MAX. "0.075", 9 -> 75000000; "1.25e-07", 15 -> 125000000.
std::optional<qint64> scaleDecimal(std::string_view text, int scale, bool roundUp = true);
// The shortest decimal text that reads back as `v` ("0.1", "2.5e-07").
std::string shortestDecimal(double v);

} // namespace djp
