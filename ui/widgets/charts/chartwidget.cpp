#include "widgets/charts/chartwidget.h"

#include <QtCharts/QAbstractAxis>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>

#include <QApplication>
#include <QClipboard>
#include <QCursor>
#include <QDialog>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QGraphicsLayout>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedLayout>
#include <QTableView>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include "display/displayformat.h"
#include "models/chartdatamodel.h"

namespace djp {

namespace {

QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(
        a.redF() * (1 - t) + b.redF() * t, a.greenF() * (1 - t) + b.greenF() * t, a.blueF() * (1 - t) + b.blueF() * t);
}

} // namespace

ChartWidget::ChartWidget(const QString& title, QWidget* parent)
    : QWidget(parent)
    , m_title(title)
{
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setTitle(chartText(title));
    QFont titleFont = font();
    titleFont.setBold(true);
    m_chart->setTitleFont(titleFont);
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(6, 6, 6, 6));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->setBackgroundRoundness(0);

    m_view = new QChartView(m_chart); // takes ownership of the chart
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this,
        [this](const QPoint& p) { showContextMenu(m_view->mapTo(this, p)); });

    m_emptyLabel = new QLabel(this);
    m_emptyLabel->setTextFormat(Qt::PlainText);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setAutoFillBackground(true);
    m_emptyLabel->setObjectName(QStringLiteral("chartEmptyLabel"));

    // The empty-state label sits over the chart so the title stays visible and PNGs stay meaningful.
    m_stack = new QStackedLayout(this);
    m_stack->setStackingMode(QStackedLayout::StackAll);
    m_stack->setContentsMargins(0, 0, 0, 0);
    m_stack->addWidget(m_emptyLabel);
    m_stack->addWidget(m_view);
    m_emptyLabel->hide();

    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, &ChartWidget::showContextMenu);
    setMinimumHeight(240);

    // Qt Charts answers the viewport's ToolTip event through QGraphicsScene::helpEvent, which hides
    // any tooltip shown from a hovered() signal about half a second later (no item has a toolTip):
    // the reason hover values never stayed on screen. The filter answers ToolTip events itself.
    m_view->viewport()->installEventFilter(this);
    m_view->setAccessibleName(title);

    m_dataModel = new ChartDataModel(this);
    m_dataButton = new QToolButton(this);
    m_dataButton->setObjectName(QStringLiteral("showDataButton"));
    m_dataButton->setText(tr("Data"));
    m_dataButton->setAutoRaise(true);
    m_dataButton->setToolTip(tr("Show the values of this chart as a table (copyable)"));
    m_dataButton->setAccessibleName(tr("Show data: %1").arg(title));
    connect(m_dataButton, &QToolButton::clicked, this, &ChartWidget::showDataTable);
    m_dataButton->raise();

    setAccessibleName(title);
    setFocusPolicy(Qt::NoFocus);
    applyPalette();
}

QWidget* ChartWidget::plotViewport() const
{
    return m_view->viewport();
}

void ChartWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    placeDataButton();
}

void ChartWidget::placeDataButton()
{
    const QSize hint = m_dataButton->sizeHint();
    m_dataButton->setGeometry(width() - hint.width() - 4, 4, hint.width(), hint.height());
    m_dataButton->raise();
}

bool ChartWidget::resetChart(const ChartDataTable& table, bool empty, const QString& emptyText)
{
    setDataTable(table);
    QChart* c = chart();
    c->removeAllSeries();
    for (QAbstractAxis* axis : c->axes())
        c->removeAxis(axis), delete axis;
    setEmptyState(empty, emptyText);
    if (empty)
        applyPalette();
    return !empty;
}

void ChartWidget::setDataTable(const ChartDataTable& table)
{
    m_dataModel->setTable(table);
    // A screen reader announces the description with the chart: give it the values themselves.
    QStringList parts;
    const int shown = std::min<int>(static_cast<int>(table.rows.size()), 12);
    for (int i = 0; i < shown; ++i)
        parts << table.rows.at(i).join(QStringLiteral(": "));
    QString description = table.rows.isEmpty() ? tr("No data.") : QString(parts.join(QStringLiteral("; ")) + u'.');
    const int hidden = static_cast<int>(table.rows.size()) - shown;
    if (hidden > 0)
        description += u' ' + tr("%n more row(s) in Show data.", nullptr, hidden);
    setAccessibleDescription(description);
    m_view->setAccessibleDescription(description);
    m_hoverText.clear();
}

void ChartWidget::showDataTable()
{
    if (!m_dataDialog) {
        auto* dialog = new QDialog(this);
        dialog->setObjectName(QStringLiteral("chartDataDialog"));
        dialog->setWindowTitle(tr("%1 — data").arg(m_title));
        auto* view = new QTableView(dialog);
        view->setObjectName(QStringLiteral("chartDataTable"));
        view->setModel(m_dataModel);
        view->setAccessibleName(tr("%1 values").arg(m_title));
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setEditTriggers(QAbstractItemView::NoEditTriggers);
        view->verticalHeader()->hide();
        view->horizontalHeader()->setStretchLastSection(true);
        view->resizeColumnsToContents();
        connect(m_dataModel, &QAbstractItemModel::modelReset, view, &QTableView::resizeColumnsToContents);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
        QPushButton* copy = buttons->addButton(tr("&Copy"), QDialogButtonBox::ActionRole);
        copy->setObjectName(QStringLiteral("copyDataButton"));
        copy->setToolTip(tr("Copy the table as tab-separated text"));
        connect(copy, &QPushButton::clicked, this, &ChartWidget::copyData);
        connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
        auto* layout = new QVBoxLayout(dialog);
        layout->addWidget(view);
        layout->addWidget(buttons);
        dialog->resize(520, 360);
        m_dataDialog = dialog;
    }
    m_dataDialog->show();
    m_dataDialog->raise();
    m_dataDialog->activateWindow();
}

void ChartWidget::copyData()
{
    QApplication::clipboard()->setText(chartDataTsv(m_dataModel->table()));
}

bool ChartWidget::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        QString text = m_hoverText;
        if (text.isEmpty())
            text = toolTipAt(m_chart->mapFromScene(m_view->mapToScene(help->pos())));
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), plainTextToolTip(text), m_view->viewport());
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

ChartWidget::~ChartWidget() = default;

QString ChartWidget::chartText(const QString& plain)
{
    // Qt Charts sets axis, legend and title text as HTML and measures the markup, so entities such as
    // "&lt;" make labels elide early. Swap the three HTML-significant characters for look-alikes: the
    // text can never become markup and still reads the same; tooltips show the exact text.
    QString s = plain;
    s.replace(u'&', QChar(0xFF06)); // FULLWIDTH AMPERSAND
    s.replace(u'<', QChar(0x2039)); // SINGLE LEFT-POINTING ANGLE QUOTATION MARK
    s.replace(u'>', QChar(0x203A)); // SINGLE RIGHT-POINTING ANGLE QUOTATION MARK
    return s;
}

QImage ChartWidget::toImage() const
{
    return m_view->grab().toImage();
}

bool ChartWidget::savePng(const QString& path) const
{
    const QImage img = toImage();
    return !img.isNull() && img.save(path, "PNG");
}

void ChartWidget::saveAsPngInteractive()
{
    QString name = m_title.toLower();
    name.replace(u' ', u'-');
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save chart as PNG"), name + QStringLiteral(".png"), tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    if (!savePng(path))
        QMessageBox::warning(this, tr("Save chart as PNG"),
            tr("Could not write %1. Check that the folder exists and is writable.").arg(path));
}

void ChartWidget::showContextMenu(const QPoint& pos)
{
    QMenu menu(this);
    menu.addAction(tr("Show data…"), this, &ChartWidget::showDataTable);
    menu.addAction(tr("Copy data"), this, &ChartWidget::copyData);
    menu.addAction(tr("Save chart as PNG…"), this, &ChartWidget::saveAsPngInteractive);
    menu.exec(mapToGlobal(pos));
}

bool ChartWidget::isShowingEmptyState() const
{
    return m_emptyLabel->isVisibleTo(this);
}

void ChartWidget::setEmptyState(bool empty, const QString& text)
{
    m_emptyLabel->setText(text);
    m_emptyLabel->setVisible(empty);
    // Keep the title visible above the empty label: the label covers the plot area only.
    const int top = empty ? QFontMetrics(m_chart->titleFont()).height() + 16 : 0;
    m_stack->setContentsMargins(0, 0, 0, 0);
    m_emptyLabel->setContentsMargins(0, top, 0, 0);
    if (empty)
        m_emptyLabel->raise();
}

QColor ChartWidget::backgroundColor() const
{
    return palette().color(QPalette::Base);
}

QColor ChartWidget::labelColor() const
{
    return m_chart->titleBrush().color();
}

QColor ChartWidget::accentColor() const
{
    return palette().color(QPalette::Highlight);
}

void ChartWidget::applyPalette()
{
    if (m_applyingPalette)
        return;
    m_applyingPalette = true;
    const QPalette pal = palette();
    const QColor bg = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor grid = mix(bg, text, 0.15);
    const QColor line = mix(bg, text, 0.45);

    m_chart->setBackgroundBrush(bg);
    m_chart->setBackgroundPen(Qt::NoPen);
    m_chart->setPlotAreaBackgroundVisible(false);
    m_chart->setTitleBrush(text);
    m_chart->legend()->setLabelColor(text);
    m_chart->legend()->setBrush(Qt::NoBrush);
    m_chart->legend()->setPen(Qt::NoPen);
    for (QAbstractAxis* axis : m_chart->axes()) {
        axis->setLabelsBrush(text);
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(line);
        axis->setGridLineColor(grid);
        axis->setShadesVisible(false);
        axis->setMinorGridLineColor(grid);
    }
    m_view->setBackgroundBrush(bg);
    QPalette labelPal = m_emptyLabel->palette();
    labelPal.setColor(QPalette::Window, bg);
    labelPal.setColor(QPalette::WindowText, mix(bg, text, 0.65));
    m_emptyLabel->setPalette(labelPal);
    applySeriesPalette();
    m_applyingPalette = false;
}

void ChartWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void ChartWidget::showValueToolTip(const QString& plainText)
{
    m_hoverText = plainText;
    QToolTip::showText(QCursor::pos(), plainTextToolTip(plainText), m_view->viewport());
}

void ChartWidget::hideValueToolTip()
{
    m_hoverText.clear();
    QToolTip::hideText();
}

} // namespace djp
