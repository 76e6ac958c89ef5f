#pragma once
// In-run budget enforcement (SPEC §3.2): before each attempt the pipeline reserves that attempt's
// worst-case cost and tokens; an attempt whose reservation would push spent + reserved over the cap is
// not made (the pipeline records it as skipped_budget). After the attempt the reservation is replaced
// by the measured cost (settle) or dropped (release, for attempts that failed without usage).
//
// Invariant (tested): if every settled amount is at most its reservation — true for priced models that
// honour max_tokens when the input reservation is an upper bound (see inputTokensUpperBound) — spent
// never exceeds the cap. Unpriced models reserve and settle at the most expensive known price.
//
// Money is kept in integer nano-dollars (reservations and measured costs rounded up, the cap rounded
// down), so the comparison is exact and sums do not drift.
//
// Threading: every member function is thread-safe (one mutex); debaters reserve concurrently.
#include "pricing/pricingtable.h"

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
    double spentUsd = 0.0;
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
    int overruns = 0; // settlements above their reservation (a model ignored max_tokens, or the
                      // input reservation was not an upper bound); spent may then exceed the cap
};

using ReservationId = quint64;

// A safe upper bound of the input tokens of a prompt, for reservations: UTF-8 bytes of both texts
// (byte-level BPE and SentencePiece-with-byte-fallback tokenizers never produce more tokens than bytes)
// + 64 for the chat template's role and separator tokens. The projection's chars/4 is an expectation,
// not a bound, and must not be used to reserve.
qint64 inputTokensUpperBound(const QString& system, const QString& user);

class SpendLedger
{
public:
    explicit SpendLedger(SpendCaps caps = {});
    SpendLedger(const SpendLedger&) = delete;
    SpendLedger& operator=(const SpendLedger&) = delete;

    // Reserves `worstUsd` and `worstTokens`; nullopt (and the refusal counted) when
    // spent + reserved + this would exceed a cap.
    std::optional<ReservationId> tryReserve(double worstUsd, qint64 worstTokens);
    // Replaces the reservation by the measured cost and tokens. False for an unknown/closed id.
    bool settle(ReservationId id, double measuredUsd, qint64 measuredTokens);
    // Drops the reservation (the attempt failed without usage). False for an unknown/closed id.
    bool release(ReservationId id);

    // The same, priced from the table: worst case = inputTokensBound in + maxOutputTokens out;
    // unpriced labels at the most expensive known price.
    std::optional<ReservationId> tryReserveCall(
        const PricingTable& pricing, const QString& label, qint64 inputTokensBound, qint64 maxOutputTokens);
    bool settleCall(
        const PricingTable& pricing, ReservationId id, const QString& label, qint64 inputTokens, qint64 outputTokens);

    // Whether a reservation of this size would be granted now (nothing is reserved or counted).
    bool wouldFit(double usd, qint64 tokens) const;

    LedgerSnapshot snapshot() const;
    double spentUsd() const;
    SpendCaps caps() const { return m_caps; }

private:
    struct Reservation
    {
        qint64 nanoUsd = 0;
        qint64 tokens = 0;
    };
    bool fitsLocked(qint64 nanoUsd, qint64 tokens) const;

    const SpendCaps m_caps;
    const std::optional<qint64> m_capNano;
    mutable std::mutex m_mutex;
    QHash<ReservationId, Reservation> m_open;
    ReservationId m_nextId = 1;
    qint64 m_spentNano = 0;
    qint64 m_reservedNano = 0;
    qint64 m_spentTokens = 0;
    qint64 m_reservedTokens = 0;
    int m_granted = 0;
    int m_refused = 0;
    int m_settled = 0;
    int m_released = 0;
    int m_overruns = 0;
};

} // namespace djp
