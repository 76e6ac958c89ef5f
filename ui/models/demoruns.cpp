#include "demoruns.h"

#include "core/log.h"
#include "core/paths.h"
#include "core/strings.h"
#include "launchcontroller.h"

#include <QDir>
#include <QSaveFile>
#include <QtConcurrent>

namespace djp {

namespace {

struct DemoDoc
{
    const char* name;
    const char* text;
};

// Short, self-contained documents so the grounded demo has something to cite.
constexpr DemoDoc kDemoDocs[] = {
    { "heat_pumps.md",
        "# Heat pumps in cold climates\n\n"
        "Modern cold-climate air-source heat pumps keep a coefficient of performance (COP) above 2 down to "
        "about -15 C, which means they deliver more than twice the heat of the electricity they use. Below "
        "that their efficiency falls, and many installations keep a backup resistance heater for the coldest "
        "days. Ground-source heat pumps hold a COP of 3 to 4 all winter because the ground stays warm.\n" },
    { "insulation.md",
        "# Insulation first\n\n"
        "Energy advisers recommend sealing air leaks and insulating the attic before sizing a heat pump: a "
        "tighter house needs a smaller unit, runs it at a higher efficiency and lowers the peak load on the "
        "coldest days. Typical attic insulation pays back within five to eight years.\n" },
    { "grid.md",
        "# Heat pumps and the grid\n\n"
        "When many homes switch to heat pumps, winter peak electricity demand rises. Utilities plan for it "
        "with demand response, thermal storage and time-of-use tariffs that shift heating to off-peak "
        "hours.\n" },
};

// The demo must look like a healthy project, not a crisis: with the default alert thresholds (the
// legacy ones: average cost $0.01 per run) nothing should fire. The judge reads every draft, so its
// input dominates a run's cost; a small judge keeps the demo's average cost well under the threshold
// while the debaters still show every preset's roster. Fixed seeds make the demo the same every
// time (and its figures testable).
const QString kDemoJudge = QStringLiteral("openai/gpt-4o-mini");

RunRequest demo(const char* task, const char* preset, const char* trace, qint64 seed)
{
    RunRequest r;
    r.task = QString::fromUtf8(task);
    if (preset)
        r.preset = QString::fromLatin1(preset);
    r.traceName = QString::fromLatin1(trace);
    r.offline = true;
    r.judgeModel = kDemoJudge;
    r.seed = seed;
    return r;
}

} // namespace

std::vector<RunRequest> demoRunRequests(const QString& corpusDir)
{
    std::vector<RunRequest> out;
    out.push_back(demo("Summarize the trade-offs between solar and wind power for a small town, in about 120 words.",
        "quick", "demo_quick", 11));
    out.push_back(demo("Explain in about 100 words how a circuit breaker protects a service that calls unreliable "
                       "APIs, and when it should open and close again.",
        "thorough", "demo_thorough", 12));
    out.push_back(demo("Compare exact-match, semantic and prompt-prefix caching of language model responses (cost, "
                       "hit rate and risks) in about 100 words.",
        "research", "demo_research", 13));
    out.push_back(demo("Write a 100-word release note for a command-line tool that gained a --dry-run flag.",
        "deterministic", "demo_deterministic", 14));
    // A small budget: the fit-to-budget rule drops the dearest debaters, and the in-run cap holds.
    RunRequest budget = demo(
        "List five practical ways to cut the cloud bill of a small web service.", nullptr, "demo_small_budget", 15);
    budget.budgetUsd = 0.02;
    budget.maxCostUsd = 0.03;
    out.push_back(budget);
    if (!corpusDir.isEmpty()) {
        RunRequest grounded = demo("How efficient are heat pumps in cold climates, and what should a homeowner do "
                                   "before installing one?",
            "quick", "demo_grounded", 16);
        grounded.groundedCorpus = corpusDir;
        grounded.groundedRequired = 1;
        out.push_back(grounded);
    } else {
        out.push_back(demo("Draft three interview questions that test a candidate's understanding of retries and "
                           "idempotency.",
            "quick", "demo_interview", 17));
    }
    return out;
}

QString defaultDemoCorpusDir()
{
    return cacheDir() + QStringLiteral("/demo-corpus");
}

bool writeDemoCorpus(const QString& dir, QString* error)
{
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QObject::tr("Could not create %1").arg(QDir::toNativeSeparators(dir));
        return false;
    }
    for (const DemoDoc& doc : kDemoDocs) {
        QSaveFile f(QDir(dir).filePath(QString::fromLatin1(doc.name)));
        if (!f.open(QIODevice::WriteOnly) || f.write(doc.text) < 0 || !f.commit()) {
            if (error)
                *error = QObject::tr("Could not write %1: %2")
                             .arg(QDir::toNativeSeparators(f.fileName()), f.errorString());
            return false;
        }
    }
    return true;
}

DemoRunner::DemoRunner(LaunchController* controller, QObject* parent)
    : QObject(parent)
    , m_controller(controller)
{
    connect(&m_corpusWriter, &QFutureWatcher<QString>::finished, this,
        [this] { launch(m_corpusWriter.future().result()); });
    connect(controller, &LaunchController::runFinished, this, &DemoRunner::onRunFinished);
}

bool DemoRunner::start(const QString& corpusDir)
{
    if (m_running || !m_controller)
        return false;
    m_running = true;
    m_finished = 0;
    m_artifacts = 0;
    m_runIds.clear();
    m_corpusWriter.setFuture(QtConcurrent::run([corpusDir] {
        QString error;
        if (corpusDir.isEmpty() || !writeDemoCorpus(corpusDir, &error)) {
            if (!error.isEmpty())
                logger("ui")->warn("demo corpus: {}", ss(error));
            return QString();
        }
        return corpusDir;
    }));
    return true;
}

void DemoRunner::launch(const QString& corpusDir)
{
    if (!m_controller) {
        m_running = false;
        return;
    }
    const std::vector<RunRequest> requests = demoRunRequests(corpusDir);
    m_total = static_cast<int>(requests.size());
    Q_EMIT started(m_total);
    for (const RunRequest& r : requests)
        m_runIds.insert(m_controller->start(r));
    Q_EMIT progress(0, m_total);
}

void DemoRunner::onRunFinished(const QString& runId, const std::shared_ptr<const RunOutcome>& outcome)
{
    if (!m_runIds.remove(runId))
        return;
    ++m_finished;
    if (outcome && !outcome->artifactPath.isEmpty())
        ++m_artifacts;
    Q_EMIT progress(m_finished, m_total);
    if (m_runIds.isEmpty()) {
        m_running = false;
        Q_EMIT finished(m_artifacts, m_total);
    }
}

} // namespace djp
