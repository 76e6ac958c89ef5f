#include "inspectorpage.h"

#include "artifact/artifactdocument.h"
#include "artifact/artifactscanner.h"
#include "display/chartseries.h"
#include "display/displayformat.h"
#include "display/vocabularytext.h"
#include "models/callstablemodel.h"
#include "models/jsontreemodel.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextBlock>
#include <QThreadPool>
#include <QTimeZone>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace djp {

// Everything the page shows about one artifact, built off the GUI thread and never modified after.
struct InspectorContent
{
    QString path;
    std::optional<Problem> problem;
    std::shared_ptr<const JsonNodeTable> tree;
    std::shared_ptr<const CallRows> calls;
    std::optional<RunRecord> record; // the docs/metrics.md flat record, for the quick stats
};

namespace {

// Raw views beyond this many characters show only their beginning: QPlainTextEdit lays out on the
// GUI thread, and the tree shows the whole document anyway.
constexpr qsizetype kMaxRawChars = 4 * 1024 * 1024;
constexpr int kMaxHighlights = 2000;

// Runs on a pool thread. With a fetcher (a team history) the bytes come from it instead of the disk.
std::shared_ptr<const InspectorContent> loadContent(const QString& path, const InspectorPage::ArtifactFetcher& fetch)
{
    auto c = std::make_shared<InspectorContent>();
    c->path = path;
    QByteArray fetched;
    ArtifactDocument doc;
    if (fetch) {
        QString error;
        std::optional<QByteArray> bytes = fetch(path, &error);
        if (!bytes) {
            c->problem = Problem { path, vocabularyId(ProblemCode::TeamHistory), error };
            return c;
        }
        fetched = std::move(*bytes);
        doc = parseArtifactDocument(path, std::string_view(fetched.constData(), size_t(fetched.size())));
    } else {
        doc = loadArtifactDocument(path);
    }
    if (doc.problem) {
        c->problem = std::move(doc.problem);
        return c;
    }
    auto json = std::make_shared<const Json>(std::move(doc.json));
    c->calls = std::make_shared<const CallRows>(callRowsFromArtifact(*json));
    c->tree = JsonNodeTable::build(std::move(json));
    // The quick stats use the engine's own reading of the artifact (docs/metrics.md defaults and derived
    // fields), so the Inspector, the Runs table and the KPIs never disagree.
    ArtifactScanner scanner;
    c->record = fetch ? scanner.parse(path, std::string_view(fetched.constData(), size_t(fetched.size()))).record
                      : scanner.readFile(path).record;
    return c;
}

QLabel* plainLabel(QWidget* parent = nullptr)
{
    auto* l = new QLabel(parent);
    l->setTextFormat(Qt::PlainText); // artifact text is untrusted: never rich text
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

} // namespace

InspectorPage::InspectorPage(QWidget* parent)
    : QWidget(parent)
    , m_treeModel(new JsonTreeModel(this))
    , m_callsModel(new CallsTableModel(this))
    , m_callsProxy(new QSortFilterProxyModel(this))
{
    m_callsProxy->setSourceModel(m_callsModel);
    m_callsProxy->setSortRole(CallsTableModel::SortRole);
    buildUi();
    clearViews();
}

InspectorPage::~InspectorPage() = default;

void InspectorPage::buildUi()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    auto* top = new QHBoxLayout;
    m_pathLabel = plainLabel();
    m_pathLabel->setObjectName(QStringLiteral("pathLabel"));
    m_pathLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    QFont bold = m_pathLabel->font();
    bold.setBold(true);
    m_pathLabel->setFont(bold);
    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("searchEdit"));
    m_search->setPlaceholderText(tr("Find key or value (Enter, F3, Shift+F3)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Find in the artifact"));
    m_search->setMinimumWidth(260);
    m_prevButton = new QToolButton;
    m_prevButton->setArrowType(Qt::UpArrow);
    m_prevButton->setToolTip(tr("Previous match (Shift+F3)"));
    m_prevButton->setAccessibleName(tr("Previous match"));
    m_nextButton = new QToolButton;
    m_nextButton->setArrowType(Qt::DownArrow);
    m_nextButton->setToolTip(tr("Next match (F3)"));
    m_nextButton->setAccessibleName(tr("Next match"));
    m_matchLabel = plainLabel();
    m_matchLabel->setObjectName(QStringLiteral("matchLabel"));
    m_matchLabel->setMinimumWidth(90);
    top->addWidget(m_pathLabel, 1);
    top->addWidget(m_search);
    top->addWidget(m_prevButton);
    top->addWidget(m_nextButton);
    top->addWidget(m_matchLabel);
    layout->addLayout(top);

    m_problemLabel = plainLabel();
    m_problemLabel->setObjectName(QStringLiteral("problemLabel"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setMargin(10);
    m_problemLabel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    // Fixed colours on purpose: readable on light and dark windows alike.
    m_problemLabel->setStyleSheet(QStringLiteral(
        "QLabel { background: #f8d7da; color: #58151c; border: 1px solid #f1aeb5; border-radius: 4px; }"));
    layout->addWidget(m_problemLabel);

    m_placeholder = plainLabel();
    m_placeholder->setObjectName(QStringLiteral("inspectorPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setText(tr("No run selected.\nDouble-click a run in the Runs tab to inspect its artifact."));
    layout->addWidget(m_placeholder, 1);

    // Tree and raw views.
    m_tree = new QTreeView;
    m_tree->setAccessibleName(tr("Artifact as a tree: key, value, type"));
    m_tree->setObjectName(QStringLiteral("jsonTree"));
    m_tree->setModel(m_treeModel);
    m_tree->setUniformRowHeights(true); // keeps huge arrays cheap to scroll
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->resizeSection(JsonTreeModel::KeyColumn, 240);
    m_tree->header()->resizeSection(JsonTreeModel::TypeColumn, 80);
    connect(m_tree, &QWidget::customContextMenuRequested, this, &InspectorPage::showTreeContextMenu);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &InspectorPage::syncRawToCurrentNode);
    auto* copyShortcut = new QShortcut(QKeySequence::Copy, m_tree, nullptr, nullptr, Qt::WidgetShortcut);
    connect(copyShortcut, &QShortcut::activated, this, &InspectorPage::copyValue);
    auto* copyPtrShortcut
        = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), m_tree, nullptr, nullptr, Qt::WidgetShortcut);
    connect(copyPtrShortcut, &QShortcut::activated, this, &InspectorPage::copyPointer);

    auto* rawPage = new QWidget;
    auto* rawLayout = new QVBoxLayout(rawPage);
    rawLayout->setContentsMargins(0, 0, 0, 0);
    m_rawNote = plainLabel();
    m_rawNote->setObjectName(QStringLiteral("rawNote"));
    m_rawNote->setWordWrap(true);
    m_raw = new QPlainTextEdit;
    m_raw->setAccessibleName(tr("Artifact as JSON text"));
    m_raw->setObjectName(QStringLiteral("rawJson"));
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    rawLayout->addWidget(m_rawNote);
    rawLayout->addWidget(m_raw);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("inspectorTabs"));
    m_tabs->addTab(m_tree, tr("Tree"));
    m_tabs->addTab(rawPage, tr("Raw JSON"));

    // Quick stats beside the tree; calls below both.
    auto* upper = new QSplitter(Qt::Horizontal);
    upper->addWidget(m_tabs);
    upper->addWidget(buildStatsPanel());
    upper->setStretchFactor(0, 3);
    upper->setStretchFactor(1, 2);
    upper->setChildrenCollapsible(false);
    upper->setSizes({ 800, 420 });

    auto* callsBox = new QWidget;
    auto* callsLayout = new QVBoxLayout(callsBox);
    callsLayout->setContentsMargins(0, 4, 0, 0);
    m_callsTitle = plainLabel();
    m_callsTitle->setObjectName(QStringLiteral("callsTitle"));
    m_callsTitle->setFont(bold);
    m_calls = new QTableView;
    m_calls->setAccessibleName(tr("Calls of this run"));
    m_calls->setObjectName(QStringLiteral("callsTable"));
    m_calls->setModel(m_callsProxy);
    m_calls->setSortingEnabled(true);
    m_calls->sortByColumn(-1, Qt::AscendingOrder); // artifact order until the user sorts
    m_calls->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_calls->setAlternatingRowColors(true);
    m_calls->verticalHeader()->hide();
    m_calls->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_calls->horizontalHeader()->setSectionResizeMode(CallsTableModel::Label, QHeaderView::Stretch);
    m_calls->verticalHeader()->setDefaultSectionSize(m_calls->fontMetrics().height() + 8);
    callsLayout->addWidget(m_callsTitle);
    callsLayout->addWidget(m_calls);

    m_body = new QSplitter(Qt::Vertical);
    m_body->setObjectName(QStringLiteral("inspectorBody"));
    m_body->addWidget(upper);
    m_body->addWidget(callsBox);
    m_body->setStretchFactor(0, 3);
    m_body->setStretchFactor(1, 1);
    m_body->setChildrenCollapsible(false);
    m_body->setSizes({ 600, 220 });
    layout->addWidget(m_body, 1);
    // Takes the free space only when neither the body nor the placeholder is shown (problem state).
    layout->addStretch(0);

    // Search: find as you type (debounced), Enter / F3 for the next match, Shift+F3 for the previous.
    m_searchDebounce = new QTimer(this);
    m_searchDebounce->setObjectName(QStringLiteral("searchDebounce"));
    m_searchDebounce->setSingleShot(true);
    m_searchDebounce->setInterval(250);
    connect(m_searchDebounce, &QTimer::timeout, this, [this] {
        refreshSearchHighlights();
        const auto& table = m_treeModel->table();
        // Typing more letters keeps the current match if it still matches.
        if (table && !m_search->text().isEmpty()
            && !table->matches(m_treeModel->nodeId(m_tree->currentIndex()), m_search->text()))
            find(false);
    });
    connect(m_search, &QLineEdit::textEdited, m_searchDebounce, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_searchDebounce->stop();
        refreshSearchHighlights();
        findNext();
    });
    connect(m_nextButton, &QToolButton::clicked, this, &InspectorPage::findNext);
    connect(m_prevButton, &QToolButton::clicked, this, &InspectorPage::findPrevious);
    auto* f3 = new QShortcut(QKeySequence(Qt::Key_F3), this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(f3, &QShortcut::activated, this, &InspectorPage::findNext);
    auto* shiftF3
        = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3), this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(shiftF3, &QShortcut::activated, this, &InspectorPage::findPrevious);
}

QWidget* InspectorPage::buildStatsPanel()
{
    auto* panel = new QWidget;
    panel->setObjectName(QStringLiteral("quickStats"));
    m_statsForm = new QFormLayout(panel);
    m_statsForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_statsForm->setRowWrapPolicy(QFormLayout::DontWrapRows);
    m_statsForm->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    const std::pair<const char*, QString> rows[] = {
        { "task", tr("Task") },
        { "status", tr("Status") },
        { "provider", tr("Provider") },
        { "preset", tr("Preset") },
        { "time", tr("Time") },
        { "tokens", tr("Tokens") },
        { "cost", tr("Cost") },
        { "duration", tr("Duration") },
        { "reason", tr("Reason") },
        { "grounding", tr("Grounding") },
        { "redaction", tr("Redaction") },
        { "simulated", tr("Simulated") },
        { "calls", tr("Calls") },
        { "budget", tr("Budget") },
        { "run_id", tr("Run id") },
        { "schema", tr("Schema") },
        { "file", tr("File") },
    };
    for (const auto& [name, title] : rows) {
        QLabel* value = plainLabel();
        value->setObjectName(QStringLiteral("stat_") + QLatin1String(name));
        value->setWordWrap(true);
        value->setMinimumWidth(80);
        auto* caption = new QLabel(title);
        caption->setTextFormat(Qt::PlainText);
        m_statsForm->addRow(caption, value);
    }
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // values wrap instead
    scroll->setWidget(panel);
    scroll->setMinimumWidth(260);
    return scroll;
}

void InspectorPage::setStat(const char* name, const QString& value)
{
    if (auto* l = findChild<QLabel*>(QStringLiteral("stat_") + QLatin1String(name)))
        l->setText(value.isEmpty() ? QStringLiteral("—") : value);
}

void InspectorPage::showArtifact(const QString& absolutePath)
{
    if (absolutePath.isEmpty()) {
        clear();
        return;
    }
    m_path = absolutePath;
    m_loading = true;
    const LatestRequest::Ticket ticket = m_latest.next();
    m_pathLabel->setText(tr("Loading %1…").arg(absolutePath));
    m_pathLabel->setToolTip(plainTextToolTip(absolutePath));
    auto* watcher = new QFutureWatcher<std::shared_ptr<const InspectorContent>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, ticket] {
        watcher->deleteLater();
        if (!ticket.isLatest())
            return; // a newer request (or clear()) superseded this one
        m_loading = false;
        apply(watcher->result());
    });
    // A fetch waits on the network: not on Qt's global pool, whose threads the GUI thread's own image
    // work waits for.
    static QThreadPool fetchPool;
    watcher->setFuture(m_fetcher ? QtConcurrent::run(&fetchPool, &loadContent, absolutePath, m_fetcher)
                                 : QtConcurrent::run(&loadContent, absolutePath, m_fetcher));
}

void InspectorPage::clear()
{
    m_latest.dropAll(); // drops any load in flight
    m_loading = false;
    m_path.clear();
    clearViews();
}

QString InspectorPage::currentPath() const
{
    return m_path;
}

bool InspectorPage::isLoading() const
{
    return m_loading;
}

void InspectorPage::clearViews()
{
    m_shown.reset();
    m_treeModel->clear();
    m_callsModel->clear();
    m_raw->clear();
    m_raw->setExtraSelections({});
    m_rawNote->hide();
    m_problemLabel->hide();
    m_problemLabel->clear();
    m_pathLabel->clear();
    m_pathLabel->setToolTip(QString());
    m_matchLabel->clear();
    for (QWidget* w :
        { static_cast<QWidget*>(m_search), static_cast<QWidget*>(m_prevButton), static_cast<QWidget*>(m_nextButton) })
        w->setEnabled(false);
    m_body->hide();
    m_placeholder->show();
}

void InspectorPage::showProblem(const QString& path, const QString& code, const QString& detail)
{
    m_problemLabel->setText(
        tr("%1 cannot be shown.\n%2\nCode: %3%4\nFix or remove the file; other runs are not "
           "affected.")
            .arg(path, problemSentence(code), code, detail.isEmpty() ? QString() : tr(" — %1").arg(detail)));
    m_problemLabel->show();
}

void InspectorPage::apply(const std::shared_ptr<const InspectorContent>& content)
{
    clearViews();
    m_shown = content;
    m_pathLabel->setText(content->path);
    m_pathLabel->setToolTip(plainTextToolTip(content->path));
    if (content->problem) {
        showProblem(content->path, content->problem->code, content->problem->detail);
        m_placeholder->hide();
        Q_EMIT artifactFailed(content->path, content->problem->code);
        return;
    }
    m_placeholder->hide();
    m_body->show();
    for (QWidget* w :
        { static_cast<QWidget*>(m_search), static_cast<QWidget*>(m_prevButton), static_cast<QWidget*>(m_nextButton) })
        w->setEnabled(true);

    m_treeModel->setTable(content->tree);
    m_tree->expandToDepth(0);
    const QString& pretty = content->tree->prettyText();
    if (pretty.size() > kMaxRawChars) {
        m_raw->setPlainText(pretty.left(kMaxRawChars));
        m_rawNote->setText(tr("Showing the first %1 of %2 characters. The tree shows the whole document.")
                               .arg(formatCount(kMaxRawChars), formatCount(pretty.size())));
        m_rawNote->show();
    } else {
        m_raw->setPlainText(pretty);
    }

    m_callsModel->setRows(content->calls);
    const int callCount = content->calls ? static_cast<int>(content->calls->size()) : 0;
    m_callsTitle->setText(callCount > 0 ? tr("Calls (%n attempt(s))", nullptr, callCount)
                                        : tr("Calls — none recorded (legacy 1.x artifacts have no per-call records)"));
    fillStats(*content);
    refreshSearchHighlights();
    Q_EMIT artifactShown(content->path);
}

void InspectorPage::fillStats(const InspectorContent& c)
{
    setStat("file", c.path);
    if (!c.record) {
        for (const char* name : { "task", "status", "provider", "preset", "time", "tokens", "cost", "duration",
                 "reason", "grounding", "redaction", "simulated", "calls", "budget", "run_id", "schema" })
            setStat(name, QString());
        return;
    }
    const RunRecord& r = *c.record;
    setStat("task", r.task);
    setStat("status", statusDisplayName(r.status) + QStringLiteral(" (") + r.status + u')');
    QString provider = r.provider;
    if (!r.winnerProvider.isEmpty() && r.winnerProvider != r.provider)
        provider
            += (provider.isEmpty() ? QString() : QStringLiteral("; ")) + tr("judge winner: %1").arg(r.winnerProvider);
    setStat("provider", provider);
    setStat("preset", r.presetName);
    if (r.hasTimestamp) {
        const QDateTime written = QDateTime::fromMSecsSinceEpoch(r.timestampMs, QTimeZone(r.utcOffsetSeconds));
        // Spaces give the label places to wrap; the offset is the one the run was written with.
        setStat("time", written.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t")));
    } else {
        setStat("time", tr("missing or unreadable (counts only under \"all time\")"));
    }
    setStat("tokens",
        tr("%1 (in %2, out %3)").arg(formatCount(r.totalTokens), formatCount(r.tokensIn), formatCount(r.tokensOut)));
    if (r.costComplete)
        setStat("cost", formatMoney(r.estCost));
    else if (r.estCost > 0)
        setStat("cost", tr("at least %1 (some calls unpriced)").arg(formatMoney(r.estCost)));
    else
        setStat("cost", tr("unknown (unpriced calls)"));
    setStat("duration", r.duration > 0 ? formatDurationSeconds(r.duration) : tr("not recorded"));
    setStat("reason", reasonDisplayText(r.advisoryReason));
    if (r.grounded)
        setStat("grounding", tr("on: %1 citations, %2 required").arg(r.citationsCount).arg(r.groundedRequired));
    else
        setStat("grounding", tr("off"));
    if (r.redacted)
        setStat("redaction", tr("%1 redactions (%2)").arg(r.redactionCount).arg(r.redactionTypes));
    else
        setStat("redaction", tr("none"));
    setStat("simulated", r.simulated ? tr("yes (simulated provider, not real answers or costs)") : tr("no"));
    setStat("calls",
        r.calls > 0 ? tr("%n attempt(s), %1 failed, %2 retried", nullptr, r.calls).arg(r.failedCalls).arg(r.retries)
                    : QString());
    QString budget;
    if (r.budgetUsd)
        budget = formatMoney(*r.budgetUsd);
    if (!r.budgetStatus.isEmpty())
        budget += (budget.isEmpty() ? QString() : QStringLiteral(", ")) + r.budgetStatus;
    if (r.stoppedEarly)
        budget += tr(", stopped early");
    setStat("budget", budget);
    setStat("run_id", r.runId);
    setStat("schema", r.schemaVersion);
}

// ---- search ------------------------------------------------------------------------------------

void InspectorPage::setSearchText(const QString& text)
{
    m_search->setText(text);
    m_searchDebounce->stop();
    refreshSearchHighlights();
}

bool InspectorPage::findNext()
{
    return find(false);
}

bool InspectorPage::findPrevious()
{
    return find(true);
}

bool InspectorPage::find(bool backward)
{
    const auto& table = m_treeModel->table();
    const QString needle = m_search->text();
    if (!table || needle.isEmpty())
        return false;
    const QModelIndex current = m_tree->currentIndex();
    const int from = current.isValid() ? m_treeModel->nodeId(current) : -1;
    const int id = table->find(needle, from, backward);
    if (id < 0) {
        m_matchLabel->setText(tr("No match"));
        return false;
    }
    const QModelIndex index = m_treeModel->indexForNode(id);
    for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
        m_tree->expand(p);
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
    return true;
}

void InspectorPage::refreshSearchHighlights()
{
    const auto& table = m_treeModel->table();
    const QString needle = m_search->text();
    QList<QTextEdit::ExtraSelection> selections;
    if (!table || needle.isEmpty()) {
        m_matchLabel->clear();
    } else {
        const int count = table->countMatches(needle);
        m_matchLabel->setText(tr("%n match(es)", nullptr, count));
        QTextCharFormat fmt;
        fmt.setBackground(palette().color(QPalette::Highlight));
        fmt.setForeground(palette().color(QPalette::HighlightedText));
        QTextDocument* doc = m_raw->document();
        QTextCursor c(doc);
        while (selections.size() < kMaxHighlights) {
            c = doc->find(needle, c);
            if (c.isNull())
                break;
            selections.append({ c, fmt });
        }
    }
    m_raw->setExtraSelections(selections);
}

void InspectorPage::syncRawToCurrentNode()
{
    const QModelIndex current = m_tree->currentIndex();
    if (!current.isValid())
        return;
    const int line = current.data(JsonTreeModel::LineRole).toInt();
    const QTextBlock block = m_raw->document()->findBlockByNumber(line);
    if (!block.isValid())
        return;
    QTextCursor c(block);
    m_raw->setTextCursor(c);
    m_raw->centerCursor();
}

// ---- copy --------------------------------------------------------------------------------------

QString InspectorPage::selectedValue() const
{
    const QModelIndex i = m_tree->currentIndex();
    return i.isValid() ? i.data(JsonTreeModel::ValueTextRole).toString() : QString();
}

QString InspectorPage::selectedPointer() const
{
    const QModelIndex i = m_tree->currentIndex();
    return i.isValid() ? i.data(JsonTreeModel::JsonPointerRole).toString() : QString();
}

bool InspectorPage::selectPointer(const QString& pointer)
{
    const auto& table = m_treeModel->table();
    const int id = table ? table->nodeForPointer(pointer) : -1;
    const QModelIndex index = m_treeModel->indexForNode(id);
    if (!index.isValid())
        return false;
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
    return true;
}

void InspectorPage::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void InspectorPage::copyValue()
{
    if (m_tree->currentIndex().isValid())
        QGuiApplication::clipboard()->setText(selectedValue());
}

void InspectorPage::copyPointer()
{
    if (m_tree->currentIndex().isValid())
        QGuiApplication::clipboard()->setText(selectedPointer());
}

void InspectorPage::showTreeContextMenu(const QPoint& pos)
{
    const QModelIndex index = m_tree->indexAt(pos);
    if (!index.isValid())
        return;
    m_tree->setCurrentIndex(index);
    QMenu menu(this);
    QAction* copy = menu.addAction(tr("Copy value"), this, &InspectorPage::copyValue);
    copy->setShortcut(QKeySequence::Copy);
    QAction* pointer = menu.addAction(tr("Copy JSON pointer"), this, &InspectorPage::copyPointer);
    pointer->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    menu.addAction(tr("Copy key"), this, [index] {
        QGuiApplication::clipboard()->setText(index.siblingAtColumn(JsonTreeModel::KeyColumn).data().toString());
    });
    if (m_treeModel->hasChildren(index.siblingAtColumn(0))) {
        menu.addSeparator();
        menu.addAction(
            tr("Expand all below"), this, [this, index] { m_tree->expandRecursively(index.siblingAtColumn(0)); });
        menu.addAction(tr("Collapse"), this, [this, index] { m_tree->collapse(index.siblingAtColumn(0)); });
    }
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

} // namespace djp
