#pragma once
// The calls table: one row per attempt, with the usage buckets (cached input, cache writes,
// reasoning), where the usage came from and any reservation held. The inspector fills it from an
// artifact's `calls[]` (schema 2.0/2.1, docs/artifact-format.md), extracted off the GUI thread
// (callRowsFromArtifact) and handed over immutable; the Launch tab's live table (LiveCallsModel)
// shows the same columns for the attempts of a run in progress (callRowFromRecord). The columns are
// defined once, here (CallsTableModel::cellData / columnTitle).
#include "core/jsonutil.h"
#include "pipeline/runartifact.h"

#include <QAbstractTableModel>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace djp {

struct CallRow
{
    QString stage; // debate | judge
    QString label;
    QString api;
    bool simulated = false;
    int attempt = 1;
    QString status; // a CallStatus id, or a foreign one as written
    std::optional<int> httpStatus;
    QString error;
    UsageBuckets usage; // all input (cached included), all output (reasoning included); cache and
                        // reasoning buckets from schema 2.1 (0 in older files)
    QString usageSource; // reported | estimated | none ("" before schema 2.1)
    double latencyMs = 0.0;
    std::optional<double> costUsd; // nullopt when unpriced
    std::optional<double> reportedCostUsd; // the provider's own figure
    double heldUsd = 0.0; // reservation held for a failure that may have been billed
    QString pricingId;
    bool running = false; // an attempt still in flight (live table): no usage, latency or cost yet
};

using CallRows = std::vector<CallRow>;

// Reads `calls[]` of a full artifact document; legacy files (no calls) give no rows. Tolerant of
// missing or mistyped fields (they take the defaults above). Safe on any thread.
CallRows callRowsFromArtifact(const Json& document);

// One attempt of a run in progress or just finished, as the run engine reports it (status "running"
// while in flight).
CallRow callRowFromRecord(const CallRecord& record);

// Thread contract: GUI thread only. setRows() resets the model once.
class CallsTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // Decimals of the Cost column: calls cost fractions of a cent, and one scale per column lines up.
    static constexpr int kCostDecimals = 6;

    enum Column
    {
        Stage,
        Label,
        Attempt,
        Status,
        HttpStatus,
        TokensIn,
        CacheRead,
        CacheWrite,
        TokensOut,
        Reasoning,
        Usage,
        Latency,
        Cost,
        Held,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1; // raw value for sorting (numbers as numbers)

    explicit CallsTableModel(QObject* parent = nullptr);

    void setRows(std::shared_ptr<const CallRows> rows);
    void clear() { setRows(nullptr); }
    const CallRow* row(int r) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The one definition of a calls-table cell and column title (also used by LiveCallsModel).
    static QVariant cellData(const CallRow& row, int column, int role);
    static QVariant columnTitle(int column, int role);

private:
    std::shared_ptr<const CallRows> m_rows;
};

} // namespace djp
