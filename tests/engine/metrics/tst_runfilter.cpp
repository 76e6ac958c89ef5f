// Filters of docs/metrics.md: --since parsing, each criterion, time windows relative to a fixed now,
// local-time custom ranges, the missing-timestamp rule, and filterRuns() == matchesFilter().
#include "metrics/kpis.h"
#include "metrics/runfilter.h"
#include "records.h"

#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

using namespace djp;
using djp::test::makeRun;

namespace {
constexpr qint64 kHour = 3600ll * 1000;
constexpr qint64 kDay = 24 * kHour;
const qint64 kNow = QDateTime(QDate(2026, 3, 10), QTime(12, 0), QTimeZone::utc()).toMSecsSinceEpoch();

RunFilter allTime()
{
    RunFilter f;
    f.lastMs.reset();
    return f;
}
} // namespace

class TestRunFilter : public QObject
{
    Q_OBJECT
private slots:
    void parseSince_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<bool>("all");
        QTest::newRow("24h is 24 hours") << "24h" << true << 24 * kHour << false;
        QTest::newRow("1h") << "1h" << true << kHour << false;
        QTest::newRow("7d") << "7d" << true << 7 * kDay << false;
        QTest::newRow("30d") << "30d" << true << 30 * kDay << false;
        QTest::newRow("90d") << "90d" << true << 90 * kDay << false;
        QTest::newRow("3w") << "3w" << true << 21 * kDay << false;
        QTest::newRow("upper case, spaces") << " 48H " << true << 48 * kHour << false;
        QTest::newRow("all") << "all" << true << qint64(0) << true;
        QTest::newRow("ALL") << "ALL" << true << qint64(0) << true;
        QTest::newRow("zero") << "0d" << false << qint64(0) << false;
        QTest::newRow("negative") << "-1d" << false << qint64(0) << false;
        QTest::newRow("no unit") << "7" << false << qint64(0) << false;
        QTest::newRow("no number") << "d" << false << qint64(0) << false;
        QTest::newRow("bad unit") << "7m" << false << qint64(0) << false;
        QTest::newRow("fraction") << "1.5d" << false << qint64(0) << false;
        QTest::newRow("plus sign") << "+3d" << false << qint64(0) << false;
        QTest::newRow("empty") << "" << false << qint64(0) << false;
        QTest::newRow("huge") << "99999999999w" << false << qint64(0) << false;
    }
    void parseSince()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(qint64, ms);
        QFETCH(bool, all);
        bool isAll = true;
        QString error;
        const std::optional<qint64> r = parseSinceWindow(text, &isAll, &error);
        QCOMPARE(r.has_value(), ok);
        if (ok) {
            QCOMPARE(isAll, all);
            if (!all)
                QCOMPARE(*r, ms);
        } else {
            QVERIFY(!error.isEmpty());
        }
    }

    void relativeWindowsEndAtNow()
    {
        RunFilter f; // default: 7 days
        QCOMPARE(*f.lastMs, 7 * kDay);
        QVERIFY(matchesFilter(makeRun("published", kNow - kHour), f, kNow));
        QVERIFY(matchesFilter(makeRun("published", kNow - 7 * kDay), f, kNow)); // inclusive start
        QVERIFY(!matchesFilter(makeRun("published", kNow - 7 * kDay - 1), f, kNow));
        QVERIFY(matchesFilter(makeRun("published", kNow), f, kNow));
        QVERIFY(!matchesFilter(makeRun("published", kNow + kHour), f, kNow)); // the window ends at now

        f.lastMs = *parseSinceWindow(QStringLiteral("24h"), nullptr);
        QVERIFY(matchesFilter(makeRun("published", kNow - 23 * kHour), f, kNow));
        QVERIFY(!matchesFilter(makeRun("published", kNow - 25 * kHour), f, kNow));
    }

    void missingTimestampOnlyForAllTime()
    {
        const RunRecord noTime = makeRun("published", 0, false);
        RunFilter f;
        QVERIFY(!matchesFilter(noTime, f, kNow));
        f.lastMs = 100 * 365 * kDay;
        QVERIFY(!matchesFilter(noTime, f, kNow));
        QVERIFY(matchesFilter(noTime, allTime(), kNow));

        RunFilter custom;
        custom.custom = true; // both ends open: all time
        QVERIFY(matchesFilter(noTime, custom, kNow));
        custom.fromMs = 0;
        QVERIFY(!matchesFilter(noTime, custom, kNow));
        custom.fromMs.reset();
        custom.toMs = kNow;
        QVERIFY(!matchesFilter(noTime, custom, kNow));
    }

    void customRangeInLocalTime()
    {
        // The caller converts local calendar days to UTC ms; the filter is then [from, to).
        const QTimeZone berlin("Europe/Berlin");
        QVERIFY(berlin.isValid());
        const QDate day(2026, 3, 29); // DST starts in Berlin that night: the day has 23 hours
        RunFilter f;
        f.custom = true;
        f.fromMs = day.startOfDay(berlin).toMSecsSinceEpoch();
        f.toMs = day.addDays(1).startOfDay(berlin).toMSecsSinceEpoch();
        QCOMPARE(*f.toMs - *f.fromMs, 23 * kHour);
        const auto at = [&](QDate d, QTime t) { return QDateTime(d, t, berlin).toMSecsSinceEpoch(); };
        QVERIFY(!matchesFilter(makeRun("none", at(day.addDays(-1), QTime(23, 59, 59))), f, kNow));
        QVERIFY(matchesFilter(makeRun("none", at(day, QTime(0, 0))), f, kNow));
        QVERIFY(matchesFilter(makeRun("none", at(day, QTime(23, 59, 59))), f, kNow));
        QVERIFY(!matchesFilter(makeRun("none", at(day.addDays(1), QTime(0, 0))), f, kNow)); // exclusive end
        // The relative window is ignored when custom is set.
        f.lastMs = kHour;
        QVERIFY(matchesFilter(makeRun("none", at(day, QTime(12, 0))), f, kNow));
    }

    void eachCriterion()
    {
        RunRecord r = makeRun("advisory_only", kNow - kHour);
        r.presetName = QStringLiteral("quick");
        r.provider = QStringLiteral("openai/gpt-4o");
        r.task = QStringLiteral("Summarise the Ärger report");
        r.traceName = QStringLiteral("Nightly-Batch");

        RunFilter f;
        QVERIFY(matchesFilter(r, f, kNow));

        RunFilter p = f;
        p.preset = QStringLiteral("quick");
        QVERIFY(matchesFilter(r, p, kNow));
        p.preset = QStringLiteral("thorough");
        QVERIFY(!matchesFilter(r, p, kNow));

        RunFilter pr = f;
        pr.provider = QStringLiteral("openai/gpt-4o");
        QVERIFY(matchesFilter(r, pr, kNow));
        pr.provider = QStringLiteral("openai");
        QVERIFY(!matchesFilter(r, pr, kNow)); // exact match, not a prefix

        // Published by (the default) vs any call: a debater that did not publish matches only the latter.
        r.costByLabel
            = { { QStringLiteral("openai/gpt-4o"), 0.01 }, { QStringLiteral("google/gemini-1.5-pro"), 0.02 } };
        pr.provider = QStringLiteral("google/gemini-1.5-pro");
        QVERIFY(!matchesFilter(r, pr, kNow));
        pr.providerMatch = ProviderMatch::AnyCall;
        QVERIFY(matchesFilter(r, pr, kNow));
        QCOMPARE(filterRuns({ r }, pr, kNow), std::vector<int> { 0 });
        pr.provider = QStringLiteral("openai/gpt-4o"); // the publisher is a caller too
        QVERIFY(matchesFilter(r, pr, kNow));
        pr.provider = QStringLiteral("anthropic/claude-3-5-sonnet-20240620");
        QVERIFY(!matchesFilter(r, pr, kNow));
        QVERIFY(filterRuns({ r }, pr, kNow).empty());
        r.costByLabel.clear();

        RunFilter s = f;
        s.status = QStringLiteral("advisory_only");
        QVERIFY(matchesFilter(r, s, kNow));
        s.status = QStringLiteral("published");
        QVERIFY(!matchesFilter(r, s, kNow));

        RunFilter g = f;
        g.groundedOnly = true;
        QVERIFY(!matchesFilter(r, g, kNow));
        r.grounded = true;
        QVERIFY(matchesFilter(r, g, kNow));

        RunFilter red = f;
        red.redactedOnly = true;
        QVERIFY(!matchesFilter(r, red, kNow));
        r.redacted = true;
        QVERIFY(matchesFilter(r, red, kNow));

        RunFilter t = f;
        for (const char* hit : { "ärger", "ÄRGER", "summarise", "batch", "nightly-b" }) {
            t.search = QString::fromUtf8(hit);
            QVERIFY2(matchesFilter(r, t, kNow), hit);
            QCOMPARE(filterRuns({ r }, t, kNow), std::vector<int> { 0 });
        }
        for (const char* miss : { "aerger", "weekly", "quick" }) { // preset is not searched
            t.search = QString::fromUtf8(miss);
            QVERIFY2(!matchesFilter(r, t, kNow), miss);
            QVERIFY(filterRuns({ r }, t, kNow).empty());
        }
    }

    void filterRunsAgreesWithMatchesFilter()
    {
        const std::vector<RunRecord> records = generate(5000, 11);
        const QStringList searches = { QString(), QStringLiteral("alpha"), QStringLiteral("TRACE-1") };
        for (const QString& search : searches) {
            for (const char* status : { "", "published", "none" }) {
                RunFilter f;
                f.search = search;
                f.status = QString::fromLatin1(status);
                f.lastMs = 30 * kDay;
                std::vector<int> expected;
                for (int i = 0; i < static_cast<int>(records.size()); ++i) {
                    if (matchesFilter(records[static_cast<size_t>(i)], f, kNow))
                        expected.push_back(i);
                }
                const std::vector<int> got = filterRuns(records, f, kNow);
                QCOMPARE(got, expected);
                QVERIFY(!got.empty());
                QVERIFY(got.size() < records.size());
            }
        }
    }

    // A figure, not a timed assertion (docs/performance.md targets are benchmarks): printed for the report.
    // The fast pass (one matcher, one window for the whole set) selects exactly what a plain,
    // record-by-record reading of the filter rules selects, and the KPIs count exactly that set.
    // How fast it is is a benchmark figure (djp bench --only load: "filter + KPIs").
    void fastFilterEqualsAPlainScanOver100k()
    {
        const std::vector<RunRecord> records = generate(100000, 7);
        struct Case
        {
            const char* name;
            RunFilter f;
        };
        RunFilter all = allTime();
        RunFilter week;
        RunFilter search = allTime();
        search.search = QStringLiteral("gAMMA");
        RunFilter combo;
        combo.lastMs = 90 * kDay;
        combo.status = QStringLiteral("published");
        combo.search = QStringLiteral("TRACE-4");
        RunFilter range = allTime();
        range.custom = true;
        range.fromMs = kNow - 200 * kDay;
        range.toMs = kNow - 100 * kDay;
        for (const Case& c : { Case { "all time", all }, Case { "7d", week }, Case { "search", search },
                 Case { "90d+status+search", combo }, Case { "custom range", range } }) {
            std::vector<int> plain;
            int published = 0;
            for (int i = 0; i < int(records.size()); ++i) {
                const RunRecord& r = records[size_t(i)];
                bool in = true;
                if (c.f.custom)
                    in = r.hasTimestamp && r.timestampMs >= *c.f.fromMs && r.timestampMs < *c.f.toMs;
                else if (c.f.lastMs)
                    in = r.hasTimestamp && r.timestampMs >= kNow - *c.f.lastMs && r.timestampMs <= kNow;
                if (!c.f.status.isEmpty())
                    in = in && r.status == c.f.status;
                if (!c.f.search.isEmpty())
                    in = in
                        && (r.task.toLower().contains(c.f.search.toLower())
                            || r.traceName.toLower().contains(c.f.search.toLower()));
                if (in) {
                    plain.push_back(i);
                    published += r.status == QLatin1String("published");
                }
            }
            const std::vector<int> idx = filterRuns(records, c.f, kNow);
            QVERIFY2(idx == plain, c.name);
            QVERIFY2((!idx.empty() && idx.size() < records.size()) || c.f == all, c.name);
            const Kpis k = computeKpis(records, idx);
            QCOMPARE(k.totalRuns, int(plain.size()));
            QCOMPARE(k.publishedRuns, published);
        }
    }

private:
    static std::vector<RunRecord> generate(int n, quint32 seed)
    {
        QRandomGenerator rng(seed);
        const QStringList words = { "alpha", "beta", "Gamma", "delta", "epsilon", "zeta" };
        const QStringList statuses = { "published", "published", "advisory_only", "none" };
        std::vector<RunRecord> v;
        v.reserve(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) {
            RunRecord r = makeRun(statuses[rng.bounded(statuses.size())],
                kNow - rng.bounded(365) * kDay - rng.bounded(24) * kHour, rng.bounded(50) != 0);
            r.task = QStringLiteral("Task %1 about %2 and %3 with a longer description of what to write")
                         .arg(i)
                         .arg(words[rng.bounded(words.size())], words[rng.bounded(words.size())]);
            r.traceName = QStringLiteral("trace-%1").arg(rng.bounded(100));
            r.provider = QStringLiteral("openai/gpt-4o");
            r.presetName = QStringLiteral("quick");
            r.estCost = rng.bounded(100) / 10000.0;
            r.totalTokens = rng.bounded(5000);
            r.duration = rng.bounded(300) / 10.0;
            r.costByLabel = { { QStringLiteral("openai/gpt-4o"), r.estCost } };
            v.push_back(std::move(r));
        }
        return v;
    }
};

QTEST_GUILESS_MAIN(TestRunFilter)
#include "tst_runfilter.moc"
