#pragma once
// The application's run launcher: the one RunEngine of the window, plus the ActiveRunsModel that
// tracks every run started from it (docs/gui-launch.md, "Runs and folders").
//
// Each run is started with the runs folder current at launch on its request, so changing the folder
// does not touch runs in flight: their artifacts still land where they were started, and new runs go
// to the new folder through the same engine. The engine is created lazily, on the first launch.
//
// Threading: GUI thread only. The RunEngine runs its pipeline on its own worker thread and delivers
// events here, queued. Destroying the controller destroys the engine, which cancels the runs in
// flight and joins its thread (see RunEngine::~RunEngine).
#include "models/activerunsmodel.h"
#include "pipeline/runengine.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QThreadPool>
#include <functional>

namespace djp {

class LaunchController : public QObject
{
    Q_OBJECT
public:
    // `engineTemplate.runsDir` is ignored (setRunsDir decides); the rest (simulator, retry, pricing)
    // is used for every engine this controller creates.
    explicit LaunchController(EngineOptions engineTemplate = {}, QObject* parent = nullptr);
    ~LaunchController() override;

    void setRunsDir(const QString& dir);
    QString runsDir() const { return m_runsDir; }

    // Starts a run in the current runs folder (or in request.runsDir when the caller set it); returns
    // its id (the row appears in runs() at once).
    QString start(const RunRequest& request);
    void cancel(const QString& runId);
    void cancelAll();

    // Team history (docs/team-history.md, "Runs land in both"): when set, every artifact a run writes
    // is then pushed with `push` (called on a worker thread, one push at a time). A push that fails
    // leaves the run saved locally; its artifact is pushed again with the next one. Null: no pushes.
    using TeamPush = std::function<bool(const QStringList& artifactPaths, QString* error)>;
    void setTeamPush(TeamPush push);
    int pendingTeamPushes() const { return static_cast<int>(m_pendingPushes.size()); }

    ActiveRunsModel* runs() const { return m_runs; }
    int inFlight() const { return m_engine ? m_engine->activeRuns() : 0; }
    const RunEngine* engine() const { return m_engine; } // null before the first launch

Q_SIGNALS:
    void runStarted(const QString& runId);
    void runEvent(const djp::RunEvent& event); // every event, after the model applied it
    void runFinished(const QString& runId, std::shared_ptr<const djp::RunOutcome> outcome);
    // The push after run `runId`: ok, or the one-line reason the team history was not updated.
    // `artifacts` counts the files sent (the run's plus any earlier ones that had failed).
    void teamPushFinished(const QString& runId, bool ok, int artifacts, const QString& message);

private:
    RunEngine* ensureEngine();
    void onEngineEvent(const RunEvent& event);
    void pushToTeam(const QString& runId, const QString& artifactPath);

    EngineOptions m_template;
    QString m_runsDir;
    ActiveRunsModel* m_runs;
    RunEngine* m_engine = nullptr; // child of this object
    TeamPush m_teamPush;
    QStringList m_pendingPushes; // artifacts whose push failed, sent again with the next one
    QThreadPool m_pushPool;
};

} // namespace djp
