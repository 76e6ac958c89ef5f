#pragma once
// The Inspector tab (docs/gui.md): one artifact as a collapsible tree and as raw pretty JSON, with
// search, copy value / JSON pointer, a quick-stats panel and the per-call table.
// Thread contract: GUI thread only. Loading (read, parse, node table, call rows, run record) runs on
// QThreadPool::globalInstance(); the latest showArtifact() wins and older results are dropped.
// Artifact text (task, drafts, reasons) is untrusted: it is only ever shown as plain text.
#include "session/latestrequest.h"

#include <QWidget>
#include <functional>
#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTabWidget;
class QTimer;
class QToolButton;
class QTreeView;
class QFormLayout;
QT_END_NAMESPACE

namespace djp {

class JsonTreeModel;
class CallsTableModel;
struct InspectorContent;

class InspectorPage : public QWidget
{
    Q_OBJECT
public:
    explicit InspectorPage(QWidget* parent = nullptr);
    ~InspectorPage() override;

    // Where artifacts come from: null = the disk (a runs folder); else this function, called on a pool
    // thread with the run's path, returns its bytes or nullopt with an error (a team history).
    using ArtifactFetcher = std::function<std::optional<QByteArray>(const QString& path, QString* error)>;
    void setArtifactFetcher(ArtifactFetcher fetcher) { m_fetcher = std::move(fetcher); }

    // Loads the artifact off the GUI thread; emits artifactShown() or artifactFailed() when done.
    void showArtifact(const QString& absolutePath);
    void clear();
    // The path last passed to showArtifact() (also while it is still loading); empty after clear().
    QString currentPath() const;
    bool isLoading() const;

    // Search (also driven by the search box, Enter / F3 / Shift+F3). Selects and reveals the next
    // (previous) key or value containing the search text, wrapping. Returns false when none matches.
    void setSearchText(const QString& text);
    bool findNext();
    bool findPrevious();

    // The selected tree node: its full value (strings unquoted, containers as pretty JSON) and its
    // RFC 6901 JSON pointer, as put on the clipboard by copyValue() / copyPointer().
    QString selectedValue() const;
    QString selectedPointer() const;
    // Selects the node at a JSON pointer ("/judge/ranked_drafts/1"); false if there is none.
    bool selectPointer(const QString& pointer);

    QTreeView* treeView() const { return m_tree; }
    QPlainTextEdit* rawView() const { return m_raw; }

public Q_SLOTS:
    // Ctrl+F belongs to the main window (it routes it here while the Inspector tab is current).
    void focusSearch();
    void copyValue();
    void copyPointer();

Q_SIGNALS:
    // The tree, raw, stats and calls views now show `path`.
    void artifactShown(const QString& path);
    // `path` could not be used as a run artifact; the page shows the problem (code and detail).
    void artifactFailed(const QString& path, const QString& code);

private:
    void buildUi();
    QWidget* buildStatsPanel();
    void apply(const std::shared_ptr<const InspectorContent>& content);
    void showProblem(const QString& path, const QString& code, const QString& detail);
    void fillStats(const InspectorContent& c);
    void clearViews();
    bool find(bool backward);
    void refreshSearchHighlights();
    void syncRawToCurrentNode();
    void showTreeContextMenu(const QPoint& pos);
    void setStat(const char* name, const QString& value);

    JsonTreeModel* m_treeModel = nullptr;
    CallsTableModel* m_callsModel = nullptr;
    QSortFilterProxyModel* m_callsProxy = nullptr;

    QLabel* m_pathLabel = nullptr;
    QLineEdit* m_search = nullptr;
    QToolButton* m_prevButton = nullptr;
    QToolButton* m_nextButton = nullptr;
    QLabel* m_matchLabel = nullptr;
    QLabel* m_problemLabel = nullptr;
    QLabel* m_placeholder = nullptr;
    QSplitter* m_body = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTreeView* m_tree = nullptr;
    QPlainTextEdit* m_raw = nullptr;
    QLabel* m_rawNote = nullptr;
    QFormLayout* m_statsForm = nullptr;
    QLabel* m_callsTitle = nullptr;
    QTableView* m_calls = nullptr;
    QTimer* m_searchDebounce = nullptr;

    QString m_path;
    LatestRequest m_latest; // artifact loads: the latest request wins
    bool m_loading = false;
    ArtifactFetcher m_fetcher;
    std::shared_ptr<const InspectorContent> m_shown;
};

} // namespace djp
