#pragma once
// Pins the product's clock (djp::Clock) for a test. The default instant is "now" as this process sees
// it — the real time, or the time faked by `faketime` in the date-sensitive CTest entries — so a test
// is consistent with itself (nothing moves between writing fixtures and checking windows) and still
// runs on whatever day and in whatever time zone its environment says.
#include "core/clock.h"

#include <QDateTime>

namespace djp::test {

class PinnedClock
{
public:
    explicit PinnedClock(qint64 ms = QDateTime::currentMSecsSinceEpoch())
        : m_ms(ms)
    {
        Clock::setFixedMs(ms);
    }
    ~PinnedClock() { Clock::reset(); }
    PinnedClock(const PinnedClock&) = delete;
    PinnedClock& operator=(const PinnedClock&) = delete;

    qint64 nowMs() const { return m_ms; }
    void set(qint64 ms)
    {
        m_ms = ms;
        Clock::setFixedMs(ms);
    }

private:
    qint64 m_ms;
};

} // namespace djp::test
