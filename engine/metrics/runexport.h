#pragma once
// Export of the filtered run records (docs/metrics.md): CSV (RFC 4180, UTF-8, formula-safe) and JSONL.
#include "artifact/runrecord.h"

#include <QIODevice>
#include <QString>
#include <QStringList>
#include <vector>

namespace djp {

// The docs/metrics.md column names in order: 29 legacy, then ours.
const QStringList& runColumns();

// Writes the header and one row per index. Returns false with *error on a write failure.
bool writeRunsCsv(QIODevice& out, const std::vector<RunRecord>& records, const std::vector<int>& indices,
                  QString* error = nullptr);
// One JSON object per line with the same keys (numbers as numbers, booleans as booleans).
bool writeRunsJsonl(QIODevice& out, const std::vector<RunRecord>& records, const std::vector<int>& indices,
                    QString* error = nullptr);
// Writes to a file atomically (QSaveFile). format: "csv" or "jsonl".
bool exportRunsToFile(const QString& path, const QString& format, const std::vector<RunRecord>& records,
                      const std::vector<int>& indices, QString* error = nullptr);

// One cell's text as exported (ISO timestamp with offset, formatted numbers, booleans as true/false).
QString runCellText(const RunRecord& r, int column);

} // namespace djp
