// SPDX-License-Identifier: MIT
/* Runner self-test: one case passes, one fails. The run must turn red. */
#include "../../mxtest.h"

TEST(selftest_passing_case)
{
	ASSERT_EQ(1, 1);
}

TEST(selftest_failing_case)
{
	ASSERT_EQ(1, 2);
}
