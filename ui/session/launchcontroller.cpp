#include "session/launchcontroller.h"

#include "core/log.h"
#include "core/strings.h"
#include "providers/dotenv.h"

#include <QDir>
#include <QFutureWatcher>
#include <QtConcurrent>

namespace djp {

LaunchController::LaunchController(EngineOptions engineTemplate, QObject* parent)
    : QObject(parent)
    , m_template(std::move(engineTemplate))
    , m_runs(new ActiveRunsModel(this))
{
    qRegisterMetaType<djp::RunEvent>();
    m_pushPool.setMaxThreadCount(1); // pushes go in order
    // Keys from ./.env count for the "key set / simulated" display before the first engine exists
    // (the hub would load it at the first launch; loading is once per process either way).
    if (m_template.hub.loadDotEnv)
        loadDotEnvFromWorkingDirOnce();
}

LaunchController::~LaunchController()
{
    // Each engine's destructor cancels its runs (their artifacts say "cancelled") and joins its thread.
    for (auto& [dir, engine] : m_engines)
        delete engine;
    m_engines.clear();
    m_pushPool.waitForDone();
}

void LaunchController::setTeamPush(TeamPush push)
{
    m_teamPush = std::move(push);
    if (!m_teamPush)
        m_pendingPushes.clear(); // they belonged to the team history that was closed
}

void LaunchController::pushToTeam(const QString& runId, const QString& artifactPath)
{
    // The artifact is on disk already: the run has succeeded whatever the server says.
    QStringList paths = m_pendingPushes;
    paths << artifactPath;
    m_pendingPushes.clear();
    struct Outcome
    {
        bool ok = false;
        QString error;
    };
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, runId, paths] {
        watcher->deleteLater();
        const Outcome o = watcher->result();
        if (!o.ok) {
            for (const QString& p : paths)
                if (!m_pendingPushes.contains(p))
                    m_pendingPushes << p;
            logger("ui")->warn("run {} is saved locally; the team history was not updated: {}", ss(runId), ss(o.error));
        }
        Q_EMIT teamPushFinished(runId, o.ok, static_cast<int>(paths.size()), o.error);
    });
    watcher->setFuture(QtConcurrent::run(&m_pushPool, [push = m_teamPush, paths] {
        Outcome o;
        o.ok = push(paths, &o.error);
        return o;
    }));
}

void LaunchController::setRunsDir(const QString& dir)
{
    const QString clean = dir.isEmpty() ? QString() : QDir::cleanPath(QDir(dir).absolutePath());
    if (clean == m_runsDir)
        return;
    m_runsDir = clean;
    retireIdleEngines();
}

RunEngine* LaunchController::engineFor(const QString& dir)
{
    auto it = m_engines.find(dir);
    if (it != m_engines.end())
        return it->second;
    EngineOptions options = m_template;
    options.runsDir = dir;
    auto* engine = new RunEngine(std::move(options), this);
    connect(engine, &RunEngine::runEvent, this, [this, engine](const RunEvent& e) { onEngineEvent(engine, e); });
    m_engines.emplace(dir, engine);
    return engine;
}

QString LaunchController::start(const RunRequest& request)
{
    const QString dir = m_runsDir.isEmpty() ? QDir::current().absoluteFilePath(QStringLiteral("runs")) : m_runsDir;
    RunEngine* engine = engineFor(dir);
    const QString runId = engine->start(request);
    m_engineOfRun[runId] = engine;
    m_runs->addRun(runId, request, dir);
    logger("ui")->info("launched run {} into {}", ss(runId), ss(dir));
    Q_EMIT runStarted(runId);
    return runId;
}

void LaunchController::cancel(const QString& runId)
{
    auto it = m_engineOfRun.find(runId);
    if (it == m_engineOfRun.end())
        return;
    m_runs->markCancelRequested(runId);
    it->second->cancel(runId);
}

void LaunchController::cancelAll()
{
    for (const auto& [runId, engine] : m_engineOfRun) {
        m_runs->markCancelRequested(runId);
        engine->cancel(runId);
    }
}

void LaunchController::onEngineEvent(RunEngine* engine, const RunEvent& event)
{
    Q_UNUSED(engine);
    m_runs->applyEvent(event);
    Q_EMIT runEvent(event);
    if (event.kind != RunEvent::Kind::Finished)
        return;
    m_engineOfRun.erase(event.runId);
    Q_EMIT runFinished(event.runId, event.outcome);
    if (m_teamPush && event.outcome && !event.outcome->artifactPath.isEmpty())
        pushToTeam(event.runId, event.outcome->artifactPath);
    retireIdleEngines();
}

void LaunchController::retireIdleEngines()
{
    // An engine for another folder is kept while it has runs; it goes once they have all finished.
    for (auto it = m_engines.begin(); it != m_engines.end();) {
        if (it->first != m_runsDir && it->second->activeRuns() == 0) {
            it->second->deleteLater(); // we may be inside its signal
            it = m_engines.erase(it);
        } else {
            ++it;
        }
    }
}

} // namespace djp
