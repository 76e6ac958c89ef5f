#include "providers/chattypes.h"

namespace djp {

QString apiKindName(ApiKind k)
{
    switch (k) {
    case ApiKind::OpenAiChat:
        return QStringLiteral("openai_chat");
    case ApiKind::AnthropicMessages:
        return QStringLiteral("anthropic_messages");
    case ApiKind::Gemini:
        return QStringLiteral("gemini");
    case ApiKind::Simulated:
        return QStringLiteral("simulated");
    }
    return {};
}

std::optional<ApiKind> apiKindFromName(const QString& name)
{
    for (ApiKind k : { ApiKind::OpenAiChat, ApiKind::AnthropicMessages, ApiKind::Gemini, ApiKind::Simulated }) {
        if (name.compare(apiKindName(k), Qt::CaseInsensitive) == 0)
            return k;
    }
    return std::nullopt;
}

QString errorKindName(ErrorKind k)
{
    switch (k) {
    case ErrorKind::None:
        return QStringLiteral("none");
    case ErrorKind::Network:
        return QStringLiteral("network");
    case ErrorKind::Timeout:
        return QStringLiteral("timeout");
    case ErrorKind::Http:
        return QStringLiteral("http");
    case ErrorKind::MalformedResponse:
        return QStringLiteral("malformed_response");
    case ErrorKind::CircuitOpen:
        return QStringLiteral("circuit_open");
    case ErrorKind::SkippedBudget:
        return QStringLiteral("skipped_budget");
    case ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorKind::Redirected:
        return QStringLiteral("redirected");
    case ErrorKind::ReplyTooLarge:
        return QStringLiteral("reply_too_large");
    case ErrorKind::OutputLimitReached:
        return QStringLiteral("output_limit");
    }
    return {};
}

QString usageSourceName(UsageSource s)
{
    switch (s) {
    case UsageSource::None:
        return QStringLiteral("none");
    case UsageSource::Reported:
        return QStringLiteral("reported");
    case UsageSource::Estimated:
        return QStringLiteral("estimated");
    }
    return {};
}

} // namespace djp
