// djp pricing [show | import FILE] (SPEC §10): shows the pricing table in use, or merges a LiteLLM
// model_prices_and_context_window.json into the user's override (configDir()/pricing.json).
#include "cli.h"
#include "core/clock.h"

#include "core/paths.h"
#include "pricing/litellmimport.h"
#include "pricing/pricingtable.h"

#include <QDate>
#include <QFile>
#include <QFileInfo>

using namespace djp;
using namespace djp::cli;

namespace {

QString price(double v)
{
    return QString::number(v, 'g', 6);
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
      << QStringLiteral("output").rightJustified(10) << "  " << QStringLiteral("cached").rightJustified(10)
      << "  updated\n";
    for (const ModelPrice& p : table.entries()) {
        s << p.label.leftJustified(width) << "  " << price(p.input).rightJustified(10) << "  "
          << price(p.output).rightJustified(10) << "  "
          << (p.cachedInput ? price(*p.cachedInput) : QStringLiteral("-")).rightJustified(10) << "  "
          << (p.updated.isEmpty() ? QStringLiteral("-") : p.updated) << "\n";
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
    const QString today = Clock::today().toString(Qt::ISODate);
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
