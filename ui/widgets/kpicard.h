#pragma once
// One KPI on the dashboard: a title, a large value and an optional caption (e.g. "incomplete").
// Displays preformatted text only. Thread contract: GUI thread only.
#include <QFrame>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace djp {

class KpiCard : public QFrame
{
    Q_OBJECT
public:
    // objectName lets tests and style rules find the card ("kpi_publish_rate").
    KpiCard(const QString& objectName, const QString& title, QWidget* parent = nullptr);

    void setValue(const QString& value, const QString& caption, const QString& toolTip);
    QString title() const;
    QString valueText() const;
    QString captionText() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void updateColors();
    QLabel* m_title;
    QLabel* m_value;
    QLabel* m_caption;
};

} // namespace djp
