#include "budget/spendledger.h"

#include "core/log.h"

#include <algorithm>
#include <limits>

namespace djp {

namespace {

qint64 nanoUp(double usd)
{
    return usdToNanoCeil(usd);
}

qint64 nanoDown(double usd)
{
    return capUsdToNano(usd);
}

qint64 saturatingAdd(qint64 a, qint64 b)
{
    qint64 r;
    return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<qint64>::max() : r;
}

double toUsd(qint64 nano)
{
    return nanoToUsd(nano);
}

std::optional<double> minOf(std::optional<double> a, std::optional<double> b)
{
    if (a && b)
        return std::min(*a, *b);
    return a ? a : b;
}

} // namespace

SpendCaps SpendCaps::fromOptions(
    std::optional<double> maxCostUsd, std::optional<double> budgetUsd, std::optional<qint64> budgetTokens)
{
    SpendCaps caps;
    caps.usd = minOf(maxCostUsd, budgetUsd);
    if (caps.usd)
        caps.usd = std::max(0.0, *caps.usd);
    if (budgetTokens)
        caps.tokens = std::max<qint64>(0, *budgetTokens);
    return caps;
}

qint64 capUsdToNano(double usd)
{
    // Through the double's shortest decimal: a cap typed as a displayed figure is that figure exactly.
    return usdToNanoFloor(usd);
}

SpendLedger::SpendLedger(SpendCaps caps)
    : m_caps(caps)
    , m_capNano(caps.usd ? std::optional<qint64>(nanoDown(*caps.usd)) : std::nullopt)
{ }

bool SpendLedger::exceededLocked() const
{
    const qint64 committed = saturatingAdd(m_spentNano, m_heldNano);
    if (m_capNano && committed > *m_capNano)
        return true;
    return m_caps.tokens && saturatingAdd(m_spentTokens, m_heldTokens) > *m_caps.tokens;
}

bool SpendLedger::fitsLocked(qint64 nanoUsd, qint64 tokens) const
{
    if (exceededLocked())
        return false; // past the cap: no new attempt, whatever its size
    const qint64 committed = saturatingAdd(saturatingAdd(m_spentNano, m_heldNano), m_reservedNano);
    if (m_capNano && saturatingAdd(committed, nanoUsd) > *m_capNano)
        return false;
    const qint64 committedTokens = saturatingAdd(saturatingAdd(m_spentTokens, m_heldTokens), m_reservedTokens);
    if (m_caps.tokens && saturatingAdd(committedTokens, tokens) > *m_caps.tokens)
        return false;
    return true;
}

std::optional<ReservationId> SpendLedger::tryReserve(double worstUsd, qint64 worstTokens)
{
    return tryReserveNano(nanoUp(worstUsd), worstTokens);
}

std::optional<ReservationId> SpendLedger::tryReserveNano(qint64 worstNano, qint64 worstTokens)
{
    const qint64 nano = std::max<qint64>(0, worstNano);
    const qint64 tokens = std::max<qint64>(0, worstTokens);
    std::lock_guard lock(m_mutex);
    if (!fitsLocked(nano, tokens)) {
        ++m_refused;
        return std::nullopt;
    }
    const ReservationId id = m_nextId++;
    m_open.insert(id, Reservation { nano, tokens });
    m_reservedNano = saturatingAdd(m_reservedNano, nano);
    m_reservedTokens = saturatingAdd(m_reservedTokens, tokens);
    ++m_granted;
    return id;
}

std::optional<SpendLedger::Reservation> SpendLedger::closeLocked(ReservationId id)
{
    auto it = m_open.find(id);
    if (it == m_open.end())
        return std::nullopt;
    const Reservation r = *it;
    m_reservedNano -= r.nanoUsd;
    m_reservedTokens -= r.tokens;
    m_open.erase(it);
    return r;
}

bool SpendLedger::settle(ReservationId id, double measuredUsd, qint64 measuredTokens)
{
    return settleNano(id, nanoUp(measuredUsd), measuredTokens);
}

bool SpendLedger::settleNano(ReservationId id, qint64 measuredNano, qint64 measuredTokens)
{
    const qint64 nano = std::max<qint64>(0, measuredNano);
    const qint64 tokens = std::max<qint64>(0, measuredTokens);
    bool overrun = false;
    {
        std::lock_guard lock(m_mutex);
        const std::optional<Reservation> r = closeLocked(id);
        if (!r)
            return false;
        overrun = nano > r->nanoUsd || tokens > r->tokens;
        m_spentNano = saturatingAdd(m_spentNano, nano);
        m_spentTokens = saturatingAdd(m_spentTokens, tokens);
        ++m_settled;
        m_overruns += overrun ? 1 : 0;
    }
    if (overrun)
        logger("pipeline")
            ->warn("spend ledger: settlement {} above its reservation (${} / {} tokens)", id, toUsd(nano), tokens);
    return true;
}

bool SpendLedger::hold(ReservationId id)
{
    std::lock_guard lock(m_mutex);
    const std::optional<Reservation> r = closeLocked(id);
    if (!r)
        return false;
    m_heldNano = saturatingAdd(m_heldNano, r->nanoUsd);
    m_heldTokens = saturatingAdd(m_heldTokens, r->tokens);
    ++m_held;
    return true;
}

std::optional<std::pair<qint64, qint64>> SpendLedger::reservation(ReservationId id) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_open.find(id);
    if (it == m_open.end())
        return std::nullopt;
    return std::make_pair(it->nanoUsd, it->tokens);
}

bool SpendLedger::capExceeded() const
{
    std::lock_guard lock(m_mutex);
    return exceededLocked();
}

bool SpendLedger::release(ReservationId id)
{
    std::lock_guard lock(m_mutex);
    if (!closeLocked(id))
        return false;
    ++m_released;
    return true;
}

std::optional<ReservationId> SpendLedger::tryReserveCall(
    const PricingTable& pricing, const QString& label, qint64 inputTokensBound, qint64 maxOutputTokens)
{
    return tryReserveNano(
        worstCaseCallNano(pricing, label, inputTokensBound, maxOutputTokens), inputTokensBound + maxOutputTokens);
}

bool SpendLedger::settleCall(
    const PricingTable& pricing, ReservationId id, const QString& label, qint64 inputTokens, qint64 outputTokens)
{
    UsageBuckets usage;
    usage.inputTokens = inputTokens;
    usage.outputTokens = outputTokens;
    return settleNano(id, pricing.priceCallFailSafe(label, usage, QDate()).total, inputTokens + outputTokens);
}

bool SpendLedger::wouldFit(double usd, qint64 tokens) const
{
    std::lock_guard lock(m_mutex);
    return fitsLocked(nanoUp(usd), std::max<qint64>(0, tokens));
}

LedgerSnapshot SpendLedger::snapshot() const
{
    std::lock_guard lock(m_mutex);
    LedgerSnapshot s;
    s.spentNano = m_spentNano;
    s.heldNano = m_heldNano;
    s.reservedNano = m_reservedNano;
    s.spentUsd = toUsd(m_spentNano);
    s.heldUsd = toUsd(m_heldNano);
    s.reservedUsd = toUsd(m_reservedNano);
    s.capUsd = m_caps.usd;
    s.capExceeded = exceededLocked();
    if (m_capNano) {
        const qint64 committed = saturatingAdd(m_spentNano, m_heldNano);
        s.remainingUsd = toUsd(std::max<qint64>(0, *m_capNano - committed - m_reservedNano));
        s.overrunNano = std::max<qint64>(0, committed - *m_capNano);
    }
    s.spentTokens = m_spentTokens;
    s.reservedTokens = m_reservedTokens;
    s.capTokens = m_caps.tokens;
    if (m_caps.tokens)
        s.remainingTokens = std::max<qint64>(0, *m_caps.tokens - m_spentTokens - m_heldTokens - m_reservedTokens);
    s.openReservations = static_cast<int>(m_open.size());
    s.granted = m_granted;
    s.refused = m_refused;
    s.settled = m_settled;
    s.released = m_released;
    s.held = m_held;
    s.overruns = m_overruns;
    return s;
}

double SpendLedger::spentUsd() const
{
    std::lock_guard lock(m_mutex);
    return toUsd(m_spentNano);
}

} // namespace djp
