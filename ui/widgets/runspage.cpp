#include "runspage.h"

#include "models/runtablemodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <iterator>

namespace djp {

RunsPage::RunsPage(RunTableModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new RunSortProxyModel(this))
    , m_stack(new QStackedWidget(this))
    , m_view(new QTableView(m_stack))
    , m_empty(new QLabel(m_stack))
{
    m_proxy->setSourceModel(model);
    m_view->setObjectName(QStringLiteral("runsTable"));
    m_view->setAccessibleName(tr("Runs"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RunTableModel::Time, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Several rows can be selected to compare them (2 to 4).
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu* menu = createRowMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_view->viewport()->mapToGlobal(pos));
    });
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Uniform row heights: the view never measures rows, whatever their count.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->verticalHeader()->hide();
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setResizeContentsPrecision(200); // fitting a column measures at most 200 rows
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setToolTip(tr("Right-click to choose the columns"));
    connect(header, &QWidget::customContextMenuRequested, this, [this, header](const QPoint& pos) {
        QMenu* menu = createColumnMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(header->mapToGlobal(pos));
    });
    connect(header, &QHeaderView::sectionMoved, this, &RunsPage::headerStateChanged);
    connect(header, &QHeaderView::sectionResized, this, [this](int logical, int, int) {
        if (!m_fitting && logical >= 0 && logical < 16)
            m_userSized[logical] = true;
    });
    applyDefaultColumns();
    m_view->setToolTip(QString()); // per-cell tooltips come from the model
    m_view->installEventFilter(this);

    m_empty->setObjectName(QStringLiteral("runsEmptyState"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setText(tr("No runs loaded."));
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_view, &QTableView::doubleClicked, this, &RunsPage::activate);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        [this] { Q_EMIT selectionCountChanged(static_cast<int>(selectedPaths().size())); });
    // Keep the selected run selected across re-filtering and live reloads (both reset the model).
    connect(m_proxy, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_keepPath = currentPath(); });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_keepPath.isEmpty())
            selectPath(m_keepPath);
        m_keepPath.clear();
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &RunsPage::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &RunsPage::fitTextColumns);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &RunsPage::fitTextColumns);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &RunsPage::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &RunsPage::updateEmptyState);
    updateEmptyState();
}

void RunsPage::applyDefaultColumns()
{
    QHeaderView* header = m_view->horizontalHeader();
    const QFontMetrics fm = m_view->fontMetrics();
    const auto width = [&fm](const char* sample, int extra = 0) {
        return fm.horizontalAdvance(QString::fromLatin1(sample)) + 24 + extra;
    };
    const int swatch = m_view->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_view) + 6;
    m_fitting = true;
    for (int c = 0; c < RunTableModel::ColumnCount; ++c) {
        header->setSectionHidden(c, false);
        header->moveSection(header->visualIndex(c), c);
    }
    // Time, Task, Status, Provider, Cost first: what analysts recognise and compare a run by, and all
    // of it in view at 1024 px without scrolling sideways. Then the figures, then the names.
    const int order[] = { RunTableModel::Time, RunTableModel::Task, RunTableModel::Status, RunTableModel::Provider,
        RunTableModel::Cost, RunTableModel::Tokens, RunTableModel::Duration, RunTableModel::Preset,
        RunTableModel::TraceName, RunTableModel::Simulated, RunTableModel::Reason };
    static_assert(std::size(order) == RunTableModel::ColumnCount);
    for (int v = 0; v < int(std::size(order)); ++v)
        header->moveSection(header->visualIndex(order[v]), v);
    header->resizeSection(RunTableModel::Time, width("2026-12-31 23:59:59"));
    header->resizeSection(RunTableModel::Task, width("Summarise the quarterly plan"));
    header->resizeSection(RunTableModel::TraceName, width("trace-name-0000"));
    header->resizeSection(RunTableModel::Preset, width("standard"));
    header->resizeSection(RunTableModel::Status, width("Advisory only", swatch));
    header->resizeSection(RunTableModel::Provider, width("anthropic/claude-3-5-sonnet"));
    header->resizeSection(RunTableModel::Tokens, width("1,000,000"));
    header->resizeSection(RunTableModel::Cost, width("$00.0000"));
    header->resizeSection(RunTableModel::Duration, width("10 min 00 s"));
    header->resizeSection(RunTableModel::Simulated, width("Simulated", 12));
    header->resizeSection(RunTableModel::Reason, width("not_from_allowed_provider"));
    header->setSectionResizeMode(QHeaderView::Interactive);
    // The last shown column takes what is left, so wide windows give text columns their room.
    header->setStretchLastSection(true);
    std::fill(std::begin(m_userSized), std::end(m_userSized), false);
    m_fitting = false;
}

void RunsPage::fitTextColumns()
{
    // Preset, provider and trace names are short: widen their columns to the longest one shown (never
    // narrower than the default, never more than ~45 characters) unless the user sized them.
    QHeaderView* header = m_view->horizontalHeader();
    const int cap = m_view->fontMetrics().horizontalAdvance(QLatin1Char('m')) * 30;
    m_fitting = true;
    for (int c : { int(RunTableModel::Preset), int(RunTableModel::Provider), int(RunTableModel::TraceName) }) {
        if (m_userSized[c] || header->isSectionHidden(c) || m_proxy->rowCount() == 0)
            continue;
        const int wanted = std::min(cap,
            std::max(static_cast<const QAbstractItemView*>(m_view)->sizeHintForColumn(c), header->sectionSizeHint(c)));
        if (wanted > header->sectionSize(c))
            header->resizeSection(c, wanted);
    }
    m_fitting = false;
}

QMenu* RunsPage::createColumnMenu(QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("runsColumnMenu"));
    QHeaderView* header = m_view->horizontalHeader();
    int shown = 0;
    for (int c = 0; c < header->count(); ++c)
        shown += header->isSectionHidden(c) ? 0 : 1;
    for (int v = 0; v < header->count(); ++v) {
        const int logical = header->logicalIndex(v);
        QAction* a = menu->addAction(m_proxy->headerData(logical, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(logical));
        a->setEnabled(!(a->isChecked() && shown == 1)); // keep at least one column
        a->setData(logical);
        connect(a, &QAction::toggled, this, [this, logical](bool on) { setColumnShown(logical, on); });
    }
    menu->addSeparator();
    QAction* reset = menu->addAction(tr("Reset Columns"), this, &RunsPage::resetColumns);
    reset->setObjectName(QStringLiteral("resetColumns"));
    return menu;
}

void RunsPage::setColumnShown(int column, bool shown)
{
    QHeaderView* header = m_view->horizontalHeader();
    if (column < 0 || column >= header->count() || header->isSectionHidden(column) == !shown)
        return;
    if (!shown && header->count() - header->hiddenSectionCount() <= 1)
        return;
    header->setSectionHidden(column, !shown);
    Q_EMIT headerStateChanged();
}

void RunsPage::resetColumns()
{
    applyDefaultColumns();
    fitTextColumns();
    Q_EMIT headerStateChanged();
}

QStringList RunsPage::selectedPaths() const
{
    QModelIndexList rows = m_view->selectionModel() ? m_view->selectionModel()->selectedRows() : QModelIndexList();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QStringList out;
    for (const QModelIndex& i : rows)
        out << i.data(RunTableModel::ArtifactPathRole).toString();
    return out;
}

int RunsPage::selectPaths(const QStringList& artifactPaths)
{
    QItemSelection selection;
    QModelIndex last;
    for (const QString& p : artifactPaths) {
        const int sourceRow = m_model->rowOfPath(p);
        if (sourceRow < 0)
            continue;
        last = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
        selection.select(last, last.siblingAtColumn(m_proxy->columnCount() - 1));
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (last.isValid())
        m_view->selectionModel()->setCurrentIndex(last, QItemSelectionModel::NoUpdate);
    return static_cast<int>(selection.size());
}

bool RunsPage::canCompare() const
{
    const qsizetype n = selectedPaths().size();
    return n >= 2 && n <= 4;
}

QMenu* RunsPage::createRowMenu(QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("runsRowMenu"));
    QAction* open = menu->addAction(tr("Open in &Inspector"), this, [this] { activate(m_view->currentIndex()); });
    open->setEnabled(m_view->currentIndex().isValid());
    const QStringList paths = selectedPaths();
    QAction* compare = menu->addAction(
        paths.size() >= 2 ? tr("Co&mpare %1 Selected Runs").arg(paths.size()) : tr("Co&mpare Selected Runs"), this,
        [this] {
            if (canCompare())
                Q_EMIT compareRequested(selectedPaths());
        });
    compare->setObjectName(QStringLiteral("compareRunsAction"));
    compare->setEnabled(canCompare());
    compare->setToolTip(tr("Select 2 to 4 runs (Ctrl+click) to see them side by side"));
    return menu;
}

void RunsPage::setServerOrdered(bool serverOrdered)
{
    if (serverOrdered)
        m_view->sortByColumn(RunTableModel::Time, Qt::DescendingOrder);
    m_view->setSortingEnabled(!serverOrdered);
    m_view->horizontalHeader()->setSortIndicatorShown(true);
    m_view->horizontalHeader()->setToolTip(serverOrdered
            ? tr("Team history: newest first, as the server sends them. Right-click to choose the columns")
            : tr("Right-click to choose the columns"));
}

void RunsPage::setEmptyText(const QString& text)
{
    m_empty->setText(text);
}

void RunsPage::updateEmptyState()
{
    m_stack->setCurrentWidget(m_proxy->rowCount() > 0 ? m_view : static_cast<QWidget*>(m_empty));
}

QString RunsPage::currentPath() const
{
    const QModelIndex i = m_view->currentIndex();
    return i.isValid() ? i.data(RunTableModel::ArtifactPathRole).toString() : QString();
}

bool RunsPage::selectPath(const QString& artifactPath)
{
    const int sourceRow = artifactPath.isEmpty() ? -1 : m_model->rowOfPath(artifactPath);
    if (sourceRow < 0)
        return false;
    const QModelIndex i = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
    m_view->setCurrentIndex(i);
    m_view->scrollTo(i);
    return true;
}

QByteArray RunsPage::saveHeaderState() const
{
    return m_view->horizontalHeader()->saveState();
}

void RunsPage::restoreHeaderState(const QByteArray& state)
{
    if (state.isEmpty())
        return;
    m_fitting = true;
    const bool restored = m_view->horizontalHeader()->restoreState(state);
    m_fitting = false;
    Q_UNUSED(restored); // a blob that does not fit this table is simply not applied
}

void RunsPage::activate(const QModelIndex& proxyIndex)
{
    if (!proxyIndex.isValid())
        return;
    const QString path = proxyIndex.data(RunTableModel::ArtifactPathRole).toString();
    if (!path.isEmpty())
        Q_EMIT runActivated(path);
}

bool RunsPage::eventFilter(QObject* watched, QEvent* event)
{
    // Enter opens the current run. Not QAbstractItemView::activated: with single-click activation
    // styles that fires on every click and would jump to the Inspector while browsing.
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && m_view->currentIndex().isValid()) {
            activate(m_view->currentIndex());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace djp
