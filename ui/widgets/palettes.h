#pragma once
// Explicit light and dark palettes (djp-studio --palette, screenshots, tests of both themes). The
// application otherwise follows the system palette.
#include <QColor>
#include <QPalette>

class QStyle;

namespace djp {

QPalette lightPalette();
QPalette darkPalette();

// The style used with those palettes: Fusion, except that check box and radio button indicators get a
// border with at least 3:1 contrast against the window (WCAG's minimum for controls). Fusion derives
// that border from the window colour, which leaves it nearly invisible on a dark window. The caller
// owns the style (QApplication::setStyle takes it).
QStyle* createPaletteStyle();
// That border colour for a palette: mid grey, darker on light windows, lighter on dark ones.
QColor indicatorBorderColor(const QPalette& palette);
// WCAG 2 contrast ratio of two colours (1 to 21).
double contrastRatio(const QColor& a, const QColor& b);

} // namespace djp
