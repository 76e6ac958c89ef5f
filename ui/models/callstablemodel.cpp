#include "models/callstablemodel.h"

#include "core/strings.h"
#include "display/displayformat.h"
#include "display/tones.h"

#include <QBrush>

namespace djp {

namespace {

qint64 jsonInt(const Json& j, const char* key, qint64 fallback = 0)
{
    auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        return fallback;
    return static_cast<qint64>(it->get<double>());
}

std::optional<double> optionalNumber(const Json& j, const char* key)
{
    auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

bool jsonBool(const Json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

} // namespace

CallRows callRowsFromArtifact(const Json& document)
{
    CallRows rows;
    if (!document.is_object())
        return rows;
    auto calls = document.find("calls");
    if (calls == document.end() || !calls->is_array())
        return rows;
    rows.reserve(calls->size());
    for (const Json& c : *calls) {
        if (!c.is_object())
            continue;
        CallRow r;
        r.stage = jsonString(c, "stage");
        r.label = jsonString(c, "label");
        r.api = jsonString(c, "api");
        r.simulated = jsonBool(c, "simulated");
        r.attempt = static_cast<int>(jsonInt(c, "attempt", 1));
        r.status = jsonString(c, "status");
        if (auto http = optionalNumber(c, "http_status"))
            r.httpStatus = static_cast<int>(*http);
        r.error = jsonString(c, "error");
        r.usage.inputTokens = jsonInt(c, "input_tokens");
        r.usage.outputTokens = jsonInt(c, "output_tokens");
        r.usage.cacheReadTokens = jsonInt(c, "cache_read_tokens");
        r.usage.cacheWriteTokens = jsonInt(c, "cache_write_tokens");
        r.usage.reasoningTokens = jsonInt(c, "reasoning_tokens");
        r.usageSource = jsonString(c, "usage_source");
        r.reportedCostUsd = optionalNumber(c, "reported_cost_usd");
        r.heldUsd = optionalNumber(c, "held_usd").value_or(0.0);
        r.latencyMs = jsonNumber(c, "latency_ms");
        r.costUsd = optionalNumber(c, "cost_usd");
        r.pricingId = jsonString(c, "pricing_id");
        rows.push_back(std::move(r));
    }
    return rows;
}

CallRow callRowFromRecord(const CallRecord& record)
{
    const CallAttempt& a = record.attempt;
    CallRow r;
    r.stage = a.stage;
    r.label = a.label;
    r.api = a.api;
    r.simulated = a.simulated;
    r.attempt = a.attempt;
    r.status = a.status;
    r.httpStatus = a.httpStatus;
    r.error = a.error;
    r.running = a.hasStatus(CallStatus::Running);
    if (r.running)
        return r;
    r.usage = usageOf(a);
    r.usageSource = usageSourceName(a.usageSource);
    r.reportedCostUsd = a.reportedCostUsd;
    r.heldUsd = static_cast<double>(record.heldNano) / 1e9;
    r.latencyMs = static_cast<double>(a.latencyMs);
    r.costUsd = record.costUsd;
    r.pricingId = record.pricingId;
    return r;
}

CallsTableModel::CallsTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void CallsTableModel::setRows(std::shared_ptr<const CallRows> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

const CallRow* CallsTableModel::row(int r) const
{
    if (!m_rows || r < 0 || r >= static_cast<int>(m_rows->size()))
        return nullptr;
    return &(*m_rows)[static_cast<size_t>(r)];
}

int CallsTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_rows ? 0 : static_cast<int>(m_rows->size());
}

int CallsTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CallsTableModel::data(const QModelIndex& index, int role) const
{
    const CallRow* r = index.isValid() ? row(index.row()) : nullptr;
    return r ? cellData(*r, index.column(), role) : QVariant();
}

QVariant CallsTableModel::cellData(const CallRow& row, int column, int role)
{
    if (role == Qt::DisplayRole) {
        if (row.running && column >= TokensIn)
            return QString();
        switch (column) {
        case Stage:
            return row.stage;
        case Label:
            return row.simulated ? row.label + tr(" (simulated)") : row.label;
        case Attempt:
            return row.attempt;
        case Status:
            return row.status;
        case HttpStatus:
            return row.httpStatus ? QString::number(*row.httpStatus) : QStringLiteral("—");
        case TokensIn:
            return formatCount(row.usage.inputTokens);
        case CacheRead:
            return formatCount(row.usage.cacheReadTokens);
        case CacheWrite:
            return formatCount(row.usage.cacheWriteTokens);
        case TokensOut:
            return formatCount(row.usage.outputTokens);
        case Reasoning:
            return formatCount(row.usage.reasoningTokens);
        case Usage:
            return row.usageSource.isEmpty() ? QStringLiteral("—") : row.usageSource;
        case Latency:
            return formatLatencyMs(row.latencyMs);
        case Cost:
            return row.costUsd ? formatMoneyFixed(*row.costUsd, kCostDecimals) : tr("unpriced");
        case Held:
            return row.heldUsd > 0.0 ? formatMoneyFixed(row.heldUsd, kCostDecimals) : QStringLiteral("—");
        }
    } else if (role == SortRole) {
        switch (column) {
        case Stage:
            return row.stage;
        case Label:
            return row.label;
        case Attempt:
            return row.attempt;
        case Status:
            return row.status;
        case HttpStatus:
            return row.httpStatus ? *row.httpStatus : -1;
        case TokensIn:
            return row.usage.inputTokens;
        case CacheRead:
            return row.usage.cacheReadTokens;
        case CacheWrite:
            return row.usage.cacheWriteTokens;
        case TokensOut:
            return row.usage.outputTokens;
        case Reasoning:
            return row.usage.reasoningTokens;
        case Usage:
            return row.usageSource;
        case Latency:
            return row.latencyMs;
        case Cost:
            return row.costUsd ? *row.costUsd : -1.0;
        case Held:
            return row.heldUsd;
        }
    } else if (role == Qt::ForegroundRole) {
        if (column == Status && !row.running && parseVocabulary<CallStatus>(row.status) != CallStatus::Ok)
            return QBrush(tone::bad());
    } else if (role == Qt::TextAlignmentRole) {
        if (column == Attempt || column == HttpStatus || (column >= TokensIn && column != Usage))
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    } else if (role == Qt::ToolTipRole) {
        QStringList lines;
        lines << tr("API: %1").arg(row.api.isEmpty() ? QStringLiteral("—") : row.api);
        if (!row.pricingId.isEmpty())
            lines << tr("Pricing id: %1").arg(row.pricingId);
        if (row.usageSource == usageSourceName(UsageSource::Estimated))
            lines << tr("No usage reported: settled at the worst case reserved for it");
        if (row.reportedCostUsd)
            lines << tr("Provider-reported cost: %1").arg(formatMoney(*row.reportedCostUsd));
        if (row.heldUsd > 0.0)
            lines << tr("Held: the attempt failed but may have been billed");
        if (!row.error.isEmpty())
            lines << tr("Error: %1").arg(row.error);
        return plainTextToolTip(lines.join(u'\n'));
    }
    return {};
}

QVariant CallsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return orientation == Qt::Horizontal ? columnTitle(section, role) : QVariant();
}

QVariant CallsTableModel::columnTitle(int column, int role)
{
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Stage:
        return tr("Stage");
    case Label:
        return tr("Label");
    case Attempt:
        return tr("Attempt");
    case Status:
        return tr("Status");
    case HttpStatus:
        return tr("HTTP");
    case TokensIn:
        return tr("Tokens in");
    case CacheRead:
        return tr("Cached in");
    case CacheWrite:
        return tr("Cache write");
    case TokensOut:
        return tr("Tokens out");
    case Reasoning:
        return tr("Reasoning");
    case Usage:
        return tr("Usage");
    case Latency:
        return tr("Latency");
    case Cost:
        return tr("Cost");
    case Held:
        return tr("Held");
    }
    return {};
}

} // namespace djp
