#include "providers/providerhub.h"

#include "core/log.h"
#include "core/strings.h"
#include "providers/dotenv.h"
#include "providers/httptransport.h"
#include "providers/modelcapabilities.h"
#include "providers/wireformat.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QTimer>

namespace djp {

struct ProviderHub::Call
{
    CallId id = 0;
    ChatRequest request;
    CallHooks hooks;
    DoneFn done;
    bool hasContext = false;
    QPointer<QObject> context;
    ProviderRoute route;
    QString breakerKey;
    QByteArray key; // the API key for real routes; lives only as long as the call

    int attempt = 0;
    qint64 startedAtMs = 0;
    ChatResult result;
    PendingAttempt* pending = nullptr;
    QElapsedTimer attemptClock;
    bool probe = false;
    quint64 breakerGeneration = 0; // the breaker's generation when this attempt was admitted
    QString endReason; // why no further attempt was made, when that is worth telling
    bool cancelled = false;
    QTimer* retryTimer = nullptr;
    std::optional<CallAttempt> cancelledAttempt; // reported to attemptFinished after cancel()
};

namespace {

bool isRetryable(const AttemptOutcome& o)
{
    switch (o.errorKind) {
    case ErrorKind::Network:
    case ErrorKind::Timeout:
    case ErrorKind::MalformedResponse:
        return true;
    case ErrorKind::Http:
        return o.httpStatus && isRetryableHttpStatus(*o.httpStatus);
    default:
        return false;
    }
}

// Whether an attempt's outcome says the provider is unhealthy (breaker failure).
bool isProviderFailure(const AttemptOutcome& o)
{
    if (o.ok())
        return false;
    if (o.errorKind == ErrorKind::Http)
        return o.httpStatus && (isRetryableHttpStatus(*o.httpStatus) || *o.httpStatus >= 500);
    // A reply cut at the output limit is a well-formed answer: the provider is up.
    return o.errorKind != ErrorKind::Cancelled && o.errorKind != ErrorKind::OutputLimitReached;
}

QString scrub(QString text, const QByteArray& key)
{
    if (!key.isEmpty())
        text.replace(QString::fromUtf8(key), QStringLiteral("[REDACTED]"));
    return text;
}

} // namespace

ProviderHub::ProviderHub(HubOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_nam(new QNetworkAccessManager(this))
    , m_http(new HttpTransport(m_nam, this))
    , m_breaker(m_options.breakerThreshold, m_options.breakerOpenMs, m_options.clock)
{
    qRegisterMetaType<djp::BreakerState>();
    if (m_options.loadDotEnv)
        loadDotEnvFromWorkingDirOnce();
    if (m_options.registry) {
        m_registry = *m_options.registry;
    } else {
        QStringList problems;
        m_registry = ProviderRegistry::loadDefault(&problems);
        for (const QString& p : problems)
            logger("providers")->warn("provider registry: {}", ss(p));
    }
    if (!m_options.jitter)
        m_options.jitter = [] { return QRandomGenerator::global()->generateDouble() * 2.0 - 1.0; };
    m_simulator = new SimulatedProvider(m_options.simulator, this);
}

ProviderHub::~ProviderHub()
{
    for (auto& [id, c] : m_calls) {
        if (c->pending)
            c->pending->abort();
    }
    m_calls.clear();
}

ProviderRoute ProviderHub::route(const QString& label) const
{
    return m_registry.route(label, m_options.offline);
}

QString ProviderHub::breakerKeyFor(const ProviderRoute& r) const
{
    return r.simulated ? QStringLiteral("simulated/") + r.vendor : r.vendor;
}

QString ProviderHub::breakerKey(const QString& label) const
{
    return breakerKeyFor(route(label));
}

void ProviderHub::resetBreaker(const QString& key)
{
    const BreakerState before = m_breaker.state(key);
    m_breaker.reset(key);
    noteBreaker(key, before);
}

ProviderHub::CallId ProviderHub::call(const ChatRequest& request, const CallHooks& hooks, DoneFn done, QObject* context)
{
    auto c = std::make_unique<Call>();
    c->id = m_nextId++;
    c->request = request;
    c->hooks = hooks;
    c->done = std::move(done);
    c->hasContext = context != nullptr;
    c->context = context;
    c->route = route(request.label);
    c->breakerKey = breakerKeyFor(c->route);
    if (!c->route.simulated)
        c->key = m_registry.apiKey(c->route.vendor);
    c->startedAtMs = m_breaker.now();
    const CallId id = c->id;
    m_calls.emplace(id, std::move(c));
    QTimer::singleShot(0, this, [this, id] { startAttempt(id); });
    return id;
}

// A half-open breaker's probe that ended without an answer (skipped or cancelled) lets the next call probe.
void ProviderHub::releaseProbe(const Call& c)
{
    if (!c.probe)
        return;
    const BreakerState before = m_breaker.state(c.breakerKey);
    m_breaker.cancelProbe(c.breakerKey);
    noteBreaker(c.breakerKey, before);
}

CallAttempt ProviderHub::baseAttempt(const Call& c) const
{
    CallAttempt a;
    a.stage = c.request.stage;
    a.label = c.request.label;
    a.api = apiKindName(c.route.api);
    a.simulated = c.route.simulated;
    a.attempt = c.attempt;
    a.outputLimit = outputTokenLimit(c.request.label, c.request.maxTokens, c.request.thinkingBudget);
    return a;
}

void ProviderHub::recordAttempt(Call& c, CallAttempt a)
{
    a.error = scrub(a.error, c.key);
    logger("providers")
        ->debug("{} {} attempt {}: {}{}{} ({} ms)", ss(a.stage), ss(a.label), a.attempt, ss(a.status),
            a.error.isEmpty() ? "" : " ", ss(a.error), a.latencyMs);
    c.result.attempts.push_back(std::move(a));
}

void ProviderHub::noteBreaker(const QString& key, const BreakerState& before)
{
    const BreakerState after = m_breaker.state(key);
    if (after.phase == before.phase && after.consecutiveFailures == before.consecutiveFailures
        && after.probeInFlight == before.probeInFlight)
        return;
    if (after.phase == BreakerPhase::Open && before.phase != BreakerPhase::Open) {
        logger("providers")
            ->warn("circuit breaker for {} opened after {} consecutive failures", ss(key), after.consecutiveFailures);
        // Tell the GUI when the open period is over (real time; the breaker itself uses its clock).
        const qint64 wait = std::max<qint64>(0, after.reopenAtMs - m_breaker.now());
        QTimer::singleShot(std::chrono::milliseconds(wait + 1), this,
            [this, key] { Q_EMIT breakerStateChanged(m_breaker.state(key)); });
    }
    Q_EMIT breakerStateChanged(after);
}

void ProviderHub::startAttempt(CallId id)
{
    auto it = m_calls.find(id);
    if (it == m_calls.end())
        return;
    Call& c = *it->second;
    c.retryTimer = nullptr;
    ++c.attempt;

    const BreakerState before = m_breaker.state(c.breakerKey);
    const auto admission = m_breaker.tryAcquire(c.breakerKey, &c.breakerGeneration);
    noteBreaker(c.breakerKey, before);
    if (admission == CircuitBreaker::Admission::Rejected) {
        const BreakerState s = m_breaker.state(c.breakerKey);
        CallAttempt a = baseAttempt(c);
        a.status = vocabularyId(CallStatus::CircuitOpen);
        a.errorKind = ErrorKind::CircuitOpen;
        const qint64 inMs = std::max<qint64>(0, s.reopenAtMs - m_breaker.now());
        a.error = QStringLiteral("circuit open for %1 (next probe in %2 s)").arg(c.breakerKey).arg((inMs + 999) / 1000);
        recordAttempt(c, std::move(a));
        finish(id, false);
        return;
    }
    c.probe = admission == CircuitBreaker::Admission::Probe;

    if (c.hooks.beforeAttempt) {
        const bool go = c.hooks.beforeAttempt(c.request, c.attempt);
        it = m_calls.find(id); // the hook may have cancelled the call
        if (it == m_calls.end())
            return;
        if (!go) {
            releaseProbe(c);
            CallAttempt a = baseAttempt(c);
            a.status = vocabularyId(CallStatus::SkippedBudget);
            a.errorKind = ErrorKind::SkippedBudget;
            a.error = QStringLiteral("skipped: budget does not allow this attempt");
            recordAttempt(c, std::move(a));
            finish(id, false);
            return;
        }
    }

    auto done = [this, id](const AttemptOutcome& o) { onAttemptDone(id, o); };
    c.attemptClock.start();
    if (c.route.simulated) {
        c.pending = m_simulator->start(c.request, c.attempt, std::move(done), this);
    } else {
        const HttpCall http = buildHttpCall(c.route.api, c.route.baseUrl, c.route.apiModel, c.key, c.request);
        c.pending = m_http->start(c.route.api, http, c.request, c.request.timeoutMs, std::move(done), this);
    }
}

void ProviderHub::onAttemptDone(CallId id, const AttemptOutcome& o)
{
    auto it = m_calls.find(id);
    if (it == m_calls.end())
        return;
    Call& c = *it->second;
    if (c.pending) {
        c.pending->deleteLater();
        c.pending = nullptr;
    }
    CallAttempt a = baseAttempt(c);
    a.status = vocabularyId(o.ok() ? CallStatus::Ok : CallStatus::Error);
    a.httpStatus = o.httpStatus;
    a.error = o.error;
    a.errorKind = o.errorKind;
    a.inputTokens = o.inputTokens;
    a.outputTokens = o.outputTokens;
    a.cacheReadTokens = o.cacheReadTokens;
    a.cacheWriteTokens = o.cacheWriteTokens;
    a.reasoningTokens = o.reasoningTokens;
    a.usageSource = o.usageSource;
    a.reportedCostUsd = o.reportedCostUsd;
    a.possiblyBilled = o.possiblyBilled;
    a.latencyMs = c.attemptClock.elapsed();

    const BreakerState before = m_breaker.state(c.breakerKey);
    if (isProviderFailure(o))
        m_breaker.recordFailure(c.breakerKey, c.breakerGeneration);
    else
        m_breaker.recordSuccess(c.breakerKey, c.breakerGeneration);
    c.probe = false;
    noteBreaker(c.breakerKey, before);

    recordAttempt(c, a);
    if (c.hooks.attemptFinished) {
        c.hooks.attemptFinished(c.result.attempts.back());
        it = m_calls.find(id);
        if (it == m_calls.end())
            return;
    }
    if (o.ok()) {
        c.result.ok = true;
        c.result.text = o.text;
        c.result.inputTokens = o.inputTokens;
        c.result.outputTokens = o.outputTokens;
        finish(id, false);
        return;
    }
    const RetryPolicy& policy = m_options.retry;
    if (isRetryable(o) && c.attempt < policy.maxAttempts) {
        const int delay = retryDelayMs(policy, c.attempt + 1, m_options.jitter(), o.retryAfterMs);
        const qint64 elapsed = m_breaker.now() - c.startedAtMs;
        if (retryFitsBudget(policy, elapsed, delay)) {
            logger("providers")
                ->info(
                    "{}: retrying in {} ms after {}", ss(c.request.label), delay, ss(c.result.attempts.back().error));
            c.retryTimer = new QTimer(this);
            c.retryTimer->setSingleShot(true);
            // Coarse timers may fire up to 5 % early; never retry before a server's Retry-After.
            c.retryTimer->setTimerType(Qt::PreciseTimer);
            connect(c.retryTimer, &QTimer::timeout, this, [this, id, t = c.retryTimer] {
                t->deleteLater();
                startAttempt(id);
            });
            c.retryTimer->start(delay);
            return;
        }
        if (o.retryAfterMs) {
            // The server's wait does not fit the call's deadline: say so instead of retrying early.
            c.endReason = QStringLiteral("not retried: the server asked to wait %1 s (Retry-After), past the "
                                         "call's %2 s deadline")
                              .arg((delay + 999) / 1000)
                              .arg(policy.totalBudgetMs / 1000);
        }
    }
    finish(id, false);
}

void ProviderHub::finish(CallId id, bool queued)
{
    auto it = m_calls.find(id);
    if (it == m_calls.end())
        return;
    std::shared_ptr<Call> c(std::move(it->second));
    m_calls.erase(it);
    if (c->retryTimer) {
        c->retryTimer->stop();
        c->retryTimer->deleteLater();
        c->retryTimer = nullptr;
    }
    ChatResult& r = c->result;
    if (!r.attempts.empty()) {
        const CallAttempt& last = r.attempts.back();
        r.httpStatus = last.httpStatus;
        if (!r.ok) {
            r.error = last.error;
            r.errorKind = last.errorKind;
            if (!c->endReason.isEmpty())
                r.error += QStringLiteral("; ") + c->endReason;
        }
    }
    if (c->cancelled) {
        r.ok = false;
        r.error = QStringLiteral("cancelled");
        r.errorKind = ErrorKind::Cancelled;
    }
    c->key.clear();
    auto deliver = [c] {
        if (c->cancelledAttempt && c->hooks.attemptFinished)
            c->hooks.attemptFinished(*c->cancelledAttempt);
        if (c->done && (!c->hasContext || c->context))
            c->done(c->result);
    };
    if (queued)
        QTimer::singleShot(0, this, deliver);
    else
        deliver();
}

bool ProviderHub::cancel(CallId id)
{
    auto it = m_calls.find(id);
    if (it == m_calls.end())
        return false;
    Call& c = *it->second;
    if (c.pending) {
        const bool sent = c.pending->requestSent();
        c.pending->abort();
        c.pending->deleteLater();
        c.pending = nullptr;
        releaseProbe(c);
        CallAttempt a = baseAttempt(c);
        a.status = vocabularyId(CallStatus::Error);
        a.errorKind = ErrorKind::Cancelled;
        a.error = QStringLiteral("cancelled");
        a.possiblyBilled = sent; // the provider may finish (and bill) a request we stopped waiting for
        a.latencyMs = c.attemptClock.elapsed();
        recordAttempt(c, a);
        c.cancelledAttempt = c.result.attempts.back();
    }
    c.cancelled = true;
    finish(id, true);
    return true;
}

void ProviderHub::cancelAll()
{
    std::vector<CallId> ids;
    for (const auto& [id, c] : m_calls)
        ids.push_back(id);
    for (CallId id : ids)
        cancel(id);
}

} // namespace djp
