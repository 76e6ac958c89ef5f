#pragma once
// Horizontal bars, one per category (provider mix, top reasons, cost by provider).
#include "display/chartseries.h"
#include "widgets/charts/chartwidget.h"

namespace djp {

class CategoryBarChart : public ChartWidget
{
    Q_OBJECT
public:
    explicit CategoryBarChart(const QString& title, QWidget* parent = nullptr);
    void setSeries(const CategorySeries& series); // replaces everything at once
    const CategorySeries& series() const { return m_series; }
    // Column titles of the "Show data" table, e.g. "Provider" and "Share".
    void setDataHeaders(const QString& category, const QString& value);

protected:
    void applySeriesPalette() override;
    QString toolTipAt(const QPointF& chartPos) const override; // full text of an elided category label

private:
    CategorySeries m_series;
    bool m_hasSeries = false; // setSeries() has drawn m_series
    QString m_categoryHeader;
    QString m_valueHeader;
};

} // namespace djp
