#pragma once
// Where tests find their data and the built CLI: from the environment CTest sets (see
// tests/CMakeLists.txt), never from the working directory.
#include <QString>
#include <QtGlobal>

namespace djp::test {

inline QString dataDir()
{
    return qEnvironmentVariable("DJP_TEST_DATA_DIR");
}
inline QString cliPath()
{
    return qEnvironmentVariable("DJP_CLI");
}

} // namespace djp::test
