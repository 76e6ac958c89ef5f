#pragma once
// The app's status colours, defined once: success (published, OK, within budget), warning (advisory,
// near a limit), failure (no publish, critical, blocked) and neutral. Charts, tables, the Launch tab
// and the alerts use these; palettes.cpp keeps only the window colours of the light and dark themes.
#include <QColor>
#include <QGuiApplication>
#include <QPalette>
#include <QString>

namespace djp::tone {

inline constexpr QRgb kGoodRgb = 0x28a745;
inline constexpr QRgb kWarningRgb = 0xffc107;
inline constexpr QRgb kBadRgb = 0xdc3545;
inline constexpr QRgb kNeutralRgb = 0x9e9e9e;
inline constexpr QRgb kStoppedRgb = 0x6c757d; // cancelled: the user stopped it, nothing went wrong

inline QColor good()
{
    return QColor::fromRgb(kGoodRgb);
}
inline QColor warning()
{
    return QColor::fromRgb(kWarningRgb);
}
inline QColor bad()
{
    return QColor::fromRgb(kBadRgb);
}
inline QColor neutral()
{
    return QColor::fromRgb(kNeutralRgb);
}

inline QColor stopped()
{
    return QColor::fromRgb(kStoppedRgb);
}

// Text on a status fill (the amber badge, the gauge): near-black reads on all three tones.
inline QColor textOnFill()
{
    return QColor(0x21, 0x25, 0x29);
}

// Amber is unreadable as text on light rows: a dark amber that reads on light and dark rows alike.
inline QColor warningOnRows()
{
    return QColor(0xb3, 0x86, 0x00);
}

// Warning text on the window background: a darker shade on a light theme, amber itself on a dark one.
inline QColor warningText()
{
    return QGuiApplication::palette().color(QPalette::Base).lightness() > 128 ? QColor(0x9a, 0x6b, 0x00) : warning();
}

// "#rrggbb" for rich text and style sheets.
inline QString css(const QColor& c)
{
    return c.name(QColor::HexRgb);
}

} // namespace djp::tone
