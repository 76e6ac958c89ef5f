#include "runspage.h"

#include "models/runtablemodel.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

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
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RunTableModel::Time, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
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
    // Widths from representative texts, so they follow the font (and the swatch of the status cell).
    const QFontMetrics fm = m_view->fontMetrics();
    const auto width = [&fm](const char* sample, int extra = 0) {
        return fm.horizontalAdvance(QString::fromLatin1(sample)) + 24 + extra;
    };
    const int swatch = m_view->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_view) + 6;
    header->resizeSection(RunTableModel::Time, width("2026-12-31 23:59:59"));
    header->resizeSection(RunTableModel::Preset, width("standard"));
    header->resizeSection(RunTableModel::Status, width("Advisory only", swatch));
    header->resizeSection(RunTableModel::Provider, width("anthropic/claude-3-5-sonnet"));
    header->resizeSection(RunTableModel::Tokens, width("1,000,000"));
    header->resizeSection(RunTableModel::Cost, width("$0.00000"));
    header->resizeSection(RunTableModel::Duration, width("10 min 00 s"));
    header->resizeSection(RunTableModel::Simulated, width("Simulated", 12));
    header->setSectionResizeMode(RunTableModel::Reason, QHeaderView::Stretch);
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
    // Keep the selected run selected across re-filtering and live reloads (both reset the model).
    connect(m_proxy, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_keepPath = currentPath(); });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_keepPath.isEmpty())
            selectPath(m_keepPath);
        m_keepPath.clear();
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &RunsPage::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &RunsPage::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &RunsPage::updateEmptyState);
    updateEmptyState();
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
    if (!state.isEmpty())
        m_view->horizontalHeader()->restoreState(state);
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
