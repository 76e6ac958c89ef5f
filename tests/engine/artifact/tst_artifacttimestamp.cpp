// Run timestamps of docs/artifact-format.md (engine/artifact/artifacttimestamp.h): which texts are
// real times, what instant and offset they stand for, and that the per-load offset cache for naive
// (legacy) local times never changes an answer.
#include "artifact/artifacttimestamp.h"

#include <QDateTime>
#include <QTest>
#include <ctime>
#include <string>

using namespace djp;

class TestArtifactTimestamp : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Naive legacy timestamps are local time: pin the zone so expected values are fixed.
        qputenv("TZ", "Europe/Berlin");
        tzset();
    }

    void timestamps_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QDateTime>("utc");
        QTest::addColumn<int>("offset");
        const auto utc = [](int y, int mo, int d, int h, int mi, int s, int ms = 0) {
            return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
        };
        QTest::newRow("offset") << QByteArray("2026-11-28T10:00:00+01:00") << true << utc(2026, 11, 28, 9, 0, 0)
                                << 3600;
        QTest::newRow("negative offset") << QByteArray("2026-03-01T23:30:00-05:30") << true << utc(2026, 3, 2, 5, 0, 0)
                                         << -19800;
        QTest::newRow("compact offset") << QByteArray("2026-03-01T23:30:00+0200") << true << utc(2026, 3, 1, 21, 30, 0)
                                        << 7200;
        QTest::newRow("Z") << QByteArray("2024-02-29T12:00:00Z") << true << utc(2024, 2, 29, 12, 0, 0) << 0;
        QTest::newRow("Z fraction") << QByteArray("2024-02-29T12:00:00.123456Z") << true
                                    << utc(2024, 2, 29, 12, 0, 0, 123) << 0;
        QTest::newRow("naive summer") << QByteArray("2024-07-01T12:00:00") << true << utc(2024, 7, 1, 10, 0, 0) << 7200;
        QTest::newRow("naive winter") << QByteArray("2024-12-01T12:00:00.5") << true << utc(2024, 12, 1, 11, 0, 0, 500)
                                      << 3600;
        QTest::newRow("naive space") << QByteArray("2024-12-01 12:00:00") << true << utc(2024, 12, 1, 11, 0, 0) << 3600;
        QTest::newRow("no seconds") << QByteArray("2024-12-01T12:00Z") << true << utc(2024, 12, 1, 12, 0, 0) << 0;
        QTest::newRow("garbage") << QByteArray("yesterday at noon") << false << QDateTime() << 0;
        QTest::newRow("empty") << QByteArray("") << false << QDateTime() << 0;
        QTest::newRow("date only") << QByteArray("2024-12-01") << false << QDateTime() << 0;
        QTest::newRow("month 13") << QByteArray("2024-13-01T00:00:00Z") << false << QDateTime() << 0;
        QTest::newRow("Feb 30") << QByteArray("2023-02-29T00:00:00Z") << false << QDateTime() << 0;
        QTest::newRow("hour 24") << QByteArray("2024-01-01T24:00:00Z") << false << QDateTime() << 0;
        QTest::newRow("bad offset") << QByteArray("2024-01-01T10:00:00+1") << false << QDateTime() << 0;
        QTest::newRow("trailing junk") << QByteArray("2024-01-01T10:00:00Zjunk") << false << QDateTime() << 0;
        QTest::newRow("empty fraction") << QByteArray("2024-01-01T10:00:00.Z") << false << QDateTime() << 0;
    }
    void timestamps()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, ok);
        QFETCH(QDateTime, utc);
        QFETCH(int, offset);
        qint64 ms = -1;
        qint32 off = -1;
        QCOMPARE(parseArtifactTimestamp(std::string_view(text.constData(), text.size()), ms, off), ok);
        if (ok) {
            QCOMPARE(ms, utc.toMSecsSinceEpoch());
            QCOMPARE(off, offset);
        }
    }

    // LocalOffsetCache remembers the UTC offset per local day or hour for naive timestamps; across a
    // year of local times (every 7 minutes, so every transition hour is hit at several minutes) and
    // zones with whole-hour, half-hour (Lord Howe) and 45-minute (Chatham) rules, it must give
    // exactly what the uncached conversion gives, including times in a spring-forward gap and in a
    // fall-back hour.
    void naiveTimestampsMatchTheUncachedConversion()
    {
        for (const char* zone :
            { "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kolkata" }) {
            qputenv("TZ", zone);
            tzset();
            LocalOffsetCache cache; // a fresh one per zone, as the scanner keeps one per load
            int checked = 0;
            int ambiguous = 0;
            const QDateTime start(QDate(2026, 1, 1), QTime(0, 3), Qt::UTC);
            for (qint64 m = 0; m < 365 * 24 * 60; m += 7) {
                const QDateTime t = start.addSecs(m * 60);
                const QByteArray text = t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toLatin1();
                const std::string_view view(text.constData(), size_t(text.size()));
                qint64 expectedMs = 0;
                qint32 expectedOffset = 0;
                const bool expectedOk = parseArtifactTimestamp(view, expectedMs, expectedOffset);
                qint64 ms = 0;
                qint32 offset = 0;
                const bool ok = parseTimestampCached(view, ms, offset, &cache);
                QVERIFY2(ok == expectedOk, qPrintable(QLatin1String(zone) + ' ' + text));
                if (expectedOk && ms != expectedMs) {
                    // A repeated (fall-back) hour has two right answers, and the C library's choice
                    // between them depends on its previous calls; either instant must show this
                    // wall time with its own offset.
                    const QDateTime got = QDateTime::fromMSecsSinceEpoch(ms, Qt::LocalTime);
                    QVERIFY2(got.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toLatin1() == text,
                        qPrintable(QLatin1String(zone) + ' ' + text));
                    QVERIFY2(offset == got.offsetFromUtc(), qPrintable(QLatin1String(zone) + ' ' + text));
                    ++ambiguous;
                } else if (expectedOk) {
                    QVERIFY2(offset == expectedOffset, qPrintable(QLatin1String(zone) + ' ' + text));
                }
                ++checked;
            }
            QVERIFY(checked > 70000);
            QVERIFY(ambiguous <= 20); // only inside a repeated hour
        }
        qputenv("TZ", "Europe/Berlin");
        tzset();
    }

    // Timestamps with an offset or "Z" never need the cache: the same answer with and without it.
    void cacheOnlyConcernsNaiveTimes()
    {
        LocalOffsetCache cache;
        for (const char* text : { "2026-11-28T10:00:00+01:00", "2024-02-29T12:00:00.123Z", "2026-03-29T02:30:00+0200",
                 "2023-02-29T00:00:00Z", "yesterday" }) {
            qint64 ms = 1, cachedMs = 2;
            qint32 off = 1, cachedOff = 2;
            const bool ok = parseArtifactTimestamp(text, ms, off);
            QCOMPARE(parseTimestampCached(text, cachedMs, cachedOff, &cache), ok);
            if (ok) {
                QCOMPARE(cachedMs, ms);
                QCOMPARE(cachedOff, off);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestArtifactTimestamp)
#include "tst_artifacttimestamp.moc"
