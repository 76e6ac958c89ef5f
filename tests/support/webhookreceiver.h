#pragma once
// A Slack-style webhook on 127.0.0.1 for alert tests: records every body posted to its path and
// answers with `status`. The path plays the secret part of a real webhook URL, so tests can check
// that it never shows up in output.
#include <QByteArray>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QList>
#include <QString>

namespace djp::test {

class WebhookReceiver
{
public:
    explicit WebhookReceiver(const QString& path = QStringLiteral("/hook"))
        : m_path(path)
    {
        m_server.route(path, [this](const QHttpServerRequest& req) {
            bodies << req.body();
            return QHttpServerResponse(QByteArray("ok"), static_cast<QHttpServerResponder::StatusCode>(status));
        });
        port = m_server.listen(QHostAddress::LocalHost, 0);
    }

    QString url() const { return QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(m_path); }

    QList<QByteArray> bodies; // in arrival order
    int status = 200; // the HTTP status every post gets
    quint16 port = 0; // 0 when listening failed

private:
    QString m_path;
    QHttpServer m_server;
};

} // namespace djp::test
