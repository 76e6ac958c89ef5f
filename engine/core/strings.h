#pragma once
// The one place where std::string / std::string_view and QString meet (UTF-8 both ways).
#include <QString>
#include <string>
#include <string_view>

namespace djp {

inline QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
inline std::string ss(const QString& s) { return s.toStdString(); }

} // namespace djp
