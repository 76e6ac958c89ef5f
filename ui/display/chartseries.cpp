#include "display/chartseries.h"

#include "display/displayformat.h"
#include "display/vocabularytext.h"
#include "metrics/kpis.h"
#include "pricing/money.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <limits>

namespace djp {

namespace {

QString tr(const char* s)
{
    return QCoreApplication::translate("djp::ChartSeries", s);
}

QDateTime localTime(qint64 ms, const QTimeZone& zone)
{
    return QDateTime::fromMSecsSinceEpoch(ms, zone.isValid() ? zone : QTimeZone::systemTimeZone());
}

// Axis maximum and tick count for values in [0, v]: a "nice" step (1, 2, 2.5 or 5 x 10^n) giving at
// most 5 intervals, and the smallest multiple of it >= v. Integer axes only get integer steps.
std::pair<double, int> niceAxis(double v, bool integers)
{
    if (!(v > 0) || !std::isfinite(v))
        v = integers ? 1.0 : 0.01;
    double step = niceCeiling(v / 5.0);
    if (integers && step < 1.0)
        step = 1.0;
    else if (integers && step != std::floor(step))
        step = 5.0; // 2.5 is the only fractional nice step >= 1
    const double max = std::max(step, std::ceil(v / step - 1e-9) * step);
    return { max, static_cast<int>(std::lround(max / step)) + 1 };
}

// Entries arrive sorted by value, descending, from the engine. Beyond kMaxBars the bars get too thin
// for their labels, so the tail is folded into one "Other (n more)" entry.
template <typename T> std::vector<std::pair<QString, T>> foldTail(const std::vector<std::pair<QString, T>>& in)
{
    if (static_cast<int>(in.size()) <= kMaxBars)
        return in;
    std::vector<std::pair<QString, T>> out(in.begin(), in.begin() + (kMaxBars - 1));
    T rest {};
    for (auto it = in.begin() + (kMaxBars - 1); it != in.end(); ++it)
        rest += it->second;
    const auto n = static_cast<int>(in.size()) - (kMaxBars - 1);
    out.emplace_back(QCoreApplication::translate("djp::ChartSeries", "Other (%1 more)").arg(n), rest);
    return out;
}

} // namespace

QColor statusColor(const QString& status)
{
    if (const std::optional<RunStatus> known = parseVocabulary<RunStatus>(status)) {
        switch (*known) {
        case RunStatus::Published:
            return QColor::fromRgb(kPublishedRgb);
        case RunStatus::AdvisoryOnly:
            return QColor::fromRgb(kAdvisoryRgb);
        case RunStatus::None:
            return QColor::fromRgb(kNoneRgb);
        }
    }
    if (status == QLatin1String(kCancelledReason))
        return tone::stopped();
    return QColor(Qt::gray);
}

QString reasonDisplayText(const QString& reason)
{
    static const QHash<QString, const char*> known {
        { QStringLiteral("not_from_allowed_provider"),
            QT_TRANSLATE_NOOP("djp::ChartSeries", "Winner not from an allowed provider") },
        { QStringLiteral("no_valid_content"), QT_TRANSLATE_NOOP("djp::ChartSeries", "No valid content to publish") },
        { QStringLiteral("grounded_citations_missing"),
            QT_TRANSLATE_NOOP("djp::ChartSeries", "Grounded citations missing") },
        { QStringLiteral("low_margin"), QT_TRANSLATE_NOOP("djp::ChartSeries", "Judge margin too low") },
        { QStringLiteral("cancelled"), QT_TRANSLATE_NOOP("djp::ChartSeries", "Cancelled") },
    };
    const QString trimmed = reason.trimmed();
    if (const auto it = known.constFind(trimmed); it != known.constEnd())
        return tr(it.value());
    static const QRegularExpression code(QStringLiteral("^[a-z0-9]+(_[a-z0-9]+)+$"));
    if (!code.match(trimmed).hasMatch())
        return reason;
    QString s = trimmed;
    s.replace(u'_', u' ');
    s[0] = s[0].toUpper();
    return s;
}

QString CategorySeries::toolTip(int i) const
{
    if (i < 0 || i >= values.size())
        return {};
    const QString name = i < fullLabels.size() ? fullLabels.at(i) : labels.value(i);
    return name + QStringLiteral(": ") + valueTexts.value(i);
}

QString bucketLabel(qint64 startMs, BucketSize size, const QTimeZone& zone, const QLocale& locale)
{
    const QDateTime t = localTime(startMs, zone);
    switch (size) {
    case BucketSize::Hour:
        return locale.toString(t, QStringLiteral("d MMM HH:mm"));
    case BucketSize::Day:
        return locale.toString(t, QStringLiteral("d MMM"));
    case BucketSize::Week:
        break;
    }
    return locale.toString(t, QStringLiteral("d MMM yyyy"));
}

QString bucketRangeText(const TimeBucket& bucket, BucketSize size, const QTimeZone& zone, const QLocale& locale)
{
    const QDateTime start = localTime(bucket.startMs, zone);
    switch (size) {
    case BucketSize::Hour:
        return locale.toString(start, QStringLiteral("ddd d MMM yyyy, HH:mm")) + QStringLiteral("–")
            + locale.toString(localTime(bucket.endMs, zone), QStringLiteral("HH:mm"));
    case BucketSize::Day:
        return locale.toString(start, QStringLiteral("ddd d MMM yyyy"));
    case BucketSize::Week:
        break;
    }
    return tr("Week of %1").arg(locale.toString(start, QStringLiteral("ddd d MMM yyyy")));
}

QList<int> thinnedLabelIndices(int bucketCount, int maxLabels)
{
    QList<int> out;
    if (bucketCount <= 0 || maxLabels <= 0)
        return out;
    const int step = std::max(1, (bucketCount + maxLabels - 1) / maxLabels);
    for (int i = 0; i < bucketCount; i += step)
        out.append(i);
    // A label is centred on its point and about a step wide: on one of the last buckets it would hang
    // over the plot's right edge and be cut ("30 Nov 202" at 1024 px). Leave that one out.
    if (step > 1 && out.size() > 1 && bucketCount - 1 - out.back() < (step + 1) / 2)
        out.removeLast();
    return out;
}

double niceCeiling(double v)
{
    if (!(v > 0) || !std::isfinite(v))
        return 1.0;
    const double e = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : { 1.0, 2.0, 2.5, 5.0, 10.0 }) {
        if (m * e >= v * (1 - 1e-12))
            return m * e;
    }
    return 10.0 * e;
}

QString usdAxisFormat(double max, int tickCount)
{
    const double step = max / std::max(1, tickCount - 1);
    int decimals = 2;
    if (step > 0 && std::isfinite(step)) {
        decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 2, 6);
        // Enough decimals to write every tick exactly: a 0.025 step printed with 2 decimals read as
        // $0.03, $0.05, $0.08 (uneven); with 3 it reads $0.025, $0.050, $0.075.
        while (decimals < 6) {
            const double scaled = step * std::pow(10.0, decimals);
            if (std::abs(scaled - std::round(scaled)) < 1e-6)
                break;
            ++decimals;
        }
    }
    return QStringLiteral("$%.") + QString::number(decimals) + u'f';
}

QStringList uniqueElidedLabels(const QStringList& labels, int maxChars)
{
    QStringList out;
    QSet<QString> seen;
    for (const QString& l : labels) {
        QString s = l.isEmpty() ? tr("(none)") : l;
        s.replace(u'\n', u' ');
        if (s.size() > maxChars)
            s = s.left(maxChars - 1) + u'…';
        QString candidate = s;
        for (int n = 2; seen.contains(candidate); ++n)
            candidate = s + QStringLiteral(" (%1)").arg(n);
        seen.insert(candidate);
        out.append(candidate);
    }
    return out;
}

TrendSeries costTrendSeries(const DashboardData& data, const QTimeZone& zone, const QLocale& locale, int maxLabels)
{
    TrendSeries s;
    s.emptyText = tr("No runs with a timestamp in this range");
    double maxCost = 0;
    const int n = static_cast<int>(data.buckets.size());
    for (int i = 0; i < n; ++i) {
        const TimeBucket& b = data.buckets[static_cast<size_t>(i)];
        s.points.append(QPointF(i, b.cost));
        maxCost = std::max(maxCost, b.cost);
        s.periodTexts.append(bucketRangeText(b, data.bucketSize, zone, locale));
        s.costTexts.append(formatMoney(b.cost));
        s.runCounts.append(b.runs);
        QString tip = s.periodTexts.last() + u'\n' + tr("Cost: %1").arg(s.costTexts.last()) + u'\n'
            + tr("Runs: %1 (published %2, advisory %3, none %4)")
                  .arg(formatCount(b.runs), formatCount(b.published), formatCount(b.advisory), formatCount(b.none));
        if (!data.kpis.costComplete)
            tip += u'\n' + tr("Some calls in this range are unpriced: cost is a lower bound.");
        s.toolTips.append(tip);
    }
    for (int i : thinnedLabelIndices(n, maxLabels))
        s.axisLabels.append(
            { i, bucketLabel(data.buckets[static_cast<size_t>(i)].startMs, data.bucketSize, zone, locale) });
    const auto [max, ticks] = niceAxis(maxCost, false);
    s.yMax = max;
    s.yTickCount = ticks;
    s.yLabelFormat = usdAxisFormat(max, ticks);
    return s;
}

namespace {

// One bar of a breakdown: its full label (empty reads "(none)"), height and hover text.
struct Bar
{
    QString label;
    double value = 0;
    QString text;
};

// A bar per entry of a breakdown (sorted by the engine), the tail folded (foldTail), labels elided
// and unique. The caller sets the axis.
template <typename T, typename MakeBar>
CategorySeries breakdownSeries(
    const QString& emptyText, const std::vector<std::pair<QString, T>>& entries, const MakeBar& makeBar)
{
    CategorySeries s;
    s.emptyText = emptyText;
    for (const auto& [key, value] : foldTail(entries)) {
        const Bar bar = makeBar(key, value);
        s.fullLabels.append(bar.label.isEmpty() ? tr("(none)") : bar.label);
        s.values.append(bar.value);
        s.valueTexts.append(bar.text);
    }
    s.labels = uniqueElidedLabels(s.fullLabels);
    return s;
}

double largestValue(const CategorySeries& s)
{
    double largest = 0;
    for (const qreal v : s.values)
        largest = std::max(largest, v);
    return largest;
}

// The value axis of a bar chart whose largest bar is `maxValue`.
void setBarAxis(CategorySeries& s, double maxValue, bool integers, const QString& labelFormat)
{
    const auto [max, ticks] = niceAxis(maxValue, integers);
    s.axisMax = max;
    s.tickCount = ticks;
    s.axisLabelFormat = labelFormat;
}

} // namespace

CategorySeries statusBreakdownSeries(const Kpis& k)
{
    CategorySeries s;
    s.emptyText = tr("No runs");
    if (k.totalRuns <= 0)
        return s;
    const struct
    {
        QString status;
        int count;
        double rate;
    } rows[] = { { vocabularyId(RunStatus::Published), k.publishedRuns, k.publishRate },
        { vocabularyId(RunStatus::AdvisoryOnly), k.advisoryRuns, k.advisoryRate },
        { vocabularyId(RunStatus::None), k.failedRuns, k.failureRate },
        { QLatin1String(kCancelledReason), k.cancelledRuns, k.cancelledRate } };
    for (const auto& r : rows) {
        // Cancelled runs (status none, cancelled by the user) get their own bar when there are any;
        // legacy files never have them, so their breakdown keeps its three bars.
        if (r.status == QLatin1String(kCancelledReason) && r.count == 0)
            continue;
        const QString& status = r.status;
        s.fullLabels.append(statusDisplayName(status));
        s.values.append(r.count);
        s.valueTexts.append(QCoreApplication::translate("djp::ChartSeries", "%Ln run(s) (%1)", nullptr, r.count)
                                .arg(formatRate(r.rate)));
        s.colors.append(statusColor(status));
    }
    s.labels = s.fullLabels;
    setBarAxis(
        s, std::max({ k.publishedRuns, k.advisoryRuns, k.failedRuns, k.cancelledRuns }), true, QStringLiteral("%.0f"));
    return s;
}

CategorySeries providerMixSeries(const Kpis& k)
{
    CategorySeries s
        = breakdownSeries(tr("No published runs"), k.providerMix, [&](const QString& provider, double share) {
              const auto runs = std::llround(share * k.publishedRuns);
              return Bar { provider, share * 100.0,
                  tr("%1 of published runs (%2 of %3)")
                      .arg(formatRate(share), formatCount(runs), formatCount(k.publishedRuns)) };
          });
    setBarAxis(s, std::min(largestValue(s), 100.0), false, QStringLiteral("%.0f%%"));
    return s;
}

CategorySeries topReasonsSeries(const Kpis& k)
{
    CategorySeries s
        = breakdownSeries(tr("No advisory or failed runs"), k.topFailureReasons, [](const QString& reason, int count) {
              return Bar { reason.isEmpty() ? QString() : reasonDisplayText(reason), static_cast<double>(count),
                  QCoreApplication::translate("djp::ChartSeries", "%Ln run(s)", nullptr, count) };
          });
    setBarAxis(s, largestValue(s), true, QStringLiteral("%.0f"));
    return s;
}

CategorySeries costByProviderSeries(const Kpis& k)
{
    CategorySeries s = breakdownSeries(tr("No priced calls"), k.costByProvider, [&](const QString& label, double cost) {
        QString text = formatMoney(cost);
        if (!k.costComplete)
            text += tr(" (some calls unpriced: lower bound)");
        // Split by bucket where the runs' calls[] give one (schema 2.1).
        for (const auto& [bucketLabel, b] : k.costByBucket) {
            if (bucketLabel != label)
                continue;
            text += tr("\ninput %1, cache read %2, cache write %3, output %4")
                        .arg(formatMoney(nanoToUsd(b.input)), formatMoney(nanoToUsd(b.cacheRead)),
                            formatMoney(nanoToUsd(b.cacheWrite)), formatMoney(nanoToUsd(b.output)));
            break;
        }
        return Bar { label, cost, text };
    });
    setBarAxis(s, largestValue(s), false, QString());
    s.axisLabelFormat = usdAxisFormat(s.axisMax, s.tickCount);
    return s;
}

CategorySeries analystSpendSeries(const DashboardData& d)
{
    std::vector<std::pair<QString, double>> costs;
    for (const AnalystSpend& a : d.analystSpend)
        costs.emplace_back(a.analyst, a.cost);
    const double total = d.kpis.totalCost;
    CategorySeries s = breakdownSeries(
        d.costDetailsPending ? tr("Computing…") : tr("No runs"), costs, [&](const QString& analyst, double cost) {
            QString text = formatMoney(cost);
            if (total > 0)
                text += tr(" (%1 of the total)").arg(formatRate(cost / total));
            for (const AnalystSpend& a : d.analystSpend) {
                if (a.analyst != analyst)
                    continue;
                const int runs = static_cast<int>(std::min<qint64>(a.runs, std::numeric_limits<int>::max()));
                text += u'\n' + QCoreApplication::translate("djp::ChartSeries", "%Ln run(s)", nullptr, runs);
                if (a.lastRunMs)
                    text += tr(", last run %1")
                                .arg(QLocale().toString(
                                    QDateTime::fromMSecsSinceEpoch(*a.lastRunMs), QLocale::ShortFormat));
                break;
            }
            return Bar { analyst, cost, text };
        });
    setBarAxis(s, largestValue(s), false, QString());
    s.axisLabelFormat = usdAxisFormat(s.axisMax, s.tickCount);
    return s;
}

} // namespace djp
