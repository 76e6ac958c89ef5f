// The circuit breaker state machine (docs/providers.md) over an injected clock.
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

    void staleAttemptsAreToldFromTheProbe()
    {
        CircuitBreaker b = make();
        // Two attempts are admitted while closed; they finish only after the breaker has opened
        // (through five other failures) and gone half-open with its probe in flight.
        quint64 staleA = 99, staleB = 99;
        QCOMPARE(b.tryAcquire("p", &staleA), Admission::Allowed);
        QCOMPARE(b.tryAcquire("p", &staleB), Admission::Allowed);
        for (int i = 0; i < 5; ++i) {
            quint64 g = 0;
            QCOMPARE(b.tryAcquire("p", &g), Admission::Allowed);
            b.recordFailure("p", g);
        }
        QCOMPARE(b.state("p").phase, BreakerPhase::Open);
        m_now += 60000;
        quint64 probe = 0;
        QCOMPARE(b.tryAcquire("p", &probe), Admission::Probe);
        QVERIFY(probe != staleA);
        // A stale failure must not count as the probe failing (it would re-open for another minute).
        b.recordFailure("p", staleA);
        QCOMPARE(b.state("p").phase, BreakerPhase::HalfOpen);
        QVERIFY(b.state("p").probeInFlight);
        QCOMPARE(b.state("p").consecutiveFailures, 5);
        // A stale success must not close it either: only the probe decides.
        b.recordSuccess("p", staleB);
        QCOMPARE(b.state("p").phase, BreakerPhase::HalfOpen);
        QCOMPARE(b.tryAcquire("p"), Admission::Rejected); // the probe still holds the slot
        b.recordFailure("p", probe);
        QCOMPARE(b.state("p").phase, BreakerPhase::Open);
        QCOMPARE(b.state("p").reopenAtMs, m_now + 60000);
        // After a reset, results of attempts admitted before it are stale too.
        b.reset("p");
        for (int i = 0; i < 5; ++i)
            b.recordFailure("p", probe);
        QCOMPARE(b.state("p").phase, BreakerPhase::Closed);
        QCOMPARE(b.state("p").consecutiveFailures, 0);
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
