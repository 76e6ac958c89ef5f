#pragma once
// Item models of the Launch tab (docs/gui.md Launch):
//   ModelChoiceModel  - the checkable model list: price per 1M tokens and how calls will be served
//                       (real provider with its key, or the simulated provider), never the key itself;
//   ProjectionModel   - a RunPlan's projection per stage or per model, expected and worst case;
//   ActiveRunsModel   - the runs started from this window and their live progress (fed RunEvents);
//   LiveCallsModel    - the calls of one of those runs, as they start and finish.
// Nothing here computes a rule: prices, projections, routes and spend come from the engine.
//
// Threading: GUI thread only (the run engine delivers its events there).
#include "pipeline/runengine.h"
#include "pricing/pricingtable.h"
#include "providers/providerregistry.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QPointer>
#include <memory>
#include <vector>

namespace djp {

class ModelChoiceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Model,
        InputPrice,
        OutputPrice,
        Access,
        ColumnCount
    };
    enum Role
    {
        LabelRole = Qt::UserRole + 1,
        SimulatedRole, // bool: calls to this model will be simulated
        PricedRole, // bool
        SortRole, // raw value (label, price, 0/1)
    };

    // Rows: the default roster first (in roster order), then every other priced label, sorted.
    ModelChoiceModel(PricingTable pricing, ProviderRegistry registry, QObject* parent = nullptr);

    void setOffline(bool offline);
    bool offline() const { return m_offline; }

    QStringList labels() const;
    QStringList checkedLabels() const; // in row order
    // Checks exactly `labels` (appending rows for labels not listed yet); marks the choice explicit.
    void setCheckedLabels(const QStringList& labels);
    // Back to the default roster, not explicit (the run then uses the preset's roster rule).
    void resetToDefault();
    // True once the user changed the checks: the request then names its models explicitly.
    bool isExplicit() const { return m_explicit; }
    // Adds a label (e.g. a local model behind OPENAI_BASE_URL); false when already listed or not
    // a vendor/model label.
    bool addLabel(const QString& label, bool checked = true);
    int rowOf(const QString& label) const;
    // Models the budget rules dropped from the current plan, with why (the rule's own words): the
    // list marks them (struck out, "dropped by budget") instead of only naming them in the projection.
    void setDroppedByBudget(const QHash<QString, QString>& why);
    bool isDroppedByBudget(const QString& label) const { return m_dropped.contains(label); }
    ProviderRoute route(const QString& label) const { return m_registry.route(label, m_offline); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void selectionChanged(); // checks changed (by the user or programmatically)

private:
    struct Row
    {
        QString label;
        bool checked = false;
    };
    QString accessText(const ProviderRoute& route) const;
    QString accessToolTip(const QString& label, const ProviderRoute& route) const;

    QString priceTooltip(const ModelPrice& price) const;
    PricingTable m_pricing;
    ProviderRegistry m_registry;
    std::vector<Row> m_rows;
    bool m_offline = false;
    bool m_explicit = false;
    QHash<QString, QString> m_dropped;
};

class ProjectionModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Part
    {
        Stages, // debate, judge, overhead, total
        Models, // one row per model, in plan order
    };
    enum Column
    {
        Item,
        Calls,
        ExpectedUsd,
        WorstUsd,
        ExpectedTokens,
        WorstTokens,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ProjectionModel(Part part, QObject* parent = nullptr);
    void setPlan(std::shared_ptr<const RunPlan> plan); // null clears
    const RunPlan* plan() const { return m_plan.get(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Line
    {
        QString name;
        const CostLine* cost = nullptr;
        bool priced = true;
        bool total = false;
    };
    void rebuild();

    Part m_part;
    std::shared_ptr<const RunPlan> m_plan;
    std::vector<Line> m_lines;
};

// Everything known about one run launched from this window.
struct RunProgress
{
    enum class State
    {
        Starting, // sent to the engine, not planned yet
        Running,
        Finished,
    };
    QString runId;
    QString task;
    QString preset;
    QString runsDir; // where its artifact will be written
    QDateTime startedAt;
    State state = State::Starting;
    QString stage; // current (or last) stage: debate | judge | publish
    QStringList stagesDone;
    bool cancelRequested = false;
    std::shared_ptr<const RunPlan> plan;
    LedgerSnapshot spend;
    std::vector<CallRecord> calls; // in start order; attempt.status "running" while in flight
    std::shared_ptr<const RunOutcome> outcome;

    // "starting", "debate…", "published", "advisory_only", "none", "cancelled", "blocked", "failed"
    QString statusText() const;
    bool simulated() const; // any call was simulated, or the outcome says so
};

class ActiveRunsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Task,
        Status,
        Spent,
        Started,
        ColumnCount
    };
    enum Role
    {
        RunIdRole = Qt::UserRole + 1,
        FinishedRole,
    };

    explicit ActiveRunsModel(QObject* parent = nullptr);

    // A run sent to the engine (appended as the last row).
    void addRun(const QString& runId, const RunRequest& request, const QString& runsDir);
    void markCancelRequested(const QString& runId);
    // Applies one engine event to its run (events for unknown runs are ignored).
    void applyEvent(const RunEvent& event);

    const RunProgress* run(const QString& runId) const;
    const RunProgress* runAt(int row) const;
    int rowOf(const QString& runId) const;
    int inFlight() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void runChanged(const QString& runId); // stage, spend, plan or outcome changed
    void callAdded(const QString& runId, int callIndex);
    void callChanged(const QString& runId, int callIndex);
    void runFinished(const QString& runId);

private:
    std::vector<std::unique_ptr<RunProgress>> m_runs;
};

class LiveCallsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Stage,
        Label,
        Attempt,
        Status,
        Tokens,
        Latency,
        Cost,
        ColumnCount
    };

    explicit LiveCallsModel(ActiveRunsModel* runs, QObject* parent = nullptr);
    void setRun(const QString& runId); // "" shows nothing
    QString runId() const { return m_runId; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const std::vector<CallRecord>* calls() const;

    QPointer<ActiveRunsModel> m_runs;
    QString m_runId;
    int m_rows = 0; // rows announced to views (calls may grow before the signal arrives)
};

} // namespace djp
