#include "models/chartseries.h"

#include "models/displayformat.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSet>
#include <algorithm>
#include <cmath>

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

// Axis maximum and tick count for values in [0, v]; integer axes only get integer ticks.
std::pair<double, int> niceAxis(double v, bool integers)
{
    const double max = integers ? std::max(1.0, niceCeiling(std::ceil(v))) : niceCeiling(v);
    if (integers && max == 2.5)
        return { 3.0, 4 };
    const double e = std::pow(10.0, std::floor(std::log10(max) + 1e-9));
    const double m = max / e;
    int intervals = (std::abs(m - 2.0) < 1e-9) ? 4 : 5;
    if (integers && max < intervals)
        intervals = static_cast<int>(max);
    return { max, intervals + 1 };
}

} // namespace

QColor statusColor(const QString& status)
{
    if (status == QLatin1String("published"))
        return QColor::fromRgb(kPublishedRgb);
    if (status == QLatin1String("advisory_only"))
        return QColor::fromRgb(kAdvisoryRgb);
    if (status == QLatin1String("none"))
        return QColor::fromRgb(kNoneRgb);
    return QColor(Qt::gray);
}

QString statusDisplayName(const QString& status)
{
    if (status == QLatin1String("published"))
        return tr("Published");
    if (status == QLatin1String("advisory_only"))
        return tr("Advisory only");
    if (status == QLatin1String("none"))
        return tr("None (failed)");
    return status;
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

QString usdAxisFormat(double max)
{
    const double step = max / 5.0;
    int decimals = 2;
    if (step > 0 && std::isfinite(step))
        decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 2, 6);
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
        QString tip = bucketRangeText(b, data.bucketSize, zone, locale) + u'\n' + tr("Cost: %1").arg(formatUsd(b.cost))
            + u'\n'
            + tr("Runs: %1 (published %2, advisory %3, none %4)")
                  .arg(formatCount(b.runs), formatCount(b.published), formatCount(b.advisory), formatCount(b.none));
        if (!data.kpis.costComplete)
            tip += u'\n' + tr("Some calls in this range are unpriced: cost is a lower bound.");
        s.toolTips.append(tip);
    }
    for (int i : thinnedLabelIndices(n, maxLabels))
        s.axisLabels.append(
            { i, bucketLabel(data.buckets[static_cast<size_t>(i)].startMs, data.bucketSize, zone, locale) });
    const auto [max, ticks] = niceAxis(maxCost > 0 ? maxCost : 0.01, false);
    s.yMax = max;
    s.yTickCount = ticks;
    s.yLabelFormat = usdAxisFormat(max);
    return s;
}

CategorySeries statusBreakdownSeries(const Kpis& k)
{
    CategorySeries s;
    s.emptyText = tr("No runs");
    if (k.totalRuns <= 0)
        return s;
    const struct
    {
        const char* status;
        int count;
        double rate;
    } rows[] = { { "published", k.publishedRuns, k.publishRate }, { "advisory_only", k.advisoryRuns, k.advisoryRate },
        { "none", k.failedRuns, k.failureRate } };
    for (const auto& r : rows) {
        const QString status = QLatin1String(r.status);
        s.fullLabels.append(statusDisplayName(status));
        s.values.append(r.count);
        s.valueTexts.append(tr("%1 runs (%2)").arg(formatCount(r.count), formatRate(r.rate)));
        s.colors.append(statusColor(status));
    }
    s.labels = s.fullLabels;
    const auto [max, ticks] = niceAxis(std::max({ k.publishedRuns, k.advisoryRuns, k.failedRuns }), true);
    s.axisMax = max;
    s.tickCount = ticks;
    s.axisLabelFormat = QStringLiteral("%.0f");
    return s;
}

CategorySeries providerMixSeries(const Kpis& k)
{
    CategorySeries s;
    s.emptyText = tr("No published runs");
    double maxShare = 0;
    for (const auto& [provider, share] : k.providerMix) {
        s.fullLabels.append(provider.isEmpty() ? tr("(none)") : provider);
        s.values.append(share * 100.0);
        const auto runs = std::llround(share * k.publishedRuns);
        s.valueTexts.append(tr("%1 of published runs (%2 of %3)")
                                .arg(formatRate(share), formatCount(runs), formatCount(k.publishedRuns)));
        maxShare = std::max(maxShare, share * 100.0);
    }
    s.labels = uniqueElidedLabels(s.fullLabels);
    const auto [max, ticks] = niceAxis(std::min(maxShare, 100.0), false);
    s.axisMax = std::min(max, 100.0);
    s.tickCount = s.axisMax == 100.0 ? 6 : ticks;
    s.axisLabelFormat = QStringLiteral("%.0f%%");
    return s;
}

CategorySeries topReasonsSeries(const Kpis& k)
{
    CategorySeries s;
    s.emptyText = tr("No advisory or failed runs");
    int maxCount = 0;
    for (const auto& [reason, count] : k.topFailureReasons) {
        s.fullLabels.append(reason.isEmpty() ? tr("(none)") : reason);
        s.values.append(count);
        s.valueTexts.append(count == 1 ? tr("1 run") : tr("%1 runs").arg(formatCount(count)));
        maxCount = std::max(maxCount, count);
    }
    s.labels = uniqueElidedLabels(s.fullLabels);
    const auto [max, ticks] = niceAxis(maxCount, true);
    s.axisMax = max;
    s.tickCount = ticks;
    s.axisLabelFormat = QStringLiteral("%.0f");
    return s;
}

CategorySeries costByProviderSeries(const Kpis& k)
{
    CategorySeries s;
    s.emptyText = tr("No priced calls");
    double maxCost = 0;
    for (const auto& [label, cost] : k.costByProvider) {
        s.fullLabels.append(label.isEmpty() ? tr("(none)") : label);
        s.values.append(cost);
        QString text = formatUsd(cost);
        if (!k.costComplete)
            text += tr(" (some calls unpriced: lower bound)");
        s.valueTexts.append(text);
        maxCost = std::max(maxCost, cost);
    }
    s.labels = uniqueElidedLabels(s.fullLabels);
    const auto [max, ticks] = niceAxis(maxCost > 0 ? maxCost : 0.01, false);
    s.axisMax = max;
    s.tickCount = ticks;
    s.axisLabelFormat = usdAxisFormat(max);
    return s;
}

} // namespace djp
