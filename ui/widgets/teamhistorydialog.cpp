#include "teamhistorydialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace djp {

TeamHistoryDialog::TeamHistoryDialog(const QString& lastUrl, QWidget* parent)
    : QDialog(parent)
    , m_url(new QLineEdit(lastUrl, this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember the password on this computer"), this))
    , m_hint(new QLabel(this))
{
    setObjectName(QStringLiteral("teamHistoryDialog"));
    setWindowTitle(tr("Open Team History"));
    m_url->setObjectName(QStringLiteral("teamUrl"));
    m_url->setPlaceholderText(QStringLiteral("postgresql://alice@db.example.com:5432/djp?sslmode=require"));
    m_url->setAccessibleName(tr("Database URL"));
    m_url->setMinimumWidth(420);
    m_password->setObjectName(QStringLiteral("teamPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password"));
    m_password->setPlaceholderText(tr("empty: a remembered password or ~/.pgpass"));
    m_remember->setObjectName(QStringLiteral("teamRemember"));
    m_remember->setToolTip(tr("Kept in the system keyring (or a private file readable only by you), never in the "
                              "settings"));
    m_hint->setWordWrap(true);
    m_hint->setText(tr("A PostgreSQL URL of the team's history (created with djp team init). Every libpq option "
                       "works, e.g. sslmode=require. Without a password here, a remembered one or libpq's "
                       "password file (~/.pgpass) is used."));

    auto* form = new QFormLayout;
    form->addRow(tr("Database &URL:"), m_url);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_open = buttons->button(QDialogButtonBox::Ok);
    m_open->setText(tr("&Open"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_hint);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(m_url, &QLineEdit::textChanged, this, &TeamHistoryDialog::updateState);
    connect(m_password, &QLineEdit::textChanged, this, &TeamHistoryDialog::updateState);
    updateState();
}

QString TeamHistoryDialog::url() const
{
    return m_url->text().trimmed();
}

QString TeamHistoryDialog::password() const
{
    return m_password->text();
}

bool TeamHistoryDialog::rememberPassword() const
{
    return m_remember->isChecked() && !m_password->text().isEmpty();
}

void TeamHistoryDialog::updateState()
{
    m_open->setEnabled(!url().isEmpty());
    m_remember->setEnabled(!m_password->text().isEmpty());
}

} // namespace djp
