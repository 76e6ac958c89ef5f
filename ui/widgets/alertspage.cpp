#include "alertspage.h"
#include "session/secretstore.h"

#include "core/strings.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "metrics/alertstate.h"
#include "metrics/runfilter.h"
#include "models/alertmodels.h"
#include "session/alertmonitor.h"
#include "session/runsession.h"
#include "session/settings.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace djp {

namespace {

// Elides in the middle, so a long folder path keeps its last part (the folder's own name).
class MiddleElidingDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideMiddle;
    }
};

bool isRateRule(AlertRule rule)
{
    return rule != AlertRule::AvgCost;
}

// Labels that show text we did not write (folder names, server replies) never interpret markup.
QLabel* plainLabel(const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    return label;
}

QString windowPhrase(const QString& window)
{
    return window == QLatin1String("all") ? QObject::tr("all time") : QObject::tr("the last %1").arg(window);
}

} // namespace

AlertsPage::AlertsPage(RunSession* session, Settings* settings, QWidget* parent, SecretStore* secrets)
    : QWidget(parent)
    , m_session(session)
    , m_settings(settings)
    , m_secrets(secrets ? secrets : new SecretStore(this))
    , m_monitor(new AlertMonitor(session, this))
{
    setObjectName(QStringLiteral("alertsPage"));
    m_configDebounce = new QTimer(this);
    m_configDebounce->setSingleShot(true);
    m_configDebounce->setInterval(kConfigDebounceMs);
    connect(m_configDebounce, &QTimer::timeout, this, &AlertsPage::evaluateNow);

    buildUi();
    loadConfigIntoWidgets();
    m_monitor->setConfig(configFromWidgets());
    showStoredWebhook();
    loadStoredWebhook();
    connect(m_secrets, &SecretStore::fallbackChanged, this, &AlertsPage::showStoredWebhook);
    updateRuleTooltips();
    updateScope();
    updateStatus();
    updateHistorySource();

    connect(m_session, &RunSession::runsDirChanged, this, &AlertsPage::updateScope);
    connect(m_session, &RunSession::sourceChanged, this, &AlertsPage::updateScope);
    connect(m_monitor, &AlertMonitor::evaluationStarted, this, &AlertsPage::updateStatus);
    connect(m_monitor, &AlertMonitor::evaluated, this, &AlertsPage::updateStatus);
    connect(m_monitor, &AlertMonitor::alertsRaised, this, &AlertsPage::onAlertsRaised);
    connect(m_monitor, &AlertMonitor::firingChanged, this, [this](int count, bool) {
        if (count == 0)
            m_banner->hide(); // nothing firing any more: the banner would be stale
        else
            refreshBanner();
    });
    connect(m_monitor, &AlertMonitor::deliveryStarted, this, [this] {
        m_deliveryText = tr("Sending to the webhook…");
        updateStatus();
    });
    connect(m_monitor, &AlertMonitor::deliveryFinished, this, [this](bool ok, const QString&) {
        m_deliveryText = ok ? tr("Webhook notified.") : tr("Webhook delivery failed (see the history).");
        updateStatus();
    });
    connect(m_banner, &MessageBar::linkActivated, this, [this](const QString& link) {
        if (link == QLatin1String("history"))
            m_historyView->setFocus();
    });
}

AlertsPage::~AlertsPage() = default;

void AlertsPage::buildUi()
{
    m_banner = new MessageBar(this);
    m_banner->setObjectName(QStringLiteral("alertBanner"));

    // ---- rules ----
    auto* rulesBox = new QGroupBox(tr("Rules"), this);
    auto* rulesForm = new QFormLayout(rulesBox);
    for (AlertRule rule : kAllAlertRules) {
        auto* spin = new QDoubleSpinBox(rulesBox);
        spin->setObjectName(QStringLiteral("alertThreshold_") + alertRuleId(rule));
        spin->setKeyboardTracking(false); // apply on Enter / focus out, not on every digit
        if (isRateRule(rule)) {
            spin->setRange(0.0, 100.0);
            spin->setDecimals(1);
            spin->setSingleStep(1.0);
            spin->setSuffix(QStringLiteral(" %"));
        } else {
            spin->setRange(0.0, 1000.0);
            spin->setDecimals(4);
            spin->setSingleStep(0.001);
            spin->setPrefix(QStringLiteral("$ "));
        }
        const QString label = rule == AlertRule::GroundedCitationSuccess ? tr("%1 below").arg(alertRuleTitle(rule))
                                                                         : tr("%1 above").arg(alertRuleTitle(rule));
        rulesForm->addRow(label, spin);
        spin->setAccessibleName(label);
        m_thresholds[rule] = spin;
        connect(spin, &QDoubleSpinBox::valueChanged, this, &AlertsPage::onConfigEdited);
    }

    m_window = new QComboBox(rulesBox);
    m_window->setObjectName(QStringLiteral("alertWindow"));
    m_window->setEditable(true);
    m_window->setInsertPolicy(QComboBox::NoInsert);
    m_window->addItems({ QStringLiteral("24h"), QStringLiteral("7d"), QStringLiteral("30d"), QStringLiteral("90d"),
        QStringLiteral("all") });
    m_window->setToolTip(tr("Rules look at the runs of this window, ending now: 24h, 7d, 30d, or type your own "
                            "such as 12h, 3w or 90d (hours are hours), or all."));
    connect(m_window, &QComboBox::currentTextChanged, this, &AlertsPage::onConfigEdited);
    rulesForm->addRow(tr("Window"), m_window);
    m_window->setAccessibleName(tr("Alert window"));
    m_windowHint = plainLabel(QStringLiteral("alertWindowHint"), rulesBox);
    m_windowHint->hide();
    rulesForm->addRow(QString(), m_windowHint);

    m_minRuns = new QSpinBox(rulesBox);
    m_minRuns->setObjectName(QStringLiteral("alertMinRuns"));
    m_minRuns->setRange(1, 1000000);
    m_minRuns->setKeyboardTracking(false);
    m_minRuns->setToolTip(tr("Rules are evaluated only when the window holds at least this many runs, so a few "
                             "early runs do not raise alerts."));
    connect(m_minRuns, &QSpinBox::valueChanged, this, &AlertsPage::onConfigEdited);
    rulesForm->addRow(tr("Minimum runs"), m_minRuns);
    m_minRuns->setAccessibleName(tr("Minimum runs"));

    auto* reset = new QPushButton(tr("Reset to Defaults"), rulesBox);
    reset->setObjectName(QStringLiteral("alertResetDefaults"));
    reset->setToolTip(tr("The legacy thresholds: advisory 30%, cost $0.01, failure 20%, redacted 10%, grounded "
                         "success 60%; window 7d; at least 5 runs"));
    connect(reset, &QPushButton::clicked, this, &AlertsPage::resetToDefaults);
    rulesForm->addRow(QString(), reset);

    // ---- webhook ----
    auto* hookBox = new QGroupBox(tr("Webhook"), this);
    auto* hookLayout = new QVBoxLayout(hookBox);
    m_webhookEdit = new QLineEdit(hookBox);
    m_webhookEdit->setObjectName(QStringLiteral("alertWebhookUrl"));
    m_webhookEdit->setClearButtonEnabled(true);
    m_webhookEdit->setAccessibleName(tr("Webhook URL"));
    m_webhookEdit->installEventFilter(this);
    connect(m_webhookEdit, &QLineEdit::returnPressed, this, &AlertsPage::commitWebhook);
    m_webhookChange = new QPushButton(tr("Change…"), hookBox);
    m_webhookChange->setObjectName(QStringLiteral("alertWebhookChange"));
    m_webhookChange->setToolTip(tr("Replace the webhook URL (the current one is kept until you press Enter)"));
    connect(m_webhookChange, &QPushButton::clicked, this, &AlertsPage::startChangingWebhook);
    m_webhookRemove = new QPushButton(tr("Remove"), hookBox);
    m_webhookRemove->setObjectName(QStringLiteral("alertWebhookRemove"));
    m_webhookRemove->setToolTip(tr("Stop sending alerts to a webhook"));
    connect(m_webhookRemove, &QPushButton::clicked, this, &AlertsPage::removeWebhook);
    auto* hookButtons = new QHBoxLayout;
    hookButtons->addStretch(1);
    hookButtons->addWidget(m_webhookChange);
    hookButtons->addWidget(m_webhookRemove);
    m_webhookHint = plainLabel(QStringLiteral("alertWebhookHint"), hookBox);
    hookLayout->addWidget(m_webhookEdit);
    hookLayout->addLayout(hookButtons);
    hookLayout->addWidget(m_webhookHint);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(rulesBox);
    leftLayout->addWidget(hookBox);
    leftLayout->addStretch(1);
    auto* leftScroll = new QScrollArea(this);
    leftScroll->setObjectName(QStringLiteral("alertConfigScroll"));
    leftScroll->setWidget(left);
    leftScroll->setWidgetResizable(true);
    leftScroll->setFrameShape(QFrame::NoFrame);
    leftScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    leftScroll->setMinimumWidth(left->sizeHint().width() + 24);
    leftScroll->setMaximumWidth(460);

    // ---- results and history ----
    m_evaluateAction = new QAction(tr("Evaluate Alerts Now"), this);
    m_evaluateAction->setObjectName(QStringLiteral("alertEvaluateAction"));
    m_evaluateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_evaluateAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_evaluateAction, &QAction::triggered, this, &AlertsPage::evaluateNow);
    addAction(m_evaluateAction);
    m_evaluateButton = new QPushButton(tr("Evaluate Now"), this);
    m_evaluateButton->setObjectName(QStringLiteral("alertEvaluate"));
    m_evaluateButton->setToolTip(tr("Evaluate the rules over the runs folder now (%1)")
                                     .arg(m_evaluateAction->shortcut().toString(QKeySequence::NativeText)));
    m_evaluateButton->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    connect(m_evaluateButton, &QPushButton::clicked, this, &AlertsPage::evaluateNow);
    m_status = plainLabel(QStringLiteral("alertStatus"), this);
    auto* top = new QHBoxLayout;
    top->addWidget(m_evaluateButton, 0, Qt::AlignTop);
    top->addWidget(m_status, 1);

    m_scope = plainLabel(QStringLiteral("alertScope"), this);
    QPalette muted = m_scope->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_scope->setPalette(muted);

    m_resultsView = new QTableView(this);
    m_resultsView->setAccessibleName(tr("Alert rule results"));
    m_resultsView->setObjectName(QStringLiteral("alertResults"));
    m_resultsView->setModel(m_monitor->resultsModel());
    m_resultsView->verticalHeader()->hide();
    m_resultsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_resultsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_resultsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_resultsView->setWordWrap(false);
    m_resultsView->setAlternatingRowColors(true);
    // Rule and severity share what value and threshold leave (elided, full text in their tooltips), so
    // every column stays in view at 1024 px; no horizontal scroll bar, which would also hide the fifth row.
    m_resultsView->horizontalHeader()->setStretchLastSection(false);
    m_resultsView->horizontalHeader()->setSectionResizeMode(AlertResultsModel::Rule, QHeaderView::Stretch);
    m_resultsView->horizontalHeader()->setSectionResizeMode(AlertResultsModel::Status, QHeaderView::Stretch);
    m_resultsView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_resultsView->horizontalHeader()->setSectionResizeMode(AlertResultsModel::Value, QHeaderView::ResizeToContents);
    m_resultsView->horizontalHeader()->setSectionResizeMode(
        AlertResultsModel::Threshold, QHeaderView::ResizeToContents);
    m_resultsView->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    {
        // Exactly five rows: size the table to them, the history takes the rest.
        const int rows = m_monitor->resultsModel()->rowCount();
        const int h = m_resultsView->horizontalHeader()->sizeHint().height()
            + rows * m_resultsView->verticalHeader()->defaultSectionSize() + 2 * m_resultsView->frameWidth() + 2;
        m_resultsView->setFixedHeight(h);
    }

    m_historyView = new QTableView(this);
    m_historyView->setAccessibleName(tr("Alert history"));
    m_historyView->setObjectName(QStringLiteral("alertHistory"));
    m_historyView->setModel(m_monitor->historyModel());
    m_historyView->verticalHeader()->hide();
    m_historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_historyView->setWordWrap(false);
    m_historyView->setAlternatingRowColors(true);
    m_historyView->horizontalHeader()->setStretchLastSection(true);
    {
        // Fixed widths from the widest texts these columns can hold: the view starts empty, so
        // sizing to contents would size to the header only.
        const QFontMetrics fm(m_historyView->font());
        const int pad = 2 * fm.horizontalAdvance(QLatin1Char('M'));
        m_historyView->setColumnWidth(
            AlertHistoryModel::Time, fm.horizontalAdvance(QStringLiteral("2088-88-88 88:88:88")) + pad);
        int event = 0;
        for (const QString& t :
            { tr("Fired (critical)"), tr("Fired (warning)"), tr("Webhook failed"), tr("Webhook sent"), tr("Resolved") })
            event = std::max(event, fm.horizontalAdvance(t));
        m_historyView->setColumnWidth(AlertHistoryModel::Event, event + pad);
        // Paths are long: a fixed share, elided in the middle (the folder name stays), full in the tooltip.
        m_historyView->setColumnWidth(AlertHistoryModel::Source, fm.horizontalAdvance(QLatin1Char('M')) * 14);
        m_historyView->setItemDelegateForColumn(AlertHistoryModel::Source, new MiddleElidingDelegate(m_historyView));
    }
    AlertHistoryModel* history = m_monitor->historyModel();
    connect(history, &QAbstractItemModel::rowsInserted, this, &AlertsPage::updateHistorySource);
    connect(history, &QAbstractItemModel::rowsRemoved, this, &AlertsPage::updateHistorySource);
    connect(history, &QAbstractItemModel::modelReset, this, &AlertsPage::updateHistorySource);

    auto* resultsTitle = new QLabel(tr("<b>Last results</b>"), this);
    auto* historyTitle = new QLabel(this);
    m_historyTitle = historyTitle;
    historyTitle->setObjectName(QStringLiteral("alertHistoryTitle"));
    historyTitle->setWordWrap(true); // a long folder name wraps instead of widening the window
    auto* right = new QVBoxLayout;
    right->addLayout(top);
    right->addWidget(m_scope);
    right->addSpacing(4);
    right->addWidget(resultsTitle);
    right->addWidget(m_resultsView);
    right->addSpacing(4);
    right->addWidget(historyTitle);
    right->addWidget(m_historyView, 1);

    auto* body = new QHBoxLayout;
    body->addWidget(leftScroll);
    body->addLayout(right, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(body, 1);
}

void AlertsPage::loadConfigIntoWidgets()
{
    const AlertConfig config = loadAlertConfig(*m_settings);
    m_loadingWidgets = true;
    for (auto& [rule, spin] : m_thresholds) {
        const double v = thresholdFor(config.thresholds, rule);
        spin->setValue(isRateRule(rule) ? v * 100.0 : v);
    }
    m_minRuns->setValue(config.thresholds.minRuns);
    m_window->setCurrentText(config.window);
    m_loadingWidgets = false;
}

AlertConfig AlertsPage::configFromWidgets() const
{
    AlertConfig config;
    for (const auto& [rule, spin] : m_thresholds)
        setThresholdFor(config.thresholds, rule, isRateRule(rule) ? spin->value() / 100.0 : spin->value());
    config.thresholds.minRuns = m_minRuns->value();
    config.window = m_window->currentText().trimmed().toLower();
    return config;
}

void AlertsPage::onConfigEdited()
{
    if (m_loadingWidgets)
        return;
    const AlertConfig config = configFromWidgets();
    QString error;
    if (!m_monitor->setConfig(config, &error)) {
        m_windowHint->setText(tr("“%1” is not a window: use e.g. 24h, 7d, 3w or all.").arg(config.window));
        m_windowHint->show();
        return; // keep the last valid configuration
    }
    m_windowHint->hide();
    saveAlertConfig(*m_settings, config);
    updateRuleTooltips();
    updateScope();
    m_configDebounce->start();
}

void AlertsPage::resetToDefaults()
{
    const AlertConfig defaults;
    m_loadingWidgets = true;
    for (auto& [rule, spin] : m_thresholds) {
        const double v = thresholdFor(defaults.thresholds, rule);
        spin->setValue(isRateRule(rule) ? v * 100.0 : v);
    }
    m_minRuns->setValue(defaults.thresholds.minRuns);
    m_window->setCurrentText(defaults.window);
    m_loadingWidgets = false;
    onConfigEdited();
}

void AlertsPage::updateRuleTooltips()
{
    const AlertConfig config = m_monitor->config();
    for (auto& [rule, spin] : m_thresholds)
        spin->setToolTip(alertRuleDescription(rule, thresholdFor(config.thresholds, rule)));
}

void AlertsPage::updateHistorySource()
{
    // With one source (the usual case) a Source column would repeat it on every line and, at 1024 px,
    // push the details out of view; as soon as the history mixes runs folders or databases, each line
    // says which.
    QStringList sources;
    for (const AlertHistoryEntry& e : m_monitor->historyModel()->entries())
        if (!sources.contains(e.source))
            sources << e.source;
    const bool mixed = sources.size() > 1;
    m_historyView->setColumnHidden(AlertHistoryModel::Source, !mixed);
    QString title = tr("<b>History</b> — alerts raised and resolved, webhook deliveries");
    if (sources.size() == 1 && !sources.front().isEmpty()) {
        const QString source = alertSourceDisplayText(sources.front());
        const QString shown = fontMetrics().elidedText(source, Qt::ElideMiddle, fontMetrics().averageCharWidth() * 48);
        title += tr(", all about %1").arg(shown.toHtmlEscaped());
        m_historyTitle->setToolTip(source);
    } else {
        m_historyTitle->setToolTip(mixed ? tr("The history holds alerts of several runs folders or databases: see "
                                              "the Source column")
                                         : QString());
    }
    m_historyTitle->setText(title);
}

void AlertsPage::updateScope()
{
    const QString dir = m_session->isTeamHistory() ? m_session->sourceLabel() : m_session->runsDir();
    const QString window = m_monitor->config().window;
    m_scope->setText(dir.isEmpty()
            ? tr("No runs folder is open.")
            : tr("Rules look at every run in %1 from %2 (at least %n run(s)). The sidebar filters do not apply "
                 "here. They are evaluated again whenever runs are added or changed.",
                nullptr, m_monitor->config().thresholds.minRuns)
                  .arg(QDir::toNativeSeparators(dir), windowPhrase(window)));
}

void AlertsPage::updateStatus()
{
    QString text;
    if (m_monitor->isEvaluating()) {
        text = tr("Evaluating…");
    } else if (const auto e = m_monitor->lastEvaluation()) {
        const QString when = QDateTime::fromMSecsSinceEpoch(m_monitor->lastEvaluatedMs())
                                 .toLocalTime()
                                 .toString(QStringLiteral("HH:mm:ss"));
        const int firing = static_cast<int>(e->firing().size());
        const QString runs = tr("%n run(s)", nullptr, e->runs);
        QString outcome;
        if (!e->enoughRuns)
            outcome = tr("not enough runs to evaluate");
        else if (firing == 0)
            outcome = tr("no alert firing");
        else
            outcome = tr("%n alert(s) firing", nullptr, firing);
        text = tr("Evaluated at %1 over %2 in %3: %4.")
                   .arg(when, runs, windowPhrase(m_monitor->config().window), outcome);
    } else {
        text = tr("Not evaluated yet.");
    }
    if (!m_deliveryText.isEmpty())
        text += QLatin1Char(' ') + m_deliveryText;
    if (!m_monitor->hasWebhook())
        text += QLatin1Char(' ') + tr("No webhook: alerts are shown here only.");
    m_status->setText(text);
}

void AlertsPage::evaluateNow()
{
    m_configDebounce->stop();
    m_monitor->evaluateNow();
}

// ---- webhook URL ----

void AlertsPage::loadStoredWebhook()
{
    const QString legacy = m_settings->legacyAlertWebhookUrl();
    if (legacy.isEmpty()) {
        m_secrets->read(webhookSecretKey(), [this](std::optional<QString> value, const QString& error) {
            if (m_webhookLoaded)
                return; // the user entered one meanwhile: theirs wins
            applyStoredWebhook(value.value_or(QString()));
            if (!error.isEmpty())
                m_webhookHint->setText(tr("The stored webhook URL could not be read: %1").arg(error));
        });
        return;
    }
    // 0.1 kept the URL base64-encoded in the settings file: move it to the secret store, then
    // remove it from the settings (only once it is safely stored).
    applyStoredWebhook(legacy);
    m_secrets->write(webhookSecretKey(), legacy, [this](bool ok, const QString& error) {
        if (ok) {
            m_settings->removeLegacyAlertWebhookUrl();
            m_settings->sync();
        } else {
            m_webhookHint->setText(tr("The webhook URL could not be moved out of the settings: %1").arg(error));
        }
    });
}

void AlertsPage::applyStoredWebhook(const QString& url)
{
    m_webhookLoaded = true;
    m_webhookUrl = url;
    m_monitor->setWebhookUrl(QUrl(url, QUrl::StrictMode));
    showStoredWebhook();
    updateStatus();
}

void AlertsPage::showStoredWebhook()
{
    const QString& url = m_webhookUrl;
    if (url.isEmpty()) {
        m_webhookEdit->setReadOnly(false);
        m_webhookEdit->setClearButtonEnabled(true);
        m_webhookEdit->clear();
        m_webhookEdit->setPlaceholderText(tr("https://hooks.slack.com/services/… (Enter to save)"));
        m_webhookEdit->setToolTip(tr("A Slack-compatible incoming webhook. Alerts and resolved messages are "
                                     "POSTed to it as JSON, once per window."));
        m_webhookChange->hide();
        m_webhookRemove->setEnabled(false);
        m_webhookHint->setText(tr("No webhook: alerts appear here, in the status bar and as a desktop "
                                  "notification only."));
    } else {
        // The full URL (Slack puts its secret in the path) is never shown again; setText() also
        // clears the edit's undo history, so it cannot be brought back with Ctrl+Z.
        m_webhookEdit->setText(maskWebhookUrl(url));
        m_webhookEdit->setReadOnly(true);
        m_webhookEdit->setClearButtonEnabled(false);
        m_webhookEdit->setToolTip(tr("The webhook URL is hidden. Use Change… to replace it."));
        m_webhookChange->show();
        m_webhookRemove->setEnabled(true);
        m_webhookHint->setText(m_secrets->usingFallback()
                ? tr("No desktop keyring is running: kept in a private file readable only by you (%1); never "
                     "shown in full or logged.")
                      .arg(QDir::toNativeSeparators(m_secrets->fallbackPath()))
                : tr("Kept in the desktop keyring; never shown in full or logged."));
    }
}

void AlertsPage::startChangingWebhook()
{
    m_webhookEdit->setReadOnly(false);
    m_webhookEdit->setClearButtonEnabled(true);
    m_webhookEdit->clear();
    m_webhookEdit->setPlaceholderText(tr("Paste the new URL, Enter to save, Esc to keep the current one"));
    m_webhookEdit->setFocus();
}

void AlertsPage::commitWebhook()
{
    if (m_webhookEdit->isReadOnly())
        return;
    const QString text = m_webhookEdit->text().trimmed();
    if (text.isEmpty()) {
        showStoredWebhook(); // nothing typed: keep what was there
        return;
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!isWebhookUrl(url)) {
        m_webhookHint->setText(tr("Not a webhook URL: expected http:// or https:// followed by a host."));
        return;
    }
    m_webhookUrl = text;
    m_webhookLoaded = true;
    m_monitor->setWebhookUrl(url);
    showStoredWebhook();
    updateStatus();
    m_secrets->write(webhookSecretKey(), text, [this](bool ok, const QString& error) {
        if (ok)
            showStoredWebhook(); // the hint names where it went
        else
            m_webhookHint->setText(tr("The webhook URL is used now but could not be saved: %1").arg(error));
    });
}

void AlertsPage::removeWebhook()
{
    m_webhookUrl.clear();
    m_monitor->setWebhookUrl({});
    showStoredWebhook();
    updateStatus();
    m_secrets->remove(webhookSecretKey(), [this](bool ok, const QString& error) {
        if (!ok)
            m_webhookHint->setText(tr("The stored webhook URL could not be removed: %1").arg(error));
    });
}

bool AlertsPage::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_webhookEdit && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape && !m_webhookUrl.isEmpty()
        && !m_webhookEdit->isReadOnly()) {
        showStoredWebhook();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

// ---- notifications ----

void AlertsPage::onAlertsRaised(const QString& text, bool critical)
{
    m_banner->showMessage(text.toHtmlEscaped() + QStringLiteral(" — <a href=\"history\">%1</a>").arg(tr("History")),
        critical ? MessageBar::Level::Error : MessageBar::Level::Warning);
    notifyDesktop(text, critical);
}

void AlertsPage::refreshBanner()
{
    // The banner describes what fires *now*: after a rule resolves, or a new evaluation measures other
    // values, its text follows the results table. A banner the user closed stays closed.
    if (m_banner->isHidden())
        return;
    QStringList parts;
    int firing = 0;
    int critical = 0;
    for (const AlertRow& row : m_monitor->resultsModel()->rows()) {
        if (row.status != AlertStatus::Warning && row.status != AlertStatus::Critical)
            continue;
        ++firing;
        critical += row.status == AlertStatus::Critical ? 1 : 0;
        parts << QStringLiteral("%1 %2").arg(
            alertRuleTitle(row.rule), row.value ? formatAlertValue(row.rule, *row.value) : QStringLiteral("—"));
    }
    if (firing == 0) {
        m_banner->hide();
        return;
    }
    QString head;
    if (critical == 0)
        head = tr("%n alert(s) firing", nullptr, firing);
    else if (firing > 1)
        head = tr("%n alert(s) firing (%1 critical)", nullptr, firing).arg(critical);
    else // the one alert firing is critical: no count to give
        head = tr("1 alert firing (critical)");
    const QString text = head + QStringLiteral(": ") + parts.join(QStringLiteral(", ")) + u'.';
    m_banner->showMessage(text.toHtmlEscaped() + QStringLiteral(" — <a href=\"history\">%1</a>").arg(tr("History")),
        critical > 0 ? MessageBar::Level::Error : MessageBar::Level::Warning);
}

void AlertsPage::notifyDesktop(const QString& text, bool critical)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray) {
        QIcon icon = QApplication::windowIcon();
        if (icon.isNull())
            icon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
        m_tray = new QSystemTrayIcon(icon, this);
        m_tray->setToolTip(tr("DJP Studio alerts"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, &AlertsPage::showRequested);
        connect(m_tray, &QSystemTrayIcon::activated, this, &AlertsPage::showRequested);
        m_tray->show();
    }
    m_tray->showMessage(
        tr("DJP Studio alert"), text, critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning, 10000);
}

AlertsPage* AlertsPage::install(MainWindow* window)
{
    auto* page = new AlertsPage(window->session(), window->settings());
    window->setAlertsPage(page);
    window->addAction(page->evaluateAction()); // Ctrl+Shift+E from any tab
    // A permanent status bar indicator rather than QStatusBar::showMessage(): a temporary message
    // hides the window's run count and problems while it shows, and is gone while rules still fire.
    auto* indicator = new QToolButton(window->statusBar());
    indicator->setObjectName(QStringLiteral("statusAlerts"));
    indicator->setAutoRaise(true);
    indicator->setAccessibleName(tr("Alerts firing"));
    indicator->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    indicator->setIcon(page->style()->standardIcon(QStyle::SP_MessageBoxWarning));
    indicator->setToolTip(tr("Alert rules firing now: show the Alerts tab"));
    indicator->hide();
    window->statusBar()->addPermanentWidget(indicator);
    QObject::connect(page->monitor(), &AlertMonitor::alertsRaised, indicator, [indicator](const QString& text, bool) {
        indicator->setToolTip(tr("%1\nClick to show the Alerts tab.").arg(text));
    });
    QObject::connect(indicator, &QToolButton::clicked, window, [window] { window->showTab(MainWindow::Tab::Alerts); });
    QObject::connect(
        page->monitor(), &AlertMonitor::firingChanged, window, [window, page, indicator](int count, bool critical) {
            indicator->setVisible(count > 0);
            const QString firing = tr("%n alert(s) firing", nullptr, count);
            indicator->setText(critical ? tr("%1 (critical)").arg(firing) : firing);
            const int i = window->tabs()->indexOf(page);
            if (i < 0)
                return;
            window->tabs()->setTabText(i, count > 0 ? tr("&Alerts (%1)").arg(count) : tr("&Alerts"));
            window->tabs()->setTabIcon(
                i, count > 0 ? page->style()->standardIcon(QStyle::SP_MessageBoxWarning) : QIcon());
        });
    QObject::connect(page, &AlertsPage::showRequested, window, [window] {
        window->showTab(MainWindow::Tab::Alerts);
        window->showNormal();
        window->raise();
        window->activateWindow();
    });
    return page;
}

} // namespace djp
