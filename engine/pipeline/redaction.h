#pragma once
// Redaction of secrets and personal data (docs/pipeline.md). Rules come from resources/redaction_rules.json
// (user override in the config dir). All matches of all rules are collected first, overlapping or
// adjacent spans are merged (the longest span names the type; on a tie the earlier rule), and the
// merged spans are replaced right to left, so the text is never corrupted and no fragment of a
// matched secret survives.
//
// Thread contract: a Redactor is immutable after construction; its const methods may be called from
// several threads at once.
#include <QByteArray>
#include <QHash>
#include <QRegularExpression>
#include <QString>
#include <map>
#include <optional>
#include <vector>

namespace djp {

struct RedactionRule
{
    QString name;
    QString type; // e.g. API_KEY, EMAIL; appears in the replacement
    QRegularExpression pattern;
    int group = 0; // capture group to redact (0 = the whole match)
    QString validator; // "" or "luhn"
};

struct RedactionEvent
{
    QString type;
    int count = 0;
    QString ruleName;
};

// What redaction replaced in one run: the pipeline's own texts (redactPipelineResult), then the last pass
// over the whole artifact (redactArtifactStrings) adds to it.
struct RedactionTally
{
    bool enabled = false; // redaction was on for this run
    std::vector<RedactionEvent> events; // legacy publish.redaction_events, over distinct texts
    // Replacements per artifact field ("debate.drafts[].answer"), counted where a text first appears.
    std::map<QString, int> fields;
    bool publishedTextRedacted = false; // the published text itself was redacted: legacy publish.redacted

    bool anyRedacted() const { return !fields.empty(); }
    int replacements() const;
};

struct RedactionSpan
{
    qsizetype start = 0;
    qsizetype end = 0; // exclusive
    int rule = -1; // index of the rule whose (longest) match names the span
};

class Redactor
{
public:
    // Parses a rules document; nullopt with *error naming the first bad rule.
    static std::optional<Redactor> fromJson(const QByteArray& json, QString* error = nullptr);
    // The bundled rules, or the user's redaction_rules.json when present.
    static std::optional<Redactor> loadDefault(QString* error = nullptr);

    struct Result
    {
        QString text;
        std::vector<RedactionEvent> events; // one per (type, rule), sorted by type then rule
    };
    Result redact(const QString& text) const;
    // The merged spans redact() would replace (for tests and highlighting).
    std::vector<RedactionSpan> findSpans(const QString& text) const;

    const std::vector<RedactionRule>& rules() const { return m_rules; }
    QString origin() const { return m_origin; } // where the rules came from

private:
    std::vector<RedactionRule> m_rules;
    QString m_replacement = QStringLiteral("[REDACTED:{type}]");
    QString m_origin;
};

// Luhn checksum over the digits of `text` (other characters ignored); needs 13..19 digits.
bool luhnValid(QStringView text);

// Adds `more` into `into`, summing counts of the same (type, rule); keeps the type/rule order.
void mergeRedactionEvents(std::vector<RedactionEvent>& into, const std::vector<RedactionEvent>& more);

// Redacts texts for one artifact, each distinct original text once: the same text always gets the same
// result, and its spans count once (in `events`, and in `fields` under the field where it first
// appeared), as the artifact's redaction summary defines them (docs/pipeline.md, redaction).
class RedactionMemo
{
public:
    RedactionMemo(const Redactor& redactor, std::vector<RedactionEvent>& events, std::map<QString, int>& fields)
        : m_redactor(redactor)
        , m_events(events)
        , m_fields(fields)
    { }

    struct Entry
    {
        QString text; // redacted
        int spans = 0; // how many spans the original had
    };
    const Entry& redact(const QString& text, const QString& field);

private:
    const Redactor& m_redactor;
    std::vector<RedactionEvent>& m_events;
    std::map<QString, int>& m_fields;
    QHash<QString, Entry> m_done;
};

} // namespace djp
