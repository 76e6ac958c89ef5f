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
        for (const char* key : { "generation_s", "cold_load_s", "cold_records_per_s", "cold_mb_per_s", "index_write_s",
                 "warm_load_s", "filter_kpi_ms", "peak_rss_mb" })
            QVERIFY2(j.value(QLatin1String(key)).toDouble() > 0, key);
        QCOMPARE(j.value(QLatin1String("files")).toInt(), 1500);
        QCOMPARE(j.value(QLatin1String("records")).toInt() + j.value(QLatin1String("problems")).toInt(), 1500);
        QVERIFY(j.value(QLatin1String("generated")).toBool());
        QCOMPARE(QDir(dir).entryList({ QStringLiteral("*.json") }, QDir::Files).isEmpty(), false); // kept

        // The same folder again: reused, not regenerated; text output has one line per figure.
        p.reset(run({ QStringLiteral("--dir"), dir }));
        QCOMPARE(p->exitCode(), 0);
        const QString text = QString::fromUtf8(p->readAllStandardOutput());
        QVERIFY(!text.contains(QLatin1String("Generate")));
        for (const char* label :
            { "Cold load, no index", "Warm reopen with index", "Filter change + KPI recompute", "Peak RSS" })
            QVERIFY2(text.contains(QLatin1String(label)), qPrintable(text));
    }

    void usageErrors()
    {
        std::unique_ptr<QProcess> p(run({ QStringLiteral("--runs"), QStringLiteral("zero") }));
        QCOMPARE(p->exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(TestBenchCli)
#include "tst_bench_cli.moc"
