#include "dashboardpage.h"

#include "pricing/money.h"

#include "display/chartseries.h"
#include "display/dashboarddata.h"
#include "display/displayformat.h"
#include "display/tones.h"
#include "kpicard.h"
#include "widgets/charts/categorybarchart.h"
#include "widgets/charts/piechart.h"
#include "widgets/charts/trendchart.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace djp {

namespace {

constexpr int kCardColumns = 5;

QString exact(double v)
{
    return QString::number(v, 'g', 12);
}

QString ratioText(int part, int total, double rate)
{
    return QObject::tr("%1 of %Ln run(s) = %2 (exact %3)", nullptr, total)
        .arg(formatCount(part), formatRate(rate), exact(rate));
}

} // namespace

DashboardPage::DashboardPage(QWidget* parent)
    : QWidget(parent)
{
    buildUi();
    setData(nullptr);
}

DashboardPage::~DashboardPage() = default;

KpiCard* DashboardPage::addCard(const QString& objectName, const QString& title)
{
    auto* card = new KpiCard(objectName, title);
    m_cards.push_back(card);
    return card;
}

void DashboardPage::buildUi()
{
    m_stack = new QStackedWidget(this);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);

    m_stack->addWidget(buildEmptyState());

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->setSpacing(12);

    auto* header = new QHBoxLayout;
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setTextFormat(Qt::PlainText);
    QFont f = m_summary->font();
    f.setBold(true);
    m_summary->setFont(f);
    m_simulatedBadge = new QLabel(tr("Simulated data"));
    m_simulatedBadge->setObjectName(QStringLiteral("simulatedBadge"));
    m_simulatedBadge->setTextFormat(Qt::PlainText);
    m_simulatedBadge->setToolTip(
        tr("Some runs in this view used the simulated provider (offline mode): their answers, tokens and "
           "costs are not real."));
    // Fixed colours on purpose: the same amber badge reads well on light and dark backgrounds.
    m_simulatedBadge->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: %2; border-radius: 4px; padding: 2px 8px; font-weight: bold; }")
            .arg(tone::css(tone::warning()), tone::css(tone::textOnFill())));
    header->addWidget(m_summary);
    header->addWidget(m_simulatedBadge);
    header->addStretch(1);
    layout->addLayout(header);

    auto* grid = new QGridLayout;
    grid->setSpacing(8);
    addCard(QStringLiteral("kpi_total_runs"), tr("Total runs"));
    addCard(QStringLiteral("kpi_publish_rate"), tr("Publish rate"));
    addCard(QStringLiteral("kpi_advisory_rate"), tr("Advisory rate"));
    addCard(QStringLiteral("kpi_failure_rate"), tr("Failure rate"));
    addCard(QStringLiteral("kpi_citations_compliance"), tr("Citations compliance"));
    addCard(QStringLiteral("kpi_avg_cost"), tr("Avg cost"));
    addCard(QStringLiteral("kpi_total_cost"), tr("Total cost"));
    addCard(QStringLiteral("kpi_avg_tokens"), tr("Avg tokens"));
    addCard(QStringLiteral("kpi_avg_duration"), tr("Avg duration"));
    addCard(QStringLiteral("kpi_p95_duration"), tr("p95 duration"));
    addCard(QStringLiteral("kpi_reported_vs_computed"), tr("Reported vs computed"));
    addCard(QStringLiteral("kpi_cache_savings"), tr("Cache savings"));
    for (int i = 0; i < static_cast<int>(m_cards.size()); ++i)
        grid->addWidget(m_cards[static_cast<size_t>(i)], i / kCardColumns, i % kCardColumns);
    for (int c = 0; c < kCardColumns; ++c)
        grid->setColumnStretch(c, 1);
    layout->addLayout(grid);

    m_costTrend = new TrendChart(tr("Cost over time"));
    m_status = new PieChart(tr("Status breakdown"));
    m_providerMix = new CategoryBarChart(tr("Provider mix (published runs)"));
    m_reasons = new CategoryBarChart(tr("Top reasons (advisory and failed runs)"));
    m_costByProvider = new CategoryBarChart(tr("Cost by provider"));
    m_costTrend->setObjectName(QStringLiteral("chart_cost_trend"));
    m_status->setObjectName(QStringLiteral("chart_status"));
    m_providerMix->setObjectName(QStringLiteral("chart_provider_mix"));
    m_reasons->setObjectName(QStringLiteral("chart_reasons"));
    m_costByProvider->setObjectName(QStringLiteral("chart_cost_by_provider"));
    m_providerMix->setDataHeaders(tr("Provider"), tr("Share of published runs"));
    m_reasons->setDataHeaders(tr("Reason"), tr("Runs"));
    m_costByProvider->setDataHeaders(tr("Model"), tr("Cost"));
    // Who spent it: a team history records the database role that pushed each run.
    m_analystSpend = new CategoryBarChart(tr("Spend by analyst"));
    m_analystSpend->setObjectName(QStringLiteral("chart_analyst_spend"));
    m_analystSpend->setDataHeaders(tr("Analyst"), tr("Cost"));
    m_analystSpend->setToolTip(tr("Cost of the filtered runs per analyst: the database role that pushed them "
                                  "into the team history (djp team spend prints the same)."));
    m_analystSpend->setVisible(false);

    auto* charts = new QGridLayout;
    charts->setSpacing(12);
    charts->addWidget(m_costTrend, 0, 0, 1, 2);
    charts->addWidget(m_status, 1, 0);
    charts->addWidget(m_providerMix, 1, 1);
    charts->addWidget(m_reasons, 2, 0);
    charts->addWidget(m_costByProvider, 2, 1);
    charts->addWidget(m_analystSpend, 3, 0, 1, 2);
    charts->setColumnStretch(0, 1);
    charts->setColumnStretch(1, 1);
    layout->addLayout(charts, 1);

    auto* scroll = new QScrollArea;
    m_scroll = scroll;
    scroll->setObjectName(QStringLiteral("dashboardScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    m_stack->addWidget(scroll);
}

QWidget* DashboardPage::buildEmptyState()
{
    auto* page = new QWidget;
    page->setObjectName(QStringLiteral("dashboardEmptyState"));
    // A centred column at most 640 px wide; its labels wrap to the column (no per-item alignment, so
    // the layout gives them their height for that width).
    auto* column = new QWidget;
    column->setMaximumWidth(640);
    auto* layout = new QVBoxLayout(column);
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(column, 100);
    row->addStretch(1);
    auto* outer = new QVBoxLayout(page);
    outer->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);
    m_emptyTitle = new QLabel;
    m_emptyTitle->setTextFormat(Qt::PlainText);
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    QFont f = m_emptyTitle->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    m_emptyTitle->setFont(f);
    m_emptyText = new QLabel;
    m_emptyText->setObjectName(QStringLiteral("emptyStateText"));
    m_emptyText->setTextFormat(Qt::PlainText);
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    m_emptyCommand = new QLabel;
    m_emptyCommand->setObjectName(QStringLiteral("emptyStateCommand"));
    m_emptyCommand->setTextFormat(Qt::PlainText);
    m_emptyCommand->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_emptyCommand->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_emptyCommand->setAlignment(Qt::AlignCenter);
    m_emptyCommand->setText(QStringLiteral("djp run --offline --task \"Summarise the plan in three bullet points\""));
    m_emptyHint = new QLabel;
    m_emptyHint->setTextFormat(Qt::PlainText);
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setText(
        tr("--offline uses the simulated provider: no API key needed, nothing is spent. New runs appear "
           "here as soon as their artifact is written to the runs folder."));
    m_launchButton = new QPushButton(tr("Launch a run…"));
    m_launchButton->setObjectName(QStringLiteral("launchButton"));
    m_launchButton->setToolTip(tr("Open the Launch tab (Ctrl+R)"));
    connect(m_launchButton, &QPushButton::clicked, this, &DashboardPage::launchRequested);

    layout->addWidget(m_emptyTitle);
    layout->addSpacing(8);
    layout->addWidget(m_emptyText);
    layout->addSpacing(8);
    layout->addWidget(m_emptyCommand);
    layout->addSpacing(8);
    layout->addWidget(m_emptyHint);
    layout->addSpacing(16);
    layout->addWidget(m_launchButton, 0, Qt::AlignHCenter);
    return page;
}

void DashboardPage::setData(std::shared_ptr<const DashboardData> data)
{
    m_data = std::move(data);
    static const DashboardData kEmpty;
    const DashboardData& d = m_data ? *m_data : kEmpty;

    if (d.kpis.totalRuns <= 0) {
        const bool filteredOut = d.totalLoaded > 0;
        if (filteredOut) {
            m_emptyTitle->setText(tr("No runs match the filters"));
            m_emptyText->setText(tr("%Ln run(s) are loaded, but none match the current filters. Widen the time "
                                    "range or clear the filters in the sidebar, or launch a new run from the Launch "
                                    "tab (Ctrl+R) or a terminal:",
                nullptr, d.totalLoaded));
        } else {
            m_emptyTitle->setText(tr("No runs yet"));
            m_emptyText->setText(tr("Launch a first run from the Launch tab (Ctrl+R), or from a terminal:"));
        }
        m_stack->setCurrentIndex(0);
    } else {
        m_stack->setCurrentIndex(1);
    }
    // Keep the charts in sync even while hidden, so switching back never shows stale series.
    updateKpis(d);
    updateCharts(d);
}

bool DashboardPage::isShowingEmptyState() const
{
    return m_stack->currentIndex() == 0;
}

void DashboardPage::updateKpis(const DashboardData& d)
{
    const Kpis& k = d.kpis;
    auto card = [this](const char* name) {
        for (KpiCard* c : m_cards)
            if (c->objectName() == QLatin1String(name))
                return c;
        Q_UNREACHABLE();
    };

    const int runsShown = static_cast<int>(k.totalRuns);
    if (d.teamHistory)
        m_summary->setText(
            tr("%1 of %Ln run(s) in the team history", nullptr, d.totalLoaded).arg(formatCount(k.totalRuns)));
    else
        m_summary->setText(d.totalLoaded > k.totalRuns
                ? tr("%1 of %Ln loaded run(s)", nullptr, d.totalLoaded).arg(formatCount(k.totalRuns))
                : tr("%Ln run(s)", nullptr, runsShown));
    m_simulatedBadge->setVisible(d.anySimulated);
    // "Simulated data" over a view where 1 run of 53 is simulated overstated it: say how many.
    m_simulatedBadge->setText(k.simulatedRuns > 0 && k.simulatedRuns < k.totalRuns
            ? tr("%Ln simulated", nullptr, k.simulatedRuns)
            : tr("Simulated data"));

    card("kpi_total_runs")
        ->setValue(formatCount(k.totalRuns),
            k.simulatedRuns > 0 ? tr("%1 simulated").arg(formatCount(k.simulatedRuns)) : QString(),
            tr("total_runs: number of runs in the filtered set.\nValue: %1 (%2 loaded before filtering)")
                .arg(formatCount(k.totalRuns), formatCount(d.totalLoaded)));
    card("kpi_publish_rate")
        ->setValue(formatRate(k.publishRate), tr("%1 published").arg(formatCount(k.publishedRuns)),
            tr("publish_rate: runs with status \"published\" ÷ total runs.\n")
                + ratioText(k.publishedRuns, k.totalRuns, k.publishRate));
    card("kpi_advisory_rate")
        ->setValue(formatRate(k.advisoryRate), tr("%1 advisory only").arg(formatCount(k.advisoryRuns)),
            tr("advisory_rate: runs with status \"advisory_only\" ÷ total runs.\n")
                + ratioText(k.advisoryRuns, k.totalRuns, k.advisoryRate));
    card("kpi_failure_rate")
        ->setValue(formatRate(k.failureRate),
            k.cancelledRuns > 0
                ? tr("%1 failed, %2 cancelled").arg(formatCount(k.failedRuns), formatCount(k.cancelledRuns))
                : tr("%1 with status none").arg(formatCount(k.failedRuns)),
            tr("failure_rate: runs with status \"none\" (nothing published) ÷ total runs. Runs cancelled by "
               "the user are not failures: they are counted apart (cancelled_runs) and left out of this rate.\n")
                + ratioText(k.failedRuns, k.totalRuns, k.failureRate));
    card("kpi_citations_compliance")
        ->setValue(formatRate(k.citationsComplianceRate), QString(),
            tr("citations_compliance_rate: mean of citations_ok over runs that required citations "
               "(citations_required > 0); 100% when no run required any. A run is compliant when every "
               "ranked draft has at least the required number of evidence items.\nValue: %1 (exact %2)")
                .arg(formatRate(k.citationsComplianceRate), exact(k.citationsComplianceRate)));
    const QString incomplete = tr("incomplete: some calls unpriced");
    card("kpi_avg_cost")
        ->setValue(formatMoney(k.avgCost), k.costComplete ? QString() : incomplete,
            tr("avg_cost: mean of est_cost (sum of provenance.estimated_costs) over all runs.\nValue: "
               "%1 (exact %2 USD)")
                    .arg(formatMoney(k.avgCost), exact(k.avgCost))
                + (k.costComplete ? QString() : u'\n' + tr("Some calls had no price: this is a lower bound.")));
    card("kpi_total_cost")
        ->setValue(formatMoney(k.totalCost), k.costComplete ? QString() : incomplete,
            tr("total_cost: sum of est_cost over all runs.\nValue: %1 (exact %2 USD)")
                    .arg(formatMoney(k.totalCost), exact(k.totalCost))
                + (k.costComplete ? QString() : u'\n' + tr("Some calls had no price: this is a lower bound.")));
    card("kpi_avg_tokens")
        ->setValue(formatCount(std::llround(k.avgTokens)), QString(),
            tr("avg_tokens: mean of total_tokens (input + output tokens of every call) over all runs.\n"
               "Value: %1 (exact %2)")
                .arg(formatCount(std::llround(k.avgTokens)), exact(k.avgTokens)));
    card("kpi_avg_duration")
        ->setValue(formatDurationSeconds(k.avgDuration), tr("p50 %1").arg(formatDurationSeconds(k.p50Duration)),
            tr("avg_duration: mean of duration_seconds over all runs (missing durations count as 0).\n"
               "Value: %1 (exact %2 s); median %3")
                .arg(formatDurationSeconds(k.avgDuration), exact(k.avgDuration), formatDurationSeconds(k.p50Duration)));
    card("kpi_p95_duration")
        ->setValue(formatDurationSeconds(k.p95Duration), QString(),
            tr("p95_duration: 95th percentile of duration_seconds (linear interpolation between closest "
               "ranks).\nValue: %1 (exact %2 s)")
                .arg(formatDurationSeconds(k.p95Duration), exact(k.p95Duration)));
    const QString driftHelp
        = tr("Reported vs computed: over the filtered runs whose calls carry both the provider's own cost "
             "figure (e.g. an OpenAI-compatible router's usage.cost) and ours, (computed − reported) ÷ reported. "
             "Positive: we count more than the provider reported.");
    if (d.teamHistory && (d.costDetailsPending || !d.costDetailsError.isEmpty())) {
        // The team history prices them in a second query: say so instead of showing zeros meanwhile.
        const bool pending = d.costDetailsPending;
        const QString value = pending ? QStringLiteral("…") : tr("n/a");
        const QString note = pending ? tr("computing…") : tr("could not be read");
        const QString why = pending
            ? tr("\nThe team history's server is pricing the filtered runs' calls; this follows in a moment.")
            : u'\n' + d.costDetailsError;
        card("kpi_reported_vs_computed")->setValue(value, note, driftHelp + why);
        card("kpi_cache_savings")
            ->setValue(value, note,
                tr("Cache savings: what the prompt-cache reads of the filtered runs would have cost at each model's "
                   "uncached input rate, minus what they cost at its cache-read rate.")
                    + why);
        return;
    }
    if (k.reportedVsComputedDriftPct) {
        const double pct = *k.reportedVsComputedDriftPct;
        card("kpi_reported_vs_computed")
            ->setValue((pct > 0 ? QStringLiteral("+") : QString()) + QString::number(pct, 'f', 1) + u'%',
                tr("%n run(s)", nullptr, k.reportedCostRuns),
                driftHelp
                    + tr("\nValue: %1% (exact %2) over %Ln run(s): reported $%3, computed $%4", nullptr,
                        k.reportedCostRuns)
                          .arg(QString::number(pct, 'f', 2), exact(pct), nanoToDecimal(k.reportedCostNano),
                              nanoToDecimal(k.computedCostNano)));
    } else {
        card("kpi_reported_vs_computed")
            ->setValue(tr("n/a"), tr("no reported costs"),
                driftHelp + tr("\nNo run in the filtered set has a provider-reported cost."));
    }
    card("kpi_cache_savings")
        ->setValue(formatMoney(nanoToUsd(k.cacheSavingsNano)),
            k.cacheSavingsComplete ? tr("%1 cached tokens").arg(formatCount(k.cacheReadTokens))
                                   : tr("incomplete: some models unpriced"),
            tr("Cache savings: what the prompt-cache reads of the filtered runs would have cost at each model's "
               "uncached input rate, minus what they cost at its cache-read rate (rates of each run's day, from "
               "the pricing table).\nValue: %1 (exact $%2) on %3 cached input tokens")
                    .arg(formatMoney(nanoToUsd(k.cacheSavingsNano)), nanoToDecimal(k.cacheSavingsNano),
                        formatCount(k.cacheReadTokens))
                + (k.cacheSavingsComplete
                        ? QString()
                        : u'\n' + tr("Cached reads of models missing from the pricing table are not counted.")));
}

void DashboardPage::updateCharts(const DashboardData& d)
{
    m_costTrend->setSeries(costTrendSeries(d));
    m_status->setSeries(statusBreakdownSeries(d.kpis));
    m_providerMix->setSeries(providerMixSeries(d.kpis));
    m_reasons->setSeries(topReasonsSeries(d.kpis));
    m_costByProvider->setSeries(costByProviderSeries(d.kpis));
    m_analystSpend->setVisible(d.teamHistory);
    m_analystSpend->setSeries(analystSpendSeries(d));
}

ChartWidget* DashboardPage::chart(int index) const
{
    switch (index) {
    case CostTrendChart:
        return m_costTrend;
    case StatusChart:
        return m_status;
    case ProviderMixChart:
        return m_providerMix;
    case ReasonsChart:
        return m_reasons;
    case CostByProviderChart:
        return m_costByProvider;
    case AnalystSpendChart:
        return m_analystSpend;
    }
    return nullptr;
}

void DashboardPage::scrollToTop()
{
    m_scroll->verticalScrollBar()->setValue(0);
    m_scroll->horizontalScrollBar()->setValue(0);
}

int DashboardPage::scrollPosition() const
{
    return m_scroll->verticalScrollBar()->value();
}

bool DashboardPage::saveChartPng(int index, const QString& path) const
{
    ChartWidget* c = chart(index);
    return c && c->savePng(path);
}

} // namespace djp
