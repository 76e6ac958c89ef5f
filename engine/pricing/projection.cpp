#include "pricing/projection.h"

#include "pricing/money.h"

#include <QTextStream>
#include <algorithm>
#include <limits>

namespace djp {

using namespace projection;

namespace {

qint64 ceilDiv(qint64 a, qint64 b)
{
    return a <= 0 ? 0 : (a + b - 1) / b;
}

// x * (100 + 20c) / 100, rounded up: "each required citation adds 20 %".
qint64 withCitations(qint64 tokens, int citations)
{
    const qint64 percent = 100 + static_cast<qint64>(kCitationPercent) * std::max(0, citations);
    return ceilDiv(tokens * percent, 100);
}

void add(CostLine& line, const CallProjection& c)
{
    line.worstUsd += c.worstUsd;
    line.worstInputTokens += c.tokens.input;
    line.worstOutputTokens += c.tokens.worstOutput;
    if (c.call.worstCaseOnly)
        return;
    ++line.calls;
    line.expectedUsd += c.expectedUsd;
    line.expectedInputTokens += c.tokens.input;
    line.expectedOutputTokens += c.tokens.expectedOutput;
}

} // namespace

QString callStageName(CallStage stage)
{
    switch (stage) {
    case CallStage::Debate:
        return QStringLiteral("debate");
    case CallStage::Judge:
        return QStringLiteral("judge");
    case CallStage::Overhead:
        return QStringLiteral("overhead");
    }
    return {};
}

PlannedCall PlannedCall::debate(
    const QString& label, const QString& system, const QString& user, int maxTokens, int requiredCitations)
{
    return { CallStage::Debate, label, system.size() + user.size(), maxTokens, requiredCitations, false };
}

PlannedCall PlannedCall::judge(const QString& label, const QString& system, const QString& user, int maxOutputTokens)
{
    return { CallStage::Judge, label, system.size() + user.size(), maxOutputTokens, 0, false };
}

PlannedCall PlannedCall::overhead(const QString& label)
{
    return { CallStage::Overhead, label, 0, 0, 0, false };
}

qint64 estimateInputTokens(qint64 chars)
{
    return ceilDiv(chars, kCharsPerToken);
}

TokenEstimate estimateTokens(const PlannedCall& call)
{
    const qint64 maxOut = std::max(0, call.maxOutputTokens);
    switch (call.stage) {
    case CallStage::Debate: {
        const qint64 expected
            = withCitations(std::min<qint64>(maxOut, kExpectedDebateOutputCap), call.requiredCitations);
        return { withCitations(estimateInputTokens(call.promptChars), call.requiredCitations),
            std::min(maxOut, expected), maxOut };
    }
    case CallStage::Judge:
        return { estimateInputTokens(call.promptChars), std::min<qint64>(maxOut, kExpectedJudgeOutput), maxOut };
    case CallStage::Overhead:
        return { kOverheadInputTokens, kOverheadOutputTokens, kOverheadOutputTokens };
    }
    return {};
}

const CostLine& Projection::stage(CallStage s) const
{
    switch (s) {
    case CallStage::Debate:
        return debate;
    case CallStage::Judge:
        return judge;
    case CallStage::Overhead:
        break;
    }
    return overhead;
}

double Projection::debateExpectedUsd(const QString& label) const
{
    double usd = 0.0;
    for (const CallProjection& c : calls) {
        if (c.call.stage == CallStage::Debate && c.call.label == label)
            usd += c.expectedUsd;
    }
    return usd;
}

namespace {

// USD of a projected call from the pricing table's fail-safe price: the call's own model at the rates
// of `day` (tier chosen by its input), or the most expensive known rates when unpriced.
double projectedUsd(
    const PricingTable& pricing, const QString& label, qint64 input, qint64 output, QDate day, bool* priced = nullptr)
{
    UsageBuckets u;
    u.inputTokens = input;
    u.outputTokens = output;
    const CallPrice c = pricing.priceCallFailSafe(label, u, day, priced);
    if (!pricing.maxRates() && c.total >= kNanoUsdSaturation)
        return std::numeric_limits<double>::infinity(); // nothing is known: unaffordable
    return nanoToUsd(c.total);
}

} // namespace

Projection project(const PricingTable& pricing, const std::vector<PlannedCall>& plan, QDate day)
{
    Projection p;
    p.pricingId = pricing.id();
    p.calls.reserve(plan.size());
    for (const PlannedCall& call : plan) {
        CallProjection c;
        c.call = call;
        c.tokens = estimateTokens(call);
        c.worstUsd = projectedUsd(pricing, call.label, c.tokens.input, c.tokens.worstOutput, day, &c.priced);
        c.expectedUsd = call.worstCaseOnly
            ? 0.0
            : projectedUsd(pricing, call.label, c.tokens.input, c.tokens.expectedOutput, day);
        if (!c.priced && !p.unpricedLabels.contains(call.label))
            p.unpricedLabels.append(call.label);

        add(call.stage == CallStage::Debate ? p.debate : call.stage == CallStage::Judge ? p.judge : p.overhead, c);
        add(p.total, c);
        auto model = std::find_if(
            p.byModel.begin(), p.byModel.end(), [&](const ModelLine& m) { return m.label == call.label; });
        if (model == p.byModel.end())
            model = p.byModel.insert(p.byModel.end(), ModelLine { call.label, c.priced, {} });
        add(model->cost, c);
        p.calls.push_back(std::move(c));
    }
    return p;
}

QString formatProjection(const Projection& p)
{
    QString text;
    QTextStream s(&text);
    auto row = [&s](const QString& name, const CostLine& l) {
        s << "  " << name.leftJustified(10) << formatUsd(l.expectedUsd).rightJustified(12) << " expected, "
          << formatUsd(l.worstUsd).rightJustified(12) << " worst case; tokens " << l.expectedTokens() << " / "
          << l.worstTokens() << "\n";
    };
    s << "Projected cost (pricing " << p.pricingId << "):\n";
    row(QStringLiteral("debate"), p.debate);
    row(QStringLiteral("judge"), p.judge);
    row(QStringLiteral("overhead"), p.overhead);
    row(QStringLiteral("total"), p.total);
    s << "  tokens    " << p.total.expectedTokens() << " expected, " << p.total.worstTokens() << " worst case\n";
    s << "By model:\n";
    for (const ModelLine& m : p.byModel) {
        s << "  " << m.label << ": " << formatUsd(m.cost.expectedUsd) << " expected, " << formatUsd(m.cost.worstUsd)
          << " worst case" << (m.priced ? "" : " (unpriced: at the most expensive known price)") << "\n";
    }
    if (!p.unpricedLabels.isEmpty())
        s << "Unpriced models, budgeted at the most expensive known price: "
          << p.unpricedLabels.join(QStringLiteral(", ")) << "\n";
    s.flush();
    return text;
}

} // namespace djp
