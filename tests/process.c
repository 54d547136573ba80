// SPDX-License-Identifier: MIT
/*
 * Processes: mx_process_create, mx_process_start, mx_process_exit,
 * mx_task_kill on processes, MX_INFO_PROCESS, the lifetime rules, and
 * death by every means (mx_process_exit, exit(), a crash, SIGKILL from
 * outside, mx_task_kill). Magenta's process.cpp cases that need no VMAR
 * (kill_process_via_thread_close, _via_process_close, _via_thread_kill,
 * kill_process_handle_cycle, info_reflects_process_state) are here, with
 * the new process a fork() of the test instead of a mini-process.
 */
#include "mxtest.h"

#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/vfs.h>

/* What a started process reports over its bootstrap channel. */
struct report {
	int32_t pid;
	int32_t job;
	uint64_t arg2;
	uint64_t arg1_koid;
	uint64_t self_koid;
	uint64_t thread_koid;
	uint64_t thread_related;
	uint32_t arg1_type;
	uint32_t pad;
};

static mx_handle_t create(const char *name, mx_handle_t *thread)
{
	mx_handle_t p = 0;

	ASSERT_OK(mx_process_create(mx_job_default(), name, strlen(name), 0,
				    &p, NULL));
	ASSERT_OK(mx_thread_create(p, "main", 4, 0, thread));
	return p;
}

/* Create and start a process running @entry with a bootstrap channel. */
static mx_handle_t launch(const char *name, void (*entry)(uintptr_t, uintptr_t),
			  uintptr_t arg2, mx_handle_t *ch, mx_handle_t *thread)
{
	mx_handle_t t = 0, p = create(name, &t), c0 = 0, c1 = 0;

	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry, mxt_stack(NULL), c1,
				   arg2));
	if (ch)
		*ch = c0;
	else
		ASSERT_OK(mx_handle_close(c0));
	/*
	 * Closing the last handle of a started thread kills it: without
	 * @thread, the handle stays open for as long as the test runs.
	 */
	if (thread)
		*thread = t;
	return p;
}

static void read_report(mx_handle_t ch, struct report *r)
{
	uint32_t nb = 0, nh = 0;

	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, r, NULL, sizeof(*r), 0, &nb, &nh));
	ASSERT_EQ(nb, sizeof(*r));
	ASSERT_EQ(nh, 0);
}

/* ---- entry points, run in the new process ---- */

static mx_koid_t koid_of(mx_handle_t h, mx_koid_t *related, uint32_t *type)
{
	mx_info_handle_basic_t b;

	if (mx_object_get_info(h, MX_INFO_HANDLE_BASIC, &b, sizeof(b), NULL,
			       NULL) != MX_OK)
		return 0;
	if (related)
		*related = b.related_koid;
	if (type)
		*type = b.type;
	return b.koid;
}

static void send_report(mx_handle_t ch, uintptr_t arg2)
{
	struct report r;
	mx_handle_t t = mx_thread_self();

	memset(&r, 0, sizeof(r));
	r.pid = getpid();
	r.job = mx_job_default();
	r.arg2 = arg2;
	r.arg1_koid = koid_of(ch, NULL, &r.arg1_type);
	r.self_koid = koid_of(mx_process_self(), NULL, NULL);
	r.thread_koid = koid_of(t, &r.thread_related, NULL);
	mx_channel_write(ch, 0, &r, sizeof(r), NULL, 0);
}

/* Report, take a return code from the parent, exit with it. */
static void entry_echo(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1;
	int32_t code = 99;

	send_report(ch, arg2);
	mx_object_wait_one(ch, MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	mx_channel_read(ch, 0, &code, NULL, sizeof(code), 0, NULL, NULL);
	mx_process_exit(code);
}

/* As entry_echo, with exit(): the code comes from the Linux exit status. */
static void entry_echo_libc(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1;
	int32_t code = 99;

	send_report(ch, arg2);
	mx_object_wait_one(ch, MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	mx_channel_read(ch, 0, &code, NULL, sizeof(code), 0, NULL, NULL);
	exit(code);
}

static void entry_mx_exit(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg1;
	mx_process_exit((int)arg2);
}

static void entry_libc_exit(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg1;
	exit((int)arg2);
}

static void entry_crash(uintptr_t arg1, uintptr_t arg2)
{
	int *volatile bad = (int *)16;

	(void)arg1;
	(void)arg2;
	*bad = 1;
}

/* Report, then block until killed. */
static void entry_block(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1;

	send_report(ch, arg2);
	for (;;)
		mx_object_wait_one(ch, MX_USER_SIGNAL_0, MX_TIME_INFINITE,
				   NULL);
}

/* Take one handle from the parent, hold it, say so, block. */
static void entry_hold(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1, held = 0;
	uint32_t nh = 0;

	(void)arg2;
	mx_object_wait_one(ch, MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	mx_channel_read(ch, 0, NULL, &held, 0, 1, NULL, &nh);
	mx_channel_write(ch, 0, "ok", 2, NULL, 0);
	for (;;)
		mx_object_wait_one(ch, MX_USER_SIGNAL_0, MX_TIME_INFINITE,
				   NULL);
}

/* ---- mx_process_create ---- */

TEST(create_gives_an_initial_process)
{
	mx_handle_t p = 0, vmar = 0x55;
	mx_info_handle_basic_t b;
	mx_info_process_t info;
	char name[MX_MAX_NAME_LEN];

	ASSERT_OK(mx_process_create(mx_job_default(), "child", 5, 0, &p,
				    &vmar));
	ASSERT_TRUE(p > 0);
	/* The new process's root VMAR, empty until it starts. */
	ASSERT_TRUE(vmar > 0);
	b = mxt_basic(vmar);
	ASSERT_EQ(b.type, MX_OBJ_TYPE_VMAR);
	ASSERT_EQ(b.rights, 0x1F);
	ASSERT_NE(b.koid, mxt_basic(mx_vmar_root_self()).koid);
	b = mxt_basic(p);
	ASSERT_EQ(b.type, MX_OBJ_TYPE_PROCESS);
	ASSERT_EQ(b.rights, 0x3CF);
	ASSERT_EQ(b.related_koid, mxt_basic(mx_job_default()).koid);
	ASSERT_NE(b.koid, mxt_basic(mx_process_self()).koid);
	ASSERT_EQ(mxt_signals(p), MX_SIGNAL_LAST_HANDLE);
	info = mxt_process_info(p);
	ASSERT_EQ(info.started, 0);
	ASSERT_EQ(info.exited, 0);
	ASSERT_EQ(info.return_code, 0);
	ASSERT_OK(mx_object_get_property(p, MX_PROP_NAME, name, sizeof(name)));
	ASSERT_EQ(strcmp(name, "child"), 0);
	/* vmar_handle may be NULL. */
	ASSERT_OK(mx_process_create(mx_job_default(), "x", 1, 0, &p, NULL));
}

TEST(create_errors_in_order)
{
	mx_handle_t job = mx_job_default(), ro = 0, ev = 0, p = 0;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(job, MX_RIGHT_READ, &ro));
	ASSERT_STATUS(mx_process_create(MX_HANDLE_INVALID, "a", 1, 1, &p,
					NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_process_create(MX_HANDLE_INVALID, (const char *)1, 3,
					0, &p, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_process_create(MX_HANDLE_INVALID, "a", 1, 0, &p,
					NULL), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_process_create(ro, "a", 1, 0, &p, NULL),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_process_create(ev, "a", 1, 0, &p, NULL),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_process_create(job, "a", 1, 0, (mx_handle_t *)1,
					NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_process_create(job, "a", 1, 0, &p,
					(mx_handle_t *)1), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(p, 0);
}

/* ---- mx_process_start ---- */

/* mini_process_sanity, in mx's terms */
TEST(start_runs_entry_in_a_new_process)
{
	mx_handle_t t = 0, ch = 0, p = launch("echo", entry_echo, 0xfeed, &ch,
					      &t);
	struct report r;
	mx_info_process_t info;
	int32_t code = -12345;

	info = mxt_process_info(p);
	ASSERT_EQ(info.started, 1);
	ASSERT_EQ(info.exited, 0);
	read_report(ch, &r);
	ASSERT_NE(r.pid, getpid());
	ASSERT_EQ(r.arg2, 0xfeed);
	/* arg1 is the other end of our channel, now in its table. */
	ASSERT_EQ(r.arg1_type, MX_OBJ_TYPE_CHANNEL);
	ASSERT_EQ(r.arg1_koid, mxt_basic(ch).related_koid);
	ASSERT_EQ(r.self_koid, mxt_basic(p).koid);
	/* Its first thread is the thread object we made. */
	ASSERT_EQ(r.thread_koid, mxt_basic(t).koid);
	ASSERT_EQ(r.thread_related, mxt_basic(p).koid);
	/* A started process has no job handle unless given one. */
	ASSERT_EQ(r.job, MX_HANDLE_INVALID);
	ASSERT_OK(mx_channel_write(ch, 0, &code, sizeof(code), NULL, 0));
	ASSERT_EQ(mxt_return_code_after_death(p), -12345);
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	mxt_wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
}

TEST(start_moves_arg1)
{
	mx_handle_t t = 0, p = create("mv", &t), c0 = 0, c1 = 0;

	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_block,
				   mxt_stack(NULL), c1, 0));
	ASSERT_STATUS(mx_object_get_info(c1, MX_INFO_HANDLE_VALID, NULL, 0,
					 NULL, NULL), MX_ERR_BAD_HANDLE);
	ASSERT_EQ(mxt_signals(c0) & MX_CHANNEL_PEER_CLOSED, 0);
	ASSERT_OK(mx_task_kill(p));
	/* Its table is closed when it dies: our end sees the peer go. */
	mxt_wait_signal(c0, MX_CHANNEL_PEER_CLOSED);
}

TEST(start_errors_in_order)
{
	mx_handle_t t = 0, p = create("e", &t), t2 = 0, p2 = create("f", &t2);
	mx_handle_t ev = 0, ro = 0, tro = 0;
	uintptr_t s = mxt_stack(NULL), e = (uintptr_t)entry_block;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(p, MX_RIGHT_READ, &ro));
	ASSERT_OK(mx_handle_duplicate(t, MX_RIGHT_READ, &tro));
	ASSERT_STATUS(mx_process_start(MX_HANDLE_INVALID, t, e, s, ev, 0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_process_start(ro, t, e, s, ev, 0),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_process_start(t, t, e, s, ev, 0), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_process_start(p, MX_HANDLE_INVALID, e, s, ev, 0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_process_start(p, tro, e, s, ev, 0),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_process_start(p, p2, e, s, ev, 0), MX_ERR_WRONG_TYPE);
	/* A thread of another process. */
	ASSERT_STATUS(mx_process_start(p, t2, e, s, ev, 0),
		      MX_ERR_ACCESS_DENIED);
	/* arg1 must be a handle (no right is needed). */
	ASSERT_STATUS(mx_process_start(p, t, e, s, MX_HANDLE_INVALID, 0),
		      MX_ERR_INVALID_ARGS);
	/* Nothing was consumed or started so far. */
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_process_info(p).started, 0);
}

/* Once taken, arg1 is not given back on a later failure (Magenta). */
TEST(start_twice_is_bad_state_and_consumes_arg1)
{
	mx_handle_t t = 0, ch = 0, p = launch("twice", entry_block, 0, &ch,
					      &t);
	mx_handle_t ev = 0;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(mx_process_start(p, t, (uintptr_t)entry_block,
				       mxt_stack(NULL), ev, 0),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_VALID, NULL, 0,
					 NULL, NULL), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
}

TEST(start_after_kill_is_bad_state)
{
	mx_handle_t t = 0, p = create("k", &t), ev = 0;
	mx_info_process_t info;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_task_kill(p));
	mxt_wait_signal(p, MX_TASK_TERMINATED);
	info = mxt_process_info(p);
	ASSERT_EQ(info.exited, 1);
	ASSERT_EQ(info.return_code, -1);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_STATUS(mx_process_start(p, t, (uintptr_t)entry_block,
				       mxt_stack(NULL), ev, 0),
		      MX_ERR_BAD_STATE);
	/* A thread of a dead process cannot be made. */
	ASSERT_STATUS(mx_thread_create(p, "x", 1, 0, &t), MX_ERR_BAD_STATE);
}

TEST(threads_of_another_running_process_not_supported)
{
	mx_handle_t t = 0, ch = 0, p = launch("other", entry_block, 0, &ch,
					      &t);
	mx_handle_t t2 = 0;

	ASSERT_STATUS(mx_thread_create(p, "x", 1, 0, &t2),
		      MX_ERR_NOT_SUPPORTED);
	/* Its first thread was started already. */
	ASSERT_STATUS(mx_thread_start(t, (uintptr_t)entry_block,
				      mxt_stack(NULL), 0, 0), MX_ERR_BAD_STATE);
	ASSERT_OK(mx_task_kill(p));
	mxt_wait_signal(p, MX_TASK_TERMINATED);
}

/* ---- every kind of death ---- */

TEST(return_code_of_mx_process_exit)
{
	mx_handle_t p = launch("e1", entry_mx_exit, (uintptr_t)-7, NULL, NULL);

	ASSERT_EQ(mxt_return_code_after_death(p), -7);
	p = launch("e2", entry_mx_exit, 0, NULL, NULL);
	ASSERT_EQ(mxt_return_code_after_death(p), 0);
	/* Up to 255 the exit status carries it; above, the module is told. */
	p = launch("e3", entry_mx_exit, 255, NULL, NULL);
	ASSERT_EQ(mxt_return_code_after_death(p), 255);
	p = launch("e4", entry_mx_exit, 256, NULL, NULL);
	ASSERT_EQ(mxt_return_code_after_death(p), 256);
}

/* Exit 6 if only SIGUSR2 of these is blocked, else 9. */
static void entry_mask(uintptr_t arg1, uintptr_t arg2)
{
	sigset_t set;

	(void)arg1;
	(void)arg2;
	sigprocmask(SIG_SETMASK, NULL, &set);
	mx_process_exit(sigismember(&set, SIGUSR2) &&
			!sigismember(&set, SIGUSR1) &&
			!sigismember(&set, SIGTERM) ? 6 : 9);
}

/* The start blocks every signal around its fork: entry runs without. */
TEST(start_keeps_the_callers_signal_mask)
{
	sigset_t set, old;
	mx_handle_t p;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &set, &old), 0);
	p = launch("mask", entry_mask, 0, NULL, NULL);
	ASSERT_EQ(pthread_sigmask(SIG_SETMASK, &old, &set), 0);
	ASSERT_TRUE(sigismember(&set, SIGUSR2));
	ASSERT_TRUE(!sigismember(&set, SIGUSR1));
	ASSERT_EQ(mxt_return_code_after_death(p), 6);
}

TEST(return_code_of_exit)
{
	mx_handle_t p = launch("e3", entry_libc_exit, 3, NULL, NULL);

	ASSERT_EQ(mxt_return_code_after_death(p), 3);
}

TEST(crash_is_minus_one)
{
	mx_handle_t p = launch("crash", entry_crash, 0, NULL, NULL);

	ASSERT_EQ(mxt_return_code_after_death(p), -1);
}

TEST(sigkill_from_outside)
{
	mx_handle_t ch = 0, p = launch("victim", entry_block, 0, &ch, NULL);
	struct report r;

	read_report(ch, &r);
	ASSERT_EQ(kill(r.pid, SIGKILL), 0);
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
	mxt_wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
}

/* info_reflects_process_state */
TEST(info_reflects_process_state)
{
	mx_handle_t t = 0, p = create("states", &t), c0 = 0, c1 = 0;
	mx_info_process_t info;

	info = mxt_process_info(p);
	ASSERT_EQ(info.started, 0);
	ASSERT_EQ(info.exited, 0);
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_block,
				   mxt_stack(NULL), c1, 0));
	info = mxt_process_info(p);
	ASSERT_EQ(info.started, 1);
	ASSERT_EQ(info.exited, 0);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_NE(mxt_return_code_after_death(p), 0);
	ASSERT_EQ(mxt_process_info(p).return_code, -1);
	/* Its thread is dead too. */
	mxt_wait_signal(t, MX_TASK_TERMINATED);
}

/* ---- lifetime ---- */

/* kill_process_via_process_close */
TEST(kill_process_via_process_close)
{
	mx_handle_t ch = 0, p = launch("pclose", mxt_entry_ready, 0, &ch, NULL);
	char ok[2];

	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, ok, NULL, 2, 0, NULL, NULL));
	ASSERT_OK(mx_handle_close(p));
	mxt_wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
}

/* kill_process_via_thread_close */
TEST(kill_process_via_thread_close)
{
	mx_handle_t t = 0, ch = 0, p = launch("tclose", entry_hold, 0, &ch,
					      &t);

	(void)p;
	ASSERT_OK(mx_handle_close(t));
	mxt_wait_signal(p, MX_TASK_TERMINATED);
	ASSERT_EQ(mxt_signals(p), MX_TASK_TERMINATED | MX_SIGNAL_LAST_HANDLE);
	mxt_wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
}

/* kill_process_via_thread_kill: the last thread gone, the code stays 0. */
TEST(kill_process_via_thread_kill)
{
	mx_handle_t t = 0, ch = 0, p = launch("tkill", entry_block, 0, &ch,
					      &t);
	struct report r;

	read_report(ch, &r);
	ASSERT_OK(mx_task_kill(t));
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_EQ(mxt_return_code_after_death(p), 0);
}

/* kill_process_handle_cycle */
TEST(kill_process_handle_cycle)
{
	mx_handle_t ta = 0, tb = 0, cha = 0, chb = 0, da = 0, db = 0;
	mx_handle_t pa = launch("cycle-a", entry_hold, 0, &cha, &ta);
	mx_handle_t pb = launch("cycle-b", entry_hold, 0, &chb, &tb);
	char ok[2];

	ASSERT_OK(mx_handle_duplicate(pb, MX_RIGHT_SAME_RIGHTS, &db));
	ASSERT_OK(mx_handle_duplicate(pa, MX_RIGHT_SAME_RIGHTS, &da));
	ASSERT_OK(mx_channel_write(cha, 0, NULL, 0, &db, 1));
	ASSERT_OK(mx_channel_write(chb, 0, NULL, 0, &da, 1));
	mxt_wait_signal(cha, MX_CHANNEL_READABLE);
	mxt_wait_signal(chb, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(cha, 0, ok, NULL, 2, 0, NULL, NULL));
	ASSERT_OK(mx_channel_read(chb, 0, ok, NULL, 2, 0, NULL, NULL));

	/* Each holds the other's only handle: both live on. */
	ASSERT_OK(mx_handle_close(pa));
	ASSERT_OK(mx_handle_close(pb));
	ASSERT_STATUS(mx_object_wait_one(cha, MX_CHANNEL_PEER_CLOSED,
					 mx_deadline_after(MX_MSEC(250)), NULL),
		      MX_ERR_TIMED_OUT);
	ASSERT_EQ(mxt_signals(chb) & MX_CHANNEL_PEER_CLOSED, 0);

	/* One dies, its table closes, the other's last handle goes. */
	ASSERT_OK(mx_handle_close(ta));
	mxt_wait_signal(cha, MX_CHANNEL_PEER_CLOSED);
	mxt_wait_signal(chb, MX_CHANNEL_PEER_CLOSED);
	mxt_wait_signal(tb, MX_TASK_TERMINATED);
}

TEST(started_process_gets_a_self_handle)
{
	mx_handle_t ch = 0, p = launch("self", entry_block, 0, &ch, NULL);
	struct report r;

	read_report(ch, &r);
	ASSERT_EQ(r.self_koid, mxt_basic(p).koid);
	/* It holds a handle to itself now: closing ours does not kill it. */
	ASSERT_OK(mx_handle_close(p));
	ASSERT_STATUS(mx_object_wait_one(ch, MX_CHANNEL_PEER_CLOSED,
					 mx_deadline_after(MX_MSEC(100)), NULL),
		      MX_ERR_TIMED_OUT);
	ASSERT_EQ(kill(r.pid, SIGKILL), 0);
	mxt_wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
}

/* ---- names ---- */

TEST(process_name_is_the_linux_name)
{
	mx_handle_t ch = 0, p = launch("a-long-process-name", entry_block, 0,
				       &ch, NULL);
	const char *n = "renamed-process-x";
	struct report r;
	char comm[32];

	read_report(ch, &r);
	mxt_comm(r.pid, comm, sizeof(comm));
	ASSERT_EQ(strcmp(comm, "a-long-process-"), 0);
	ASSERT_OK(mx_object_set_property(p, MX_PROP_NAME, n, strlen(n)));
	mxt_comm(r.pid, comm, sizeof(comm));
	ASSERT_EQ(strcmp(comm, "renamed-process"), 0);
	ASSERT_OK(mx_task_kill(p));
	mxt_wait_signal(p, MX_TASK_TERMINATED);
}

/* ---- many at once ---- */

#define NSTARTERS	4
#define NPERSTARTER	6

static void *starter(void *arg)
{
	int base = (int)(intptr_t)arg, i, bad = 0;
	mx_handle_t p[NPERSTARTER];
	mx_info_process_t info;

	for (i = 0; i < NPERSTARTER; i++)
		p[i] = launch("many", entry_mx_exit, (uintptr_t)(base + i),
			      NULL, NULL);
	for (i = 0; i < NPERSTARTER; i++) {
		if (mx_object_wait_one(p[i], MX_TASK_TERMINATED,
				       MX_TIME_INFINITE, NULL) != MX_OK ||
		    mx_object_get_info(p[i], MX_INFO_PROCESS, &info,
				       sizeof(info), NULL, NULL) != MX_OK ||
		    info.return_code != base + i)
			bad++;
		mx_handle_close(p[i]);
	}
	return (void *)(intptr_t)bad;
}

TEST(many_processes_started_concurrently)
{
	pthread_t pt[NSTARTERS];
	void *bad;
	int i;

	for (i = 0; i < NSTARTERS; i++)
		ASSERT_EQ(pthread_create(&pt[i], NULL, starter,
					 (void *)(intptr_t)(100 * (i + 1))), 0);
	for (i = 0; i < NSTARTERS; i++) {
		ASSERT_EQ(pthread_join(pt[i], &bad), 0);
		ASSERT_EQ((intptr_t)bad, 0);
	}
}

/* ---- a tree of 50 processes exchanging handles ---- */

#define TREE_SIZE	50

/* Exit with a code that says where a node failed. */
#define NODE_CHECK(expr)						\
	do {								\
		if (!(expr))						\
			mx_process_exit(-1000 - __LINE__);		\
	} while (0)

/* Start a node of @n processes in @job, handing it a duplicate of @job. */
static mx_handle_t start_node(mx_handle_t job, uint32_t n, mx_handle_t *ch,
			      void (*entry)(uintptr_t, uintptr_t))
{
	mx_handle_t p = 0, t = 0, c1 = 0, j = 0;

	if (mx_process_create(job, "tree", 4, 0, &p, NULL) != MX_OK ||
	    mx_thread_create(p, "t", 1, 0, &t) != MX_OK ||
	    mx_channel_create(0, ch, &c1) != MX_OK ||
	    mx_handle_duplicate(job, MX_RIGHT_SAME_RIGHTS, &j) != MX_OK ||
	    mx_channel_write(*ch, 0, NULL, 0, &j, 1) != MX_OK ||
	    mx_process_start(p, t, (uintptr_t)entry, mxt_stack(NULL), c1, n) !=
		    MX_OK)
		return MX_HANDLE_INVALID;
	return p;
}

/*
 * A node of @arg2 processes: take the job from the first message, start
 * two subtrees sharing the rest, pass up a duplicate of an event of its
 * own and every event its subtrees passed up, wait until the test signals
 * its event, see its children exit with their sizes, exit with its own
 * size.
 */
static void entry_tree(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t up = (mx_handle_t)arg1, ev = 0, job = 0, hs[TREE_SIZE];
	mx_handle_t ch[2] = { 0, 0 }, p[2] = { 0, 0 };
	uint32_t n = (uint32_t)arg2, sub[2], count = 1, nb = 0, nh = 0, got;
	mx_info_process_t info;
	int i;

	NODE_CHECK(mx_object_wait_one(up, MX_CHANNEL_READABLE,
				      MX_TIME_INFINITE, NULL) == MX_OK);
	NODE_CHECK(mx_channel_read(up, 0, NULL, &job, 0, 1, &nb, &nh) ==
		   MX_OK && nh == 1);
	sub[0] = (n - 1) / 2;
	sub[1] = n - 1 - sub[0];
	NODE_CHECK(mx_event_create(0, &ev) == MX_OK);
	NODE_CHECK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &hs[0]) ==
		   MX_OK);
	for (i = 0; i < 2; i++)
		if (sub[i])
			NODE_CHECK((p[i] = start_node(job, sub[i], &ch[i],
						      entry_tree)) > 0);
	for (i = 0; i < 2; i++) {
		if (!sub[i])
			continue;
		NODE_CHECK(mx_object_wait_one(ch[i], MX_CHANNEL_READABLE,
					      MX_TIME_INFINITE, NULL) == MX_OK);
		NODE_CHECK(mx_channel_read(ch[i], 0, &got, hs + count,
					   sizeof(got), TREE_SIZE - count, &nb,
					   &nh) == MX_OK);
		NODE_CHECK(nb == sizeof(got) && got == sub[i] && nh == got);
		count += nh;
	}
	NODE_CHECK(count == n);
	NODE_CHECK(mx_channel_write(up, 0, &count, sizeof(count), hs, count) ==
		   MX_OK);
	NODE_CHECK(mx_object_wait_one(ev, MX_USER_SIGNAL_0, MX_TIME_INFINITE,
				      NULL) == MX_OK);
	for (i = 0; i < 2; i++) {
		if (!sub[i])
			continue;
		NODE_CHECK(mx_object_wait_one(p[i], MX_TASK_TERMINATED,
					      MX_TIME_INFINITE, NULL) == MX_OK);
		NODE_CHECK(mx_object_get_info(p[i], MX_INFO_PROCESS, &info,
					      sizeof(info), NULL, NULL) ==
			   MX_OK);
		NODE_CHECK(info.return_code == (int)sub[i]);
	}
	mx_process_exit((int)n);
}

TEST(tree_of_50_processes_exchanging_handles)
{
	mx_handle_t job = 0, ch = 0, p, hs[TREE_SIZE];
	mx_koid_t koids[TREE_SIZE];
	uint32_t got = 0, nb = 0, nh = 0;
	mx_info_process_t info;
	int i, j;

	ASSERT_OK(mx_job_create(mx_job_default(), 0, &job));
	p = start_node(job, TREE_SIZE, &ch, entry_tree);
	ASSERT_TRUE(p > 0);
	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, &got, hs, sizeof(got), TREE_SIZE,
				  &nb, &nh));
	ASSERT_EQ(got, TREE_SIZE);
	ASSERT_EQ(nh, TREE_SIZE);
	/* Fifty different events, one from each process, all ours now. */
	for (i = 0; i < TREE_SIZE; i++) {
		koids[i] = mxt_basic(hs[i]).koid;
		ASSERT_EQ(mxt_basic(hs[i]).type, MX_OBJ_TYPE_EVENT);
		for (j = 0; j < i; j++)
			ASSERT_NE(koids[i], koids[j]);
	}
	ASSERT_EQ(mxt_signals(job) & MX_JOB_NO_PROCESSES, 0);
	for (i = 0; i < TREE_SIZE; i++)
		ASSERT_OK(mx_object_signal(hs[i], 0, MX_USER_SIGNAL_0));
	mxt_wait_signal(p, MX_TASK_TERMINATED);
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS, &info, sizeof(info),
				     NULL, NULL));
	ASSERT_EQ(info.return_code, TREE_SIZE);
	/* Every node waited for its children: the job is empty. */
	mxt_wait_signal(job, MX_JOB_NO_PROCESSES);
}

/* ---- a parent dying while it starts children ---- */

#define MID_STARTERS	3
#define MID_EACH	40

static mx_handle_t mid_job, mid_up;

/* In the doomed parent: start children without end, each with a channel
 * whose other end goes to the test first. */
static void *mid_starter(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < MID_EACH; i++) {
		mx_handle_t c0 = 0, c1 = 0, p = 0, t = 0;

		if (mx_channel_create(0, &c0, &c1) != MX_OK ||
		    mx_channel_write(mid_up, 0, "c", 1, &c0, 1) != MX_OK ||
		    mx_process_create(mid_job, "mid-child", 9, 0, &p,
				      NULL) != MX_OK ||
		    mx_thread_create(p, "t", 1, 0, &t) != MX_OK ||
		    mx_process_start(p, t, (uintptr_t)mxt_entry_ready,
				     mxt_stack(NULL), c1, 0) != MX_OK)
			mx_process_exit(-2);
	}
	for (;;)
		pause();
}

static void entry_mid_parent(uintptr_t arg1, uintptr_t arg2)
{
	pthread_t th;
	uint32_t nb = 0, nh = 0;
	int32_t pid = getpid();
	int i;

	(void)arg2;
	mid_up = (mx_handle_t)arg1;
	mx_object_wait_one(mid_up, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
			   NULL);
	if (mx_channel_read(mid_up, 0, NULL, &mid_job, 0, 1, &nb, &nh) !=
	    MX_OK)
		mx_process_exit(-3);
	if (mx_channel_write(mid_up, 0, &pid, sizeof(pid), NULL, 0) != MX_OK)
		mx_process_exit(-5);
	for (i = 0; i < MID_STARTERS; i++)
		if (pthread_create(&th, NULL, mid_starter, NULL) != 0)
			mx_process_exit(-4);
	for (;;)
		pause();
}

static void parent_dies_mid_start(int by_sigkill)
{
	mx_handle_t job = 0, ch = 0, p, ends[MID_STARTERS * MID_EACH];
	uint32_t nb = 0, nh = 0, n = 0, i;
	int32_t pid = 0;
	char c;

	ASSERT_OK(mx_job_create(mx_job_default(), 0, &job));
	p = start_node(job, 0, &ch, entry_mid_parent);
	ASSERT_TRUE(p > 0);
	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, &pid, NULL, sizeof(pid), 0, &nb,
				  &nh));
	ASSERT_EQ(nb, sizeof(pid));
	/* Let it get a few children going, then kill it mid-start. */
	while (n < 12) {
		mxt_wait_signal(ch, MX_CHANNEL_READABLE);
		ASSERT_OK(mx_channel_read(ch, 0, &c, &ends[n], 1, 1, &nb,
					  &nh));
		ASSERT_EQ(nh, 1);
		n++;
	}
	if (by_sigkill) {
		ASSERT_EQ(kill(pid, SIGKILL), 0);
	} else {
		ASSERT_OK(mx_task_kill(p));
	}
	mxt_wait_signal(p, MX_TASK_TERMINATED);
	/* Its table closed: every child it held, started or not, dies. */
	for (;;) {
		mx_status_t s = mx_channel_read(ch, 0, &c, &ends[n], 1, 1,
						&nb, &nh);

		if (s == MX_ERR_PEER_CLOSED)
			break;
		ASSERT_OK(s);
		ASSERT_EQ(nh, 1);
		ASSERT_TRUE(++n <= MID_STARTERS * MID_EACH);
	}
	for (i = 0; i < n; i++)
		mxt_wait_signal(ends[i], MX_CHANNEL_PEER_CLOSED);
	mxt_wait_signal(job, MX_JOB_NO_PROCESSES);
}

TEST(parent_killed_mid_start)
{
	parent_dies_mid_start(0);
}

TEST(parent_sigkilled_mid_start)
{
	parent_dies_mid_start(1);
}

/* ---- living with Linux: waitpid, job control, ptrace ---- */

TEST(stop_continue_and_waitpid)
{
	mx_handle_t t = 0, ch = 0, p = launch("stopped", entry_block, 0, &ch,
					      &t);
	struct report r;
	int status = 0;

	read_report(ch, &r);
	ASSERT_EQ(kill(r.pid, SIGSTOP), 0);
	ASSERT_EQ(waitpid(r.pid, &status, WUNTRACED), r.pid);
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_SUSPENDED);
	ASSERT_EQ(mxt_signals(p) & MX_TASK_TERMINATED, 0);
	ASSERT_EQ(kill(r.pid, SIGCONT), 0);
	ASSERT_EQ(waitpid(r.pid, &status, WCONTINUED), r.pid);
	ASSERT_TRUE(WIFCONTINUED(status));
	mxt_wait_blocked(r.pid, NULL);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_BLOCKED);
	/* A kill is a SIGKILL its Linux parent sees as such. */
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(waitpid(r.pid, &status, 0), r.pid);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(WTERMSIG(status), SIGKILL);
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_DEAD);
}

TEST(traced_process_is_suspended_and_can_be_killed)
{
	mx_handle_t t = 0, ch = 0, p = launch("traced", entry_block, 0, &ch,
					      &t);
	struct report r;
	int status = 0;

	read_report(ch, &r);
	ASSERT_EQ(ptrace(PTRACE_SEIZE, r.pid, NULL, NULL), 0);
	ASSERT_EQ(ptrace(PTRACE_INTERRUPT, r.pid, NULL, NULL), 0);
	ASSERT_EQ(waitpid(r.pid, &status, 0), r.pid);
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_SUSPENDED);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(waitpid(r.pid, &status, 0), r.pid);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
	mxt_wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
}

/* Reaped by its parent before mx looked: the code is kept. */
TEST(exit_code_survives_waitpid)
{
	mx_handle_t t = 0, ch = 0, p = launch("reaped", entry_echo_libc, 0, &ch,
					      &t);
	struct report r;
	int32_t code = 42;
	int status = 0;

	read_report(ch, &r);
	ASSERT_OK(mx_channel_write(ch, 0, &code, sizeof(code), NULL, 0));
	ASSERT_EQ(waitpid(r.pid, &status, 0), r.pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 42);
	ASSERT_EQ(mxt_return_code_after_death(p), 42);
}

/*
 * MX_INFO_PROCESS read while the process exits: once it reads exited (or
 * MX_TASK_TERMINATED is asserted) the return code is final. The process
 * holds many handles, so that its end, which closes them, takes a while.
 */
static void entry_many_handles_exit(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1, ev;
	int32_t code = 0;
	uintptr_t i;

	for (i = 0; i < arg2; i++)
		if (mx_event_create(0, &ev) != MX_OK)
			mx_process_exit(98);
	mx_channel_write(ch, 0, "ok", 2, NULL, 0);
	mx_object_wait_one(ch, MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	mx_channel_read(ch, 0, &code, NULL, sizeof(code), 0, NULL, NULL);
	exit(code);
}

TEST(exited_is_seen_with_the_final_return_code)
{
	int32_t codes[3] = { 200, 7, 0 };
	int round;

	for (round = 0; round < 3; round++) {
		mx_handle_t ch = 0, t = 0, p;
		mx_info_process_t info;
		char ok[2];
		long reads = 0;

		p = launch("many", entry_many_handles_exit, 10000, &ch, &t);
		mxt_wait_signal(ch, MX_CHANNEL_READABLE);
		ASSERT_OK(mx_channel_read(ch, 0, ok, NULL, 2, 0, NULL, NULL));
		ASSERT_OK(mx_channel_write(ch, 0, &codes[round],
					   sizeof(codes[round]), NULL, 0));
		do {
			info = mxt_process_info(p);
			reads++;
		} while (!info.exited);
		ASSERT_EQ(info.started, 1);
		ASSERT_EQ(info.return_code, codes[round]);
		ASSERT_EQ(mxt_return_code_after_death(p), codes[round]);
		ASSERT_TRUE(reads > 0);
		ASSERT_OK(mx_handle_close(t));
		ASSERT_OK(mx_handle_close(ch));
		ASSERT_OK(mx_handle_close(p));
	}
}

/* Magenta's race-tests: two threads exit with 100 and 200 at once. */
static void *exit_200(void *arg)
{
	(void)arg;
	mx_process_exit(200);
}

static void entry_two_exits(uintptr_t arg1, uintptr_t arg2)
{
	pthread_t th;

	(void)arg1;
	(void)arg2;
	pthread_create(&th, NULL, exit_200, NULL);
	mx_process_exit(100);
}

TEST(process_exit_status_race)
{
	int round;

	for (round = 0; round < 10; round++) {
		mx_handle_t t = 0, p = launch("race", entry_two_exits, 0, NULL,
					      &t);
		mx_info_process_t info, again;

		do {
			info = mxt_process_info(p);
			sched_yield();
		} while (!info.exited);
		ASSERT_TRUE(info.return_code == 100 ||
			    info.return_code == 200);
		again = mxt_process_info(p);
		ASSERT_EQ(again.exited, 1);
		ASSERT_EQ(again.return_code, info.return_code);
		ASSERT_EQ(mxt_return_code_after_death(p), info.return_code);
		ASSERT_OK(mx_handle_close(t));
		ASSERT_OK(mx_handle_close(p));
	}
}

/*
 * ---- the OOM killer ----
 *
 * The kernel prints a call trace with every OOM kill; the case tells the
 * VM harness first ("mx-test: expect oom" in the kernel log), which then
 * does not count that report as a failure (tests/runner/parse.awk). The
 * OOM killer's SIGKILL takes the same path as sigkill_from_outside.
 */

/* Report, wait for the word, then use memory until something stops it. */
static void entry_hog(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1;
	size_t i;

	send_report(ch, arg2);
	mx_object_wait_one(ch, MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	for (i = 0; i < 1024; i++) {
		char *m = malloc(1 << 20);

		if (!m)
			break;
		memset(m, 1, 1 << 20);
	}
	mx_process_exit(7);
}

TEST(oom_killed_process_is_terminated)
{
	mx_handle_t t = 0, ch = 0, p;
	char dir[128], path[160], num[32];
	struct report r;

	mxt_cgroup_ready();
	snprintf(dir, sizeof(dir), MXT_CGROOT "/mx-oom-%d", (int)getpid());
	if (mkdir(dir, 0755))
		FAIL("mkdir %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/memory.max", dir);
	ASSERT_EQ(mxt_write_file(path, "16777216"), 0);
	snprintf(path, sizeof(path), "%s/memory.swap.max", dir);
	mxt_write_file(path, "0");	/* absent without swap accounting */

	ASSERT_EQ(mxt_write_file("/dev/kmsg", "mx-test: expect oom\n"), 0);
	p = launch("hog", entry_hog, 0, &ch, &t);
	read_report(ch, &r);
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(num, sizeof(num), "%d", (int)r.pid);
	ASSERT_EQ(mxt_write_file(path, num), 0);
	ASSERT_OK(mx_channel_write(ch, 0, "go", 2, NULL, 0));
	/* The cgroup's OOM killer sends SIGKILL: a death like any other. */
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	mxt_wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
	ASSERT_EQ(waitpid(r.pid, NULL, 0), r.pid);
	rmdir(dir);
}

/*
 * ---- binding: nothing but a fresh child of the caller can be claimed ----
 *
 * libmx always names its own new fork() child; these cases make the
 * second step of mx_process_start (and of mx_thread_start) by hand with
 * other tasks.
 */

static int mx_fd(void)
{
	int fd = open("/dev/mx", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		FAIL("open /dev/mx: %s", strerror(errno));
	return fd;
}

/* The arm step of mx_process_start, made by hand in the calling thread. */
static mx_status_t start_ioctl(struct mx_ioc_process_start *a)
{
	int fd = mx_fd(), r = ioctl(fd, MX_IOC_PROCESS_START, a);

	close(fd);
	if (r < 0)
		FAIL("ioctl: %s", strerror(errno));
	return -r;
}

static mx_status_t arm(mx_handle_t p, mx_handle_t t, mx_handle_t arg1,
		       mx_handle_t *value)
{
	struct mx_ioc_process_start a = {
		.process = p,
		.thread = t,
		.arg1 = arg1,
		.out = (uintptr_t)value,
	};

	return start_ioctl(&a);
}

static mx_status_t disarm(void)
{
	struct mx_ioc_process_start a = { .flags = MX_PROCESS_START_ABORT };

	return start_ioctl(&a);
}

/*
 * fork() a child that makes the claim (after mx_process_self() if
 * @use_mx_first) and exits with its status; returns that status.
 */
static mx_status_t forked_claim(int use_mx_first)
{
	int status, fd = mx_fd();
	pid_t pid;

	pid = mxt_fork();
	if (pid == 0) {
		int r;

		if (use_mx_first)
			mx_process_self();
		/* 0, or the magnitude of an MX_ERR_* status. */
		r = ioctl(fd, MX_IOC_PROCESS_CLAIM);
		_exit(r < 0 ? 255 : r);
	}
	close(fd);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	return -WEXITSTATUS(status);
}

static void *fork_and_claim(void *arg)
{
	*(mx_status_t *)arg = forked_claim(0);
	return NULL;
}

static void *arm_and_exit(void *arg)
{
	mx_handle_t *h = arg, value = 0;

	ASSERT_OK(arm(h[0], h[1], h[2], &value));
	return NULL;
}

static void *nothing(void *arg)
{
	return arg;
}

/* Until the process reads as not started again (its arm ended). */
static void wait_not_started(mx_handle_t p)
{
	int i;

	for (i = 0; i < 2000 && mxt_process_info(p).started; i++)
		usleep(1000);
	ASSERT_EQ(mxt_process_info(p).started, 0);
}

TEST(start_is_claimed_only_by_the_armed_threads_fork)
{
	mx_handle_t t = 0, p = create("claim", &t), ev = mxt_event(), v = 0;
	mx_status_t other = MX_ERR_INTERNAL;
	pthread_t th;

	/* No arm: a fork() child cannot claim anything. */
	ASSERT_EQ(forked_claim(0), MX_ERR_BAD_STATE);
	ASSERT_OK(arm(p, t, ev, &v));
	ASSERT_TRUE(v > 0);
	ASSERT_EQ(mxt_process_info(p).started, 1);
	/* Not a fork of another thread, nor a thread of the armed one. */
	ASSERT_EQ(pthread_create(&th, NULL, fork_and_claim, &other), 0);
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_EQ(other, MX_ERR_BAD_STATE);
	ASSERT_EQ(pthread_create(&th, NULL, nothing, NULL), 0);
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_RUNNING);
	/* The armed thread's next fork claims it, and it runs. */
	ASSERT_EQ(forked_claim(0), MX_OK);
	ASSERT_EQ(mxt_return_code_after_death(p), 0);
	/* The arm is gone with it. */
	ASSERT_STATUS(disarm(), MX_ERR_BAD_STATE);
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(p));
}

TEST(start_arm_rules)
{
	mx_handle_t t = 0, p = create("arm", &t), ev = mxt_event();
	mx_handle_t ev2 = mxt_event(), v = 0, h[3];
	struct mx_ioc_process_start a = {
		.process = p, .thread = t, .arg1 = ev2,
	};
	pthread_t th;

	/* Malformed: no @out, @reserved set, an abort with arguments. */
	ASSERT_STATUS(start_ioctl(&a), MX_ERR_INVALID_ARGS);
	a.out = (uintptr_t)&v;
	a.reserved = 1;
	ASSERT_STATUS(start_ioctl(&a), MX_ERR_INVALID_ARGS);
	a = (struct mx_ioc_process_start){
		.process = p, .flags = MX_PROCESS_START_ABORT,
	};
	ASSERT_STATUS(start_ioctl(&a), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(disarm(), MX_ERR_BAD_STATE);
	ASSERT_EQ(mxt_signals(ev2), MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_NEW);

	/* One arm per thread: a second one takes nothing. */
	ASSERT_OK(arm(p, t, ev, &v));
	ASSERT_STATUS(arm(p, t, ev2, &v), MX_ERR_BAD_STATE);
	ASSERT_EQ(mxt_signals(ev2), MX_SIGNAL_LAST_HANDLE);
	/* An abort consumes arg1 and leaves the process as it was. */
	ASSERT_OK(disarm());
	ASSERT_STATUS(mx_handle_close(ev), MX_ERR_BAD_HANDLE);
	ASSERT_EQ(mxt_process_info(p).started, 0);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_NEW);
	ASSERT_STATUS(disarm(), MX_ERR_BAD_STATE);

	/* A thread that exits armed: the same, by the module. */
	h[0] = p;
	h[1] = t;
	h[2] = ev2;
	ASSERT_EQ(pthread_create(&th, NULL, arm_and_exit, h), 0);
	ASSERT_EQ(pthread_join(th, NULL), 0);
	wait_not_started(p);
	ASSERT_STATUS(mx_handle_close(ev2), MX_ERR_BAD_HANDLE);

	/* And it starts as well as ever. */
	ev = mxt_event();
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_mx_exit,
				   mxt_stack(NULL), ev, 7));
	ASSERT_EQ(mxt_return_code_after_death(p), 7);
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(p));
}

TEST(start_child_that_fails_to_claim_ends_the_process)
{
	mx_handle_t t = 0, p = create("noclaim", &t), ev = mxt_event(), v = 0;
	int status;
	pid_t pid;

	/* A child that exits before its claim. */
	ASSERT_OK(arm(p, t, ev, &v));
	pid = mxt_fork();
	if (pid == 0)
		_exit(0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(p));

	/* A child that used mx before its claim. */
	p = create("used", &t);
	ev = mxt_event();
	ASSERT_OK(arm(p, t, ev, &v));
	ASSERT_EQ(forked_claim(1), MX_ERR_BAD_STATE);
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(p));

	/* A process killed between the arm and the claim. */
	p = create("killed", &t);
	ev = mxt_event();
	ASSERT_OK(arm(p, t, ev, &v));
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_EQ(forked_claim(0), MX_ERR_BAD_STATE);
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(p));
}

/*
 * ---- arms of another user: forks, exits and claims cost the same ----
 *
 * Every fork() and every exit of the system passes the module's probes,
 * and anyone may call the claim. One user parks many threads and arms a
 * start in each (threads that armed and never fork), then takes the arms
 * back, and again; another user times its forks, exits and claims in
 * rounds in between, so that both states meet the same noise of the
 * host. Prints what they cost with the threads armed and not (no
 * assertion on time).
 */

#define PARKED_ARMS	3000
#define MIN_PARKED_ARMS	500
#define PARK_UID	1000
#define MEASURE_UID	1001
#define ROUNDS		6	/* per state, if time allows */
#define ROUNDS_S	20	/* it does not after that (debug kernels) */
#define PARK_S		10
#define FORKS		30
#define CLAIMS		300
#define PARK_WAIT_S	50

/* Shared by the test, the parking user and the measuring user. */
struct park_ctl {
	pthread_mutex_t mu;
	pthread_cond_t park;	/* the parked threads wait on it */
	pthread_cond_t test;	/* the test waits on it */
	pthread_cond_t meas;	/* the measuring process waits on it */
	int n;			/* threads parked */
	int seq;		/* state changes asked for */
	int armed;		/* the state asked for: 0, 1 or all armed */
	int acked;		/* threads in that state */
	int failed;		/* arms that failed */
	int go, done, stop;
	double fork_us, claim_us;
};

static struct park_ctl *park_ctl_new(void)
{
	struct park_ctl *c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;

	ASSERT_TRUE(c != MAP_FAILED);
	memset(c, 0, sizeof(*c));
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	ASSERT_EQ(pthread_mutex_init(&c->mu, &ma), 0);
	ASSERT_EQ(pthread_cond_init(&c->park, &ca), 0);
	ASSERT_EQ(pthread_cond_init(&c->test, &ca), 0);
	ASSERT_EQ(pthread_cond_init(&c->meas, &ca), 0);
	return c;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The test waits for @cond, PARK_WAIT_S at most. Holds c->mu. */
#define PARK_WAIT(c, cond)						\
	do {								\
		struct timespec _t;					\
									\
		clock_gettime(CLOCK_MONOTONIC, &_t);			\
		_t.tv_sec += PARK_WAIT_S;				\
		while (!(cond))						\
			if (pthread_cond_timedwait(&(c)->test, &(c)->mu, \
						   &_t) == ETIMEDOUT)	\
				FAIL("waited %d s for %s", PARK_WAIT_S, #cond); \
	} while (0)

struct parked {
	struct park_ctl *c;
	struct parked *c_first;	/* the first parked thread's */
	int fd;			/* /dev/mx, one for all of them */
	mx_handle_t p, t;
};

/* arm() and disarm() through @fd (thousands of threads at once). */
static mx_status_t park_ioctl(int fd, struct mx_ioc_process_start *a)
{
	int r = ioctl(fd, MX_IOC_PROCESS_START, a);

	if (r < 0)
		FAIL("ioctl: %s", strerror(errno));
	return -r;
}

static void *park_one(void *arg)
{
	struct parked *pd = arg;
	struct park_ctl *c = pd->c;
	int seq = 0, want, armed = 0, ok, stop;
	mx_handle_t v = 0;

	for (;;) {
		pthread_mutex_lock(&c->mu);
		while (c->seq == seq && !c->stop)
			pthread_cond_wait(&c->park, &c->mu);
		seq = c->seq;
		want = c->armed;
		stop = c->stop;
		pthread_mutex_unlock(&c->mu);
		if (stop)
			break;
		/* One of them is armed in state 1, all of them in state 2. */
		want = want == 2 || (want == 1 && pd == &pd->c_first[0]);
		ok = 1;
		if (want && !armed) {
			struct mx_ioc_process_start a = {
				.process = pd->p,
				.thread = pd->t,
				.arg1 = mxt_event(),
				.out = (uintptr_t)&v,
			};

			ok = park_ioctl(pd->fd, &a) == MX_OK;
		} else if (!want && armed) {
			struct mx_ioc_process_start a = {
				.flags = MX_PROCESS_START_ABORT,
			};

			ok = park_ioctl(pd->fd, &a) == MX_OK;
		}
		armed = want;
		pthread_mutex_lock(&c->mu);
		c->failed += !ok;
		if (++c->acked == c->n)
			pthread_cond_signal(&c->test);
		pthread_mutex_unlock(&c->mu);
	}
	/* Exits armed, or not: either way its process is as new after. */
	return NULL;
}

/*
 * As uid PARK_UID: park up to @n threads (as many as the system lets it
 * make in PARK_S), each with a process to start, and arm or disarm them
 * all as the test asks, until it says stop; then check that every arm was
 * undone.
 */
static void park(struct park_ctl *c, int n)
{
	static struct parked pd[PARKED_ARMS];
	static pthread_t th[PARKED_ARMS];
	pthread_attr_t attr;
	int made, i, fd;

	double until = now_us() + PARK_S * 1e6;

	mxt_become(PARK_UID);
	fd = mx_fd();
	ASSERT_EQ(pthread_attr_init(&attr), 0);
	ASSERT_EQ(pthread_attr_setstacksize(&attr, 64 * 1024), 0);
	for (made = 0; made < n && (made < MIN_PARKED_ARMS ||
				    now_us() < until); made++) {
		pd[made].c = c;
		pd[made].c_first = pd;
		pd[made].fd = fd;
		pd[made].p = create("parked", &pd[made].t);
		if (pthread_create(&th[made], &attr, park_one, &pd[made]))
			break;
	}
	pthread_mutex_lock(&c->mu);
	c->n = made;
	pthread_cond_signal(&c->test);
	pthread_mutex_unlock(&c->mu);
	for (i = 0; i < made; i++)
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
	for (i = 0; i < made; i++)
		wait_not_started(pd[i].p);
	_exit(0);
}

/*
 * As uid MEASURE_UID: for each round the test asks for, the cost of a
 * fork()+_exit()+waitpid() and of a claim (which finds no arm), in
 * microseconds; then a whole mx_process_start(), which must work.
 */
static void measure(struct park_ctl *c)
{
	double t0, fork_us, claim_us;
	mx_handle_t t = 0, p;
	int fd, i, status;
	pid_t pid;

	mxt_become(MEASURE_UID);
	fd = mx_fd();
	for (;;) {
		pthread_mutex_lock(&c->mu);
		while (!c->go && !c->stop)
			pthread_cond_wait(&c->meas, &c->mu);
		c->go = 0;
		status = c->stop;
		pthread_mutex_unlock(&c->mu);
		if (status)
			break;
		t0 = now_us();
		for (i = 0; i < FORKS; i++) {
			pid = fork();
			if (pid == 0)
				_exit(0);
			ASSERT_TRUE(pid > 0);
			ASSERT_EQ(waitpid(pid, &status, 0), pid);
		}
		fork_us = (now_us() - t0) / FORKS;
		t0 = now_us();
		for (i = 0; i < CLAIMS; i++)
			ASSERT_EQ(ioctl(fd, MX_IOC_PROCESS_CLAIM),
				  -MX_ERR_BAD_STATE);
		claim_us = (now_us() - t0) / CLAIMS;
		pthread_mutex_lock(&c->mu);
		c->fork_us = fork_us;
		c->claim_us = claim_us;
		c->done = 1;
		pthread_cond_signal(&c->test);
		pthread_mutex_unlock(&c->mu);
	}
	/* Starts of the other user work, next to the arms. */
	p = create("measured", &t);
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_mx_exit,
				   mxt_stack(NULL), mxt_event(), 5));
	ASSERT_EQ(mxt_return_code_after_death(p), 5);
	ASSERT_TRUE(waitpid(-1, &status, 0) > 0);
	_exit(0);
}

static pid_t park_fork(struct park_ctl *c, void (*fn)(struct park_ctl *))
{
	pid_t pid;

	pid = mxt_fork();
	if (pid == 0)
		fn(c);
	return pid;
}

static void park_all(struct park_ctl *c)
{
	park(c, PARKED_ARMS);
}

/* Arm none of the parked threads, one or all (@armed 0, 1, 2). */
static void park_state(struct park_ctl *c, int armed)
{
	c->armed = armed;
	c->acked = 0;
	c->seq++;
	pthread_cond_broadcast(&c->park);
	PARK_WAIT(c, c->acked == c->n);
	ASSERT_EQ(c->failed, 0);
}

static double min2(double a, double b)
{
	return a < b ? a : b;
}

TEST(arms_of_another_user_cost_nothing_to_forks_and_claims)
{
	double fork_us[3] = { 1e30, 1e30, 1e30 };
	double claim_us[3] = { 1e30, 1e30, 1e30 };
	struct park_ctl *c;
	pid_t parker, measurer;
	int r, armed, status;
	double until;

	if (geteuid() != 0)
		SKIP("needs root, to become two users");
	c = park_ctl_new();
	until = now_us() + ROUNDS_S * 1e6;
	parker = park_fork(c, park_all);
	measurer = park_fork(c, measure);
	pthread_mutex_lock(&c->mu);
	PARK_WAIT(c, c->n > 0);
	if (c->n < MIN_PARKED_ARMS)
		FAIL("only %d threads could be parked", c->n);
	for (r = 0; r < 3 * ROUNDS && (r < 3 || now_us() < until); r++) {
		armed = r % 3;
		park_state(c, armed);
		/* What the change left to the kernel's workers goes first. */
		pthread_mutex_unlock(&c->mu);
		usleep(50000);
		pthread_mutex_lock(&c->mu);
		c->go = 1;
		c->done = 0;
		pthread_cond_signal(&c->meas);
		PARK_WAIT(c, c->done);
		fork_us[armed] = min2(fork_us[armed], c->fork_us);
		claim_us[armed] = min2(claim_us[armed], c->claim_us);
	}
	/* Armed as they stop: their exits end the arms. */
	park_state(c, 2);
	c->stop = 1;
	pthread_cond_broadcast(&c->park);
	pthread_cond_broadcast(&c->meas);
	pthread_mutex_unlock(&c->mu);
	ASSERT_EQ(waitpid(measurer, &status, 0), measurer);
	ASSERT_EQ(status, 0);
	ASSERT_EQ(waitpid(parker, &status, 0), parker);
	ASSERT_EQ(status, 0);
	printf("# fork+exit of another user, with %d threads parked: "
	       "%.0f us none armed, %.0f us one, %.0f us all (%.2fx none, "
	       "%.2fx one; %d rounds)\n", c->n, fork_us[0], fork_us[1],
	       fork_us[2], fork_us[2] / fork_us[0], fork_us[2] / fork_us[1],
	       r);
	printf("# claim of another user, with %d threads parked: "
	       "%.2f us none armed, %.2f us one, %.2f us all (%.2fx none, "
	       "%.2fx one)\n", c->n, claim_us[0], claim_us[1], claim_us[2],
	       claim_us[2] / claim_us[0], claim_us[2] / claim_us[1]);
}

/* The bind step of mx_thread_start, made by the calling thread. */
static mx_status_t bind_self(mx_handle_t t, uint32_t flags)
{
	struct mx_ioc_thread_start a = { .thread = t, .flags = flags };
	int fd = mx_fd(), r = ioctl(fd, MX_IOC_THREAD_START, &a);

	close(fd);
	return r < 0 ? MX_ERR_INTERNAL : -r;
}

struct bind_try {
	mx_handle_t t;
	int use_mx_first;
	mx_status_t status;
	mx_handle_t self;
};

static void *try_bind(void *arg)
{
	struct bind_try *b = arg;

	if (b->use_mx_first)
		mx_thread_self();
	b->status = bind_self(b->t, MX_THREAD_START_BIND);
	/* Its self handle ends with it: keep a duplicate. */
	b->self = mxt_dup(mx_thread_self(), MX_RIGHT_READ);
	return NULL;
}

static mx_status_t bind_in_new_thread(mx_handle_t t, int use_mx_first,
				      mx_handle_t *self)
{
	struct bind_try b = { t, use_mx_first, MX_ERR_INTERNAL, 0 };
	pthread_t th;

	ASSERT_EQ(pthread_create(&th, NULL, try_bind, &b), 0);
	ASSERT_EQ(pthread_join(th, NULL), 0);
	if (self)
		*self = b.self;
	return b.status;
}

TEST(bind_only_a_new_thread_of_the_process)
{
	mx_handle_t t = 0, p = 0, t2 = 0, self = 0;

	ASSERT_OK(mx_thread_create(mx_process_self(), "t", 1, 0, &t));
	ASSERT_STATUS(bind_self(t, 2), MX_ERR_INVALID_ARGS);
	/* A thread older than the object: this one. */
	ASSERT_STATUS(bind_self(t, MX_THREAD_START_BIND),
		      MX_ERR_ACCESS_DENIED);
	/* A new thread that mx knows already (it asked for its handle). */
	ASSERT_STATUS(bind_in_new_thread(t, 1, NULL), MX_ERR_ACCESS_DENIED);
	/* A thread of a process that is not running. */
	ASSERT_OK(mx_process_create(mx_job_default(), "p", 1, 0, &p, NULL));
	ASSERT_OK(mx_thread_create(p, "t2", 2, 0, &t2));
	ASSERT_STATUS(bind_in_new_thread(t2, 0, NULL), MX_ERR_BAD_STATE);
	ASSERT_EQ(mxt_thread_state(t), MX_THREAD_STATE_NEW);
	/* A new thread mx does not know: bound; it is the thread now. */
	ASSERT_OK(bind_in_new_thread(t, 0, &self));
	ASSERT_EQ(mxt_basic(self).koid, mxt_basic(t).koid);
	mxt_wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_STATUS(bind_in_new_thread(t, 0, NULL), MX_ERR_BAD_STATE);
}

/* ---- entry returning ---- */

static void entry_thread_exit(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg1;
	(void)arg2;
	mx_thread_exit();
}

/*
 * The first thread returning from entry, or calling mx_thread_exit(),
 * ends the process with return code 0, without running exit(): the
 * parent's stdio buffers, copied by the fork, are not written again.
 */
TEST(entry_returning_ends_the_process_quietly)
{
	char path[] = "/tmp/mx-entry-XXXXXX", buf[8];
	int fd = mkstemp(path);
	FILE *f;
	mx_handle_t p;
	ssize_t n;

	ASSERT_TRUE(fd >= 0);
	f = fdopen(fd, "w+");
	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(setvbuf(f, NULL, _IOFBF, 4096), 0);
	ASSERT_EQ(fputs("x", f), 1);
	p = launch("returns", mxt_entry_return, 0, NULL, NULL);
	ASSERT_EQ(mxt_return_code_after_death(p), 0);
	p = launch("thread-exit", entry_thread_exit, 0, NULL, NULL);
	ASSERT_EQ(mxt_return_code_after_death(p), 0);
	ASSERT_EQ(fflush(f), 0);
	n = pread(fd, buf, sizeof(buf), 0);
	ASSERT_EQ(n, 1);
	fclose(f);
	unlink(path);
}
