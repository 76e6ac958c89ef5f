#pragma once
// Files of the runs folder that could not be read as run artifacts: one row per problem (file,
// problem in words, the engine's detail). The engine reports codes; describeProblem() writes words.
// Threading: GUI thread only.
#include "artifact/problem.h"

#include <QAbstractTableModel>
#include <vector>

namespace djp {

class ProblemsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        File,
        Code,
        Detail,
        ColumnCount
    };
    enum Role
    {
        PathRole = Qt::UserRole + 1,
        CodeRole
    };

    explicit ProblemsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // File names are shown relative to this folder (full path in the tooltip).
    void setBaseDir(const QString& dir);
    void setProblems(std::vector<Problem> problems); // one reset
    void appendProblems(const std::vector<Problem>& problems); // one insert
    void clear();
    const std::vector<Problem>& problems() const { return m_problems; }

    // "Not valid JSON", "Empty file", ... for an engine problem code; the code itself if unknown.
    static QString describeProblem(const QString& code);
    // What the user can do about it.
    static QString adviceFor(const QString& code);

private:
    QString displayPath(const QString& path) const;

    QString m_baseDir;
    std::vector<Problem> m_problems;
};

} // namespace djp
