#pragma once
// The Runs tab: every run of the filtered set in a sortable table (docs/gui.md). Double-click or Enter
// asks to open the run in the Inspector. No per-row widgets: fixed row heights, so 100k rows scroll
// as fast as 100.
#include <QWidget>

class QLabel;
class QMenu;
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
    // Artifacts of the selected rows, in the order shown (Ctrl/Shift-click selects several).
    QStringList selectedPaths() const;
    // Selects exactly these runs (those shown); returns how many were found.
    int selectPaths(const QStringList& artifactPaths);
    bool canCompare() const; // 2 to 4 runs selected
    QMenu* createRowMenu(QWidget* parent); // Open in Inspector, Compare Selected Runs

    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray& state);
    // The column chooser (the header's context menu): one checkable entry per column, in the order
    // shown, and "Reset columns". The caller owns the menu.
    QMenu* createColumnMenu(QWidget* parent);
    void setColumnShown(int column, bool shown); // never hides the last shown column
    void resetColumns(); // default order, widths and visibility
    // Text shown instead of the table when it has no rows (depends on whether anything is loaded).
    void setEmptyText(const QString& text);
    // A paged source (team history) arrives newest first and only partly: the table then keeps the
    // server's order (Time, newest first) and its header does not sort, since sorting the rows loaded
    // so far would misrepresent the rest. false restores sorting by any column.
    void setServerOrdered(bool serverOrdered);

Q_SIGNALS:
    void runActivated(const QString& artifactPath);
    // Columns were shown, hidden, moved or reset by the user: the window stores the header at once.
    void headerStateChanged();
    void compareRequested(const QStringList& artifactPaths); // 2 to 4 paths
    void selectionCountChanged(int count);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void applyDefaultColumns();
    void fitTextColumns();
    void updateEmptyState();
    void activate(const QModelIndex& proxyIndex);

    RunTableModel* m_model;
    RunSortProxyModel* m_proxy;
    QStackedWidget* m_stack;
    QTableView* m_view;
    QLabel* m_empty;
    QString m_keepPath;
    QString m_scrollPathAfterSort; // scrolled to once the worker's sort is applied
    bool m_fitting = false;
    bool m_userSized[16] = {}; // per logical column: the user dragged its width, leave it alone
};

} // namespace djp
