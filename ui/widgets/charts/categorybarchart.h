#pragma once
// Horizontal bars, one per category (provider mix, top reasons, cost by provider).
#include "models/chartseries.h"
#include "widgets/charts/chartwidget.h"

namespace djp {

class CategoryBarChart : public ChartWidget
{
    Q_OBJECT
public:
    explicit CategoryBarChart(const QString& title, QWidget* parent = nullptr);
    void setSeries(const CategorySeries& series); // replaces everything at once
    const CategorySeries& series() const { return m_series; }

protected:
    void applySeriesPalette() override;

private:
    CategorySeries m_series;
};

} // namespace djp
