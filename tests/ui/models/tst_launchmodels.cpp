// Launch tab models: LaunchForm (preset vs explicit fields), ModelChoiceModel (prices, access, never
// the key), ProjectionModel, ActiveRunsModel/LiveCallsModel fed with events, and LaunchController /
// DemoRunner over the real RunEngine with the simulated provider.
#include "core/jsonutil.h"
#include "display/displayformat.h"
#include "isolatedenv.h"
#include "metrics/alerts.h"
#include "metrics/kpis.h"
#include "models/activerunsmodel.h"
#include "models/livecallsmodel.h"
#include "models/modelchoicemodel.h"
#include "models/projectionmodel.h"
#include "pipeline/runplanner.h"
#include "pricing/money.h"
#include "runfixtures.h"
#include "session/demoruns.h"
#include "session/launchcontroller.h"
#include "session/launchform.h"
#include "store/runstore.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <numeric>

using namespace djp;
using Field = LaunchForm::Field;

namespace {

using test::artifactsIn;

Json readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Json();
    return Json::parse(f.readAll().toStdString(), nullptr, false);
}

EngineOptions fastEngine()
{
    EngineOptions o;
    o.hub.simulator.latencyMs = 5;
    o.hub.loadDotEnv = false;
    return o;
}

} // namespace

class TestLaunchModels : public QObject
{
    Q_OBJECT
private:
    test::IsolatedEnvironment m_env;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_env.isValid());
        m_env.apply();
        qputenv("DJP_SIM_LATENCY_MS", "5");
        // No real provider may be reached from a test, whatever the developer's environment holds.
    }

    void formPresetThenExplicit()
    {
        LaunchForm form;
        QCOMPARE(form.presetName(), QStringLiteral("manual"));
        QCOMPARE(form.source(Field::MaxTokens), LaunchForm::Source::Default);
        QCOMPARE(form.value(Field::MaxTokens).toInt(), rundefaults::kMaxTokens);

        QVERIFY(form.setPreset(QStringLiteral("quick")));
        QCOMPARE(form.source(Field::MaxTokens), LaunchForm::Source::Preset);
        QCOMPARE(form.value(Field::MaxTokens).toInt(), 800);
        QCOMPARE(form.value(Field::Fastpath).toBool(), true);
        QCOMPARE(form.value(Field::MaxDebaters).toInt(), 2);
        QCOMPARE(form.source(Field::RequireCitations), LaunchForm::Source::Default); // null in quick.json
        QCOMPARE(form.source(Field::Seed), LaunchForm::Source::Default);
        QVERIFY(!form.value(Field::Seed).isValid());

        // A field the user sets beats the preset, even when the preset sets it too.
        form.setValue(Field::MaxTokens, 321);
        form.setValue(Field::Fastpath, false);
        QCOMPARE(form.source(Field::MaxTokens), LaunchForm::Source::User);
        QCOMPARE(form.value(Field::MaxTokens).toInt(), 321);
        RunRequest r;
        r.task = QStringLiteral("t");
        form.applyTo(r);
        QCOMPARE(r.preset.value_or(QString()), QStringLiteral("quick"));
        QCOMPARE(r.maxTokens.value_or(0), 321);
        QVERIFY(!r.temperature.has_value()); // left to the preset
        const ResolveResult resolved = resolveRunConfig(r);
        QVERIFY(resolved.config);
        QCOMPARE(resolved.config->maxTokens, 321);
        QCOMPARE(resolved.config->fastpath, false);
        QCOMPARE(resolved.config->maxDebaters, 2); // still the preset's

        form.reset(Field::MaxTokens);
        QCOMPARE(form.source(Field::MaxTokens), LaunchForm::Source::Preset);
        QCOMPARE(form.value(Field::MaxTokens).toInt(), 800);

        // Choosing another preset shows exactly that preset.
        QVERIFY(form.setPreset(QStringLiteral("deterministic")));
        QCOMPARE(form.source(Field::Fastpath), LaunchForm::Source::Preset);
        QCOMPARE(form.value(Field::Seed).toLongLong(), 12345);
        QCOMPARE(form.value(Field::Temperature).toDouble(), 0.0);
        QCOMPARE(form.value(Field::Policy).toString(), QStringLiteral("openai_only"));

        QString error;
        QVERIFY(!form.setPreset(QStringLiteral("no_such_preset"), &error));
        QVERIFY(error.contains(QStringLiteral("no_such_preset")));
        QCOMPARE(form.presetName(), QStringLiteral("deterministic"));
    }

    void modelChoiceModel()
    {
        // A registry whose OpenAI key comes from a test variable: "key set" is shown, never the key.
        const QByteArray secret = "sk-test-secret-value-1234567890";
        qputenv("DJP_TEST_LAUNCH_KEY", secret);
        // (Built with QJsonDocument rather than a raw string literal, which moc does not parse.)
        const QJsonObject providers {
            { QStringLiteral("openai"),
                QJsonObject { { QStringLiteral("api"), QStringLiteral("openai_chat") },
                    { QStringLiteral("base_url"), QStringLiteral("https://api.openai.com/v1") },
                    { QStringLiteral("key_env"), QStringLiteral("DJP_TEST_LAUNCH_KEY") } } },
            { QStringLiteral("anthropic"),
                QJsonObject { { QStringLiteral("api"), QStringLiteral("anthropic_messages") },
                    { QStringLiteral("base_url"), QStringLiteral("https://api.anthropic.com") },
                    { QStringLiteral("key_env"), QStringLiteral("DJP_TEST_LAUNCH_UNSET_KEY") } } },
        };
        auto registry = ProviderRegistry::fromJson(
            QJsonDocument(QJsonObject { { QStringLiteral("providers"), providers } }).toJson());
        QVERIFY(registry);
        const PricingTable pricing = PricingTable::bundled();
        ModelChoiceModel model(pricing, *registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &ModelChoiceModel::selectionChanged);

        QVERIFY(model.rowCount() >= pricing.entries().size());
        QCOMPARE(model.checkedLabels(), rundefaults::kRoster);
        QVERIFY(!model.isExplicit());
        for (int i = 0; i < rundefaults::kRoster.size(); ++i)
            QCOMPARE(model.index(i, 0).data(ModelChoiceModel::LabelRole).toString(), rundefaults::kRoster[i]);

        const int gpt4o = model.rowOf(QStringLiteral("openai/gpt-4o"));
        const int claude = model.rowOf(QStringLiteral("anthropic/claude-3-5-sonnet-20240620"));
        const ModelPrice* price = pricing.find(QStringLiteral("openai/gpt-4o"));
        QVERIFY(price);
        QVERIFY(model.index(gpt4o, ModelChoiceModel::InputPrice).data().toString().startsWith(QLatin1Char('$')));
        QCOMPARE(model.index(gpt4o, ModelChoiceModel::InputPrice).data(ModelChoiceModel::SortRole).toDouble(),
            price->inputPerM());
        QCOMPARE(price->inputPerM(), 2.5); // today's gpt-4o price, not the legacy 5
        // Today's models are offered with the bundled table's prices, tiers included.
        for (const char* label : { "openai/gpt-5.1", "anthropic/claude-sonnet-4-5", "google/gemini-2.5-pro",
                 "google/gemini-3-pro-preview" }) {
            const int row = model.rowOf(QString::fromLatin1(label));
            QVERIFY2(row >= 0, label);
            QCOMPARE(model.index(row, ModelChoiceModel::OutputPrice).data(ModelChoiceModel::SortRole).toDouble(),
                pricing.find(QString::fromLatin1(label))->outputPerM());
        }
        const QString sonnetTip = model.index(model.rowOf(QStringLiteral("anthropic/claude-sonnet-4-5")), 0)
                                      .data(Qt::ToolTipRole)
                                      .toString();
        QVERIFY2(sonnetTip.contains(QLatin1String("cache write $3.75"))
                && sonnetTip.contains(QLatin1String("prompts above 200000 tokens: $6 input / $22.5 output")),
            qPrintable(sonnetTip));
        QCOMPARE(model.index(gpt4o, ModelChoiceModel::Access).data().toString(), QStringLiteral("key set"));
        QVERIFY(model.index(gpt4o, ModelChoiceModel::Access)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("DJP_TEST_LAUNCH_KEY")));
        QCOMPARE(model.index(claude, ModelChoiceModel::Access).data().toString(), QStringLiteral("simulated (no key)"));
        QVERIFY(model.index(claude, 0).data(ModelChoiceModel::SimulatedRole).toBool());

        // The key never appears in any role of any cell.
        for (int r = 0; r < model.rowCount(); ++r)
            for (int c = 0; c < model.columnCount(); ++c)
                for (int role : { int(Qt::DisplayRole), int(Qt::ToolTipRole), int(ModelChoiceModel::SortRole) })
                    QVERIFY(!model.index(r, c).data(role).toString().contains(QString::fromLatin1(secret)));

        model.setOffline(true);
        QCOMPARE(model.index(gpt4o, ModelChoiceModel::Access).data().toString(), QStringLiteral("simulated (offline)"));
        model.setOffline(false);

        QVERIFY(model.setData(model.index(claude, 0), Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(model.isExplicit());
        QCOMPARE(changed.count(), 1);
        QVERIFY(!model.checkedLabels().contains(QStringLiteral("anthropic/claude-3-5-sonnet-20240620")));

        QVERIFY(!model.addLabel(QStringLiteral("not a label")));
        QVERIFY(!model.addLabel(QStringLiteral("openai/gpt-4o"))); // already listed
        QVERIFY(model.addLabel(QStringLiteral("openai/llama3.1")));
        const int llama = model.rowOf(QStringLiteral("openai/llama3.1"));
        QCOMPARE(model.index(llama, ModelChoiceModel::OutputPrice).data().toString(), QStringLiteral("unpriced"));
        QVERIFY(!model.index(llama, 0).data(ModelChoiceModel::PricedRole).toBool());
        QVERIFY(model.checkedLabels().contains(QStringLiteral("openai/llama3.1")));

        model.setCheckedLabels({ QStringLiteral("google/gemini-1.5-flash"), QStringLiteral("zeta/new-model") });
        QCOMPARE(model.checkedLabels(),
            (QStringList { QStringLiteral("google/gemini-1.5-flash"), QStringLiteral("zeta/new-model") }));
        model.resetToDefault();
        QVERIFY(!model.isExplicit());
        QCOMPARE(model.checkedLabels(), rundefaults::kRoster);
        qunsetenv("DJP_TEST_LAUNCH_KEY");
    }

    void projectionModel()
    {
        RunRequest r;
        r.task = QStringLiteral("Compare two approaches");
        r.models = QStringList { QStringLiteral("openai/gpt-4o"), QStringLiteral("acme/unpriced-1") };
        r.budgetUsd = 1.0;
        PlanOptions options;
        options.loadCorpus = false;
        options.seed = 1;
        PlanResult planned = planRun(r, PricingTable::bundled(), options);
        QVERIFY2(planned.plan, qPrintable(planned.errors.join(QLatin1Char(';'))));
        auto plan = std::make_shared<const RunPlan>(*planned.plan);

        ProjectionModel stages(ProjectionModel::Part::Stages);
        ProjectionModel models(ProjectionModel::Part::Models);
        QAbstractItemModelTester t1(&stages, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&models, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(stages.rowCount(), 0);
        stages.setPlan(plan);
        models.setPlan(plan);
        QCOMPARE(stages.rowCount(), 4);
        QCOMPARE(stages.index(3, ProjectionModel::ExpectedUsd).data().toString(),
            formatUsd(plan->projection.total.expectedUsd));
        QCOMPARE(stages.index(3, ProjectionModel::WorstUsd).data(ProjectionModel::SortRole).toDouble(),
            plan->projection.total.worstUsd);
        QCOMPARE(stages.index(0, ProjectionModel::Calls).data().toInt(), 2);
        QVERIFY(stages.index(3, ProjectionModel::Item).data().toString().endsWith(QStringLiteral(" *"))); // incomplete
        QCOMPARE(models.rowCount(), static_cast<int>(plan->projection.byModel.size()));
        bool sawUnpriced = false;
        for (int i = 0; i < models.rowCount(); ++i)
            if (models.index(i, 0).data().toString() == QStringLiteral("acme/unpriced-1 *"))
                sawUnpriced = true;
        QVERIFY(sawUnpriced);
        stages.setPlan(nullptr);
        QCOMPARE(stages.rowCount(), 0);
    }

    void activeRunsFromEvents()
    {
        ActiveRunsModel runs;
        LiveCallsModel calls(&runs);
        QAbstractItemModelTester t1(&runs, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&calls, QAbstractItemModelTester::FailureReportingMode::QtTest);
        RunRequest req;
        req.task = QStringLiteral("  A   task\n with spaces ");
        req.preset = QStringLiteral("quick");
        runs.addRun(QStringLiteral("r1"), req, QStringLiteral("/tmp/x"));
        QCOMPARE(runs.rowCount(), 1);
        QCOMPARE(runs.index(0, ActiveRunsModel::Task).data().toString(), QStringLiteral("A task with spaces"));
        QCOMPARE(runs.index(0, ActiveRunsModel::Status).data().toString(), QStringLiteral("starting"));
        calls.setRun(QStringLiteral("r1"));

        const auto ev = [](RunEvent::Kind kind) {
            RunEvent e;
            e.kind = kind;
            e.runId = QStringLiteral("r1");
            return e;
        };
        RunEvent stage = ev(RunEvent::Kind::StageStarted);
        stage.stage = QStringLiteral("debate");
        runs.applyEvent(stage);
        QCOMPARE(runs.index(0, ActiveRunsModel::Status).data().toString(), QStringLiteral("debate…"));
        RunEvent started = ev(RunEvent::Kind::CallStarted);
        started.call.attempt.stage = QStringLiteral("debate");
        started.call.attempt.label = QStringLiteral("openai/gpt-4o");
        started.call.attempt.attempt = 1;
        started.call.attempt.status = QStringLiteral("running");
        runs.applyEvent(started);
        RunEvent started2 = started;
        started2.call.attempt.label = QStringLiteral("openai/gpt-4o-mini");
        runs.applyEvent(started2);
        QCOMPARE(calls.rowCount(), 2);
        QCOMPARE(calls.index(0, LiveCallsModel::Status).data().toString(), QStringLiteral("running"));
        QCOMPARE(calls.index(0, LiveCallsModel::Cost).data().toString(), QString());

        RunEvent done = ev(RunEvent::Kind::CallFinished);
        done.call.attempt = started2.call.attempt;
        done.call.attempt.status = QStringLiteral("ok");
        done.call.attempt.simulated = true;
        done.call.attempt.inputTokens = 100;
        done.call.attempt.outputTokens = 50;
        done.call.attempt.cacheReadTokens = 40;
        done.call.attempt.reasoningTokens = 20;
        done.call.attempt.latencyMs = 12;
        done.call.costUsd = 0.0012;
        runs.applyEvent(done);
        QCOMPARE(calls.rowCount(), 2); // updated in place, not appended
        // The usage buckets of the attempt, in the inspector's calls-table columns.
        QCOMPARE(calls.index(1, LiveCallsModel::TokensIn).data().toString(), formatCount(100));
        QCOMPARE(calls.index(1, LiveCallsModel::CacheRead).data().toString(), formatCount(40));
        QCOMPARE(calls.index(1, LiveCallsModel::TokensOut).data().toString(), formatCount(50));
        QCOMPARE(calls.index(1, LiveCallsModel::Reasoning).data().toString(), formatCount(20));
        QCOMPARE(calls.index(1, LiveCallsModel::Status).data().toString(), QStringLiteral("ok"));
        QCOMPARE(calls.index(1, LiveCallsModel::Cost).data().toString(),
            formatMoneyFixed(0.0012, CallsTableModel::kCostDecimals));
        QCOMPARE(calls.index(0, LiveCallsModel::TokensIn).data().toString(), QString()); // still in flight
        // Same columns and titles as the inspector's calls table.
        QCOMPARE(calls.columnCount(), int(CallsTableModel::ColumnCount));
        for (int c = 0; c < calls.columnCount(); ++c)
            QCOMPARE(calls.headerData(c, Qt::Horizontal), CallsTableModel::columnTitle(c, Qt::DisplayRole));
        QCOMPARE(calls.index(0, LiveCallsModel::Status).data().toString(), QStringLiteral("running"));
        QVERIFY(runs.index(0, ActiveRunsModel::Status).data().toString().contains(QStringLiteral("simulated")));

        // A failed attempt that may have been billed shows its held reservation.
        RunEvent heldEvent = ev(RunEvent::Kind::CallFinished);
        heldEvent.call.attempt = started.call.attempt;
        heldEvent.call.attempt.status = QStringLiteral("error");
        heldEvent.call.costUsd = 0.0;
        heldEvent.call.heldNano = 640'000;
        runs.applyEvent(heldEvent);
        QCOMPARE(calls.index(0, LiveCallsModel::Held).data().toString(),
            formatMoneyFixed(0.00064, CallsTableModel::kCostDecimals));
        QCOMPARE(calls.index(0, LiveCallsModel::Status).data(Qt::ForegroundRole).value<QBrush>().color(),
            QColor(0xdc, 0x35, 0x45)); // failed attempts stand out

        // A finished attempt that never started (e.g. circuit_open) is appended.
        RunEvent open = ev(RunEvent::Kind::CallFinished);
        open.call.attempt.stage = QStringLiteral("judge");
        open.call.attempt.label = QStringLiteral("openai/gpt-4o");
        open.call.attempt.status = QStringLiteral("circuit_open");
        runs.applyEvent(open);
        QCOMPARE(calls.rowCount(), 3);

        RunEvent spend = ev(RunEvent::Kind::SpendChanged);
        spend.spend.spentUsd = 0.0012;
        runs.applyEvent(spend);
        QCOMPARE(runs.index(0, ActiveRunsModel::Spent).data().toString(), formatUsd(0.0012));

        QSignalSpy finished(&runs, &ActiveRunsModel::runFinished);
        RunEvent fin = ev(RunEvent::Kind::Finished);
        auto outcome = std::make_shared<RunOutcome>();
        outcome->cancelled = true;
        outcome->status = QStringLiteral("none");
        outcome->measuredCostUsd = 0.0012;
        fin.outcome = outcome;
        runs.applyEvent(fin);
        QCOMPARE(finished.count(), 1);
        QVERIFY(runs.index(0, ActiveRunsModel::Status).data().toString().startsWith(QStringLiteral("cancelled")));
        QCOMPARE(runs.run(QStringLiteral("r1"))->state, RunProgress::State::Finished);

        // Switching the calls view to an unknown run empties it; events for unknown runs are ignored.
        calls.setRun(QStringLiteral("nope"));
        QCOMPARE(calls.rowCount(), 0);
        RunEvent other = started;
        other.runId = QStringLiteral("nope");
        runs.applyEvent(other);
        QCOMPARE(calls.rowCount(), 0);
    }

    void controllerKeepsRunsAcrossFolders()
    {
        const QString a = m_env.path(QStringLiteral("folderA"));
        const QString b = m_env.path(QStringLiteral("folderB"));
        EngineOptions slow = fastEngine();
        slow.hub.simulator.latencyMs = 400;
        LaunchController controller(slow);
        QAbstractItemModelTester tester(controller.runs(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy finished(&controller, &LaunchController::runFinished);
        QCOMPARE(controller.engine(), nullptr); // created at the first launch
        controller.setRunsDir(a);
        RunRequest r;
        r.task = QStringLiteral("Name two prime numbers.");
        r.offline = true;
        r.preset = QStringLiteral("quick");
        const QString first = controller.start(r);
        const RunEngine* engine = controller.engine();
        QVERIFY(engine);
        QCOMPARE(controller.inFlight(), 1);
        // The user opens another folder while the first run is in flight: the same engine takes the
        // next run, each run carrying its own folder.
        controller.setRunsDir(b);
        const QString second = controller.start(r);
        QCOMPARE(controller.engine(), engine);
        QCOMPARE(controller.inFlight(), 2);
        QCOMPARE(engine->activeRuns(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
        QCOMPARE(controller.inFlight(), 0);
        QCOMPARE(controller.engine(), engine);
        const RunProgress* p1 = controller.runs()->run(first);
        const RunProgress* p2 = controller.runs()->run(second);
        QVERIFY(p1 && p2 && p1->outcome && p2->outcome);
        QCOMPARE(QFileInfo(p1->outcome->artifactPath).absolutePath(), QDir(a).absolutePath());
        QCOMPARE(QFileInfo(p2->outcome->artifactPath).absolutePath(), QDir(b).absolutePath());
        QVERIFY(QFile::exists(p1->outcome->artifactPath));
        QVERIFY(QFile::exists(p2->outcome->artifactPath));
        QCOMPARE(QDir(a).entryList({ QStringLiteral("*.json") }, QDir::Files).size(), 1);
        QCOMPARE(QDir(b).entryList({ QStringLiteral("*.json") }, QDir::Files).size(), 1);
        QVERIFY(!p1->calls.empty());
        for (const CallRecord& c : p1->calls)
            QVERIFY(c.attempt.status != QLatin1String("running"));
        QCOMPARE(p1->stagesDone,
            (QStringList { QStringLiteral("debate"), QStringLiteral("judge"), QStringLiteral("publish") }));
    }

    // Closing the window with a run in flight: the controller (and its engine) goes at once, the run
    // is cancelled as if the user had asked, and its artifact (it made a call) is on disk, saying so.
    void destroyingTheControllerCancelsAndKeepsTheArtifact()
    {
        const QString dir = m_env.path(QStringLiteral("closing"));
        RunRequest r;
        r.task = QStringLiteral("A slow task");
        r.offline = true;
        {
            EngineOptions slow = fastEngine();
            slow.hub.simulator.latencyMs = 600000; // would outlive any test timeout if waited out
            LaunchController controller(slow);
            controller.setRunsDir(dir);
            QSignalSpy finished(&controller, &LaunchController::runFinished);
            const QString id = controller.start(r);
            QTRY_VERIFY_WITH_TIMEOUT(!controller.runs()->run(id)->calls.empty(), 10000); // a call is out
            QCOMPARE(finished.count(), 0);
            QCOMPARE(controller.inFlight(), 1);
        } // ~LaunchController -> ~RunEngine: cancel, let the run write its artifact, join the thread
        const QStringList written = QDir(dir).entryList({ QStringLiteral("*.json") }, QDir::Files);
        QCOMPARE(written.size(), 1);
        const Json doc = readJson(QDir(dir).filePath(written.first()));
        QVERIFY(doc.is_object());
        QCOMPARE(doc.at("publish").at("status").get<std::string>(), std::string("none"));
        QCOMPARE(doc.at("publish").at("reason").get<std::string>(), std::string("cancelled"));
        QVERIFY(!doc.at("calls").empty());
        // Nothing half-written is left behind: no temp file, no journal of an unfinished run.
        QCOMPARE(QDir(dir).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }

    void controllerCancel()
    {
        EngineOptions slow = fastEngine();
        slow.hub.simulator.latencyMs = 5000;
        LaunchController controller(slow);
        controller.setRunsDir(m_env.path(QStringLiteral("cancel")));
        QSignalSpy finished(&controller, &LaunchController::runFinished);
        RunRequest r;
        r.task = QStringLiteral("A slow task");
        r.offline = true;
        const QString id = controller.start(r);
        QTRY_VERIFY_WITH_TIMEOUT(!controller.runs()->run(id)->calls.empty(), 10000);
        QElapsedTimer clock;
        clock.start();
        controller.cancel(id);
        QVERIFY(controller.runs()->run(id)->cancelRequested);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QVERIFY(clock.elapsed() < 4000); // cancelled, not waited out
        const RunProgress* p = controller.runs()->run(id);
        QVERIFY(p->outcome && p->outcome->cancelled);
        QCOMPARE(p->statusText(), QStringLiteral("cancelled"));
    }

    void demoRunsOnEmptyFolder()
    {
        const QString dir = m_env.path(QStringLiteral("demo"));
        const std::vector<RunRequest> requests = demoRunRequests(QStringLiteral("/corpus"));
        QCOMPARE(requests.size(), size_t(6));
        QStringList presets;
        bool grounded = false;
        bool budget = false;
        for (const RunRequest& r : requests) {
            QVERIFY(r.offline.value_or(false));
            presets << r.preset.value_or(QString());
            grounded = grounded || r.groundedCorpus.has_value();
            budget = budget || r.budgetUsd.has_value();
        }
        for (const char* p : { "quick", "thorough", "research", "deterministic" })
            QVERIFY(presets.contains(QLatin1String(p)));
        QVERIFY(grounded && budget);

        LaunchController controller(fastEngine());
        controller.setRunsDir(dir);
        DemoRunner demo(&controller);
        QSignalSpy progress(&demo, &DemoRunner::progress);
        QSignalSpy finished(&demo, &DemoRunner::finished);
        QVERIFY(demo.start(m_env.path(QStringLiteral("demo-corpus"))));
        QVERIFY(!demo.start()); // once at a time
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 45000);
        QCOMPARE(finished.at(0).at(0).toInt(), 6);
        QCOMPARE(finished.at(0).at(1).toInt(), 6);
        QVERIFY(progress.count() >= 6);
        const QStringList files = artifactsIn(dir);
        QCOMPARE(files.size(), 6);
        int groundedRuns = 0;
        for (const QString& f : files) {
            const Json doc = readJson(f);
            QVERIFY2(doc.is_object(), qPrintable(f));
            QCOMPARE(doc.value("simulated", false), true);
            const Json& params = doc["run_metadata"]["parameters"];
            if (params.is_object() && params.contains("grounded_corpus") && params["grounded_corpus"].is_string()
                && !params["grounded_corpus"].get<std::string>().empty())
                ++groundedRuns;
        }
        QCOMPARE(groundedRuns, 1);
        QVERIFY(QFile::exists(m_env.path(QStringLiteral("demo-corpus/heat_pumps.md"))));

        // A demo is not a crisis: with the default alert thresholds nothing fires over the demo runs,
        // and the average cost keeps a margin below the $0.01 threshold.
        LoadOptions lo;
        lo.runsDir = dir;
        lo.useIndex = false;
        const LoadResult loaded = loadRuns(lo);
        QCOMPARE(loaded.records.size(), size_t(6));
        std::vector<int> all(loaded.records.size());
        std::iota(all.begin(), all.end(), 0);
        const AlertThresholds defaults;
        const AlertEvaluation alerts = evaluateAlerts(loaded.records, all, defaults);
        QVERIFY(alerts.enoughRuns);
        QStringList firing;
        for (const AlertCheck& c : alerts.firing())
            firing << alertMessage(c);
        QVERIFY2(firing.isEmpty(), qPrintable(firing.join(u'\n')));
        const Kpis k = computeKpis(loaded.records);
        QVERIFY2(k.avgCost < 0.8 * defaults.avgCost, qPrintable(QString::number(k.avgCost)));
        QCOMPARE(k.publishedRuns, 6);
    }
};

QTEST_MAIN(TestLaunchModels)
#include "tst_launchmodels.moc"
