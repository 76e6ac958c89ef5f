#include "widgets/palettes.h"

#include <QPainter>
#include <QProxyStyle>
#include <QStyleFactory>
#include <QStyleOption>
#include <cmath>

namespace djp {

namespace {

class PaletteStyle : public QProxyStyle
{
public:
    PaletteStyle()
        : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion")))
    { }

    void drawPrimitive(
        PrimitiveElement element, const QStyleOption* option, QPainter* painter, const QWidget* widget) const override
    {
        QProxyStyle::drawPrimitive(element, option, painter, widget);
        // Fusion draws item-view checks through PE_IndicatorCheckBox, so this covers tables and menus too.
        if (element != PE_IndicatorCheckBox && element != PE_IndicatorRadioButton)
            return;
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, element == PE_IndicatorRadioButton);
        QPen pen(indicatorBorderColor(option->palette));
        pen.setCosmetic(true);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        const QRect r = option->rect.adjusted(0, 0, -1, -1);
        if (element == PE_IndicatorRadioButton)
            painter->drawEllipse(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5));
        else
            painter->drawRect(r);
        painter->restore();
    }
};

double relativeLuminance(const QColor& c)
{
    const auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

} // namespace

QStyle* createPaletteStyle()
{
    return new PaletteStyle;
}

QColor indicatorBorderColor(const QPalette& palette)
{
    const bool darkWindow = palette.color(QPalette::Window).lightness() < 128;
    return darkWindow ? QColor(0xa0, 0xa0, 0xa0) : QColor(0x76, 0x76, 0x76);
}

double contrastRatio(const QColor& a, const QColor& b)
{
    const double la = relativeLuminance(a), lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

namespace {

// Each role's colour in the light and the dark theme, side by side. Disabled text roles get their own
// grey; BrightText is set in the dark theme only (darkPalette).
struct RoleColors
{
    QPalette::ColorGroup group;
    QPalette::ColorRole role;
    QRgb light;
    QRgb dark;
};

constexpr RoleColors kRoleColors[] = {
    { QPalette::All, QPalette::Window, 0xefefef, 0x2b2b2b },
    { QPalette::All, QPalette::WindowText, 0x1f1f1f, 0xeeeeee },
    { QPalette::All, QPalette::Base, 0xffffff, 0x1e1e1e },
    { QPalette::All, QPalette::AlternateBase, 0xf5f5f5, 0x2a2a2a },
    { QPalette::All, QPalette::Text, 0x1f1f1f, 0xeeeeee },
    { QPalette::All, QPalette::Button, 0xefefef, 0x353535 },
    { QPalette::All, QPalette::ButtonText, 0x1f1f1f, 0xeeeeee },
    { QPalette::All, QPalette::Highlight, 0x308cc6, 0x3d8ee6 },
    { QPalette::All, QPalette::HighlightedText, 0xffffff, 0xffffff },
    { QPalette::All, QPalette::ToolTipBase, 0xffffdc, 0x353535 },
    { QPalette::All, QPalette::ToolTipText, 0x000000, 0xeeeeee },
    { QPalette::All, QPalette::PlaceholderText, 0x808080, 0xa0a0a0 },
    { QPalette::All, QPalette::Link, 0x1a5fb4, 0x6cb6ff },
    { QPalette::Disabled, QPalette::Text, 0x9a9a9a, 0x7a7a7a },
    { QPalette::Disabled, QPalette::WindowText, 0x9a9a9a, 0x7a7a7a },
    { QPalette::Disabled, QPalette::ButtonText, 0x9a9a9a, 0x7a7a7a },
};

QPalette themePalette(QRgb RoleColors::*theme)
{
    QPalette p;
    for (const RoleColors& c : kRoleColors)
        p.setColor(c.group, c.role, QColor(c.*theme));
    return p;
}

} // namespace

QPalette lightPalette()
{
    return themePalette(&RoleColors::light);
}

QPalette darkPalette()
{
    QPalette p = themePalette(&RoleColors::dark);
    p.setColor(QPalette::BrightText, QColor(0xff6b6b));
    return p;
}

} // namespace djp
