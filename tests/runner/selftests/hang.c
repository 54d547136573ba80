// SPDX-License-Identifier: MIT
/* Runner self-test: a case that never ends. The run must turn red. */
#include "../../mxtest.h"

TEST(selftest_hanging_case)
{
	mx_handle_t ev;

	ASSERT_OK(mx_event_create(0, &ev));
	mx_object_wait_one(ev, MX_EVENT_SIGNALED, MX_TIME_INFINITE, NULL);
}
