// SPDX-License-Identifier: MIT
/*
 * Runner self-test: one case passes, one fails. The runner must count the
 * pass, and fail the run naming selftest_failing_case.
 */
/* The runner is under test here, not mx: no /dev/mx needed. */
#define MXTEST_NO_DEVICE
#include "../../mxtest.h"

TEST(selftest_passing_case)
{
	ASSERT_EQ(1, 1);
}

TEST(selftest_failing_case)
{
	ASSERT_EQ(1, 2);
}
