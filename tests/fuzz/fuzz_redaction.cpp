// libFuzzer entry point for redaction (docs/fuzzing.md). The input picks a secret kind (first byte)
// and gives two pieces of surrounding text (split at the first 0x1F byte, else in the middle);
// the secret is planted between them on a line of its own. Besides crashes and sanitizer reports,
// it aborts when:
//  - the planted secret (or its distinctive tail) survives redaction,
//  - redaction is not idempotent (redacting the redacted text changes it again),
//  - the raw input alone, redacted twice, differs from once (idempotence on arbitrary text),
//  - a reported span is empty, out of range, or overlaps/touches the previous one.
#include "pipeline/redaction.h"

#include <QFile>
#include <cstdio>
#include <cstdlib>

using namespace djp;

namespace {

struct Secret
{
    const char* text;
    const char* tail; // must be gone too
};

// Fake but well-formed secrets of every kind the bundled rules cover.
const Secret kSecrets[] = {
    { "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD", "0123456789ABCD" },
    { "sk-proj-Ab3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI", "zA9cE1gI" },
    { "sk-a1b2c3d4", "sk-a1b2c3d4" },
    { "sk-ant-api03-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0", "Rr1Qq0" },
    { "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6q", "M3n4O5p6q" },
    { "ghp_Ab5551234567", "Ab5551234567" },
    { "github_pat_11ABCDEFG0123456789_abcdefghijkl", "abcdefghijkl" },
    { "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "MnOpQrStUvWx" },
    { "AKIAIOSFODNN7EXAMPLE", "IOSFODNN7EXAMPLE" },
    { "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "FUP0THsR8U" },
    { "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", "MIIEpAIBAAKCAQEA" },
    { "jane.doe@example-mail.com", "doe@example-mail.com" },
    { "(555) 123-4567", "123-4567" },
    { "+44 20 7946 0958", "7946 0958" },
    { "123-45-6789", "45-6789" },
    { "4111 1111 1111 1111", "1111 1111 1111 1111" },
    { "Card: 2 4111 1111 1111 1111", "1111 1111 1111 1111" },
    { "DE89 3704 0044 0532 0130 00", "0532 0130 00" },
    { "GB82WEST12345698765432", "WEST12345698765432" },
    { "192.168.17.42", "168.17.42" },
    { "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX", "XXXXSECRETXXXX" },
    { "password: hunter2hunter2hunter2", "hunter2hunter2hunter2" },
};

const Redactor& redactor()
{
    static const Redactor r = [] {
        QFile f(QStringLiteral(DJP_REDACTION_RULES));
        if (!f.open(QIODevice::ReadOnly))
            std::abort();
        QString error;
        auto loaded = Redactor::fromJson(f.readAll(), &error);
        if (!loaded) {
            std::fprintf(stderr, "rules: %s\n", qPrintable(error));
            std::abort();
        }
        return *loaded;
    }();
    return r;
}

void checkSpans(const QString& text)
{
    const auto spans = redactor().findSpans(text);
    qsizetype lastEnd = -1;
    for (const RedactionSpan& s : spans) {
        if (s.start < 0 || s.end <= s.start || s.end > text.size() || s.start <= lastEnd) {
            std::fprintf(stderr, "bad span %lld..%lld (previous end %lld)\n", qlonglong(s.start), qlonglong(s.end),
                qlonglong(lastEnd));
            std::abort();
        }
        lastEnd = s.end;
    }
}

void checkIdempotent(const QString& once)
{
    const QString twice = redactor().redact(once).text;
    if (twice != once) {
        std::fprintf(stderr, "not idempotent:\n%s\n---\n%s\n", qPrintable(once), qPrintable(twice));
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const Secret& secret = kSecrets[data[0] % (sizeof(kSecrets) / sizeof(kSecrets[0]))];
    const QByteArray rest(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    qsizetype cut = rest.indexOf('\x1f');
    const QString before = QString::fromUtf8(cut >= 0 ? rest.left(cut) : rest.left(rest.size() / 2));
    const QString after = QString::fromUtf8(cut >= 0 ? rest.mid(cut + 1) : rest.mid(rest.size() / 2));

    // Arbitrary text on its own.
    const QString raw = before + after;
    checkSpans(raw);
    checkIdempotent(redactor().redact(raw).text);

    // A secret planted on a line of its own.
    const QString planted = before + QLatin1Char('\n') + QString::fromUtf8(secret.text) + QLatin1Char('\n') + after;
    checkSpans(planted);
    const QString out = redactor().redact(planted).text;
    if (out.contains(QString::fromUtf8(secret.tail))) {
        std::fprintf(stderr, "secret survived: %s\nin: %s\n", secret.text, qPrintable(out));
        std::abort();
    }
    checkIdempotent(out);
    return 0;
}
