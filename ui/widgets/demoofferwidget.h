#pragma once
// The Launch tab's first-run offer (docs/gui-launch.md): shown over an empty runs folder, it explains
// the simulated demo runs and how to reach real providers, with a button to create the demo runs and
// their progress. Whether it shows, and what the button starts, is LaunchPage's business.
//
// Thread contract: GUI thread only.
#include <QFrame>

class QLabel;
class QPushButton;

namespace djp {

class DemoOfferWidget : public QFrame
{
    Q_OBJECT
public:
    explicit DemoOfferWidget(QWidget* parent = nullptr);

    // The offer's text for this runs folder (native separators, as shown).
    void setFolder(const QString& folder);
    void setProgressText(const QString& text);
    void setCreateEnabled(bool enabled);

Q_SIGNALS:
    void createRequested();

private:
    QLabel* m_text;
    QPushButton* m_button;
    QLabel* m_progress;
};

} // namespace djp
