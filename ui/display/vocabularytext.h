#pragma once
// The app's words for the engine's vocabularies (docs/artifact-format.md, "Vocabularies"): problem codes,
// run statuses and the budget gate's verdicts. The engine reports typed values and ids; this is the one
// place the desktop app turns them into text (translatable, context "djp::VocabularyText"). Values this
// version does not know (a foreign status, a code from a newer index) are shown as they were written.
#include "artifact/problem.h"
#include "artifact/runrecord.h"
#include "budget/budgetgate.h"

#include <QString>
#include <QStringList>

namespace djp {

// Problems: a short label for lists ("Empty file"), a sentence for the Inspector, and what to do.
QString problemLabel(ProblemCode code);
QString problemSentence(ProblemCode code);
QString problemAdvice(ProblemCode code);
QString problemLabel(const QString& code); // a foreign code: the code itself
QString problemSentence(const QString& code); // a foreign code: a generic sentence
QString problemAdvice(const QString& code); // a foreign code: "not a run artifact" advice

// Run statuses: "Published", "Advisory only", "None (failed)"; also the dashboard's "cancelled" bucket
// (status none, reason cancelled). A foreign status: as written.
QString runStatusText(RunStatus status);
QString statusDisplayName(const QString& status);

// The budget gate: the same sentences artifacts carry (budgetgate.h), as the app's own translatable text.
QString gateCheckText(const GateCheck& check);
QStringList gateMessagesText(const GateResult& result); // checks that warn or block, then the unpriced note

} // namespace djp
