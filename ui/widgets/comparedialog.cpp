#include "widgets/comparedialog.h"

#include "models/comparisonmodel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace djp {

CompareDialog::CompareDialog(const QStringList& artifactPaths, QWidget* parent)
    : QDialog(parent)
    , m_model(new ComparisonModel(this))
    , m_proxy(new ComparisonFilterProxy(this))
    , m_view(new QTableView(this))
    , m_status(new QLabel(this))
    , m_onlyDiffs(new QCheckBox(tr("&Only differences"), this))
{
    setObjectName(QStringLiteral("compareDialog"));
    setWindowTitle(tr("Compare %1 runs").arg(artifactPaths.size()));
    setAttribute(Qt::WA_DeleteOnClose);
    m_proxy->setSourceModel(m_model);
    m_view->setObjectName(QStringLiteral("compareTable"));
    m_view->setAccessibleName(tr("Runs compared side by side"));
    m_view->setModel(m_proxy);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(true);
    m_view->setAlternatingRowColors(false); // the highlight of differing rows must stand out
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_status->setObjectName(QStringLiteral("compareStatus"));
    m_status->setText(tr("Reading %1 artifacts…").arg(artifactPaths.size()));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_onlyDiffs->setObjectName(QStringLiteral("compareOnlyDifferences"));
    m_onlyDiffs->setToolTip(tr("Hide the rows where every run has the same value"));
    connect(m_onlyDiffs, &QCheckBox::toggled, this, &CompareDialog::setOnlyDifferences);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(tr("&Copy as Text"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("compareCopy"));
    copy->setToolTip(tr("The comparison as plain text, as `djp compare` prints it"));
    connect(copy, &QPushButton::clicked, this, &CompareDialog::copyAsText);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto* top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_onlyDiffs);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    resize(1100, 700);

    connect(&m_watcher, &QFutureWatcher<RunComparison>::finished, this, &CompareDialog::onLoaded);
    m_watcher.setFuture(QtConcurrent::run([artifactPaths] { return compareArtifacts(artifactPaths); }));
}

CompareDialog::~CompareDialog()
{
    m_watcher.waitForFinished(); // the worker only reads files; closing mid-read waits for it
}

QString CompareDialog::statusText() const
{
    return m_status->text();
}

void CompareDialog::onLoaded()
{
    const RunComparison c = m_watcher.result();
    m_model->setComparison(c);
    const QHeaderView* header = m_view->horizontalHeader();
    m_view->resizeColumnToContents(ComparisonModel::Section);
    m_view->resizeColumnToContents(ComparisonModel::Field);
    const int runs = static_cast<int>(c.runNames.size());
    const int rest = std::max(
        200, (m_view->viewport()->width() - header->sectionSize(0) - header->sectionSize(1)) / std::max(1, runs));
    for (int i = 0; i < runs; ++i)
        m_view->setColumnWidth(ComparisonModel::FirstRun + i, rest);
    m_view->resizeRowsToContents();
    const int rows = m_model->rowCount();
    const int differing = m_model->differingRows();
    QString text
        = tr("%1, %2 (highlighted).").arg(tr("%n row(s)", nullptr, rows), tr("%n differ(s)", nullptr, differing));
    if (!c.errors.isEmpty())
        text += u' ' + tr("Could not read: %1").arg(c.errors.join(QStringLiteral("; ")));
    m_status->setText(text);
    m_ready = true;
    Q_EMIT ready();
}

void CompareDialog::setOnlyDifferences(bool only)
{
    m_proxy->setOnlyDifferences(only);
    if (m_onlyDiffs->isChecked() != only)
        m_onlyDiffs->setChecked(only);
    m_view->resizeRowsToContents();
}

void CompareDialog::copyAsText()
{
    QApplication::clipboard()->setText(comparisonText(m_model->comparison()));
}

} // namespace djp
