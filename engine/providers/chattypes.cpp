#include "providers/chattypes.h"

#include <QStringList>

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

QString describeUsage(const CallAttempt& a)
{
    QStringList in;
    if (a.cacheReadTokens > 0)
        in << QStringLiteral("%1 cached").arg(a.cacheReadTokens);
    if (a.cacheWriteTokens > 0)
        in << QStringLiteral("%1 cache write").arg(a.cacheWriteTokens);
    QString text = QStringLiteral("%1 in").arg(a.inputTokens);
    if (!in.isEmpty())
        text += QStringLiteral(" (") + in.join(QStringLiteral(", ")) + QLatin1Char(')');
    text += QStringLiteral(" / %1 out").arg(a.outputTokens);
    if (a.reasoningTokens > 0)
        text += QStringLiteral(" (%1 reasoning)").arg(a.reasoningTokens);
    if (a.usageSource == UsageSource::Estimated)
        text += QStringLiteral(" [estimated]");
    return text;
}

} // namespace djp
