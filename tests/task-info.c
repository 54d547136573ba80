// SPDX-License-Identifier: MIT
/*
 * The task tree through mx_object_get_info and mx_object_get_child:
 * MX_INFO_JOB_CHILDREN, MX_INFO_JOB_PROCESSES, MX_INFO_THREAD_STATS and
 * mx_object_get_child on a job, a process and "the system". Reference
 * (magenta-api-2.md) §4.9 and §6.2.
 */
#include "mxtest.h"

#include <stdatomic.h>

static mx_handle_t job_in(mx_handle_t parent)
{
	mx_handle_t j = 0;

	ASSERT_OK(mx_job_create(parent, 0, &j));
	return j;
}

static mx_handle_t process_in(mx_handle_t job)
{
	mx_handle_t p = 0;

	ASSERT_OK(mx_process_create(job, "p", 1, 0, &p, NULL));
	return p;
}

static uint64_t koid(mx_handle_t h)
{
	return mxt_basic(h).koid;
}

/* ---- MX_INFO_JOB_CHILDREN / MX_INFO_JOB_PROCESSES ---- */

TEST(job_children_and_processes_in_order)
{
	mx_handle_t j = job_in(mx_job_default());
	mx_handle_t c1 = job_in(j), c2 = job_in(j), g = job_in(c1);
	mx_handle_t p1 = process_in(j), p2 = process_in(j), gp = process_in(c1);
	uint64_t k[4] = { 0 };
	size_t actual = 9, avail = 9;

	ASSERT_OK(mx_object_get_info(j, MX_INFO_JOB_CHILDREN, k, sizeof(k),
				     &actual, &avail));
	/* Direct children only, oldest first. */
	ASSERT_EQ(actual, 2);
	ASSERT_EQ(avail, 2);
	ASSERT_EQ(k[0], koid(c1));
	ASSERT_EQ(k[1], koid(c2));
	ASSERT_EQ(k[2], 0);
	ASSERT_OK(mx_object_get_info(j, MX_INFO_JOB_PROCESSES, k, sizeof(k),
				     &actual, &avail));
	ASSERT_EQ(actual, 2);
	ASSERT_EQ(avail, 2);
	ASSERT_EQ(k[0], koid(p1));
	ASSERT_EQ(k[1], koid(p2));
	/* A job with neither. */
	ASSERT_OK(mx_object_get_info(c2, MX_INFO_JOB_CHILDREN, k, sizeof(k),
				     &actual, &avail));
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(avail, 0);
	ASSERT_OK(mx_object_get_info(c1, MX_INFO_JOB_PROCESSES, k, sizeof(k),
				     &actual, &avail));
	ASSERT_EQ(actual, 1);
	ASSERT_EQ(k[0], koid(gp));
	/* A process that goes leaves the list. */
	ASSERT_OK(mx_handle_close(p1));
	ASSERT_OK(mx_object_get_info(j, MX_INFO_JOB_PROCESSES, k, sizeof(k),
				     &actual, &avail));
	ASSERT_EQ(actual, 1);
	ASSERT_EQ(k[0], koid(p2));
	ASSERT_OK(mx_handle_close(gp));
	ASSERT_OK(mx_handle_close(p2));
	ASSERT_OK(mx_handle_close(g));
	ASSERT_OK(mx_handle_close(c2));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_OK(mx_handle_close(j));
}

TEST(job_koids_short_buffers)
{
	mx_handle_t j = job_in(mx_job_default());
	mx_handle_t c[3] = { job_in(j), job_in(j), job_in(j) };
	uint64_t k[3] = { 0, 0, 0 };
	size_t actual = 9, avail = 9;

	/* As many as fit; never BUFFER_TOO_SMALL. */
	ASSERT_OK(mx_object_get_info(j, MX_INFO_JOB_CHILDREN, k, 12, &actual,
				     &avail));
	ASSERT_EQ(actual, 1);
	ASSERT_EQ(avail, 3);
	ASSERT_EQ(k[0], koid(c[0]));
	ASSERT_EQ(k[1], 0);
	ASSERT_OK(mx_object_get_info(j, MX_INFO_JOB_CHILDREN, NULL, 0, &actual,
				     &avail));
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(avail, 3);
	ASSERT_OK(mx_object_get_info(j, MX_INFO_JOB_CHILDREN, k, sizeof(k),
				     NULL, NULL));
	ASSERT_EQ(k[2], koid(c[2]));
	ASSERT_STATUS(mx_object_get_info(j, MX_INFO_JOB_CHILDREN,
					 (void *)8, sizeof(k), &actual, &avail),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_info(j, MX_INFO_JOB_CHILDREN, k, sizeof(k),
					 (size_t *)8, &avail),
		      MX_ERR_INVALID_ARGS);
	for (int i = 0; i < 3; i++)
		ASSERT_OK(mx_handle_close(c[i]));
	ASSERT_OK(mx_handle_close(j));
}

TEST(job_koids_errors)
{
	mx_handle_t j = job_in(mx_job_default()), p = process_in(j), ro;
	mx_handle_t t = 0;
	uint64_t k[2];
	size_t actual, avail;

	ASSERT_OK(mx_thread_create(p, "t", 1, 0, &t));
	ASSERT_STATUS(mx_object_get_info(0x12345, MX_INFO_JOB_CHILDREN, k,
					 sizeof(k), &actual, &avail),
		      MX_ERR_BAD_HANDLE);
	ro = mxt_dup(j, MX_RIGHT_READ);
	ASSERT_STATUS(mx_object_get_info(ro, MX_INFO_JOB_CHILDREN, k,
					 sizeof(k), &actual, &avail),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_info(ro, MX_INFO_JOB_PROCESSES, k,
					 sizeof(k), &actual, &avail),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_info(p, MX_INFO_JOB_CHILDREN, k,
					 sizeof(k), &actual, &avail),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_object_get_info(p, MX_INFO_JOB_PROCESSES, k,
					 sizeof(k), &actual, &avail),
		      MX_ERR_WRONG_TYPE);
	/* Rights come before the type, as in Magenta: no ENUMERATE. */
	ASSERT_STATUS(mx_object_get_info(t, MX_INFO_JOB_PROCESSES, k,
					 sizeof(k), &actual, &avail),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(p));
	ASSERT_OK(mx_handle_close(j));
}

/* ---- MX_INFO_THREAD_STATS ---- */

static mx_info_thread_stats_t stats_of(mx_handle_t t)
{
	mx_info_thread_stats_t s;

	mxt_info_one(t, MX_INFO_THREAD_STATS, &s, sizeof(s));
	return s;
}

TEST(thread_stats_count_runtime)
{
	mx_handle_t self = mx_thread_self();
	uint64_t before = stats_of(self).total_runtime, after;
	mx_time_t end = mxt_now() + MX_MSEC(50);
	volatile unsigned long spin = 0;

	while (mxt_now() < end)
		spin++;
	/* The scheduler's account moves at least at every tick. */
	mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	after = stats_of(self).total_runtime;
	ASSERT_TRUE(after > before);
	ASSERT_TRUE(after - before >= MX_MSEC(10));
	/* Not more than the wall time since (with room for TCG's ticks). */
	ASSERT_TRUE(after - before < MX_SEC(30));
}

TEST(thread_stats_of_a_new_thread_and_errors)
{
	mx_handle_t p = process_in(mx_job_default()), t = 0, ro, j;
	mx_info_thread_stats_t s;
	size_t actual = 9, avail = 9;

	ASSERT_OK(mx_thread_create(p, "t", 1, 0, &t));
	/* Never started: no time run. */
	ASSERT_EQ(stats_of(t).total_runtime, 0);
	ASSERT_STATUS(mx_object_get_info(t, MX_INFO_THREAD_STATS, &s, 7,
					 &actual, &avail),
		      MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(avail, 1);
	ASSERT_STATUS(mx_object_get_info(t, MX_INFO_THREAD_STATS, (void *)8,
					 sizeof(s), NULL, NULL),
		      MX_ERR_INVALID_ARGS);
	ro = mxt_dup(t, MX_RIGHT_WRITE);
	ASSERT_STATUS(mx_object_get_info(ro, MX_INFO_THREAD_STATS, &s,
					 sizeof(s), NULL, NULL),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_info(p, MX_INFO_THREAD_STATS, &s,
					 sizeof(s), NULL, NULL),
		      MX_ERR_WRONG_TYPE);
	j = mx_job_default();
	ASSERT_STATUS(mx_object_get_info(j, MX_INFO_THREAD_STATS, &s,
					 sizeof(s), NULL, NULL),
		      MX_ERR_WRONG_TYPE);
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(p));
}

static _Atomic int spun;

static void entry_spin(uintptr_t arg1, uintptr_t arg2)
{
	mx_time_t end = mxt_now() + MX_MSEC(30);
	volatile unsigned long n = 0;

	(void)arg1;
	(void)arg2;
	while (mxt_now() < end)
		n++;
	atomic_store(&spun, 1);
}

TEST(thread_stats_keep_the_total_after_the_end)
{
	mx_handle_t t = 0;
	uint64_t ns;

	ASSERT_OK(mx_thread_create(mx_process_self(), "spin", 4, 0, &t));
	ASSERT_OK(mx_thread_start(t, (uintptr_t)entry_spin, mxt_stack(NULL),
				  0, 0));
	ASSERT_OK(mx_object_wait_one(t, MX_THREAD_TERMINATED,
				     mx_deadline_after(MX_SEC(30)), NULL));
	ASSERT_EQ(atomic_load(&spun), 1);
	ns = stats_of(t).total_runtime;
	ASSERT_TRUE(ns >= MX_MSEC(5));
	/* Dead: it stays. */
	mx_nanosleep(mx_deadline_after(MX_MSEC(5)));
	ASSERT_EQ(stats_of(t).total_runtime, ns);
	ASSERT_OK(mx_handle_close(t));
}

/* ---- mx_object_get_child ---- */

TEST(get_child_of_a_job)
{
	mx_handle_t j = job_in(mx_job_default());
	mx_handle_t c = job_in(j), p = process_in(j), g = job_in(c);
	mx_handle_t gp = process_in(c), h = 0, lim;
	size_t before;

	ASSERT_OK(mx_object_get_child(j, koid(c), MX_RIGHT_SAME_RIGHTS, &h));
	ASSERT_EQ(mxt_basic(h).koid, koid(c));
	ASSERT_EQ(mxt_basic(h).type, MX_OBJ_TYPE_JOB);
	/* SAME_RIGHTS: the parent handle's rights. */
	ASSERT_EQ(mxt_basic(h).rights, mxt_basic(j).rights);
	ASSERT_OK(mx_handle_close(h));
	ASSERT_OK(mx_object_get_child(j, koid(p), MX_RIGHT_READ, &h));
	ASSERT_EQ(mxt_basic(h).koid, koid(p));
	ASSERT_EQ(mxt_basic(h).type, MX_OBJ_TYPE_PROCESS);
	ASSERT_EQ(mxt_basic(h).rights, MX_RIGHT_READ);
	ASSERT_OK(mx_handle_close(h));
	/* Direct children only. */
	ASSERT_STATUS(mx_object_get_child(j, koid(g), MX_RIGHT_SAME_RIGHTS,
					  &h), MX_ERR_NOT_FOUND);
	ASSERT_STATUS(mx_object_get_child(j, koid(gp), MX_RIGHT_SAME_RIGHTS,
					  &h), MX_ERR_NOT_FOUND);
	ASSERT_STATUS(mx_object_get_child(j, koid(j), MX_RIGHT_SAME_RIGHTS,
					  &h), MX_ERR_NOT_FOUND);
	/* Rights: ENUMERATE needed, and no more than the parent's. */
	lim = mxt_dup(j, MX_RIGHT_READ | MX_RIGHT_ENUMERATE);
	ASSERT_STATUS(mx_object_get_child(lim, koid(c), MX_RIGHT_WRITE, &h),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_object_get_child(lim, koid(c), MX_RIGHT_SAME_RIGHTS, &h));
	ASSERT_EQ(mxt_basic(h).rights, MX_RIGHT_READ | MX_RIGHT_ENUMERATE);
	ASSERT_OK(mx_handle_close(h));
	ASSERT_OK(mx_handle_close(lim));
	lim = mxt_dup(j, MX_RIGHT_READ);
	ASSERT_STATUS(mx_object_get_child(lim, koid(c), MX_RIGHT_READ, &h),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_handle_close(lim));
	/* An unwritable out: nothing made. */
	before = mxt_nhandles();
	ASSERT_STATUS(mx_object_get_child(j, koid(c), MX_RIGHT_SAME_RIGHTS,
					  (mx_handle_t *)8),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(mxt_nhandles(), before);
	ASSERT_STATUS(mx_object_get_child(0x12345, koid(c),
					  MX_RIGHT_SAME_RIGHTS, &h),
		      MX_ERR_BAD_HANDLE);
	/* No ENUMERATE on an event: refused before its type is looked at. */
	h = mxt_event();
	ASSERT_STATUS(mx_object_get_child(h, koid(c), MX_RIGHT_SAME_RIGHTS,
					  &lim), MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_handle_close(h));
	ASSERT_OK(mx_handle_close(gp));
	ASSERT_OK(mx_handle_close(g));
	ASSERT_OK(mx_handle_close(p));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(j));
}

TEST(get_child_of_a_process_is_a_thread)
{
	mx_handle_t p = process_in(mx_job_default()), t = 0, t2 = 0, h = 0;
	uint64_t k[2];
	size_t actual;

	ASSERT_OK(mx_thread_create(p, "a", 1, 0, &t));
	ASSERT_OK(mx_thread_create(p, "b", 1, 0, &t2));
	ASSERT_OK(mx_object_get_child(p, koid(t2), MX_RIGHT_SAME_RIGHTS, &h));
	ASSERT_EQ(mxt_basic(h).koid, koid(t2));
	ASSERT_EQ(mxt_basic(h).type, MX_OBJ_TYPE_THREAD);
	/* The process handle's rights, ENUMERATE included. */
	ASSERT_EQ(mxt_basic(h).rights, mxt_basic(p).rights);
	ASSERT_OK(mx_handle_close(h));
	/* The calling thread, and what PROCESS_THREADS lists, are found. */
	ASSERT_OK(mx_object_get_child(mx_process_self(),
				      koid(mx_thread_self()), MX_RIGHT_READ,
				      &h));
	ASSERT_EQ(mxt_basic(h).koid, koid(mx_thread_self()));
	ASSERT_EQ(mxt_basic(h).rights, MX_RIGHT_READ);
	ASSERT_OK(mx_handle_close(h));
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS_THREADS, k, sizeof(k),
				     &actual, NULL));
	ASSERT_EQ(actual, 2);
	ASSERT_OK(mx_object_get_child(p, k[0], MX_RIGHT_READ, &h));
	ASSERT_EQ(mxt_basic(h).koid, koid(t));
	ASSERT_OK(mx_handle_close(h));
	/* A thread of another process is not a child. */
	ASSERT_STATUS(mx_object_get_child(mx_process_self(), koid(t),
					  MX_RIGHT_SAME_RIGHTS, &h),
		      MX_ERR_NOT_FOUND);
	ASSERT_OK(mx_handle_close(t2));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(p));
}

TEST(get_child_of_the_system)
{
	mx_handle_t j = job_in(mx_job_default()), c = job_in(j);
	mx_handle_t p = process_in(c), h = 0;

	/* Any process of the caller's job tree, by koid. */
	ASSERT_OK(mx_object_get_child(MX_HANDLE_INVALID, koid(p),
				      MX_RIGHT_SAME_RIGHTS, &h));
	ASSERT_EQ(mxt_basic(h).koid, koid(p));
	ASSERT_EQ(mxt_basic(h).rights, 0x1CF);
	ASSERT_OK(mx_handle_close(h));
	ASSERT_OK(mx_object_get_child(MX_HANDLE_INVALID,
				      koid(mx_process_self()),
				      MX_RIGHT_READ | MX_RIGHT_DUPLICATE, &h));
	ASSERT_EQ(mxt_basic(h).koid, koid(mx_process_self()));
	ASSERT_EQ(mxt_basic(h).rights, MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	ASSERT_OK(mx_handle_close(h));
	ASSERT_STATUS(mx_object_get_child(MX_HANDLE_INVALID, koid(p),
					  MX_RIGHT_EXECUTE, &h),
		      MX_ERR_ACCESS_DENIED);
	/* Jobs and threads are not found this way. */
	ASSERT_STATUS(mx_object_get_child(MX_HANDLE_INVALID, koid(c),
					  MX_RIGHT_SAME_RIGHTS, &h),
		      MX_ERR_NOT_FOUND);
	ASSERT_STATUS(mx_object_get_child(MX_HANDLE_INVALID,
					  koid(mx_thread_self()),
					  MX_RIGHT_SAME_RIGHTS, &h),
		      MX_ERR_NOT_FOUND);
	ASSERT_STATUS(mx_object_get_child(MX_HANDLE_INVALID, 1,
					  MX_RIGHT_SAME_RIGHTS, &h),
		      MX_ERR_NOT_FOUND);
	ASSERT_OK(mx_handle_close(p));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(j));
}

/* Another user's processes are not in the caller's tree. */
static uint64_t other_koid;

static void look_for_other(void *arg)
{
	mx_handle_t h = 0;

	(void)arg;
	ASSERT_STATUS(mx_object_get_child(MX_HANDLE_INVALID, other_koid,
					  MX_RIGHT_SAME_RIGHTS, &h),
		      MX_ERR_NOT_FOUND);
	/* Its own, it finds. */
	ASSERT_OK(mx_object_get_child(MX_HANDLE_INVALID,
				      koid(mx_process_self()),
				      MX_RIGHT_READ, &h));
	ASSERT_OK(mx_handle_close(h));
	ASSERT_STATUS(mx_object_get_info(0x12345, MX_INFO_JOB_CHILDREN, NULL,
					 0, NULL, NULL), MX_ERR_BAD_HANDLE);
}

TEST(get_child_of_the_system_is_per_user)
{
	mx_handle_t p = process_in(mx_job_default());

	other_koid = koid(p);
	mxt_as_user(4343, look_for_other, NULL);
	ASSERT_OK(mx_handle_close(p));
}
