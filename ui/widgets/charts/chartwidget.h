#pragma once
// Base of the dashboard's chart widgets. All Qt Charts code of the application lives under
// ui/widgets/charts/ behind these classes (Qt Charts is deprecated upstream after 6.10): pages
// include only these headers, which name no Qt Charts type.
// Thread contract: GUI thread only. Charts never own data: each setSeries() replaces everything in bulk.
#include <QColor>
#include <QImage>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QLabel;
class QStackedLayout;
QT_END_NAMESPACE

namespace djp {

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

public slots:
    void saveAsPngInteractive(); // file dialog; a failed save is an explicit action, so it gets a modal

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

    void changeEvent(QEvent* event) override;

private:
    void showContextMenu(const QPoint& pos);

    QString m_title;
    QChart* m_chart = nullptr;
    QChartView* m_view = nullptr;
    QLabel* m_emptyLabel = nullptr;
    QStackedLayout* m_stack = nullptr;
    bool m_applyingPalette = false;
};

} // namespace djp
