#include "widgets/charts/trendchart.h"

#include "models/chartdatamodel.h"

#include <QtCharts/QCategoryAxis>
#include <QtCharts/QChart>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <cmath>

namespace djp {

namespace {
constexpr int kMaxMarkers = 60; // beyond this, markers only clutter the line
}

TrendChart::TrendChart(const QString& title, QWidget* parent)
    : ChartWidget(title, parent)
{ }

void TrendChart::setSeries(const TrendSeries& series)
{
    m_series = series;
    if (!resetChart(chartDataTable(series), series.isEmpty(), series.emptyText))
        return;
    QChart* c = chart();

    auto* line = new QLineSeries;
    line->replace(series.points); // one bulk replace, no per-point appends
    c->addSeries(line);
    QScatterSeries* markers = nullptr;
    if (series.points.size() <= kMaxMarkers) {
        markers = new QScatterSeries;
        markers->setMarkerSize(series.points.size() <= 20 ? 9 : 6);
        markers->replace(series.points);
        c->addSeries(markers);
    }

    const int n = static_cast<int>(series.points.size());
    auto* xAxis = new QCategoryAxis;
    xAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    xAxis->setRange(-0.5, n - 0.5);
    for (const auto& [index, label] : series.axisLabels)
        xAxis->append(chartText(label), index);
    xAxis->setGridLineVisible(false);
    c->addAxis(xAxis, Qt::AlignBottom);

    auto* yAxis = new QValueAxis;
    yAxis->setRange(0, series.yMax > 0 ? series.yMax : 1);
    yAxis->setTickCount(std::max(2, series.yTickCount));
    yAxis->setLabelFormat(series.yLabelFormat);
    c->addAxis(yAxis, Qt::AlignLeft);

    line->attachAxis(xAxis);
    line->attachAxis(yAxis);
    connect(line, &QXYSeries::hovered, this, [this](const QPointF& p, bool state) { hoverAt(p.x(), state); });
    if (markers) {
        markers->attachAxis(xAxis);
        markers->attachAxis(yAxis);
        connect(markers, &QXYSeries::hovered, this, [this](const QPointF& p, bool state) { hoverAt(p.x(), state); });
    }
    applyPalette();
}

void TrendChart::hoverAt(double x, bool state)
{
    const int i = static_cast<int>(std::lround(x));
    if (state && i >= 0 && i < m_series.toolTips.size())
        showValueToolTip(m_series.toolTips.at(i));
    else
        hideValueToolTip();
}

void TrendChart::applySeriesPalette()
{
    const QColor accent = accentColor();
    for (QAbstractSeries* s : chart()->series()) {
        if (auto* scatter = qobject_cast<QScatterSeries*>(s)) {
            scatter->setColor(accent);
            scatter->setBorderColor(palette().color(QPalette::Base));
        } else if (auto* line = qobject_cast<QLineSeries*>(s)) {
            QPen pen(accent);
            pen.setWidthF(2.0);
            line->setPen(pen);
        }
    }
}

} // namespace djp
