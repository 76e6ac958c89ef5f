// djp pricing [show | import FILE] (SPEC §10): shows the pricing table in use, or merges a LiteLLM
// model_prices_and_context_window.json into the user's override (configDir()/pricing.json).
#include "cli.h"

#include "core/paths.h"
#include "pricing/litellmimport.h"
#include "pricing/pricingtable.h"

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

int showPricing()
{
    QString problem;
    const PricingTable table = PricingTable::load(&problem);
    if (!problem.isEmpty())
        err() << "djp pricing: " << problem << "\n";
    QTextStream& s = out();
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
                         .arg(t.aboveInputTokens / 1000)
                         .arg(rate(t.rates.input), rate(t.rates.output));
        if (p.periods.size() > 1)
            notes << QStringLiteral("since %1, %2 older price(s)")
                         .arg(now.effective.toString(Qt::ISODate))
                         .arg(p.periods.size() - 1);
        s << p.label.leftJustified(width) << "  " << rate(now.rates.input).rightJustified(10) << "  "
          << rate(now.rates.output).rightJustified(10) << "  "
          << (now.rates.cacheRead ? rate(*now.rates.cacheRead) : QStringLiteral("-")).rightJustified(10) << "  "
          << (now.rates.cacheWrite ? rate(*now.rates.cacheWrite) : QStringLiteral("-")).rightJustified(11) << "  "
          << (now.updated.isEmpty() ? QStringLiteral("-") : now.updated).leftJustified(10) << "  "
          << notes.join(QStringLiteral("; ")) << "\n";
    }
    s.flush();
    err().flush();
    return Ok;
}

int importPricing(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        err() << "djp pricing import: cannot read " << path << ": " << f.errorString() << "\n";
        err().flush();
        return Failure;
    }
    const QString today = QDate::currentDate().toString(Qt::ISODate);
    QString error;
    const auto imported = parseLiteLlm(f.readAll(), today, &error);
    if (!imported) {
        err() << "djp pricing import: " << path << " is not a LiteLLM price file: " << error << "\n";
        err().flush();
        return Failure;
    }
    out() << "Imported " << imported->entries.size() << " models from " << path << "; skipped " << imported->skipped()
          << " (" << imported->skippedSampleSpec << " sample_spec, " << imported->skippedMissingCost
          << " without input and output cost, " << imported->skippedProvider << " other providers, "
          << imported->skippedDuplicate << " duplicate labels)\n";
    if (imported->entries.isEmpty()) {
        out().flush();
        err() << "djp pricing import: nothing to import; the pricing table is unchanged\n";
        err().flush();
        return Failure;
    }
    const PricingTable merged
        = mergePricing(PricingTable::load(), imported->entries, today, QFileInfo(path).fileName());
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

int runPricing(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Show the pricing table (USD per 1M tokens), or import LiteLLM's "
                       "model_prices_and_context_window.json into the user override %1/pricing.json.")
            .arg(configDir()));
    addCommonOptions(parser);
    parser.addPositionalArgument(
        QStringLiteral("action"), QStringLiteral("show (default) or import"), QStringLiteral("[show | import FILE]"));
    int code = Ok;
    if (!parseOrExplain(parser, args, code))
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.isEmpty() || (pos.size() == 1 && pos.first() == QLatin1String("show")))
        return showPricing();
    if (pos.first() == QLatin1String("import") && pos.size() == 2)
        return importPricing(pos.at(1));
    err() << "djp pricing: expected 'show' or 'import FILE'\n\n" << parser.helpText();
    err().flush();
    return Usage;
}

} // namespace

DJP_COMMAND("pricing", "Show the pricing table or import LiteLLM prices", runPricing);
