#pragma once
// What the Alerts tab shows (docs/metrics.md and docs/gui.md): the evaluated rules as rows, the notification history,
// the tab's remembered configuration, and the masked form of the webhook URL. Every rule and number
// comes from engine/metrics/alerts.h; this file only arranges and words them.
//
// Threading: the models live on the GUI thread. The free functions are pure (any thread).
#include "core/jsonutil.h"
#include "metrics/alerts.h"

#include <QAbstractTableModel>
#include <QString>
#include <QUrl>
#include <optional>
#include <vector>

namespace djp {

class Settings;

// The Alerts tab's remembered configuration (the webhook URL is kept by Settings itself, obfuscated).
struct AlertConfig
{
    AlertThresholds thresholds; // legacy defaults
    QString window = QStringLiteral("7d"); // a parseSinceWindow() value: 24h, 7d, 30d, 3w, all...

    bool operator==(const AlertConfig&) const = default;
};
AlertConfig loadAlertConfig(const Settings& settings); // invalid stored values fall back to defaults
void saveAlertConfig(Settings& settings, const AlertConfig& config);

// http(s) with a host, as `djp alerts --webhook-url` accepts.
bool isWebhookUrl(const QUrl& url);
// "https://hooks.slack.com/•••": scheme, host and port only, so the secret part of the path (Slack
// puts its token there), the query and any user info never reach the screen. Empty for empty input.
QString maskWebhookUrl(const QString& url);

// One rule's row in the results table.
enum class AlertStatus
{
    NotEvaluated,
    Ok,
    Warning,
    Critical
};
QString alertStatusId(AlertStatus s); // "not_evaluated", "ok", "warning", "critical"

struct AlertRow
{
    AlertRule rule = AlertRule::AdvisoryRate;
    AlertStatus status = AlertStatus::NotEvaluated;
    std::optional<double> value; // absent when not evaluated
    double threshold = 0.0;
    int sampleRuns = 0;
    QString reason; // why not evaluated ("only 3 runs in the window, 5 needed")
};

// The five rows, in kAllAlertRules order. `evaluation` absent = nothing evaluated yet; `waitingReason`
// then explains why ("the runs folder is still loading").
std::vector<AlertRow> alertRows(
    const std::optional<AlertEvaluation>& evaluation, const AlertThresholds& thresholds, const QString& waitingReason);

double thresholdFor(const AlertThresholds& t, AlertRule rule);
void setThresholdFor(AlertThresholds& t, AlertRule rule, double value);
// What the rule measures, when it fires and how severe it is at `threshold`; for tooltips.
QString alertRuleDescription(AlertRule rule, double threshold);
// One line for a banner or a desktop notification: the newly firing checks.
QString alertBannerText(const std::vector<AlertCheck>& firing);

class AlertResultsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Rule,
        Value,
        Threshold,
        Status,
        ColumnCount
    };
    enum Role
    {
        StatusRole = Qt::UserRole + 1, // alertStatusId()
        RuleIdRole, // alertRuleId()
        RawValueRole, // double, or invalid when not evaluated
    };

    explicit AlertResultsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Always five rows; replacing them changes data in place (no reset, the selection survives).
    void setRows(std::vector<AlertRow> rows);
    const std::vector<AlertRow>& rows() const { return m_rows; }
    const AlertRow* row(AlertRule rule) const;

    static QColor statusColor(AlertStatus s); // docs/metrics.md's #dc3545 / #ffc107 / #28a745, grey

private:
    std::vector<AlertRow> m_rows;
};

// One line of the notification history.
struct AlertHistoryEntry
{
    enum class Kind
    {
        Fired, // a rule started firing (or escalated, or fired again after a window): banner shown
        Resolved, // a rule that was firing is back within its threshold
        Sent, // the webhook accepted a notification
        Failed // the webhook could not be reached or refused the notification
    };
    qint64 timeMs = 0; // UTC ms
    Kind kind = Kind::Fired;
    QString rule; // alertRuleId(), empty for Sent / Failed
    QString severity; // "warning" / "critical" for Fired
    QString text; // plain text
    // What the alert was about: the AlertScope source ("folder:<path>" or "db:<user>@<host>:<port>/<db>");
    // empty in entries written before 0.2.
    QString source;

    bool operator==(const AlertHistoryEntry&) const = default;
};
QString historyKindId(AlertHistoryEntry::Kind kind); // "fired", "resolved", "sent", "failed"
Json historyToJson(const std::vector<AlertHistoryEntry>& entries);
std::optional<std::vector<AlertHistoryEntry>> historyFromJson(const Json& j, QString* error = nullptr);

// Newest first, at most kMaxEntries (older ones drop off).
class AlertHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int kMaxEntries = 200;
    enum Column
    {
        Time,
        Event,
        Source, // the runs folder or team database (alertSourceDisplayText())
        Details,
        ColumnCount
    };
    enum Role
    {
        KindRole = Qt::UserRole + 1, // historyKindId()
        TimeMsRole,
    };

    explicit AlertHistoryModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setEntries(std::vector<AlertHistoryEntry> newestFirst); // one reset
    // `entries` in the order they happened; they go on top, newest first.
    void addEntries(const std::vector<AlertHistoryEntry>& entries);
    void clear();
    const std::vector<AlertHistoryEntry>& entries() const { return m_entries; } // newest first

private:
    std::vector<AlertHistoryEntry> m_entries;
};

} // namespace djp
