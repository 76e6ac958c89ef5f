#include "benchdata/syntheticartifacts.h"

#include "core/clock.h"

#include <QDateTime>
#include <QDir>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <mutex>
#include <set>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace djp {

namespace {

// splitmix64: tiny, fast, good enough for test data, and identical on every platform.
struct Rng
{
    quint64 s;
    explicit Rng(quint64 seed)
        : s(seed)
    { }
    quint64 next()
    {
        quint64 z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    int range(int lo, int hi) { return lo + int(next() % quint64(hi - lo + 1)); } // inclusive
    bool chance(double p) { return uniform() < p; }
    template <typename T, size_t N> const T& pick(const std::array<T, N>& a) { return a[next() % N]; }
};

quint64 mix(quint64 seed, quint64 i, quint64 stream)
{
    Rng r(seed ^ (i * 0xD6E8FEB86659FD93ull) ^ (stream << 56));
    r.next();
    return r.next();
}

constexpr std::array<std::string_view, 8> kLabels = {
    "openai/gpt-4o",
    "openai/gpt-4o-mini",
    "anthropic/claude-3-5-sonnet-20240620",
    "anthropic/claude-3-haiku-20240307",
    "google/gemini-1.5-pro",
    "google/gemini-1.5-flash",
    "openai/gpt-4.1",
    "mistral/mistral-large-latest",
};
constexpr std::array<std::string_view, 8> kApis = {
    "openai_chat",
    "openai_chat",
    "anthropic_messages",
    "anthropic_messages",
    "gemini",
    "gemini",
    "openai_chat",
    "openai_chat",
};
constexpr std::array<std::string_view, 5> kPresets = { "quick", "balanced", "thorough", "research", "manual" };
constexpr std::array<std::string_view, 3> kPolicies = { "default", "strict", "cheap" };
constexpr std::array<std::string_view, 6> kTaskVerbs
    = { "Summarize", "Explain", "Compare", "Draft", "Evaluate", "Outline" };
constexpr std::array<std::string_view, 16> kTaskTopics = {
    "the trade-offs of vector databases for retrieval",
    "how HTTP/2 multiplexing changes latency",
    "the quarterly risks in our supplier contracts",
    "a migration plan from Python 3.8 to 3.12",
    "the \"zero-trust\" network model for a small clinic",
    "caching strategies for a read-heavy API",
    "the main arguments for and against four-day weeks",
    "GDPR obligations for customer support transcripts",
    "the café's new loyalty programme results",
    "why the nightly ETL job misses its window",
    "options for reducing cloud egress costs",
    "an onboarding guide for new data engineers",
    "the evidence on spaced repetition for adult learners",
    "the root cause of last week's checkout outage",
    "a response to the customer complaint about billing",
    "energy storage options for a rural microgrid",
};
constexpr std::array<std::string_view, 8> kTraces
    = { "nightly-eval", "support-bot", "research", "adhoc", "release-notes", "ops-review", "sales-faq", "" };
constexpr std::array<std::string_view, 96> kWords = {
    "the",
    "system",
    "should",
    "consider",
    "latency",
    "throughput",
    "cost",
    "and",
    "a",
    "clear",
    "trade-off",
    "between",
    "options",
    "because",
    "users",
    "expect",
    "reliable",
    "results",
    "under",
    "load",
    "evidence",
    "suggests",
    "that",
    "in",
    "practice",
    "most",
    "teams",
    "prefer",
    "simple",
    "designs",
    "with",
    "fewer",
    "moving",
    "parts",
    "however",
    "risk",
    "remains",
    "when",
    "data",
    "grows",
    "quickly",
    "so",
    "we",
    "recommend",
    "measuring",
    "before",
    "changing",
    "anything",
    "important",
    "to",
    "note",
    "is",
    "the",
    "budget",
    "which",
    "limits",
    "how",
    "far",
    "this",
    "approach",
    "can",
    "scale",
    "without",
    "extra",
    "review",
    "policy",
    "provider",
    "model",
    "answer",
    "draft",
    "quality",
    "support",
    "citations",
    "grounded",
    "source",
    "documents",
    "confirm",
    "pattern",
    "across",
    "several",
    "studies",
    "while",
    "others",
    "disagree",
    "on",
    "details",
    "such",
    "as",
    "timing",
    "ownership",
    "metrics",
    "and",
    "follow-up",
    "actions",
    "for",
    "Q3",
};
constexpr std::array<std::string_view, 6> kRedactionTypes
    = { "email", "phone", "api_key", "ip_address", "name", "iban" };

struct Pools
{
    std::vector<std::string> answers; // ~250 words each
    std::vector<std::string> evidence;
    std::vector<std::string> reasons;
    std::vector<std::string> tasks;
};

// Words of real LLM answers that are not plain ASCII: typographic quotes and dashes, accents,
// symbols and the odd emoji (outside the BMP: a surrogate pair once escaped the Python way).
constexpr std::array<std::string_view, 16> kRichWords = {
    "\xE2\x80\x9Cgood enough\xE2\x80\x9D",
    "team\xE2\x80\x99s",
    "\xE2\x80\x94",
    "caf\xC3\xA9",
    "na\xC3\xAFve",
    "\xE2\x82\xAC"
    "1,200",
    "\xE2\x89\xA5",
    "\xE2\x86\x92",
    "r\xC3\xA9sum\xC3\xA9",
    "Z\xC3\xBCrich",
    "\xE2\x9C\x85",
    "\xF0\x9F\x9A\x80",
    "`p95`",
    "**must**",
    "(see below)",
    "\"quoted\"",
};

// A lognormal-ish length: most answers are short, a few are very long, as in real histories.
int skewedLength(Rng& r, double median, double spread, int lo, int hi)
{
    const double u1 = std::max(r.uniform(), 1e-12), u2 = r.uniform();
    const double normal = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    return std::clamp(int(median * std::exp(spread * normal)), lo, hi);
}

// Markdown the way models answer: a heading now and then, paragraphs, bullet lists, code spans,
// quotes, non-ASCII punctuation.
std::string makeRichText(Rng& r, int words)
{
    std::string s;
    s.reserve(size_t(words) * 8);
    if (r.chance(0.3))
        s += r.chance(0.5) ? "## Summary\n\n" : "**Short answer:** ";
    bool capital = true;
    bool inList = false;
    for (int w = 0; w < words; ++w) {
        std::string_view word = r.chance(0.04) ? r.pick(kRichWords) : r.pick(kWords);
        if (w > 0 && s.back() != '\n' && s.back() != ' ')
            s += ' ';
        if (capital && !word.empty() && word[0] >= 'a' && word[0] <= 'z') {
            s += char(std::toupper(static_cast<unsigned char>(word[0])));
            s.append(word.substr(1));
        } else {
            s.append(word);
        }
        capital = false;
        if (r.chance(0.07) || w + 1 == words) {
            s += inList ? "" : ".";
            capital = true;
            if (w + 1 < words) {
                const double roll = r.uniform();
                if (roll < 0.12) {
                    s += inList ? "\n\n" : "\n\n- ";
                    inList = !inList;
                } else if (inList) {
                    s += "\n- ";
                } else if (roll < 0.3) {
                    s += "\n\n";
                }
            }
        } else if (r.chance(0.05)) {
            s += ',';
        }
    }
    return s;
}

Pools makeRichPools(quint64 seed)
{
    Pools p;
    Rng r(mix(seed, 0, 4));
    for (int i = 0; i < 1024; ++i)
        p.answers.push_back(makeRichText(r, skewedLength(r, 95, 0.6, 20, 1200)));
    for (int i = 0; i < 512; ++i) {
        const int doc = r.range(1, 4000);
        p.evidence.push_back(r.chance(0.5)
                ? "https://kb.example.org/articles/" + std::to_string(doc) + "#section-" + std::to_string(r.range(1, 9))
                : "[doc-" + std::to_string(doc) + "] " + makeRichText(r, r.range(6, 30)));
    }
    for (int i = 0; i < 256; ++i)
        p.reasons.push_back(makeRichText(r, skewedLength(r, 35, 0.5, 8, 160)));
    for (int i = 0; i < 512; ++i) {
        std::string task = std::string(r.pick(kTaskVerbs)) + " " + std::string(r.pick(kTaskTopics));
        if (r.chance(0.4))
            task += ".\n\nContext: " + makeRichText(r, skewedLength(r, 40, 0.6, 5, 300));
        p.tasks.push_back(std::move(task));
    }
    return p;
}

std::string makeText(Rng& r, int words)
{
    std::string s;
    s.reserve(size_t(words) * 8);
    bool capital = true;
    for (int w = 0; w < words; ++w) {
        std::string_view word = r.pick(kWords);
        if (w > 0)
            s += ' ';
        if (capital && !word.empty()) {
            s += char(std::toupper(static_cast<unsigned char>(word[0])));
            s.append(word.substr(1));
            capital = false;
        } else {
            s.append(word);
        }
        if (r.chance(0.08) || w + 1 == words) {
            s += '.';
            capital = true;
            if (r.chance(0.15) && w + 1 < words)
                s += '\n';
        } else if (r.chance(0.05)) {
            s += ',';
        }
    }
    return s;
}

Pools makePools(quint64 seed)
{
    Pools p;
    Rng r(mix(seed, 0, 1));
    for (int i = 0; i < 256; ++i)
        p.answers.push_back(makeText(r, r.range(130, 230)));
    for (int i = 0; i < 128; ++i)
        p.evidence.push_back("doc-" + std::to_string(r.range(1, 400)) + ": " + makeText(r, r.range(5, 12)));
    for (int i = 0; i < 64; ++i)
        p.reasons.push_back(makeText(r, r.range(10, 25)));
    for (const auto& verb : kTaskVerbs)
        for (const auto& topic : kTaskTopics)
            p.tasks.push_back(std::string(verb) + " " + std::string(topic));
    return p;
}

// Minimal streaming JSON writer with Python-json-like pretty printing (indent 2, ", "/": ").
class JsonOut
{
public:
    // asciiOnly: non-ASCII characters as \\uXXXX escapes (surrogate pairs beyond the BMP), as
    // Python's json.dump wrote them by default.
    explicit JsonOut(std::string& out, int indent, bool asciiOnly = false)
        : o(out)
        , m_indent(indent)
        , m_asciiOnly(asciiOnly)
    { }

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }
    void key(std::string_view k)
    {
        separate();
        string(k);
        o += m_indent ? ": " : ":";
        m_afterKey = true;
    }
    void str(std::string_view v) { value(), string(v); }
    void num(double v)
    {
        value();
        char buf[32];
        auto res = std::to_chars(buf, buf + sizeof buf, v);
        std::string_view t(buf, size_t(res.ptr - buf));
        o.append(t);
        if (t.find_first_of(".e") == std::string_view::npos)
            o += ".0"; // keep it a float, as Python writes it
    }
    void integer(qint64 v)
    {
        value();
        char buf[24];
        auto res = std::to_chars(buf, buf + sizeof buf, v);
        o.append(buf, size_t(res.ptr - buf));
    }
    void boolean(bool v) { value(), o += v ? "true" : "false"; }
    void null() { value(), o += "null"; }
    void raw(std::string_view v) { value(), o.append(v); }

private:
    void newline()
    {
        if (!m_indent)
            return;
        o += '\n';
        o.append(size_t(m_depth * m_indent), ' ');
    }
    void separate()
    {
        if (!m_first)
            o += ',';
        newline();
        m_first = false;
    }
    void value()
    {
        if (m_afterKey) {
            m_afterKey = false;
            return;
        }
        if (m_depth > 0)
            separate();
    }
    void open(char c)
    {
        value();
        o += c;
        ++m_depth;
        m_first = true;
    }
    void close(char c)
    {
        --m_depth;
        if (!m_first)
            newline();
        o += c;
        m_first = false;
    }
    void escapeCodePoint(unsigned cp)
    {
        char buf[16];
        if (cp >= 0x10000) {
            cp -= 0x10000;
            std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
        } else {
            std::snprintf(buf, sizeof buf, "\\u%04x", cp);
        }
        o += buf;
    }
    void string(std::string_view s)
    {
        o += '"';
        for (size_t i = 0; i < s.size(); ++i) {
            const char ch = s[i];
            const auto byte = static_cast<unsigned char>(ch);
            if (m_asciiOnly && byte >= 0x80) { // valid UTF-8 by construction
                const int extra = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : 1;
                unsigned cp = byte & (0x3F >> extra);
                for (int k = 1; k <= extra && i + 1 < s.size(); ++k)
                    cp = (cp << 6) | (static_cast<unsigned char>(s[++i]) & 0x3F);
                escapeCodePoint(cp);
                continue;
            }
            switch (ch) {
            case '"':
                o += "\\\"";
                break;
            case '\\':
                o += "\\\\";
                break;
            case '\n':
                o += "\\n";
                break;
            case '\t':
                o += "\\t";
                break;
            case '\r':
                o += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(ch) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", ch);
                    o += buf;
                } else {
                    o += ch;
                }
            }
        }
        o += '"';
    }

    std::string& o;
    int m_indent;
    bool m_asciiOnly = false;
    int m_depth = 0;
    bool m_first = true;
    bool m_afterKey = false;
};

enum class Kind
{
    V20,
    Legacy,
    Corrupt
};

struct Plan
{
    Kind kind = Kind::V20;
    bool noTimestamp = false;
    qint64 tsMs = 0;
    quint64 runIdHi = 0, runIdLo = 0;
    int corruptKind = 0;
    std::string relPath;
};

struct LocalTime
{
    struct tm tm;
    long offset; // seconds east of UTC
};

LocalTime localTime(qint64 ms)
{
    LocalTime lt {};
    const time_t secs = time_t(ms / 1000);
    localtime_r(&secs, &lt.tm);
    lt.offset = lt.tm.tm_gmtoff;
    return lt;
}

std::string runIdString(quint64 hi, quint64 lo)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", unsigned(hi >> 32), unsigned((hi >> 16) & 0xffff),
        unsigned(hi & 0xfff), unsigned(0x8000 | ((lo >> 48) & 0x3fff)),
        static_cast<unsigned long long>(lo & 0xffffffffffffull));
    return buf;
}

std::string timestampText(qint64 ms, bool legacy)
{
    const LocalTime lt = localTime(ms);
    char buf[128];
    if (legacy) { // Python datetime.now().isoformat(): naive local time with microseconds
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06d", lt.tm.tm_year + 1900, lt.tm.tm_mon + 1,
            lt.tm.tm_mday, lt.tm.tm_hour, lt.tm.tm_min, lt.tm.tm_sec, int(ms % 1000) * 1000);
    } else {
        const long off = lt.offset < 0 ? -lt.offset : lt.offset;
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", lt.tm.tm_year + 1900,
            lt.tm.tm_mon + 1, lt.tm.tm_mday, lt.tm.tm_hour, lt.tm.tm_min, lt.tm.tm_sec, lt.offset < 0 ? '-' : '+',
            off / 3600, (off % 3600) / 60);
    }
    return buf;
}

struct Draft
{
    int label;
    const std::string* answer;
    int evidenceFirst, evidenceCount;
    double confidence;
    double score;
    bool flagged;
};

void writeDraftFields(JsonOut& j, const Pools& p, const Draft& d)
{
    j.key("provider"), j.str(kLabels[size_t(d.label)]);
    j.key("answer"), j.str(*d.answer);
    j.key("evidence"), j.beginArray();
    for (int e = 0; e < d.evidenceCount; ++e)
        j.str(p.evidence[size_t(d.evidenceFirst + e) % p.evidence.size()]);
    j.endArray();
    j.key("confidence"), j.num(d.confidence);
    j.key("safety_flags"), j.beginArray();
    if (d.flagged)
        j.str("possible_pii");
    j.endArray();
}

std::string makeArtifact(const Pools& p, const SyntheticOptions& o, const Plan& plan, quint64 contentSeed, bool legacy)
{
    Rng r(contentSeed);
    std::string out;
    out.reserve(16 * 1024);
    // Mixed keeps its exact bytes (tests were written against them); the other shapes draw from
    // the rich pools and wider distributions.
    const bool rich = o.shape != SyntheticShape::Mixed;
    JsonOut j(out, 2, rich && legacy);

    const auto richDebaters = [&r] {
        const double roll = r.uniform();
        return roll < 0.25 ? 2 : roll < 0.7 ? 3 : roll < 0.9 ? 4 : 5;
    };
    const int nDebaters = rich ? richDebaters() : r.chance(0.65) ? 2 : 3;
    std::vector<int> labels;
    while (int(labels.size()) < nDebaters) {
        const int l = int(r.next() % kLabels.size());
        if (std::find(labels.begin(), labels.end(), l) == labels.end())
            labels.push_back(l);
    }
    const bool hasPreset = !legacy || r.chance(0.8);
    const std::string_view preset = r.pick(kPresets);
    const double statusRoll = r.uniform();
    const std::string_view status = statusRoll < 0.7 ? "published" : statusRoll < 0.9 ? "advisory_only" : "none";
    const bool grounded = r.chance(0.25);
    const int requiredCitations = grounded ? r.range(1, 2) : (r.chance(0.2) ? 1 : 0);
    const bool redact = r.chance(0.5);
    const bool redacted = redact && r.chance(0.16);
    const bool simulated = !legacy && r.chance(0.1);
    const int maxTokens = std::array { 800, 1200, 2000, 4000 }[r.next() % 4];
    const double temperature = 0.1 * r.range(1, 9);
    const bool fastpath = r.chance(0.15);
    // The first legacy version had no presets and no redaction; some 1.1 runs omitted the citation rule.
    const bool v10 = rich && legacy && r.chance(0.05);
    const bool writeRequireCitations = !rich || !legacy || r.chance(0.85);

    std::vector<Draft> drafts;
    for (int l : labels) {
        Draft d;
        d.label = l;
        d.answer = &p.answers[r.next() % p.answers.size()];
        d.evidenceFirst = int(r.next() % p.evidence.size());
        d.evidenceCount = rich ? r.range(0, 6) : r.range(0, 4);
        d.confidence = 0.01 * r.range(40, 98);
        d.score = 0.1 * r.range(30, 95);
        d.flagged = r.chance(0.03);
        drafts.push_back(d);
    }
    std::vector<Draft> ranked = drafts;
    std::stable_sort(ranked.begin(), ranked.end(), [](const Draft& a, const Draft& b) { return a.score > b.score; });
    const Draft& winner = ranked.front();

    j.beginObject();
    j.key("schema_version"), j.str(legacy ? (v10 ? "1.0" : "1.1") : "2.0");
    if (!legacy)
        j.key("run_id"), j.str(runIdString(plan.runIdHi, plan.runIdLo));

    j.key("run_metadata"), j.beginObject();
    if (plan.noTimestamp) {
        if (!legacy)
            j.key("timestamp"), j.str(r.chance(0.5) ? "" : "yesterday afternoon");
    } else {
        j.key("timestamp"), j.str(timestampText(plan.tsMs, legacy));
    }
    const std::string& task = p.tasks[r.next() % p.tasks.size()];
    j.key("task"), j.str(task);
    j.key("trace_name"), j.str(r.pick(kTraces));
    j.key("parameters"), j.beginObject();
    j.key("max_tokens"), j.integer(maxTokens);
    j.key("temperature"), j.num(temperature);
    j.key("allowed_models"), j.beginArray();
    for (int l : labels)
        j.str(kLabels[size_t(l)]);
    j.endArray();
    if (writeRequireCitations)
        j.key("require_citations"), j.integer(requiredCitations);
    j.key("policy"), j.str(r.pick(kPolicies));
    j.key("fastpath"), j.boolean(fastpath);
    j.key("max_debaters"), j.integer(nDebaters);
    j.key("timeout_s"), j.integer(std::array { 30, 60, 120 }[r.next() % 3]);
    j.key("margin_threshold"), j.num(0.05 * r.range(1, 6));
    j.key("seed"), j.integer(qint64(r.next() % 100000));
    if (hasPreset && !v10)
        j.key("preset_name"), j.str(preset);
    if (grounded) {
        j.key("grounded_corpus"), j.str("/srv/corpus/kb-" + std::to_string(r.range(1, 9)));
        j.key("grounded_required"), j.integer(requiredCitations);
    }
    if (!v10)
        j.key("redact"), j.boolean(redact);
    if (redact && !v10)
        j.key("redaction_rules"), j.str("default");
    double budgetUsd = 0.0;
    if (!legacy) {
        budgetUsd = 0.05 * r.range(1, 10);
        j.key("budget_usd"), j.num(budgetUsd);
        j.key("budget_tokens"), j.integer(20000 + 1000 * r.range(0, 40));
        j.key("max_cost_usd"), j.num(budgetUsd * 1.5);
    }
    j.endObject(); // parameters
    j.endObject(); // run_metadata

    j.key("debate"), j.beginObject();
    j.key("drafts"), j.beginArray();
    for (const Draft& d : drafts) {
        j.beginObject();
        writeDraftFields(j, p, d);
        j.endObject();
    }
    j.endArray();
    j.key("total_drafts"), j.integer(qint64(drafts.size()));
    j.endObject();

    j.key("judge"), j.beginObject();
    j.key("ranked_drafts"), j.beginArray();
    for (const Draft& d : ranked) {
        j.beginObject();
        writeDraftFields(j, p, d);
        j.key("score"), j.num(d.score);
        j.key("reasons"), j.str(p.reasons[size_t(d.evidenceFirst) % p.reasons.size()]);
        j.key("subscores"), j.beginObject(); // 0-4, 0-4, 0-2: they add up to the score
        j.key("task_fit"), j.num(d.score * 0.4);
        j.key("support"), j.num(d.score * 0.4);
        j.key("clarity"), j.num(d.score * 0.2);
        j.endObject();
        j.endObject();
    }
    j.endArray();
    j.key("winner_provider"), j.str(kLabels[size_t(winner.label)]);
    j.key("total_ranked"), j.integer(qint64(ranked.size()));
    if (!legacy) {
        const bool llm = r.chance(0.9);
        j.key("method"), j.str(llm ? "llm" : "heuristic");
        j.key("method_reason"), j.str(llm ? "" : "judge reply could not be parsed twice");
        j.key("passes"), j.beginArray();
        j.beginObject();
        j.key("pass"), j.integer(1);
        j.key("method"), j.str(llm ? "llm" : "heuristic");
        j.key("order"), j.beginArray();
        for (size_t k = 0; k < drafts.size(); ++k)
            j.integer(qint64(k));
        j.endArray();
        j.key("evaluations"), j.beginArray();
        for (size_t k = 0; k < drafts.size(); ++k) {
            j.beginObject();
            j.key("draft_index"), j.integer(qint64(k));
            j.key("score"), j.num(drafts[k].score);
            j.endObject();
        }
        j.endArray();
        j.endObject();
        j.endArray();
        j.key("second_pass_agreed"), j.null();
    }
    j.endObject();

    j.key("publish"), j.beginObject();
    j.key("status"), j.str(status);
    const bool hasText = status != "none";
    j.key("provider"), j.str(hasText ? kLabels[size_t(winner.label)] : std::string_view());
    j.key("text"), j.str(hasText ? std::string_view(*winner.answer) : std::string_view());
    qint64 textLength = hasText ? qint64(winner.answer->size()) : 0;
    if (rich && hasText) // code points, as Python's len() counted them
        textLength = qint64(std::count_if(winner.answer->begin(), winner.answer->end(),
            [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
    j.key("text_length"), j.integer(textLength);
    if (status == "advisory_only" && r.chance(0.6))
        j.key("reason"), j.str(r.chance(0.5) ? "low_margin" : "citations_missing");
    else if (status == "none" && r.chance(0.5))
        j.key("reason"), j.str(r.chance(0.5) ? "all_drafts_failed" : "budget_exhausted");
    if (!v10)
        j.key("redacted"), j.boolean(redacted);
    if (!v10)
        j.key("redaction_events"), j.beginArray();
    if (redacted && !v10) {
        const int n = r.range(1, 3);
        for (int e = 0; e < n; ++e) {
            const std::string_view type = r.pick(kRedactionTypes);
            j.beginObject();
            j.key("type"), j.str(type);
            j.key("count"), j.integer(r.range(1, 4));
            j.key("rule_name"), j.str(type);
            j.endObject();
        }
    }
    if (!v10)
        j.endArray();
    if (!legacy) {
        j.key("note");
        if (status == "published")
            j.null();
        else
            j.str("published text withheld: see reason");
    }
    j.endObject();

    j.key("grounding"), j.beginObject();
    j.key("enabled"), j.boolean(grounded);
    j.key("corpus_loaded"), j.boolean(grounded);
    j.key("corpus_docs"), j.integer(grounded ? r.range(5, 60) : 0);
    j.key("required_citations"), j.integer(grounded ? requiredCitations : 0);
    j.key("citations"), j.beginArray();
    const int nCitations = grounded ? r.range(0, 3) : 0;
    for (int c = 0; c < nCitations; ++c) {
        const int doc = r.range(1, 400);
        j.beginObject();
        j.key("doc_id"), j.str("doc-" + std::to_string(doc));
        j.key("title"), j.str("Knowledge base article " + std::to_string(doc));
        j.key("path"), j.str("/srv/corpus/kb/doc-" + std::to_string(doc) + ".md");
        j.endObject();
    }
    j.endArray();
    j.key("grounded_fail_reason");
    if (grounded && nCitations < requiredCitations)
        j.str("insufficient_citations");
    else
        j.null();
    j.endObject();

    // Calls: one per debater (some retried) plus the judge; usage and costs derive from them.
    struct Usage
    {
        int calls = 0;
        qint64 in = 0, out = 0;
        double cost = 0;
    };
    std::vector<std::pair<int, Usage>> usage;
    auto usageOf = [&](int label) -> Usage& {
        for (auto& u : usage)
            if (u.first == label)
                return u.second;
        usage.push_back({ label, {} });
        return usage.back().second;
    };
    std::string calls;
    JsonOut cj(calls, 2);
    double duration = 0.0;
    if (!legacy) {
        auto call = [&](std::string_view stage, int label, int attempt, bool ok) {
            const qint64 in = ok ? r.range(300, 2500) : 0;
            const qint64 outTok = ok ? r.range(250, 700) : 0;
            const double cost = double(in) * 2.5e-6 + double(outTok) * 1e-5;
            const int latency = r.range(400, 9000);
            duration = std::max(duration, latency / 1000.0);
            Usage& u = usageOf(label);
            u.calls += 1, u.in += in, u.out += outTok, u.cost += cost;
            cj.beginObject();
            cj.key("stage"), cj.str(stage);
            cj.key("label"), cj.str(kLabels[size_t(label)]);
            cj.key("api"), cj.str(kApis[size_t(label)]);
            cj.key("simulated"), cj.boolean(simulated);
            cj.key("attempt"), cj.integer(attempt);
            cj.key("status"), cj.str(ok ? "ok" : "error");
            cj.key("http_status");
            ok ? cj.integer(200) : cj.integer(429);
            cj.key("error"), cj.str(ok ? "" : "rate limited");
            cj.key("input_tokens"), cj.integer(in);
            cj.key("output_tokens"), cj.integer(outTok);
            cj.key("latency_ms"), cj.integer(latency);
            cj.key("cost_usd"), cj.num(cost);
            cj.key("pricing_id"), cj.str(std::string(kLabels[size_t(label)]) + "@2026-01");
            cj.endObject();
        };
        // The nested writer starts at depth 0; indent its lines by hand below.
        cj.beginArray();
        for (int l : labels) {
            if (r.chance(0.06))
                call("debate", l, 1, false), call("debate", l, 2, true);
            else
                call("debate", l, 1, true);
        }
        call("judge", labels.front(), 1, true);
        cj.endArray();
        duration += 0.01 * r.range(50, 900);
    } else {
        duration = 0.01 * r.range(300, 6000);
    }

    j.key("provenance"), j.beginObject();
    char sha[48];
    std::snprintf(sha, sizeof sha, "%016llx%016llx%08x", static_cast<unsigned long long>(r.next()),
        static_cast<unsigned long long>(r.next()), unsigned(r.next()));
    j.key("git_sha"), j.str(sha);
    j.key("python_version"), j.str(legacy ? "3.11.4" : "");
    j.key("sdk_version"), j.str(legacy ? "openai-1.35.3" : "djp-studio 0.1.0");
    j.key("model_usage"), j.beginObject(); // always empty in the legacy tool
    for (const auto& [label, u] : usage) {
        j.key(kLabels[size_t(label)]), j.beginObject();
        j.key("calls"), j.integer(u.calls);
        j.key("tokens_in"), j.integer(u.in);
        j.key("tokens_out"), j.integer(u.out);
        j.endObject();
    }
    j.endObject();
    j.key("estimated_costs"), j.beginObject();
    double totalCost = 0.0;
    for (const auto& [label, u] : usage) {
        j.key(kLabels[size_t(label)]), j.num(u.cost);
        totalCost += u.cost;
    }
    j.endObject();
    if (!legacy || r.chance(0.7))
        j.key("duration_seconds"), j.num(duration);
    if (!legacy)
        j.key("app_version"), j.str("0.1.0");
    j.endObject();

    if (!legacy) {
        j.key("calls");
        // Re-indent the separately built calls array one level deeper.
        std::string indented;
        indented.reserve(calls.size() + calls.size() / 8);
        for (char ch : calls) {
            indented += ch;
            if (ch == '\n')
                indented += "  ";
        }
        j.raw(indented);
        qint64 tokens = 0;
        for (const auto& u : usage)
            tokens += u.second.in + u.second.out;
        auto totals = [&](double factor) {
            j.beginObject();
            j.key("debate_usd"), j.num(totalCost * factor * 0.8);
            j.key("judge_usd"), j.num(totalCost * factor * 0.15);
            j.key("overhead_usd"), j.num(totalCost * factor * 0.05);
            j.key("total_usd"), j.num(totalCost * factor);
            j.key("total_tokens"), j.integer(qint64(double(tokens) * factor));
            j.endObject();
        };
        const double ratio = budgetUsd > 0 ? totalCost * 2.2 / budgetUsd : 0.0;
        j.key("budget"), j.beginObject();
        j.key("budget_usd"), j.num(budgetUsd);
        j.key("budget_tokens"), j.integer(20000 + 1000 * r.range(0, 40));
        j.key("max_cost_usd"), j.num(budgetUsd * 1.5);
        j.key("projection"), j.beginObject();
        j.key("expected"), totals(0.9);
        j.key("worst"), totals(2.2);
        j.endObject();
        j.key("gate"), j.beginObject();
        j.key("status"), j.str(ratio > 0.8 ? "warning" : "ok");
        j.key("message"), j.str(ratio > 0.8 ? "worst case is close to the budget" : "");
        j.key("ratio"), j.num(ratio);
        j.endObject();
        j.key("measured_cost_usd"), j.num(totalCost);
        j.key("measured_tokens"), j.integer(tokens);
        j.key("cost_complete"), j.boolean(true);
        j.key("stopped_early"), j.boolean(false);
        j.key("stop_reason"), j.null();
        j.key("dropped_debaters"), j.beginArray();
        j.endArray();
        j.endObject();
        j.key("simulated"), j.boolean(simulated);
    }
    j.endObject();
    out += '\n';
    (void)o;
    return out;
}

std::string corruptBytes(const Pools& p, const SyntheticOptions& o, const Plan& plan, quint64 contentSeed)
{
    Rng r(contentSeed);
    std::string doc = makeArtifact(p, o, plan, contentSeed, false);
    auto replaceFirst = [&doc](std::string_view what, std::string_view with) {
        const size_t at = doc.find(what);
        if (at != std::string::npos)
            doc.replace(at, what.size(), with);
    };
    switch (plan.corruptKind) {
    case 0:
        return {}; // empty
    case 1:
        return doc.substr(0, size_t(double(doc.size()) * (0.3 + 0.6 * r.uniform()))); // truncated
    case 2:
        return "[1, 2, 3]\n"; // not an object
    case 3:
        replaceFirst("\"schema_version\"", "\"schema\"");
        return doc;
    case 4:
        replaceFirst("\"confidence\": ", "\"confidence\": NaN, \"was\": ");
        return doc; // Python's NaN
    case 5: { // valid JSON, but "publish" is an array
        const size_t a = doc.find("\"publish\": {");
        const size_t b = doc.find("\"grounding\":");
        if (a != std::string::npos && b != std::string::npos)
            doc.replace(a, b - a, "\"publish\": [\"published\"],\n  ");
        return doc;
    }
    case 6: { // binary garbage
        std::string s(size_t(r.range(200, 4000)), '\0');
        for (char& c : s)
            c = char(r.next() & 0xff);
        return s;
    }
    case 7:
        replaceFirst("\"schema_version\": \"2.0\"", "\"schema_version\": \"3.0\"");
        return doc;
    default:
        return "// written by hand\n" + doc; // comments are not JSON
    }
}

constexpr int kCorruptKinds = 9;

std::vector<Plan> makePlans(const SyntheticOptions& o, qint64 endMs)
{
    std::vector<Plan> plans(size_t(std::max(0, o.count)));
    const qint64 span = qint64(std::max(1, o.spanDays)) * 24 * 3600 * 1000;
    std::set<std::string> legacyNames;
    int corruptSeq = 0;
    for (int i = 0; i < o.count; ++i) {
        Plan& pl = plans[size_t(i)];
        Rng r(mix(o.seed, quint64(i), 2));
        const double roll = r.uniform();
        pl.kind = roll < o.corruptShare ? Kind::Corrupt : r.chance(o.legacyShare) ? Kind::Legacy : Kind::V20;
        if (pl.kind != Kind::Corrupt && o.shape != SyntheticShape::Mixed)
            pl.kind = o.shape == SyntheticShape::Legacy ? Kind::Legacy : Kind::V20;
        pl.noTimestamp = pl.kind != Kind::Corrupt && r.chance(o.noTimestampShare);
        pl.tsMs = endMs - qint64(r.uniform() * double(span));
        pl.runIdHi = r.next(), pl.runIdLo = r.next();
        pl.corruptKind = corruptSeq % kCorruptKinds;
        if (pl.kind == Kind::Corrupt)
            ++corruptSeq;
        const LocalTime lt = localTime(pl.tsMs);
        char buf[96];
        if (o.shape == SyntheticShape::Legacy) {
            // The legacy tool's minute names in one folder; a second run in the same minute (which
            // the legacy tool overwrote) gets a suffix.
            std::snprintf(buf, sizeof buf, "%04d.%02d.%02d-%02d%02d", lt.tm.tm_year + 1900, lt.tm.tm_mon + 1,
                lt.tm.tm_mday, lt.tm.tm_hour, lt.tm.tm_min);
            std::string name = buf;
            for (int n = 2; !legacyNames.insert(name).second; ++n)
                name = std::string(buf) + "-" + std::to_string(n);
            pl.relPath = name + ".json";
        } else if (pl.kind == Kind::Legacy) {
            std::snprintf(buf, sizeof buf, "archive/%04d-%02d/%04d.%02d.%02d-%02d%02d", lt.tm.tm_year + 1900,
                lt.tm.tm_mon + 1, lt.tm.tm_year + 1900, lt.tm.tm_mon + 1, lt.tm.tm_mday, lt.tm.tm_hour, lt.tm.tm_min);
            std::string name = buf;
            for (int n = 2; !legacyNames.insert(name).second; ++n)
                name = std::string(buf) + "-" + std::to_string(n);
            pl.relPath = name + ".json";
        } else {
            std::snprintf(buf, sizeof buf, "%04d.%02d.%02d-%02d%02d%02d-%08x.json", lt.tm.tm_year + 1900,
                lt.tm.tm_mon + 1, lt.tm.tm_mday, lt.tm.tm_hour, lt.tm.tm_min, lt.tm.tm_sec, unsigned(pl.runIdHi >> 32));
            pl.relPath = buf;
        }
    }
    return plans;
}

Pools poolsFor(const SyntheticOptions& o)
{
    return o.shape == SyntheticShape::Mixed ? makePools(o.seed) : makeRichPools(o.seed);
}

qint64 effectiveEnd(const SyntheticOptions& o)
{
    return o.endMs ? o.endMs : Clock::nowMs();
}

bool writeWhole(const std::string& path, const std::string& bytes, int& error)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = errno;
        return false;
    }
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            error = errno;
            ::close(fd);
            return false;
        }
        done += size_t(n);
    }
    return ::close(fd) == 0 || (error = errno, false);
}

} // namespace

std::string syntheticArtifactBytes(const SyntheticOptions& options, int i, bool legacy)
{
    const Pools pools = poolsFor(options);
    Plan plan;
    Rng r(mix(options.seed, quint64(i), 2));
    plan.tsMs = effectiveEnd(options) - qint64(r.uniform() * double(qint64(options.spanDays) * 86400000));
    plan.runIdHi = r.next(), plan.runIdLo = r.next();
    return makeArtifact(pools, options, plan, mix(options.seed, quint64(i), 3), legacy);
}

SyntheticResult writeSyntheticArtifacts(const QString& dir, const SyntheticOptions& options)
{
    SyntheticResult result;
    const QString root = QDir::cleanPath(QDir(dir).absolutePath());
    if (!QDir().mkpath(root)) {
        result.error = QStringLiteral("cannot create %1").arg(root);
        return result;
    }
    const std::vector<Plan> plans = makePlans(options, effectiveEnd(options));
    std::set<std::string> subdirs;
    for (const Plan& pl : plans) {
        const size_t slash = pl.relPath.rfind('/');
        if (slash != std::string::npos)
            subdirs.insert(pl.relPath.substr(0, slash));
    }
    for (const std::string& s : subdirs)
        QDir(root).mkpath(QString::fromStdString(s));

    const Pools pools = poolsFor(options);
    const std::string rootUtf8 = root.toStdString() + '/';
    std::atomic<qint64> bytes { 0 };
    std::mutex errorMutex;
    QString firstError;
    std::atomic_bool failed { false };

    QThreadPool pool;
    pool.setMaxThreadCount(options.maxThreads > 0 ? options.maxThreads : QThread::idealThreadCount());
    std::vector<int> indices(plans.size());
    for (size_t i = 0; i < indices.size(); ++i)
        indices[i] = int(i);
    QtConcurrent::blockingMap(&pool, indices, [&](int i) {
        if (failed.load(std::memory_order_relaxed))
            return;
        const Plan& pl = plans[size_t(i)];
        const quint64 contentSeed = mix(options.seed, quint64(i), 3);
        const std::string data = pl.kind == Kind::Corrupt
            ? corruptBytes(pools, options, pl, contentSeed)
            : makeArtifact(pools, options, pl, contentSeed, pl.kind == Kind::Legacy);
        int err = 0;
        if (!writeWhole(rootUtf8 + pl.relPath, data, err)) {
            std::lock_guard lock(errorMutex);
            if (!failed.exchange(true))
                firstError = QStringLiteral("%1: %2").arg(
                    QString::fromStdString(rootUtf8 + pl.relPath), QString::fromLocal8Bit(std::strerror(err)));
            return;
        }
        bytes.fetch_add(qint64(data.size()), std::memory_order_relaxed);
    });

    if (failed) {
        result.error = firstError;
        return result;
    }
    for (const Plan& pl : plans) {
        if (pl.kind == Kind::Corrupt)
            result.corruptFiles << QString::fromStdString(rootUtf8 + pl.relPath);
        else if (pl.noTimestamp)
            ++result.noTimestamp;
        if (pl.kind == Kind::V20 && pl.noTimestamp)
            result.badTimestampFiles << QString::fromStdString(rootUtf8 + pl.relPath);
        if (pl.kind == Kind::Legacy)
            ++result.legacyFiles;
    }
    result.corruptFiles.sort();
    result.badTimestampFiles.sort();
    result.written = int(plans.size());
    result.bytes = bytes.load();
    result.ok = true;
    return result;
}

} // namespace djp
