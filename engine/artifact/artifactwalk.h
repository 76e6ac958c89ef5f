#pragma once
// Internal to the artifact scanner: the validating walk over one document (simdjson On Demand) and
// what it collects for the record. The primitives below (skip, read*, open*) are defined here, inline,
// because every field of every file goes through them; the section readers are defined in
// scansections.cpp (the sections a 1.x artifact already has, which 2.x keeps) and scancalls.cpp (the
// 2.x calls[] list). One walk belongs to one ArtifactScanner, so to one thread at a time; it is reset
// before each file and its string views are valid until the next parse.
//
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
#include "artifact/artifactscanner.h"
#include "artifact/scanjson.h"
#include "core/exactmoney.h"
#include "core/strings.h"

#include <QString>
#include <cstring>
#include <functional>
#include <optional>
#include <simdjson.h>
#include <string_view>
#include <utility>
#include <vector>

namespace djp::scan {

using namespace simdjson;

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

class ArtifactWalk
{
public:
    // Forgets the previous file; `base` is the start of the bytes being parsed (for byte offsets).
    void reset(const char* base)
    {
        bufferBase = base;
        c = Collected {};
        err = SUCCESS;
        tooDeep = false;
        wrongType.clear();
        outOfRange.clear();
        redactionTypes.clear();
        costs.clear();
        costsNano.clear();
        labelBuckets.clear();
    }
    // Walks the whole document (scansections.cpp); false on a syntax error or too-deep nesting, with
    // err / tooDeep / outOfRange saying which. `isObject` tells whether the top-level value is one.
    bool walkDocument(ondemand::document& doc, bool& isObject);

    // ---- what the walk found ----
    Collected c;
    std::vector<std::string_view> redactionTypes;
    std::vector<std::pair<std::string_view, double>> costs;
    std::vector<std::pair<std::string_view, qint64>> costsNano; // the same amounts, exact
    std::vector<LabelBucketsView> labelBuckets;
    error_code err = SUCCESS;
    bool tooDeep = false;
    QString wrongType; // first wrong-typed container, "path: expected X, got Y"
    QString outOfRange; // detail for a number beyond the double range

private:
    const char* bufferBase = nullptr;

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
                             .arg(qint64(token.data() - bufferBase));
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

inline bool ArtifactWalk::skipString(ondemand::value& v)
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

inline bool ArtifactWalk::skipNumber(ondemand::value& v)
{
    double d;
    auto e = v.get_double().get(d);
    if (e == SUCCESS)
        return true;
    return numberError(e, v.raw_json_token());
}

inline bool ArtifactWalk::skip(ondemand::value v, int depth)
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

inline bool ArtifactWalk::readString(ondemand::value& v, int depth, std::optional<std::string_view>& out)
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

inline bool ArtifactWalk::readDouble(ondemand::value& v, int depth, std::optional<double>& out)
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

inline bool ArtifactWalk::readMoney(
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

inline bool ArtifactWalk::readInt(ondemand::value& v, int depth, std::optional<qint64>& out)
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

inline bool ArtifactWalk::readBool(ondemand::value& v, int depth, std::optional<bool>& out)
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

inline bool ArtifactWalk::openObject(
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

inline bool ArtifactWalk::openArray(
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

} // namespace djp::scan
