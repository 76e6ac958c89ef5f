#include "pricing/projection.h"

#include "pricing/money.h"

#include <QTextStream>
#include <algorithm>
#include <cmath>
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

double nanoUsd(qint64 nano)
{
    return nanoToUsd(nano);
}

NanoUsd failSafeNano(
    const PricingTable& pricing, const QString& label, qint64 input, qint64 output, QDate day, bool* priced = nullptr)
{
    UsageBuckets usage;
    usage.inputTokens = std::max<qint64>(0, input);
    usage.outputTokens = std::max<qint64>(0, output);
    return pricing.priceCallFailSafe(label, usage, day, priced).total;
}

// Nothing is known in an empty table: a fail-safe price is "unaffordable", shown as +infinity.
double usdOf(const PricingTable& pricing, NanoUsd nano)
{
    if (!pricing.maxRates() && nano >= kNanoUsdSaturation)
        return std::numeric_limits<double>::infinity();
    return nanoUsd(nano);
}

double sumUsd(double lineUsd, double callUsd, NanoUsd lineNano)
{
    return std::isinf(lineUsd) || std::isinf(callUsd) ? std::numeric_limits<double>::infinity() : nanoUsd(lineNano);
}

void add(CostLine& line, const CallProjection& c)
{
    line.worstNano = saturatingAddNano(line.worstNano, c.worstNano);
    line.worstUsd = sumUsd(line.worstUsd, c.worstUsd, line.worstNano);
    line.worstInputTokens += c.tokens.worstInput;
    line.worstOutputTokens += c.tokens.worstOutput;
    if (c.call.worstCaseOnly)
        return;
    ++line.calls;
    line.expectedNano = saturatingAddNano(line.expectedNano, c.expectedNano);
    line.expectedUsd = sumUsd(line.expectedUsd, c.expectedUsd, line.expectedNano);
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

qint64 inputTokensUpperBound(const QString& system, const QString& user)
{
    constexpr qint64 kTemplateAllowance = 64;
    return system.toUtf8().size() + user.toUtf8().size() + kTemplateAllowance;
}

qint64 worstCaseCallNano(
    const PricingTable& pricing, const QString& label, qint64 inputBound, qint64 outputLimit, bool* priced, QDate day)
{
    // No cached input: cache reads are cheaper than input, and nothing asks for cache writes.
    return failSafeNano(pricing, label, inputBound, outputLimit, day, priced);
}

PlannedCall PlannedCall::debate(
    const QString& label, const QString& system, const QString& user, int maxTokens, int requiredCitations)
{
    return { CallStage::Debate, label, system.size() + user.size(), maxTokens, requiredCitations, false,
        inputTokensUpperBound(system, user) };
}

PlannedCall PlannedCall::judge(const QString& label, const QString& system, const QString& user, int maxOutputTokens)
{
    return { CallStage::Judge, label, system.size() + user.size(), maxOutputTokens, 0, false,
        inputTokensUpperBound(system, user) };
}

PlannedCall PlannedCall::overhead(const QString& label)
{
    return { CallStage::Overhead, label, 0, 0, 0, false, kOverheadInputTokens };
}

qint64 estimateInputTokens(qint64 chars)
{
    return ceilDiv(chars, kCharsPerToken);
}

TokenEstimate estimateTokens(const PlannedCall& call)
{
    const qint64 maxOut = std::max(0, call.maxOutputTokens);
    TokenEstimate t;
    switch (call.stage) {
    case CallStage::Debate: {
        const qint64 expected
            = withCitations(std::min<qint64>(maxOut, kExpectedDebateOutputCap), call.requiredCitations);
        t = { withCitations(estimateInputTokens(call.promptChars), call.requiredCitations), std::min(maxOut, expected),
            maxOut };
        break;
    }
    case CallStage::Judge:
        t = { estimateInputTokens(call.promptChars), std::min<qint64>(maxOut, kExpectedJudgeOutput), maxOut };
        break;
    case CallStage::Overhead:
        t = { kOverheadInputTokens, kOverheadOutputTokens, kOverheadOutputTokens };
        break;
    }
    t.worstInput = call.inputBound >= 0 ? call.inputBound : t.input;
    return t;
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
    qint64 nano = 0;
    for (const CallProjection& c : calls) {
        if (c.call.stage == CallStage::Debate && c.call.label == label)
            nano += c.expectedNano;
    }
    return nanoUsd(nano);
}

Projection project(const PricingTable& pricing, const std::vector<PlannedCall>& plan, QDate day)
{
    Projection p;
    p.pricingId = pricing.id();
    p.calls.reserve(plan.size());
    for (const PlannedCall& call : plan) {
        CallProjection c;
        c.call = call;
        c.tokens = estimateTokens(call);
        c.worstNano = worstCaseCallNano(pricing, call.label, c.tokens.worstInput, c.tokens.worstOutput, &c.priced, day);
        c.expectedNano
            = call.worstCaseOnly ? 0 : failSafeNano(pricing, call.label, c.tokens.input, c.tokens.expectedOutput, day);
        c.worstUsd = usdOf(pricing, c.worstNano);
        c.expectedUsd = usdOf(pricing, c.expectedNano);
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
