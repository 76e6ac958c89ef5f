#pragma once
// In-run budget enforcement (docs/pricing-and-budgets.md): before each attempt the pipeline reserves that attempt's
// worst-case cost and tokens; an attempt whose reservation would push spent + reserved over the cap is
// not made (the pipeline records it as skipped_budget). After the attempt the reservation is replaced
// by the measured cost (settle), kept as `held` (hold: a failure the vendor may have billed without
// telling us) or dropped (release: a failure nobody bills, e.g. HTTP 4xx/5xx).
//
// Invariant (tested): if every settled amount is at most its reservation — true for priced models that
// honour max_tokens when the input reservation is an upper bound (see inputTokensUpperBound) — spent +
// held never exceeds the cap. Unpriced models reserve and settle at the most expensive known price.
// When a provider reports more than was reserved (an overrun), the truth is settled anyway; once
// spent + held passes a cap the ledger says so (capExceeded, overrun) and refuses every later
// reservation, so no new attempt starts.
//
// Money is kept in integer nano-dollars (reservations and measured costs rounded up, the cap rounded
// down), so the comparison is exact and sums do not drift.
//
// Threading: every member function is thread-safe (one mutex); debaters reserve concurrently.
#include "pricing/pricingtable.h"
#include "pricing/projection.h"

#include <QHash>
#include <QString>
#include <mutex>
#include <optional>

namespace djp {

struct SpendCaps
{
    std::optional<double> usd; // USD hard cap; none = unlimited
    std::optional<qint64> tokens; // token cap; none = unlimited

    // usd = min(max_cost_usd, budget_usd) of those set (negative values count as 0); tokens = budget_tokens.
    static SpendCaps fromOptions(
        std::optional<double> maxCostUsd, std::optional<double> budgetUsd, std::optional<qint64> budgetTokens);
};

struct LedgerSnapshot
{
    qint64 spentNano = 0; // settled costs (exact; the doubles are these / 1e9)
    qint64 heldNano = 0; // reservations kept for possibly-billed failures
    qint64 reservedNano = 0;
    qint64 overrunNano = 0; // spent + held - cap when above the cap, else 0
    bool capExceeded = false; // spent + held passed the USD or the token cap
    double spentUsd = 0.0;
    double heldUsd = 0.0;
    double reservedUsd = 0.0;
    std::optional<double> capUsd;
    std::optional<double> remainingUsd; // cap - spent - reserved (>= 0); none without a cap
    qint64 spentTokens = 0;
    qint64 reservedTokens = 0;
    std::optional<qint64> capTokens;
    std::optional<qint64> remainingTokens;
    int openReservations = 0;
    int granted = 0; // reservations granted so far
    int refused = 0; // reservations refused (attempts not made for budget reasons)
    int settled = 0;
    int released = 0;
    int held = 0;
    int overruns = 0; // settlements above their reservation (a model ignored max_tokens, or the
                      // input reservation was not an upper bound); spent may then exceed the cap
};

using ReservationId = quint64;

// inputTokensUpperBound() (pricing/projection.h) bounds a prompt's input tokens for reservations.

// A USD amount as integer nano-dollars for a cap: rounded down, except that a value within binary noise
// of a whole nano-dollar is that nano-dollar (so a cap typed as the displayed worst case is that case).
qint64 capUsdToNano(double usd);

class SpendLedger
{
public:
    explicit SpendLedger(SpendCaps caps = {});
    SpendLedger(const SpendLedger&) = delete;
    SpendLedger& operator=(const SpendLedger&) = delete;

    // Reserves `worstUsd` and `worstTokens`; nullopt (and the refusal counted) when
    // spent + reserved + this would exceed a cap.
    std::optional<ReservationId> tryReserve(double worstUsd, qint64 worstTokens);
    std::optional<ReservationId> tryReserveNano(qint64 worstNano, qint64 worstTokens);
    // Replaces the reservation by the measured cost and tokens. False for an unknown/closed id.
    bool settle(ReservationId id, double measuredUsd, qint64 measuredTokens);
    bool settleNano(ReservationId id, qint64 measuredNano, qint64 measuredTokens);
    // Keeps the reservation as held spend (the attempt failed but may have been billed).
    bool hold(ReservationId id);
    // Drops the reservation (the attempt failed and was not billed). False for an unknown/closed id.
    bool release(ReservationId id);
    // What an open reservation holds (nano-dollars, tokens); nullopt for an unknown/closed id.
    std::optional<std::pair<qint64, qint64>> reservation(ReservationId id) const;

    // The same, priced from the table: worst case = inputTokensBound in + maxOutputTokens out, through
    // worstCaseCallNano (the projection's worst case uses it too); unpriced labels at the most
    // expensive known price.
    std::optional<ReservationId> tryReserveCall(
        const PricingTable& pricing, const QString& label, qint64 inputTokensBound, qint64 maxOutputTokens);
    bool settleCall(
        const PricingTable& pricing, ReservationId id, const QString& label, qint64 inputTokens, qint64 outputTokens);

    // Whether a reservation of this size would be granted now (nothing is reserved or counted).
    bool wouldFit(double usd, qint64 tokens) const;

    LedgerSnapshot snapshot() const;
    double spentUsd() const;
    bool capExceeded() const;
    SpendCaps caps() const { return m_caps; }

private:
    struct Reservation
    {
        qint64 nanoUsd = 0;
        qint64 tokens = 0;
    };
    bool fitsLocked(qint64 nanoUsd, qint64 tokens) const;
    // Removes an open reservation from the reserved totals; nullopt when `id` is not open.
    std::optional<Reservation> closeLocked(ReservationId id);

    const SpendCaps m_caps;
    const std::optional<qint64> m_capNano;
    mutable std::mutex m_mutex;
    QHash<ReservationId, Reservation> m_open;
    ReservationId m_nextId = 1;
    qint64 m_spentNano = 0;
    qint64 m_heldNano = 0;
    qint64 m_heldTokens = 0;
    qint64 m_reservedNano = 0;
    qint64 m_spentTokens = 0;
    qint64 m_reservedTokens = 0;
    int m_granted = 0;
    int m_refused = 0;
    int m_settled = 0;
    int m_released = 0;
    int m_held = 0;
    bool exceededLocked() const;
    int m_overruns = 0;
};

} // namespace djp
