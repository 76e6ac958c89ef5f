#pragma once
// Small hand-made run artifacts for UI and GUI tests: legacy 1.1 (naive local timestamp) and 2.0
// (timestamp with offset) files with chosen time, status, preset, provider, cost; plus files that
// are not usable artifacts. Bulk data comes from bench/benchdata/syntheticartifacts.h instead.
#include <QString>
#include <QStringList>

namespace djp::test {

struct FixtureRun
{
    qint64 timestampMs = 0; // UTC ms
    bool legacy = false; // schema 1.1 layout
    QString status = QStringLiteral("published");
    QString preset = QStringLiteral("quick");
    QString provider = QStringLiteral("openai/gpt-4o");
    QString task = QStringLiteral("Summarise the quarterly report");
    QString reason; // publish.reason
    double cost = 0.0012;
    qint64 tokensIn = 1200;
    qint64 tokensOut = 300;
    double durationSeconds = 2.5;
    bool redacted = false;
    bool simulated = false;
};

// Writes `run` into `dir` as `fileName` (default: a unique name from the time and a counter) and
// returns the absolute path.
QString writeFixtureRun(const QString& dir, const FixtureRun& run, const QString& fileName = {});

// The runs an alert test evaluates: `published` published runs, then `advisory` advisory_only ones
// (reason low_margin), one an hour apart going back from `newestAgoHours` before Clock::nowMs(), each
// with its own task ("Fixture task <i>"). False when a file could not be written.
bool writeHourlyRuns(const QString& dir, int published, int advisory, qint64 newestAgoHours = 1);

// The *.json files directly in `dir` (what a run writes), as absolute paths in name order.
QStringList artifactsIn(const QString& dir);

// Writes three unusable files (syntax error, empty, JSON array) into `dir`; returns their paths.
QStringList writeBrokenFiles(const QString& dir);

} // namespace djp::test
