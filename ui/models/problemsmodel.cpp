#include "models/problemsmodel.h"

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
            return describeProblem(p.code);
        case Detail:
            return p.detail;
        }
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case File:
            return p.path;
        case Code:
            return tr("%1 (code %2)\n%3").arg(describeProblem(p.code), p.code, adviceFor(p.code));
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

QString ProblemsModel::describeProblem(const QString& code)
{
    if (code == QLatin1String("io_error"))
        return tr("Could not be read");
    if (code == QLatin1String("empty"))
        return tr("Empty file");
    if (code == QLatin1String("too_large"))
        return tr("Too large for a run artifact");
    if (code == QLatin1String("binary"))
        return tr("Not a text file");
    if (code == QLatin1String("not_json"))
        return tr("Not valid JSON");
    if (code == QLatin1String("too_deep"))
        return tr("JSON nested too deeply");
    if (code == QLatin1String("not_object"))
        return tr("Not a JSON object");
    if (code == QLatin1String("no_schema_version"))
        return tr("No schema_version");
    if (code == QLatin1String("no_run_metadata"))
        return tr("No run_metadata");
    if (code == QLatin1String("unsupported_version"))
        return tr("Newer schema version than this app reads");
    if (code == QLatin1String("wrong_type"))
        return tr("A section has the wrong type");
    // Notes of what the store put right before reading (store/runsfolderrepair.h).
    if (code == QLatin1String("recovered_temp"))
        return tr("Recovered: a complete run left under a temporary name");
    if (code == QLatin1String("removed_temp"))
        return tr("Removed: an incomplete temporary file older than an hour");
    if (code == QLatin1String("kept_temp"))
        return tr("An incomplete temporary file (may still be being written)");
    if (code == QLatin1String("recovered_interrupted_run"))
        return tr("Recovered: a run interrupted before its artifact was written");
    if (code == QLatin1String("journal_error") || code == QLatin1String("repair_error"))
        return tr("Left by an interrupted run; could not be recovered");
    return code;
}

QString ProblemsModel::adviceFor(const QString& code)
{
    if (code == QLatin1String("io_error"))
        return tr("Check the file's permissions, then reload (F5).");
    if (code == QLatin1String("unsupported_version"))
        return tr("Open this folder with a newer DJP Studio.");
    if (code == QLatin1String("not_json") || code == QLatin1String("empty") || code == QLatin1String("wrong_type"))
        return tr("The file is damaged or truncated; restore it from a backup or move it out of the runs folder.");
    if (code == QLatin1String("recovered_temp") || code == QLatin1String("removed_temp")
        || code == QLatin1String("recovered_interrupted_run"))
        return tr("Nothing to do: this lists what was put right when the folder was read.");
    if (code == QLatin1String("kept_temp"))
        return tr("Nothing to do: it is recovered or removed at a later reload.");
    return tr("This file is not a run artifact; move it out of the runs folder to silence this message.");
}

} // namespace djp
