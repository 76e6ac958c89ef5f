#pragma once
// "Latest request wins" (docs/architecture.md): work that runs off the GUI thread (a filter, an alert
// evaluation, an artifact read) takes a ticket when it is requested; when its result arrives it is applied
// only if no newer request was made meanwhile. The counter is shared and atomic, so a worker can ask too
// and skip work that is already superseded. Owned and advanced on one thread (the GUI thread); tickets
// may be read from any thread.
#include <QtGlobal>
#include <atomic>
#include <limits>
#include <memory>

namespace djp {

class LatestRequest
{
public:
    class Ticket
    {
    public:
        Ticket() = default; // never the latest
        // True while no newer request was made (and the owner was not closed).
        bool isLatest() const
        {
            return m_counter && m_id != kClosed && m_counter->load(std::memory_order_acquire) == m_id;
        }
        quint64 id() const { return m_id; }

    private:
        friend class LatestRequest;
        Ticket(std::shared_ptr<const std::atomic<quint64>> counter, quint64 id)
            : m_counter(std::move(counter))
            , m_id(id)
        { }
        std::shared_ptr<const std::atomic<quint64>> m_counter;
        quint64 m_id = 0;
    };

    // A new request: every earlier ticket stops being the latest.
    Ticket next()
    {
        const quint64 id = m_counter->load(std::memory_order_relaxed) + 1;
        m_counter->store(id, std::memory_order_release);
        return Ticket(m_counter, id);
    }
    // Drops every request in flight without starting one.
    void dropAll() { next(); }
    // For good (the owner goes away): no ticket is ever the latest again, so workers stop early.
    void close() { m_counter->store(kClosed, std::memory_order_release); }
    // Whether `id` (a Ticket::id() carried in a result) is still the latest request.
    // Id 0 (a default ticket) never is: it is never handed out.
    bool isLatest(quint64 id) const
    {
        return id != 0 && id != kClosed && m_counter->load(std::memory_order_acquire) == id;
    }

private:
    static constexpr quint64 kClosed = std::numeric_limits<quint64>::max();
    std::shared_ptr<std::atomic<quint64>> m_counter = std::make_shared<std::atomic<quint64>>(0);
};

} // namespace djp
