#pragma once
// Explicit light and dark palettes (djp-studio --palette, screenshots, tests of both themes). The
// application otherwise follows the system palette.
#include <QPalette>

namespace djp {

QPalette lightPalette();
QPalette darkPalette();

} // namespace djp
