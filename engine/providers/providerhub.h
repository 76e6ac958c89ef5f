#pragma once
// ProviderHub: the one entry point the pipeline uses to talk to models (docs/providers.md).
//
// - Routing: each call's label is routed once, when the call starts: the vendor's real HTTP client
//   when the registry knows the vendor and its key is set, otherwise (or in offline mode) the
//   simulated provider. ChatResult.attempts[].api / .simulated say which one served it.
// - Retry: per HubOptions::retry (defaults, docs/providers.md: 3 attempts, 1 s x2, max 30 s, +-10 % jitter,
//   120 s total). Retried: network errors, timeouts, retryable HTTP statuses
//   (isRetryableHttpStatus) and malformed 2xx bodies; never 400/401/403/404/422. Retry-After is
//   honoured (capped at maxDelayMs). Waits are QTimers.
// - Hooks: CallHooks::beforeAttempt runs before every attempt that the breaker admits (false ->
//   the attempt is recorded as skipped_budget and the call ends); CallHooks::attemptFinished runs
//   after every attempt actually made, including one aborted by cancel().
// - Circuit breaker per provider key (the vendor for real routes, "simulated/<vendor>" for the
//   simulator, so simulated fault demos never block a real provider): 5 consecutive failed
//   attempts open it for 60 s, then one probe goes through. Calls to an open provider fail fast
//   with one attempt recorded as status "circuit_open" (no hook is called, nothing is sent).
//   Answers that prove the provider is up (2xx, or a non-retryable 4xx such as 400/401) count as
//   successes; network errors, timeouts, malformed bodies and retryable statuses count as failures.
//
// Thread contract: the hub, its QNetworkAccessManager, the simulator and every callback live on
// the thread that created the hub. call/cancel/cancelAll and all accessors must be called from that
// thread; hooks and `done` are invoked there, always from the event loop (never inside call() or
// cancel()). Requests and results are plain values.
#include "core/retrypolicy.h"
#include "providers/chattypes.h"
#include "providers/circuitbreaker.h"
#include "providers/providerregistry.h"
#include "providers/simulator.h"

#include <QObject>
#include <QPointer>
#include <functional>
#include <map>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace djp {

class HttpTransport;

struct HubOptions
{
    RetryPolicy retry; // docs/providers.md defaults; tests pass tiny delays
    int breakerThreshold = 5; // consecutive failed attempts that open a provider's breaker
    qint64 breakerOpenMs = 60000; // how long it stays open before the half-open probe
    CircuitBreaker::Clock clock; // monotonic ms for the breaker and the retry total budget; default: steady clock
    std::function<double()> jitter; // in [-1, 1] for the retry jitter; default: uniform random
    bool offline = false; // every vendor served by the simulator
    SimulatorOptions simulator = SimulatorOptions::fromEnvironment();
    std::optional<ProviderRegistry> registry; // default: ProviderRegistry::loadDefault()
    bool loadDotEnv = true; // load ./.env once per process (loadDotEnvFromWorkingDirOnce)
};

class ProviderHub : public QObject
{
    Q_OBJECT
public:
    using CallId = quint64; // never 0
    using DoneFn = std::function<void(const ChatResult&)>;

    explicit ProviderHub(HubOptions options = {}, QObject* parent = nullptr);
    // Aborts every call in flight; no callback runs afterwards.
    ~ProviderHub() override;

    // Starts a call and returns at once. `done` runs exactly once (unless `context` is given and
    // destroyed first, or the hub is destroyed): with ok=true and the reply, or ok=false with the
    // last error; result.attempts lists every attempt in order. The first attempt starts from the
    // event loop, so hooks never run inside call().
    CallId call(const ChatRequest& request, const CallHooks& hooks, DoneFn done, QObject* context = nullptr);

    // Stops a call: an attempt in flight is aborted (recorded with ErrorKind::Cancelled and
    // reported to attemptFinished), a pending retry is dropped, and `done` then runs from the event
    // loop with errorKind Cancelled. Returns false if the id is unknown or already finished.
    bool cancel(CallId id);
    void cancelAll();
    int activeCalls() const { return static_cast<int>(m_calls.size()); }

    // Routing and key status for display (no secret in either).
    ProviderRoute route(const QString& label) const;
    KeyStatus keyStatus(const QString& vendor) const { return m_registry.keyStatus(vendor); }
    const ProviderRegistry& registry() const { return m_registry; }
    void setOffline(bool offline) { m_options.offline = offline; }
    bool offline() const { return m_options.offline; }
    SimulatedProvider& simulator() { return *m_simulator; }
    const RetryPolicy& retryPolicy() const { return m_options.retry; }

    // The breaker key of a label's current route ("openai" or "simulated/openai").
    QString breakerKey(const QString& label) const;
    BreakerState breakerState(const QString& key) const { return m_breaker.state(key); }
    std::vector<BreakerState> breakerStates() const { return m_breaker.states(); }
    void resetBreaker(const QString& key);

Q_SIGNALS:
    // A provider's breaker changed phase or failure count; also emitted (real time) when an open
    // period ends, so a GUI can show half_open without polling.
    void breakerStateChanged(const djp::BreakerState& state);

private:
    struct Call;
    void startAttempt(CallId id);
    void onAttemptDone(CallId id, const AttemptOutcome& outcome);
    void finish(CallId id, bool queued);
    void recordAttempt(Call& c, CallAttempt a);
    CallAttempt baseAttempt(const Call& c) const;
    void releaseProbe(const Call& c);
    void noteBreaker(const QString& key, const BreakerState& before);
    QString breakerKeyFor(const ProviderRoute& r) const;

    HubOptions m_options;
    ProviderRegistry m_registry;
    QNetworkAccessManager* m_nam;
    HttpTransport* m_http;
    SimulatedProvider* m_simulator;
    CircuitBreaker m_breaker;
    std::map<CallId, std::unique_ptr<Call>> m_calls;
    CallId m_nextId = 1;
};

} // namespace djp
