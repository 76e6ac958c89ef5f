#include "launchpage.h"

#include "core/log.h"
#include "demoofferwidget.h"
#include "display/tones.h"
#include "display/vocabularytext.h"
#include "launchformwidget.h"
#include "messagebar.h"
#include "models/activerunsmodel.h"
#include "models/modelchoicemodel.h"
#include "pricing/money.h"
#include "projectionpanel.h"
#include "providers/providerregistry.h"
#include "runprogresswidget.h"
#include "session/demoruns.h"
#include "session/launchcontroller.h"
#include "session/runsession.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace djp {

LaunchPage::LaunchPage(RunSession* session, LaunchController* controller, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_controller(controller ? controller : new LaunchController({}, this))
    , m_demo(new DemoRunner(m_controller, this))
    , m_pricing(PricingTable::load())
    , m_models(new ModelChoiceModel(m_pricing, ProviderRegistry::loadDefault(), this))
    , m_debounce(new QTimer(this))
{
    setObjectName(QStringLiteral("launchPage"));
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kProjectionDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &LaunchPage::refreshProjection);

    m_projection = new ProjectionPanel;
    m_progress = new RunProgressWidget(m_controller);
    connect(m_progress, &RunProgressWidget::openArtifactRequested, this, &LaunchPage::openArtifactRequested);

    auto* formScroll = new QScrollArea;
    formScroll->setObjectName(QStringLiteral("launchFormScroll"));
    m_formWidget = new LaunchFormWidget(m_models);
    connect(m_formWidget, &LaunchFormWidget::changed, this, &LaunchPage::scheduleProjection);
    formScroll->setWidget(m_formWidget);
    formScroll->setWidgetResizable(true);
    formScroll->setFrameShape(QFrame::NoFrame);
    // As needed, not off: squeezed below its minimum the form scrolls instead of being cut.
    formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);

    auto* projectionScroll = new QScrollArea;
    projectionScroll->setWidget(m_projection);
    projectionScroll->setWidgetResizable(true);
    projectionScroll->setFrameShape(QFrame::NoFrame);

    auto* right = new QSplitter(Qt::Vertical);
    right->setObjectName(QStringLiteral("launchRightSplitter"));
    right->addWidget(projectionScroll);
    QWidget* runsArea = buildRunsArea();
    right->addWidget(runsArea);
    // Until something runs, the projection gets the whole column.
    runsArea->setVisible(m_controller->runs()->rowCount() > 0);
    connect(m_controller->runs(), &QAbstractItemModel::rowsInserted, runsArea, [runsArea] { runsArea->show(); });
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 1);
    right->setChildrenCollapsible(false);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(formScroll, 1);
    leftLayout->addWidget(buildLaunchBar());

    auto* split = new QSplitter(Qt::Horizontal);
    split->setObjectName(QStringLiteral("launchSplitter"));
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    // The form's natural width (plus its scroll bar); balanceColumns() shares the width out so that the
    // projection keeps a readable column down to 1024x700.
    m_formNaturalWidth = formScroll->widget()->minimumSizeHint().width()
        + formScroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 4;
    split->setSizes({ m_formNaturalWidth, std::max(600, 1200 - m_formNaturalWidth) });
    m_split = split;
    split->installEventFilter(this);
    connect(split, &QSplitter::splitterMoved, this, [this] { m_userSplit = true; });
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    m_demoOffer = new DemoOfferWidget;
    connect(m_demoOffer, &DemoOfferWidget::createRequested, this, &LaunchPage::createDemoRuns);
    m_demoOffer->hide();
    layout->addWidget(m_demoOffer);
    layout->addWidget(split, 1);

    // The run folder follows the session; runs in flight keep their folder (LaunchController).
    m_controller->setRunsDir(m_session->runsDir());
    connect(m_session, &RunSession::runsDirChanged, this, [this](const QString& dir) {
        m_controller->setRunsDir(dir);
        m_folderLoaded = false; // no offer before the new folder was read: it may well have runs
        updateDemoOffer();
    });
    // A team history receives every run launched here, after its artifact is written locally.
    connect(m_session, &RunSession::sourceChanged, this, [this] {
        m_controller->setTeamPush(m_session->teamPusher());
        updateDemoOffer();
    });
    m_controller->setTeamPush(m_session->teamPusher());
    connect(m_session, &RunSession::loadFinished, this, [this] {
        m_folderLoaded = true;
        updateDemoOffer();
    });
    connect(m_session, &RunSession::recordsChanged, this, &LaunchPage::updateDemoOffer);
    connect(m_session, &RunSession::problemsChanged, this, &LaunchPage::updateDemoOffer);
    connect(m_demo, &DemoRunner::progress, this, [this](int done, int total) {
        m_demoOffer->setProgressText(tr("Creating demo runs: %1 of %2 finished…").arg(done).arg(total));
        updateDemoOffer();
    });
    connect(m_demo, &DemoRunner::finished, this, &LaunchPage::onDemoFinished);

    m_formWidget->clearPreset();
    refreshProjection();
    updateDemoOffer();
}

LaunchPage::~LaunchPage() = default;

// ---------------------------------------------------------------------------------------------
// Building

QWidget* LaunchPage::buildLaunchBar()
{
    // Outside the form's scroll area: Launch and its reason stay visible whatever the form's scroll.
    auto* bar = new QWidget;
    bar->setObjectName(QStringLiteral("launchBar"));
    auto* layout = new QVBoxLayout(bar);
    layout->setContentsMargins(0, 6, 8, 0);
    auto* launchRow = new QHBoxLayout;
    m_launch = new QPushButton(tr("Launch"));
    m_launch->setObjectName(QStringLiteral("launchButton"));
    m_launch->setDefault(true);
    m_launch->setToolTip(tr("Start the run (Ctrl+R on this tab). Disabled, with the reason, while the task is empty "
                            "or the budget gate blocks the projected cost."));
    QFont lf = m_launch->font();
    lf.setBold(true);
    m_launch->setFont(lf);
    m_launch->setMinimumWidth(120);
    connect(m_launch, &QPushButton::clicked, this, &LaunchPage::launch);
    m_launchReason = new QLabel;
    m_launchReason->setObjectName(QStringLiteral("launchReason"));
    m_launchReason->setWordWrap(true);
    m_launchReason->setTextFormat(Qt::RichText);
    launchRow->addWidget(m_launch, 0, Qt::AlignTop);
    launchRow->addWidget(m_launchReason, 1);
    m_simulatedNote = new QLabel;
    m_simulatedNote->setObjectName(QStringLiteral("simulatedNote"));
    m_simulatedNote->setWordWrap(true);
    m_simulatedNote->setTextFormat(Qt::PlainText);
    layout->addLayout(launchRow);
    layout->addWidget(m_simulatedNote);
    return bar;
}

QWidget* LaunchPage::buildRunsArea()
{
    auto* area = new QWidget;
    auto* layout = new QVBoxLayout(area);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(LaunchFormWidget::sectionTitle(tr("Runs from this window")));
    m_runsList = new QTableView;
    m_runsList->setAccessibleName(tr("Runs started from this window"));
    m_runsList->setObjectName(QStringLiteral("runsList"));
    m_runsList->setModel(m_controller->runs());
    m_runsList->verticalHeader()->hide();
    m_runsList->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runsList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runsList->setShowGrid(false);
    m_runsList->setAlternatingRowColors(true);
    m_runsList->setWordWrap(false);
    m_runsList->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_runsList->horizontalHeader()->setSectionResizeMode(ActiveRunsModel::Task, QHeaderView::Stretch);
    m_runsList->verticalHeader()->setDefaultSectionSize(m_runsList->fontMetrics().height() + 6);
    m_runsList->setMaximumHeight(m_runsList->verticalHeader()->defaultSectionSize() * 5 + 28);
    m_runsList->setToolTip(tr("Runs started here (this session). Select one to follow it; all runs of the folder are "
                              "in the Runs tab"));
    connect(m_runsList->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            m_progress->setRun(
                current.isValid() ? current.siblingAtColumn(0).data(ActiveRunsModel::RunIdRole).toString() : QString());
        });
    connect(m_controller, &LaunchController::runStarted, this, [this](const QString& runId) {
        // Show the first run started (e.g. a demo run) when nothing is shown; launch() selects its own run.
        if (!m_progress->runId().isEmpty())
            return;
        const int row = m_controller->runs()->rowOf(runId);
        m_runsList->selectionModel()->setCurrentIndex(
            m_controller->runs()->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    });
    layout->addWidget(m_runsList);
    layout->addWidget(m_progress, 1);
    return area;
}

// ---------------------------------------------------------------------------------------------
// Request, projection, launch

const LaunchForm& LaunchPage::form() const
{
    return m_formWidget->form();
}

RunRequest LaunchPage::request(QStringList* errors) const
{
    return m_formWidget->request(errors);
}

void LaunchPage::scheduleProjection()
{
    m_debounce->start();
}

void LaunchPage::refreshProjection()
{
    m_debounce->stop();
    QStringList errors;
    RunRequest r = request(&errors);
    m_taskEmpty = r.task.isEmpty();
    if (m_taskEmpty)
        r.task = tr("(no task yet)"); // plan anyway, so the projection is visible while typing
    m_plan.reset();
    if (errors.isEmpty()) {
        PlanOptions options;
        options.loadCorpus = false; // never read the disk here; the run reads the corpus itself
        options.seed = 0; // a fixed seed: the projection does not depend on it, and no random draw is needed
        QElapsedTimer clock;
        clock.start();
        PlanResult planned = planRun(r, m_pricing, options);
        m_lastPlanMicros = clock.nsecsElapsed() / 1000;
        m_maxPlanMicros = std::max(m_maxPlanMicros, m_lastPlanMicros);
        if (planned.plan)
            m_plan = std::make_shared<const RunPlan>(std::move(*planned.plan));
        else
            errors = planned.errors;
    }
    m_planErrors = errors;
    QHash<QString, QString> dropped;
    if (m_plan)
        for (const DroppedDebater& d : m_plan->selection.dropped)
            dropped.insert(d.label, d.detail);
    m_models->setDroppedByBudget(dropped);
    if (m_plan)
        m_projection->setPlan(m_plan, m_lastPlanMicros);
    else
        m_projection->setErrors(errors);
    updateLaunchState();
    Q_EMIT projectionUpdated();
}

QString LaunchPage::blockedReason() const
{
    if (m_taskEmpty)
        return tr("Enter a task to launch a run.");
    if (!m_planErrors.isEmpty())
        return m_planErrors.join(QLatin1Char('\n'));
    if (!m_plan)
        return tr("The run could not be planned.");
    if (m_plan->blocked()) {
        QStringList blocked;
        for (const GateCheck& c : m_plan->gate.checks)
            if (c.status == GateStatus::Blocked)
                blocked << gateCheckText(c);
        return blocked.isEmpty() ? gateMessagesText(m_plan->gate).join(QLatin1Char('\n'))
                                 : blocked.join(QLatin1Char('\n'));
    }
    return {};
}

bool LaunchPage::canLaunch() const
{
    return blockedReason().isEmpty();
}

void LaunchPage::updateLaunchState()
{
    const QString reason = blockedReason();
    m_launch->setEnabled(reason.isEmpty());
    if (!reason.isEmpty()) {
        const bool gate = m_plan && m_plan->blocked() && !m_taskEmpty;
        m_launchReason->setText(
            QStringLiteral("<span style=\"color:%1\">%2</span>")
                .arg(gate || !m_planErrors.isEmpty() ? tone::css(tone::bad()) : QStringLiteral("gray"),
                    reason.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"))));
    } else if (m_plan && m_plan->gate.status == GateStatus::Warning) {
        QStringList warnings;
        for (const GateCheck& c : m_plan->gate.checks)
            if (c.status == GateStatus::Warning)
                warnings << gateCheckText(c).toHtmlEscaped();
        m_launchReason->setText(QStringLiteral("<span style=\"color:%1\">%2</span>")
                                    .arg(tone::css(tone::warningOnRows()), warnings.join(QStringLiteral("<br>"))));
    } else if (m_plan) {
        m_launchReason->setText(
            tr("Ready: %n debater(s), expected %1", nullptr, static_cast<int>(m_plan->config.debaters.size()))
                .arg(formatUsd(m_plan->projection.total.expectedUsd)));
    }

    // Which calls of this plan will be simulated (no key, or offline).
    if (m_plan) {
        QStringList simulated;
        QStringList labels = m_plan->config.debaters;
        labels << m_plan->config.judgeModel;
        labels.removeDuplicates();
        for (const QString& l : labels)
            if (m_models->route(l).simulated)
                simulated << l;
        if (simulated.isEmpty())
            m_simulatedNote->clear();
        else if (simulated.size() == labels.size())
            m_simulatedNote->setText(m_formWidget->isOffline()
                    ? tr("Offline: every call is simulated; the run is marked simulated and costs nothing real.")
                    : tr("No API key is set for these models: every call will be simulated (marked simulated). Set "
                         "OPENAI_API_KEY / ANTHROPIC_API_KEY / GEMINI_API_KEY to call real models."));
        else
            m_simulatedNote->setText(tr("Simulated (no key): %1").arg(simulated.join(QStringLiteral(", "))));
    } else {
        m_simulatedNote->clear();
    }
}

bool LaunchPage::eventFilter(QObject* watched, QEvent* event)
{
    // Queued: the filter sees the Resize before QSplitter has shared out the new width by its stretch
    // factors; the balance must come after that.
    if (watched == m_split && event->type() == QEvent::Resize)
        QMetaObject::invokeMethod(this, &LaunchPage::balanceColumns, Qt::QueuedConnection);
    return QWidget::eventFilter(watched, event);
}

void LaunchPage::balanceColumns()
{
    // The form takes its natural width when there is room; below that it gives way to the projection
    // down to kMinFormWidth, so the projection keeps kMinProjectionWidth. A position the user dragged
    // is kept unless it would leave the projection narrower than that.
    const QList<int> sizes = m_split->sizes();
    if (sizes.size() != 2)
        return;
    const int total = sizes[0] + sizes[1];
    if (total <= 0)
        return;
    // Untouched, the form takes 45% (its editors grow with it), at least its natural width, at most
    // kMaxFormWidth; the projection gets the rest.
    int form = m_userSplit
        ? sizes[0]
        : std::clamp(static_cast<int>(total * 0.45), std::min(m_formNaturalWidth, kMaxFormWidth), kMaxFormWidth);
    if (total - form < kMinProjectionWidth)
        form = total - kMinProjectionWidth;
    form = std::max(form, std::min(kMinFormWidth, total / 2));
    if (form != sizes[0])
        m_split->setSizes({ form, total - form });
}

void LaunchPage::focusTask()
{
    m_formWidget->focusTask();
}

QString LaunchPage::launch()
{
    if (m_debounce->isActive() || !m_plan)
        refreshProjection(); // a change is pending: gate on the form as it is now
    if (!canLaunch())
        return {};
    QStringList errors;
    const RunRequest r = request(&errors);
    if (!errors.isEmpty())
        return {};
    const QString runId = m_controller->start(r);
    const int row = m_controller->runs()->rowOf(runId);
    m_runsList->selectionModel()->setCurrentIndex(
        m_controller->runs()->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateDemoOffer();
    Q_EMIT runLaunched(runId);
    return runId;
}

// ---------------------------------------------------------------------------------------------
// First-run demo

bool LaunchPage::isDemoOfferVisible() const
{
    return !m_demoOffer->isHidden();
}

void LaunchPage::createDemoRuns()
{
    if (m_demo->isRunning())
        return;
    m_controller->setRunsDir(m_session->runsDir());
    if (m_demo->start()) {
        m_demoOffer->setCreateEnabled(false);
        m_demoOffer->setProgressText(tr("Preparing demo runs…"));
        if (m_messageBar)
            m_messageBar->showMessage(tr("Creating simulated demo runs in %1…")
                                          .arg(QDir::toNativeSeparators(m_session->runsDir()).toHtmlEscaped()),
                MessageBar::Level::Info);
        updateDemoOffer();
    }
}

void LaunchPage::onDemoFinished(int artifacts, int total)
{
    m_demoArtifacts = artifacts;
    m_demoOffer->setCreateEnabled(true);
    m_demoOffer->setProgressText(tr("%1 of %n demo run(s) written.", nullptr, total).arg(artifacts));
    m_demoNoticePending = true;
    m_session->reload(); // the watcher would notice too; this makes it immediate
    updateDemoOffer();
}

void LaunchPage::updateDemoOffer()
{
    const bool empty = m_folderLoaded && !m_session->isTeamHistory() && !m_session->isLoading() && m_session->view()
        && m_session->totalLoaded() == 0 && m_session->problemCount() == 0 && !m_session->runsDir().isEmpty();
    // Once a run was launched from here the folder is no longer "first run", even before its artifact lands.
    const bool show = m_demo->isRunning() || (empty && m_controller->runs()->rowCount() == 0);
    const QString folder = QDir::toNativeSeparators(m_session->runsDir()).toHtmlEscaped();
    m_demoOffer->setFolder(QDir::toNativeSeparators(m_session->runsDir()));
    m_demoOffer->setVisible(show);

    if (!m_messageBar)
        return;
    if (m_demoNoticePending && !m_demo->isRunning() && m_session->totalLoaded() > 0) {
        m_demoNoticePending = false;
        m_messageBar->showMessage(
            tr("Created %1 simulated demo runs in %2. They are marked simulated; delete them from "
               "the folder when you no longer need them.")
                .arg(m_demoArtifacts)
                .arg(folder),
            MessageBar::Level::Info);
    } else if (show && !m_demo->isRunning()) {
        m_messageBar->showMessage(tr("No runs in %1 yet. <a href=\"demo\">Create demo runs</a> (simulated, no cost) or "
                                     "<a href=\"launch\">launch a run</a>. Real providers need OPENAI_API_KEY, "
                                     "ANTHROPIC_API_KEY or GEMINI_API_KEY (environment or .env).")
                                      .arg(folder),
            MessageBar::Level::Info);
    }
}

void LaunchPage::setMessageBar(MessageBar* bar)
{
    m_messageBar = bar;
    connect(bar, &MessageBar::linkActivated, this, [this](const QString& link) {
        if (link == QLatin1String("demo"))
            createDemoRuns();
    });
    updateDemoOffer();
}

} // namespace djp
