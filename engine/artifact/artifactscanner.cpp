// ArtifactScanner, the fast scan path of run artifacts (docs/artifact-format.md): reads a file into the
// scanner's buffer, rejects what is not a JSON document before parsing (empty, binary, bad UTF-8), runs
// the document walk (artifactwalk.h, scansections.cpp, scancalls.cpp), classifies a failed walk as one
// Problem (syntax error with its byte offset, too deep, not an object, schema version, wrong type) and
// hands a good walk to the record builder (scanrecord.cpp). One scanner per thread: the store's
// parallel parse gives each worker its own; a scanner itself is not thread-safe.
#include "artifact/artifactscanner.h"

#include "artifact/artifactfile.h"
#include "artifact/artifacttimestamp.h"
#include "artifact/artifactwalk.h"
#include "artifact/scanrecord.h"
#include "core/stringinterner.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <simdjson.h>
#include <unistd.h>

static_assert(djp::PaddedBuffer::kPadding >= simdjson::SIMDJSON_PADDING, "PaddedBuffer must carry simdjson's padding");

namespace djp {

using namespace simdjson;
using namespace djp::scan;

namespace {

// Where a top-level object or array closes (the offset just past its closing bracket, then past any
// whitespace), by bracket counting that respects strings. nullopt when the text does not start with
// '{' or '[' or never closes. Only used to explain a parse failure.
std::optional<std::size_t> endOfTopLevelValue(std::string_view text)
{
    std::size_t i = 0;
    const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (i < text.size() && ws(text[i]))
        ++i;
    if (i == text.size() || (text[i] != '{' && text[i] != '['))
        return std::nullopt;
    int depth = 0;
    bool inString = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '{' || c == '[')
            ++depth;
        else if ((c == '}' || c == ']') && --depth == 0) {
            ++i;
            while (i < text.size() && ws(text[i]))
                ++i;
            return i;
        }
    }
    return std::nullopt;
}

// "MAJOR.MINOR" (or just "MAJOR"): returns the major, or -1 when unparseable.
int schemaMajor(std::string_view v)
{
    int major = 0;
    std::size_t i = 0;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9' && i < 6)
        major = major * 10 + (v[i++] - '0');
    if (i == 0)
        return -1;
    if (i == v.size())
        return major;
    if (v[i] != '.' || i + 1 == v.size())
        return -1;
    for (std::size_t k = i + 1; k < v.size(); ++k)
        if (v[k] < '0' || v[k] > '9')
            return -1;
    return major;
}

} // namespace

struct ArtifactScanner::Impl
{
    ondemand::parser parser { static_cast<std::size_t>(kMaxArtifactBytes) };
    PaddedBuffer buffer;
    StringInterner interner;
    LocalOffsetCache localOffsets;
    ArtifactWalk walk;

    RecordParse run(const QString& path, std::size_t bomOffset);
};

RecordParse ArtifactScanner::Impl::run(const QString& path, std::size_t bomOffset)
{
    const auto problem = [&](ProblemCode code, const QString& detail) {
        RecordParse r;
        r.problem = Problem { path, vocabularyId(code), detail };
        return r;
    };
    const char* const base = buffer.data();
    const std::size_t total = buffer.size();
    const char* const json = base + bomOffset;
    const std::size_t len = total - bomOffset;

    if (std::all_of(json, json + len, isJsonWhitespace))
        return problem(ProblemCode::Empty,
            bomOffset ? QStringLiteral("only a byte order mark and whitespace") : QStringLiteral("only whitespace"));
    if (const void* nul = std::memchr(base, 0, total))
        return problem(
            ProblemCode::Binary, QStringLiteral("NUL byte at offset %1").arg(static_cast<const char*>(nul) - base));
    if (!simdjson::validate_utf8(json, len))
        return problem(ProblemCode::Binary, QStringLiteral("invalid UTF-8"));

    walk.reset(base);

    ondemand::document doc;
    bool isObject = false;
    bool walked = false;
    bool iterated = false;
    if (auto e = parser.iterate(padded_string_view(json, len, len + PaddedBuffer::kPadding)).get(doc)) {
        walk.err = e;
    } else {
        iterated = true;
        walked = walk.walkDocument(doc, isObject);
    }

    if (walk.tooDeep)
        return problem(ProblemCode::TooDeep, QStringLiteral("nesting deeper than %1 levels").arg(kMaxArtifactDepth));
    if (walked && walk.err == SUCCESS) {
        // Anything after the top-level value (a second document, a stray bracket) is a syntax error.
        const char* loc = nullptr;
        if (doc.current_location().get(loc) == SUCCESS) {
            return problem(ProblemCode::NotJson,
                QStringLiteral("unexpected content after the top-level value at byte %1").arg(qint64(loc - base)));
        }
    }
    if (walk.err != SUCCESS && !walk.outOfRange.isEmpty())
        return problem(ProblemCode::NotJson, walk.outOfRange);
    if (walk.err != SUCCESS || !walked) {
        QString detail = QString::fromLatin1(error_message(walk.err == SUCCESS ? TAPE_ERROR : walk.err));
        const char* loc = nullptr;
        const bool located
            = iterated && doc.current_location().get(loc) == SUCCESS && loc > base + bomOffset && loc <= base + total;
        // simdjson reports a complete value followed by more text as "ended early ... at byte 0"; a
        // plain bracket walk finds where the value really ended.
        if (!located) {
            if (const auto end = endOfTopLevelValue(std::string_view(json, len)); end && *end < len)
                return problem(ProblemCode::NotJson,
                    QStringLiteral("unexpected content after the top-level value at byte %1")
                        .arg(qint64(bomOffset + *end)));
        }
        if (located)
            detail += QStringLiteral(" (at byte %1)").arg(qint64(loc - base));
        return problem(ProblemCode::NotJson, detail);
    }
    if (!isObject)
        return problem(ProblemCode::NotObject, QStringLiteral("top-level value is not an object"));
    if (!walk.c.hasSchemaVersion)
        return problem(ProblemCode::NoSchemaVersion, QStringLiteral("schema_version missing"));
    if (walk.c.schemaVersionType)
        return problem(ProblemCode::NoSchemaVersion,
            QStringLiteral("schema_version: expected string, got ") + QLatin1String(walk.c.schemaVersionType));
    const int major = schemaMajor(walk.c.schemaVersion);
    if (major != 1 && major != 2)
        return problem(ProblemCode::UnsupportedVersion,
            QStringLiteral("schema_version \"%1\" (supported: 1.x, 2.x)").arg(qs(walk.c.schemaVersion)));
    if (!walk.c.hasRunMetadata)
        return problem(ProblemCode::NoRunMetadata, QStringLiteral("run_metadata missing"));
    if (walk.c.runMetadataType)
        return problem(ProblemCode::NoRunMetadata,
            QStringLiteral("run_metadata: expected object, got ") + QLatin1String(walk.c.runMetadataType));
    if (!walk.wrongType.isEmpty())
        return problem(ProblemCode::WrongType, walk.wrongType);

    RecordParse out;
    buildRunRecord(walk, path, interner, localOffsets, out.record.emplace());
    return out;
}

ArtifactScanner::ArtifactScanner()
    : d(std::make_unique<Impl>())
{
    // Pre-size for typical artifacts; the parser grows on demand up to kMaxArtifactBytes.
    // A failure here only means the first parse allocates instead.
    const error_code e = d->parser.allocate(64 * 1024, kMaxArtifactDepth + 1);
    Q_UNUSED(e);
}

ArtifactScanner::~ArtifactScanner() = default;

StringInterner& ArtifactScanner::interner()
{
    return d->interner;
}

RecordParse ArtifactScanner::readFile(const QString& absolutePath)
{
    FileFacts facts;
    if (auto p = readArtifactFile(absolutePath, d->buffer, facts)) {
        RecordParse r;
        r.problem = std::move(*p);
        return r;
    }
    const char* b = d->buffer.data();
    const std::size_t bom = d->buffer.size() >= 3 && std::memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    RecordParse r = d->run(absolutePath, bom);
    if (r.record) {
        r.record->fileSize = facts.size;
        r.record->fileMtimeMs = facts.mtimeMs;
    }
    return r;
}

std::optional<RecordParse> ArtifactScanner::readOpenFile(const QString& path, int fd, qint64 expectedSize)
{
    if (expectedSize <= 0 || expectedSize > kMaxArtifactBytes)
        return std::nullopt;
    // One byte more than expected: a full read means the file grew since the scan.
    const std::size_t want = std::size_t(expectedSize) + 1;
    d->buffer.resize(want);
    std::size_t got = 0;
    while (got < want) {
        const ssize_t n = ::read(fd, d->buffer.data() + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return std::nullopt;
        got += std::size_t(n);
        // A short read of a regular file is its end (Linux fills regular-file reads up to EOF), so
        // the usual file costs one read(), not a second one that returns 0.
        if (n == 0 || got < want)
            break;
    }
    if (got != std::size_t(expectedSize))
        return std::nullopt;
    d->buffer.resize(got); // keeps the bytes (capacity suffices) and zeroes the padding
    const char* b = d->buffer.data();
    const std::size_t bom = got >= 3 && std::memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    return d->run(path, bom);
}

RecordParse ArtifactScanner::parse(const QString& path, std::string_view bytes)
{
    if (bytes.empty()) {
        RecordParse r;
        r.problem = Problem { path, vocabularyId(ProblemCode::Empty), QStringLiteral("0 bytes") };
        return r;
    }
    if (bytes.size() > static_cast<std::size_t>(kMaxArtifactBytes)) {
        RecordParse r;
        r.problem = Problem { path, vocabularyId(ProblemCode::TooLarge),
            QStringLiteral("%1 bytes, limit %2").arg(qint64(bytes.size())).arg(kMaxArtifactBytes) };
        return r;
    }
    d->buffer.resize(bytes.size());
    std::memcpy(d->buffer.data(), bytes.data(), bytes.size());
    const std::size_t bom = bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    return d->run(path, bom);
}

} // namespace djp
