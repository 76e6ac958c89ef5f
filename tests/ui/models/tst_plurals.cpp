// Count-dependent texts (docs/architecture.md, "Plurals"): written once with %n in the code, they
// read in English exactly as the old "n == 1 ? ... : ..." branches did, for 0, 1, 2 and many,
// through the compiled-in translation that every program (and this test) installs at start. The djp
// command line is checked through the program itself (QProcess); the CLI texts that need a webhook
// receiver or a database are checked at 0, 1 and 2 in tst_cli_metrics (alerts) and tst_team_cli (push).
#include "budget/budgetgate.h"
#include "display/chartseries.h"
#include "display/displayformat.h"
#include "display/vocabularytext.h"
#include "metrics/kpis.h"
#include "models/jsontreemodel.h"
#include "pipeline/runplanner.h"

#include "clirunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>
#include <limits>

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

    // Every count text added with the CLI and widget plurals, at 0, 1 and 2, as the programs look it up
    // (context, source, n). The widgets and CLI paths that show them are checked in their own tests too
    // (tst_compare, tst_launchpage, tst_cli_metrics, tst_team_cli and the CLI checks below).
    void countTextsReadInEnglish_data()
    {
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("one");
        QTest::addColumn<QString>("many");
        const auto row = [](const char* context, const char* source, const char* one, const char* many) {
            QTest::newRow(source) << QString::fromUtf8(context) << QString::fromUtf8(source) << QString::fromUtf8(one)
                                  << QString::fromUtf8(many);
        };
        row("djp::cli", "%n file(s) could not be read as run artifacts", "%n file could not be read as a run artifact",
            "%n files could not be read as run artifacts");
        row("djp::cli::alerts", "%n alert(s) already sent within the window", "%n alert already sent within the window",
            "%n alerts already sent within the window");
        row("djp::cli::alerts", "%n attempt(s)", "%n attempt", "%n attempts");
        row("djp::cli::alerts", "%n alert(s)", "%n alert", "%n alerts");
        row("djp::cli::alerts", "%n resolved message(s)", "%n resolved message", "%n resolved messages");
        row("djp::cli::pricing", "since %1, %n older price(s)", "since %1, %n older price",
            "since %1, %n older prices");
        row("djp::cli::team", "%n run(s) were stored before the failure; push again to resume",
            "%n run was stored before the failure; push again to resume",
            "%n runs were stored before the failure; push again to resume");
        row("djp::cli::team", "%n file(s) not pushed:", "%n file not pushed:", "%n files not pushed:");
        row("djp::cli::team", "%n new run(s)", "%n new run", "%n new runs");
        row("djp::cli::team", "%n problem(s) not pushed", "%n problem not pushed", "%n problems not pushed");
        row("djp::cli::team", "Filled in the cost details of %n run(s) from their stored artifacts.",
            "Filled in the cost details of %n run from its stored artifact.",
            "Filled in the cost details of %n runs from their stored artifacts.");
        row("djp::cli::team", "Could not read the stored artifact of %n run(s): they stay without cost details.",
            "Could not read the stored artifact of %n run: it stays without cost details.",
            "Could not read the stored artifact of %n runs: they stay without cost details.");
        row("djp::cli::metrics",
            "%n run(s) in the team history have no cost details yet (pushed by an older djp); run: djp team init --db "
            "URL",
            "%n run in the team history has no cost details yet (pushed by an older djp); run: djp team init --db URL",
            "%n runs in the team history have no cost details yet (pushed by an older djp); run: djp team init --db "
            "URL");
        row("djp::CompareDialog", "%n row(s)", "%n row", "%n rows");
        row("djp::CompareDialog", "%n differ(s)", "%n differs", "%n differ");
        row("djp::RunProgressWidget", "Stage: %1 (%2 of %Ln call(s) done)", "Stage: %1 (%2 of %Ln call done)",
            "Stage: %1 (%2 of %Ln calls done)");
        row("djp::RunProgressWidget", "Cancelling — stage: %1 (%2 of %Ln call(s) done)",
            "Cancelling — stage: %1 (%2 of %Ln call done)", "Cancelling — stage: %1 (%2 of %Ln calls done)");
        row("djp::RunProgressWidget", " · %1 token(s)", " · %1 token", " · %1 tokens");
        row("djp::RunProgressWidget", " · %1 of %2 token(s)", " · %1 of %2 token", " · %1 of %2 tokens");
        row("djp::BudgetGauge", "%1 of %2 token(s) (%3)", "%1 of %2 token (%3)", "%1 of %2 tokens (%3)");
        row("djp::ProjectionPanel", "%1 token(s) expected", "%1 token expected", "%1 tokens expected");
        row("djp::InspectorPage", "on: %n citation(s), %1 required", "on: %n citation, %1 required",
            "on: %n citations, %1 required");
        row("djp::InspectorPage", "%n redaction(s) (%1)", "%n redaction (%1)", "%n redactions (%1)");
        row("QObject", "%1 of %Ln run(s) = %2 (exact %3)", "%1 of %Ln run = %2 (exact %3)",
            "%1 of %Ln runs = %2 (exact %3)");
        row("djp::DashboardPage", "\nValue: %1% (exact %2) over %Ln run(s): reported $%3, computed $%4",
            "\nValue: %1% (exact %2) over %Ln run: reported $%3, computed $%4",
            "\nValue: %1% (exact %2) over %Ln runs: reported $%3, computed $%4");
        row("djp::AlertsPage",
            "Rules look at every run in %1 from %2 (at least %n run(s)). The sidebar filters do not apply here. They "
            "are evaluated again whenever runs are added or changed.",
            "Rules look at every run in %1 from %2 (at least %n run). The sidebar filters do not apply here. They "
            "are evaluated again whenever runs are added or changed.",
            "Rules look at every run in %1 from %2 (at least %n runs). The sidebar filters do not apply here. They "
            "are evaluated again whenever runs are added or changed.");
    }

    void countTextsReadInEnglish()
    {
        QFETCH(QString, context);
        QFETCH(QString, source);
        QFETCH(QString, one);
        QFETCH(QString, many);
        const QByteArray c = context.toUtf8(), s = source.toUtf8();
        const auto expected = [](QString text, int n) {
            return text.replace(QStringLiteral("%Ln"), QLocale().toString(n))
                .replace(QStringLiteral("%n"), QString::number(n));
        };
        QCOMPARE(QCoreApplication::translate(c.constData(), s.constData(), nullptr, 0), expected(many, 0));
        QCOMPARE(QCoreApplication::translate(c.constData(), s.constData(), nullptr, 1), expected(one, 1));
        QCOMPARE(QCoreApplication::translate(c.constData(), s.constData(), nullptr, 2), expected(many, 2));
    }

    // The run count of the empty dashboard's text: "1 run is loaded, but it does not match".
    void emptyDashboardCountsLoadedRuns()
    {
        const char* source = "%Ln run(s) are loaded, but none match the current filters. Widen the time range or "
                             "clear the filters in the sidebar, or launch a new run from the Launch tab (Ctrl+R) or a "
                             "terminal:";
        QVERIFY(QCoreApplication::translate("djp::DashboardPage", source, nullptr, 1)
                    .startsWith(QStringLiteral("1 run is loaded, but it does not match the current filters.")));
        QVERIFY(QCoreApplication::translate("djp::DashboardPage", source, nullptr, 0)
                    .startsWith(QStringLiteral("0 runs are loaded, but none match the current filters.")));
        QVERIFY(QCoreApplication::translate("djp::DashboardPage", source, nullptr, 2)
                    .startsWith(QStringLiteral("2 runs are loaded, but none match the current filters.")));
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

    // The budget gate's token wording in the app: the unit agrees with the budget's number.
    void tokenBudgetTextsCountTokens()
    {
        const auto text = [](GateStatus status, double projected, double limit) {
            GateCheck c;
            c.kind = GateCheck::Kind::Tokens;
            c.status = status;
            c.projected = projected;
            c.limit = limit;
            c.ratio = limit > 0 ? projected / limit : std::numeric_limits<double>::infinity();
            return gateCheckText(c);
        };
        QCOMPARE(text(GateStatus::Blocked, 5, 0), QStringLiteral("Projected tokens 5 exceeds budget 0 tokens"));
        QCOMPARE(text(GateStatus::Blocked, 5, 1), QStringLiteral("Projected tokens 5 exceeds budget 1 token"));
        QCOMPARE(text(GateStatus::Blocked, 5, 2), QStringLiteral("Projected tokens 5 exceeds budget 2 tokens"));
        QCOMPARE(text(GateStatus::Warning, 1, 1), QStringLiteral("Projected tokens 1 is 100% of budget 1 token"));
        QCOMPARE(text(GateStatus::Warning, 19, 20), QStringLiteral("Projected tokens 19 is 95% of budget 20 tokens"));
        // Beyond an int, the count still picks the plural (tr()'s count is an int).
        QCOMPARE(pluralCount(5'000'000'000), std::numeric_limits<int>::max());
        QCOMPARE(pluralCount(1), 1);
        QCOMPARE(pluralCount(0), 0);
    }

    // The plan `djp run` prints before a grounded run counts documents, sources and citations.
    void groundedPlanCountsCorpus()
    {
        const auto groundedLine = [](int n) {
            RunPlan plan;
            plan.config.groundedCorpus = QStringLiteral("/corpus");
            plan.config.groundedRequired = n;
            plan.grounding.corpusDocs = n;
            plan.grounding.sources.resize(std::size_t(n));
            for (const QString& line : formatPlan(plan).split(QLatin1Char('\n')))
                if (line.startsWith(QStringLiteral("Grounded: ")))
                    return line;
            return QString();
        };
        QCOMPARE(groundedLine(0), QStringLiteral("Grounded: 0 documents, 0 sources, 0 citations required"));
        QCOMPARE(groundedLine(1), QStringLiteral("Grounded: 1 document, 1 source, 1 citation required"));
        QCOMPARE(groundedLine(2), QStringLiteral("Grounded: 2 documents, 2 sources, 2 citations required"));
    }

    // `djp metrics` (and export, alerts) say how many files could not be read: none -> no line.
    void cliCountsUnreadableFiles()
    {
        QTemporaryDir runs;
        QVERIFY(runs.isValid());
        djp::test::CliRunner cli;
        const auto unreadableLine = [&] {
            const djp::test::CliResult r = cli.run(
                { QStringLiteral("metrics"), QStringLiteral("--runs-dir"), runs.path(), QStringLiteral("--no-index") });
            if (!r.finished)
                return QStringLiteral("(djp did not finish)");
            for (const QByteArray& line : r.err.split('\n'))
                if (line.contains("could not be read"))
                    return QString::fromUtf8(line);
            return QString();
        };
        QCOMPARE(unreadableLine(), QString());
        const auto addBroken = [&](const QString& name) {
            QFile f(runs.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{ not json");
        };
        addBroken(QStringLiteral("broken-1.json"));
        QCOMPARE(unreadableLine(), QStringLiteral("djp metrics: 1 file could not be read as a run artifact"));
        addBroken(QStringLiteral("broken-2.json"));
        QCOMPARE(unreadableLine(), QStringLiteral("djp metrics: 2 files could not be read as run artifacts"));
    }

    // `djp pricing show` notes how many older prices a model keeps: none -> no note.
    void cliCountsOlderPrices()
    {
        QTemporaryDir config;
        QVERIFY(config.isValid());
        QFile f(config.filePath(QStringLiteral("pricing.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"updated": "2026-01-01", "source": "plural test", "models": {
            "test/none": {"input": 1, "output": 2},
            "test/one": {"input": 1, "output": 2, "effective": "2025-01-01", "history": [{"input": 3, "output": 4}]},
            "test/two": {"input": 1, "output": 2, "effective": "2025-01-01", "history": [
                {"input": 3, "output": 4, "effective": "2024-06-01"}, {"input": 5, "output": 6}]}}})");
        f.close();
        djp::test::CliRunner cli;
        cli.setEnv(QStringLiteral("DJP_CONFIG_DIR"), config.path());
        const djp::test::CliResult r = cli.run({ QStringLiteral("pricing"), QStringLiteral("show") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto row = [&](const char* label) {
            for (const QByteArray& line : r.out.split('\n'))
                if (line.startsWith(label))
                    return QString::fromUtf8(line).simplified();
            return QString();
        };
        QVERIFY2(!row("test/none").contains(QStringLiteral("older")), r.out.constData());
        QVERIFY2(row("test/one").endsWith(QStringLiteral("since 2025-01-01, 1 older price")), r.out.constData());
        QVERIFY2(row("test/two").endsWith(QStringLiteral("since 2025-01-01, 2 older prices")), r.out.constData());
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
