#pragma once
// First-run demo: a handful of simulated runs so an empty runs folder shows what the application
// does. The runs go through the real RunEngine in offline mode (the engine's simulated provider:
// real prompts, parsing, judging, publishing and artifacts, all marked simulated: true), never
// canned files.
//
// Threading: GUI thread. The small demo corpus is written off the GUI thread; the runs execute on
// the engine's worker thread.
#include "pipeline/runrequest.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <memory>
#include <vector>

namespace djp {

class LaunchController;
struct RunOutcome;

// The demo runs: varied tasks over the quick / thorough / research / deterministic presets, one with
// a small budget (the fit-to-budget rule drops debaters), and one grounded on `corpusDir` when it is
// not empty. All offline.
std::vector<RunRequest> demoRunRequests(const QString& corpusDir);

// Writes the small Markdown demo corpus into `dir` (created if needed). False with *error on failure.
bool writeDemoCorpus(const QString& dir, QString* error = nullptr);
// Where the demo corpus is written: <cacheDir>/demo-corpus.
QString defaultDemoCorpusDir();

class DemoRunner : public QObject
{
    Q_OBJECT
public:
    explicit DemoRunner(LaunchController* controller, QObject* parent = nullptr);

    // Writes the corpus (off the GUI thread), then starts the runs. False if already running.
    bool start(const QString& corpusDir = defaultDemoCorpusDir());
    bool isRunning() const { return m_running; }
    int total() const { return m_total; }
    int finishedCount() const { return m_finished; }
    int artifactCount() const { return m_artifacts; }

Q_SIGNALS:
    void started(int total);
    void progress(int finished, int total);
    // Every demo run ended; `artifacts` of them wrote an artifact.
    void finished(int artifacts, int total);

private:
    void launch(const QString& corpusDir);
    void onRunFinished(const QString& runId, const std::shared_ptr<const RunOutcome>& outcome);

    QPointer<LaunchController> m_controller;
    QFutureWatcher<QString> m_corpusWriter; // result: the corpus dir, or "" when it could not be written
    QSet<QString> m_runIds;
    bool m_running = false;
    int m_total = 0;
    int m_finished = 0;
    int m_artifacts = 0;
};

} // namespace djp
