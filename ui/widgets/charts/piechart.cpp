#include "widgets/charts/piechart.h"

#include "models/chartdatamodel.h"

#include <QtCharts/QChart>
#include <QtCharts/QLegend>
#include <QtCharts/QPieSeries>
#include <QtCharts/QPieSlice>

namespace djp {

namespace {

QPieSeries* pieOf(QChart* c)
{
    const auto all = c->series();
    return all.isEmpty() ? nullptr : qobject_cast<QPieSeries*>(all.first());
}

} // namespace

PieChart::PieChart(const QString& title, QWidget* parent)
    : ChartWidget(title, parent)
{
    chart()->legend()->setAlignment(Qt::AlignRight);
}

void PieChart::setSeries(const CategorySeries& series)
{
    m_series = series;
    QChart* c = chart();
    c->legend()->setVisible(!series.isEmpty());
    if (!resetChart(chartDataTable(series, tr("Status"), tr("Runs")), series.isEmpty(), series.emptyText))
        return;
    auto* pie = new QPieSeries;
    pie->setHoleSize(0.45);
    pie->setPieSize(0.85);
    for (int i = 0; i < series.values.size(); ++i) {
        // The legend carries the exact value, so a glance needs no hovering.
        auto* slice = pie->append(chartText(series.toolTip(i)), series.values.at(i));
        slice->setLabelVisible(false);
    }
    c->addSeries(pie);
    connect(pie, &QPieSeries::hovered, this, [this, pie](QPieSlice* slice, bool state) {
        const int i = static_cast<int>(pie->slices().indexOf(slice));
        slice->setExploded(state);
        if (state)
            showValueToolTip(m_series.toolTip(i));
        else
            hideValueToolTip();
    });
    applyPalette();
}

void PieChart::resizeEvent(QResizeEvent* event)
{
    ChartWidget::resizeEvent(event);
    // Beside the donut the legend lines ("Advisory only: 73 runs (18.1%)") are cut below ~560 px;
    // under it they have the whole width.
    const Qt::Alignment want = width() < 560 ? Qt::AlignBottom : Qt::AlignRight;
    if (chart()->legend()->alignment() != want)
        chart()->legend()->setAlignment(want);
}

QString PieChart::toolTipAt(const QPointF& chartPos) const
{
    // Legend entries elide when the chart is narrow; hovering the legend shows them all, unelided.
    const QLegend* legend = chart()->legend();
    if (!legend->isVisible() || !legend->geometry().contains(chartPos))
        return {};
    QStringList lines;
    for (int i = 0; i < m_series.values.size(); ++i)
        lines << m_series.toolTip(i);
    return lines.join(u'\n');
}

QColor PieChart::sliceColor(int index) const
{
    QPieSeries* pie = pieOf(chart());
    if (!pie || index < 0 || index >= pie->count())
        return {};
    return pie->slices().at(index)->color();
}

void PieChart::applySeriesPalette()
{
    QPieSeries* pie = pieOf(chart());
    if (!pie)
        return;
    const QColor border = palette().color(QPalette::Base);
    const auto slices = pie->slices();
    for (int i = 0; i < slices.size(); ++i) {
        const QColor color = m_series.colors.value(i, accentColor());
        slices[i]->setColor(color);
        slices[i]->setBorderColor(border);
        slices[i]->setBorderWidth(2);
        slices[i]->setLabelColor(palette().color(QPalette::Text));
    }
}

} // namespace djp
