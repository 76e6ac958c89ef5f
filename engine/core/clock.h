#pragma once
// The one place the product asks what time it is. Every "now" that decides what a user sees (time
// windows, alert windows, artifact timestamps, default dates) comes from here, so tests can pin it and
// nothing depends on the day or the time zone a test runs in.
//
// Two ways to set it:
// - in-process tests call Clock::setFixedMs() / Clock::reset();
// - for a program started as a child process (CLI and GUI tests, reproducing a report "as of" a
//   date), the environment variable DJP_NOW holds an ISO 8601 date-time with an offset
//   ("2027-03-28T01:30:00+01:00") or milliseconds since the epoch; the clock then starts at that
//   instant and advances with real elapsed time, so timeouts and durations keep working.
// An unparsable DJP_NOW is ignored with a warning in the log (the wall clock is used).
//
// Durations and timeouts are measured with QElapsedTimer / QDeadlineTimer (monotonic), never with
// this clock.
//
// Threading: all functions are thread-safe (atomics); setFixedMs() is meant for test set-up.
#include <QDate>
#include <QDateTime>
#include <optional>

namespace djp {

class Clock
{
public:
    // Milliseconds since the Unix epoch (UTC).
    static qint64 nowMs();
    static QDateTime nowUtc() { return QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC); }
    // The same instant in the system's local time zone.
    static QDateTime nowLocal() { return QDateTime::fromMSecsSinceEpoch(nowMs()); }
    // Today's date in the local time zone.
    static QDate today() { return nowLocal().date(); }

    // Pins the clock at `ms` until reset() (tests).
    static void setFixedMs(qint64 ms);
    // Back to the wall clock (or DJP_NOW when set).
    static void reset();

    // Parses DJP_NOW's value: ISO 8601 with an offset or "Z", or an integer of ms since the epoch.
    // nullopt for anything else (a naive date-time would depend on the time zone, so it is refused).
    static std::optional<qint64> parseNow(const QByteArray& value);
};

} // namespace djp
