#pragma once
// How numbers from the engine are written on screen (dashboard cards, chart tooltips, inspector).
// Formatting only: no metric is computed here. Integers follow the default QLocale; money, rates
// and durations use a fixed '.' decimal point so values read the same in tooltips and exports.
#include <QString>
#include <optional>

namespace djp {

QString formatMoney(double usd); // display form (not pricing/money.h formatUsd, which keeps 4 decimals for budgets):
                                 // "$1.23", "$0.0123", "$0.000045"
// Money in a table column: always `decimals` decimals, so a column of costs lines up ("$0.0700",
// "$0.0092") instead of mixing "$0.07" and "$0.009245". Exact values belong in the tooltip.
QString formatMoneyFixed(double usd, int decimals);
QString formatUsdOrUnknown(std::optional<double> usd); // "unknown" when unpriced
QString formatRate(double rate); // 0.4567 -> "45.7%"
QString formatCount(qint64 n); // locale grouping
// The `n` that picks the singular or plural form of a %n message (docs/architecture.md, "Plurals") for a
// count that may exceed an int, such as tokens: tr()'s count is an int, and English only tells 1 apart
// from every other number, so a count beyond INT_MAX picks the plural as it should. The text shows the
// full number through formatCount().
int pluralCount(qint64 n);
QString formatDurationSeconds(double seconds); // "850 ms", "12.3 s", "2 min 05 s", "1 h 02 min"
QString formatLatencyMs(double ms); // "850 ms", "12.3 s"

// Text from artifacts (tasks, reasons, provider names) shown in a tooltip: QToolTip guesses rich
// text from the content, so untrusted text is escaped and wrapped to force a literal rendering.
QString plainTextToolTip(const QString& text);

} // namespace djp
