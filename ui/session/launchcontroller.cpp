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
    // The engine's destructor cancels its runs (those that made a call write a "cancelled" artifact)
    // and joins its thread; it must go before the model its events would update.
    delete m_engine;
    m_engine = nullptr;
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
}

RunEngine* LaunchController::ensureEngine()
{
    if (m_engine)
        return m_engine;
    EngineOptions options = m_template;
    options.runsDir.clear(); // every request names its folder
    m_engine = new RunEngine(std::move(options), this);
    connect(m_engine, &RunEngine::runEvent, this, &LaunchController::onEngineEvent);
    return m_engine;
}

QString LaunchController::start(const RunRequest& request)
{
    RunRequest placed = request;
    if (placed.runsDir.isEmpty())
        placed.runsDir = m_runsDir.isEmpty() ? QDir::current().absoluteFilePath(QStringLiteral("runs")) : m_runsDir;
    const QString dir = placed.runsDir;
    const QString runId = ensureEngine()->start(placed);
    m_runs->addRun(runId, placed, dir);
    logger("ui")->info("launched run {} into {}", ss(runId), ss(dir));
    Q_EMIT runStarted(runId);
    return runId;
}

void LaunchController::cancel(const QString& runId)
{
    const RunProgress* run = m_runs->run(runId);
    if (!m_engine || !run || run->state == RunProgress::State::Finished)
        return;
    m_runs->markCancelRequested(runId);
    m_engine->cancel(runId);
}

void LaunchController::cancelAll()
{
    if (!m_engine)
        return;
    for (int row = 0; row < m_runs->rowCount(); ++row)
        m_runs->markCancelRequested(m_runs->runAt(row)->runId);
    m_engine->cancelAll();
}

void LaunchController::onEngineEvent(const RunEvent& event)
{
    m_runs->applyEvent(event);
    Q_EMIT runEvent(event);
    if (event.kind != RunEvent::Kind::Finished)
        return;
    Q_EMIT runFinished(event.runId, event.outcome);
    if (m_teamPush && event.outcome && !event.outcome->artifactPath.isEmpty())
        pushToTeam(event.runId, event.outcome->artifactPath);
}

} // namespace djp
