#include "testpaths.h"
// Keeps the support library non-empty; helpers shared by several tests are added beside this file.
