#pragma once
// A stable text dump of KPI JSON (as printed by `djp metrics --json` or kpisToOrderedJson) and of
// problems, compared with tests/data/golden/*.txt by the engine golden test and the CLI test alike.
// Numbers: integers as is, other numbers with 6 decimals; objects one line per entry, in order.
#include "metrics/kpis.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>

namespace djp::test {

inline QString dumpScalar(const OrderedJson& v)
{
    if (v.is_boolean())
        return v.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.is_number_integer())
        return QString::number(v.get<qint64>());
    if (v.is_number())
        return QString::number(v.get<double>(), 'f', 6);
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    return QString::fromStdString(v.dump());
}

// `problems`: (file name relative to the runs folder, code) pairs, any order.
inline QString dumpKpis(const OrderedJson& kpis, QList<QPair<QString, QString>> problems)
{
    QString out;
    for (const QString& key : kpiKeys()) {
        const std::string k = key.toStdString();
        if (!kpis.contains(k)) {
            out += key + QStringLiteral(" = MISSING\n");
            continue;
        }
        const OrderedJson& v = kpis.at(k);
        if (v.is_object()) {
            out += key + QStringLiteral(" = {") + QString::number(v.size()) + QStringLiteral("}\n");
            for (auto it = v.begin(); it != v.end(); ++it)
                out += key + QLatin1Char('[') + QString::fromStdString(it.key()) + QStringLiteral("] = ")
                    + dumpScalar(it.value()) + QLatin1Char('\n');
        } else {
            out += key + QStringLiteral(" = ") + dumpScalar(v) + QLatin1Char('\n');
        }
    }
    std::sort(problems.begin(), problems.end());
    out += QStringLiteral("problems = %1\n").arg(problems.size());
    for (const auto& [file, code] : problems)
        out += QStringLiteral("problem[%1] = %2\n").arg(file, code);
    return out;
}

// Compares with the golden file; on mismatch writes `<actualDir>/<name>.actual` and shows a diff.
inline bool compareWithGolden(
    const QString& actual, const QString& goldenPath, const QString& actualDir, QString* message)
{
    QFile f(goldenPath);
    const QString expected = f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    if (actual == expected)
        return true;
    const QString actualPath = QDir(actualDir).filePath(QFileInfo(goldenPath).fileName() + QStringLiteral(".actual"));
    QFile a(actualPath);
    if (a.open(QIODevice::WriteOnly | QIODevice::Truncate))
        a.write(actual.toUtf8());
    a.close();
    QProcess diff;
    diff.start(QStringLiteral("diff"), { QStringLiteral("-u"), goldenPath, actualPath });
    diff.waitForFinished(10000);
    *message = QStringLiteral("KPIs differ from %1; actual written to %2\n%3")
                   .arg(goldenPath, actualPath, QString::fromUtf8(diff.readAllStandardOutput()));
    return false;
}

} // namespace djp::test
