#include "models/comparisonmodel.h"

#include "display/tones.h"

#include <QColor>
#include <QFont>
#include <algorithm>

namespace djp {

namespace {

QString sectionTitle(const QString& id)
{
    if (id == QLatin1String("run"))
        return ComparisonModel::tr("Run");
    if (id == QLatin1String("parameters"))
        return ComparisonModel::tr("Parameters");
    if (id == QLatin1String("outcome"))
        return ComparisonModel::tr("Outcome");
    if (id == QLatin1String("drafts"))
        return ComparisonModel::tr("Drafts");
    if (id == QLatin1String("models"))
        return ComparisonModel::tr("Models");
    if (id == QLatin1String("totals"))
        return ComparisonModel::tr("Totals");
    return id;
}

} // namespace

ComparisonModel::ComparisonModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void ComparisonModel::setComparison(const RunComparison& comparison)
{
    beginResetModel();
    m_comparison = comparison;
    endResetModel();
}

int ComparisonModel::differingRows() const
{
    return static_cast<int>(std::count_if(
        m_comparison.rows.begin(), m_comparison.rows.end(), [](const ComparisonRow& r) { return r.differs; }));
}

int ComparisonModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_comparison.rows.size());
}

int ComparisonModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : FirstRun + static_cast<int>(m_comparison.runNames.size());
}

QVariant ComparisonModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ComparisonRow& r = m_comparison.rows[static_cast<size_t>(index.row())];
    const int c = index.column();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        if (c == Section)
            return sectionTitle(r.section);
        if (c == Field)
            return r.field;
        if (role == Qt::DisplayRole) {
            QString v = r.values.value(c - FirstRun);
            return v.size() > 300 ? QString(v.left(299) + QChar(0x2026)) : v;
        }
        return r.values.value(c - FirstRun);
    case Qt::AccessibleTextRole:
        if (c >= FirstRun)
            return QString((r.differs ? tr("differs: ") : QString()) + r.values.value(c - FirstRun));
        return data(index, Qt::DisplayRole);
    case Qt::FontRole:
        if (r.differs && c == Field) {
            QFont f;
            f.setBold(true);
            return f;
        }
        break;
    case Qt::BackgroundRole:
        // A translucent amber reads on light and dark bases alike.
        if (r.differs && c >= FirstRun) {
            QColor amber = tone::warning();
            amber.setAlpha(70);
            return amber;
        }
        break;
    case DiffersRole:
        return r.differs;
    default:
        break;
    }
    return {};
}

QVariant ComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        if (section == Section)
            return tr("Section");
        if (section == Field)
            return tr("Field");
        return m_comparison.runNames.value(section - FirstRun);
    }
    if (role == Qt::ToolTipRole && section >= FirstRun)
        return m_comparison.paths.value(section - FirstRun);
    return QAbstractTableModel::headerData(section, orientation, role);
}

ComparisonFilterProxy::ComparisonFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{ }

void ComparisonFilterProxy::setOnlyDifferences(bool only)
{
    if (only == m_only)
        return;
    m_only = only;
    invalidateRowsFilter();
}

bool ComparisonFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!m_only)
        return true;
    return sourceModel()->index(sourceRow, 0, sourceParent).data(ComparisonModel::DiffersRole).toBool();
}

} // namespace djp
