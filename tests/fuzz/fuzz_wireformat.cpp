// libFuzzer entry point for the provider reply parsers (docs/fuzzing.md): every input is parsed as
// an openai_chat, an anthropic_messages and a gemini reply body, and as an error body. Besides
// crashes and sanitizer reports it checks the parsers' own contract:
//  - ok and error are exclusive (an unusable body always says why, a usable one never does);
//  - reported token counts are never negative;
//  - errorBodyCode() is short and never quotes more than a code (no key can ride along in it).
#include "providers/wireformat.h"

#include <cstdio>
#include <cstdlib>

using namespace djp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    for (ApiKind api : { ApiKind::OpenAiChat, ApiKind::AnthropicMessages, ApiKind::Gemini }) {
        const ParsedReply r = parseReplyBody(api, body);
        if (r.ok == !r.error.isEmpty()) {
            std::fprintf(stderr, "%s: ok=%d but error='%s'\n", qPrintable(apiKindName(api)), int(r.ok),
                qPrintable(r.error));
            std::abort();
        }
        if ((r.inputTokens && *r.inputTokens < 0) || (r.outputTokens && *r.outputTokens < 0)) {
            std::fprintf(stderr, "%s: negative token count\n", qPrintable(apiKindName(api)));
            std::abort();
        }
        if (!r.ok && !r.text.isEmpty()) {
            std::fprintf(stderr, "%s: text on a failed parse\n", qPrintable(apiKindName(api)));
            std::abort();
        }
    }
    const QString code = errorBodyCode(body);
    if (code.size() > 80) {
        std::fprintf(stderr, "errorBodyCode too long: %lld\n", static_cast<long long>(code.size()));
        std::abort();
    }
    return 0;
}
