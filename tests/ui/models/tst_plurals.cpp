// Count-dependent texts (docs/architecture.md, "Plurals"): written once with %n in the code, they
// read in English exactly as the old "n == 1 ? ... : ..." branches did, for 0, 1, 2 and many,
// through the compiled-in translation that every program (and this test) installs at start.
#include "display/chartseries.h"
#include "display/displayformat.h"
#include "metrics/kpis.h"
#include "models/jsontreemodel.h"

#include <QCoreApplication>
#include <QTranslator>
#include <QtTest>

using namespace djp;

class TestPlurals : public QObject
{
    Q_OBJECT

    static QString preview(const char* json)
    {
        JsonTreeModel model;
        model.setTable(JsonNodeTable::build(std::make_shared<const Json>(Json::parse(json))));
        const QModelIndex first = model.index(0, JsonTreeModel::ValueColumn);
        return first.data().toString();
    }

private Q_SLOTS:
    void theTranslationIsInstalled()
    {
        // tests/support/startup/installtranslations.cpp, as main() in djp and djp-studio.
        QVERIFY(QCoreApplication::instance()->findChild<QTranslator*>());
        // Without it the same message would read "1 run(s)": this is what the translation changes.
        QCOMPARE(
            QCoreApplication::translate("djp::NoSuchContext", "%n run(s)", nullptr, 1), QStringLiteral("1 run(s)"));
    }

    void jsonPreviewsCountKeysAndItems()
    {
        QCOMPARE(preview(R"({"a": {}})"), QStringLiteral("{0 keys}"));
        QCOMPARE(preview(R"({"a": {"x": 1}})"), QStringLiteral("{1 key}"));
        QCOMPARE(preview(R"({"a": {"x": 1, "y": 2}})"), QStringLiteral("{2 keys}"));
        QCOMPARE(preview(R"({"a": []})"), QStringLiteral("[0 items]"));
        QCOMPARE(preview(R"({"a": [7]})"), QStringLiteral("[1 item]"));
        QCOMPARE(preview(R"({"a": [7, 8]})"), QStringLiteral("[2 items]"));
    }

    void reasonBarsCountRuns()
    {
        Kpis k;
        k.topFailureReasons = { { QStringLiteral("low_margin"), 1234 }, { QStringLiteral("cancelled"), 2 },
            { QStringLiteral("no_valid_content"), 1 }, { QStringLiteral("grounded_citations_missing"), 0 } };
        const CategorySeries s = topReasonsSeries(k);
        QCOMPARE(s.valueTexts.size(), 4);
        QCOMPARE(s.valueTexts[0], formatCount(1234) + QStringLiteral(" runs")); // %Ln: the locale's grouping
        QCOMPARE(s.valueTexts[1], QStringLiteral("2 runs"));
        QCOMPARE(s.valueTexts[2], QStringLiteral("1 run"));
        QCOMPARE(s.valueTexts[3], QStringLiteral("0 runs"));
    }

    void statusBarsCountRuns()
    {
        Kpis k;
        k.totalRuns = 3;
        k.publishedRuns = 1;
        k.publishRate = 1.0 / 3;
        k.advisoryRuns = 2;
        k.advisoryRate = 2.0 / 3;
        const CategorySeries s = statusBreakdownSeries(k);
        QVERIFY(s.valueTexts.size() >= 3);
        QCOMPARE(s.valueTexts[0], QStringLiteral("1 run (%1)").arg(formatRate(k.publishRate)));
        QCOMPARE(s.valueTexts[1], QStringLiteral("2 runs (%1)").arg(formatRate(k.advisoryRate)));
        QCOMPARE(s.valueTexts[2], QStringLiteral("0 runs (%1)").arg(formatRate(0.0)));
    }
};

QTEST_GUILESS_MAIN(TestPlurals)
#include "tst_plurals.moc"
