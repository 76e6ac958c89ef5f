#include "demoofferwidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace djp {

DemoOfferWidget::DemoOfferWidget(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("demoOffer"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    auto* layout = new QHBoxLayout(this);
    m_text = new QLabel;
    m_text->setObjectName(QStringLiteral("demoOfferText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* side = new QVBoxLayout;
    m_button = new QPushButton(tr("Create demo runs"));
    m_button->setObjectName(QStringLiteral("createDemoButton"));
    m_button->setToolTip(tr("Run six short demo runs through the simulated provider into this folder: no network, "
                            "no cost, every run marked simulated"));
    connect(m_button, &QPushButton::clicked, this, &DemoOfferWidget::createRequested);
    m_progress = new QLabel;
    m_progress->setObjectName(QStringLiteral("demoProgress"));
    side->addWidget(m_button);
    side->addWidget(m_progress);
    side->addStretch(1);
    layout->addWidget(m_text, 1);
    layout->addLayout(side);
}

void DemoOfferWidget::setFolder(const QString& folder)
{
    m_text->setText(
        tr("<b>No runs in %1 yet.</b> Create six short <b>demo runs</b> to see the dashboard, the inspector and the "
           "cost figures at work: they run through the built-in <i>simulated provider</i> (offline, no cost) and are "
           "marked <i>simulated</i> everywhere, so they are never mistaken for real spend.<br>"
           "To call real models, set <tt>OPENAI_API_KEY</tt>, <tt>ANTHROPIC_API_KEY</tt> or <tt>GEMINI_API_KEY</tt> in "
           "the environment or in a <tt>.env</tt> file in the working folder and restart DJP Studio. For a local "
           "Ollama server set <tt>OPENAI_BASE_URL=http://localhost:11434/v1</tt> and add its models below "
           "(e.g. <tt>openai/llama3.1</tt>).")
            .arg(folder.toHtmlEscaped()));
}

void DemoOfferWidget::setProgressText(const QString& text)
{
    m_progress->setText(text);
}

void DemoOfferWidget::setCreateEnabled(bool enabled)
{
    m_button->setEnabled(enabled);
}

} // namespace djp
