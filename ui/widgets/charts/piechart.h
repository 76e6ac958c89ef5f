#pragma once
// A donut with a legend (status breakdown): one slice per category, in the series' colours.
#include "display/chartseries.h"
#include "widgets/charts/chartwidget.h"

namespace djp {

class PieChart : public ChartWidget
{
    Q_OBJECT
public:
    explicit PieChart(const QString& title, QWidget* parent = nullptr);
    void setSeries(const CategorySeries& series); // replaces everything at once
    const CategorySeries& series() const { return m_series; }
    QColor sliceColor(int index) const; // for tests: the colour a slice is drawn with

protected:
    void applySeriesPalette() override;
    QString toolTipAt(const QPointF& chartPos) const override; // the legend: every value in full
    void resizeEvent(QResizeEvent* event) override;

private:
    CategorySeries m_series;
};

} // namespace djp
