// SPDX-License-Identifier: MIT
/*
 * mx_process_read_memory and mx_process_write_memory: reference
 * (magenta-api-2.md) §4.11. A started process is a fork() of the test, so
 * the test's globals are at the same addresses in it.
 */
#include "mxtest.h"
#include "held.h"

#include <sys/mman.h>
#include <sys/prctl.h>

#define PG 4096UL

static volatile uint64_t cell = 0x1111;

static mx_handle_t process_in(mx_handle_t job)
{
	mx_handle_t p = 0;

	ASSERT_OK(mx_process_create(job, "p", 1, 0, &p, NULL));
	return p;
}

/* The child: sets cell, says "ok", then on USER_0 says what cell holds. */
static void entry_cell(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1;
	uint64_t v;

	if (arg2)
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	cell = 0x2222;
	mx_channel_write(ch, 0, "ok", 2, NULL, 0);
	mx_object_wait_one(ch, MX_USER_SIGNAL_0, MX_TIME_INFINITE, NULL);
	v = cell;
	mx_channel_write(ch, 0, &v, sizeof(v), NULL, 0);
	for (;;)
		mx_object_wait_one(ch, MX_USER_SIGNAL_1, MX_TIME_INFINITE,
				   NULL);
}

static mx_handle_t start_cell(mx_handle_t *ch, int undumpable)
{
	mx_handle_t p = process_in(mx_job_default()), t = 0, c1 = 0;
	uint32_t nb = 0;
	char ok[2];

	ASSERT_OK(mx_thread_create(p, "t", 1, 0, &t));
	ASSERT_OK(mx_channel_create(0, ch, &c1));
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_cell,
				   mxt_stack(NULL), c1, undumpable));
	mxt_wait_signal(*ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(*ch, 0, ok, NULL, sizeof(ok), 0, &nb, NULL));
	ASSERT_EQ(nb, 2);
	/* t stays open: closing a started thread's last handle ends it. */
	return p;
}

TEST(read_and_write_another_process)
{
	mx_handle_t ch = 0, p = start_cell(&ch, 0);
	uint64_t v = 0, w = 0x3333;
	size_t actual = 0;
	uint32_t nb = 0;

	/* Its cell, not ours. */
	ASSERT_OK(mx_process_read_memory(p, (uintptr_t)&cell, &v, sizeof(v),
					 &actual));
	ASSERT_EQ(actual, sizeof(v));
	ASSERT_EQ(v, 0x2222);
	ASSERT_EQ(cell, 0x1111);
	ASSERT_OK(mx_process_write_memory(p, (uintptr_t)&cell, &w, sizeof(w),
					  &actual));
	ASSERT_EQ(actual, sizeof(w));
	ASSERT_EQ(cell, 0x1111);
	/* It sees the write. */
	ASSERT_OK(mx_object_signal_peer(ch, 0, MX_USER_SIGNAL_0));
	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, &v, NULL, sizeof(v), 0, &nb, NULL));
	ASSERT_EQ(nb, sizeof(v));
	ASSERT_EQ(v, 0x3333);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_OK(mx_object_wait_one(p, MX_TASK_TERMINATED,
				     mx_deadline_after(MX_SEC(30)), NULL));
	/* Ended: no address space. */
	ASSERT_STATUS(mx_process_read_memory(p, (uintptr_t)&cell, &v,
					     sizeof(v), &actual),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_process_write_memory(p, (uintptr_t)&cell, &v,
					      sizeof(v), &actual),
		      MX_ERR_BAD_STATE);
	ASSERT_OK(mx_handle_close(ch));
	ASSERT_OK(mx_handle_close(p));
}

TEST(own_memory_ignoring_protection)
{
	char *ro = mxt_read_only_page();
	char buf[16] = "breakpoint";
	size_t actual = 0;

	cell = 0x4444;
	ASSERT_OK(mx_process_read_memory(mx_process_self(), (uintptr_t)&cell,
					 buf, 8, &actual));
	ASSERT_EQ(actual, 8);
	ASSERT_EQ(memcmp(buf, (const void *)&cell, 8), 0);
	/* A read-only page is written, as a debugger writes code. */
	memcpy(buf, "breakpoint", 11);
	ASSERT_OK(mx_process_write_memory(mx_process_self(), (uintptr_t)ro,
					  buf, 11, &actual));
	ASSERT_EQ(actual, 11);
	ASSERT_EQ(memcmp(ro, "breakpoint", 11), 0);
}

TEST(one_mapping_at_most)
{
	char *m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static char buf[3 * 4096];
	size_t actual = 0;

	ASSERT_TRUE(m != MAP_FAILED);
	ASSERT_EQ(munmap(m + 2 * PG, PG), 0);
	memset(m, 0x5a, 2 * PG);
	/* Stops at the end of the mapping. */
	ASSERT_OK(mx_process_read_memory(mx_process_self(), (uintptr_t)m + PG,
					 buf, 2 * PG, &actual));
	ASSERT_EQ(actual, PG);
	ASSERT_EQ((unsigned char)buf[PG - 1], 0x5a);
	ASSERT_OK(mx_process_write_memory(mx_process_self(),
					  (uintptr_t)m + PG + 8, buf, 2 * PG,
					  &actual));
	ASSERT_EQ(actual, PG - 8);
	/* An address in no mapping. */
	ASSERT_STATUS(mx_process_read_memory(mx_process_self(),
					     (uintptr_t)m + 2 * PG, buf, 8,
					     &actual),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_process_write_memory(mx_process_self(),
					      (uintptr_t)m + 2 * PG, buf, 8,
					      &actual),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_process_read_memory(mx_process_self(), 0, buf, 8,
					     &actual),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_process_read_memory(mx_process_self(),
					     UINT64_MAX - 7, buf, 8, &actual),
		      MX_ERR_NO_MEMORY);
	ASSERT_EQ(munmap(m, 2 * PG), 0);
}

TEST(errors_in_order)
{
	mx_handle_t self = mx_process_self(), ro, wo, ev, never;
	uint64_t v = 0;
	size_t actual = 0;
	uintptr_t a = (uintptr_t)&cell;

	ASSERT_STATUS(mx_process_read_memory(0x12345, a, NULL, 8, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_process_read_memory(0x12345, a, &v, 0, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_process_write_memory(0x12345, a, &v,
					      (64u << 20) + 1, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_process_read_memory(0x12345, a, &v, 8, &actual),
		      MX_ERR_BAD_HANDLE);
	/* Reading needs READ and WRITE; writing WRITE. */
	ro = mxt_dup(self, MX_RIGHT_READ);
	wo = mxt_dup(self, MX_RIGHT_WRITE);
	ASSERT_STATUS(mx_process_read_memory(ro, a, &v, 8, &actual),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_process_write_memory(ro, a, &v, 8, &actual),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_process_read_memory(wo, a, &v, 8, &actual),
		      MX_ERR_ACCESS_DENIED);
	v = 0x5555;
	ASSERT_OK(mx_process_write_memory(wo, a, &v, 8, &actual));
	ASSERT_EQ(cell, 0x5555);
	ev = mxt_event();
	ASSERT_STATUS(mx_process_read_memory(ev, a, &v, 8, &actual),
		      MX_ERR_WRONG_TYPE);
	never = process_in(mx_job_default());
	ASSERT_STATUS(mx_process_read_memory(never, a, &v, 8, &actual),
		      MX_ERR_BAD_STATE);
	/* Bad pointers of the caller. */
	ASSERT_STATUS(mx_process_read_memory(self, a, (void *)8, 8, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_process_write_memory(self, a, (void *)8, 8, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_process_read_memory(self, a, &v, 8,
					     (size_t *)8),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_process_read_memory(self, a, mxt_read_only_page(), 8,
					     &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_handle_close(never));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(wo));
	ASSERT_OK(mx_handle_close(ro));
}

TEST(undumpable_process_refused)
{
	mx_handle_t ch = 0, p = start_cell(&ch, 1);
	uint64_t v = 0;
	size_t actual = 0;

	/* As ptrace: memory its own user may not read. */
	ASSERT_STATUS(mx_process_read_memory(p, (uintptr_t)&cell, &v,
					     sizeof(v), &actual),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_process_write_memory(p, (uintptr_t)&cell, &v,
					      sizeof(v), &actual),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_OK(mx_handle_close(ch));
	ASSERT_OK(mx_handle_close(p));
}

static void other_user(void *arg)
{
	uint64_t v;
	size_t actual;

	(void)arg;
	ASSERT_STATUS(mx_process_read_memory(0x12345, (uintptr_t)&cell, &v, 8,
					     &actual), MX_ERR_BAD_HANDLE);
	/* Its own memory, it may read. */
	ASSERT_OK(mx_process_read_memory(mx_process_self(), (uintptr_t)&cell,
					 &v, 8, &actual));
	ASSERT_EQ(actual, 8);
}

TEST(second_user)
{
	mxt_as_user(4344, other_user, NULL);
}

/* A read of more than a page goes page by page. */
TEST(big_read_in_pieces)
{
	size_t len = 1 << 20, actual = 0;
	char *src = malloc(len), *dst = malloc(len);

	ASSERT_TRUE(src && dst);
	for (size_t i = 0; i < len; i++)
		src[i] = (char)(i * 7);
	memset(dst, 0, len);
	ASSERT_OK(mx_process_read_memory(mx_process_self(), (uintptr_t)src,
					 dst, len, &actual));
	ASSERT_TRUE(actual > 0);
	ASSERT_EQ(memcmp(src, dst, actual), 0);
	free(src);
	free(dst);
}

/*
 * The caller's buffer held open by a racing thread: the handle is closed
 * and its value may name another object meanwhile; the call goes on with
 * the process it looked up.
 */
struct swap_ctx {
	mx_handle_t p;
	mx_handle_t ev;
};

static void during_swap(void *arg)
{
	struct swap_ctx *c = arg;

	ASSERT_OK(mx_handle_close(c->p));
	c->ev = mxt_event();
}

TEST(held_buffer_acts_on_the_process_looked_up)
{
	mx_handle_t ch = 0, p = start_cell(&ch, 0), keep;
	struct mxt_held held;
	struct swap_ctx c;
	size_t actual = 0;
	char *page;

	keep = mxt_dup(p, MX_RIGHT_SAME_RIGHTS);
	c.p = p;
	page = mxt_held_page(&held, during_swap, &c, false);
	ASSERT_OK(mx_process_read_memory(p, (uintptr_t)&cell, page, 8,
					 &actual));
	mxt_held_done(&held);
	ASSERT_EQ(actual, 8);
	ASSERT_EQ(*(uint64_t *)page, 0x2222);
	/* And with the buffer gone when it is touched: INVALID_ARGS. */
	c.p = mxt_dup(keep, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_handle_close(c.ev));
	page = mxt_held_page(&held, during_swap, &c, true);
	ASSERT_STATUS(mx_process_read_memory(c.p, (uintptr_t)&cell, page, 8,
					     &actual),
		      MX_ERR_INVALID_ARGS);
	mxt_held_done(&held);
	ASSERT_OK(mx_handle_close(c.ev));
	ASSERT_OK(mx_task_kill(keep));
	ASSERT_OK(mx_handle_close(keep));
	ASSERT_OK(mx_handle_close(ch));
}
