#include "models/projectionmodel.h"

#include "display/displayformat.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

namespace djp {

ProjectionModel::ProjectionModel(Part part, QObject* parent)
    : QAbstractTableModel(parent)
    , m_part(part)
{ }

void ProjectionModel::setPlan(std::shared_ptr<const RunPlan> plan)
{
    beginResetModel();
    m_plan = std::move(plan);
    rebuild();
    endResetModel();
}

void ProjectionModel::rebuild()
{
    m_lines.clear();
    if (!m_plan)
        return;
    const Projection& p = m_plan->projection;
    if (m_part == Part::Stages) {
        m_lines.push_back({ tr("Debate"), &p.debate, true, false });
        m_lines.push_back({ tr("Judge"), &p.judge, true, false });
        m_lines.push_back({ tr("Overhead"), &p.overhead, true, false });
        m_lines.push_back({ tr("Total"), &p.total, p.complete(), true });
    } else {
        for (const ModelLine& m : p.byModel)
            m_lines.push_back({ m.label, &m.cost, m.priced, false });
    }
}

int ProjectionModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_lines.size());
}

int ProjectionModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProjectionModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Line& line = m_lines[static_cast<size_t>(index.row())];
    const CostLine& c = *line.cost;
    if (role == Qt::FontRole && line.total) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::TextAlignmentRole && index.column() != Item)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    // Unpriced amounts are fail-safe upper figures, not measured prices: mark them.
    const QString mark = line.priced ? QString() : QStringLiteral(" *");
    if (role == Qt::ToolTipRole && !line.priced)
        return m_part == Part::Models
            ? tr("%1 is unpriced: counted at the most expensive known price (fail safe)").arg(line.name)
            : tr("Includes unpriced models counted at the most expensive known price (fail safe)");
    if (role == SortRole) {
        switch (index.column()) {
        case Item:
            return line.name;
        case Calls:
            return c.calls;
        case ExpectedUsd:
            return c.expectedUsd;
        case WorstUsd:
            return c.worstUsd;
        case ExpectedTokens:
            return c.expectedTokens();
        case WorstTokens:
            return c.worstTokens();
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Item:
        return QString(line.name + mark);
    case Calls:
        return c.calls;
    case ExpectedUsd:
        return formatUsd(c.expectedUsd);
    case WorstUsd:
        return formatUsd(c.worstUsd);
    case ExpectedTokens:
        return formatCount(c.expectedTokens());
    case WorstTokens:
        return formatCount(c.worstTokens());
    }
    return {};
}

QVariant ProjectionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Item:
            return m_part == Part::Stages ? tr("Stage") : tr("Model");
        case Calls:
            return tr("Calls");
        case ExpectedUsd:
            return tr("Expected");
        case WorstUsd:
            return tr("Worst case");
        case ExpectedTokens:
            return tr("Exp. tokens");
        case WorstTokens:
            return tr("Worst tokens");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ExpectedUsd:
        case ExpectedTokens:
            return tr("Expected: debaters min(max tokens, 800) output each (+20% per required citation), judge 300, "
                      "overhead 200 in / 100 out; each call priced with its own model");
        case WorstUsd:
        case WorstTokens:
            return tr("Worst case: every debater writes max tokens, the judge its own maximum, plus a possible "
                      "second judge pass");
        case Calls:
            return tr("Calls counted in the expected case");
        }
    }
    return {};
}

} // namespace djp
