#pragma once
// Chart series for the dashboard as plain values: what each chart draws (points, categories,
// colours), its axis range and labels, and the exact values for hover tooltips. Pure functions of
// DashboardData so they are tested without widgets; the chart widgets only copy them into Qt Charts.
// Nothing here computes a KPI: shares, counts and buckets come from the engine.
#include "display/dashboarddata.h"
#include "display/tones.h"

#include <QColor>
#include <QList>
#include <QLocale>
#include <QPointF>
#include <QStringList>
#include <QTimeZone>
#include <utility>

namespace djp {

// docs/gui.md status colours (exact).
inline constexpr QRgb kPublishedRgb = tone::kGoodRgb;
inline constexpr QRgb kAdvisoryRgb = tone::kWarningRgb;
inline constexpr QRgb kNoneRgb = tone::kBadRgb;
QColor statusColor(const QString& status); // a RunStatus id or the "cancelled" bucket; grey otherwise
// One vocabulary for advisory and failure reasons: legacy codes ("grounded_citations_missing") read as
// sentences ("Grounded citations missing"); reasons that already are sentences are kept as written.
// Display only: filters, sorting and exports keep the raw reason.
QString reasonDisplayText(const QString& reason);

// Bar charts show at most this many categories; the smallest ones are folded into "Other (n more)".
inline constexpr int kMaxBars = 10;

// A horizontal bar chart or a pie: one value per category, in display order (first = top / first slice).
struct CategorySeries
{
    QStringList labels; // short category names for the axis/legend (unique, elided)
    QStringList fullLabels; // untruncated names, for tooltips
    QList<qreal> values;
    QStringList valueTexts; // exact value as written in tooltips, e.g. "12 runs (40.0%)"
    QList<QColor> colors; // per category; empty = the chart's accent colour
    qreal axisMax = 0; // upper bound of the value axis (a "nice" number >= every value)
    int tickCount = 6; // ticks on the value axis, 0 and axisMax included
    QString axisLabelFormat; // printf-style format for value axis labels, e.g. "%.0f%%"
    QString emptyText; // what to say when there is nothing to draw

    bool isEmpty() const { return values.isEmpty(); }
    QString toolTip(int i) const; // "<full label>: <value text>"
    bool operator==(const CategorySeries&) const = default;
};

struct TrendSeries
{
    QList<QPointF> points; // x = bucket index, y = cost (USD)
    QList<std::pair<int, QString>> axisLabels; // thinned bucket labels: (bucket index, label)
    QStringList toolTips; // per bucket: local range, exact cost, runs
    QStringList periodTexts; // per bucket: its local range ("Thu 5 Mar 2026"), for the data table
    QStringList costTexts; // per bucket: exact cost as written in tooltips
    QList<qint64> runCounts; // per bucket: runs started in it
    qreal yMax = 0;
    int yTickCount = 6;
    QString yLabelFormat; // printf-style, e.g. "$%.3f"
    QString emptyText;

    bool isEmpty() const { return points.isEmpty(); }
};

// Labels of a bucket's start in local time, short enough for an axis: "5 Mar 14:00" (hour),
// "5 Mar" (day), "2 Mar 2026" (ISO week, its Monday).
QString bucketLabel(qint64 startMs, BucketSize size, const QTimeZone& zone, const QLocale& locale = QLocale());
// The bucket's full local range for a tooltip, e.g. "Thu 5 Mar 2026, 14:00–15:00".
QString bucketRangeText(
    const TimeBucket& bucket, BucketSize size, const QTimeZone& zone, const QLocale& locale = QLocale());
// Indices of the buckets that get an axis label: every k-th from the first, at most maxLabels, except
// a last one too close to the end to fit beside the plot's right edge.
QList<int> thinnedLabelIndices(int bucketCount, int maxLabels);

// A "nice" axis maximum >= v: 1, 2, 2.5 or 5 times a power of ten (v <= 0 gives 1).
double niceCeiling(double v);
// printf format for USD axis labels with enough decimals to tell the ticks of [0, max] apart.
QString usdAxisFormat(double max, int tickCount = 6);
// Elides a category label to maxChars ("…") and keeps the list unique ("name (2)").
QStringList uniqueElidedLabels(const QStringList& labels, int maxChars = 28);

TrendSeries costTrendSeries(const DashboardData& data, const QTimeZone& zone = QTimeZone::systemTimeZone(),
    const QLocale& locale = QLocale(), int maxLabels = 8);
CategorySeries statusBreakdownSeries(const Kpis& kpis); // published, advisory_only, none
CategorySeries providerMixSeries(const Kpis& kpis); // published runs only, values in percent
CategorySeries topReasonsSeries(const Kpis& kpis); // counts
CategorySeries costByProviderSeries(const Kpis& kpis); // USD per model label
// Team history: USD per analyst (the role that pushed the runs), from the view's second query.
CategorySeries analystSpendSeries(const DashboardData& data);

} // namespace djp
