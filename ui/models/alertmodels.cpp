#include "models/alertmodels.h"

#include "core/strings.h"
#include "display/displayformat.h"
#include "display/tones.h"
#include "metrics/alertstate.h"
#include "metrics/runfilter.h"
#include "session/settings.h"

#include <QColor>
#include <QDateTime>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>
#include <QSettings>
#include <cmath>

namespace djp {

namespace {

const QString kGroup = QStringLiteral("alerts/");

struct ThresholdKey
{
    AlertRule rule;
    const char* key;
};
constexpr ThresholdKey kThresholdKeys[] = {
    { AlertRule::AdvisoryRate, "advisoryRate" },
    { AlertRule::AvgCost, "avgCost" },
    { AlertRule::FailureRate, "failureRate" },
    { AlertRule::RedactedRate, "redactedRate" },
    { AlertRule::GroundedCitationSuccess, "groundedSuccess" },
};

bool firesBelow(AlertRule rule)
{
    return rule == AlertRule::GroundedCitationSuccess;
}

AlertStatus statusOf(const AlertCheck& c)
{
    if (!c.firing)
        return AlertStatus::Ok;
    return c.severity == AlertSeverity::Critical ? AlertStatus::Critical : AlertStatus::Warning;
}

QString statusText(const AlertRow& r)
{
    switch (r.status) {
    case AlertStatus::Critical:
        return QObject::tr("Critical");
    case AlertStatus::Warning:
        return QObject::tr("Warning");
    case AlertStatus::Ok:
        return QObject::tr("OK");
    case AlertStatus::NotEvaluated:
        return QObject::tr("Not evaluated: %1").arg(r.reason);
    }
    return {};
}

QString sampleText(const AlertRow& r)
{
    return r.rule == AlertRule::GroundedCitationSuccess ? QObject::tr("over %n grounded run(s)", nullptr, r.sampleRuns)
                                                        : QObject::tr("over %n run(s)", nullptr, r.sampleRuns);
}

} // namespace

AlertConfig loadAlertConfig(const Settings& settings)
{
    const QSettings* s = settings.store();
    AlertConfig c;
    for (const ThresholdKey& k : kThresholdKeys) {
        bool ok = false;
        const double v = s->value(kGroup + QLatin1String(k.key)).toDouble(&ok);
        if (ok && std::isfinite(v) && v >= 0)
            setThresholdFor(c.thresholds, k.rule, v);
    }
    bool ok = false;
    const int minRuns = s->value(kGroup + QStringLiteral("minRuns")).toInt(&ok);
    if (ok && minRuns >= 1)
        c.thresholds.minRuns = minRuns;
    const QString window = s->value(kGroup + QStringLiteral("window")).toString().trimmed().toLower();
    bool all = false;
    if (!window.isEmpty() && (parseSinceWindow(window, &all) || all))
        c.window = window;
    return c;
}

void saveAlertConfig(Settings& settings, const AlertConfig& config)
{
    QSettings* s = settings.store();
    for (const ThresholdKey& k : kThresholdKeys)
        s->setValue(kGroup + QLatin1String(k.key), thresholdFor(config.thresholds, k.rule));
    s->setValue(kGroup + QStringLiteral("minRuns"), config.thresholds.minRuns);
    s->setValue(kGroup + QStringLiteral("window"), config.window);
}

bool isWebhookUrl(const QUrl& url)
{
    return url.isValid() && !url.host().isEmpty()
        && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"));
}

QString maskWebhookUrl(const QString& text)
{
    if (text.trimmed().isEmpty())
        return {};
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    const QString dots = QStringLiteral("/\u2022\u2022\u2022");
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("\u2022\u2022\u2022");
    QString shown = url.scheme() + QStringLiteral("://") + url.host();
    if (url.port() != -1)
        shown += QLatin1Char(':') + QString::number(url.port());
    return shown + dots;
}

QString alertStatusId(AlertStatus s)
{
    switch (s) {
    case AlertStatus::NotEvaluated:
        return QStringLiteral("not_evaluated");
    case AlertStatus::Ok:
        return QStringLiteral("ok");
    case AlertStatus::Warning:
        return QStringLiteral("warning");
    case AlertStatus::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

double thresholdFor(const AlertThresholds& t, AlertRule rule)
{
    switch (rule) {
    case AlertRule::AdvisoryRate:
        return t.advisoryRate;
    case AlertRule::AvgCost:
        return t.avgCost;
    case AlertRule::FailureRate:
        return t.failureRate;
    case AlertRule::RedactedRate:
        return t.redactedRate;
    case AlertRule::GroundedCitationSuccess:
        return t.groundedSuccess;
    }
    return 0.0;
}

void setThresholdFor(AlertThresholds& t, AlertRule rule, double value)
{
    switch (rule) {
    case AlertRule::AdvisoryRate:
        t.advisoryRate = value;
        break;
    case AlertRule::AvgCost:
        t.avgCost = value;
        break;
    case AlertRule::FailureRate:
        t.failureRate = value;
        break;
    case AlertRule::RedactedRate:
        t.redactedRate = value;
        break;
    case AlertRule::GroundedCitationSuccess:
        t.groundedSuccess = value;
        break;
    }
}

std::vector<AlertRow> alertRows(
    const std::optional<AlertEvaluation>& evaluation, const AlertThresholds& thresholds, const QString& waitingReason)
{
    std::vector<AlertRow> rows;
    for (AlertRule rule : kAllAlertRules) {
        AlertRow r;
        r.rule = rule;
        r.threshold = thresholdFor(thresholds, rule);
        if (!evaluation) {
            r.reason = waitingReason;
        } else if (!evaluation->enoughRuns) {
            const int needed = std::max(1, evaluation->minRuns);
            r.reason = evaluation->runs == 0
                ? QObject::tr("no runs in the window, %1 needed").arg(needed)
                : QObject::tr("only %n run(s) in the window, %1 needed", nullptr, evaluation->runs).arg(needed);
        } else if (const AlertCheck* c = evaluation->check(rule)) {
            r.status = statusOf(*c);
            r.value = c->value;
            r.threshold = c->threshold;
            r.sampleRuns = c->sampleRuns;
        } else {
            // Only the grounded rule can be missing from an evaluation with enough runs.
            r.reason = QObject::tr("no grounded runs in the window");
        }
        rows.push_back(r);
    }
    return rows;
}

QString alertRuleDescription(AlertRule rule, double threshold)
{
    const QString t = formatAlertValue(rule, threshold);
    const QString critical = formatAlertValue(rule, firesBelow(rule) ? threshold / 1.5 : threshold * 1.5);
    QString what;
    switch (rule) {
    case AlertRule::AdvisoryRate:
        what = QObject::tr("Share of runs in the window that ended advisory_only (nothing publishable from an "
                           "allowed provider).");
        break;
    case AlertRule::AvgCost:
        what = QObject::tr("Mean estimated cost per run in the window, in USD.");
        break;
    case AlertRule::FailureRate:
        what = QObject::tr("Share of runs in the window that ended with status none (no valid content).");
        break;
    case AlertRule::RedactedRate:
        what = QObject::tr("Share of runs in the window whose output needed redaction.");
        break;
    case AlertRule::GroundedCitationSuccess:
        what = QObject::tr("Among grounded runs only, the share that cited at least the required number of sources. "
                           "Not evaluated when the window has no grounded run.");
        break;
    }
    QString when;
    if (rule == AlertRule::FailureRate)
        when = QObject::tr("Fires above %1; a firing failure-rate alert is always critical.").arg(t);
    else if (firesBelow(rule))
        when
            = QObject::tr("Fires below %1: a warning, critical at or below %2 (the threshold ÷ 1.5).").arg(t, critical);
    else
        when
            = QObject::tr("Fires above %1: a warning, critical at or above %2 (1.5 × the threshold).").arg(t, critical);
    return what + QLatin1Char('\n') + when;
}

QString alertBannerText(const std::vector<AlertCheck>& firing)
{
    if (firing.empty())
        return {};
    if (firing.size() == 1) {
        const AlertCheck& c = firing.front();
        return (c.severity == AlertSeverity::Critical ? QObject::tr("Critical alert: ") : QObject::tr("Alert: "))
            + alertMessage(c);
    }
    int critical = 0;
    QStringList parts;
    for (const AlertCheck& c : firing) {
        critical += c.severity == AlertSeverity::Critical ? 1 : 0;
        parts << QStringLiteral("%1 %2").arg(alertRuleTitle(c.rule), formatAlertValue(c.rule, c.value));
    }
    const int count = static_cast<int>(firing.size());
    const QString head = critical > 0 ? QObject::tr("%n alert(s) firing (%1 critical)", nullptr, count).arg(critical)
                                      : QObject::tr("%n alert(s) firing", nullptr, count);
    return head + QStringLiteral(": ") + parts.join(QStringLiteral(", ")) + QLatin1Char('.');
}

// ---- AlertResultsModel ----

AlertResultsModel::AlertResultsModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_rows(alertRows(std::nullopt, AlertThresholds {}, tr("not evaluated yet")))
{ }

int AlertResultsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AlertResultsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QColor AlertResultsModel::statusColor(AlertStatus s)
{
    switch (s) {
    case AlertStatus::Critical:
        return tone::bad();
    case AlertStatus::Warning:
        return tone::warning();
    case AlertStatus::Ok:
        return tone::good();
    case AlertStatus::NotEvaluated:
        break;
    }
    return tone::neutral();
}

QVariant AlertResultsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AlertRow& r = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case StatusRole:
        return alertStatusId(r.status);
    case RuleIdRole:
        return alertRuleId(r.rule);
    case RawValueRole:
        return r.value ? QVariant(*r.value) : QVariant();
    case Qt::DisplayRole:
        switch (index.column()) {
        case Rule:
            return alertRuleTitle(r.rule);
        case Value:
            return r.value ? formatAlertValue(r.rule, *r.value) : QStringLiteral("—");
        case Threshold:
            return QString((firesBelow(r.rule) ? QStringLiteral("< ") : QStringLiteral("> "))
                + formatAlertValue(r.rule, r.threshold));
        case Status:
            return statusText(r);
        }
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Rule:
        case Threshold:
            return alertRuleDescription(r.rule, r.threshold);
        case Value:
            return r.value ? sampleText(r) : QVariant();
        case Status:
            return statusText(r);
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == Status)
            return statusColor(r.status);
        break;
    case Qt::ForegroundRole:
        // The swatch carries the exact colour of docs/metrics.md (alerts), the text one readable on the theme.
        // Not-evaluated text follows the palette.
        if (index.column() == Status && r.status != AlertStatus::NotEvaluated)
            return r.status == AlertStatus::Warning ? tone::warningText() : statusColor(r.status);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Value || index.column() == Threshold)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant AlertResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Rule:
        return tr("Rule");
    case Value:
        return tr("Current value");
    case Threshold:
        return tr("Threshold");
    case Status:
        return tr("Severity");
    }
    return {};
}

void AlertResultsModel::setRows(std::vector<AlertRow> rows)
{
    if (rows.size() != m_rows.size()) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    m_rows = std::move(rows);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const AlertRow* AlertResultsModel::row(AlertRule rule) const
{
    for (const AlertRow& r : m_rows) {
        if (r.rule == rule)
            return &r;
    }
    return nullptr;
}

// ---- history ----

QString historyKindId(AlertHistoryEntry::Kind kind)
{
    switch (kind) {
    case AlertHistoryEntry::Kind::Fired:
        return QStringLiteral("fired");
    case AlertHistoryEntry::Kind::Resolved:
        return QStringLiteral("resolved");
    case AlertHistoryEntry::Kind::Sent:
        return QStringLiteral("sent");
    case AlertHistoryEntry::Kind::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

Json historyToJson(const std::vector<AlertHistoryEntry>& entries)
{
    Json list = Json::array();
    for (const AlertHistoryEntry& e : entries) {
        Json item = { { "time_ms", e.timeMs }, { "kind", ss(historyKindId(e.kind)) }, { "text", ss(e.text) } };
        if (!e.rule.isEmpty())
            item["rule"] = ss(e.rule);
        if (!e.severity.isEmpty())
            item["severity"] = ss(e.severity);
        if (!e.source.isEmpty())
            item["source"] = ss(e.source);
        list.push_back(std::move(item));
    }
    return Json { { "version", 1 }, { "entries", list } };
}

std::optional<std::vector<AlertHistoryEntry>> historyFromJson(const Json& j, QString* error)
{
    const auto fail = [error](const QString& why) -> std::optional<std::vector<AlertHistoryEntry>> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!j.is_object() || !j.contains("entries") || !j["entries"].is_array())
        return fail(QStringLiteral("expected an object with an \"entries\" array"));
    std::vector<AlertHistoryEntry> entries;
    for (const Json& item : j["entries"]) {
        if (!item.is_object() || !item.contains("time_ms") || !item["time_ms"].is_number_integer())
            return fail(QStringLiteral("an entry without an integer \"time_ms\""));
        AlertHistoryEntry e;
        e.timeMs = item["time_ms"].get<qint64>();
        const QString kind = jsonString(item, "kind");
        bool known = false;
        for (auto k : { AlertHistoryEntry::Kind::Fired, AlertHistoryEntry::Kind::Resolved,
                 AlertHistoryEntry::Kind::Sent, AlertHistoryEntry::Kind::Failed }) {
            if (historyKindId(k) == kind) {
                e.kind = k;
                known = true;
            }
        }
        if (!known)
            return fail(QStringLiteral("unknown entry kind \"%1\"").arg(kind));
        e.rule = jsonString(item, "rule");
        e.severity = jsonString(item, "severity");
        e.text = jsonString(item, "text");
        e.source = jsonString(item, "source");
        entries.push_back(std::move(e));
    }
    return entries;
}

AlertHistoryModel::AlertHistoryModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

int AlertHistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int AlertHistoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AlertHistoryEntry& e = m_entries[static_cast<size_t>(index.row())];
    switch (role) {
    case KindRole:
        return historyKindId(e.kind);
    case TimeMsRole:
        return e.timeMs;
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Time: {
            const QDateTime t = QDateTime::fromMSecsSinceEpoch(e.timeMs).toLocalTime();
            return role == Qt::DisplayRole ? t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                           : QLocale().toString(t, QLocale::LongFormat);
        }
        case Event:
            switch (e.kind) {
            case AlertHistoryEntry::Kind::Fired:
                return parseVocabulary<AlertSeverity>(e.severity) == AlertSeverity::Critical ? tr("Fired (critical)")
                                                                                             : tr("Fired (warning)");
            case AlertHistoryEntry::Kind::Resolved:
                return tr("Resolved");
            case AlertHistoryEntry::Kind::Sent:
                return tr("Webhook sent");
            case AlertHistoryEntry::Kind::Failed:
                return tr("Webhook failed");
            }
            break;
        case Source: {
            if (e.source.isEmpty())
                return role == Qt::DisplayRole ? tr("(not recorded)")
                                               : tr("Written by an older version, which did not record the source");
            const QString text = alertSourceDisplayText(e.source);
            if (role == Qt::DisplayRole)
                return text;
            return plainTextToolTip(e.source.startsWith(QLatin1String("db:"))
                    ? tr("Alerts over the %1").arg(text)
                    : tr("Alerts over the runs folder %1").arg(text));
        }
        case Details:
            // Webhook errors quote the server's reason phrase: untrusted, so forced plain in tooltips.
            return role == Qt::DisplayRole ? e.text : plainTextToolTip(e.text);
        }
        break;
    case Qt::ForegroundRole:
        if (index.column() == Event) {
            switch (e.kind) {
            case AlertHistoryEntry::Kind::Fired:
                return parseVocabulary<AlertSeverity>(e.severity) == AlertSeverity::Critical
                    ? AlertResultsModel::statusColor(AlertStatus::Critical)
                    : tone::warningText();
            case AlertHistoryEntry::Kind::Resolved:
                return AlertResultsModel::statusColor(AlertStatus::Ok);
            case AlertHistoryEntry::Kind::Failed:
                return AlertResultsModel::statusColor(AlertStatus::Critical);
            case AlertHistoryEntry::Kind::Sent:
                break;
            }
        }
        break;
    }
    return {};
}

QVariant AlertHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Event:
        return tr("Event");
    case Source:
        return tr("Source");
    case Details:
        return tr("Details");
    }
    return {};
}

void AlertHistoryModel::setEntries(std::vector<AlertHistoryEntry> newestFirst)
{
    beginResetModel();
    m_entries = std::move(newestFirst);
    if (m_entries.size() > kMaxEntries)
        m_entries.resize(kMaxEntries);
    endResetModel();
}

void AlertHistoryModel::addEntries(const std::vector<AlertHistoryEntry>& entries)
{
    if (entries.empty())
        return;
    const int n = static_cast<int>(std::min<size_t>(entries.size(), kMaxEntries));
    beginInsertRows({}, 0, n - 1);
    // The last `n` entries, newest first.
    m_entries.insert(m_entries.begin(), entries.rbegin(), entries.rbegin() + n);
    endInsertRows();
    if (m_entries.size() > kMaxEntries) {
        beginRemoveRows({}, kMaxEntries, static_cast<int>(m_entries.size()) - 1);
        m_entries.resize(kMaxEntries);
        endRemoveRows();
    }
}

void AlertHistoryModel::clear()
{
    if (m_entries.empty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

} // namespace djp
