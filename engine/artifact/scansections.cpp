// The document walk of the artifact scanner: which field of which section feeds which value of the
// record (docs/metrics.md), for the sections a 1.x artifact already has and 2.x keeps (run_metadata,
// debate, judge, publish, grounding, provenance, budget); calls[] is in scancalls.cpp. Everything
// else is validated and skipped. Called from ArtifactScanner's parse, on the scanner's thread.
#include "artifact/artifactwalk.h"

#include <algorithm>

namespace djp::scan {

// Section depths: the top-level object is depth 1, a section object 2, its children 3...
// (kMaxArtifactDepth is far above what these fixed paths reach, so the explicit depth arguments
// below matter only for the generic skip() of unknown or leaf values.)

bool ArtifactWalk::parameters(ondemand::value& v, int depth)
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

bool ArtifactWalk::runMetadata(ondemand::value& v)
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

bool ArtifactWalk::debate(ondemand::value& v)
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

bool ArtifactWalk::judge(ondemand::value& v)
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

bool ArtifactWalk::publish(ondemand::value& v)
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

bool ArtifactWalk::grounding(ondemand::value& v)
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

bool ArtifactWalk::provenance(ondemand::value& v)
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

bool ArtifactWalk::budget(ondemand::value& v)
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

bool ArtifactWalk::walkDocument(ondemand::document& doc, bool& isObject)
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

} // namespace djp::scan
