// Chart series for the dashboard: status colours, shares, bucket labels, axis maths.
#include "models/chartseries.h"
#include "models/displayformat.h"

#include <QDateTime>
#include <QTest>

using namespace djp;

namespace {

const QTimeZone kPlusOne(3600); // fixed UTC+1, no DST, so labels do not depend on the machine
const QLocale kC = QLocale::c();

qint64 utcMs(int y, int mo, int d, int h)
{
    return QDateTime(QDate(y, mo, d), QTime(h, 0), kPlusOne).toMSecsSinceEpoch();
}

Kpis sampleKpis()
{
    Kpis k;
    k.totalRuns = 40;
    k.publishedRuns = 20;
    k.advisoryRuns = 12;
    k.failedRuns = 8;
    k.publishRate = 0.5;
    k.advisoryRate = 0.3;
    k.failureRate = 0.2;
    k.providerMix = { { QStringLiteral("openai"), 0.75 }, { QStringLiteral("anthropic"), 0.25 } };
    k.topFailureReasons
        = { { QStringLiteral("not_from_allowed_provider"), 11 }, { QStringLiteral("no_valid_content"), 9 } };
    k.costByProvider = { { QStringLiteral("gpt-4o"), 0.42 }, { QStringLiteral("claude-3-haiku"), 0.031 } };
    return k;
}

} // namespace

class TestChartSeries : public QObject
{
    Q_OBJECT
private slots:
    void statusColoursAreExact()
    {
        QCOMPARE(statusColor(QStringLiteral("published")).name(), QStringLiteral("#28a745"));
        QCOMPARE(statusColor(QStringLiteral("advisory_only")).name(), QStringLiteral("#ffc107"));
        QCOMPARE(statusColor(QStringLiteral("none")).name(), QStringLiteral("#dc3545"));
        QCOMPARE(statusColor(QStringLiteral("weird")), QColor(Qt::gray));
    }

    void statusBreakdown()
    {
        const CategorySeries s = statusBreakdownSeries(sampleKpis());
        QCOMPARE(s.values, (QList<qreal> { 20, 12, 8 }));
        QCOMPARE(s.colors.size(), 3);
        QCOMPARE(s.colors[0].name(), QStringLiteral("#28a745"));
        QCOMPARE(s.colors[1].name(), QStringLiteral("#ffc107"));
        QCOMPARE(s.colors[2].name(), QStringLiteral("#dc3545"));
        QCOMPARE(s.valueTexts[1], QStringLiteral("12 runs (30.0%)"));
        QCOMPARE(s.toolTip(2), QStringLiteral("None (failed): 8 runs (20.0%)"));
        QVERIFY(s.axisMax >= 20);
        QVERIFY(statusBreakdownSeries(Kpis {}).isEmpty());
        Kpis one;
        one.totalRuns = one.publishedRuns = 1;
        one.publishRate = 1.0;
        const CategorySeries single = statusBreakdownSeries(one);
        QCOMPARE(single.axisMax, 1.0); // integer axis: 0 and 1 only
        QCOMPARE(single.tickCount, 2);

        // Cancelled runs: a fourth slice of their own, not in the failed one.
        Kpis c = sampleKpis();
        c.totalRuns = 50;
        c.cancelledRuns = 10;
        c.cancelledRate = 0.2;
        const CategorySeries withCancelled = statusBreakdownSeries(c);
        QCOMPARE(withCancelled.values, (QList<qreal> { 20, 12, 8, 10 }));
        QCOMPARE(withCancelled.fullLabels.last(), QStringLiteral("Cancelled"));
        QCOMPARE(withCancelled.colors.last().name(), QStringLiteral("#6c757d"));
        QCOMPARE(withCancelled.toolTip(3), QStringLiteral("Cancelled: 10 runs (20.0%)"));
    }

    void providerMixShares()
    {
        const CategorySeries s = providerMixSeries(sampleKpis());
        QCOMPARE(s.labels, (QStringList { QStringLiteral("openai"), QStringLiteral("anthropic") }));
        QCOMPARE(s.values, (QList<qreal> { 75.0, 25.0 }));
        QCOMPARE(s.valueTexts[0], QStringLiteral("75.0% of published runs (15 of 20)"));
        QCOMPARE(s.axisMax, 80.0); // steps of 20
        QCOMPARE(s.tickCount, 5);
        QCOMPARE(s.axisLabelFormat, QStringLiteral("%.0f%%"));
        QVERIFY(providerMixSeries(Kpis {}).isEmpty());

        // Many providers: the tail is folded into one readable bar.
        Kpis many;
        many.publishedRuns = 100;
        for (int i = 0; i < 14; ++i)
            many.providerMix.push_back({ QStringLiteral("p%1").arg(i), i < 6 ? 0.1 : 0.05 });
        const CategorySeries folded = providerMixSeries(many);
        QCOMPARE(folded.values.size(), kMaxBars);
        QCOMPARE(folded.labels.last(), QStringLiteral("Other (5 more)"));
        QCOMPARE(folded.values.last(), 25.0);
        QCOMPARE(folded.valueTexts.last(), QStringLiteral("25.0% of published runs (25 of 100)"));
        QCOMPARE(providerMixSeries(Kpis {}).emptyText, QStringLiteral("No published runs"));
    }

    void reasonsAndCostByProvider()
    {
        const CategorySeries r = topReasonsSeries(sampleKpis());
        QCOMPARE(r.values, (QList<qreal> { 11, 9 }));
        QCOMPARE(r.valueTexts[0], QStringLiteral("11 runs"));
        QCOMPARE(r.axisMax, 15.0); // integer steps of 5: 0, 5, 10, 15
        QCOMPARE(r.tickCount, 4);
        // Legacy codes read as sentences (one vocabulary, docs/gui-analyst.md).
        QCOMPARE(r.fullLabels[0], QStringLiteral("Winner not from an allowed provider"));

        Kpis k = sampleKpis();
        CategorySeries c = costByProviderSeries(k);
        QCOMPARE(c.values, (QList<qreal> { 0.42, 0.031 }));
        QCOMPARE(c.valueTexts[0], QStringLiteral("$0.42"));
        QCOMPARE(c.axisMax, 0.5);
        QCOMPARE(c.tickCount, 6);
        QCOMPARE(c.axisLabelFormat, QStringLiteral("$%.2f"));
        k.costComplete = false;
        c = costByProviderSeries(k);
        QVERIFY(c.valueTexts[1].contains(QStringLiteral("unpriced")));
    }

    void bucketLabelsInLocalTime()
    {
        const qint64 t = utcMs(2026, 3, 5, 14);
        QCOMPARE(bucketLabel(t, BucketSize::Hour, kPlusOne, kC), QStringLiteral("5 Mar 14:00"));
        QCOMPARE(bucketLabel(t, BucketSize::Day, kPlusOne, kC), QStringLiteral("5 Mar"));
        QCOMPARE(bucketLabel(utcMs(2026, 3, 2, 0), BucketSize::Week, kPlusOne, kC), QStringLiteral("2 Mar 2026"));
        // The same instant in another zone is another local hour.
        QCOMPARE(bucketLabel(t, BucketSize::Hour, QTimeZone(-5 * 3600), kC), QStringLiteral("5 Mar 08:00"));

        TimeBucket b;
        b.startMs = t;
        b.endMs = t + 3600 * 1000;
        QCOMPARE(bucketRangeText(b, BucketSize::Hour, kPlusOne, kC), QStringLiteral("Thu 5 Mar 2026, 14:00–15:00"));
        QCOMPARE(bucketRangeText(b, BucketSize::Day, kPlusOne, kC), QStringLiteral("Thu 5 Mar 2026"));
        b.startMs = utcMs(2026, 3, 2, 0);
        QCOMPARE(bucketRangeText(b, BucketSize::Week, kPlusOne, kC), QStringLiteral("Week of Mon 2 Mar 2026"));
    }

    void labelThinning()
    {
        QCOMPARE(thinnedLabelIndices(5, 8), (QList<int> { 0, 1, 2, 3, 4 }));
        // 28 is one bucket from the end: its label would hang over the right edge, so it is left out.
        QCOMPARE(thinnedLabelIndices(30, 8), (QList<int> { 0, 4, 8, 12, 16, 20, 24 }));
        QCOMPARE(thinnedLabelIndices(27, 8), (QList<int> { 0, 4, 8, 12, 16, 20, 24 })); // 2 buckets of room: kept
        QCOMPARE(thinnedLabelIndices(20, 8), (QList<int> { 0, 3, 6, 9, 12, 15 })); // 18 dropped
        QVERIFY(thinnedLabelIndices(1000, 8).size() <= 8);
        QVERIFY(thinnedLabelIndices(0, 8).isEmpty());
    }

    void axisMaths()
    {
        QCOMPARE(niceCeiling(0.0), 1.0);
        QCOMPARE(niceCeiling(0.42), 0.5);
        QCOMPARE(niceCeiling(1.0), 1.0);
        QCOMPARE(niceCeiling(1.01), 2.0);
        QCOMPARE(niceCeiling(2.3), 2.5);
        QCOMPARE(niceCeiling(7.0), 10.0);
        QCOMPARE(niceCeiling(0.0031), 0.005);
        QCOMPARE(usdAxisFormat(0.5), QStringLiteral("$%.2f"));
        QCOMPARE(usdAxisFormat(0.02), QStringLiteral("$%.3f"));
        QCOMPARE(usdAxisFormat(0.005), QStringLiteral("$%.3f"));
        QCOMPARE(usdAxisFormat(0.0005), QStringLiteral("$%.4f"));
        QCOMPARE(usdAxisFormat(1.25, 6), QStringLiteral("$%.2f"));
        QCOMPARE(usdAxisFormat(0.03, 4), QStringLiteral("$%.2f"));
        QCOMPARE(uniqueElidedLabels({ QStringLiteral("abcdefgh"), QStringLiteral("abcdefgz"), QString() }, 6),
            (QStringList { QStringLiteral("abcde…"), QStringLiteral("abcde… (2)"), QStringLiteral("(none)") }));
    }

    void costTrend()
    {
        DashboardData d;
        d.bucketSize = BucketSize::Day;
        for (int i = 0; i < 10; ++i) {
            TimeBucket b;
            b.startMs = utcMs(2026, 3, 1 + i, 0);
            b.endMs = utcMs(2026, 3, 2 + i, 0);
            b.runs = i;
            b.published = i;
            b.cost = 0.001 * i;
            d.buckets.push_back(b);
        }
        const TrendSeries s = costTrendSeries(d, kPlusOne, kC, 5);
        QCOMPARE(s.points.size(), 10);
        QCOMPARE(s.points[9], QPointF(9, 0.009));
        QCOMPARE(s.axisLabels.size(), 5);
        QCOMPARE(s.axisLabels[1], (std::pair<int, QString> { 2, QStringLiteral("3 Mar") }));
        QCOMPARE(s.yMax, 0.01);
        QCOMPARE(s.yTickCount, 6);
        QCOMPARE(s.yLabelFormat, QStringLiteral("$%.3f"));
        QVERIFY2(s.toolTips[3].startsWith(QStringLiteral("Wed 4 Mar 2026\nCost: $0.003\n")), qPrintable(s.toolTips[3]));
        QVERIFY(s.toolTips[3].contains(QStringLiteral("Runs: 3")));
        QVERIFY(costTrendSeries(DashboardData {}).isEmpty());
    }

    void formatting()
    {
        QCOMPARE(formatMoney(0), QStringLiteral("$0.00"));
        QCOMPARE(formatMoney(12.345), QStringLiteral("$12.35"));
        QCOMPARE(formatMoney(0.0123), QStringLiteral("$0.0123"));
        QCOMPARE(formatMoney(0.000045), QStringLiteral("$0.000045"));
        QCOMPARE(formatMoney(0.5), QStringLiteral("$0.50"));
        QCOMPARE(formatMoney(-2), QStringLiteral("-$2.00"));
        QCOMPARE(formatRate(0.4567), QStringLiteral("45.7%"));
        QCOMPARE(formatDurationSeconds(0.85), QStringLiteral("850 ms"));
        QCOMPARE(formatDurationSeconds(12.34), QStringLiteral("12.3 s"));
        QCOMPARE(formatDurationSeconds(125), QStringLiteral("2 min 05 s"));
        QCOMPARE(formatDurationSeconds(3725), QStringLiteral("1 h 02 min"));
        QCOMPARE(plainTextToolTip(QStringLiteral("<b>x</b>")),
            QStringLiteral("<p style='white-space:pre-wrap'>&lt;b&gt;x&lt;/b&gt;</p>"));
    }
};

QTEST_GUILESS_MAIN(TestChartSeries)
#include "tst_chartseries.moc"
