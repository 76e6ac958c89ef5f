// Time buckets for the charts: local-time aligned hour/day/ISO-week buckets, continuous series,
// DST changes in Europe/Berlin (TZ set for this process so the default system zone is Berlin).
#include "metrics/timeseries.h"
#include "records.h"

#include <QTest>
#include <ctime>

using namespace djp;
using djp::test::allIndices;
using djp::test::makeRun;

namespace {
constexpr qint64 kHour = 3600ll * 1000;
constexpr qint64 kDay = 24 * kHour;

QTimeZone berlin()
{
    return QTimeZone("Europe/Berlin");
}
qint64 berlinMs(QDate d, QTime t)
{
    return QDateTime(d, t, berlin()).toMSecsSinceEpoch();
}
QDateTime inBerlin(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, berlin());
}

void checkContinuous(const std::vector<TimeBucket>& b)
{
    for (size_t i = 0; i < b.size(); ++i) {
        QVERIFY(b[i].endMs > b[i].startMs);
        if (i + 1 < b.size())
            QCOMPARE(b[i].endMs, b[i + 1].startMs);
    }
}
} // namespace

class TestTimeSeries : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("TZ", "Europe/Berlin");
        tzset();
        QCOMPARE(QTimeZone::systemTimeZoneId(), QByteArray("Europe/Berlin"));
    }

    void sizeForSpan()
    {
        QCOMPARE(bucketSizeForSpan(kHour), BucketSize::Hour);
        QCOMPARE(bucketSizeForSpan(2 * kDay), BucketSize::Hour);
        QCOMPARE(bucketSizeForSpan(2 * kDay + 1), BucketSize::Day);
        QCOMPARE(bucketSizeForSpan(90 * kDay), BucketSize::Day);
        QCOMPARE(bucketSizeForSpan(90 * kDay + 1), BucketSize::Week);
    }

    void hourBucketsAreContinuousWithTotals()
    {
        const QDate d(2026, 6, 1);
        std::vector<RunRecord> v;
        RunRecord a = makeRun("published", berlinMs(d, QTime(10, 15)));
        a.estCost = 0.5;
        a.totalTokens = 10;
        RunRecord b = makeRun("advisory_only", berlinMs(d, QTime(10, 45)));
        b.estCost = 0.25;
        b.totalTokens = 5;
        RunRecord c = makeRun("none", berlinMs(d, QTime(13, 5)));
        RunRecord noTime = makeRun("published", 0, false);
        v = { a, b, c, noTime };
        const std::vector<TimeBucket> buckets = bucketRuns(v, allIndices(v), BucketSize::Hour); // system zone = Berlin
        QCOMPARE(buckets.size(), size_t(4)); // 10, 11, 12, 13 o'clock
        checkContinuous(buckets);
        QCOMPARE(inBerlin(buckets[0].startMs), QDateTime(d, QTime(10, 0), berlin()));
        QCOMPARE(buckets[0].runs, 2);
        QCOMPARE(buckets[0].published, 1);
        QCOMPARE(buckets[0].advisory, 1);
        QCOMPARE(buckets[0].cost, 0.75);
        QCOMPARE(buckets[0].tokens, qint64(15));
        QCOMPARE(buckets[1].runs, 0);
        QCOMPARE(buckets[2].runs, 0);
        QCOMPARE(buckets[3].runs, 1);
        QCOMPARE(buckets[3].none, 1);
        QCOMPARE(buckets[3].endMs, berlinMs(d, QTime(14, 0)));

        QVERIFY(bucketRuns(v, { 3 }, BucketSize::Day).empty()); // only a run without timestamp
        QVERIFY(bucketRuns(v, {}, BucketSize::Day).empty());
    }

    void daysAcrossSpringForward()
    {
        // 2026-03-29: clocks go from 02:00 to 03:00 in Berlin; that day has 23 hours.
        std::vector<RunRecord> v = { makeRun("published", berlinMs(QDate(2026, 3, 28), QTime(12, 0))),
            makeRun("published", berlinMs(QDate(2026, 3, 29), QTime(23, 30))),
            makeRun("none", berlinMs(QDate(2026, 3, 30), QTime(0, 10))) };
        const std::vector<TimeBucket> b = bucketRuns(v, allIndices(v), BucketSize::Day, berlin());
        QCOMPARE(b.size(), size_t(3));
        checkContinuous(b);
        for (const TimeBucket& x : b)
            QCOMPARE(inBerlin(x.startMs).time(), QTime(0, 0));
        QCOMPARE(b[0].endMs - b[0].startMs, 24 * kHour);
        QCOMPARE(b[1].endMs - b[1].startMs, 23 * kHour);
        QCOMPARE(b[1].runs, 1);
        QCOMPARE(b[2].runs, 1);
        QCOMPARE(b[2].none, 1);
    }

    void hoursAcrossFallBack()
    {
        // 2026-10-25: 03:00 CEST -> 02:00 CET; the 02:00-03:00 local hour happens twice.
        const qint64 firstPass = QDateTime(QDate(2026, 10, 25), QTime(0, 30), QTimeZone::utc()).toMSecsSinceEpoch();
        const qint64 secondPass = firstPass + kHour; // 01:30 UTC = 02:30 CET
        QCOMPARE(inBerlin(firstPass).time(), QTime(2, 30));
        QCOMPARE(inBerlin(secondPass).time(), QTime(2, 30));
        std::vector<RunRecord> v
            = { makeRun("published", berlinMs(QDate(2026, 10, 25), QTime(0, 5))), makeRun("published", firstPass),
                  makeRun("none", secondPass), makeRun("published", berlinMs(QDate(2026, 10, 25), QTime(3, 59))) };
        const std::vector<TimeBucket> b = bucketRuns(v, allIndices(v), BucketSize::Hour, berlin());
        // 00, 01, 02 (CEST), 02 (CET), 03 local: five one-hour buckets.
        QCOMPARE(b.size(), size_t(5));
        checkContinuous(b);
        for (const TimeBucket& x : b) {
            QCOMPARE(x.endMs - x.startMs, kHour);
            QCOMPARE(inBerlin(x.startMs).time().minute(), 0);
        }
        QCOMPARE(b[2].runs, 1);
        QCOMPARE(b[2].published, 1);
        QCOMPARE(b[3].runs, 1);
        QCOMPARE(b[3].none, 1);
        QCOMPARE(inBerlin(b[2].startMs).time(), QTime(2, 0));
        QCOMPARE(inBerlin(b[3].startMs).time(), QTime(2, 0));

        const std::vector<TimeBucket> days = bucketRuns(v, allIndices(v), BucketSize::Day, berlin());
        QCOMPARE(days.size(), size_t(1));
        QCOMPARE(days[0].endMs - days[0].startMs, 25 * kHour);
        QCOMPARE(days[0].runs, 4);
    }

    void isoWeeksStartMonday()
    {
        // Wed 2026-03-25 and Tue 2026-04-07: weeks of Mon 23 Mar, Mon 30 Mar (DST inside), Mon 6 Apr.
        std::vector<RunRecord> v = { makeRun("published", berlinMs(QDate(2026, 3, 25), QTime(9, 0))),
            makeRun("published", berlinMs(QDate(2026, 4, 7), QTime(9, 0))) };
        const std::vector<TimeBucket> b = bucketRuns(v, allIndices(v), BucketSize::Week);
        QCOMPARE(b.size(), size_t(3));
        checkContinuous(b);
        QCOMPARE(inBerlin(b[0].startMs), QDateTime(QDate(2026, 3, 23), QTime(0, 0), berlin()));
        QCOMPARE(inBerlin(b[1].startMs), QDateTime(QDate(2026, 3, 30), QTime(0, 0), berlin()));
        QCOMPARE(inBerlin(b[2].startMs), QDateTime(QDate(2026, 4, 6), QTime(0, 0), berlin()));
        QCOMPARE(b[0].endMs - b[0].startMs, 7 * kDay - kHour); // the week with the spring-forward night
        QCOMPARE(b[0].runs, 1);
        QCOMPARE(b[1].runs, 0);
        QCOMPARE(b[2].runs, 1);
        // A Sunday evening belongs to the week that started on the Monday before.
        QCOMPARE(bucketStart(berlinMs(QDate(2026, 3, 29), QTime(23, 0)), BucketSize::Week, berlin()),
            berlinMs(QDate(2026, 3, 23), QTime(0, 0)));
    }

    void otherZoneDiffers()
    {
        // The same instant falls on different local days in Tokyo and Berlin.
        const qint64 t = QDateTime(QDate(2026, 6, 1), QTime(20, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        const QTimeZone tokyo("Asia/Tokyo");
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(bucketStart(t, BucketSize::Day, tokyo), tokyo),
            QDateTime(QDate(2026, 6, 2), QTime(0, 0), tokyo));
        QCOMPARE(
            inBerlin(bucketStart(t, BucketSize::Day, berlin())), QDateTime(QDate(2026, 6, 1), QTime(0, 0), berlin()));
        const QTimeZone india("Asia/Kolkata"); // half-hour offset: local hours start at :30 UTC
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(bucketStart(t, BucketSize::Hour, india), QTimeZone::utc()).time(),
            QTime(19, 30));
    }
};

QTEST_GUILESS_MAIN(TestTimeSeries)
#include "tst_timeseries.moc"
