#include "projectionpanel.h"

#include "display/displayformat.h"
#include "display/tones.h"
#include "display/vocabularytext.h"
#include "models/projectionmodel.h"
#include "pipeline/runplanner.h"
#include "pricing/money.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace djp {

QColor gateStatusColor(GateStatus status)
{
    switch (status) {
    case GateStatus::Ok:
        return tone::good();
    case GateStatus::Warning:
        return tone::warning();
    case GateStatus::Blocked:
        return tone::bad();
    }
    return tone::good();
}

// ---------------------------------------------------------------------------------------------
// BudgetGauge

BudgetGauge::BudgetGauge(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QSize BudgetGauge::sizeHint() const
{
    return { 320, fontMetrics().height() + 10 };
}

QSize BudgetGauge::minimumSizeHint() const
{
    return { 120, fontMetrics().height() + 10 };
}

void BudgetGauge::setCheck(const GateCheck& check)
{
    m_status = check.status;
    m_ratio = check.ratio;
    const bool usd = check.kind == GateCheck::Kind::Usd;
    const QString pct = std::isfinite(check.ratio) ? QStringLiteral("%1%").arg(std::lround(check.ratio * 100.0))
                                                   : tr("no spending allowed");
    if (usd) {
        const auto [projected, limit] = formatUsdDistinct(check.projected, check.limit);
        m_text = tr("%1 of budget %2 (%3)").arg(projected, limit, pct);
    } else {
        m_text = tr("%1 of %2 tokens (%3)")
                     .arg(formatCount(static_cast<qint64>(check.projected)),
                         formatCount(static_cast<qint64>(check.limit)), pct);
    }
    setToolTip(gateCheckText(check));
    update();
}

void BudgetGauge::clear(const QString& text)
{
    m_status.reset();
    m_ratio = 0.0;
    m_text = text;
    setToolTip(text);
    update();
}

void BudgetGauge::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const QPalette& pal = palette();
    QPainterPath outline;
    outline.addRoundedRect(r, 4, 4);
    p.fillPath(outline, pal.color(QPalette::Window).darker(104)); // a bar, not an input field
    if (m_status) {
        const double fraction = std::isfinite(m_ratio) ? std::clamp(m_ratio, 0.0, 1.0) : 1.0;
        QRectF fill = r;
        fill.setWidth(r.width() * fraction);
        p.save();
        p.setClipPath(outline);
        p.fillRect(fill, gateStatusColor(*m_status));
        p.restore();
        // The 90 % mark where the gate starts warning.
        const double x = r.left() + r.width() * gate::kWarningRatio;
        p.setPen(QPen(pal.color(QPalette::Mid), 1, Qt::DashLine));
        p.drawLine(QPointF(x, r.top() + 2), QPointF(x, r.bottom() - 2));
    }
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.drawPath(outline);
    // Text colour: dark on the fill (green/amber/red are all mid-light), palette text elsewhere.
    p.setPen(!m_status                        ? pal.color(QPalette::PlaceholderText)
            : m_status == GateStatus::Warning ? tone::textOnFill()
                                              : pal.color(QPalette::Text));
    if (m_status && m_ratio > 0.5 && m_status != GateStatus::Warning)
        p.setPen(Qt::white);
    p.drawText(r.adjusted(8, 0, -8, 0), Qt::AlignVCenter | Qt::AlignLeft, m_text);
}

// ---------------------------------------------------------------------------------------------
// ProjectionPanel

namespace {

QTableView* makeTable(ProjectionModel* model, const QString& name)
{
    auto* view = new QTableView;
    view->setObjectName(name);
    view->setAccessibleName(name == QLatin1String("stagesView") ? QObject::tr("Projection per stage")
                                                                : QObject::tr("Projection per model"));
    view->setModel(model);
    view->verticalHeader()->hide();
    view->setSelectionMode(QAbstractItemView::NoSelection);
    view->setFocusPolicy(Qt::NoFocus);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->setAlternatingRowColors(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Capped so that the labels (elided in the middle) leave room for Expected and Worst in a narrow
    // column.
    view->horizontalHeader()->setMaximumSectionSize(150);
    view->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    view->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    // Heights follow the rows, but the width follows the column: long model labels elide instead of
    // pushing the panel (and the numbers) beyond the visible area in a narrow window.
    QSizePolicy policy = view->sizePolicy();
    policy.setHorizontalPolicy(QSizePolicy::Ignored);
    view->setSizePolicy(policy);
    view->setTextElideMode(Qt::ElideMiddle);
    return view;
}

QString escaped(const QString& s)
{
    return s.toHtmlEscaped();
}

} // namespace

ProjectionPanel::ProjectionPanel(QWidget* parent)
    : QWidget(parent)
    , m_total(new QLabel)
    , m_roster(new QLabel)
    , m_usdGauge(new BudgetGauge)
    , m_tokensGauge(new BudgetGauge)
    , m_notes(new QLabel)
    , m_stages(new ProjectionModel(ProjectionModel::Part::Stages, this))
    , m_models(new ProjectionModel(ProjectionModel::Part::Models, this))
{
    setObjectName(QStringLiteral("projectionPanel"));
    m_total->setObjectName(QStringLiteral("projectionTotal"));
    m_total->setTextFormat(Qt::PlainText);
    m_total->setWordWrap(true);
    QFont bold = m_total->font();
    bold.setBold(true);
    m_total->setFont(bold);
    m_roster->setObjectName(QStringLiteral("projectionRoster"));
    m_roster->setTextFormat(Qt::PlainText);
    m_roster->setWordWrap(true);
    m_usdGauge->setObjectName(QStringLiteral("usdGauge"));
    m_tokensGauge->setObjectName(QStringLiteral("tokensGauge"));
    m_notes->setObjectName(QStringLiteral("projectionNotes"));
    m_notes->setTextFormat(Qt::RichText);
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stagesView = makeTable(m_stages, QStringLiteral("stagesView"));
    m_modelsView = makeTable(m_models, QStringLiteral("modelsProjectionView"));

    auto* title = new QLabel(tr("Projection"));
    QFont tf = title->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.15);
    title->setFont(tf);
    title->setToolTip(tr("What the run is expected to cost before any call is made: the same plan the run will be "
                         "gated on"));

    auto* gauges = new QGridLayout;
    auto* usdLabel = new QLabel(tr("Budget USD"));
    auto* tokLabel = new QLabel(tr("Budget tokens"));
    usdLabel->setToolTip(tr("Projected expected cost against budget USD: green up to 90%, amber above 90%, red above "
                            "100% (the run is then blocked)"));
    tokLabel->setToolTip(tr("Projected expected tokens against budget tokens, with the same thresholds"));
    gauges->addWidget(usdLabel, 0, 0);
    gauges->addWidget(m_usdGauge, 0, 1);
    gauges->addWidget(tokLabel, 1, 0);
    gauges->addWidget(m_tokensGauge, 1, 1);
    gauges->setColumnStretch(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title);
    layout->addWidget(m_total);
    layout->addLayout(gauges);
    layout->addWidget(m_roster);
    layout->addWidget(m_stagesView);
    layout->addWidget(m_modelsView);
    layout->addWidget(m_notes);
    layout->addStretch(1);
    setErrors({});
}

QString ProjectionPanel::totalText() const
{
    return m_total->text();
}

void ProjectionPanel::setErrors(const QStringList& errors)
{
    m_plan.reset();
    m_stages->setPlan(nullptr);
    m_models->setPlan(nullptr);
    m_gaugeState = errors.isEmpty() ? QStringLiteral("none") : QStringLiteral("error");
    m_total->setText(errors.isEmpty() ? tr("No projection yet") : tr("No projection: the options cannot be planned"));
    m_total->setToolTip({});
    m_roster->clear();
    m_usdGauge->clear(tr("No budget"));
    m_tokensGauge->clear(tr("No budget"));
    QStringList lines;
    for (const QString& e : errors)
        lines << QStringLiteral("<span style=\"color:%1\">%2</span>").arg(tone::css(tone::bad()), escaped(e));
    m_notes->setText(lines.join(QStringLiteral("<br>")));
}

void ProjectionPanel::setPlan(std::shared_ptr<const RunPlan> plan, qint64 planMicros)
{
    if (!plan) {
        setErrors({});
        return;
    }
    m_plan = std::move(plan);
    m_stages->setPlan(m_plan);
    m_models->setPlan(m_plan);
    const Projection& p = m_plan->projection;
    const QString mark = p.complete() ? QString() : QStringLiteral(" *");
    m_total->setText(tr("Expected %1%2 · worst case %3%2 · %4 tokens expected, %5 worst")
                         .arg(formatUsd(p.total.expectedUsd), mark, formatUsd(p.total.worstUsd),
                             formatCount(p.total.expectedTokens()), formatCount(p.total.worstTokens())));
    m_total->setToolTip(planMicros >= 0
            ? tr("Planned in %1 ms with pricing %2")
                  .arg(QString::number(static_cast<double>(planMicros) / 1000.0, 'f', 2), p.pricingId)
            : tr("Pricing %1").arg(p.pricingId));

    const RunConfig& c = m_plan->config;
    QString roster = tr("Debaters: %1 · judge %2").arg(c.debaters.join(QStringLiteral(", ")), c.judgeModel);
    if (m_plan->requestedDebaters != c.debaters)
        roster += tr(" (requested: %1)").arg(m_plan->requestedDebaters.join(QStringLiteral(", ")));
    m_roster->setText(roster);

    m_usdGauge->clear(tr("No budget USD set"));
    m_tokensGauge->clear(tr("No token budget set"));
    for (const GateCheck& check : m_plan->gate.checks)
        (check.kind == GateCheck::Kind::Usd ? m_usdGauge : m_tokensGauge)->setCheck(check);
    m_gaugeState = m_plan->gate.checks.empty() ? QStringLiteral("none") : vocabularyId(m_plan->gate.status);
    updateNotes();
}

void ProjectionPanel::updateNotes()
{
    QStringList lines;
    const auto line = [&lines](const QString& color, const QString& text) {
        lines << (color.isEmpty() ? text : QStringLiteral("<span style=\"color:%1\">%2</span>").arg(color, text));
    };
    for (const GateCheck& check : m_plan->gate.checks) {
        if (check.status == GateStatus::Blocked)
            line(tone::css(tone::bad()), tr("<b>Blocked:</b> %1").arg(escaped(gateCheckText(check))));
        else if (check.status == GateStatus::Warning)
            line(tone::css(tone::warningOnRows()), tr("<b>Warning:</b> %1").arg(escaped(gateCheckText(check))));
    }
    for (const DroppedDebater& d : m_plan->selection.dropped)
        line({}, tr("Dropped <b>%1</b> (%2): %3").arg(escaped(d.label), dropReasonName(d.reason), escaped(d.detail)));
    for (const QString& label : m_plan->projection.unpricedLabels)
        line(tone::css(tone::warningOnRows()),
            tr("<b>%1</b> is unpriced (*): budgets count it at the most expensive known price, and its measured cost "
               "will show as unknown.")
                .arg(escaped(label)));
    for (const QString& note : m_plan->config.notes)
        line({}, escaped(note));
    const int required = m_plan->config.groundedRequired;
    if (m_plan->config.grounded())
        line({},
            tr("Grounded on %1 (%n required source(s)); the corpus is read when the run starts.", nullptr, required)
                .arg(escaped(m_plan->config.groundedCorpus)));
    m_notes->setText(lines.join(QStringLiteral("<br>")));
}

} // namespace djp
