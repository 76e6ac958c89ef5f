#pragma once
// Circuit breaker per provider (docs/providers.md): opens after `threshold` consecutive failed attempts,
// stays open `openMs`, then lets exactly one probe through (half-open); the probe's success closes
// it, its failure re-opens it for another `openMs`. A plain state machine over an injected
// monotonic clock, so tests can step time; the ProviderHub wraps it and emits the GUI signal.
// Not thread-safe: used from the hub's thread only.
#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace djp {

enum class BreakerPhase
{
    Closed,
    Open,
    HalfOpen
};
QString breakerPhaseName(BreakerPhase p); // "closed" | "open" | "half_open"

struct BreakerState
{
    QString provider;
    BreakerPhase phase = BreakerPhase::Closed;
    int consecutiveFailures = 0;
    bool probeInFlight = false; // half-open with its one probe running
    qint64 reopenAtMs = 0; // clock time at which an open breaker admits its probe (0 when closed)
    QDateTime reopenAtUtc; // the same as wall-clock time, for display; invalid when closed
};

class CircuitBreaker
{
public:
    using Clock = std::function<qint64()>; // monotonic milliseconds

    explicit CircuitBreaker(int threshold = 5, qint64 openMs = 60000, Clock clock = {});

    enum class Admission
    {
        Allowed,
        Probe,
        Rejected
    };
    // Asks to start an attempt. Probe means this attempt is the half-open probe: report its result
    // with recordSuccess/recordFailure, or cancelProbe() if it is not made after all.
    // `generation` receives the breaker's generation, which grows each time it opens; passing it
    // back with the result tells the probe (admitted in the current generation) from stale attempts
    // admitted before the breaker opened, whose late results then change nothing.
    Admission tryAcquire(const QString& provider, quint64* generation = nullptr);
    // Without a generation the result is taken as current (the probe's, when half-open).
    void recordSuccess(const QString& provider, std::optional<quint64> generation = std::nullopt);
    void recordFailure(const QString& provider, std::optional<quint64> generation = std::nullopt);
    void cancelProbe(const QString& provider);
    void reset(const QString& provider);

    // Effective state now (an open breaker whose period has elapsed reports HalfOpen).
    BreakerState state(const QString& provider) const;
    std::vector<BreakerState> states() const;

    int threshold() const { return m_threshold; }
    qint64 openMs() const { return m_openMs; }
    qint64 now() const { return m_clock(); }

private:
    struct Entry
    {
        BreakerPhase phase = BreakerPhase::Closed;
        int failures = 0;
        bool probeInFlight = false;
        qint64 reopenAtMs = 0;
    };
    BreakerState describe(const QString& provider, const Entry& e) const;

    int m_threshold;
    qint64 m_openMs;
    Clock m_clock;
    std::map<QString, Entry> m_entries;
    std::map<QString, quint64> m_generations; // kept across reset(), so stale attempts stay stale
};

} // namespace djp

Q_DECLARE_METATYPE(djp::BreakerState)
