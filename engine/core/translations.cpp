#include "core/translations.h"

#include "core/log.h"

#include <QCoreApplication>
#include <QTranslator>

namespace djp {

bool installTranslations(QCoreApplication& app)
{
    auto* translator = new QTranslator(&app);
    // Compiled from translations/djp_en.ts by the build (engine/core/CMakeLists.txt).
    if (!translator->load(QStringLiteral(":/djp/i18n/djp_en.qm"))) {
        logger("core")->warn("the English plural forms are missing from this build; counts read \"(s)\"");
        delete translator;
        return false;
    }
    return QCoreApplication::installTranslator(translator);
}

} // namespace djp
