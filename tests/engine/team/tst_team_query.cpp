// The team-history read API against a real server: chart buckets (local-time edges from the client,
// counts and sums from the server) equal bucketRuns() over the folder's records in several time zones;
// paged records equal slices of the folder's filtered records; KPI aggregates equal.
#include "pgcluster.h"

#include "benchdata/syntheticartifacts.h"
#include "metrics/exactsum.h"
#include "metrics/kpis.h"
#include "metrics/runfilter.h"
#include "metrics/timeseries.h"
#include "store/runstore.h"
#include "team/teampush.h"
#include "team/teamquery.h"
#include "team/teamschema.h"

#include <QDirIterator>
#include <QTest>
#include <algorithm>
#include <bit>
#include <random>

using namespace djp;
using namespace djp::test;

namespace {
constexpr qint64 kNowMs = 1790000000000;
constexpr qint64 kDay = 24ll * 3600 * 1000;

std::vector<RunFilter> filters()
{
    std::vector<RunFilter> v;
    RunFilter f;
    f.lastMs.reset();
    v.push_back(f); // all time
    f.lastMs = 2 * kDay;
    v.push_back(f);
    f.lastMs = 30 * kDay;
    v.push_back(f);
    f = RunFilter {};
    f.custom = true;
    f.fromMs = kNowMs - 100 * kDay;
    f.toMs = kNowMs - 10 * kDay;
    f.status = QStringLiteral("published");
    v.push_back(f);
    f = RunFilter {};
    f.lastMs.reset();
    f.search = QStringLiteral("migration");
    v.push_back(f);
    // Published by vs any call (runUsedModel()): the same label, two different sets.
    f = RunFilter {};
    f.lastMs.reset();
    f.provider = QStringLiteral("openai/gpt-4o");
    v.push_back(f);
    f.providerMatch = ProviderMatch::AnyCall;
    v.push_back(f);
    // Windows that cover whole UTC months (read from the rollups) plus partial ones (from the runs),
    // and one-sided custom ranges.
    f = RunFilter {};
    f.lastMs = 90 * kDay;
    v.push_back(f);
    f.lastMs = 150 * kDay;
    f.groundedOnly = true;
    v.push_back(f);
    f = RunFilter {};
    f.lastMs.reset();
    f.status = QStringLiteral("advisory_only");
    v.push_back(f);
    f = RunFilter {};
    f.custom = true;
    f.fromMs = kNowMs - 120 * kDay;
    f.redactedOnly = true;
    v.push_back(f);
    f = RunFilter {};
    f.custom = true;
    f.toMs = kNowMs - 40 * kDay;
    f.provider = QStringLiteral("openai/gpt-4o");
    v.push_back(f);
    return v;
}
} // namespace

class TestTeamQuery : public QObject
{
    Q_OBJECT

    PgCluster m_cluster;
    QTemporaryDir m_tmp;
    LoadResult m_folder;
    std::optional<PgConnection> m_conn;

private slots:
    void initTestCase()
    {
        QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
        SyntheticOptions o;
        o.count = 500;
        o.seed = 99;
        o.endMs = kNowMs - 3600 * 1000;
        o.spanDays = 200; // crosses both DST changes of the year
        const QString runs = m_tmp.filePath(QStringLiteral("runs"));
        QVERIFY(writeSyntheticArtifacts(runs, o).ok);
        // Some failed runs become cancelled ones (status none, reason "cancelled"): both sources must
        // count them apart from failures.
        int cancelled = 0;
        QDirIterator files(runs, { QStringLiteral("*.json") }, QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadWrite));
            QByteArray text = file.readAll();
            if (!text.contains("\"budget_exhausted\""))
                continue;
            text.replace("\"budget_exhausted\"", "\"cancelled\"");
            QVERIFY(file.resize(0) && file.seek(0) && file.write(text) == text.size());
            ++cancelled;
        }
        QVERIFY(cancelled > 0);
        LoadOptions lo;
        lo.runsDir = runs;
        lo.useIndex = false;
        m_folder = loadRuns(lo);
        QVERIFY(m_folder.records.size() > 400);

        bool ok = false;
        m_cluster.psql(QStringLiteral("CREATE DATABASE q"), QStringLiteral("postgres"), &ok);
        QVERIFY(ok);
        DbError e;
        m_conn = PgConnection::open(m_cluster.url(QStringLiteral("q")), &e);
        QVERIFY2(m_conn, qPrintable(e.message));
        TeamInitResult init;
        QVERIFY2(initTeamSchema(*m_conn, true, &init, &e), qPrintable(e.message));
        PushSummary s;
        QVERIFY2(pushRecords(*m_conn, m_folder.records, {}, &s, &e), qPrintable(e.message));
        QCOMPARE(s.pushed, qint64(m_folder.records.size()));
    }

    void bucketsEqualFolderBuckets_data()
    {
        QTest::addColumn<QByteArray>("zone");
        QTest::addColumn<int>("size");
        for (const char* zone : { "UTC", "Europe/Berlin", "Asia/Kolkata", "America/New_York" }) {
            for (int size : { int(BucketSize::Hour), int(BucketSize::Day), int(BucketSize::Week) })
                QTest::addRow("%s %d", zone, size) << QByteArray(zone) << size;
        }
    }
    void bucketsEqualFolderBuckets()
    {
        QFETCH(QByteArray, zone);
        QFETCH(int, size);
        const QTimeZone tz(zone);
        QVERIFY(tz.isValid());
        for (const RunFilter& f : filters()) {
            const std::vector<TimeBucket> expected
                = bucketRuns(m_folder.records, filterRuns(m_folder.records, f, kNowMs), BucketSize(size), tz);
            std::vector<TimeBucket> actual;
            DbError e;
            QVERIFY2(teamBuckets(*m_conn, f, kNowMs, BucketSize(size), tz, &actual, &e), qPrintable(e.message));
            QCOMPARE(actual.size(), expected.size());
            for (size_t i = 0; i < actual.size(); ++i) {
                QCOMPARE(actual[i].startMs, expected[i].startMs);
                QCOMPARE(actual[i].endMs, expected[i].endMs);
                QCOMPARE(actual[i].runs, expected[i].runs);
                QCOMPARE(actual[i].published, expected[i].published);
                QCOMPARE(actual[i].advisory, expected[i].advisory);
                QCOMPARE(actual[i].none, expected[i].none);
                QCOMPARE(actual[i].cost, expected[i].cost); // exact: both are the exact sum rounded once
                QCOMPARE(actual[i].tokens, expected[i].tokens);
            }
        }
    }

    void pagesAreSlicesOfTheFilteredRecords()
    {
        for (const RunFilter& f : filters()) {
            const std::vector<int> idx = filterRuns(m_folder.records, f, kNowMs);
            DbError e;
            for (qint64 offset : { qint64(0), qint64(37), qint64(idx.size() > 5 ? idx.size() - 5 : 0) }) {
                std::vector<RunRecord> page;
                QVERIFY2(teamRecords(*m_conn, f, kNowMs, &page, &e, offset, 50), qPrintable(e.message));
                const size_t expected = std::min<size_t>(50, idx.size() > size_t(offset) ? idx.size() - offset : 0);
                QCOMPARE(page.size(), expected);
                for (size_t i = 0; i < page.size(); ++i) {
                    const RunRecord& r = m_folder.records[size_t(idx[size_t(offset) + i])];
                    QCOMPARE(page[i].artifactFile, r.artifactFile);
                    QCOMPARE(page[i].estCost, r.estCost);
                    QCOMPARE(page[i].duration, r.duration);
                    QCOMPARE(page[i].timestampMs, r.timestampMs);
                    QCOMPARE(page[i].utcOffsetSeconds, r.utcOffsetSeconds);
                }
            }
        }
    }

    // The desktop app pages newest first: each page is a slice of the folder's filtered set read backwards.
    void newestFirstPagesAreTheFolderOrderReversed()
    {
        for (const RunFilter& f : filters()) {
            const std::vector<int> idx = filterRuns(m_folder.records, f, kNowMs);
            DbError e;
            for (qint64 offset : { qint64(0), qint64(23) }) {
                std::vector<RunRecord> page;
                QVERIFY2(teamRecords(*m_conn, f, kNowMs, &page, &e, offset, 30, TeamRecordOrder::NewestFirst),
                    qPrintable(e.message));
                const size_t expected = std::min<size_t>(30, idx.size() > size_t(offset) ? idx.size() - offset : 0);
                QCOMPARE(page.size(), expected);
                for (size_t i = 0; i < page.size(); ++i)
                    QCOMPARE(page[i].artifactFile,
                        m_folder.records[size_t(idx[idx.size() - 1 - size_t(offset) - i])].artifactFile);
            }
            qint64 first = 0, last = 0;
            bool any = false;
            QVERIFY2(teamTimeExtent(*m_conn, f, kNowMs, &first, &last, &any, &e), qPrintable(e.message));
            qint64 lo = std::numeric_limits<qint64>::max(), hi = std::numeric_limits<qint64>::min();
            for (int i : idx)
                if (m_folder.records[size_t(i)].hasTimestamp) {
                    lo = std::min(lo, m_folder.records[size_t(i)].timestampMs);
                    hi = std::max(hi, m_folder.records[size_t(i)].timestampMs);
                }
            QCOMPARE(any, hi >= lo);
            if (any) {
                QCOMPARE(first, lo);
                QCOMPARE(last, hi);
            }
        }
    }

    void facetsAreTheDistinctValues()
    {
        QSet<QString> presets, providers, models, statuses;
        for (const RunRecord& r : m_folder.records) {
            presets.insert(r.presetName);
            if (!r.provider.isEmpty())
                providers.insert(r.provider);
            for (const auto& entry : r.costByLabel)
                models.insert(entry.first);
            statuses.insert(r.status);
        }
        QStringList p, v, m, s;
        DbError e;
        QVERIFY2(teamFacets(*m_conn, &p, &v, &m, &s, &e), qPrintable(e.message));
        QCOMPARE(QSet<QString>(p.begin(), p.end()), presets);
        QCOMPARE(QSet<QString>(v.begin(), v.end()), providers);
        QCOMPARE(QSet<QString>(m.begin(), m.end()), models);
        QVERIFY(!models.isEmpty());
        QCOMPARE(QSet<QString>(s.begin(), s.end()), statuses);
        QVERIFY(presets.size() > 1 && providers.size() > 1);
    }

    void kpiAggregatesEqual()
    {
        for (const RunFilter& f : filters()) {
            const KpiAggregates folder = aggregateKpis(m_folder.records, filterRuns(m_folder.records, f, kNowMs));
            KpiAggregates db;
            DbError e;
            QVERIFY2(teamKpiAggregates(*m_conn, f, kNowMs, &db, nullptr, &e), qPrintable(e.message));
            QCOMPARE(db.totalRuns, folder.totalRuns);
            QCOMPARE(db.costSum, folder.costSum);
            QCOMPARE(db.durationSum, folder.durationSum);
            QCOMPARE(db.p50Duration, folder.p50Duration);
            QCOMPARE(db.p95Duration, folder.p95Duration);
            QCOMPARE(db.groundedCitationOkRuns, folder.groundedCitationOkRuns);
            QCOMPARE(db.cancelledRuns, folder.cancelledRuns);
            QCOMPARE(db.failedRuns, folder.failedRuns);
            if (!f.lastMs && !f.custom && f.status.isEmpty() && f.provider.isEmpty() && f.search.isEmpty())
                QVERIFY(folder.cancelledRuns > 0 && folder.failedRuns > 0);
            QCOMPARE(kpisToJson(kpisFromAggregates(db)).dump(), kpisToJson(kpisFromAggregates(folder)).dump());
        }
    }

    // A history pushed at schema version 1 (no rollups), upgraded by init: the migration fills the
    // rollups from the rows already there, later pushes add to them, and every figure still equals
    // the folder's. Half the runs are pushed before the upgrade, half after.
    void upgradeFillsTheRollupsFromPushedRuns()
    {
        bool ok = false;
        m_cluster.psql(QStringLiteral("CREATE DATABASE q1"), QStringLiteral("postgres"), &ok);
        QVERIFY(ok);
        DbError e;
        std::optional<PgConnection> conn = PgConnection::open(m_cluster.url(QStringLiteral("q1")), &e);
        QVERIFY2(conn, qPrintable(e.message));
        TeamInitResult init;
        QVERIFY2(initTeamSchema(*conn, false, &init, &e, 1), qPrintable(e.message));
        QCOMPARE(init.versionAfter, 1);
        const size_t half = m_folder.records.size() / 2;
        const std::vector<RunRecord> first(m_folder.records.begin(), m_folder.records.begin() + long(half));
        const std::vector<RunRecord> second(m_folder.records.begin() + long(half), m_folder.records.end());
        PushSummary s;
        QVERIFY2(pushRecords(*conn, first, {}, &s, &e), qPrintable(e.message));
        QCOMPARE(s.pushed, qint64(first.size()));
        // Readers refuse an outdated history with a clear line instead of failing on a missing table.
        KpiAggregates db;
        QVERIFY(!teamKpiAggregates(*conn, RunFilter {}, kNowMs, &db, nullptr, &e));
        QCOMPARE(e.code, QStringLiteral("schema_outdated"));
        QVERIFY2(e.message.contains(QStringLiteral("djp team init")), qPrintable(e.message));
        QVERIFY2(initTeamSchema(*conn, false, &init, &e), qPrintable(e.message));
        QCOMPARE(init.versionBefore, 1);
        QCOMPARE(init.versionAfter, teamSchemaVersion());
        s = {};
        QVERIFY2(pushRecords(*conn, second, {}, &s, &e), qPrintable(e.message));
        QCOMPARE(s.pushed, qint64(second.size()));
        qint64 total = 0;
        for (const RunFilter& f : filters()) {
            const KpiAggregates folder = aggregateKpis(m_folder.records, filterRuns(m_folder.records, f, kNowMs));
            QVERIFY2(teamKpiAggregates(*conn, f, kNowMs, &db, &total, &e), qPrintable(e.message));
            QCOMPARE(total, qint64(m_folder.records.size()));
            QCOMPARE(db.p50Duration, folder.p50Duration);
            QCOMPARE(db.p95Duration, folder.p95Duration);
            QCOMPARE(kpisToJson(kpisFromAggregates(db)).dump(), kpisToJson(kpisFromAggregates(folder)).dump());
        }
        // The rollups hold exactly the sums of the runs table.
        const auto one = [&](const char* sql) {
            const std::optional<PgResult> r = conn->exec(QString::fromLatin1(sql), {}, &e);
            return r ? r->text(0, 0) : QStringLiteral("error: ") + e.message;
        };
        QCOMPARE(one("SELECT sum(runs)::text || '/' || sum(est_cost)::text || '/' || sum(duration)::text "
                     "FROM djp.rollup_runs"),
            one("SELECT count(*)::text || '/' || sum(est_cost)::text || '/' || sum(duration)::text FROM djp.runs"));
        QCOMPARE(
            one("SELECT sum(runs)::text FROM djp.rollup_durations_all"), one("SELECT count(*)::text FROM djp.runs"));
        QCOMPARE(one("SELECT sum(runs)::text || '/' || sum(est_cost)::text FROM djp.rollup_hours"),
            one("SELECT count(*)::text || '/' || sum(est_cost)::text FROM djp.runs WHERE run_at IS NOT NULL"));
        QCOMPARE(one("SELECT sum(cost)::text FROM djp.rollup_costs"),
            one("SELECT sum(c)::text FROM djp.runs, unnest(cost_values) AS c"));
        // The all-time level (migration 5: back-filled from the monthly rollups at the upgrade, then kept by
        // its own trigger) holds row for row the monthly rollups summed over the months.
        const auto rows = [&](const QString& columns, const QString& from) {
            return one(QStringLiteral("SELECT string_agg(line, ';' ORDER BY line) FROM (SELECT concat_ws('|', %1) AS "
                                      "line FROM %2) AS t")
                           .arg(columns, from)
                           .toLatin1()
                           .constData());
        };
        const QString runDims = QStringLiteral("preset_name, provider, status, advisory_reason, grounded, redacted, "
                                               "simulated, cost_complete, cited, citations_ok, grounded_ok");
        QCOMPARE(rows(runDims + QStringLiteral(", runs, total_tokens, est_cost, duration"),
                     QStringLiteral("djp.rollup_runs_all")),
            rows(runDims + QStringLiteral(", r, t, c, d"),
                QStringLiteral("(SELECT %1, sum(runs) AS r, sum(total_tokens) AS t, sum(est_cost) AS c, sum(duration) "
                               "AS d FROM djp.rollup_runs GROUP BY %1) AS m")
                    .arg(runDims)));
        const QString costDims = QStringLiteral("preset_name, provider, status, grounded, redacted, label");
        QCOMPARE(rows(costDims + QStringLiteral(", cost"), QStringLiteral("djp.rollup_costs_all")),
            rows(costDims + QStringLiteral(", c"),
                QStringLiteral("(SELECT %1, sum(cost) AS c FROM djp.rollup_costs GROUP BY %1) AS m").arg(costDims)));
        QVERIFY(one("SELECT count(*) FROM djp.rollup_runs_all").toInt() > 3);
        // The analyst rollup (migration 6): per role, the runs table's sums and time range.
        const QString analysts = QStringLiteral("pushed_by, r, c, t, f, l");
        QCOMPARE(
            rows(analysts,
                QStringLiteral("(SELECT pushed_by, sum(runs) AS r, sum(est_cost) AS c, sum(total_tokens) AS t, "
                               "min(first_run) AS f, max(last_run) AS l FROM djp.rollup_analysts GROUP BY 1) AS m")),
            rows(analysts,
                QStringLiteral("(SELECT pushed_by, count(*) AS r, sum(est_cost) AS c, sum(total_tokens) AS t, "
                               "min(run_at) AS f, max(run_at) AS l FROM djp.runs GROUP BY 1) AS m")));
        // The cost rollups (migration 4) too.
        QCOMPARE(one("SELECT sum(runs)::text || '/' || sum(est_cost_nano)::text || '/' || sum(cache_read_tokens)::text "
                     "FROM djp.rollup_run_costs"),
            one("SELECT count(*)::text || '/' || sum(est_cost_nano)::text || '/' || sum(cache_read_tokens)::text "
                "FROM djp.runs"));
        QCOMPARE(one("SELECT sum(buckets)::text || '/' || sum(output)::text FROM djp.rollup_buckets"),
            one("SELECT count(*)::text || '/' || sum(greatest(output_tokens, 0))::text FROM djp.run_buckets"));
    }

    void providerMatchModesDiffer()
    {
        // The two modes must really select different runs, or the equality above proves little.
        RunFilter f;
        f.lastMs.reset();
        f.provider = QStringLiteral("openai/gpt-4o");
        const size_t published = filterRuns(m_folder.records, f, kNowMs).size();
        f.providerMatch = ProviderMatch::AnyCall;
        const size_t anyCall = filterRuns(m_folder.records, f, kNowMs).size();
        QVERIFY(published > 0);
        QVERIFY2(anyCall > published, qPrintable(QStringLiteral("%1 vs %2").arg(anyCall).arg(published)));
        KpiAggregates db;
        DbError e;
        QVERIFY2(teamKpiAggregates(*m_conn, f, kNowMs, &db, nullptr, &e), qPrintable(e.message));
        QCOMPARE(db.totalRuns, qint64(anyCall));
    }

    void artifactOnDemand()
    {
        const RunRecord& r = m_folder.records.back();
        DbError e;
        const std::optional<QByteArray> text = teamArtifact(*m_conn, r.artifactFile, &e);
        QVERIFY(text);
        QFile f(r.artifactFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(*text, f.readAll());
        QVERIFY(!teamArtifact(*m_conn, QStringLiteral("/no/such/file.json"), &e));
    }

    // The push writes COPY in binary form; every column type must read back exactly, including
    // numbers at the edges of the double range, empty and awkward arrays, NULLs and undated runs.
    void binaryCopyRoundTripsEdgeValues()
    {
        bool ok = false;
        m_cluster.psql(QStringLiteral("CREATE DATABASE edge"), QStringLiteral("postgres"), &ok);
        QVERIFY(ok);
        DbError e;
        std::optional<PgConnection> conn = PgConnection::open(m_cluster.url(QStringLiteral("edge")), &e);
        QVERIFY2(conn, qPrintable(e.message));
        QVERIFY2(initTeamSchema(*conn, false, nullptr, &e), qPrintable(e.message));
        const double costs[] = { 0.0, 0.1, 1234.5678, 1e20, 5e-324, 2.5e-7, 10000.0, 99999999.00390625 };
        std::vector<RunRecord> records;
        for (size_t i = 0; i < std::size(costs); ++i) {
            RunRecord r = m_folder.records.front();
            r.runId = QStringLiteral("edge-%1").arg(i);
            r.estCost = costs[i];
            r.duration = costs[(i + 3) % std::size(costs)];
            r.temperature = -costs[i];
            r.tokensIn = (qint64(1) << 40) + qint64(i);
            r.maxTokens = -2147483647 - 1 + int(i);
            r.budgetUsd = i % 2 ? std::optional<double>(costs[i]) : std::nullopt;
            r.hasTimestamp = i != 0;
            r.timestampMs = r.hasTimestamp ? kNowMs - qint64(i) * 7 * kDay - 123 : 0;
            r.task = QStringLiteral("tab\there \"q\" back\\slash {a,b} \u00e9\u4e2d NULL");
            r.costByLabel.clear();
            for (size_t k = 0; k < i % 3; ++k)
                r.costByLabel.emplace_back(QStringLiteral("lab\"el,%1\\").arg(k), costs[(i + k) % std::size(costs)]);
            records.push_back(r);
        }
        PushSummary s;
        QVERIFY2(pushRecords(*conn, records, {}, &s, &e), qPrintable(e.message));
        QCOMPARE(s.pushed, qint64(records.size()));
        QVERIFY(s.problems.empty());

        const QString rows = m_cluster.psql(
            QStringLiteral("SELECT run_id, est_cost, duration, budget_usd IS NULL, cardinality(cost_labels), "
                           "array_to_string(cost_values, ';'), array_to_string(cost_labels, ';'), task, "
                           "tokens_in, max_tokens, (extract(epoch FROM run_at) * 1000)::bigint "
                           "FROM djp.runs ORDER BY run_id"),
            QStringLiteral("edge"), &ok);
        QVERIFY(ok);
        const QStringList lines = rows.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), qsizetype(records.size()));
        for (size_t i = 0; i < records.size(); ++i) {
            const RunRecord& r = records[i];
            const QStringList f = lines[qsizetype(i)].split(QLatin1Char('|'));
            QVERIFY2(f.size() == 11, qPrintable(lines[qsizetype(i)]));
            QCOMPARE(f[0], r.runId);
            QCOMPARE(f[1].toLatin1(), exactDecimal(r.estCost));
            QCOMPARE(f[2].toLatin1(), exactDecimal(r.duration));
            QCOMPARE(f[3], r.budgetUsd ? QStringLiteral("f") : QStringLiteral("t"));
            QCOMPARE(f[4].toInt(), int(r.costByLabel.size()));
            QStringList values, labels;
            for (const auto& [label, cost] : r.costByLabel) {
                labels << label;
                values << QString::fromLatin1(exactDecimal(cost));
            }
            QCOMPARE(f[5], values.join(QLatin1Char(';')));
            QCOMPARE(f[6], labels.join(QLatin1Char(';')));
            QCOMPARE(f[8].toLongLong(), r.tokensIn);
            QCOMPARE(f[9].toInt(), r.maxTokens);
            QCOMPARE(f[10], r.hasTimestamp ? QString::number(r.timestampMs) : QString());
        }

        std::vector<RunRecord> back;
        RunFilter all;
        all.lastMs.reset();
        QVERIFY2(teamRecords(*conn, all, kNowMs, &back, &e), qPrintable(e.message));
        QCOMPARE(back.size(), records.size());
        for (const RunRecord& b : back) {
            const auto it
                = std::find_if(records.begin(), records.end(), [&](const RunRecord& r) { return r.runId == b.runId; });
            QVERIFY(it != records.end());
            QCOMPARE(b.task, it->task);
            QCOMPARE(b.estCost, it->estCost);
            QCOMPARE(b.duration, it->duration);
            QCOMPARE(b.temperature, it->temperature);
            QCOMPARE(b.budgetUsd, it->budgetUsd);
            QCOMPARE(b.tokensIn, it->tokensIn);
            QCOMPARE(b.maxTokens, it->maxTokens);
            QCOMPARE(b.hasTimestamp, it->hasTimestamp);
            QCOMPARE(b.timestampMs, it->timestampMs);
        }
    }

    // The server sends only the (duration, count) pairs percentileOfCounts() reads: the pairs that hold
    // the ranks floor(q * (n - 1)) and the next one, and one pair for every run of others between them.
    // Histories whose sorted durations change value exactly between those ranks, stay equal across
    // them, or repeat a few values everywhere, with n from 1 (and 21, 41, 101, where q * (n - 1) is
    // a whole number for both quantiles) to 1,000, must give the folder's percentiles bit for bit, on
    // all three paths: all time (the all-time counts), a window spanning whole months (the runs of
    // the window) and a window inside one month (the window's own rows).
    void durationPercentilesFromFewPairs()
    {
        bool ok = false;
        m_cluster.psql(QStringLiteral("CREATE DATABASE pct"), QStringLiteral("postgres"), &ok);
        QVERIFY(ok);
        DbError e;
        std::optional<PgConnection> conn = PgConnection::open(m_cluster.url(QStringLiteral("pct")), &e);
        QVERIFY2(conn, qPrintable(e.message));
        QVERIFY2(initTeamSchema(*conn, false, nullptr, &e), qPrintable(e.message));

        const auto rankOf = [](qint64 n, double q) { return qint64(std::floor(q * double(n - 1))); };
        std::mt19937 random(20261130);
        std::vector<RunRecord> records;
        std::vector<std::pair<QString, std::vector<double>>> cases; // preset, its durations
        qint64 interpolated = 0; // cases whose rank lo and lo + 1 hold different values
        for (const qint64 n : { 1, 2, 3, 4, 5, 21, 41, 101, 333, 1000 }) {
            for (const char* shape : { "edge", "inside", "repeats" }) {
                std::vector<double> v(static_cast<size_t>(n));
                for (qint64 i = 0; i < n; ++i) // distinct, to the millisecond, as durations are recorded
                    v[size_t(i)] = double(1000 + 7 * i + qint64(random() % 5)) / 1000.0;
                const QByteArray kind(shape);
                for (const double q : { 0.50, 0.95 }) {
                    const qint64 lo = rankOf(n, q);
                    const auto at = [&](qint64 i) -> double& { return v[size_t(std::clamp<qint64>(i, 0, n - 1))]; };
                    if (kind == "edge") { // a new value starts exactly at lo + 1, each side repeated
                        at(lo - 1) = at(lo);
                        at(lo + 2) = at(lo + 1);
                    } else if (kind == "inside") { // lo and lo + 1 in one pair with neighbours
                        at(lo + 1) = at(lo);
                        at(lo - 1) = at(lo);
                    }
                }
                if (kind == "repeats")
                    for (double& d : v)
                        d = double(1000 + qint64(random() % quint32(n / 4 + 2))) / 1000.0;
                std::sort(v.begin(), v.end());
                for (const double q : { 0.50, 0.95 }) {
                    const qint64 lo = rankOf(n, q);
                    if (lo + 1 < n && v[size_t(lo)] != v[size_t(lo + 1)] && q * double(n - 1) != double(lo))
                        ++interpolated;
                }
                const QString preset = QStringLiteral("pct-%1-%2").arg(n).arg(QLatin1String(shape));
                cases.emplace_back(preset, v);
                std::shuffle(v.begin(), v.end(), random);
                for (qint64 i = 0; i < n; ++i) {
                    RunRecord r = m_folder.records.front();
                    r.runId = QStringLiteral("%1-%2").arg(preset).arg(i);
                    r.presetName = preset;
                    r.duration = v[size_t(i)];
                    r.hasTimestamp = true;
                    // Over about 100 days: whole UTC months, and the last few days inside one month.
                    r.timestampMs = kNowMs - kDay - (i % 100) * kDay - i * 1000;
                    records.push_back(r);
                }
            }
        }
        QVERIFY2(interpolated >= 10, qPrintable(QString::number(interpolated)));
        PushSummary s;
        QVERIFY2(pushRecords(*conn, records, {}, &s, &e), qPrintable(e.message));
        QCOMPARE(s.pushed, qint64(records.size()));

        const auto bits = [](double d) { return QByteArray::number(d, 'g', 17); };
        cases.emplace_back(QStringLiteral("pct-none"), std::vector<double> {});
        for (auto& [preset, durations] : cases) {
            std::vector<RunFilter> windows(3);
            windows[0].lastMs.reset();
            windows[1].custom = true;
            windows[1].fromMs = kNowMs - 120 * kDay;
            windows[1].toMs = kNowMs;
            windows[2].lastMs = 4 * kDay;
            for (size_t w = 0; w < windows.size(); ++w) {
                RunFilter& f = windows[w];
                f.preset = preset;
                KpiAggregates db;
                QVERIFY2(teamKpiAggregates(*conn, f, kNowMs, &db, nullptr, &e), qPrintable(e.message));
                const KpiAggregates folder = aggregateKpis(records, filterRuns(records, f, kNowMs));
                const QString where = QStringLiteral("%1, window %2").arg(preset).arg(w);
                QCOMPARE(db.totalRuns, folder.totalRuns);
                QVERIFY2(std::bit_cast<quint64>(db.p50Duration) == std::bit_cast<quint64>(folder.p50Duration),
                    qPrintable(
                        where + QStringLiteral(": p50 ") + bits(db.p50Duration) + " vs " + bits(folder.p50Duration)));
                QVERIFY2(std::bit_cast<quint64>(db.p95Duration) == std::bit_cast<quint64>(folder.p95Duration),
                    qPrintable(
                        where + QStringLiteral(": p95 ") + bits(db.p95Duration) + " vs " + bits(folder.p95Duration)));
                if (w == 0) {
                    QCOMPARE(db.totalRuns, qint64(durations.size()));
                    std::vector<double> values = durations;
                    QCOMPARE(bits(db.p50Duration), bits(percentileLinear(values, 0.50)));
                    QCOMPARE(bits(db.p95Duration), bits(percentileLinear(values, 0.95)));
                }
            }
        }
    }

    void cleanupTestCase()
    {
        m_conn.reset();
        QVERIFY(m_cluster.stop());
    }
};

QTEST_GUILESS_MAIN(TestTeamQuery)
#include "tst_team_query.moc"
