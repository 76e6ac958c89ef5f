#pragma once
// The values behind a dashboard chart as a table ("Show data"): what a screen reader reads and what
// "Copy" puts on the clipboard. Built from the same series the chart draws, so the table and the
// chart can never disagree. Thread contract: GUI thread only.
#include "display/chartseries.h"

#include <QAbstractTableModel>

namespace djp {

struct ChartDataTable
{
    QStringList headers;
    QList<QStringList> rows; // display text, one entry per header
    QList<bool> numeric; // per column: right-aligned
};

// One row per category: full (unelided) label, then the exact value text.
ChartDataTable chartDataTable(const CategorySeries& series, const QString& categoryHeader, const QString& valueHeader);
// One row per time bucket: period, cost, runs.
ChartDataTable chartDataTable(const TrendSeries& series);
// Tab-separated, header row first; for the clipboard (spreadsheets paste it as cells).
QString chartDataTsv(const ChartDataTable& table);

class ChartDataModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit ChartDataModel(QObject* parent = nullptr);

    void setTable(const ChartDataTable& table); // one model reset
    const ChartDataTable& table() const { return m_table; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    ChartDataTable m_table;
};

} // namespace djp
