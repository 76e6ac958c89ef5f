// `djp bench` end to end (small folder): every figure is printed, JSON is well-formed, a generated
// --dir folder is kept and reused.
#include "testpaths.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestBenchCli : public QObject
{
    Q_OBJECT

private:
    static QProcess* run(const QStringList& args)
    {
        auto* p = new QProcess;
        p->start(djp::test::cliPath(), QStringList { QStringLiteral("bench") } + args);
        p->waitForFinished(110000);
        return p;
    }

private Q_SLOTS:
    void jsonFiguresAndReuse()
    {
        QTemporaryDir cache, runs;
        qputenv("DJP_CACHE_DIR", cache.path().toUtf8());
        const QString dir = runs.filePath(QStringLiteral("gen"));
        std::unique_ptr<QProcess> p(run({ QStringLiteral("--runs"), QStringLiteral("1500"), QStringLiteral("--dir"),
            dir, QStringLiteral("--json") }));
        QCOMPARE(p->exitCode(), 0);
        const QJsonObject j = QJsonDocument::fromJson(p->readAllStandardOutput()).object();
        // Both folder shapes by default, each in its own sub-folder, every figure prefixed with it.
        for (const char* shape : { "legacy", "current" }) {
            const QString px = QLatin1String(shape) + QLatin1Char('_');
            for (const char* key : { "generation_s", "cold_load_kpis_s", "cold_load_s", "cold_records_per_s",
                     "cold_mb_per_s", "index_write_s", "warm_load_s", "filter_kpi_ms", "peak_rss_mb" })
                QVERIFY2(j.value(px + QLatin1String(key)).toDouble() > 0, qPrintable(px + QLatin1String(key)));
            // Each phase's own peak where the kernel can reset it (Linux): never above the process's peak.
            for (const char* key : { "cold_peak_rss_mb", "index_write_peak_rss_mb", "warm_peak_rss_mb" }) {
                if (j.contains(px + QLatin1String(key))) {
                    const double phase = j.value(px + QLatin1String(key)).toDouble();
                    QVERIFY2(phase > 0 && phase <= j.value(px + QLatin1String("peak_rss_mb")).toDouble() + 0.01, key);
                }
            }
            QCOMPARE(j.value(px + QLatin1String("files")).toInt(), 1500);
            QCOMPARE(
                j.value(px + QLatin1String("records")).toInt() + j.value(px + QLatin1String("problems")).toInt(), 1500);
            QVERIFY(j.value(px + QLatin1String("generated")).toBool());
            QVERIFY(!QDir(dir + QLatin1Char('/') + QLatin1String(shape))
                         .entryList({ QStringLiteral("*.json") }, QDir::Files)
                         .isEmpty()); // kept
        }

        // One shape, the legacy folder again: reused, not regenerated, with the legacy loader run on
        // the same folder beside it; text output has one line per figure.
        const QString loader = djp::test::dataDir() + QStringLiteral("/../../bench/legacy_loader.py");
        p.reset(run({ QStringLiteral("--dir"), dir + QStringLiteral("/legacy"), QStringLiteral("--shape"),
            QStringLiteral("legacy"), QStringLiteral("--repeat"), QStringLiteral("1"),
            QStringLiteral("--legacy-loader"), loader }));
        QCOMPARE(p->exitCode(), 0);
        const QString text = QString::fromUtf8(p->readAllStandardOutput());
        QVERIFY(!text.contains(QLatin1String("Generate")));
        QVERIFY(!text.contains(QLatin1String("[current]")));
        for (const char* label : { "[legacy] Cold load + KPIs, no index", "[legacy] Warm reopen with index",
                 "[legacy] Filter change + KPI recompute", "[legacy] Peak RSS", "[legacy] Legacy Python loader",
                 "[legacy] Legacy loader time / our cold load + KPIs" })
            QVERIFY2(text.contains(QLatin1String(label)), qPrintable(text));
    }

    void usageErrors()
    {
        std::unique_ptr<QProcess> p(run({ QStringLiteral("--runs"), QStringLiteral("zero") }));
        QCOMPARE(p->exitCode(), 2);
        p.reset(run({ QStringLiteral("--shape"), QStringLiteral("square") }));
        QCOMPARE(p->exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(TestBenchCli)
#include "tst_bench_cli.moc"
