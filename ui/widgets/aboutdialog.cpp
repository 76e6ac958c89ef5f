#include "aboutdialog.h"

#include "core/paths.h"
#include "core/resources.h"

#include <QDialogButtonBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QVBoxLayout>

namespace djp {

QString AboutDialog::pricingTableDate()
{
    const std::optional<QByteArray> bytes = readResource(QStringLiteral("pricing.json"));
    if (!bytes)
        return {};
    return QJsonDocument::fromJson(*bytes).object().value(QStringLiteral("updated")).toString();
}

AboutDialog::AboutDialog(const QString& runsDir, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About DJP Studio"));
    const QString date = pricingTableDate();
    const QString origin = resourceOrigin(QStringLiteral("pricing.json"));
    const QString pricing = date.isEmpty()
        ? tr("no pricing table found")
        : tr("updated %1 (%2)")
              .arg(date.toHtmlEscaped(), origin.startsWith(QLatin1Char(':')) ? tr("bundled") : origin.toHtmlEscaped());

    auto* label = new QLabel(this);
    label->setObjectName(QStringLiteral("aboutText"));
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setText(tr("<h2>DJP Studio %1</h2>"
                      "<p>Debate &rarr; Judge &rarr; Publish: runs, costs and quality.</p>"
                      "<table>"
                      "<tr><td>Pricing table:&nbsp;</td><td>%2</td></tr>"
                      "<tr><td>Runs folder:&nbsp;</td><td>%3</td></tr>"
                      "<tr><td>Settings and overrides:&nbsp;</td><td>%4</td></tr>"
                      "<tr><td>Index cache:&nbsp;</td><td>%5</td></tr>"
                      "<tr><td>Qt:&nbsp;</td><td>%6</td></tr>"
                      "</table>")
                       .arg(QStringLiteral(DJP_VERSION), pricing, runsDir.toHtmlEscaped(), configDir().toHtmlEscaped(),
                           cacheDir().toHtmlEscaped(), QString::fromLatin1(qVersion())));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(buttons);
}

} // namespace djp
