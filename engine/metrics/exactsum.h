#pragma once
// Sums of doubles that do not depend on the order of the terms: the exact sum, rounded once to the
// nearest double (ties to even). The KPI sums (cost, duration, cost per label) use it, so the folder
// path and the team database (which sums exact decimals in SQL) give bit-identical figures whatever
// order the runs come in. Shewchuk's algorithm with non-overlapping partials, as in Python's fsum.
#include <QString>
#include <vector>

namespace djp {

class ExactSum
{
public:
    void add(double x);
    double value() const;
    bool operator==(const ExactSum&) const = default;

private:
    std::vector<double> m_partials; // non-overlapping, increasing magnitude
};

// The exact decimal value of a finite double ("0.1000000000000000055511151231257827021181583404541015625"),
// shortest form without trailing zeros; what the team database stores in numeric columns.
QByteArray exactDecimal(double v);

} // namespace djp
