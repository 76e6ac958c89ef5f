#pragma once
#include <memory>
#include <spdlog/spdlog.h>
#include <string>

namespace djp {

// Named loggers writing to stderr ("engine", "store", "providers", "pipeline", "alerts", "ui", "cli").
// Level from DJP_LOG_LEVEL (trace|debug|info|warn|error|off), default warn; Qt's own messages are
// forwarded into the "qt" logger by installQtMessageForwarding(). Never log an API key.
std::shared_ptr<spdlog::logger> logger(const std::string& name);
void initLogging();
void installQtMessageForwarding();

} // namespace djp
