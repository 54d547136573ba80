// SPDX-License-Identifier: MIT
/*
 * Runner self-test: a program that passes, with a skipped case, whose
 * output prove(1) must accept as TAP (selftest.sh feeds it to prove).
 */
/* The runner is under test here, not mx: no /dev/mx needed. */
#define MXTEST_NO_DEVICE
#include "../../mxtest.h"

TEST(selftest_passing_case)
{
	ASSERT_EQ(mx_check_version(0, 1), 1);
}

TEST(selftest_skipped_case)
{
	SKIP("on purpose");
}
