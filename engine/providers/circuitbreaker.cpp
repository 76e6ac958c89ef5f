#include "providers/circuitbreaker.h"

#include "core/clock.h"

#include <QElapsedTimer>

namespace djp {

QString breakerPhaseName(BreakerPhase p)
{
    switch (p) {
    case BreakerPhase::Closed:
        return QStringLiteral("closed");
    case BreakerPhase::Open:
        return QStringLiteral("open");
    case BreakerPhase::HalfOpen:
        return QStringLiteral("half_open");
    }
    return {};
}

CircuitBreaker::CircuitBreaker(int threshold, qint64 openMs, Clock clock)
    : m_threshold(std::max(1, threshold))
    , m_openMs(std::max<qint64>(0, openMs))
    , m_clock(std::move(clock))
{
    if (!m_clock) {
        m_clock = [] {
            static QElapsedTimer timer = [] {
                QElapsedTimer t;
                t.start();
                return t;
            }();
            return timer.elapsed();
        };
    }
}

CircuitBreaker::Admission CircuitBreaker::tryAcquire(const QString& provider, quint64* generation)
{
    Entry& e = m_entries[provider];
    if (generation)
        *generation = m_generations[provider];
    if (e.phase == BreakerPhase::Open && m_clock() >= e.reopenAtMs)
        e.phase = BreakerPhase::HalfOpen;
    switch (e.phase) {
    case BreakerPhase::Closed:
        return Admission::Allowed;
    case BreakerPhase::Open:
        return Admission::Rejected;
    case BreakerPhase::HalfOpen:
        if (e.probeInFlight)
            return Admission::Rejected;
        e.probeInFlight = true;
        return Admission::Probe;
    }
    return Admission::Rejected;
}

void CircuitBreaker::recordSuccess(const QString& provider, std::optional<quint64> generation)
{
    Entry& e = m_entries[provider];
    // An attempt admitted before the breaker last opened tells nothing about the provider now.
    if (generation && *generation != m_generations[provider])
        return;
    // While open, only the probe decides: a late success of an attempt admitted before the breaker
    // opened does not cut the open period short.
    if (e.phase == BreakerPhase::Open && m_clock() < e.reopenAtMs)
        return;
    e = Entry {};
}

void CircuitBreaker::recordFailure(const QString& provider, std::optional<quint64> generation)
{
    Entry& e = m_entries[provider];
    if (generation && *generation != m_generations[provider])
        return;
    ++e.failures;
    // A failed probe re-opens at once; attempts admitted before the breaker opened that fail
    // later extend nothing (the open period counts from the opening failure).
    const bool probeFailed = e.phase == BreakerPhase::HalfOpen && e.probeInFlight;
    if (probeFailed || (e.phase == BreakerPhase::Closed && e.failures >= m_threshold)) {
        e.phase = BreakerPhase::Open;
        e.probeInFlight = false;
        e.reopenAtMs = m_clock() + m_openMs;
        ++m_generations[provider];
    }
}

void CircuitBreaker::cancelProbe(const QString& provider)
{
    Entry& e = m_entries[provider];
    if (e.phase == BreakerPhase::HalfOpen)
        e.probeInFlight = false;
}

void CircuitBreaker::reset(const QString& provider)
{
    m_entries.erase(provider);
    ++m_generations[provider];
}

BreakerState CircuitBreaker::describe(const QString& provider, const Entry& e) const
{
    BreakerState s;
    s.provider = provider;
    s.phase = e.phase;
    if (s.phase == BreakerPhase::Open && m_clock() >= e.reopenAtMs)
        s.phase = BreakerPhase::HalfOpen;
    s.consecutiveFailures = e.failures;
    s.probeInFlight = e.probeInFlight;
    if (e.phase != BreakerPhase::Closed) {
        s.reopenAtMs = e.reopenAtMs;
        s.reopenAtUtc = djp::Clock::nowUtc().addMSecs(e.reopenAtMs - m_clock());
    }
    return s;
}

BreakerState CircuitBreaker::state(const QString& provider) const
{
    auto it = m_entries.find(provider);
    return it == m_entries.end() ? describe(provider, Entry {}) : describe(provider, it->second);
}

std::vector<BreakerState> CircuitBreaker::states() const
{
    std::vector<BreakerState> out;
    for (const auto& [provider, e] : m_entries)
        out.push_back(describe(provider, e));
    return out;
}

} // namespace djp
