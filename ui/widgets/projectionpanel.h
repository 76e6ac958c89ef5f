#pragma once
// The Launch tab's live projection (docs/pricing-and-budgets.md and docs/gui.md): expected and worst-case cost and
// tokens per stage and per model, the debaters the budget rules dropped and why, unpriced-model warnings, and a gauge
// per budget coloured by the budget gate's own verdict (green ok, amber warning, red blocked). It displays a RunPlan
// computed by the engine's planRun(); it recomputes nothing. Thread contract: GUI thread only.
#include "budget/budgetgate.h"

#include <QWidget>
#include <memory>
#include <optional>

class QLabel;
class QTableView;

namespace djp {

struct RunPlan;
class ProjectionModel;

// A horizontal bar: projected / budget, filled up to 100 %, coloured by the gate's status.
class BudgetGauge : public QWidget
{
    Q_OBJECT
    // "none" (no budget), "ok", "warning", "blocked": the gate's status for this budget.
    Q_PROPERTY(QString state READ state)
    Q_PROPERTY(double ratio READ ratio)
public:
    explicit BudgetGauge(QWidget* parent = nullptr);

    void setCheck(const GateCheck& check); // text and colour from the gate's check
    void clear(const QString& text); // no budget of this kind
    QString state() const { return m_status ? vocabularyId(*m_status) : QStringLiteral("none"); }
    double ratio() const { return m_ratio; }
    QString text() const { return m_text; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::optional<GateStatus> m_status; // nullopt: no budget of this kind
    double m_ratio = 0.0;
    QString m_text;
};

QColor gateStatusColor(GateStatus status); // #28a745 / #ffc107 / #dc3545

class ProjectionPanel : public QWidget
{
    Q_OBJECT
    // The overall gate verdict: "none" (no budget given), "ok", "warning", "blocked"; "error" when the
    // options could not be planned.
    Q_PROPERTY(QString gaugeState READ gaugeState)
public:
    explicit ProjectionPanel(QWidget* parent = nullptr);

    void setPlan(std::shared_ptr<const RunPlan> plan, qint64 planMicros = -1);
    void setErrors(const QStringList& errors); // options that cannot be planned (clears the plan)
    std::shared_ptr<const RunPlan> plan() const { return m_plan; }

    QString gaugeState() const { return m_gaugeState; }
    QString totalText() const;
    BudgetGauge* usdGauge() const { return m_usdGauge; }
    BudgetGauge* tokensGauge() const { return m_tokensGauge; }

private:
    void updateNotes();

    std::shared_ptr<const RunPlan> m_plan;
    QString m_gaugeState = QStringLiteral("none");
    QLabel* m_total;
    QLabel* m_roster;
    BudgetGauge* m_usdGauge;
    BudgetGauge* m_tokensGauge;
    QLabel* m_notes;
    ProjectionModel* m_stages;
    ProjectionModel* m_models;
    QTableView* m_stagesView;
    QTableView* m_modelsView;
};

} // namespace djp
