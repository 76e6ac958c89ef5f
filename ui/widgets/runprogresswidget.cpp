#include "runprogresswidget.h"

#include "display/displayformat.h"
#include "display/tones.h"
#include "display/vocabularytext.h"
#include "models/activerunsmodel.h"
#include "models/livecallsmodel.h"
#include "pricing/money.h"
#include "session/launchcontroller.h"

#include <QDir>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace djp {

namespace {

const char* const kStages[3] = { "debate", "judge", "publish" };

QString statusColor(const QString& status)
{
    const std::optional<RunStatus> known = parseVocabulary<RunStatus>(status);
    if (known == RunStatus::Published)
        return tone::css(tone::good());
    if (known == RunStatus::AdvisoryOnly)
        return tone::css(tone::warningOnRows());
    return tone::css(tone::bad());
}

} // namespace

RunProgressWidget::RunProgressWidget(LaunchController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_runs(controller->runs())
    , m_calls(new LiveCallsModel(controller->runs(), this))
{
    setObjectName(QStringLiteral("runProgress"));
    m_title = new QLabel;
    m_title->setObjectName(QStringLiteral("runTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);

    auto* steps = new QHBoxLayout;
    const QString names[3] = { tr("Debate"), tr("Judge"), tr("Publish") };
    for (int i = 0; i < 3; ++i) {
        if (i > 0)
            steps->addWidget(new QLabel(QStringLiteral("→")));
        m_stageSteps[i] = new QLabel(names[i]);
        m_stageSteps[i]->setObjectName(QStringLiteral("step_%1").arg(QLatin1String(kStages[i])));
        steps->addWidget(m_stageSteps[i]);
    }
    steps->addSpacing(16);
    m_stage = new QLabel;
    m_stage->setObjectName(QStringLiteral("stageLabel"));
    m_stage->setTextFormat(Qt::PlainText);
    steps->addWidget(m_stage, 1);

    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(QStringLiteral("cancelRunButton"));
    m_cancel->setToolTip(tr("Stop this run (Ctrl+.): calls in flight are aborted, and the artifact records that it was "
                            "cancelled and what was spent"));
    steps->addWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (!m_runId.isEmpty())
            m_controller->cancel(m_runId);
    });

    m_spendBar = new QProgressBar;
    m_spendBar->setObjectName(QStringLiteral("spendBar"));
    m_spendBar->setRange(0, 1000);
    m_spendBar->setTextVisible(false);
    m_spendBar->setMaximumHeight(10);
    m_spendBar->setToolTip(tr("Spent plus reserved against the run's hard cap (min of max cost and budget USD)"));
    m_spend = new QLabel;
    m_spend->setObjectName(QStringLiteral("spendLabel"));
    m_spend->setTextFormat(Qt::PlainText);
    m_spend->setWordWrap(true);

    m_callsView = new QTableView;
    m_callsView->setAccessibleName(tr("Calls of the run in progress"));
    m_callsView->setObjectName(QStringLiteral("callsView"));
    m_callsView->setModel(m_calls);
    m_callsView->verticalHeader()->hide();
    m_callsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_callsView->setAlternatingRowColors(true);
    m_callsView->setShowGrid(false);
    m_callsView->setWordWrap(false);
    m_callsView->verticalHeader()->setDefaultSectionSize(m_callsView->fontMetrics().height() + 6);
    m_callsView->setMinimumHeight(m_callsView->verticalHeader()->defaultSectionSize() * 5);
    m_callsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_callsView->horizontalHeader()->setSectionResizeMode(LiveCallsModel::Label, QHeaderView::Stretch);
    // While a run is under way the cache and reasoning splits matter less than fitting the tab; the
    // Inspector shows every column of the finished run.
    for (int column :
        { LiveCallsModel::CacheRead, LiveCallsModel::CacheWrite, LiveCallsModel::Reasoning, LiveCallsModel::Usage })
        m_callsView->setColumnHidden(column, true);

    m_outcomeBox = new QGroupBox(tr("Outcome"));
    m_outcomeBox->setObjectName(QStringLiteral("outcomeBox"));
    m_outcome = new QLabel;
    m_outcome->setObjectName(QStringLiteral("outcomeLabel"));
    m_outcome->setTextFormat(Qt::RichText);
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_open = new QPushButton(tr("Open in Inspector"));
    m_open->setObjectName(QStringLiteral("openInspectorButton"));
    m_open->setToolTip(tr("Show this run's artifact in the Inspector tab"));
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (!m_artifactPath.isEmpty())
            Q_EMIT openArtifactRequested(m_artifactPath);
    });
    auto* outcomeLayout = new QHBoxLayout(m_outcomeBox);
    outcomeLayout->addWidget(m_outcome, 1);
    outcomeLayout->addWidget(m_open, 0, Qt::AlignBottom);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addLayout(steps);
    layout->addWidget(m_spendBar);
    layout->addWidget(m_spend);
    layout->addWidget(m_callsView, 1);
    layout->addWidget(m_outcomeBox);

    connect(m_runs, &ActiveRunsModel::runChanged, this, [this](const QString& id) {
        if (id == m_runId)
            refresh();
    });
    setRun({});
}

void RunProgressWidget::setRun(const QString& runId)
{
    m_runId = runId;
    m_calls->setRun(runId);
    refresh();
}

QString RunProgressWidget::stageText() const
{
    return m_stage->text();
}

QString RunProgressWidget::outcomeText() const
{
    return m_outcome->text();
}

void RunProgressWidget::refresh()
{
    const RunProgress* run = m_runId.isEmpty() ? nullptr : m_runs->run(m_runId);
    if (!run) {
        m_title->setText(tr("No run selected. Launch a run, or pick one in the list above."));
        m_stage->clear();
        for (QLabel* l : m_stageSteps)
            l->setEnabled(false);
        m_spendBar->hide();
        m_spend->clear();
        m_cancel->setEnabled(false);
        m_outcomeBox->hide();
        m_artifactPath.clear();
        return;
    }
    showRun(*run);
}

void RunProgressWidget::showRun(const RunProgress& run)
{
    m_title->setText(run.simulated() ? tr("%1 (simulated)").arg(run.task) : run.task);
    m_title->setToolTip(
        tr("Run %1 · preset %2 · folder %3").arg(run.runId, run.preset, QDir::toNativeSeparators(run.runsDir)));
    const bool finished = run.state == RunProgress::State::Finished;

    for (int i = 0; i < 3; ++i) {
        const QString name = QLatin1String(kStages[i]);
        const bool done = run.stagesDone.contains(name);
        const bool current = !finished && run.stage == name && !done;
        QLabel* l = m_stageSteps[i];
        l->setEnabled(done || current);
        QFont f = l->font();
        f.setBold(current);
        l->setFont(f);
        const QString base = i == 0 ? tr("Debate") : (i == 1 ? tr("Judge") : tr("Publish"));
        l->setText(done ? QStringLiteral("✓ ") + base : base);
    }

    // Calls finished / made so far, for the current stage.
    int stageCalls = 0;
    int stageDone = 0;
    for (const CallRecord& c : run.calls) {
        if (c.attempt.stage != run.stage)
            continue;
        ++stageCalls;
        if (!c.attempt.hasStatus(CallStatus::Running))
            ++stageDone;
    }
    if (finished)
        m_stage->setText(tr("Finished: %1").arg(run.statusText()));
    else if (run.stage.isEmpty())
        m_stage->setText(run.cancelRequested ? tr("Cancelling…") : tr("Planning…"));
    else
        m_stage->setText((run.cancelRequested ? tr("Cancelling — stage: %1 (%2 of %3 calls done)")
                                              : tr("Stage: %1 (%2 of %3 calls done)"))
                             .arg(run.stage)
                             .arg(stageDone)
                             .arg(stageCalls));
    m_cancel->setEnabled(!finished && !run.cancelRequested);

    // Spend against the cap, from the run's ledger (or its outcome once finished).
    const LedgerSnapshot& s = run.spend;
    const double spent = finished && run.outcome ? run.outcome->measuredCostUsd : s.spentUsd;
    QString spendText;
    if (s.capUsd) {
        const double fraction = *s.capUsd > 0 ? (spent + (finished ? 0.0 : s.reservedUsd)) / *s.capUsd : 1.0;
        m_spendBar->setValue(static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 1000));
        m_spendBar->show();
        spendText = finished ? tr("Spent %1 of cap %2").arg(formatUsd(spent), formatUsd(*s.capUsd))
                             : tr("Spent %1 + %2 reserved of cap %3")
                                   .arg(formatUsd(spent), formatUsd(s.reservedUsd), formatUsd(*s.capUsd));
    } else {
        m_spendBar->hide();
        spendText = finished ? tr("Spent %1 (no cap)").arg(formatUsd(spent))
                             : tr("Spent %1 + %2 reserved (no cap)").arg(formatUsd(spent), formatUsd(s.reservedUsd));
    }
    if (s.capTokens)
        spendText += tr(" · %1 of %2 tokens").arg(formatCount(s.spentTokens), formatCount(*s.capTokens));
    else
        spendText += tr(" · %1 tokens")
                         .arg(formatCount(finished && run.outcome ? run.outcome->measuredTokens : s.spentTokens));
    if (s.heldNano > 0)
        spendText += tr(" · %1 held for failed calls that may have been billed").arg(formatUsd(s.heldUsd));
    if (s.capExceeded)
        spendText += tr(" · cap exceeded by %1: a provider reported more than was reserved")
                         .arg(formatUsd(static_cast<double>(s.overrunNano) / 1e9));
    if (s.refused > 0)
        spendText += tr(" · %n call(s) not made for budget reasons", nullptr, s.refused);
    if (run.simulated())
        spendText += tr(" · simulated, not real spend");
    m_spend->setText(spendText);

    if (!finished || !run.outcome) {
        m_outcomeBox->hide();
        m_artifactPath.clear();
        return;
    }
    const RunOutcome& o = *run.outcome;
    m_artifactPath = o.artifactPath;
    QStringList rows;
    const auto row = [&rows](const QString& key, const QString& value) {
        rows << QStringLiteral("<tr><td style=\"padding-right:12px\"><b>%1</b></td><td>%2</td></tr>").arg(key, value);
    };
    const QString status = run.statusText();
    row(tr("Status"),
        QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>").arg(statusColor(o.status), status.toHtmlEscaped()));
    if (o.blocked && o.plan)
        row(tr("Why"), gateMessagesText(o.plan->gate).join(QStringLiteral("; ")).toHtmlEscaped());
    if (!o.provider.isEmpty())
        row(tr("Provider"), o.provider.toHtmlEscaped());
    if (!o.reason.isEmpty())
        row(tr("Reason"), o.reason.toHtmlEscaped());
    if (!o.judgeMethod.isEmpty())
        row(tr("Judge"), o.judgeMethod.toHtmlEscaped());
    if (!o.blocked)
        row(tr("Cost"),
            tr("%1%2, %3 tokens, %n call(s), %4", nullptr, o.calls)
                    .arg(formatUsd(o.measuredCostUsd), o.costComplete ? QString() : tr(" (incomplete: unpriced model)"),
                        formatCount(o.measuredTokens))
                    .arg(formatDurationSeconds(static_cast<double>(o.durationMs) / 1000.0))
                + (o.simulated ? tr(" · <i>simulated</i>") : QString()));
    if (o.stoppedEarly)
        row(tr("Stopped early"), o.stopReason.toHtmlEscaped());
    for (const QString& e : o.errors)
        row(tr("Error"),
            QStringLiteral("<span style=\"color:%1\">%2</span>").arg(tone::css(tone::bad()), e.toHtmlEscaped()));
    row(tr("Artifact"),
        o.artifactPath.isEmpty() ? tr("none written") : QDir::toNativeSeparators(o.artifactPath).toHtmlEscaped());
    m_outcome->setText(QStringLiteral("<table>%1</table>").arg(rows.join(QString())));
    m_open->setEnabled(!o.artifactPath.isEmpty());
    m_outcomeBox->show();
}

} // namespace djp
