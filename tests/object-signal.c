// SPDX-License-Identifier: MIT
/*
 * mx_object_signal: the WRITE right, the per-type masks (events and
 * eventpairs: user signals and SIGNALED; processes and jobs: user signals
 * only), the check order and the (state & ~clear) | set rule.
 * Reference §1.5, §3.10.
 */
#include "mxtest.h"

TEST(event_mask_accepts_user_and_signaled)
{
	mx_handle_t ev = mxt_event();
	int i;

	for (i = 0; i < 8; i++) {
		mx_signals_t bit = MX_USER_SIGNAL_0 << i;

		ASSERT_OK(mx_object_signal(ev, 0, bit));
		ASSERT_EQ(mxt_signals(ev), bit | MX_SIGNAL_LAST_HANDLE);
		ASSERT_OK(mx_object_signal(ev, bit, 0));
		ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	}
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNAL_MASK,
				   MX_EVENT_SIGNAL_MASK));
	ASSERT_EQ(mxt_signals(ev), 0xff000008u | MX_SIGNAL_LAST_HANDLE);
}

TEST(event_mask_rejects_every_other_bit)
{
	mx_handle_t ev = mxt_event();
	int bit;

	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_1));
	for (bit = 0; bit < 24; bit++) {
		uint32_t m = 1u << bit;

		if (m == MX_EVENT_SIGNALED)
			continue;
		ASSERT_STATUS(mx_object_signal(ev, 0, m), MX_ERR_INVALID_ARGS);
		ASSERT_STATUS(mx_object_signal(ev, m, 0), MX_ERR_INVALID_ARGS);
		/* Good bits next to a bad one are not applied either. */
		ASSERT_STATUS(mx_object_signal(ev, MX_USER_SIGNAL_1,
					       m | MX_USER_SIGNAL_0),
			      MX_ERR_INVALID_ARGS);
	}
	ASSERT_STATUS(mx_object_signal(ev, 0, MX_SIGNAL_LAST_HANDLE),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_signal(ev, MX_SIGNAL_LAST_HANDLE, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_signal(ev, 0, MX_SIGNAL_HANDLE_CLOSED),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_signal(ev, 0xffffffffu, 0xffffffffu),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(mxt_signals(ev), MX_USER_SIGNAL_1 | MX_SIGNAL_LAST_HANDLE);
}

TEST(clear_then_set)
{
	mx_handle_t ev = mxt_event();

	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0 | MX_USER_SIGNAL_2));
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_0 | MX_USER_SIGNAL_1,
				   MX_USER_SIGNAL_1));
	ASSERT_EQ(mxt_signals(ev), MX_USER_SIGNAL_1 | MX_USER_SIGNAL_2 |
		  MX_SIGNAL_LAST_HANDLE);
	/* A bit both cleared and set ends up set. */
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_ALL, MX_USER_SIGNAL_2));
	ASSERT_EQ(mxt_signals(ev), MX_USER_SIGNAL_2 | MX_SIGNAL_LAST_HANDLE);
}

TEST(needs_write_right)
{
	mx_handle_t ev = mxt_event();
	mx_handle_t r = mxt_dup(ev, MX_RIGHT_READ);
	mx_handle_t w = mxt_dup(ev, MX_RIGHT_WRITE);
	mx_handle_t none = mxt_dup(ev, MX_RIGHT_NONE);

	ASSERT_STATUS(mx_object_signal(r, 0, MX_USER_SIGNAL_0),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_signal(none, 0, MX_USER_SIGNAL_0),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_signal(r, 0, 0), MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(mxt_signals(ev), 0);
	/* WRITE alone is enough; READ is not needed. */
	ASSERT_OK(mx_object_signal(w, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(mxt_signals(r), MX_USER_SIGNAL_0);
}

TEST(check_order)
{
	mx_handle_t ev = mxt_event();
	mx_handle_t r = mxt_dup(ev, MX_RIGHT_READ);

	/* bad handle, then WRITE, then the mask */
	ASSERT_STATUS(mx_object_signal(MX_HANDLE_INVALID, 0, MX_USER_SIGNAL_0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_signal(MX_HANDLE_INVALID, 0xffffffffu,
				       0xffffffffu), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_signal(ev ^ 1, 0, MX_USER_SIGNAL_0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_signal(r, 0xffffffffu, 0xffffffffu),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_signal(ev, 0, 0xffffffffu),
		      MX_ERR_INVALID_ARGS);
}

TEST(process_accepts_user_signals_only)
{
	mx_handle_t self = mx_process_self();
	mx_signals_t before = mxt_signals(self);
	int bit;

	ASSERT_EQ(before & MX_USER_SIGNAL_ALL, 0);
	ASSERT_OK(mx_object_signal(self, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(mxt_signals(self), before | MX_USER_SIGNAL_0);
	ASSERT_OK(mx_object_signal(self, 0, MX_USER_SIGNAL_ALL));
	ASSERT_EQ(mxt_signals(self), before | MX_USER_SIGNAL_ALL);
	ASSERT_OK(mx_object_signal(self, MX_USER_SIGNAL_ALL, 0));
	ASSERT_EQ(mxt_signals(self), before);

	/* SIGNALED (= MX_PROCESS_TERMINATED) and the rest: INVALID_ARGS. */
	ASSERT_STATUS(mx_object_signal(self, 0, MX_EVENT_SIGNALED),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_signal(self, 0, MX_PROCESS_TERMINATED),
		      MX_ERR_INVALID_ARGS);
	for (bit = 0; bit < 24; bit++) {
		ASSERT_STATUS(mx_object_signal(self, 0, 1u << bit),
			      MX_ERR_INVALID_ARGS);
		ASSERT_STATUS(mx_object_signal(self, 1u << bit, 0),
			      MX_ERR_INVALID_ARGS);
	}
	ASSERT_EQ(mxt_signals(self), before);
}

TEST(process_signal_needs_write)
{
	mx_handle_t self = mx_process_self();
	mx_handle_t r = mxt_dup(self, MX_RIGHT_READ);

	ASSERT_STATUS(mx_object_signal(r, 0, MX_USER_SIGNAL_0),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_handle_close(r));
}

TEST(job_rejects_non_user_signals)
{
	/*
	 * The root job is shared by every mx process, so only calls that
	 * change nothing are made on it.
	 */
	mx_handle_t job = mx_job_default();

	ASSERT_STATUS(mx_object_signal(job, 0, MX_EVENT_SIGNALED),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_signal(job, 0, MX_JOB_NO_JOBS),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_signal(job, MX_JOB_NO_PROCESSES, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_object_signal(job, 0, 0));
}

TEST(eventpair_mask_matches_event)
{
	mx_handle_t a = 0, b = 0;

	ASSERT_OK(mx_eventpair_create(0, &a, &b));
	ASSERT_OK(mx_object_signal(a, 0, MX_USER_SIGNAL_ALL | MX_EPAIR_SIGNALED));
	ASSERT_EQ(mxt_signals(a), MX_USER_SIGNAL_ALL | MX_EPAIR_SIGNALED |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_STATUS(mx_object_signal(a, 0, MX_EPAIR_PEER_CLOSED),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(mxt_signals(b), MX_SIGNAL_LAST_HANDLE);
}
