#pragma once
// Exact money and how USD amounts are written (gate messages, CLI, logs).
//
// Every stored sum of money is an integer number of nano-dollars (NanoUsd): adding integers never
// produces float noise such as 0.30000000000000004. Doubles appear only at the edges (JSON numbers,
// user input), converted through their shortest decimal text so that 0.3 is exactly 300,000,000 nano.
#include <QString>
#include <QtGlobal>
#include <optional>
#include <string_view>
#include <utility>

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

// "$" + 4 decimals ("$0.0123", "$12.5000"). Amounts below $0.0001 but above zero get 2 significant
// digits instead ("$0.000012") so they never read as "$0.0000"; exactly zero is "$0.0000".
// Infinity (a fail-safe price with an empty pricing table) reads "$unknown".
QString formatUsd(double usd);

// Both amounts with the same number of decimals: the larger of what formatUsd would use for each.
std::pair<QString, QString> formatUsdCommon(double a, double b);

// Like formatUsdCommon, adding decimals
// (up to 10) until two different amounts read differently, so that "$0.1000 exceeds $0.1000" does not
// happen; amounts that differ only beyond 10 decimals keep the common precision.
std::pair<QString, QString> formatUsdDistinct(double a, double b);

} // namespace djp
