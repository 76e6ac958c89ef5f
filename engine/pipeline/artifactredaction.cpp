#include "pipeline/artifactredaction.h"

#include "core/strings.h"

#include <QSet>

namespace djp {

namespace {

// Field paths whose strings are made by us from closed sets (ids, labels, enums, versions): never
// user or model text, and redacting them would break readers (a run id is not a card number).
const QSet<QString>& structuralFields()
{
    static const QSet<QString> fields {
        QStringLiteral("schema_version"),
        QStringLiteral("run_id"),
        QStringLiteral("run_metadata.timestamp"),
        QStringLiteral("run_metadata.parameters.policy"),
        QStringLiteral("run_metadata.parameters.preset_name"),
        QStringLiteral("run_metadata.parameters.allowed_models[]"),
        QStringLiteral("run_metadata.parameters.debaters[]"),
        QStringLiteral("run_metadata.parameters.judge_model"),
        QStringLiteral("run_metadata.parameters.redaction_rules"),
        QStringLiteral("debate.drafts[].provider"),
        QStringLiteral("debate.invalid_drafts[].provider"),
        QStringLiteral("judge.ranked_drafts[].provider"),
        QStringLiteral("judge.ranked_drafts[].score_source"),
        QStringLiteral("judge.winner_provider"),
        QStringLiteral("judge.method"),
        QStringLiteral("judge.passes[].method"),
        QStringLiteral("judge.passes[].evaluations[].source"),
        QStringLiteral("publish.status"),
        QStringLiteral("publish.provider"),
        QStringLiteral("publish.redaction_events[].type"),
        QStringLiteral("publish.redaction_events[].rule_name"),
        QStringLiteral("provenance.git_sha"),
        QStringLiteral("provenance.python_version"),
        QStringLiteral("provenance.sdk_version"),
        QStringLiteral("provenance.app_version"),
        QStringLiteral("budget.gate.status"),
        QStringLiteral("budget.dropped_debaters[].label"),
        QStringLiteral("budget.dropped_debaters[].reason"),
        QStringLiteral("calls[].stage"),
        QStringLiteral("calls[].label"),
        QStringLiteral("calls[].api"),
        QStringLiteral("calls[].status"),
        QStringLiteral("calls[].pricing_id"),
        QStringLiteral("calls[].usage_source"),
    };
    return fields;
}

class DocumentRedactor
{
public:
    DocumentRedactor(const Redactor& redactor, RedactionTally& tally)
        : m_tally(tally)
        , m_memo(redactor, tally.events, tally.fields)
    { }

    void walk(Json& j, const QString& path)
    {
        if (j.is_object()) {
            if (path == QLatin1String("redaction"))
                return; // our own summary
            for (auto it = j.begin(); it != j.end(); ++it) {
                const QString key = qs(it.key());
                walk(it.value(), path.isEmpty() ? key : path + QLatin1Char('.') + key);
            }
        } else if (j.is_array()) {
            const QString item = path + QStringLiteral("[]");
            for (Json& e : j)
                walk(e, item);
        } else if (j.is_string()) {
            if (structuralFields().contains(path))
                return;
            const QString text = qs(j.get_ref<const std::string&>());
            if (text.isEmpty())
                return;
            const RedactionMemo::Entry& e = m_memo.redact(text, path);
            if (e.spans > 0) {
                j = ss(e.text);
                if (path == QLatin1String("publish.text"))
                    m_tally.publishedTextRedacted = true;
            }
        }
    }

private:
    RedactionTally& m_tally;
    RedactionMemo m_memo;
};

} // namespace

void redactArtifactStrings(const Redactor& redactor, Json& doc, RedactionTally& tally)
{
    tally.enabled = true;
    DocumentRedactor(redactor, tally).walk(doc, QString());
}

Json buildRedactedRunArtifact(const RunPlan& plan, PipelineResult& result, const std::vector<CallRecord>& calls,
    const RunFacts& facts, const Redactor* redactor)
{
    if (!redactor)
        return buildRunArtifact(plan, result, calls, facts);
    redactPipelineResult(*redactor, result);
    Json doc = buildRunArtifact(plan, result, calls, facts);
    RedactionTally tally = result.redaction;
    redactArtifactStrings(*redactor, doc, tally);
    writeRedactionSummary(doc, tally);
    return doc;
}

Json redactionSection(const RedactionTally& tally)
{
    Json fields = Json::object();
    for (const auto& [field, count] : tally.fields)
        fields[ss(field)] = count;
    return Json { { "enabled", tally.enabled }, { "any_redacted", tally.anyRedacted() },
        { "replacements", tally.replacements() }, { "fields", std::move(fields) } };
}

void writeRedactionSummary(Json& doc, const RedactionTally& tally)
{
    if (doc.contains("publish") && doc["publish"].is_object())
        writePublishRedaction(doc["publish"], tally);
    doc["redaction"] = redactionSection(tally);
}

void writePublishRedaction(Json& publish, const RedactionTally& tally)
{
    Json events = Json::array();
    for (const RedactionEvent& e : tally.events)
        events.push_back(Json { { "type", ss(e.type) }, { "count", e.count }, { "rule_name", ss(e.ruleName) } });
    // Legacy meaning: the published text itself was redacted (the task or a draft being redacted is
    // recorded in the "redaction" section instead).
    publish["redacted"] = tally.enabled && tally.publishedTextRedacted;
    publish["redaction_events"] = std::move(events);
}

} // namespace djp
