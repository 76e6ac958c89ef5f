#pragma once
// Live updates from the team history: LISTEN on the channel every push notifies (kRunsChannel, payload
// = runs inserted) over a connection of its own, driven by a QSocketNotifier on libpq's socket, so no
// thread blocks and no polling happens. The dashboard's "tell me when something changed" for the
// database source.
//
// Threading: lives on the thread whose event loop delivers the socket events. start() connects and
// blocks up to the connect timeout, so a GUI creates the watcher on a worker thread (or accepts the
// wait); signals are queued to other threads as usual.
#include "team/pgconnection.h"

#include <QObject>
#include <QSocketNotifier>
#include <memory>
#include <optional>

namespace djp {

class TeamWatcher : public QObject
{
    Q_OBJECT
public:
    explicit TeamWatcher(QObject* parent = nullptr);
    ~TeamWatcher() override;

    // Connects and listens; false with *error (the watcher stays idle).
    bool start(const QString& url, DbError* error);
    void stop();
    bool isListening() const { return m_notifier != nullptr; }

Q_SIGNALS:
    // Another session (or this one) committed a push of `runs` runs.
    void runsArrived(int runs);
    // The listening connection broke; call start() again to resume.
    void connectionLost(const QString& message);

private:
    void readNotifications();

    std::optional<PgConnection> m_conn;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace djp
