// The shared retry policy of docs/providers.md: statuses, exponential backoff with jitter bounds,
// Retry-After (seconds and HTTP date) and its cap.
#include "core/retrypolicy.h"

#include <QLocale>
#include <QTest>
#include <QTimeZone>

using namespace djp;

class TestRetryPolicy : public QObject
{
    Q_OBJECT
private slots:
    void defaultsAreTheLegacyNumbers()
    {
        const RetryPolicy p;
        QCOMPARE(p.maxAttempts, 3);
        QCOMPARE(p.baseDelayMs, 1000);
        QCOMPARE(p.multiplier, 2.0);
        QCOMPARE(p.maxDelayMs, 30000);
        QCOMPARE(p.jitterFraction, 0.10);
        QCOMPARE(p.totalBudgetMs, 120000);
    }

    void statuses_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("retryable");
        for (int s : { 408, 409, 425, 429, 500, 502, 503, 504 })
            QTest::addRow("%d", s) << s << true;
        for (int s : { 200, 400, 401, 403, 404, 422, 501, 505, 302 })
            QTest::addRow("%d", s) << s << false;
    }
    void statuses()
    {
        QFETCH(int, status);
        QFETCH(bool, retryable);
        QCOMPARE(isRetryableHttpStatus(status), retryable);
    }

    void exponentialDelays()
    {
        const RetryPolicy p;
        QCOMPARE(retryDelayMs(p, 2, 0.0), 1000);
        QCOMPARE(retryDelayMs(p, 3, 0.0), 2000);
        QCOMPARE(retryDelayMs(p, 4, 0.0), 4000);
        QCOMPARE(retryDelayMs(p, 10, 0.0), 30000); // 256 s capped at max
        QCOMPARE(retryDelayMs(p, 1, 0.0), 1000); // nonsense attempt numbers do not go below base
    }

    void jitterStaysWithinTenPercent()
    {
        const RetryPolicy p;
        QCOMPARE(retryDelayMs(p, 2, 1.0), 1100);
        QCOMPARE(retryDelayMs(p, 2, -1.0), 900);
        QCOMPARE(retryDelayMs(p, 3, 0.5), 2100);
        // Out-of-range jitter units are clamped.
        QCOMPARE(retryDelayMs(p, 2, 7.0), 1100);
        QCOMPARE(retryDelayMs(p, 2, -7.0), 900);
        for (double u = -1.0; u <= 1.0; u += 0.125) {
            const int d = retryDelayMs(p, 3, u);
            QVERIFY2(d >= 1800 && d <= 2200, qPrintable(QString::number(d)));
        }
        // Jitter never pushes a delay past its cap (only below it).
        for (double u = -1.0; u <= 1.0; u += 0.125) {
            QVERIFY(retryDelayMs(p, 10, u) <= 30000);
            QVERIFY(retryDelayMs(p, 6, u) <= 30000); // 16 s base: +10 % stays under the cap
        }
        QCOMPARE(retryDelayMs(p, 10, 1.0), 30000);
        QCOMPARE(retryDelayMs(p, 10, -1.0), 27000);
        RetryPolicy nearCap;
        nearCap.maxDelayMs = 2100;
        QCOMPARE(retryDelayMs(nearCap, 3, 1.0), 2100); // 2000 + 10 % would be 2200
    }

    void retryAfterReplacesBackoffUncapped()
    {
        const RetryPolicy p;
        QCOMPARE(retryDelayMs(p, 2, 1.0, 5000), 5000); // no jitter on a server-given delay
        QCOMPARE(retryDelayMs(p, 2, 0.0, 0), 0);
        // Above maxDelayMs it is honoured as given; the call's deadline decides whether it fits.
        QCOMPARE(retryDelayMs(p, 2, 0.0, 45000), 45000);
        QCOMPARE(retryDelayMs(p, 2, 0.0, 120000), 120000);
        QVERIFY(retryFitsBudget(p, 0, 45000));
        QVERIFY(retryFitsBudget(p, 75000, 45000)); // exactly at the 120 s deadline
        QVERIFY(!retryFitsBudget(p, 75001, 45000));
        QVERIFY(!retryFitsBudget(p, 0, 120001));
        RetryPolicy tiny;
        tiny.baseDelayMs = 5;
        tiny.maxDelayMs = 50;
        QCOMPARE(retryDelayMs(tiny, 2, 0.0), 5);
        QCOMPARE(retryDelayMs(tiny, 2, 0.0, 1000), 1000);
    }

    void retryAfterSeconds_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<int>("expected"); // -1 = nullopt
        QTest::newRow("7") << QByteArray("7") << 7000;
        QTest::newRow("spaces") << QByteArray(" 1 ") << 1000;
        QTest::newRow("zero") << QByteArray("0") << 0;
        QTest::newRow("negative") << QByteArray("-3") << -1;
        QTest::newRow("empty") << QByteArray("") << -1;
        QTest::newRow("garbage") << QByteArray("soon") << -1;
        QTest::newRow("huge capped at a day") << QByteArray("999999999") << 86400000;
    }
    void retryAfterSeconds()
    {
        QFETCH(QByteArray, value);
        QFETCH(int, expected);
        const auto ms = parseRetryAfterMs(value, QDateTime::currentDateTimeUtc());
        if (expected < 0)
            QVERIFY(!ms.has_value());
        else
            QCOMPARE(ms.value_or(-2), expected);
    }

    void retryAfterHttpDate()
    {
        const QDateTime now(QDate(2015, 10, 21), QTime(7, 28, 0), QTimeZone::utc());
        QCOMPARE(parseRetryAfterMs("Wed, 21 Oct 2015 07:28:10 GMT", now).value_or(-1), 10000);
        QCOMPARE(parseRetryAfterMs("Wed, 21 Oct 2015 07:27:00 GMT", now).value_or(-1), 0); // past
        QCOMPARE(parseRetryAfterMs("Thu, 22 Oct 2015 07:28:00 GMT", now).value_or(-1), 86400000);
        QVERIFY(!parseRetryAfterMs("21/10/2015 07:28", now).has_value());
        // Independent of the process locale.
        QLocale::setDefault(QLocale(QLocale::German));
        QCOMPARE(parseRetryAfterMs("Wed, 21 Oct 2015 07:28:02 GMT", now).value_or(-1), 2000);
        QLocale::setDefault(QLocale::c());
    }

    void retryAfterAllThreeDateForms_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<int>("expected"); // -1 = nullopt
        // now = Sun, 06 Nov 1994 08:49:00 GMT (the RFC's own example day)
        QTest::newRow("IMF-fixdate") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << 37000;
        QTest::newRow("RFC 850") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << 37000;
        QTest::newRow("asctime") << QByteArray("Sun Nov  6 08:49:37 1994") << 37000;
        QTest::newRow("asctime two-digit day") << QByteArray("Mon Nov 07 08:49:00 1994") << 86400000;
        QTest::newRow("IMF 45 s") << QByteArray("Sun, 06 Nov 1994 08:49:45 GMT") << 45000;
        QTest::newRow("RFC 850 past") << QByteArray("Saturday, 05-Nov-94 08:49:37 GMT") << 0;
        QTest::newRow("IMF Feb 30") << QByteArray("Mon, 30 Feb 1994 08:49:37 GMT") << -1;
        QTest::newRow("IMF not GMT") << QByteArray("Sun, 06 Nov 1994 08:49:37 PST") << -1;
        QTest::newRow("IMF bad month") << QByteArray("Sun, 06 Foo 1994 08:49:37 GMT") << -1;
        QTest::newRow("IMF bad time") << QByteArray("Sun, 06 Nov 1994 25:49:37 GMT") << -1;
        QTest::newRow("RFC 850 short day name") << QByteArray("Sun, 06-Nov-94 08:49:37 GMT") << -1;
        QTest::newRow("asctime bad year") << QByteArray("Sun Nov  6 08:49:37 94") << -1;
        QTest::newRow("words") << QByteArray("tomorrow morning") << -1;
    }
    void retryAfterAllThreeDateForms()
    {
        QFETCH(QByteArray, value);
        QFETCH(int, expected);
        const QDateTime now(QDate(1994, 11, 6), QTime(8, 49, 0), QTimeZone::utc());
        const auto ms = parseRetryAfterMs(value, now);
        if (expected < 0)
            QVERIFY2(!ms.has_value(), qPrintable(QString::number(ms.value_or(0))));
        else
            QCOMPARE(ms.value_or(-2), expected);
    }

    void rfc850TwoDigitYearIsTheNearestCentury()
    {
        // Relative to the injected "now", never to the wall clock.
        const QDateTime in2026(QDate(2026, 11, 29), QTime(12, 0), QTimeZone::utc());
        QCOMPARE(parseHttpDate("Sunday, 29-Nov-26 12:00:30 GMT", in2026),
            QDateTime(QDate(2026, 11, 29), QTime(12, 0, 30), QTimeZone::utc()));
        QCOMPARE(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", in2026).date().year(), 1994);
        QCOMPARE(parseHttpDate("Monday, 01-Jan-70 00:00:00 GMT", in2026).date().year(), 2070);
        const QDateTime in2099(QDate(2099, 1, 1), QTime(0, 0), QTimeZone::utc());
        QCOMPARE(parseHttpDate("Thursday, 01-Jan-00 00:00:00 GMT", in2099).date().year(), 2100);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
