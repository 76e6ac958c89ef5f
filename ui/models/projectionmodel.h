#pragma once
// A RunPlan's projection per stage or per model, expected and worst case, as the Launch tab shows
// it; the figures are the engine's projection (docs/pricing-and-budgets.md).
//
// Threading: GUI thread only.
#include "pipeline/runengine.h"

#include <QAbstractTableModel>
#include <memory>
#include <vector>

namespace djp {

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

} // namespace djp
