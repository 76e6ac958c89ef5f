// Linked into every test program (tests/CMakeLists.txt, djp_add_test): the application object a test
// creates gets the English plural forms, as djp and djp-studio install them in main(), so texts
// read "1 run" and "2 runs" in tests exactly as in the programs.
#include "core/translations.h"

#include <QCoreApplication>

namespace {

void installProductTranslations()
{
    djp::installTranslations(*QCoreApplication::instance());
}

} // namespace

Q_COREAPP_STARTUP_FUNCTION(installProductTranslations)
