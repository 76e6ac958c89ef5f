#include "models/callstablemodel.h"

#include "core/strings.h"
#include "models/displayformat.h"

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
        r.inputTokens = jsonInt(c, "input_tokens");
        r.outputTokens = jsonInt(c, "output_tokens");
        r.cacheReadTokens = jsonInt(c, "cache_read_tokens");
        r.cacheWriteTokens = jsonInt(c, "cache_write_tokens");
        r.reasoningTokens = jsonInt(c, "reasoning_tokens");
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
    if (!r)
        return {};
    const int col = index.column();
    if (role == Qt::DisplayRole) {
        switch (col) {
        case Stage:
            return r->stage;
        case Label:
            return r->simulated ? r->label + tr(" (simulated)") : r->label;
        case Attempt:
            return r->attempt;
        case Status:
            return r->status;
        case HttpStatus:
            return r->httpStatus ? QString::number(*r->httpStatus) : QStringLiteral("—");
        case TokensIn:
            return formatCount(r->inputTokens);
        case CacheRead:
            return formatCount(r->cacheReadTokens);
        case CacheWrite:
            return formatCount(r->cacheWriteTokens);
        case TokensOut:
            return formatCount(r->outputTokens);
        case Reasoning:
            return formatCount(r->reasoningTokens);
        case Usage:
            return r->usageSource.isEmpty() ? QStringLiteral("—") : r->usageSource;
        case Latency:
            return formatLatencyMs(r->latencyMs);
        case Cost:
            return r->costUsd ? formatMoneyFixed(*r->costUsd, kCostDecimals) : tr("unpriced");
        case Held:
            return r->heldUsd > 0.0 ? formatMoneyFixed(r->heldUsd, kCostDecimals) : QStringLiteral("—");
        }
    } else if (role == SortRole) {
        switch (col) {
        case Stage:
            return r->stage;
        case Label:
            return r->label;
        case Attempt:
            return r->attempt;
        case Status:
            return r->status;
        case HttpStatus:
            return r->httpStatus ? *r->httpStatus : -1;
        case TokensIn:
            return r->inputTokens;
        case CacheRead:
            return r->cacheReadTokens;
        case CacheWrite:
            return r->cacheWriteTokens;
        case TokensOut:
            return r->outputTokens;
        case Reasoning:
            return r->reasoningTokens;
        case Usage:
            return r->usageSource;
        case Latency:
            return r->latencyMs;
        case Cost:
            return r->costUsd ? *r->costUsd : -1.0;
        case Held:
            return r->heldUsd;
        }
    } else if (role == Qt::TextAlignmentRole) {
        if (col == Attempt || col == HttpStatus || (col >= TokensIn && col != Usage))
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    } else if (role == Qt::ToolTipRole) {
        QStringList lines;
        lines << tr("API: %1").arg(r->api.isEmpty() ? QStringLiteral("—") : r->api);
        if (!r->pricingId.isEmpty())
            lines << tr("Pricing id: %1").arg(r->pricingId);
        if (r->usageSource == u"estimated")
            lines << tr("No usage reported: settled at the worst case reserved for it");
        if (r->reportedCostUsd)
            lines << tr("Provider-reported cost: %1").arg(formatMoney(*r->reportedCostUsd));
        if (r->heldUsd > 0.0)
            lines << tr("Held: the attempt failed but may have been billed");
        if (!r->error.isEmpty())
            lines << tr("Error: %1").arg(r->error);
        return plainTextToolTip(lines.join(u'\n'));
    }
    return {};
}

QVariant CallsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
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
