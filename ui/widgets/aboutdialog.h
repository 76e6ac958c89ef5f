#pragma once
// Help → About: version, Qt version, the pricing table's date and origin, and the folders in use.
#include <QDialog>

namespace djp {

class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(const QString& runsDir, QWidget* parent = nullptr);

    // The "updated" date of the pricing table in use (bundled or the user's override); empty if
    // the table is missing or has none.
    static QString pricingTableDate();
};

} // namespace djp
