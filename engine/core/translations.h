#pragma once
// Count-dependent wording (docs/architecture.md, "Plurals"): the code writes each such message once,
// with %n, e.g. tr("%n run(s)", nullptr, n); the compiled-in English translation
// (translations/djp_en.ts) gives its singular and plural forms, "1 run" and "2 runs". Every program
// installs it right after creating its application object, whatever the user's locale.
class QCoreApplication;

namespace djp {

// Installs the English forms on `app` (the translator is a child of it). False, with a warning in the
// log, if the compiled-in translation is missing: the texts then read "run(s)".
bool installTranslations(QCoreApplication& app);

} // namespace djp
