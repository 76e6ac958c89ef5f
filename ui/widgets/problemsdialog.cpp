#include "problemsdialog.h"

#include "display/vocabularytext.h"
#include "models/problemsmodel.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace djp {

ProblemsDialog::ProblemsDialog(ProblemsModel* model, const QString& runsDir, QWidget* parent)
    : QDialog(parent)
    , m_model(model)
    , m_runsDir(runsDir)
    , m_view(new QTableView(this))
    , m_advice(new QLabel(this))
{
    setObjectName(QStringLiteral("problemsDialog"));
    setWindowTitle(tr("Files that could not be read"));
    resize(900, 420);

    auto* intro = new QLabel(tr("These files in the runs folder are not usable run artifacts. They are skipped; "
                                "every other run is loaded normally."),
        this);
    intro->setWordWrap(true);

    m_view->setModel(model);
    m_view->setAccessibleName(tr("Files that could not be read"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(ProblemsModel::File, 320);
    m_view->horizontalHeader()->resizeSection(ProblemsModel::Code, 220);

    m_advice->setWordWrap(true);
    m_advice->setTextFormat(Qt::PlainText);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* copy = buttons->addButton(tr("Copy list"), QDialogButtonBox::ActionRole);
    copy->setToolTip(tr("Copy file, problem and detail of every row as tab-separated text"));
    auto* open = buttons->addButton(tr("Open runs folder"), QDialogButtonBox::ActionRole);
    open->setToolTip(tr("Show the runs folder in the file manager"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(copy, &QPushButton::clicked, this, &ProblemsDialog::copyList);
    connect(open, &QPushButton::clicked, this, [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_runsDir)); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ProblemsDialog::updateAdvice);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_advice);
    layout->addWidget(buttons);
    updateAdvice();
}

void ProblemsDialog::setRunsDir(const QString& dir)
{
    m_runsDir = dir;
}

void ProblemsDialog::updateAdvice()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid()) {
        m_advice->setText(tr("Select a row to see what to do about it."));
        return;
    }
    const QString code = current.siblingAtColumn(ProblemsModel::File).data(ProblemsModel::CodeRole).toString();
    const QString path = current.siblingAtColumn(ProblemsModel::File).data(ProblemsModel::PathRole).toString();
    m_advice->setText(tr("%1: %2").arg(path, problemAdvice(code)));
}

void ProblemsDialog::copyList() const
{
    QString text;
    for (const Problem& p : m_model->problems())
        text += p.path + QLatin1Char('\t') + problemLabel(p.code) + QLatin1Char('\t') + p.detail + QLatin1Char('\n');
    QGuiApplication::clipboard()->setText(text);
}

} // namespace djp
