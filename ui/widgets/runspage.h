#pragma once
// The Runs tab: every run of the filtered set in a sortable table (SPEC §9). Double-click or Enter
// asks to open the run in the Inspector. No per-row widgets: fixed row heights, so 100k rows scroll
// as fast as 100.
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTableView;

namespace djp {

class RunSortProxyModel;
class RunTableModel;

class RunsPage : public QWidget
{
    Q_OBJECT
public:
    explicit RunsPage(RunTableModel* model, QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    RunSortProxyModel* proxy() const { return m_proxy; }
    QString currentPath() const; // artifact of the current row, empty if none
    bool selectPath(const QString& artifactPath);

    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray& state);
    // Text shown instead of the table when it has no rows (depends on whether anything is loaded).
    void setEmptyText(const QString& text);

Q_SIGNALS:
    void runActivated(const QString& artifactPath);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void updateEmptyState();
    void activate(const QModelIndex& proxyIndex);

    RunTableModel* m_model;
    RunSortProxyModel* m_proxy;
    QStackedWidget* m_stack;
    QTableView* m_view;
    QLabel* m_empty;
    QString m_keepPath;
};

} // namespace djp
