#pragma once
// File › Open Team History…: the database URL and, separately, its password (docs/team-history.md,
// "The desktop app"). The password field is never written to the settings; "Remember" hands it to
// the SecretStore (keyring or the 0600 file). A URL with a password in it is accepted as well.
#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace djp {

class TeamHistoryDialog : public QDialog
{
    Q_OBJECT
public:
    explicit TeamHistoryDialog(const QString& lastUrl, QWidget* parent = nullptr);

    QString url() const;
    QString password() const;
    bool rememberPassword() const;

    QLineEdit* urlEdit() const { return m_url; }
    QLineEdit* passwordEdit() const { return m_password; }
    QCheckBox* rememberBox() const { return m_remember; }
    QPushButton* openButton() const { return m_open; }

private:
    void updateState();

    QLineEdit* m_url;
    QLineEdit* m_password;
    QCheckBox* m_remember;
    QLabel* m_hint;
    QPushButton* m_open = nullptr;
};

} // namespace djp
