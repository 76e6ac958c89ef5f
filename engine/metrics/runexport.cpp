#include "metrics/runexport.h"

#include "core/strings.h"

#include <QDateTime>
#include <QSaveFile>
#include <QTimeZone>
#include <nlohmann/json.hpp>
#include <variant>

namespace djp {

namespace {

// One cell as a typed value; text and JSON renderings both derive from it so they never disagree.
using Cell = std::variant<std::monostate, QString, qint64, double, bool>;

enum Column : int
{
    ArtifactFile,
    Timestamp,
    Task,
    TraceName,
    PresetName,
    Status,
    Provider,
    WinnerProvider,
    TokensIn,
    TokensOut,
    TotalTokens,
    EstCost,
    Duration,
    NumDrafts,
    NumRanked,
    CitationsRequired,
    CitationsOk,
    Grounded,
    GroundedRequired,
    CitationsCount,
    Redacted,
    RedactionCount,
    RedactionTypes,
    AdvisoryReason,
    MaxTokens,
    Temperature,
    Fastpath,
    TextLength,
    SchemaVersion,
    RunId,
    Simulated,
    CostComplete,
    BudgetUsd,
    BudgetStatus,
    StoppedEarly,
    JudgeMethod,
    Calls,
    FailedCalls,
    Retries,
    // 0.2 (docs/metrics.md): usage buckets and reported vs computed cost
    CacheReadTokens,
    CacheWriteTokens,
    ReasoningTokens,
    EstimatedUsageCalls,
    ReportedCostUsd,
    ComputedCostUsd,
    CostDriftPct,
    ColumnCount
};

static_assert(SchemaVersion + 1 == kLegacyColumnCount);

// ISO 8601 with the offset the artifact was written with, e.g. 2026-11-28T10:00:00+01:00
// (milliseconds only when present). "+00:00" rather than "Z" so every row has the same shape.
QString isoTimestamp(const RunRecord& r)
{
    const QDateTime local
        = QDateTime::fromMSecsSinceEpoch(r.timestampMs + r.utcOffsetSeconds * 1000ll, QTimeZone::utc());
    QString s = local.toString(
        local.time().msec() ? QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz") : QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    const int off = r.utcOffsetSeconds;
    const int a = off < 0 ? -off : off;
    s += (off < 0 ? QLatin1Char('-') : QLatin1Char('+'))
        + QStringLiteral("%1:%2").arg(a / 3600, 2, 10, QLatin1Char('0')).arg((a % 3600) / 60, 2, 10, QLatin1Char('0'));
    return s;
}

Cell cell(const RunRecord& r, int column)
{
    switch (column) {
    case ArtifactFile:
        return r.artifactFile;
    case Timestamp:
        return r.hasTimestamp ? Cell(isoTimestamp(r)) : Cell();
    case Task:
        return r.task;
    case TraceName:
        return r.traceName;
    case PresetName:
        return r.presetName;
    case Status:
        return r.status;
    case Provider:
        return r.provider;
    case WinnerProvider:
        return r.winnerProvider;
    case TokensIn:
        return r.tokensIn;
    case TokensOut:
        return r.tokensOut;
    case TotalTokens:
        return r.totalTokens;
    case EstCost:
        // The scanner sets it from the exact nano sum, so the cell reads 0.0436546, never 0.043654599999999995.
        return r.estCost;
    case Duration:
        return r.duration;
    case NumDrafts:
        return qint64(r.numDrafts);
    case NumRanked:
        return qint64(r.numRanked);
    case CitationsRequired:
        return qint64(r.citationsRequired);
    case CitationsOk:
        return r.citationsOk;
    case Grounded:
        return r.grounded;
    case GroundedRequired:
        return qint64(r.groundedRequired);
    case CitationsCount:
        return qint64(r.citationsCount);
    case Redacted:
        return r.redacted;
    case RedactionCount:
        return qint64(r.redactionCount);
    case RedactionTypes:
        return r.redactionTypes;
    case AdvisoryReason:
        return r.advisoryReason;
    case MaxTokens:
        return qint64(r.maxTokens);
    case Temperature:
        return r.temperature;
    case Fastpath:
        return r.fastpath;
    case TextLength:
        return r.textLength;
    case SchemaVersion:
        return r.schemaVersion;
    case RunId:
        return r.runId;
    case Simulated:
        return r.simulated;
    case CostComplete:
        return r.costComplete;
    case BudgetUsd:
        return r.budgetUsd ? Cell(*r.budgetUsd) : Cell();
    case BudgetStatus:
        return r.budgetStatus;
    case StoppedEarly:
        return r.stoppedEarly;
    case JudgeMethod:
        return r.judgeMethod;
    case Calls:
        return qint64(r.calls);
    case FailedCalls:
        return qint64(r.failedCalls);
    case Retries:
        return qint64(r.retries);
    case CacheReadTokens:
        return r.cacheReadTokens;
    case CacheWriteTokens:
        return r.cacheWriteTokens;
    case ReasoningTokens:
        return r.reasoningTokens;
    case EstimatedUsageCalls:
        return qint64(r.estimatedUsageCalls);
    case ReportedCostUsd:
        return r.hasReportedCost() ? Cell(static_cast<double>(r.reportedCostNano) / 1e9) : Cell();
    case ComputedCostUsd:
        return r.hasReportedCost() ? Cell(static_cast<double>(r.computedCostNano) / 1e9) : Cell();
    case CostDriftPct:
        if (!r.hasReportedCost() || r.reportedCostNano <= 0)
            return {};
        return static_cast<double>(r.computedCostNano - r.reportedCostNano) * 100.0
            / static_cast<double>(r.reportedCostNano);
    default:
        return {};
    }
}

// Spreadsheets execute text cells starting with these; a leading apostrophe makes them inert.
bool needsFormulaGuard(const QString& s)
{
    if (s.isEmpty())
        return false;
    switch (s.front().unicode()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
        return true;
    default:
        return false;
    }
}

QString numberText(double v)
{
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

// RFC 4180: quote a field containing a comma, a quote, CR or LF; double the quotes inside.
void appendCsvField(QByteArray& line, const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    bool quote = false;
    for (char c : utf8) {
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            quote = true;
            break;
        }
    }
    if (!quote) {
        line += utf8;
        return;
    }
    line += '"';
    for (char c : utf8) {
        if (c == '"')
            line += '"';
        line += c;
    }
    line += '"';
}

bool writeAll(QIODevice& out, const QByteArray& bytes, QString* error)
{
    if (out.write(bytes) == bytes.size())
        return true;
    if (error)
        *error = out.errorString();
    return false;
}

constexpr qsizetype kFlushBytes = 1 << 20;

} // namespace

const QStringList& runColumns()
{
    static const QStringList columns = {
        QStringLiteral("artifact_file"),
        QStringLiteral("timestamp"),
        QStringLiteral("task"),
        QStringLiteral("trace_name"),
        QStringLiteral("preset_name"),
        QStringLiteral("status"),
        QStringLiteral("provider"),
        QStringLiteral("winner_provider"),
        QStringLiteral("tokens_in"),
        QStringLiteral("tokens_out"),
        QStringLiteral("total_tokens"),
        QStringLiteral("est_cost"),
        QStringLiteral("duration"),
        QStringLiteral("num_drafts"),
        QStringLiteral("num_ranked"),
        QStringLiteral("citations_required"),
        QStringLiteral("citations_ok"),
        QStringLiteral("grounded"),
        QStringLiteral("grounded_required"),
        QStringLiteral("citations_count"),
        QStringLiteral("redacted"),
        QStringLiteral("redaction_count"),
        QStringLiteral("redaction_types"),
        QStringLiteral("advisory_reason"),
        QStringLiteral("max_tokens"),
        QStringLiteral("temperature"),
        QStringLiteral("fastpath"),
        QStringLiteral("text_length"),
        QStringLiteral("schema_version"),
        QStringLiteral("run_id"),
        QStringLiteral("simulated"),
        QStringLiteral("cost_complete"),
        QStringLiteral("budget_usd"),
        QStringLiteral("budget_status"),
        QStringLiteral("stopped_early"),
        QStringLiteral("judge_method"),
        QStringLiteral("calls"),
        QStringLiteral("failed_calls"),
        QStringLiteral("retries"),
        QStringLiteral("cache_read_tokens"),
        QStringLiteral("cache_write_tokens"),
        QStringLiteral("reasoning_tokens"),
        QStringLiteral("estimated_usage_calls"),
        QStringLiteral("reported_cost_usd"),
        QStringLiteral("computed_cost_usd"),
        QStringLiteral("cost_drift_pct"),
    };
    Q_ASSERT(columns.size() == ColumnCount);
    return columns;
}

QString runCellText(const RunRecord& r, int column)
{
    const Cell c = cell(r, column);
    if (const QString* s = std::get_if<QString>(&c))
        return needsFormulaGuard(*s) ? QLatin1Char('\'') + *s : *s;
    if (const qint64* i = std::get_if<qint64>(&c))
        return QString::number(*i);
    if (const double* d = std::get_if<double>(&c))
        return numberText(*d);
    if (const bool* b = std::get_if<bool>(&c))
        return *b ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

bool writeRunsCsv(
    QIODevice& out, const std::vector<RunRecord>& records, const std::vector<int>& indices, QString* error)
{
    QByteArray buffer;
    buffer.reserve(kFlushBytes + 64 * 1024);
    const QStringList& columns = runColumns();
    for (int c = 0; c < columns.size(); ++c) {
        if (c)
            buffer += ',';
        appendCsvField(buffer, columns[c]);
    }
    buffer += "\r\n";
    for (int i : indices) {
        const RunRecord& r = records[static_cast<size_t>(i)];
        for (int c = 0; c < ColumnCount; ++c) {
            if (c)
                buffer += ',';
            appendCsvField(buffer, runCellText(r, c));
        }
        buffer += "\r\n";
        if (buffer.size() >= kFlushBytes) {
            if (!writeAll(out, buffer, error))
                return false;
            buffer.clear();
        }
    }
    return writeAll(out, buffer, error);
}

bool writeRunsJsonl(
    QIODevice& out, const std::vector<RunRecord>& records, const std::vector<int>& indices, QString* error)
{
    const QStringList& columns = runColumns();
    std::vector<std::string> keys;
    for (const QString& c : columns)
        keys.push_back(ss(c));
    QByteArray buffer;
    for (int i : indices) {
        const RunRecord& r = records[static_cast<size_t>(i)];
        nlohmann::ordered_json o = nlohmann::ordered_json::object();
        for (int c = 0; c < ColumnCount; ++c) {
            const Cell v = cell(r, c);
            auto& slot = o[keys[static_cast<size_t>(c)]];
            if (const QString* s = std::get_if<QString>(&v))
                slot = ss(*s);
            else if (const qint64* n = std::get_if<qint64>(&v))
                slot = *n;
            else if (const double* d = std::get_if<double>(&v))
                slot = *d;
            else if (const bool* b = std::get_if<bool>(&v))
                slot = *b;
            else
                slot = nullptr;
        }
        buffer += QByteArray::fromStdString(o.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
        buffer += '\n';
        if (buffer.size() >= kFlushBytes) {
            if (!writeAll(out, buffer, error))
                return false;
            buffer.clear();
        }
    }
    return writeAll(out, buffer, error);
}

bool exportRunsToFile(const QString& path, const QString& format, const std::vector<RunRecord>& records,
    const std::vector<int>& indices, QString* error)
{
    const bool csv = format.compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0;
    const bool jsonl = format.compare(QLatin1String("jsonl"), Qt::CaseInsensitive) == 0;
    if (!csv && !jsonl) {
        if (error)
            *error = QStringLiteral("unknown export format '%1' (csv or jsonl)").arg(format);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const bool ok = csv ? writeRunsCsv(file, records, indices, error) : writeRunsJsonl(file, records, indices, error);
    if (!ok) {
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace djp
