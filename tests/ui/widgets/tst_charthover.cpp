// Chart hover values: a real pointer move over a point / bar records its exact value, and the
// viewport's ToolTip event (what a real mouse rest sends) shows that text instead of hiding it.
// Also the "Show data" table (accessible, copyable) and accessible names of the charts.
#include "display/chartseries.h"
#include "display/dashboarddata.h"
#include "models/chartdatamodel.h"
#include "widgets/charts/categorybarchart.h"
#include "widgets/charts/piechart.h"
#include "widgets/charts/trendchart.h"

#include <QtCharts/QAbstractBarSeries>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QScatterSeries>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QPointer>
#include <QToolTip>

using namespace djp;

namespace {

DashboardData sampleData()
{
    DashboardData d;
    Kpis& k = d.kpis;
    k.totalRuns = 40;
    k.publishedRuns = 20;
    k.advisoryRuns = 12;
    k.failedRuns = 8;
    k.publishRate = 0.5;
    k.advisoryRate = 0.3;
    k.failureRate = 0.2;
    k.costComplete = true;
    k.providerMix = { { QStringLiteral("openai"), 0.75 }, { QStringLiteral("anthropic"), 0.25 } };
    k.topFailureReasons = { { QStringLiteral("not_from_allowed_provider"), 11 },
        { QStringLiteral("a-very-long-reason-name-that-the-axis-has-to-elide"), 9 } };
    k.costByProvider = { { QStringLiteral("gpt-4o"), 0.42 }, { QStringLiteral("claude-3-haiku"), 0.072 } };
    d.bucketSize = BucketSize::Day;
    const qint64 day = 24ll * 3600 * 1000;
    for (int i = 0; i < 5; ++i) {
        TimeBucket b;
        b.startMs = 1772665200000ll + i * day;
        b.endMs = b.startMs + day;
        b.runs = 5 + i;
        b.cost = 0.01 * (i + 1);
        d.buckets.push_back(b);
    }
    return d;
}

QChart* chartOf(ChartWidget* w)
{
    auto* view = w->findChild<QChartView*>();
    return view ? view->chart() : nullptr;
}

void moveTo(ChartWidget* w, const QPointF& chartPos)
{
    QWidget* vp = w->plotViewport();
    auto* view = w->findChild<QChartView*>();
    const QPoint p = view->mapFromScene(chartOf(w)->mapToScene(chartPos));
    QMouseEvent move(
        QEvent::MouseMove, QPointF(p), QPointF(vp->mapToGlobal(p)), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(vp, &move);
}

// What a real pointer resting on the chart produces after the tooltip delay.
QString toolTipEventText(ChartWidget* w, const QPointF& chartPos)
{
    QWidget* vp = w->plotViewport();
    auto* view = w->findChild<QChartView*>();
    const QPoint p = view->mapFromScene(chartOf(w)->mapToScene(chartPos));
    QHelpEvent help(QEvent::ToolTip, p, vp->mapToGlobal(p));
    QApplication::sendEvent(vp, &help);
    return QToolTip::isVisible() ? QToolTip::text() : QString();
}

QString plain(const QString& toolTipHtml)
{
    QString s = toolTipHtml;
    s.remove(QStringLiteral("<p style='white-space:pre-wrap'>"));
    s.remove(QStringLiteral("</p>"));
    s.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
    s.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    s.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    return s;
}

} // namespace

class TestChartHover : public QObject
{
    Q_OBJECT
private slots:
    void trendPointShowsExactValue();
    void barShowsExactValue_data();
    void barShowsExactValue();
    void elidedCategoryLabelHasFullTextToolTip();
    void pieLegendToolTipListsEveryValue();
    void showDataTableIsAccessibleAndCopies();
    void dataModelPassesModelTester();
    void costAxisTicksAreEven();
    void reasonsReadAsSentences();
    void identicalSeriesKeepsTheChart();
};

void TestChartHover::trendPointShowsExactValue()
{
    const DashboardData d = sampleData();
    TrendChart chart(QStringLiteral("Cost over time"));
    chart.resize(800, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const TrendSeries series = costTrendSeries(d);
    chart.setSeries(series);
    QApplication::processEvents();

    QChart* c = chartOf(&chart);
    QScatterSeries* markers = nullptr;
    for (auto* s : c->series())
        if (auto* m = qobject_cast<QScatterSeries*>(s))
            markers = m;
    QVERIFY(markers);
    const QPointF at = c->mapToPosition(series.points.at(2), markers);
    moveTo(&chart, at);
    QCOMPARE(chart.hoveredValueText(), series.toolTips.at(2));
    QVERIFY(chart.hoveredValueText().contains(QStringLiteral("$0.03")));

    // The ToolTip event a resting pointer produces used to hide the value (QGraphicsScene::helpEvent).
    const QString shown = plain(toolTipEventText(&chart, at));
    QCOMPARE(shown, series.toolTips.at(2));

    // Away from every point: no value, and the tooltip goes.
    moveTo(&chart, QPointF(c->plotArea().center().x(), c->plotArea().top() + 2));
    QVERIFY(chart.hoveredValueText().isEmpty());
    QToolTip::hideText();
}

void TestChartHover::barShowsExactValue_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<int>("category");
    QTest::newRow("provider mix, first") << 0 << 0;
    QTest::newRow("provider mix, second") << 0 << 1;
    QTest::newRow("top reasons") << 1 << 0;
    QTest::newRow("cost by provider") << 2 << 1;
}

void TestChartHover::barShowsExactValue()
{
    QFETCH(int, which);
    QFETCH(int, category);
    const DashboardData d = sampleData();
    const CategorySeries series = which == 0 ? providerMixSeries(d.kpis)
        : which == 1                         ? topReasonsSeries(d.kpis)
                                             : costByProviderSeries(d.kpis);
    CategoryBarChart chart(QStringLiteral("bars"));
    chart.resize(700, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setSeries(series);
    QApplication::processEvents();

    QChart* c = chartOf(&chart);
    auto* bars = qobject_cast<QAbstractBarSeries*>(c->series().value(0));
    QVERIFY(bars);
    const int n = static_cast<int>(series.values.size());
    // Categories are drawn bottom-up: display row `category` is bar index n - 1 - category.
    const QPointF at = c->mapToPosition(QPointF(series.values.at(category) / 2, n - 1 - category), bars);
    moveTo(&chart, at);
    QCOMPARE(chart.hoveredValueText(), series.toolTip(category));
    QCOMPARE(plain(toolTipEventText(&chart, at)), series.toolTip(category));
    QToolTip::hideText();
}

void TestChartHover::elidedCategoryLabelHasFullTextToolTip()
{
    const DashboardData d = sampleData();
    const CategorySeries series = topReasonsSeries(d.kpis);
    QVERIFY(series.labels.at(1) != series.fullLabels.at(1)); // the axis shows an elided label
    CategoryBarChart chart(QStringLiteral("Top reasons"));
    chart.resize(700, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setSeries(series);
    QApplication::processEvents();
    QChart* c = chartOf(&chart);
    const QRectF plot = c->plotArea();
    const QPointF overLabel(plot.left() - 20, plot.top() + plot.height() * 0.75); // second band
    const QString tip = plain(toolTipEventText(&chart, overLabel));
    QVERIFY2(tip.contains(series.fullLabels.at(1)), qPrintable(tip));
    QVERIFY(tip.contains(QStringLiteral("9 runs")));
    QToolTip::hideText();
}

void TestChartHover::pieLegendToolTipListsEveryValue()
{
    const DashboardData d = sampleData();
    PieChart chart(QStringLiteral("Status breakdown"));
    chart.resize(420, 300); // narrow: the legend elides
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const CategorySeries series = statusBreakdownSeries(d.kpis);
    chart.setSeries(series);
    QApplication::processEvents();
    const QRectF legend = chartOf(&chart)->legend()->geometry();
    QVERIFY(legend.isValid());
    const QString tip = plain(toolTipEventText(&chart, legend.center()));
    for (int i = 0; i < series.values.size(); ++i)
        QVERIFY2(tip.contains(series.toolTip(i)), qPrintable(tip));
    QToolTip::hideText();
}

void TestChartHover::showDataTableIsAccessibleAndCopies()
{
    const DashboardData d = sampleData();
    CategoryBarChart chart(QStringLiteral("Cost by provider"));
    chart.setDataHeaders(QStringLiteral("Model"), QStringLiteral("Cost"));
    chart.setSeries(costByProviderSeries(d.kpis));
    chart.resize(600, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));

    QCOMPARE(chart.accessibleName(), QStringLiteral("Cost by provider"));
    QVERIFY2(chart.accessibleDescription().contains(QStringLiteral("gpt-4o: $0.42")),
        qPrintable(chart.accessibleDescription()));
    QVERIFY(!chart.showDataButton()->accessibleName().isEmpty());
    QVERIFY(chart.showDataButton()->isVisible());
    QVERIFY(chart.rect().contains(chart.showDataButton()->geometry()));

    QTest::mouseClick(chart.showDataButton(), Qt::LeftButton);
    QDialog* dialog = chart.dataDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    auto* table = dialog->findChild<QTableView*>(QStringLiteral("chartDataTable"));
    QVERIFY(table);
    QVERIFY(!table->accessibleName().isEmpty());
    QCOMPARE(table->model()->rowCount(), 2);
    QCOMPARE(table->model()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Model"));
    QCOMPARE(table->model()->index(1, 0).data().toString(), QStringLiteral("claude-3-haiku"));
    QCOMPARE(table->model()->index(1, 1).data().toString(), QStringLiteral("$0.072"));

    QApplication::clipboard()->clear();
    auto* copy = dialog->findChild<QPushButton*>(QStringLiteral("copyDataButton"));
    QVERIFY(copy);
    copy->click();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("Model\tCost\ngpt-4o\t$0.42\nclaude-3-haiku\t$0.072\n"));

    // New series: the open table follows.
    DashboardData d2 = d;
    d2.kpis.costByProvider = { { QStringLiteral("only-model"), 1.5 } };
    chart.setSeries(costByProviderSeries(d2.kpis));
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("only-model"));
}

void TestChartHover::dataModelPassesModelTester()
{
    ChartDataModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const DashboardData d = sampleData();
    model.setTable(chartDataTable(costTrendSeries(d)));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.index(4, 2).data().toString(), QStringLiteral("9"));
    QCOMPARE(model.index(4, 1).data(Qt::TextAlignmentRole).value<Qt::Alignment>(), Qt::AlignRight | Qt::AlignVCenter);
    model.setTable({});
    QCOMPARE(model.rowCount(), 0);
}

void TestChartHover::costAxisTicksAreEven()
{
    // [0, 0.1] in 4 steps of 0.025: two decimals printed $0.03, $0.05, $0.08.
    QCOMPARE(usdAxisFormat(0.1, 5), QStringLiteral("$%.3f"));
    QCOMPARE(usdAxisFormat(0.25, 6), QStringLiteral("$%.2f"));
    QCOMPARE(usdAxisFormat(0.0025, 6), QStringLiteral("$%.4f"));
    // Every tick of a series' axis is written exactly with its format.
    DashboardData d = sampleData();
    for (double top : { 0.0049, 0.031, 0.07, 0.12, 0.9, 2.3 }) {
        d.buckets.back().cost = top;
        const TrendSeries s = costTrendSeries(d);
        const double step = s.yMax / (s.yTickCount - 1);
        for (int i = 0; i < s.yTickCount; ++i) {
            const double tick = step * i;
            const QString text = QString::asprintf(qPrintable(s.yLabelFormat), tick);
            QVERIFY2(std::abs(text.mid(1).toDouble() - tick) < 1e-9, qPrintable(text));
        }
    }
}

void TestChartHover::reasonsReadAsSentences()
{
    QCOMPARE(
        reasonDisplayText(QStringLiteral("grounded_citations_missing")), QStringLiteral("Grounded citations missing"));
    QCOMPARE(reasonDisplayText(QStringLiteral("not_from_allowed_provider")),
        QStringLiteral("Winner not from an allowed provider"));
    QCOMPARE(reasonDisplayText(QStringLiteral("some_new_code")), QStringLiteral("Some new code"));
    const QString sentence = QStringLiteral("Top draft validation failed: too_short");
    QCOMPARE(reasonDisplayText(sentence), sentence);
    DashboardData d = sampleData();
    d.kpis.topFailureReasons = { { QStringLiteral("grounded_citations_missing"), 3 } };
    QCOMPARE(topReasonsSeries(d.kpis).fullLabels.value(0), QStringLiteral("Grounded citations missing"));
}

// A second view with the same bars (a team history's cost details arriving) leaves the drawn chart as it
// is; different bars rebuild it.
void TestChartHover::identicalSeriesKeepsTheChart()
{
    const DashboardData d = sampleData();
    CategoryBarChart chart(QStringLiteral("Top reasons"));
    chart.setSeries(topReasonsSeries(d.kpis));
    QChart* c = chartOf(&chart);
    QCOMPARE(c->series().size(), qsizetype(1));
    const QPointer<QAbstractSeries> drawn = c->series().first(); // null once the chart deletes it
    chart.setSeries(topReasonsSeries(d.kpis));
    QCOMPARE(c->series().size(), qsizetype(1));
    QVERIFY(drawn);
    QCOMPARE(c->series().first(), drawn.data());
    CategorySeries other = topReasonsSeries(d.kpis);
    other.values.first() += 1;
    chart.setSeries(other);
    QCOMPARE(c->series().size(), qsizetype(1));
    QVERIFY(!drawn);
    QCOMPARE(chart.series(), other);
}

QTEST_MAIN(TestChartHover)
#include "tst_charthover.moc"
