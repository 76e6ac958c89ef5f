#pragma once
// Files of the runs folder that could not be read as run artifacts: one row per problem (file,
// problem in words, the engine's detail). The engine reports codes; the words are in
// display/vocabularytext.h.
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

private:
    QString displayPath(const QString& path) const;

    QString m_baseDir;
    std::vector<Problem> m_problems;
};

} // namespace djp
