#include "kpicard.h"

#include "display/displayformat.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace djp {

KpiCard::KpiCard(const QString& objectName, const QString& title, QWidget* parent)
    : QFrame(parent)
    , m_title(new QLabel(title, this))
    , m_value(new QLabel(this))
    , m_caption(new QLabel(this))
{
    setObjectName(objectName);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    for (QLabel* l : { m_title, m_value, m_caption }) {
        l->setTextFormat(Qt::PlainText);
        l->setWordWrap(false);
    }
    m_title->setObjectName(QStringLiteral("title"));
    m_value->setObjectName(QStringLiteral("value"));
    m_caption->setObjectName(QStringLiteral("caption"));
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);

    QFont valueFont = m_value->font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.6);
    valueFont.setBold(true);
    m_value->setFont(valueFont);
    QFont smallFont = m_title->font();
    smallFont.setPointSizeF(smallFont.pointSizeF() * 0.9);
    m_title->setFont(smallFont);
    m_caption->setFont(smallFont);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_value);
    layout->addWidget(m_caption);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    updateColors();
}

void KpiCard::setValue(const QString& value, const QString& caption, const QString& toolTip)
{
    m_value->setText(value);
    // Keep the caption's line even when empty so cards in a row stay the same height.
    m_caption->setText(caption.isEmpty() ? QStringLiteral(" ") : caption);
    setToolTip(plainTextToolTip(toolTip));
}

QString KpiCard::title() const
{
    return m_title->text();
}

QString KpiCard::valueText() const
{
    return m_value->text();
}

QString KpiCard::captionText() const
{
    return m_caption->text().trimmed();
}

void KpiCard::changeEvent(QEvent* event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateColors();
}

void KpiCard::updateColors()
{
    // Secondary text: placeholder colour of the current palette, readable in light and dark themes.
    for (QLabel* l : { m_title, m_caption }) {
        QPalette p = l->palette();
        p.setColor(QPalette::WindowText, palette().color(QPalette::PlaceholderText));
        l->setPalette(p);
    }
    QPalette p = m_value->palette();
    p.setColor(QPalette::WindowText, palette().color(QPalette::Text));
    m_value->setPalette(p);
}

} // namespace djp
