// djp pricing [show [--json] | import FILE | quote VENDOR/MODEL --input N ...] (docs/pricing.md): shows
// the pricing table in use, merges a LiteLLM or models.dev price file into the user's override
// (configDir()/pricing.json), or prices one call from its token buckets.
#include "cli.h"
#include "core/clock.h"

#include "core/jsonutil.h"
#include "core/paths.h"
#include "core/strings.h"
#include "pricing/litellmimport.h"
#include "pricing/modelsdevimport.h"
#include "pricing/pricingtable.h"

#include <QCoreApplication>
#include <QDate>
#include <QFile>
#include <QFileInfo>

using namespace djp;
using namespace djp::cli;

namespace {

// USD per 1M tokens, exact decimal.
QString rate(RatePerM r)
{
    return nanoToDecimal(r);
}

QString usd(NanoUsd n)
{
    return QLatin1Char('$') + nanoToDecimal(n);
}

PricingTable loadReporting()
{
    QString problem;
    PricingTable table = PricingTable::load(&problem);
    if (!problem.isEmpty()) {
        err() << "djp pricing: " << problem << "\n";
        err().flush();
    }
    return table;
}

int showPricing(bool json)
{
    const PricingTable table = loadReporting();
    QTextStream& s = out();
    if (json) {
        // The table in the pricing.json format (loadable as an override), plus where it came from.
        auto doc = parseJson(table.toCanonicalJson());
        (*doc)["id"] = ss(table.id());
        (*doc)["origin"] = ss(PricingTable::origin());
        s << QString::fromStdString(doc->dump(2)) << "\n";
        s.flush();
        return Ok;
    }
    s << "Pricing table " << table.id() << " (" << table.entries().size() << " models, USD per 1M tokens)\n"
      << "Updated: " << (table.updated().isEmpty() ? QStringLiteral("-") : table.updated()) << "\n"
      << "Source: " << table.source() << "\n"
      << "File: " << PricingTable::origin() << "\n\n";
    int width = 5;
    for (const ModelPrice& p : table.entries())
        width = std::max(width, static_cast<int>(p.label.size()));
    s << QStringLiteral("label").leftJustified(width) << "  " << QStringLiteral("input").rightJustified(10) << "  "
      << QStringLiteral("output").rightJustified(10) << "  " << QStringLiteral("cache_read").rightJustified(10) << "  "
      << QStringLiteral("cache_write").rightJustified(11) << "  updated     tiers/history\n";
    for (const ModelPrice& p : table.entries()) {
        const PricePeriod& now = p.current();
        QStringList notes;
        for (const PriceTier& t : now.tiers)
            notes << QStringLiteral(">%1k: %2/%3")
                         .arg(QString::number(static_cast<double>(t.aboveInputTokens) / 1000.0, 'g', 6),
                             rate(t.rates.input), rate(t.rates.output));
        if (p.periods.size() > 1) {
            const int older = static_cast<int>(p.periods.size()) - 1;
            notes << QCoreApplication::translate("djp::cli::pricing", "since %1, %n older price(s)", nullptr, older)
                         .arg(now.effective.toString(Qt::ISODate));
        }
        s << p.label.leftJustified(width) << "  " << rate(now.rates.input).rightJustified(10) << "  "
          << rate(now.rates.output).rightJustified(10) << "  "
          << (now.rates.cacheRead ? rate(*now.rates.cacheRead) : QStringLiteral("-")).rightJustified(10) << "  "
          << (now.rates.cacheWrite ? rate(*now.rates.cacheWrite) : QStringLiteral("-")).rightJustified(11) << "  "
          << (now.updated.isEmpty() ? QStringLiteral("-") : now.updated).leftJustified(10) << "  "
          << notes.join(QStringLiteral("; ")) << "\n";
    }
    s.flush();
    return Ok;
}

int importPricing(const QString& path, const QString& format)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        err() << "djp pricing import: cannot read " << path << ": " << f.errorString() << "\n";
        err().flush();
        return Failure;
    }
    const QByteArray bytes = f.readAll();
    const QString today = Clock::today().toString(Qt::ISODate);
    const bool modelsDev
        = format == QLatin1String("models.dev") || (format == QLatin1String("auto") && looksLikeModelsDev(bytes));
    QString error;
    QList<ModelPrice> entries;
    QString formatName;
    if (modelsDev) {
        const auto imported = parseModelsDev(bytes, today, &error);
        if (!imported) {
            err() << "djp pricing import: " << path << " is not a models.dev catalog: " << error << "\n";
            err().flush();
            return Failure;
        }
        out() << "Imported " << imported->entries.size() << " models from " << path << " (models.dev); skipped "
              << imported->skipped() << " (" << imported->skippedMissingCost << " without input and output cost, "
              << imported->skippedProvider << " other providers)\n";
        entries = imported->entries;
        formatName = QStringLiteral("models.dev");
    } else {
        const auto imported = parseLiteLlm(bytes, today, &error);
        if (!imported) {
            err() << "djp pricing import: " << path << " is not a LiteLLM price file: " << error << "\n";
            err().flush();
            return Failure;
        }
        out() << "Imported " << imported->entries.size() << " models from " << path << "; skipped "
              << imported->skipped() << " (" << imported->skippedSampleSpec << " sample_spec, "
              << imported->skippedMissingCost << " without input and output cost, " << imported->skippedProvider
              << " other providers, " << imported->skippedDuplicate << " duplicate labels)\n";
        entries = imported->entries;
        formatName = QStringLiteral("LiteLLM");
    }
    if (entries.isEmpty()) {
        out().flush();
        err() << "djp pricing import: nothing to import; the pricing table is unchanged\n";
        err().flush();
        return Failure;
    }
    const PricingTable merged
        = mergePricing(PricingTable::load(), entries, today, QFileInfo(path).fileName(), formatName);
    const QString written = writeUserPricing(merged, &error);
    if (written.isEmpty()) {
        out().flush();
        err() << "djp pricing import: " << error << "\n";
        err().flush();
        return Failure;
    }
    out() << "Wrote " << written << ": " << merged.entries().size() << " models, pricing id " << merged.id() << "\n";
    out().flush();
    return Ok;
}

// A non-negative token count from an option; nullopt (and a message) when malformed.
std::optional<qint64> tokens(const QCommandLineParser& parser, const QString& name)
{
    if (!parser.isSet(name))
        return 0;
    bool ok = false;
    const qint64 v = parser.value(name).toLongLong(&ok);
    if (!ok || v < 0 || v > 1'000'000'000'000LL) {
        err() << "djp pricing quote: --" << name << " must be a whole number of tokens >= 0, got \""
              << parser.value(name) << "\"\n";
        return std::nullopt;
    }
    return v;
}

int quotePricing(const QCommandLineParser& parser, const QString& label)
{
    if (!parser.isSet(QStringLiteral("input"))) {
        err() << "djp pricing quote: --input N is required (all input tokens, cached ones included)\n";
        err().flush();
        return Usage;
    }
    UsageBuckets u;
    const auto in = tokens(parser, QStringLiteral("input"));
    const auto cacheRead = tokens(parser, QStringLiteral("cache-read"));
    const auto cacheWrite = tokens(parser, QStringLiteral("cache-write"));
    const auto output = tokens(parser, QStringLiteral("output"));
    const auto reasoning = tokens(parser, QStringLiteral("reasoning"));
    if (!in || !cacheRead || !cacheWrite || !output || !reasoning) {
        err().flush();
        return Usage;
    }
    u.inputTokens = *in;
    u.cacheReadTokens = *cacheRead;
    u.cacheWriteTokens = *cacheWrite;
    u.outputTokens = *output;
    u.reasoningTokens = *reasoning;
    if (u.cacheReadTokens + u.cacheWriteTokens > u.inputTokens) {
        err() << "djp pricing quote: --cache-read and --cache-write are parts of --input (" << u.inputTokens
              << " tokens), so together they cannot exceed it\n";
        err().flush();
        return Usage;
    }
    if (u.reasoningTokens > u.outputTokens) {
        err() << "djp pricing quote: --reasoning is part of --output (" << u.outputTokens
              << " tokens: all billed output, reasoning included), so it cannot exceed it\n";
        err().flush();
        return Usage;
    }
    QDate day = Clock::today();
    if (parser.isSet(QStringLiteral("at"))) {
        day = QDate::fromString(parser.value(QStringLiteral("at")), Qt::ISODate);
        if (!day.isValid()) {
            err() << "djp pricing quote: --at must be a date YYYY-MM-DD, got \"" << parser.value(QStringLiteral("at"))
                  << "\"\n";
            err().flush();
            return Usage;
        }
    }
    const PricingTable table = loadReporting();
    const ModelPrice* model = table.find(label);
    const auto price = table.priceCall(label, u, day);
    if (!model || !price) {
        err() << "djp pricing quote: " << label << " is unpriced: it is not in the pricing table "
              << PricingTable::origin() << " (its cost is unknown, not $0; budgets count it at the most expensive "
              << "known price)\n";
        err().flush();
        return Failure;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        // Exactly the documented keys; money as JSON numbers written from exact nano-dollars.
        Json j = { { "model", ss(model->label) }, { "cost_usd", nanoToUsd(price->total) },
            { "pricing_id", ss(price->pricingId) }, { "tier", ss(price->tier) },
            { "breakdown",
                { { "input", nanoToUsd(price->input) }, { "cache_read", nanoToUsd(price->cacheRead) },
                    { "cache_write", nanoToUsd(price->cacheWrite) }, { "output", nanoToUsd(price->output) } } } };
        out() << QString::fromStdString(j.dump()) << "\n";
        out().flush();
        return Ok;
    }
    const PricePeriod& period = model->at(day);
    const PriceRates* rates = &period.rates;
    for (const PriceTier& t : period.tiers) {
        if (t.name() == price->tier)
            rates = &t.rates;
    }
    QTextStream& s = out();
    s << model->label << ": " << usd(price->total) << " at the rates in force on " << day.toString(Qt::ISODate)
      << " (pricing " << price->pricingId << ")\n";
    s << "  rates: " << (price->tier.isEmpty() ? QStringLiteral("base") : price->tier) << ", effective "
      << (period.effective.isValid() ? period.effective.toString(Qt::ISODate) : QStringLiteral("since always"))
      << "; source: " << period.source << "\n";
    auto line = [&](const char* name, qint64 n, RatePerM r, NanoUsd cost, const QString& note = {}) {
        s << "  " << QString::fromLatin1(name).leftJustified(12) << QString::number(n).rightJustified(12)
          << " tokens x $" << rate(r) << "/1M = " << usd(cost) << note << "\n";
    };
    line("input", u.uncachedInputTokens(), rates->input, price->input, QStringLiteral(" (uncached part)"));
    line("cache read", u.cacheReadTokens, rates->cacheReadRate(), price->cacheRead);
    line("cache write", u.cacheWriteTokens, rates->cacheWriteRate(), price->cacheWrite);
    line("output", u.outputTokens, rates->output, price->output,
        u.reasoningTokens > 0 ? QStringLiteral(" (%1 of them reasoning)").arg(u.reasoningTokens) : QString());
    s.flush();
    return Ok;
}

int runPricing(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Show the pricing table (USD per 1M tokens), import LiteLLM's "
                       "model_prices_and_context_window.json or a models.dev api.json into the user override "
                       "%1/pricing.json, or quote the price of one call.")
            .arg(configDir()));
    addCommonOptions(parser);
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("show (default), import or quote"),
        QStringLiteral("[show | import FILE | quote VENDOR/MODEL]"));
    parser.addOptions({
        { QStringLiteral("json"), QStringLiteral("show, quote: print JSON.") },
        { QStringLiteral("format"), QStringLiteral("import: litellm, models.dev or auto (default)."),
            QStringLiteral("FORMAT"), QStringLiteral("auto") },
        { QStringLiteral("input"), QStringLiteral("quote: all input tokens, cached ones included."),
            QStringLiteral("N") },
        { QStringLiteral("cache-read"), QStringLiteral("quote: part of the input read from the prompt cache."),
            QStringLiteral("N") },
        { QStringLiteral("cache-write"), QStringLiteral("quote: part of the input written to the prompt cache."),
            QStringLiteral("N") },
        { QStringLiteral("output"), QStringLiteral("quote: all billed output tokens, reasoning included."),
            QStringLiteral("N") },
        { QStringLiteral("reasoning"), QStringLiteral("quote: the reasoning part of the output (informational)."),
            QStringLiteral("N") },
        { QStringLiteral("at"), QStringLiteral("quote: price at the rates in force on this day (default today)."),
            QStringLiteral("YYYY-MM-DD") },
    });
    int code = Ok;
    if (!parseOrExplain(parser, args, code))
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.isEmpty() || (pos.size() == 1 && pos.first() == QLatin1String("show")))
        return showPricing(parser.isSet(QStringLiteral("json")));
    if (pos.first() == QLatin1String("import") && pos.size() == 2) {
        const QString format = parser.value(QStringLiteral("format"));
        if (format != QLatin1String("auto") && format != QLatin1String("litellm")
            && format != QLatin1String("models.dev")) {
            err() << "djp pricing import: --format must be litellm, models.dev or auto\n";
            err().flush();
            return Usage;
        }
        return importPricing(pos.at(1), format);
    }
    if (pos.first() == QLatin1String("quote") && pos.size() == 2)
        return quotePricing(parser, pos.at(1));
    err() << "djp pricing: expected 'show', 'import FILE' or 'quote VENDOR/MODEL --input N'\n\n" << parser.helpText();
    err().flush();
    return Usage;
}

} // namespace

DJP_COMMAND("pricing", "Show the pricing table, import LiteLLM or models.dev prices, quote a call", runPricing);
