#include "core/log.h"

#include <QByteArray>
#include <QString>
#include <QtGlobal>
#include <mutex>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace djp {

namespace {
std::once_flag g_init;

spdlog::level::level_enum envLevel()
{
    const QByteArray v = qgetenv("DJP_LOG_LEVEL");
    if (v.isEmpty())
        return spdlog::level::warn;
    return spdlog::level::from_str(v.toStdString());
}

void qtHandler(QtMsgType type, const QMessageLogContext&, const QString& msg)
{
    auto log = logger("qt");
    const std::string text = msg.toStdString();
    switch (type) {
    case QtDebugMsg: log->debug(text); break;
    case QtInfoMsg: log->info(text); break;
    case QtWarningMsg: log->warn(text); break;
    case QtCriticalMsg:
    case QtFatalMsg: log->error(text); break;
    }
}
} // namespace

void initLogging()
{
    std::call_once(g_init, [] { spdlog::set_level(envLevel()); });
}

std::shared_ptr<spdlog::logger> logger(const std::string& name)
{
    initLogging();
    if (auto existing = spdlog::get(name))
        return existing;
    try {
        auto l = spdlog::stderr_color_mt(name);
        l->set_level(envLevel());
        return l;
    } catch (const spdlog::spdlog_ex&) {
        return spdlog::get(name); // created concurrently by another thread
    }
}

void installQtMessageForwarding() { qInstallMessageHandler(qtHandler); }

} // namespace djp
