// SPDX-License-Identifier: MIT
/*
 * Runner self-test: a program that passes, with a skipped case, whose
 * output prove(1) must accept as TAP (selftest.sh feeds it to prove).
 */
#include "../../mxtest.h"

TEST(selftest_passing_case)
{
	mx_handle_t ev;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_close(ev));
}

TEST(selftest_skipped_case)
{
	SKIP("on purpose");
}
