#pragma once
// Exact money and how USD amounts are written (gate messages, CLI, logs).
//
// Every stored sum of money is an integer number of nano-dollars (NanoUsd): adding integers never
// produces float noise such as 0.30000000000000004. Doubles appear only at the edges (JSON numbers,
// user input), converted through their shortest decimal text so that 0.3 is exactly 300,000,000 nano.
#include "core/exactmoney.h"

#include <QString>
#include <utility>

namespace djp {

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
