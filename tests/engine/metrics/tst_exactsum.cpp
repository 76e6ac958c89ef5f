// Exact, order-independent sums for the KPIs, and the exact decimal form the team database stores.
#include "metrics/exactsum.h"

#include <QRandomGenerator>
#include <QTest>
#include <algorithm>
#include <charconv>
#include <random>

using namespace djp;

class TestExactSum : public QObject
{
    Q_OBJECT
private slots:
    void sumsExactlyRoundedOnce()
    {
        ExactSum s;
        for (int i = 0; i < 10; ++i)
            s.add(0.1);
        QCOMPARE(s.value(), 1.0); // a naive loop gives 0.9999999999999999
        ExactSum big;
        big.add(1e100);
        big.add(1.0);
        big.add(-1e100);
        QCOMPARE(big.value(), 1.0);
        QCOMPARE(ExactSum().value(), 0.0);
    }

    void orderDoesNotMatter()
    {
        std::mt19937_64 rng(7);
        std::uniform_real_distribution<double> cost(0.0, 0.05);
        std::vector<double> v(5000);
        for (double& x : v)
            x = cost(rng);
        ExactSum forward, backward, shuffled;
        for (double x : v)
            forward.add(x);
        for (auto it = v.rbegin(); it != v.rend(); ++it)
            backward.add(*it);
        std::shuffle(v.begin(), v.end(), rng);
        for (double x : v)
            shuffled.add(x);
        QCOMPARE(forward.value(), backward.value());
        QCOMPARE(forward.value(), shuffled.value());
    }

    void exactDecimalRoundTrips_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("0.1") << 0.1 << QByteArray("0.1000000000000000055511151231257827021181583404541015625");
        QTest::newRow("integer") << 42.0 << QByteArray("42");
        QTest::newRow("half") << 2.5 << QByteArray("2.5");
        QTest::newRow("zero") << 0.0 << QByteArray("0");
        QTest::newRow("negative") << -0.75 << QByteArray("-0.75");
        QTest::newRow("tiny cost") << 1.2e-7 << QByteArray();
    }
    void exactDecimalRoundTrips()
    {
        QFETCH(double, value);
        QFETCH(QByteArray, expected);
        const QByteArray text = exactDecimal(value);
        if (!expected.isEmpty())
            QCOMPARE(text, expected);
        double back = 0;
        std::from_chars(text.constData(), text.constData() + text.size(), back);
        QCOMPARE(back, value);
    }
};

QTEST_GUILESS_MAIN(TestExactSum)
#include "tst_exactsum.moc"
