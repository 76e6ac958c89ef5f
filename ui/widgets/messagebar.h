#pragma once
// An inline message strip above the pages (not a modal): "Loaded N runs; M files could not be
// read — Show details". Links in the text are reported through linkActivated. Colours are derived
// from the current palette, so it reads well on light and dark themes.
#include <QFrame>

class QLabel;
class QToolButton;

namespace djp {

class MessageBar : public QFrame
{
    Q_OBJECT
public:
    enum class Level
    {
        Info,
        Warning,
        Error
    };

    explicit MessageBar(QWidget* parent = nullptr);

    // `richText` may contain <a href="...">links</a>; anything from files must be escaped by the caller.
    void showMessage(const QString& richText, Level level = Level::Info);
    QString text() const;
    Level level() const { return m_level; }

Q_SIGNALS:
    void linkActivated(const QString& link);

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColors();

    QLabel* m_icon;
    QLabel* m_text;
    QToolButton* m_close;
    Level m_level = Level::Info;
};

} // namespace djp
