#pragma once
// The Dashboard tab (docs/gui.md): KPI cards and charts of the filtered set. The page only displays
// what it is given: KPIs, buckets and shares are computed by the engine off the GUI thread.
// Thread contract: GUI thread only.
#include <QWidget>
#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QLabel;
class QPushButton;
class QScrollArea;
class QStackedWidget;
QT_END_NAMESPACE

namespace djp {

struct DashboardData;
class ChartWidget;
class KpiCard;
class TrendChart;
class PieChart;
class CategoryBarChart;

class DashboardPage : public QWidget
{
    Q_OBJECT
public:
    // Chart indices for saveChartPng() / chart().
    enum ChartIndex
    {
        CostTrendChart,
        StatusChart,
        ProviderMixChart,
        ReasonsChart,
        CostByProviderChart,
        AnalystSpendChart, // team histories only
        ChartCount
    };

    explicit DashboardPage(QWidget* parent = nullptr);
    ~DashboardPage() override;

    void setData(std::shared_ptr<const DashboardData> data);
    const std::shared_ptr<const DashboardData>& data() const { return m_data; }

    bool isShowingEmptyState() const;
    ChartWidget* chart(int index) const;
    bool saveChartPng(int index, const QString& path) const;
    void scrollToTop(); // e.g. when another runs folder is opened
    int scrollPosition() const;

Q_SIGNALS:
    void launchRequested();

private:
    void buildUi();
    QWidget* buildEmptyState();
    void updateKpis(const DashboardData& d);
    void updateCharts(const DashboardData& d);
    KpiCard* addCard(const QString& objectName, const QString& title);

    std::shared_ptr<const DashboardData> m_data;
    QStackedWidget* m_stack = nullptr;
    QScrollArea* m_scroll = nullptr;
    QLabel* m_emptyTitle = nullptr;
    QLabel* m_emptyText = nullptr;
    QLabel* m_emptyCommand = nullptr;
    QLabel* m_emptyHint = nullptr;
    QPushButton* m_launchButton = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_simulatedBadge = nullptr;
    std::vector<KpiCard*> m_cards;
    TrendChart* m_costTrend = nullptr;
    PieChart* m_status = nullptr;
    CategoryBarChart* m_providerMix = nullptr;
    CategoryBarChart* m_reasons = nullptr;
    CategoryBarChart* m_costByProvider = nullptr;
    CategoryBarChart* m_analystSpend = nullptr; // shown for team histories only
};

} // namespace djp
