// DashboardPage: shows the KPIs it is given, empty state, charts (PNG export, status colours,
// palette-derived colours in light and dark themes).
#include "display/dashboarddata.h"
#include "widgets/charts/categorybarchart.h"
#include "widgets/charts/piechart.h"
#include "widgets/dashboardpage.h"
#include "widgets/kpicard.h"
#include "widgets/palettes.h"

#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace djp;

namespace {

std::shared_ptr<DashboardData> sampleData()
{
    auto d = std::make_shared<DashboardData>();
    Kpis& k = d->kpis;
    k.totalRuns = 40;
    k.publishedRuns = 20;
    k.advisoryRuns = 12;
    k.failedRuns = 8;
    k.publishRate = 0.5;
    k.advisoryRate = 0.3;
    k.failureRate = 0.2;
    k.avgCost = 0.0123;
    k.totalCost = 0.492;
    k.avgTokens = 1234.4;
    k.avgDuration = 12.34;
    k.p50Duration = 10.0;
    k.p95Duration = 31.0;
    k.citationsComplianceRate = 0.875;
    k.costComplete = false;
    k.providerMix = { { QStringLiteral("openai"), 0.75 }, { QStringLiteral("anthropic"), 0.25 } };
    k.topFailureReasons
        = { { QStringLiteral("not_from_allowed_provider"), 11 }, { QStringLiteral("no_valid_content"), 9 } };
    k.costByProvider = { { QStringLiteral("gpt-4o"), 0.42 }, { QStringLiteral("claude-3-haiku"), 0.072 } };
    k.reportedCostRuns = 3;
    k.reportedCostNano = 400'000'000;
    k.computedCostNano = 410'000'000;
    k.reportedVsComputedDriftPct = 2.5;
    k.cacheReadTokens = 50000;
    k.cacheSavingsNano = 123'400'000;
    Kpis::BucketCost gpt;
    gpt.input = 100'000'000;
    gpt.cacheRead = 20'000'000;
    gpt.cacheWrite = 0;
    gpt.output = 300'000'000;
    k.costByBucket = { { QStringLiteral("gpt-4o"), gpt } };
    d->bucketSize = BucketSize::Day;
    const qint64 day = 24ll * 3600 * 1000;
    for (int i = 0; i < 7; ++i) {
        TimeBucket b;
        b.startMs = 1772665200000ll + i * day;
        b.endMs = b.startMs + day;
        b.runs = 5 + i;
        b.cost = 0.01 * (i % 3 + 1);
        d->buckets.push_back(b);
    }
    d->totalLoaded = 100;
    d->anySimulated = true;
    return d;
}

KpiCard* card(const QWidget& page, const char* name)
{
    return page.findChild<KpiCard*>(QLatin1String(name));
}

double luminance(const QColor& c)
{
    return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF();
}

} // namespace

class TestDashboardPage : public QObject
{
    Q_OBJECT
private slots:
    void theSummaryCountsRunsInTheSingularForOne()
    {
        // docs/architecture.md, "Plurals": "1 run", never "1 runs".
        DashboardPage page;
        auto* summary = page.findChild<QLabel*>(QStringLiteral("summaryLabel"));
        QVERIFY(summary);
        auto counted = [&](int runs, int loaded, bool team) {
            auto d = sampleData();
            d->kpis.totalRuns = runs;
            d->totalLoaded = loaded;
            d->teamHistory = team;
            page.setData(d);
            return summary->text();
        };
        QCOMPARE(counted(1, 1, false), QStringLiteral("1 run"));
        QCOMPARE(counted(2, 2, false), QStringLiteral("2 runs"));
        QCOMPARE(counted(0, 1, false), QStringLiteral("0 of 1 loaded run"));
        QCOMPARE(counted(1, 2, false), QStringLiteral("1 of 2 loaded runs"));
        QCOMPARE(counted(1, 1, true), QStringLiteral("1 of 1 run in the team history"));
        QCOMPARE(counted(2, 2, true), QStringLiteral("2 of 2 runs in the team history"));
    }

    void showsTheKpisItIsGiven()
    {
        DashboardPage page;
        page.resize(1280, 900);
        page.setData(sampleData());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(!page.isShowingEmptyState());

        QCOMPARE(card(page, "kpi_total_runs")->valueText(), QLocale().toString(40));
        QCOMPARE(card(page, "kpi_publish_rate")->valueText(), QStringLiteral("50.0%"));
        QCOMPARE(card(page, "kpi_advisory_rate")->valueText(), QStringLiteral("30.0%"));
        QCOMPARE(card(page, "kpi_failure_rate")->valueText(), QStringLiteral("20.0%"));
        QCOMPARE(card(page, "kpi_avg_cost")->valueText(), QStringLiteral("$0.0123"));
        QCOMPARE(card(page, "kpi_total_cost")->valueText(), QStringLiteral("$0.492"));
        QCOMPARE(card(page, "kpi_avg_tokens")->valueText(), QLocale().toString(1234));
        QCOMPARE(card(page, "kpi_avg_duration")->valueText(), QStringLiteral("12.3 s"));
        QCOMPARE(card(page, "kpi_citations_compliance")->valueText(), QStringLiteral("87.5%"));
        QCOMPARE(card(page, "kpi_p95_duration")->valueText(), QStringLiteral("31.0 s"));
        // Unpriced calls: the total is marked incomplete.
        QVERIFY(card(page, "kpi_total_cost")->captionText().contains(QStringLiteral("incomplete")));
        // Tooltips give the definition and the exact value.
        const QString tip = card(page, "kpi_publish_rate")->toolTip();
        QVERIFY2(tip.contains(QStringLiteral("÷ total runs")) && tip.contains(QStringLiteral("20 of 40 runs")),
            qPrintable(tip));
        QVERIFY(card(page, "kpi_avg_cost")->toolTip().contains(QStringLiteral("0.0123 USD")));
        // Reported vs computed and cache savings.
        QCOMPARE(card(page, "kpi_reported_vs_computed")->valueText(), QStringLiteral("+2.5%"));
        QVERIFY(card(page, "kpi_reported_vs_computed")->captionText().contains(QLatin1String("3")));
        QVERIFY2(
            card(page, "kpi_reported_vs_computed")->toolTip().contains(QLatin1String("reported $0.4, computed $0.41")),
            qPrintable(card(page, "kpi_reported_vs_computed")->toolTip()));
        QCOMPARE(card(page, "kpi_cache_savings")->valueText(), QStringLiteral("$0.1234"));
        QVERIFY(card(page, "kpi_cache_savings")->toolTip().contains(QLatin1String("exact $0.1234")));
        // The cost-by-provider tooltip splits the cost by bucket.
        auto* costChart = page.findChild<CategoryBarChart*>(QStringLiteral("chart_cost_by_provider"));
        QVERIFY(costChart);
        const QString costTip = costChart->series().toolTip(0);
        QVERIFY2(costTip.contains(QLatin1String("gpt-4o")) && costTip.contains(QLatin1String("input $0.10"))
                && costTip.contains(QLatin1String("cache read $0.02"))
                && costTip.contains(QLatin1String("output $0.30")),
            qPrintable(costTip));

        auto* badge = page.findChild<QLabel*>(QStringLiteral("simulatedBadge"));
        QVERIFY(badge && badge->isVisible());
        auto* summary = page.findChild<QLabel*>(QStringLiteral("summaryLabel"));
        QVERIFY(summary->text().contains(QStringLiteral("of 100")));

        auto priced = sampleData();
        priced->kpis.costComplete = true;
        priced->anySimulated = false;
        priced->kpis.reportedVsComputedDriftPct.reset();
        priced->kpis.reportedCostRuns = 0;
        page.setData(priced);
        QCOMPARE(card(page, "kpi_total_cost")->captionText(), QString());
        QCOMPARE(card(page, "kpi_reported_vs_computed")->valueText(), QStringLiteral("n/a"));
        QVERIFY(!badge->isVisible());
    }

    void statusChartUsesExactColours()
    {
        DashboardPage page;
        page.setData(sampleData());
        auto* pie = qobject_cast<PieChart*>(page.chart(DashboardPage::StatusChart));
        QVERIFY(pie);
        QCOMPARE(pie->sliceColor(0).name(), QStringLiteral("#28a745"));
        QCOMPARE(pie->sliceColor(1).name(), QStringLiteral("#ffc107"));
        QCOMPARE(pie->sliceColor(2).name(), QStringLiteral("#dc3545"));
        // The colours survive a palette change (theme switch).
        page.setPalette(djp::darkPalette());
        QCOMPARE(pie->sliceColor(0).name(), QStringLiteral("#28a745"));
    }

    void emptyStateForZeroRuns()
    {
        DashboardPage page;
        page.resize(900, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.setData(std::make_shared<DashboardData>());
        QVERIFY(page.isShowingEmptyState());
        auto* text = page.findChild<QLabel*>(QStringLiteral("emptyStateText"));
        QVERIFY(text->isVisible());
        QVERIFY(text->text().contains(QStringLiteral("Ctrl+R")));
        auto* command = page.findChild<QLabel*>(QStringLiteral("emptyStateCommand"));
        QVERIFY(command->isVisible());
        QVERIFY(command->text().startsWith(QStringLiteral("djp run --offline --task \"")));
        auto* button = page.findChild<QPushButton*>(QStringLiteral("launchButton"));
        QVERIFY(button && button->isVisible());
        QSignalSpy spy(&page, &DashboardPage::launchRequested);
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(spy.count(), 1);

        // Runs loaded but filtered out: a different explanation, same button.
        auto filtered = std::make_shared<DashboardData>();
        filtered->totalLoaded = 12;
        page.setData(filtered);
        QVERIFY(page.isShowingEmptyState());
        QVERIFY(text->text().contains(QStringLiteral("filters")));

        page.setData(sampleData());
        QVERIFY(!page.isShowingEmptyState());
        QVERIFY(!text->isVisible());
    }

    void savesChartsAsPng()
    {
        DashboardPage page;
        page.resize(1280, 900);
        page.setData(sampleData());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTemporaryDir dir;
        for (int i = 0; i < DashboardPage::ChartCount; ++i) {
            const QString path = dir.filePath(QStringLiteral("chart%1.png").arg(i));
            QVERIFY(page.saveChartPng(i, path));
            QImage img(path);
            QVERIFY2(!img.isNull() && img.width() > 100 && img.height() > 100, qPrintable(path));
            // Something was drawn: more than one colour in the image.
            const QRgb first = img.pixel(0, 0);
            bool varied = false;
            for (int y = 0; y < img.height() && !varied; y += 3)
                for (int x = 0; x < img.width() && !varied; x += 3)
                    varied = img.pixel(x, y) != first;
            QVERIFY(varied);
        }
        QVERIFY(!page.saveChartPng(DashboardPage::ChartCount, dir.filePath(QStringLiteral("x.png"))));
        QVERIFY(!page.saveChartPng(0, dir.filePath(QStringLiteral("missing-dir/x.png"))));
    }

    void readableInLightAndDarkPalettes_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::newRow("light") << djp::lightPalette();
        QTest::newRow("dark") << djp::darkPalette();
    }

    void readableInLightAndDarkPalettes()
    {
        QFETCH(QPalette, palette);
        DashboardPage page;
        page.setPalette(palette);
        page.resize(1280, 900);
        page.setData(sampleData());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        for (int i = 0; i < DashboardPage::ChartCount; ++i) {
            ChartWidget* c = page.chart(i);
            QCOMPARE(c->backgroundColor(), palette.color(QPalette::Base));
            QVERIFY2(
                std::abs(luminance(c->labelColor()) - luminance(c->backgroundColor())) > 0.5, qPrintable(c->title()));
            // The rendered chart really uses the palette background.
            const QImage img = c->toImage();
            QCOMPARE(QColor(img.pixel(2, 2)).name(), palette.color(QPalette::Base).name());
        }
        auto* value = card(page, "kpi_publish_rate")->findChild<QLabel*>(QStringLiteral("value"));
        QVERIFY(std::abs(luminance(value->palette().color(QPalette::WindowText))
                    - luminance(card(page, "kpi_publish_rate")->palette().color(QPalette::Base)))
            > 0.5);
    }
};

QTEST_MAIN(TestDashboardPage)
#include "tst_dashboardpage.moc"
