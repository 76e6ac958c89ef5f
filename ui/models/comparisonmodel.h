#pragma once
// The Compare window's table: one row per fact of artifact/runcomparison.h (section, field, one
// value per run). Rows where the runs differ are marked (DiffersRole, bold, a tint on the values);
// ComparisonFilterProxy keeps only those when asked. Thread contract: GUI thread only; the
// comparison itself is computed off the GUI thread and handed in whole.
#include "artifact/runcomparison.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

namespace djp {

class ComparisonModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Section,
        Field,
        FirstRun // then one column per run
    };
    enum Role
    {
        DiffersRole = Qt::UserRole + 1
    };

    explicit ComparisonModel(QObject* parent = nullptr);

    void setComparison(const RunComparison& comparison); // one model reset
    const RunComparison& comparison() const { return m_comparison; }
    int differingRows() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    RunComparison m_comparison;
};

class ComparisonFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ComparisonFilterProxy(QObject* parent = nullptr);
    void setOnlyDifferences(bool only);
    bool onlyDifferences() const { return m_only; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool m_only = false;
};

} // namespace djp
