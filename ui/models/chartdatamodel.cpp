#include "models/chartdatamodel.h"

#include "display/displayformat.h"

#include <QCoreApplication>

namespace djp {

ChartDataTable chartDataTable(const CategorySeries& series, const QString& categoryHeader, const QString& valueHeader)
{
    ChartDataTable t;
    t.headers = { categoryHeader, valueHeader };
    t.numeric = { false, true };
    for (int i = 0; i < series.values.size(); ++i)
        t.rows.append({ series.fullLabels.value(i, series.labels.value(i)), series.valueTexts.value(i) });
    return t;
}

ChartDataTable chartDataTable(const TrendSeries& series)
{
    ChartDataTable t;
    t.headers = { QCoreApplication::translate("djp::ChartDataModel", "Period"),
        QCoreApplication::translate("djp::ChartDataModel", "Cost"),
        QCoreApplication::translate("djp::ChartDataModel", "Runs") };
    t.numeric = { false, true, true };
    for (int i = 0; i < series.points.size(); ++i)
        t.rows.append({ series.periodTexts.value(i), series.costTexts.value(i),
            i < series.runCounts.size() ? formatCount(series.runCounts.at(i)) : QString() });
    return t;
}

QString chartDataTsv(const ChartDataTable& table)
{
    // Tabs and line breaks inside a cell would split it; spaces keep the grid intact.
    const auto clean = [](QString s) {
        s.replace(u'\t', u' ');
        s.replace(u'\n', u' ');
        return s;
    };
    QStringList lines;
    QStringList header;
    for (const QString& h : table.headers)
        header << clean(h);
    lines << header.join(u'\t');
    for (const QStringList& row : table.rows) {
        QStringList cells;
        for (const QString& c : row)
            cells << clean(c);
        lines << cells.join(u'\t');
    }
    return lines.join(u'\n') + u'\n';
}

ChartDataModel::ChartDataModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void ChartDataModel::setTable(const ChartDataTable& table)
{
    beginResetModel();
    m_table = table;
    endResetModel();
}

int ChartDataModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_table.rows.size());
}

int ChartDataModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_table.headers.size());
}

QVariant ChartDataModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return m_table.rows.at(index.row()).value(index.column());
    case Qt::TextAlignmentRole:
        if (m_table.numeric.value(index.column()))
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant ChartDataModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && section >= 0 && section < m_table.headers.size()
        && (role == Qt::DisplayRole || role == Qt::AccessibleTextRole))
        return m_table.headers.at(section);
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace djp
