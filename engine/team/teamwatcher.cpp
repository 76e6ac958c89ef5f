#include "team/teamwatcher.h"

#include "team/teampush.h"

namespace djp {

TeamWatcher::TeamWatcher(QObject* parent)
    : QObject(parent)
{ }

TeamWatcher::~TeamWatcher() = default;

bool TeamWatcher::start(const QString& url, DbError* error)
{
    stop();
    std::optional<PgConnection> conn = PgConnection::open(url, error);
    if (!conn)
        return false;
    if (!conn->execScript(QStringLiteral("LISTEN ") + QString::fromLatin1(kRunsChannel), error))
        return false;
    m_conn = std::move(conn);
    m_notifier = std::make_unique<QSocketNotifier>(m_conn->socket(), QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &TeamWatcher::readNotifications);
    return true;
}

void TeamWatcher::stop()
{
    m_notifier.reset();
    m_conn.reset();
}

void TeamWatcher::readNotifications()
{
    if (!m_conn)
        return;
    QStringList payloads;
    const QStringList channels = m_conn->takeNotifications(&payloads);
    if (!m_conn->isOk()) {
        const QString message
            = QStringLiteral("lost the connection to the team history (%1)").arg(m_conn->redactedUrl());
        stop();
        Q_EMIT connectionLost(message);
        return;
    }
    for (qsizetype i = 0; i < channels.size(); ++i) {
        if (channels[i] == QLatin1String(kRunsChannel))
            Q_EMIT runsArrived(payloads.value(i).toInt());
    }
}

} // namespace djp
