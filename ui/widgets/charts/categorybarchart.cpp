#include "widgets/charts/categorybarchart.h"

#include "models/chartdatamodel.h"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>

namespace djp {

CategoryBarChart::CategoryBarChart(const QString& title, QWidget* parent)
    : ChartWidget(title, parent)
    , m_categoryHeader(tr("Category"))
    , m_valueHeader(tr("Value"))
{ }

void CategoryBarChart::setDataHeaders(const QString& category, const QString& value)
{
    m_categoryHeader = category;
    m_valueHeader = value;
    setDataTable(chartDataTable(m_series, m_categoryHeader, m_valueHeader));
}

QString CategoryBarChart::toolTipAt(const QPointF& chartPos) const
{
    // Category labels sit left of the plot area, one band per category, first category on top.
    const QRectF plot = chart()->plotArea();
    const int n = static_cast<int>(m_series.values.size());
    if (n == 0 || chartPos.x() >= plot.left() || chartPos.y() < plot.top() || chartPos.y() > plot.bottom())
        return {};
    const int band = std::clamp(static_cast<int>((chartPos.y() - plot.top()) / (plot.height() / n)), 0, n - 1);
    return m_series.toolTip(band);
}

void CategoryBarChart::setSeries(const CategorySeries& series)
{
    // A team history's cost details arrive as a second view with the same bars: rebuilding a chart
    // costs the GUI thread several ms for nothing.
    if (m_hasSeries && series == m_series)
        return;
    m_hasSeries = true;
    m_series = series;
    if (!resetChart(chartDataTable(series, m_categoryHeader, m_valueHeader), series.isEmpty(), series.emptyText))
        return;
    QChart* c = chart();

    // Qt draws the first category at the bottom; reverse so the list reads top-down.
    const int n = static_cast<int>(series.values.size());
    // Qt Charts elides every category label to "..." once a row is shorter than a text line.
    setMinimumHeight(std::max(240, 90 + n * (fontMetrics().height() + 10)));
    QStringList categories;
    QList<qreal> values;
    for (int i = n - 1; i >= 0; --i) {
        categories << chartText(series.labels.value(i));
        values << series.values.at(i);
    }
    auto* set = new QBarSet(QString());
    set->append(values);
    auto* bars = new QHorizontalBarSeries;
    bars->append(set);
    bars->setBarWidth(n == 1 ? 0.3 : n == 2 ? 0.45 : 0.7);
    c->addSeries(bars);

    auto* yAxis = new QBarCategoryAxis;
    yAxis->append(categories);
    yAxis->setGridLineVisible(false);
    c->addAxis(yAxis, Qt::AlignLeft);
    bars->attachAxis(yAxis);

    auto* xAxis = new QValueAxis;
    xAxis->setRange(0, series.axisMax > 0 ? series.axisMax : 1);
    xAxis->setTickCount(std::max(2, series.tickCount));
    xAxis->setLabelFormat(series.axisLabelFormat.isEmpty() ? QStringLiteral("%g") : series.axisLabelFormat);
    c->addAxis(xAxis, Qt::AlignBottom);
    bars->attachAxis(xAxis);

    connect(bars, &QAbstractBarSeries::hovered, this, [this, n](bool status, int index, QBarSet*) {
        if (status)
            showValueToolTip(m_series.toolTip(n - 1 - index));
        else
            hideValueToolTip();
    });
    applyPalette();
}

void CategoryBarChart::applySeriesPalette()
{
    const QColor color = m_series.colors.isEmpty() ? accentColor() : m_series.colors.first();
    for (QAbstractSeries* s : chart()->series()) {
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(s)) {
            for (QBarSet* set : bars->barSets()) {
                set->setColor(color);
                set->setBorderColor(color);
            }
        }
    }
}

} // namespace djp
