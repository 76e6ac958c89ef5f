#pragma once
// The list of files that could not be read (opened from the message bar's "Show details"):
// file, problem, detail, and what to do about it. Not modal: the user can keep working.
#include <QDialog>

class QLabel;
class QTableView;

namespace djp {

class ProblemsModel;

class ProblemsDialog : public QDialog
{
    Q_OBJECT
public:
    ProblemsDialog(ProblemsModel* model, const QString& runsDir, QWidget* parent = nullptr);
    void setRunsDir(const QString& dir);
    QTableView* view() const { return m_view; }

private:
    void copyList() const;
    void updateAdvice();

    ProblemsModel* m_model;
    QString m_runsDir;
    QTableView* m_view;
    QLabel* m_advice;
};

} // namespace djp
