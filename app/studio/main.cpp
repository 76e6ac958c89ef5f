// djp-studio: the desktop application (docs/gui.md and docs/cli.md).
//   djp-studio [--runs-dir DIR] [--tab NAME] [--screenshot FILE.png] [--size WxH] [--palette light|dark]
//              [--settings FILE.ini] [--benchmark] [--demo] [--db URL]
#include "benchmark.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/strings.h"
#include "core/translations.h"
#include "screenshot.h"
#include "session/runsession.h"
#include "session/settings.h"
#include "team/pgconnection.h"
#include "widgets/alertspage.h"
#include "widgets/launchpage.h"
#include "widgets/mainwindow.h"
#include "widgets/palettes.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QIcon>
#include <QSettings>
#include <QTimer>
#include <cstdio>
#include <memory>

int main(int argc, char* argv[])
{
    QElapsedTimer startClock;
    startClock.start();

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("djp-studio"));
    QApplication::setApplicationName(QStringLiteral("djp-studio"));
    QApplication::setApplicationDisplayName(QStringLiteral("DJP Studio"));
    QApplication::setApplicationVersion(QStringLiteral(DJP_VERSION));
    QApplication::setDesktopFileName(QStringLiteral(DJP_APP_ID));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral(DJP_APP_ID)));
    djp::initLogging();
    djp::installQtMessageForwarding();
    djp::installTranslations(app); // "1 run", "2 runs" (docs/architecture.md, "Plurals")

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "DJP Studio: Debate → Judge → Publish runs, costs and quality"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption runsDirOption(QStringLiteral("runs-dir"),
        QApplication::translate("main", "Runs folder (default: $DJP_RUNS_DIR, else the last folder, else ./runs)."),
        QStringLiteral("DIR"));
    const QCommandLineOption tabOption(QStringLiteral("tab"),
        QApplication::translate("main", "Tab to show: dashboard, runs, inspector, launch or alerts."),
        QStringLiteral("NAME"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
        QApplication::translate(
            "main", "Open at 1400x900, wait until the runs are loaded and drawn, save the window as PNG and exit."),
        QStringLiteral("FILE.png"));
    const QCommandLineOption settingsOption(QStringLiteral("settings"),
        QApplication::translate("main", "Read and write settings in this INI file instead of the user's settings."),
        QStringLiteral("FILE.ini"));
    const QCommandLineOption benchmarkOption(QStringLiteral("benchmark"),
        QApplication::translate("main",
            "Measure start-up, load, GUI stalls, filter latency and memory on the runs folder, print them and exit."));
    const QCommandLineOption demoOption(QStringLiteral("demo"),
        QApplication::translate("main",
            "Create six simulated demo runs in the runs folder (offline, no cost, marked simulated) without asking."));
    const QCommandLineOption sizeOption(QStringLiteral("size"),
        QApplication::translate("main", "Window size, e.g. 1024x700 (default 1400x900 for --screenshot)."),
        QStringLiteral("WxH"));
    const QCommandLineOption paletteOption(QStringLiteral("palette"),
        QApplication::translate("main", "Colour scheme: light or dark (default: the system's)."),
        QStringLiteral("NAME"));
    const QCommandLineOption dbOption(QStringLiteral("db"),
        QApplication::translate("main",
            "Show the team history in this PostgreSQL database (libpq URL; empty: $DJP_DB_URL) instead of the runs "
            "folder. Prefer ~/.pgpass to a password in the URL."),
        QStringLiteral("URL"));
    parser.addOptions({ runsDirOption, tabOption, screenshotOption, sizeOption, paletteOption, settingsOption,
        benchmarkOption, demoOption, dbOption });
    parser.process(app);

    QSize windowSize(1400, 900);
    if (parser.isSet(sizeOption)) {
        const QStringList wh = parser.value(sizeOption).toLower().split(u'x');
        const int w = wh.value(0).toInt();
        const int h = wh.value(1).toInt();
        if (wh.size() != 2 || w < 320 || h < 240) {
            std::fprintf(stderr, "djp-studio: --size expects WIDTHxHEIGHT, at least 320x240 (got '%s')\n",
                qPrintable(parser.value(sizeOption)));
            return 2;
        }
        windowSize = QSize(w, h);
    }
    if (parser.isSet(paletteOption)) {
        const QString name = parser.value(paletteOption).toLower();
        if (name != QLatin1String("light") && name != QLatin1String("dark")) {
            std::fprintf(stderr, "djp-studio: --palette expects light or dark (got '%s')\n",
                qPrintable(parser.value(paletteOption)));
            return 2;
        }
        // Fusion draws every widget from the palette, so both schemes look as the palette says; the
        // palette style only makes check boxes and radio buttons visible on a dark window.
        QApplication::setStyle(djp::createPaletteStyle());
        QApplication::setPalette(name == QLatin1String("dark") ? djp::darkPalette() : djp::lightPalette());
    }

    std::optional<djp::MainWindow::Tab> tab;
    if (parser.isSet(tabOption)) {
        tab = djp::MainWindow::tabFromName(parser.value(tabOption));
        if (!tab) {
            std::fprintf(stderr,
                "djp-studio: unknown tab '%s' (expected dashboard, runs, inspector, launch or alerts)\n",
                qPrintable(parser.value(tabOption)));
            return 2;
        }
    }

    std::unique_ptr<QSettings> store = parser.isSet(settingsOption)
        ? std::make_unique<QSettings>(parser.value(settingsOption), QSettings::IniFormat)
        : std::make_unique<QSettings>();
    djp::Settings settings(store.get());

    djp::MainWindow window(&settings);
    auto* launchPage = new djp::LaunchPage(window.session());
    launchPage->setMessageBar(window.messageBar());
    window.setLaunchPage(launchPage);
    djp::AlertsPage::install(&window);
    const QString runsDir = djp::resolveRunsDir(parser.value(runsDirOption), settings.lastFolder());
    // The team history replaces the folder as what is shown; the folder still receives launched runs.
    const QString dbUrl = parser.isSet(dbOption) ? djp::dbUrlFromOptionOrEnv(parser.value(dbOption)) : QString();
    if (parser.isSet(dbOption) && dbUrl.trimmed().isEmpty()) {
        std::fprintf(stderr, "djp-studio: --db needs a database URL (or $DJP_DB_URL)\n");
        return 2;
    }
    // With --db the runs folder is not read, only named: launched runs are written there.
    const auto openSource = [&window, runsDir, dbUrl] {
        if (dbUrl.isEmpty()) {
            window.openFolder(runsDir);
            return;
        }
        window.session()->setLocalRunsDir(runsDir);
        window.openTeamHistory(dbUrl);
    };
    if (tab)
        window.showTab(*tab);

    if (parser.isSet(sizeOption))
        window.resize(windowSize);
    if (parser.isSet(screenshotOption)) {
        window.resize(windowSize);
        auto* shot = new djp::ScreenshotDriver(&window, parser.value(screenshotOption), &app);
        QObject::connect(shot, &djp::ScreenshotDriver::done, &app, [](int code) { QCoreApplication::exit(code); });
        window.show();
        QTimer::singleShot(0, &window, [shot, openSource] {
            shot->start();
            openSource();
        });
        return app.exec();
    }

    if (parser.isSet(benchmarkOption)) {
        window.resize(1400, 900);
        auto* bench = new djp::BenchmarkDriver(&window, startClock, &app);
        QObject::connect(bench, &djp::BenchmarkDriver::done, &app, [](int code) { QCoreApplication::exit(code); });
        bench->watchFirstPaint();
        window.show();
        QTimer::singleShot(0, &window, [bench, openSource] {
            bench->start();
            openSource();
        });
        return app.exec();
    }

    window.show();
    // Load after the window is on screen: the first frame never waits for the runs folder.
    const bool demo = parser.isSet(demoOption);
    QTimer::singleShot(0, &window, [openSource, launchPage, demo] {
        openSource();
        if (demo)
            launchPage->createDemoRuns();
    });
    djp::logger("ui")->info("window shown after {} ms", startClock.elapsed());
    return app.exec();
}
