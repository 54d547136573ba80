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

#define STACK_SIZE	(256 * 1024)

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

static uintptr_t new_stack(void)
{
	char *b = malloc(STACK_SIZE);

	if (!b)
		FAIL("malloc");
	return (uintptr_t)(b + STACK_SIZE);
}

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
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry, new_stack(), c1,
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

static mx_info_process_t info_of(mx_handle_t p)
{
	mx_info_process_t info;
	size_t actual = 0, avail = 0;

	memset(&info, 0xa5, sizeof(info));
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS, &info, sizeof(info),
				     &actual, &avail));
	ASSERT_EQ(actual, 1);
	ASSERT_EQ(avail, 1);
	ASSERT_EQ(info.debugger_attached, 0);
	return info;
}

static void wait_signal(mx_handle_t h, mx_signals_t s)
{
	mx_signals_t obs = 0;

	ASSERT_OK(mx_object_wait_one(h, s, MX_TIME_INFINITE, &obs));
	ASSERT_TRUE(obs & s);
}

static int return_code_after_death(mx_handle_t p)
{
	mx_info_process_t info;

	wait_signal(p, MX_TASK_TERMINATED);
	ASSERT_EQ(mxt_signals(p), MX_TASK_TERMINATED | MX_SIGNAL_LAST_HANDLE);
	info = info_of(p);
	ASSERT_EQ(info.started, 1);
	ASSERT_EQ(info.exited, 1);
	return info.return_code;
}

static void read_report(mx_handle_t ch, struct report *r)
{
	uint32_t nb = 0, nh = 0;

	wait_signal(ch, MX_CHANNEL_READABLE);
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

/* Say so, then block until killed (holds no handle to itself). */
static void entry_ready(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1;

	(void)arg2;
	mx_channel_write(ch, 0, "ok", 2, NULL, 0);
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
	ASSERT_EQ(vmar, MX_HANDLE_INVALID);
	b = mxt_basic(p);
	ASSERT_EQ(b.type, MX_OBJ_TYPE_PROCESS);
	ASSERT_EQ(b.rights, 0x3CF);
	ASSERT_EQ(b.related_koid, mxt_basic(mx_job_default()).koid);
	ASSERT_NE(b.koid, mxt_basic(mx_process_self()).koid);
	ASSERT_EQ(mxt_signals(p), MX_SIGNAL_LAST_HANDLE);
	info = info_of(p);
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

	info = info_of(p);
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
	ASSERT_EQ(return_code_after_death(p), -12345);
	wait_signal(t, MX_TASK_TERMINATED);
	wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
}

TEST(start_moves_arg1)
{
	mx_handle_t t = 0, p = create("mv", &t), c0 = 0, c1 = 0;

	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_block, new_stack(),
				   c1, 0));
	ASSERT_STATUS(mx_object_get_info(c1, MX_INFO_HANDLE_VALID, NULL, 0,
					 NULL, NULL), MX_ERR_BAD_HANDLE);
	ASSERT_EQ(mxt_signals(c0) & MX_CHANNEL_PEER_CLOSED, 0);
	ASSERT_OK(mx_task_kill(p));
	/* Its table is closed when it dies: our end sees the peer go. */
	wait_signal(c0, MX_CHANNEL_PEER_CLOSED);
}

TEST(start_errors_in_order)
{
	mx_handle_t t = 0, p = create("e", &t), t2 = 0, p2 = create("f", &t2);
	mx_handle_t ev = 0, ro = 0, tro = 0;
	uintptr_t s = new_stack(), e = (uintptr_t)entry_block;

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
	ASSERT_EQ(info_of(p).started, 0);
}

/* Once taken, arg1 is not given back on a later failure (Magenta). */
TEST(start_twice_is_bad_state_and_consumes_arg1)
{
	mx_handle_t t = 0, ch = 0, p = launch("twice", entry_block, 0, &ch,
					      &t);
	mx_handle_t ev = 0;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(mx_process_start(p, t, (uintptr_t)entry_block,
				       new_stack(), ev, 0),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_VALID, NULL, 0,
					 NULL, NULL), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(return_code_after_death(p), -1);
}

TEST(start_after_kill_is_bad_state)
{
	mx_handle_t t = 0, p = create("k", &t), ev = 0;
	mx_info_process_t info;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_task_kill(p));
	wait_signal(p, MX_TASK_TERMINATED);
	info = info_of(p);
	ASSERT_EQ(info.exited, 1);
	ASSERT_EQ(info.return_code, -1);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_STATUS(mx_process_start(p, t, (uintptr_t)entry_block,
				       new_stack(), ev, 0),
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
	ASSERT_STATUS(mx_thread_start(t, (uintptr_t)entry_block, new_stack(),
				      0, 0), MX_ERR_BAD_STATE);
	ASSERT_OK(mx_task_kill(p));
	wait_signal(p, MX_TASK_TERMINATED);
}

/* ---- every kind of death ---- */

TEST(return_code_of_mx_process_exit)
{
	mx_handle_t p = launch("e1", entry_mx_exit, (uintptr_t)-7, NULL, NULL);

	ASSERT_EQ(return_code_after_death(p), -7);
	p = launch("e2", entry_mx_exit, 0, NULL, NULL);
	ASSERT_EQ(return_code_after_death(p), 0);
}

TEST(return_code_of_exit)
{
	mx_handle_t p = launch("e3", entry_libc_exit, 3, NULL, NULL);

	ASSERT_EQ(return_code_after_death(p), 3);
}

TEST(crash_is_minus_one)
{
	mx_handle_t p = launch("crash", entry_crash, 0, NULL, NULL);

	ASSERT_EQ(return_code_after_death(p), -1);
}

TEST(sigkill_from_outside)
{
	mx_handle_t ch = 0, p = launch("victim", entry_block, 0, &ch, NULL);
	struct report r;

	read_report(ch, &r);
	ASSERT_EQ(kill(r.pid, SIGKILL), 0);
	ASSERT_EQ(return_code_after_death(p), -1);
	wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
}

/* info_reflects_process_state */
TEST(info_reflects_process_state)
{
	mx_handle_t t = 0, p = create("states", &t), c0 = 0, c1 = 0;
	mx_info_process_t info;

	info = info_of(p);
	ASSERT_EQ(info.started, 0);
	ASSERT_EQ(info.exited, 0);
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_block, new_stack(),
				   c1, 0));
	info = info_of(p);
	ASSERT_EQ(info.started, 1);
	ASSERT_EQ(info.exited, 0);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_NE(return_code_after_death(p), 0);
	ASSERT_EQ(info_of(p).return_code, -1);
	/* Its thread is dead too. */
	wait_signal(t, MX_TASK_TERMINATED);
}

/* ---- lifetime ---- */

/* kill_process_via_process_close */
TEST(kill_process_via_process_close)
{
	mx_handle_t ch = 0, p = launch("pclose", entry_ready, 0, &ch, NULL);
	char ok[2];

	wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, ok, NULL, 2, 0, NULL, NULL));
	ASSERT_OK(mx_handle_close(p));
	wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
}

/* kill_process_via_thread_close */
TEST(kill_process_via_thread_close)
{
	mx_handle_t t = 0, ch = 0, p = launch("tclose", entry_hold, 0, &ch,
					      &t);

	(void)p;
	ASSERT_OK(mx_handle_close(t));
	wait_signal(p, MX_TASK_TERMINATED);
	ASSERT_EQ(mxt_signals(p), MX_TASK_TERMINATED | MX_SIGNAL_LAST_HANDLE);
	wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
}

/* kill_process_via_thread_kill: the last thread gone, the code stays 0. */
TEST(kill_process_via_thread_kill)
{
	mx_handle_t t = 0, ch = 0, p = launch("tkill", entry_block, 0, &ch,
					      &t);
	struct report r;

	read_report(ch, &r);
	ASSERT_OK(mx_task_kill(t));
	wait_signal(t, MX_TASK_TERMINATED);
	ASSERT_EQ(return_code_after_death(p), 0);
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
	wait_signal(cha, MX_CHANNEL_READABLE);
	wait_signal(chb, MX_CHANNEL_READABLE);
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
	wait_signal(cha, MX_CHANNEL_PEER_CLOSED);
	wait_signal(chb, MX_CHANNEL_PEER_CLOSED);
	wait_signal(tb, MX_TASK_TERMINATED);
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
	wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
}

/* ---- names ---- */

static void read_comm(pid_t pid, char *buf, size_t size)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "r");
	if (!f)
		FAIL("open %s", path);
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

TEST(process_name_is_the_linux_name)
{
	mx_handle_t ch = 0, p = launch("a-long-process-name", entry_block, 0,
				       &ch, NULL);
	const char *n = "renamed-process-x";
	struct report r;
	char comm[32];

	read_report(ch, &r);
	read_comm(r.pid, comm, sizeof(comm));
	ASSERT_EQ(strcmp(comm, "a-long-process-"), 0);
	ASSERT_OK(mx_object_set_property(p, MX_PROP_NAME, n, strlen(n)));
	read_comm(r.pid, comm, sizeof(comm));
	ASSERT_EQ(strcmp(comm, "renamed-process"), 0);
	ASSERT_OK(mx_task_kill(p));
	wait_signal(p, MX_TASK_TERMINATED);
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
