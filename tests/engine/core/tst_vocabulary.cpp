// The engine's vocabularies (docs/artifact-format.md, "Vocabularies"): one table per enum, every value
// has one distinct JSON id that parses back to it, and ids the table does not know are handled as
// documented (a foreign run status is kept as written and counted only among all runs).
#include "artifact/artifactscanner.h"
#include "artifact/problem.h"
#include "artifact/runrecord.h"
#include "budget/budgetgate.h"
#include "metrics/alerts.h"
#include "metrics/kpis.h"
#include "metrics/runfilter.h"
#include "pipeline/grounding.h"
#include "providers/chattypes.h"
#include "providers/providerregistry.h"

#include <QSet>
#include <QtTest>

using namespace djp;

namespace {

// Entry i holds value i (vocabularyId() indexes the table by the value), every id is non-empty and
// distinct, and every id parses back to its value.
template <typename Enum> void checkTable()
{
    const auto& table = kVocabulary<Enum>;
    const auto parse = [](const QString& id) { return parseVocabulary<Enum>(id); };
    QVERIFY(!table.empty());
    QSet<QString> ids;
    for (std::size_t i = 0; i < table.size(); ++i) {
        const Enum value = table[i].value;
        QCOMPARE(static_cast<std::size_t>(value), i);
        const QString id = vocabularyId(value);
        QVERIFY(!id.isEmpty());
        QVERIFY2(!ids.contains(id), qPrintable(id));
        ids.insert(id);
        QCOMPARE(parse(id), std::optional<Enum>(value));
    }
    // Unknown ids: nothing, not a near match.
    for (const QString& unknown : { QString(), QStringLiteral("future_value"), QStringLiteral(" ok"),
             QStringLiteral("OK"), QStringLiteral("Published"), QStringLiteral("none ") })
        QCOMPARE(parse(unknown), std::optional<Enum>());
}

} // namespace

class TestVocabulary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyTableRoundTrips()
    {
        checkTable<ProblemCode>();
        checkTable<RunStatus>();
        checkTable<CallStatus>();
        checkTable<GateStatus>();
        checkTable<AlertSeverity>();
        checkTable<SimulationReason>();
        checkTable<CorpusProblemCode>();
        checkTable<ProviderMatch>();
    }

    // The ids are the strings artifacts and `--json` output have always carried.
    void idsAreTheWrittenStrings()
    {
        QCOMPARE(vocabularyId(RunStatus::AdvisoryOnly), QStringLiteral("advisory_only"));
        QCOMPARE(vocabularyId(RunStatus::None), QStringLiteral("none"));
        QCOMPARE(vocabularyId(CallStatus::SkippedBudget), QStringLiteral("skipped_budget"));
        QCOMPARE(vocabularyId(CallStatus::CircuitOpen), QStringLiteral("circuit_open"));
        QCOMPARE(vocabularyId(GateStatus::Blocked), QStringLiteral("blocked"));
        QCOMPARE(vocabularyId(AlertSeverity::Critical), QStringLiteral("critical"));
        QCOMPARE(vocabularyId(ProblemCode::NotJson), QStringLiteral("not_json"));
        QCOMPARE(vocabularyId(ProblemCode::RecoveredInterruptedRun), QStringLiteral("recovered_interrupted_run"));
        const RunRecord fresh;
        QCOMPARE(fresh.runStatus(), std::optional<RunStatus>(RunStatus::None)); // the default of docs/metrics.md
    }

    void problemIsAndKind()
    {
        const Problem p { QStringLiteral("/x.json"), vocabularyId(ProblemCode::KeptTemp), {} };
        QVERIFY(p.is(ProblemCode::KeptTemp));
        QVERIFY(!p.is(ProblemCode::RemovedTemp));
        QCOMPARE(p.kind(), std::optional<ProblemCode>(ProblemCode::KeptTemp));
        const Problem foreign { QStringLiteral("/y.json"), QStringLiteral("from_a_newer_index"), {} };
        QCOMPARE(foreign.kind(), std::optional<ProblemCode>());
        QCOMPARE(foreign.code, QStringLiteral("from_a_newer_index")); // kept as written
    }

    // A status another tool wrote survives the scan as written, is no known status, and counts only
    // among all runs (not as published, advisory or failed).
    void foreignRunStatusIsKeptAsWritten()
    {
        ArtifactScanner scanner;
        const RecordParse parsed = scanner.parse(QStringLiteral("/r.json"),
            R"({"schema_version":"1.1","run_metadata":{"timestamp":"2026-03-01T10:00:00Z","task":"t"},)"
            R"("publish":{"status":"archived","provider":"p"}})");
        QVERIFY(!parsed.problem);
        QVERIFY(parsed.record);
        const RunRecord& r = *parsed.record;
        QCOMPARE(r.status, QStringLiteral("archived"));
        QCOMPARE(r.runStatus(), std::optional<RunStatus>());
        QVERIFY(!r.hasStatus(RunStatus::None));

        RunRecord published = r;
        published.status = vocabularyId(RunStatus::Published);
        const std::vector<RunRecord> records { r, published };
        const Kpis k = computeKpis(records);
        QCOMPARE(k.totalRuns, 2);
        QCOMPARE(k.publishedRuns, 1);
        QCOMPARE(k.advisoryRuns, 0);
        QCOMPARE(k.failedRuns, 0);
    }
};

QTEST_GUILESS_MAIN(TestVocabulary)
#include "tst_vocabulary.moc"
