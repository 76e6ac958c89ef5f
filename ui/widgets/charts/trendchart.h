#pragma once
// Cost over time: one point per time bucket, with thinned local-time labels on the x axis.
#include "display/chartseries.h"
#include "widgets/charts/chartwidget.h"

namespace djp {

class TrendChart : public ChartWidget
{
    Q_OBJECT
public:
    explicit TrendChart(const QString& title, QWidget* parent = nullptr);
    void setSeries(const TrendSeries& series); // replaces everything at once
    const TrendSeries& series() const { return m_series; }

protected:
    void applySeriesPalette() override;

private:
    void hoverAt(double x, bool state);
    TrendSeries m_series;
};

} // namespace djp
