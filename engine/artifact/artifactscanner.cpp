#include "artifact/artifactscanner.h"

#include "artifact/artifactfile.h"
#include "artifact/artifacttimestamp.h"
#include "core/exactmoney.h"
#include "core/stringinterner.h"
#include "core/strings.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <simdjson.h>
#include <string>
#include <unistd.h>
#include <vector>

// Design notes (see docs/artifact-format.md):
// - On Demand is lazy: a value it is never asked for is skipped without being checked. docs/artifact-format.md wants
//   the whole file to be RFC 8259 JSON (a NaN inside a draft makes the file a problem, exactly as the
//   nlohmann document loader sees it), so the walk below visits every value once: the fields of
//   docs/metrics.md are extracted on the way, everything else is validated as cheaply as possible (strings
//   without a backslash are not unescaped, numbers are not converted when not needed).
// - Our own depth counter enforces kMaxArtifactDepth (the walk recurses at most that deep), so
//   adversarial nesting cannot exhaust the stack.
// - Leaf fields of an unexpected type (e.g. "max_tokens": "800") fall back to the legacy default;
//   containers the record is computed from (sections, arrays, their items) of the wrong type make
//   the file a `wrong_type` problem.
// - Integers beyond 64 bits (2^70) are read as doubles and clamped to the target integer type.
//   Numbers beyond the double range (1e400) make the file `not_json` ("number out of range"): RFC
//   8259 §6 lets implementations limit the range, and nlohmann (the document loader) rejects them
//   too, so both paths agree. Sums that overflow are clamped to DBL_MAX / INT64_MAX.

static_assert(djp::PaddedBuffer::kPadding >= simdjson::SIMDJSON_PADDING, "PaddedBuffer must carry simdjson's padding");

namespace djp {

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

using namespace simdjson;
using ondemand::json_type;

const char* typeName(json_type t)
{
    switch (t) {
    case json_type::array:
        return "array";
    case json_type::object:
        return "object";
    case json_type::number:
        return "number";
    case json_type::string:
        return "string";
    case json_type::boolean:
        return "boolean";
    case json_type::null:
        return "null";
    }
    return "unknown";
}

bool isJsonWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trimRight(std::string_view s)
{
    while (!s.empty() && isJsonWhitespace(s.back()))
        s.remove_suffix(1);
    return s;
}

// RFC 8259 number grammar; tells "out of range" apart from malformed when simdjson refuses a number.
bool isJsonNumberSyntax(std::string_view s)
{
    std::size_t i = 0;
    const auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
    if (i < s.size() && s[i] == '-')
        ++i;
    if (!digit(i))
        return false;
    if (s[i] == '0')
        ++i;
    else
        while (digit(i))
            ++i;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digit(i))
            return false;
        while (digit(i))
            ++i;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (!digit(i))
            return false;
        while (digit(i))
            ++i;
    }
    return i == s.size();
}

// Code points of valid UTF-8 = bytes that are not continuation bytes (10xxxxxx); counted eight
// bytes at a time because published texts are the longest strings the record needs.
qint64 codePointCount(std::string_view utf8)
{
    constexpr std::uint64_t kHigh = 0x8080808080808080ull;
    qint64 continuation = 0;
    std::size_t i = 0;
    for (; i + 8 <= utf8.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, utf8.data() + i, 8);
        continuation += std::popcount(w & ~(w << 1) & kHigh); // bit 7 set, bit 6 clear
    }
    for (; i < utf8.size(); ++i)
        continuation += (static_cast<unsigned char>(utf8[i]) & 0xC0) == 0x80;
    return static_cast<qint64>(utf8.size()) - continuation;
}

template <typename I> I clampToInt(double d)
{
    if (std::isnan(d))
        return 0;
    if (d >= static_cast<double>(std::numeric_limits<I>::max()))
        return std::numeric_limits<I>::max();
    if (d <= static_cast<double>(std::numeric_limits<I>::min()))
        return std::numeric_limits<I>::min();
    return static_cast<I>(d);
}

double finiteOrClamp(double d)
{
    if (std::isfinite(d))
        return d;
    if (std::isnan(d))
        return 0.0;
    return d > 0 ? std::numeric_limits<double>::max() : -std::numeric_limits<double>::max();
}

// Everything the walk collects before the record is assembled. String views point into the
// parser's string buffer or the input buffer and stay valid until the next parse.
struct Collected
{
    // structure
    bool hasSchemaVersion = false;
    std::string_view schemaVersion;
    const char* schemaVersionType = nullptr; // set when present but not a string
    bool hasRunMetadata = false;
    const char* runMetadataType = nullptr; // set when present but not an object

    std::string_view timestamp, task, traceName, runId;
    bool timestampSeen = false; // run_metadata.timestamp present, whatever its type
    std::optional<std::string_view> presetName, status, provider, winnerProvider, reason, judgeMethod, budgetStatus;
    std::optional<qint64> totalDrafts, totalRanked, textLength, maxTokens;
    qint64 draftCount = 0, rankedCount = 0;
    qint64 minEvidence = std::numeric_limits<qint64>::max(); // over ranked drafts
    std::optional<qint64> requireCitations;
    std::optional<double> temperature, duration, budgetUsdParam, budgetUsdBudget;
    std::optional<bool> fastpath, simulated, grounded, redacted, stoppedEarly, costCompleteFlag;
    qint64 groundedRequired = 0, citationsCount = 0, redactionCount = 0;
    qint64 textCodePoints = -1;
    qint64 tokensIn = 0, tokensOut = 0;
    double estCost = 0.0;
    qint64 calls = 0, failedCalls = 0, retries = 0;
    bool okCallWithoutCost = false;
    qint64 cacheReadTokens = 0, cacheWriteTokens = 0, reasoningTokens = 0;
    qint64 estimatedUsageCalls = 0, reportedCostCalls = 0, reportedCostNano = 0, computedCostNano = 0;
};

// Per-label token buckets over calls[], keyed by the label's view into the parser's buffer.
struct LabelBucketsView
{
    std::string_view label;
    qint64 inputTokens = 0, cacheReadTokens = 0, cacheWriteTokens = 0, outputTokens = 0, maxCallInputTokens = 0;
    qint64 costNano = 0;
};

qint64 addClamped(qint64 a, qint64 b)
{
    return clampToInt<qint64>(double(a) + double(b));
}

} // namespace

struct ArtifactScanner::Impl
{
    ondemand::parser parser { static_cast<std::size_t>(kMaxArtifactBytes) };
    PaddedBuffer buffer;
    StringInterner interner;
    LocalOffsetCache localOffsets;
    std::vector<std::string_view> redactionTypes;
    std::vector<std::pair<std::string_view, double>> costs;
    std::vector<std::pair<std::string_view, qint64>> costsNano; // the same amounts, exact
    std::vector<LabelBucketsView> labelBuckets;

    // per-parse state
    Collected c;
    error_code err = SUCCESS;
    bool tooDeep = false;
    QString wrongType; // first wrong-typed container, "path: expected X, got Y"
    QString outOfRange; // detail for a number beyond the double range

    RecordParse run(const QString& path, std::size_t bomOffset);
    bool walkDocument(ondemand::document& doc, bool& isObject);

    // ---- primitives: each returns false only on a JSON syntax error or too-deep nesting ----
    bool fail(error_code e)
    {
        if (err == SUCCESS)
            err = e;
        return false;
    }
    bool typeOf(ondemand::value& v, json_type& t)
    {
        if (auto e = v.type().get(t))
            return fail(e);
        return true;
    }
    void noteWrongType(const std::function<QString()>& pathFn, const char* expected, json_type got)
    {
        if (wrongType.isEmpty())
            wrongType = pathFn() + QStringLiteral(": expected ") + QLatin1String(expected) + QStringLiteral(", got ")
                + QLatin1String(typeName(got));
    }
    // A number simdjson refused: out of double range when its syntax is fine, else malformed.
    bool numberError(error_code e, std::string_view rawToken)
    {
        const std::string_view token = trimRight(rawToken);
        if (e == NUMBER_ERROR && isJsonNumberSyntax(token) && outOfRange.isEmpty())
            outOfRange = QStringLiteral("number out of range: %1 (at byte %2)")
                             .arg(qs(token.substr(0, 40)))
                             .arg(qint64(token.data() - buffer.data()));
        return fail(e);
    }
    bool skip(ondemand::value v, int depth);
    bool skipString(ondemand::value& v);
    bool skipNumber(ondemand::value& v);
    bool readString(ondemand::value& v, int depth, std::optional<std::string_view>& out);
    bool readString(ondemand::value& v, int depth, std::string_view& out)
    {
        std::optional<std::string_view> o;
        if (!readString(v, depth, o))
            return false;
        if (o)
            out = *o;
        return true;
    }
    bool readDouble(ondemand::value& v, int depth, std::optional<double>& out);
    // A money amount in USD as exact nano-dollars from the number's text (nearest); a number the text
    // reader refuses (negative, huge) goes through its double.
    bool readMoney(ondemand::value& v, int depth, std::optional<double>& usd, std::optional<qint64>& nano);
    bool readInt(ondemand::value& v, int depth, std::optional<qint64>& out);
    bool readBool(ondemand::value& v, int depth, std::optional<bool>& out);
    // Opens `v` as an object/array when it is one; otherwise records wrong_type, validates and
    // skips it, and sets `ok` false. `depth` is the depth the container itself would have.
    bool openObject(ondemand::value& v, int depth, ondemand::object& o, bool& ok, const std::function<QString()>& path);
    bool openArray(ondemand::value& v, int depth, ondemand::array& a, bool& ok, const std::function<QString()>& path);

    template <typename F> bool eachField(ondemand::object& o, F&& f)
    {
        for (auto field : o) {
            ondemand::field fl;
            if (auto e = std::move(field).get(fl))
                return fail(e);
            std::string_view key;
            if (auto e = fl.unescaped_key().get(key))
                return fail(e);
            if (!f(key, fl.value()))
                return false;
        }
        return true;
    }
    template <typename F> bool eachElement(ondemand::array& a, F&& f)
    {
        qint64 index = 0;
        for (auto element : a) {
            ondemand::value v;
            if (auto e = std::move(element).get(v))
                return fail(e);
            if (!f(index++, v))
                return false;
        }
        return true;
    }

    // ---- sections ----
    bool runMetadata(ondemand::value& v);
    bool parameters(ondemand::value& v, int depth);
    bool debate(ondemand::value& v);
    bool judge(ondemand::value& v);
    bool publish(ondemand::value& v);
    bool grounding(ondemand::value& v);
    bool provenance(ondemand::value& v);
    bool budget(ondemand::value& v);
    bool calls(ondemand::value& v);
};

bool ArtifactScanner::Impl::skipString(ondemand::value& v)
{
    // Stage 1 already guarantees a closed string with valid UTF-8 and no raw control characters;
    // only escape sequences remain to check, so unescape only when there is a backslash.
    // The value must still be consumed: a value left for On Demand to skip is not validated (its
    // skipping treats ':' and ',' alike), which would let '["a": 1]' through.
    const std::string_view raw = v.raw_json_token();
    if (std::memchr(raw.data(), '\\', raw.size()) == nullptr) {
        ondemand::raw_json_string unused;
        if (auto e = v.get_raw_json_string().get(unused))
            return fail(e);
        return true;
    }
    std::string_view s;
    if (auto e = v.get_string().get(s))
        return fail(e);
    return true;
}

bool ArtifactScanner::Impl::skipNumber(ondemand::value& v)
{
    double d;
    auto e = v.get_double().get(d);
    if (e == SUCCESS)
        return true;
    return numberError(e, v.raw_json_token());
}

bool ArtifactScanner::Impl::skip(ondemand::value v, int depth)
{
    json_type t;
    if (!typeOf(v, t))
        return false;
    switch (t) {
    case json_type::object: {
        if (depth > kMaxArtifactDepth) {
            tooDeep = true;
            return false;
        }
        ondemand::object o;
        if (auto e = v.get_object().get(o))
            return fail(e);
        return eachField(o, [&](std::string_view, ondemand::value child) { return skip(child, depth + 1); });
    }
    case json_type::array: {
        if (depth > kMaxArtifactDepth) {
            tooDeep = true;
            return false;
        }
        ondemand::array a;
        if (auto e = v.get_array().get(a))
            return fail(e);
        return eachElement(a, [&](qint64, ondemand::value& child) { return skip(child, depth + 1); });
    }
    case json_type::string:
        return skipString(v);
    case json_type::number:
        return skipNumber(v);
    case json_type::boolean: {
        bool b;
        if (auto e = v.get_bool().get(b))
            return fail(e);
        return true;
    }
    case json_type::null: {
        bool isNull = false;
        if (auto e = v.is_null().get(isNull))
            return fail(e);
        return isNull ? true : fail(INCORRECT_TYPE);
    }
    }
    return fail(INCORRECT_TYPE);
}

bool ArtifactScanner::Impl::readString(ondemand::value& v, int depth, std::optional<std::string_view>& out)
{
    json_type t;
    if (!typeOf(v, t))
        return false;
    if (t != json_type::string)
        return skip(v, depth);
    std::string_view s;
    if (auto e = v.get_string().get(s))
        return fail(e);
    out = s;
    return true;
}

bool ArtifactScanner::Impl::readDouble(ondemand::value& v, int depth, std::optional<double>& out)
{
    json_type t;
    if (!typeOf(v, t))
        return false;
    if (t != json_type::number)
        return skip(v, depth);
    double d;
    auto e = v.get_double().get(d);
    if (e == SUCCESS) {
        out = d;
        return true;
    }
    return numberError(e, v.raw_json_token());
}

bool ArtifactScanner::Impl::readMoney(
    ondemand::value& v, int depth, std::optional<double>& usd, std::optional<qint64>& nano)
{
    json_type t;
    if (!typeOf(v, t))
        return false;
    if (t != json_type::number)
        return skip(v, depth);
    const std::string_view token = trimRight(v.raw_json_token());
    if (!readDouble(v, depth, usd))
        return false;
    if (usd) {
        nano = decimalTextToNano(token);
        if (!nano)
            nano = *usd < 0 ? -usdToNanoNearest(-*usd) : usdToNanoNearest(*usd);
    }
    return true;
}

bool ArtifactScanner::Impl::readInt(ondemand::value& v, int depth, std::optional<qint64>& out)
{
    json_type t;
    if (!typeOf(v, t))
        return false;
    if (t != json_type::number)
        return skip(v, depth);
    int64_t i;
    if (v.get_int64().get(i) == SUCCESS) {
        out = i;
        return true;
    }
    // 800.0, 2^70, 1e400: through double, then clamped.
    std::optional<double> d;
    if (!readDouble(v, depth, d))
        return false;
    if (d)
        out = clampToInt<qint64>(*d);
    return true;
}

bool ArtifactScanner::Impl::readBool(ondemand::value& v, int depth, std::optional<bool>& out)
{
    json_type t;
    if (!typeOf(v, t))
        return false;
    if (t != json_type::boolean)
        return skip(v, depth);
    bool b;
    if (auto e = v.get_bool().get(b))
        return fail(e);
    out = b;
    return true;
}

bool ArtifactScanner::Impl::openObject(
    ondemand::value& v, int depth, ondemand::object& o, bool& ok, const std::function<QString()>& path)
{
    ok = false;
    json_type t;
    if (!typeOf(v, t))
        return false;
    if (t != json_type::object) {
        noteWrongType(path, "object", t);
        return skip(v, depth);
    }
    if (depth > kMaxArtifactDepth) {
        tooDeep = true;
        return false;
    }
    if (auto e = v.get_object().get(o))
        return fail(e);
    ok = true;
    return true;
}

bool ArtifactScanner::Impl::openArray(
    ondemand::value& v, int depth, ondemand::array& a, bool& ok, const std::function<QString()>& path)
{
    ok = false;
    json_type t;
    if (!typeOf(v, t))
        return false;
    if (t != json_type::array) {
        noteWrongType(path, "array", t);
        return skip(v, depth);
    }
    if (depth > kMaxArtifactDepth) {
        tooDeep = true;
        return false;
    }
    if (auto e = v.get_array().get(a))
        return fail(e);
    ok = true;
    return true;
}

// Section depths: the top-level object is depth 1, a section object 2, its children 3...
// (kMaxArtifactDepth is far above what these fixed paths reach, so the explicit depth arguments
// below matter only for the generic skip() of unknown or leaf values.)

bool ArtifactScanner::Impl::parameters(ondemand::value& v, int depth)
{
    ondemand::object o;
    bool ok;
    if (!openObject(v, depth, o, ok, [] { return QStringLiteral("run_metadata.parameters"); }) || !ok)
        return err == SUCCESS && !tooDeep;
    return eachField(o, [&](std::string_view key, ondemand::value f) {
        if (key == "preset_name")
            return readString(f, depth + 1, c.presetName);
        if (key == "max_tokens")
            return readInt(f, depth + 1, c.maxTokens);
        if (key == "temperature")
            return readDouble(f, depth + 1, c.temperature);
        if (key == "fastpath")
            return readBool(f, depth + 1, c.fastpath);
        if (key == "require_citations")
            return readInt(f, depth + 1, c.requireCitations);
        if (key == "budget_usd")
            return readDouble(f, depth + 1, c.budgetUsdParam);
        return skip(f, depth + 1);
    });
}

bool ArtifactScanner::Impl::runMetadata(ondemand::value& v)
{
    json_type t;
    if (!typeOf(v, t))
        return false;
    c.hasRunMetadata = true;
    if (t != json_type::object) {
        c.runMetadataType = typeName(t);
        return skip(v, 2);
    }
    ondemand::object o;
    if (auto e = v.get_object().get(o))
        return fail(e);
    return eachField(o, [&](std::string_view key, ondemand::value f) {
        if (key == "timestamp") {
            c.timestampSeen = true;
            return readString(f, 3, c.timestamp);
        }
        if (key == "task")
            return readString(f, 3, c.task);
        if (key == "trace_name")
            return readString(f, 3, c.traceName);
        if (key == "parameters")
            return parameters(f, 3);
        return skip(f, 3);
    });
}

bool ArtifactScanner::Impl::debate(ondemand::value& v)
{
    ondemand::object o;
    bool ok;
    if (!openObject(v, 2, o, ok, [] { return QStringLiteral("debate"); }) || !ok)
        return err == SUCCESS && !tooDeep;
    return eachField(o, [&](std::string_view key, ondemand::value f) {
        if (key == "total_drafts")
            return readInt(f, 3, c.totalDrafts);
        if (key == "drafts") {
            ondemand::array a;
            bool isArray;
            if (!openArray(f, 3, a, isArray, [] { return QStringLiteral("debate.drafts"); }) || !isArray)
                return err == SUCCESS && !tooDeep;
            return eachElement(a, [&](qint64, ondemand::value& d) {
                ++c.draftCount;
                return skip(d, 4);
            });
        }
        return skip(f, 3);
    });
}

bool ArtifactScanner::Impl::judge(ondemand::value& v)
{
    ondemand::object o;
    bool ok;
    if (!openObject(v, 2, o, ok, [] { return QStringLiteral("judge"); }) || !ok)
        return err == SUCCESS && !tooDeep;
    return eachField(o, [&](std::string_view key, ondemand::value f) {
        if (key == "winner_provider")
            return readString(f, 3, c.winnerProvider);
        if (key == "total_ranked")
            return readInt(f, 3, c.totalRanked);
        if (key == "method")
            return readString(f, 3, c.judgeMethod);
        if (key != "ranked_drafts")
            return skip(f, 3);
        ondemand::array a;
        bool isArray;
        if (!openArray(f, 3, a, isArray, [] { return QStringLiteral("judge.ranked_drafts"); }) || !isArray)
            return err == SUCCESS && !tooDeep;
        return eachElement(a, [&](qint64 index, ondemand::value& d) {
            ++c.rankedCount;
            ondemand::object draft;
            bool isObject;
            const auto draftPath = [index] { return QStringLiteral("judge.ranked_drafts[%1]").arg(index); };
            if (!openObject(d, 4, draft, isObject, draftPath) || !isObject)
                return err == SUCCESS && !tooDeep;
            qint64 evidence = 0;
            const bool good = eachField(draft, [&](std::string_view k, ondemand::value df) {
                if (k != "evidence")
                    return skip(df, 5);
                ondemand::array ev;
                bool evArray;
                const auto evPath = [index] { return QStringLiteral("judge.ranked_drafts[%1].evidence").arg(index); };
                if (!openArray(df, 5, ev, evArray, evPath) || !evArray)
                    return err == SUCCESS && !tooDeep;
                return eachElement(ev, [&](qint64, ondemand::value& item) {
                    ++evidence;
                    return skip(item, 6);
                });
            });
            c.minEvidence = std::min(c.minEvidence, evidence);
            return good;
        });
    });
}

bool ArtifactScanner::Impl::publish(ondemand::value& v)
{
    ondemand::object o;
    bool ok;
    if (!openObject(v, 2, o, ok, [] { return QStringLiteral("publish"); }) || !ok)
        return err == SUCCESS && !tooDeep;
    return eachField(o, [&](std::string_view key, ondemand::value f) {
        if (key == "status")
            return readString(f, 3, c.status);
        if (key == "provider")
            return readString(f, 3, c.provider);
        if (key == "reason")
            return readString(f, 3, c.reason);
        if (key == "text_length")
            return readInt(f, 3, c.textLength);
        if (key == "redacted")
            return readBool(f, 3, c.redacted);
        if (key == "text") {
            json_type t;
            if (!typeOf(f, t))
                return false;
            if (t != json_type::string)
                return skip(f, 3);
            // Python's len(): code points. Unescape only when needed.
            const std::string_view raw = trimRight(f.raw_json_token());
            if (std::memchr(raw.data(), '\\', raw.size()) == nullptr && raw.size() >= 2) {
                ondemand::raw_json_string consumed; // consume it, see skipString()
                if (auto e = f.get_raw_json_string().get(consumed))
                    return fail(e);
                c.textCodePoints = codePointCount(raw.substr(1, raw.size() - 2));
                return true;
            }
            std::string_view s;
            if (auto e = f.get_string().get(s))
                return fail(e);
            c.textCodePoints = codePointCount(s);
            return true;
        }
        if (key != "redaction_events")
            return skip(f, 3);
        ondemand::array a;
        bool isArray;
        if (!openArray(f, 3, a, isArray, [] { return QStringLiteral("publish.redaction_events"); }) || !isArray)
            return err == SUCCESS && !tooDeep;
        return eachElement(a, [&](qint64 index, ondemand::value& ev) {
            ondemand::object eo;
            bool isObject;
            const auto evPath = [index] { return QStringLiteral("publish.redaction_events[%1]").arg(index); };
            if (!openObject(ev, 4, eo, isObject, evPath) || !isObject)
                return err == SUCCESS && !tooDeep;
            return eachField(eo, [&](std::string_view k, ondemand::value ef) {
                if (k == "type") {
                    std::optional<std::string_view> type;
                    if (!readString(ef, 5, type))
                        return false;
                    if (type)
                        redactionTypes.push_back(*type);
                    return true;
                }
                if (k == "count") {
                    std::optional<qint64> n;
                    if (!readInt(ef, 5, n))
                        return false;
                    if (n)
                        c.redactionCount = clampToInt<qint64>(double(c.redactionCount) + double(*n));
                    return true;
                }
                return skip(ef, 5);
            });
        });
    });
}

bool ArtifactScanner::Impl::grounding(ondemand::value& v)
{
    ondemand::object o;
    bool ok;
    if (!openObject(v, 2, o, ok, [] { return QStringLiteral("grounding"); }) || !ok)
        return err == SUCCESS && !tooDeep;
    return eachField(o, [&](std::string_view key, ondemand::value f) {
        if (key == "enabled")
            return readBool(f, 3, c.grounded);
        if (key == "required_citations") {
            std::optional<qint64> n;
            if (!readInt(f, 3, n))
                return false;
            if (n)
                c.groundedRequired = *n;
            return true;
        }
        if (key == "citations") {
            ondemand::array a;
            bool isArray;
            if (!openArray(f, 3, a, isArray, [] { return QStringLiteral("grounding.citations"); }) || !isArray)
                return err == SUCCESS && !tooDeep;
            return eachElement(a, [&](qint64, ondemand::value& item) {
                ++c.citationsCount;
                return skip(item, 4);
            });
        }
        return skip(f, 3);
    });
}

bool ArtifactScanner::Impl::provenance(ondemand::value& v)
{
    ondemand::object o;
    bool ok;
    if (!openObject(v, 2, o, ok, [] { return QStringLiteral("provenance"); }) || !ok)
        return err == SUCCESS && !tooDeep;
    return eachField(o, [&](std::string_view key, ondemand::value f) {
        if (key == "duration_seconds")
            return readDouble(f, 3, c.duration);
        if (key == "model_usage") {
            ondemand::object usage;
            bool isObject;
            if (!openObject(f, 3, usage, isObject, [] { return QStringLiteral("provenance.model_usage"); })
                || !isObject)
                return err == SUCCESS && !tooDeep;
            return eachField(usage, [&](std::string_view label, ondemand::value entry) {
                ondemand::object eo;
                bool entryObject;
                const auto path
                    = [label]() -> QString { return QStringLiteral("provenance.model_usage.") + qs(label); };
                if (!openObject(entry, 4, eo, entryObject, path) || !entryObject)
                    return err == SUCCESS && !tooDeep;
                return eachField(eo, [&](std::string_view k, ondemand::value n) {
                    if (k == "tokens_in" || k == "tokens_out") {
                        std::optional<qint64> tokens;
                        if (!readInt(n, 5, tokens))
                            return false;
                        if (tokens) {
                            qint64& sum = k == "tokens_in" ? c.tokensIn : c.tokensOut;
                            sum = clampToInt<qint64>(double(sum) + double(*tokens));
                        }
                        return true;
                    }
                    return skip(n, 5);
                });
            });
        }
        if (key == "estimated_costs") {
            ondemand::object costsObj;
            bool isObject;
            if (!openObject(f, 3, costsObj, isObject, [] { return QStringLiteral("provenance.estimated_costs"); })
                || !isObject)
                return err == SUCCESS && !tooDeep;
            return eachField(costsObj, [&](std::string_view label, ondemand::value n) {
                // Unescaped keys and strings stay in the parser's string buffer until the next parse,
                // so the view can wait until the record is assembled.
                std::optional<double> d;
                std::optional<qint64> nano;
                if (!readMoney(n, 4, d, nano))
                    return false;
                if (d) {
                    costs.emplace_back(label, finiteOrClamp(*d));
                    costsNano.emplace_back(label, *nano);
                }
                return true;
            });
        }
        return skip(f, 3);
    });
}

bool ArtifactScanner::Impl::budget(ondemand::value& v)
{
    ondemand::object o;
    bool ok;
    if (!openObject(v, 2, o, ok, [] { return QStringLiteral("budget"); }) || !ok)
        return err == SUCCESS && !tooDeep;
    return eachField(o, [&](std::string_view key, ondemand::value f) {
        if (key == "stopped_early")
            return readBool(f, 3, c.stoppedEarly);
        if (key == "cost_complete")
            return readBool(f, 3, c.costCompleteFlag);
        if (key == "budget_usd")
            return readDouble(f, 3, c.budgetUsdBudget);
        if (key == "gate") {
            ondemand::object gate;
            bool isObject;
            if (!openObject(f, 3, gate, isObject, [] { return QStringLiteral("budget.gate"); }) || !isObject)
                return err == SUCCESS && !tooDeep;
            return eachField(gate, [&](std::string_view k, ondemand::value g) {
                if (k == "status")
                    return readString(g, 4, c.budgetStatus);
                return skip(g, 4);
            });
        }
        return skip(f, 3);
    });
}

bool ArtifactScanner::Impl::calls(ondemand::value& v)
{
    ondemand::array a;
    bool ok;
    if (!openArray(v, 2, a, ok, [] { return QStringLiteral("calls"); }) || !ok)
        return err == SUCCESS && !tooDeep;
    return eachElement(a, [&](qint64 index, ondemand::value& item) {
        ondemand::object call;
        bool isObject;
        if (!openObject(item, 3, call, isObject, [index] { return QStringLiteral("calls[%1]").arg(index); })
            || !isObject)
            return err == SUCCESS && !tooDeep;
        std::optional<std::string_view> status, label, usageSource;
        std::optional<qint64> attempt, in, out, cacheRead, cacheWrite, reasoning, costNano, reportedNano;
        std::optional<double> cost, reported;
        bool good = eachField(call, [&](std::string_view k, ondemand::value f) {
            if (k == "status")
                return readString(f, 4, status);
            if (k == "attempt")
                return readInt(f, 4, attempt);
            if (k == "cost_usd")
                return readMoney(f, 4, cost, costNano);
            if (k == "label")
                return readString(f, 4, label);
            if (k == "input_tokens")
                return readInt(f, 4, in);
            if (k == "output_tokens")
                return readInt(f, 4, out);
            if (k == "cache_read_tokens")
                return readInt(f, 4, cacheRead);
            if (k == "cache_write_tokens")
                return readInt(f, 4, cacheWrite);
            if (k == "reasoning_tokens")
                return readInt(f, 4, reasoning);
            if (k == "usage_source")
                return readString(f, 4, usageSource);
            if (k == "reported_cost_usd")
                return readMoney(f, 4, reported, reportedNano);
            return skip(f, 4);
        });
        ++c.calls;
        const bool isOk = status && *status == "ok";
        if (!isOk)
            ++c.failedCalls;
        if (attempt && *attempt > 1)
            ++c.retries;
        if (isOk && !cost)
            c.okCallWithoutCost = true;
        auto nonNegative = [](const std::optional<qint64>& v) { return v && *v > 0 ? *v : 0; };
        c.cacheReadTokens = addClamped(c.cacheReadTokens, nonNegative(cacheRead));
        c.cacheWriteTokens = addClamped(c.cacheWriteTokens, nonNegative(cacheWrite));
        c.reasoningTokens = addClamped(c.reasoningTokens, nonNegative(reasoning));
        if (usageSource && *usageSource == "estimated")
            ++c.estimatedUsageCalls;
        if (reportedNano && costNano) {
            ++c.reportedCostCalls;
            c.reportedCostNano = addClamped(c.reportedCostNano, *reportedNano);
            c.computedCostNano = addClamped(c.computedCostNano, *costNano);
        }
        const qint64 inTokens = nonNegative(in), outTokens = nonNegative(out);
        if (label && !label->empty() && (inTokens > 0 || outTokens > 0 || costNano)) {
            auto it = std::find_if(
                labelBuckets.begin(), labelBuckets.end(), [&](const LabelBucketsView& b) { return b.label == *label; });
            if (it == labelBuckets.end())
                it = labelBuckets.insert(labelBuckets.end(), LabelBucketsView { *label });
            it->inputTokens = addClamped(it->inputTokens, inTokens);
            it->cacheReadTokens = addClamped(it->cacheReadTokens, nonNegative(cacheRead));
            it->cacheWriteTokens = addClamped(it->cacheWriteTokens, nonNegative(cacheWrite));
            it->outputTokens = addClamped(it->outputTokens, outTokens);
            it->maxCallInputTokens = std::max(it->maxCallInputTokens, inTokens);
            it->costNano = addClamped(it->costNano, costNano.value_or(0));
        }
        return good;
    });
}

bool ArtifactScanner::Impl::walkDocument(ondemand::document& doc, bool& isObject)
{
    isObject = false;
    json_type t;
    if (auto e = doc.type().get(t))
        return fail(e);
    if (t == json_type::array) {
        ondemand::array a;
        if (auto e = doc.get_array().get(a))
            return fail(e);
        return eachElement(a, [&](qint64, ondemand::value& child) { return skip(child, 2); });
    }
    if (t != json_type::object) {
        // A scalar document: still check it is valid JSON so the problem code is right.
        switch (t) {
        case json_type::string: {
            std::string_view s;
            if (auto e = doc.get_string().get(s))
                return fail(e);
            return true;
        }
        case json_type::number: {
            double d;
            auto e = doc.get_double().get(d);
            if (e) {
                std::string_view raw;
                if (doc.raw_json_token().get(raw) == SUCCESS)
                    return numberError(e, raw);
                return fail(e);
            }
            return true;
        }
        case json_type::boolean: {
            bool b;
            if (auto e = doc.get_bool().get(b))
                return fail(e);
            return true;
        }
        default: {
            bool n = false;
            if (auto e = doc.is_null().get(n))
                return fail(e);
            return n ? true : fail(INCORRECT_TYPE);
        }
        }
    }
    isObject = true;
    ondemand::object o;
    if (auto e = doc.get_object().get(o))
        return fail(e);
    return eachField(o, [&](std::string_view key, ondemand::value f) {
        if (key == "schema_version") {
            json_type st;
            if (!typeOf(f, st))
                return false;
            c.hasSchemaVersion = true;
            if (st != json_type::string) {
                c.schemaVersionType = typeName(st);
                return skip(f, 2);
            }
            c.schemaVersionType = nullptr;
            return readString(f, 2, c.schemaVersion);
        }
        if (key == "run_metadata")
            return runMetadata(f);
        if (key == "run_id")
            return readString(f, 2, c.runId);
        if (key == "simulated")
            return readBool(f, 2, c.simulated);
        if (key == "debate")
            return debate(f);
        if (key == "judge")
            return judge(f);
        if (key == "publish")
            return publish(f);
        if (key == "grounding")
            return grounding(f);
        if (key == "provenance")
            return provenance(f);
        if (key == "budget")
            return budget(f);
        if (key == "calls")
            return calls(f);
        return skip(f, 2);
    });
}

namespace {

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

    c = Collected {};
    err = SUCCESS;
    tooDeep = false;
    wrongType.clear();
    outOfRange.clear();
    redactionTypes.clear();
    costs.clear();
    costsNano.clear();
    labelBuckets.clear();

    ondemand::document doc;
    bool isObject = false;
    bool walked = false;
    bool iterated = false;
    if (auto e = parser.iterate(padded_string_view(json, len, len + PaddedBuffer::kPadding)).get(doc)) {
        err = e;
    } else {
        iterated = true;
        walked = walkDocument(doc, isObject);
    }

    if (tooDeep)
        return problem(ProblemCode::TooDeep, QStringLiteral("nesting deeper than %1 levels").arg(kMaxArtifactDepth));
    if (walked && err == SUCCESS) {
        // Anything after the top-level value (a second document, a stray bracket) is a syntax error.
        const char* loc = nullptr;
        if (doc.current_location().get(loc) == SUCCESS) {
            return problem(ProblemCode::NotJson,
                QStringLiteral("unexpected content after the top-level value at byte %1").arg(qint64(loc - base)));
        }
    }
    if (err != SUCCESS && !outOfRange.isEmpty())
        return problem(ProblemCode::NotJson, outOfRange);
    if (err != SUCCESS || !walked) {
        QString detail = QString::fromLatin1(error_message(err == SUCCESS ? TAPE_ERROR : err));
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
    if (!c.hasSchemaVersion)
        return problem(ProblemCode::NoSchemaVersion, QStringLiteral("schema_version missing"));
    if (c.schemaVersionType)
        return problem(ProblemCode::NoSchemaVersion,
            QStringLiteral("schema_version: expected string, got ") + QLatin1String(c.schemaVersionType));
    const int major = schemaMajor(c.schemaVersion);
    if (major != 1 && major != 2)
        return problem(ProblemCode::UnsupportedVersion,
            QStringLiteral("schema_version \"%1\" (supported: 1.x, 2.x)").arg(qs(c.schemaVersion)));
    if (!c.hasRunMetadata)
        return problem(ProblemCode::NoRunMetadata, QStringLiteral("run_metadata missing"));
    if (c.runMetadataType)
        return problem(ProblemCode::NoRunMetadata,
            QStringLiteral("run_metadata: expected object, got ") + QLatin1String(c.runMetadataType));
    if (!wrongType.isEmpty())
        return problem(ProblemCode::WrongType, wrongType);

    RecordParse out;
    RunRecord& r = out.record.emplace();
    r.artifactFile = path;
    r.hasTimestamp
        = !c.timestamp.empty() && parseTimestampCached(c.timestamp, r.timestampMs, r.utcOffsetSeconds, &localOffsets);
    r.timestampDropped = c.timestampSeen && !r.hasTimestamp;
    r.task = qs(c.task);
    r.traceName = qs(c.traceName);
    r.presetName = c.presetName ? interner.get(*c.presetName) : interner.get("manual");
    r.status = c.status ? interner.get(*c.status) : interner.get("none");
    r.provider = c.provider ? interner.get(*c.provider) : QString();
    r.winnerProvider = c.winnerProvider ? interner.get(*c.winnerProvider) : QString();
    r.tokensIn = c.tokensIn;
    r.tokensOut = c.tokensOut;
    r.totalTokens = clampToInt<qint64>(double(c.tokensIn) + double(c.tokensOut));
    r.costByLabel.reserve(costs.size());
    // est_cost is summed in exact nano-dollars (no 0.043654599999999995); the per-label amounts keep
    // the artifact's numbers.
    qint64 estNano = 0;
    for (const auto& [label, nano] : costsNano)
        estNano = addClamped(estNano, nano);
    double est = 0.0;
    bool beyondNano = false; // amounts of $1e9 and more saturate in nano-dollars: keep the double sum then
    for (const auto& [label, cost] : costs) {
        est += cost;
        beyondNano = beyondNano || std::fabs(cost) >= 1e9;
        r.costByLabel.emplace_back(interner.get(label), cost);
    }
    r.estCostNano = estNano;
    r.estCost = beyondNano ? finiteOrClamp(est) : static_cast<double>(estNano) / 1e9;
    r.duration = c.duration ? finiteOrClamp(*c.duration) : 0.0;
    r.numDrafts = clampToInt<int>(double(c.totalDrafts ? *c.totalDrafts : c.draftCount));
    r.numRanked = clampToInt<int>(double(c.totalRanked ? *c.totalRanked : c.rankedCount));
    r.citationsRequired = clampToInt<int>(double(c.requireCitations.value_or(0)));
    r.citationsOk = r.citationsRequired <= 0 || c.rankedCount == 0 || c.minEvidence >= r.citationsRequired;
    r.grounded = c.grounded.value_or(false);
    r.groundedRequired = clampToInt<int>(double(c.groundedRequired));
    r.citationsCount = clampToInt<int>(double(c.citationsCount));
    r.redacted = c.redacted.value_or(false);
    r.redactionCount = clampToInt<int>(double(c.redactionCount));
    if (!redactionTypes.empty()) {
        std::sort(redactionTypes.begin(), redactionTypes.end());
        redactionTypes.erase(std::unique(redactionTypes.begin(), redactionTypes.end()), redactionTypes.end());
        std::string joined;
        for (std::size_t i = 0; i < redactionTypes.size(); ++i) {
            if (i)
                joined += ',';
            joined += redactionTypes[i];
        }
        r.redactionTypes = interner.get(joined);
    }
    const std::string_view reason = c.reason.value_or(std::string_view());
    if (r.hasStatus(RunStatus::AdvisoryOnly))
        r.advisoryReason = interner.get(reason.empty() ? std::string_view("not_from_allowed_provider") : reason);
    else if (r.hasStatus(RunStatus::None))
        r.advisoryReason = interner.get(reason.empty() ? std::string_view("no_valid_content") : reason);
    r.maxTokens = clampToInt<int>(double(c.maxTokens.value_or(0)));
    r.temperature = finiteOrClamp(c.temperature.value_or(0.0));
    r.fastpath = c.fastpath.value_or(false);
    r.textLength = c.textLength ? *c.textLength : std::max<qint64>(c.textCodePoints, 0);
    r.schemaVersion = interner.get(c.schemaVersion);

    r.runId = qs(c.runId);
    r.simulated = c.simulated.value_or(false);
    if (c.budgetUsdParam)
        r.budgetUsd = finiteOrClamp(*c.budgetUsdParam);
    else if (c.budgetUsdBudget)
        r.budgetUsd = finiteOrClamp(*c.budgetUsdBudget);
    r.budgetStatus = c.budgetStatus ? interner.get(*c.budgetStatus) : QString();
    r.stoppedEarly = c.stoppedEarly.value_or(false);
    r.costComplete = c.costCompleteFlag ? *c.costCompleteFlag : !c.okCallWithoutCost;
    r.judgeMethod = c.judgeMethod ? interner.get(*c.judgeMethod) : QString();
    r.calls = clampToInt<int>(double(c.calls));
    r.failedCalls = clampToInt<int>(double(c.failedCalls));
    r.retries = clampToInt<int>(double(c.retries));
    r.cacheReadTokens = c.cacheReadTokens;
    r.cacheWriteTokens = c.cacheWriteTokens;
    r.reasoningTokens = c.reasoningTokens;
    r.estimatedUsageCalls = clampToInt<int>(double(c.estimatedUsageCalls));
    r.reportedCostCalls = clampToInt<int>(double(c.reportedCostCalls));
    r.reportedCostNano = c.reportedCostNano;
    r.computedCostNano = c.computedCostNano;
    r.bucketsByLabel.reserve(labelBuckets.size());
    for (const LabelBucketsView& b : labelBuckets)
        r.bucketsByLabel.push_back({ interner.get(b.label), b.inputTokens, b.cacheReadTokens, b.cacheWriteTokens,
            b.outputTokens, b.maxCallInputTokens, b.costNano });
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
