#pragma once
// Base of the dashboard's chart widgets. All Qt Charts code of the application lives under
// ui/widgets/charts/ behind these classes (Qt Charts is deprecated upstream after 6.10): pages
// include only these headers, which name no Qt Charts type.
// Thread contract: GUI thread only. Charts never own data: each setSeries() replaces everything in bulk.
#include <QColor>
#include <QDialog>
#include <QImage>
#include <QPointer>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QLabel;
class QStackedLayout;
class QToolButton;
QT_END_NAMESPACE

namespace djp {

class ChartDataModel;
struct ChartDataTable;

class ChartWidget : public QWidget
{
    Q_OBJECT
public:
    explicit ChartWidget(const QString& title, QWidget* parent = nullptr);
    ~ChartWidget() override;

    QString title() const { return m_title; }
    QImage toImage() const; // what "Save chart as PNG…" writes
    bool savePng(const QString& path) const;
    bool isShowingEmptyState() const;

    // Colours in use (from the widget palette); for checking readability in light and dark themes.
    QColor backgroundColor() const;
    QColor labelColor() const;

    // The exact value text of the point, bar or slice under the pointer (what the hover tooltip
    // shows); empty when the pointer is over none.
    QString hoveredValueText() const { return m_hoverText; }
    // The drawing area: pointer and tooltip events go to it (tests send them there too).
    QWidget* plotViewport() const;
    // The chart's values as a table ("Show data"); also what the accessible description summarises.
    ChartDataModel* dataModel() const { return m_dataModel; }
    QToolButton* showDataButton() const { return m_dataButton; }
    QDialog* dataDialog() const { return m_dataDialog; } // null until shown once

public Q_SLOTS:
    void saveAsPngInteractive(); // file dialog; a failed save is an explicit action, so it gets a modal
    void showDataTable(); // a non-modal window with the values as an accessible table, with Copy
    void copyData(); // the values as tab-separated text on the clipboard

protected:
    QChart* chart() const { return m_chart; }
    void setEmptyState(bool empty, const QString& text);
    // Re-applies palette colours to the chart, its axes and legend; call after rebuilding series.
    void applyPalette();
    virtual void applySeriesPalette() { }
    QColor accentColor() const;
    void showValueToolTip(const QString& plainText);
    void hideValueToolTip();
    // Qt Charts renders axis, legend and title text as HTML: untrusted text goes through this first.
    static QString chartText(const QString& plain);
    // Subclasses call this from setSeries() with the values they draw.
    void setDataTable(const ChartDataTable& table);
    // The start of every setSeries(): publishes the data table, clears the chart's series and axes
    // and shows or hides the empty state. False when the chart is empty (nothing more to draw).
    bool resetChart(const ChartDataTable& table, bool empty, const QString& emptyText);
    // Tooltip for a place that is not a data item (an elided axis label, the legend); chart coordinates.
    virtual QString toolTipAt(const QPointF& chartPos) const
    {
        Q_UNUSED(chartPos);
        return {};
    }

    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void showContextMenu(const QPoint& pos);
    void placeDataButton();

    QString m_title;
    QChart* m_chart = nullptr;
    QChartView* m_view = nullptr;
    QLabel* m_emptyLabel = nullptr;
    QStackedLayout* m_stack = nullptr;
    bool m_applyingPalette = false;
    QString m_hoverText;
    ChartDataModel* m_dataModel = nullptr;
    QToolButton* m_dataButton = nullptr;
    QPointer<QDialog> m_dataDialog;
};

} // namespace djp
