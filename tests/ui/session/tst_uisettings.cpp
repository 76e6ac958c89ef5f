// Settings round trip through an INI file in a temp dir.
#include "session/settings.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace djp;

class TestUiSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("studio.ini"));
        FilterState f;
        f.range = TimeRange::Custom;
        f.customFrom = QDateTime(QDate(2026, 3, 29), QTime(1, 30)); // the night of a DST change in Europe
        f.customTo = QDateTime(QDate(2026, 4, 2), QTime(18, 0));
        f.preset = QStringLiteral("deep");
        f.provider = QStringLiteral("anthropic/claude-3-5-sonnet-20240620");
        f.status = QStringLiteral("advisory_only");
        f.groundedOnly = true;
        f.redactedOnly = true;
        f.search = QStringLiteral("rollout \"quoted\", commas");
        {
            QSettings store(ini, QSettings::IniFormat);
            Settings s(&store);
            QVERIFY(s.windowGeometry().isEmpty());
            QCOMPARE(s.filters(), FilterState {}); // defaults: last 7 days, nothing else
            s.setWindowGeometry("geometry-bytes");
            s.setWindowState("state-bytes");
            s.setSplitterState("splitter-bytes");
            s.setRunsHeaderState("header-bytes");
            s.setLastFolder(QStringLiteral("/data/runs"));
            s.setFilters(f);
            s.setLastTab(QStringLiteral("runs"));
            for (int i = 0; i < Settings::kMaxRecentFolders + 3; ++i)
                s.addRecentFolder(QStringLiteral("/data/runs-%1").arg(i));
            s.addRecentFolder(QStringLiteral("/data/runs-4/")); // duplicate, differently spelled
            // What 0.1 wrote (base64 in the settings); 0.2 only reads it to move it to SecretStore.
            store.setValue(QStringLiteral("alerts/webhook"),
                QByteArray("https://hooks.example.com/services/T000/B000/SECRETTOKEN").toBase64());
            s.sync();
        }
        QSettings store(ini, QSettings::IniFormat);
        Settings s(&store);
        QCOMPARE(s.windowGeometry(), QByteArray("geometry-bytes"));
        QCOMPARE(s.windowState(), QByteArray("state-bytes"));
        QCOMPARE(s.splitterState(), QByteArray("splitter-bytes"));
        QCOMPARE(s.runsHeaderState(), QByteArray("header-bytes"));
        QCOMPARE(s.lastFolder(), QStringLiteral("/data/runs"));
        QCOMPARE(s.lastTab(), QStringLiteral("runs"));
        const FilterState back = s.filters();
        QCOMPARE(back.range, TimeRange::Custom);
        QCOMPARE(back.customFrom, f.customFrom);
        QCOMPARE(back.customTo, f.customTo);
        QCOMPARE(back, f);
        QCOMPARE(back.toRunFilter(), f.toRunFilter());
        const QStringList recent = s.recentFolders();
        QCOMPARE(recent.size(), Settings::kMaxRecentFolders);
        QCOMPARE(recent.first(), QStringLiteral("/data/runs-4"));
        QCOMPARE(recent.count(QStringLiteral("/data/runs-4")), 1);
        QCOMPARE(recent.at(1), QStringLiteral("/data/runs-10"));
        QCOMPARE(s.legacyAlertWebhookUrl(), QStringLiteral("https://hooks.example.com/services/T000/B000/SECRETTOKEN"));
        s.removeLegacyAlertWebhookUrl();
        s.sync();
        QVERIFY(s.legacyAlertWebhookUrl().isEmpty());
        QFile file(ini);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("alerts"));
    }

    void staleStateVersionIsIgnored()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("old.ini"));
        {
            QSettings store(ini, QSettings::IniFormat);
            store.setValue(QStringLiteral("window/stateVersion"), Settings::kStateVersion + 1);
            store.setValue(QStringLiteral("window/geometry"), QByteArray("from-a-future-layout"));
            store.setValue(QStringLiteral("window/runsHeader"), QByteArray("header"));
        }
        QSettings store(ini, QSettings::IniFormat);
        Settings s(&store);
        QVERIFY(s.windowGeometry().isEmpty());
        QVERIFY(s.runsHeaderState().isEmpty());
        s.setWindowGeometry("new");
        QCOMPARE(s.windowGeometry(), QByteArray("new"));
        QVERIFY(s.runsHeaderState().isEmpty()); // the other stale blob was dropped, not revived
    }

    void filterStateToRunFilter()
    {
        FilterState f;
        QCOMPARE(f.toRunFilter().lastMs, std::optional<qint64>(7ll * 24 * 3600 * 1000));
        f.range = TimeRange::All;
        QVERIFY(!f.toRunFilter().lastMs);
        QVERIFY(!f.toRunFilter().custom);
        QVERIFY(!f.windowSpanMs());
        f.range = TimeRange::Custom;
        f.customFrom = QDateTime(QDate(2026, 1, 10), QTime(8, 0));
        const RunFilter rf = f.toRunFilter();
        QVERIFY(rf.custom);
        QCOMPARE(*rf.fromMs, f.customFrom.toMSecsSinceEpoch()); // local wall time -> UTC ms
        QVERIFY(!rf.toMs);
        f.search = QStringLiteral("  padded  ");
        QCOMPARE(f.toRunFilter().search, QStringLiteral("padded"));
        QCOMPARE(timeRangeFromKey(timeRangeKey(TimeRange::Last90d)), std::optional<TimeRange>(TimeRange::Last90d));
        QVERIFY(!timeRangeFromKey(QStringLiteral("5y")));
    }
};

QTEST_MAIN(TestUiSettings)
#include "tst_uisettings.moc"
