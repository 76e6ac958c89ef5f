// The circuit breaker state machine (SPEC §4.5) over an injected clock.
#include "providers/circuitbreaker.h"

#include <QTest>

using namespace djp;
using Admission = CircuitBreaker::Admission;

class TestCircuitBreaker : public QObject
{
    Q_OBJECT
    qint64 m_now = 1000;
    CircuitBreaker make()
    {
        return CircuitBreaker(5, 60000, [this] { return m_now; });
    }

private slots:
    void init() { m_now = 1000; }

    void opensAfterFiveConsecutiveFailures()
    {
        CircuitBreaker b = make();
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(b.tryAcquire("p"), Admission::Allowed);
            b.recordFailure("p");
        }
        QCOMPARE(b.state("p").phase, BreakerPhase::Closed);
        QCOMPARE(b.state("p").consecutiveFailures, 4);
        b.recordSuccess("p"); // a success in between resets the count
        QCOMPARE(b.state("p").consecutiveFailures, 0);
        for (int i = 0; i < 5; ++i)
            b.recordFailure("p");
        const BreakerState s = b.state("p");
        QCOMPARE(s.phase, BreakerPhase::Open);
        QCOMPARE(s.consecutiveFailures, 5);
        QCOMPARE(s.reopenAtMs, 61000);
        QVERIFY(s.reopenAtUtc.isValid());
        QCOMPARE(b.tryAcquire("p"), Admission::Rejected);
        // Other providers are unaffected.
        QCOMPARE(b.tryAcquire("q"), Admission::Allowed);
        QCOMPARE(breakerPhaseName(s.phase), QStringLiteral("open"));
    }

    void halfOpenLetsExactlyOneProbe()
    {
        CircuitBreaker b = make();
        for (int i = 0; i < 5; ++i)
            b.recordFailure("p");
        m_now += 59999;
        QCOMPARE(b.tryAcquire("p"), Admission::Rejected);
        m_now += 1;
        QCOMPARE(b.state("p").phase, BreakerPhase::HalfOpen);
        QCOMPARE(b.tryAcquire("p"), Admission::Probe);
        QVERIFY(b.state("p").probeInFlight);
        QCOMPARE(b.tryAcquire("p"), Admission::Rejected); // only one probe
        b.recordSuccess("p");
        QCOMPARE(b.state("p").phase, BreakerPhase::Closed);
        QCOMPARE(b.state("p").consecutiveFailures, 0);
        QCOMPARE(b.tryAcquire("p"), Admission::Allowed);
    }

    void failedProbeReopens()
    {
        CircuitBreaker b = make();
        for (int i = 0; i < 5; ++i)
            b.recordFailure("p");
        m_now += 60000;
        QCOMPARE(b.tryAcquire("p"), Admission::Probe);
        b.recordFailure("p");
        QCOMPARE(b.state("p").phase, BreakerPhase::Open);
        QCOMPARE(b.state("p").reopenAtMs, m_now + 60000);
        QCOMPARE(b.tryAcquire("p"), Admission::Rejected);
    }

    void cancelledProbeFreesTheSlot()
    {
        CircuitBreaker b = make();
        for (int i = 0; i < 5; ++i)
            b.recordFailure("p");
        m_now += 60000;
        QCOMPARE(b.tryAcquire("p"), Admission::Probe);
        b.cancelProbe("p");
        QCOMPARE(b.state("p").phase, BreakerPhase::HalfOpen);
        QCOMPARE(b.tryAcquire("p"), Admission::Probe);
    }

    void lateSuccessDoesNotShortenTheOpenPeriod()
    {
        CircuitBreaker b = make();
        for (int i = 0; i < 5; ++i)
            b.recordFailure("p");
        b.recordSuccess("p"); // an attempt admitted before the breaker opened
        QCOMPARE(b.state("p").phase, BreakerPhase::Open);
        b.reset("p");
        QCOMPARE(b.state("p").phase, BreakerPhase::Closed);
        QCOMPARE(b.states().size(), 0u);
    }
};

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuitbreaker.moc"
