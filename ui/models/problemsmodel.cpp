#include "models/problemsmodel.h"

#include "display/vocabularytext.h"

#include <QDir>

namespace djp {

ProblemsModel::ProblemsModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

int ProblemsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_problems.size());
}

int ProblemsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ProblemsModel::displayPath(const QString& path) const
{
    if (m_baseDir.isEmpty())
        return path;
    const QString rel = QDir(m_baseDir).relativeFilePath(path);
    return rel.startsWith(QLatin1String("..")) ? path : rel;
}

QVariant ProblemsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Problem& p = m_problems[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case File:
            return displayPath(p.path);
        case Code:
            return problemLabel(p.code);
        case Detail:
            return p.detail;
        }
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case File:
            return p.path;
        case Code:
            return tr("%1 (code %2)\n%3").arg(problemLabel(p.code), p.code, problemAdvice(p.code));
        case Detail:
            return p.detail;
        }
        break;
    case PathRole:
        return p.path;
    case CodeRole:
        return p.code;
    }
    return {};
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole) {
        switch (section) {
        case File:
            return tr("File");
        case Code:
            return tr("Problem");
        case Detail:
            return tr("Detail");
        }
    }
    return QAbstractTableModel::headerData(section, orientation, role);
}

void ProblemsModel::setBaseDir(const QString& dir)
{
    if (dir == m_baseDir)
        return;
    m_baseDir = dir;
    if (!m_problems.empty())
        Q_EMIT dataChanged(index(0, File), index(rowCount() - 1, File));
}

void ProblemsModel::setProblems(std::vector<Problem> problems)
{
    beginResetModel();
    m_problems = std::move(problems);
    endResetModel();
}

void ProblemsModel::appendProblems(const std::vector<Problem>& problems)
{
    if (problems.empty())
        return;
    const int first = rowCount();
    beginInsertRows({}, first, first + static_cast<int>(problems.size()) - 1);
    m_problems.insert(m_problems.end(), problems.begin(), problems.end());
    endInsertRows();
}

void ProblemsModel::clear()
{
    setProblems({});
}

} // namespace djp
