// SPDX-License-Identifier: MIT
/*
 * mx_object_get_info (HANDLE_VALID, HANDLE_BASIC, PROCESS), and the
 * handles every process starts with: mx_process_self and mx_job_default.
 * Reference §1.7, §3.14 and Magenta's handle-info and object-info suites.
 */
#include "mxtest.h"

#include <pthread.h>
#include <sys/mman.h>
#include <sys/socket.h>

/* ---- MX_INFO_HANDLE_VALID ---- */

TEST(handle_valid)
{
	mx_handle_t ev = mxt_event();

	ASSERT_OK(mx_object_get_info(ev, MX_INFO_HANDLE_VALID, NULL, 0, NULL,
				     NULL));
	/* Buffer, actual and avail are ignored. */
	ASSERT_OK(mx_object_get_info(ev, MX_INFO_HANDLE_VALID, (void *)1, 64,
				     (size_t *)1, (size_t *)1));
	ASSERT_OK(mx_object_get_info(mx_process_self(), MX_INFO_HANDLE_VALID,
				     NULL, 0, NULL, NULL));
	ASSERT_OK(mx_object_get_info(mx_job_default(), MX_INFO_HANDLE_VALID,
				     NULL, 0, NULL, NULL));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_VALID, NULL, 0,
					 NULL, NULL), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_get_info(MX_HANDLE_INVALID,
					 MX_INFO_HANDLE_VALID, NULL, 0, NULL,
					 NULL), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_get_info(-1, MX_INFO_HANDLE_VALID, NULL, 0,
					 NULL, NULL), MX_ERR_BAD_HANDLE);
}

TEST(handle_valid_needs_no_rights)
{
	mx_handle_t ev = mxt_event();
	mx_handle_t none = mxt_dup(ev, MX_RIGHT_NONE);

	ASSERT_OK(mx_object_get_info(none, MX_INFO_HANDLE_VALID, NULL, 0, NULL,
				     NULL));
}

/* ---- MX_INFO_HANDLE_BASIC ---- */

TEST(handle_basic_event)
{
	mx_handle_t ev = mxt_event();
	mx_handle_t d = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	mx_info_handle_basic_t info;
	size_t actual = 99, avail = 99;

	/* handle-info: on a dup -- koid > 0, EVENT, 0xF, WAITABLE, 0. */
	memset(&info, 0xa5, sizeof(info));
	ASSERT_OK(mx_object_get_info(d, MX_INFO_HANDLE_BASIC, &info,
				     sizeof(info), &actual, &avail));
	ASSERT_EQ(actual, 1);
	ASSERT_EQ(avail, 1);
	ASSERT_TRUE(info.koid > 0);
	ASSERT_EQ(info.koid, mxt_basic(ev).koid);
	ASSERT_EQ(info.rights, MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER |
		  MX_RIGHT_READ | MX_RIGHT_WRITE);
	ASSERT_EQ(info.type, MX_OBJ_TYPE_EVENT);
	ASSERT_EQ(info.related_koid, 0);
	ASSERT_EQ(info.props, MX_OBJ_PROP_WAITABLE);
	ASSERT_EQ(info.reserved, 0);
}

TEST(handle_basic_layout)
{
	ASSERT_EQ(sizeof(mx_info_handle_basic_t), 32);
	ASSERT_EQ(offsetof(mx_info_handle_basic_t, koid), 0);
	ASSERT_EQ(offsetof(mx_info_handle_basic_t, rights), 8);
	ASSERT_EQ(offsetof(mx_info_handle_basic_t, type), 12);
	ASSERT_EQ(offsetof(mx_info_handle_basic_t, related_koid), 16);
	ASSERT_EQ(offsetof(mx_info_handle_basic_t, props), 24);
	ASSERT_EQ(sizeof(mx_info_process_t), 8);
	ASSERT_EQ(offsetof(mx_info_process_t, return_code), 0);
	ASSERT_EQ(offsetof(mx_info_process_t, started), 4);
	ASSERT_EQ(offsetof(mx_info_process_t, exited), 5);
	ASSERT_EQ(offsetof(mx_info_process_t, debugger_attached), 6);
	ASSERT_EQ(sizeof(mx_wait_item_t), 12);
}

TEST(handle_basic_needs_no_rights)
{
	mx_handle_t ev = mxt_event();
	mx_handle_t none = mxt_dup(ev, MX_RIGHT_NONE);
	mx_handle_t r = mxt_dup(ev, MX_RIGHT_READ);

	ASSERT_EQ(mxt_basic(none).rights, 0);
	ASSERT_EQ(mxt_basic(none).type, MX_OBJ_TYPE_EVENT);
	ASSERT_EQ(mxt_basic(r).rights, MX_RIGHT_READ);
	ASSERT_EQ(mxt_basic(r).koid, mxt_basic(ev).koid);
}

TEST(handle_basic_buffer_too_small)
{
	mx_handle_t ev = mxt_event();
	unsigned char buf[64];
	size_t actual = 99, avail = 99, sizes[] = { 0, 1, 4, 31 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(buf, 0x5a, sizeof(buf));
		actual = avail = 99;
		ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, buf,
						 sizes[i], &actual, &avail),
			      MX_ERR_BUFFER_TOO_SMALL);
		ASSERT_EQ(actual, 0);
		ASSERT_EQ(avail, 1);
		/* Nothing was copied. */
		ASSERT_EQ(buf[0], 0x5a);
		ASSERT_EQ(buf[sizes[i] ? sizes[i] - 1 : 0], 0x5a);
	}
	/* A NULL buffer of size 0 and NULL counts. */
	actual = avail = 99;
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, NULL, 0,
					 &actual, &avail),
		      MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(avail, 1);
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, NULL, 0,
					 NULL, NULL), MX_ERR_BUFFER_TOO_SMALL);
	/* Larger than the record: one record, the rest untouched. */
	memset(buf, 0x5a, sizeof(buf));
	ASSERT_OK(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, buf, sizeof(buf),
				     &actual, &avail));
	ASSERT_EQ(actual, 1);
	ASSERT_EQ(avail, 1);
	ASSERT_EQ(buf[32], 0x5a);
	ASSERT_EQ(buf[63], 0x5a);
}

TEST(handle_basic_null_actual_avail)
{
	mx_handle_t ev = mxt_event();
	mx_info_handle_basic_t info;
	size_t n = 99;

	ASSERT_OK(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info,
				     sizeof(info), NULL, NULL));
	ASSERT_EQ(info.type, MX_OBJ_TYPE_EVENT);
	ASSERT_OK(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info,
				     sizeof(info), &n, NULL));
	ASSERT_EQ(n, 1);
	n = 99;
	ASSERT_OK(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info,
				     sizeof(info), NULL, &n));
	ASSERT_EQ(n, 1);
}

TEST(handle_basic_bad_pointers)
{
	mx_handle_t ev = mxt_event();
	mx_info_handle_basic_t info;
	size_t actual = 99, avail = 99;
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);

	ASSERT_TRUE(ro != MAP_FAILED);
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, (void *)1,
					 sizeof(info), &actual, &avail),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, NULL,
					 sizeof(info), &actual, &avail),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, ro,
					 sizeof(info), &actual, &avail),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info,
					 sizeof(info), (size_t *)1, &avail),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info,
					 sizeof(info), &actual, (size_t *)1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info,
					 sizeof(info), &actual, ro),
		      MX_ERR_INVALID_ARGS);
	/* A bad count pointer wins over BUFFER_TOO_SMALL. */
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info, 0,
					 (size_t *)1, &avail),
		      MX_ERR_INVALID_ARGS);
	/* The handle is checked before any pointer. */
	ASSERT_STATUS(mx_object_get_info(MX_HANDLE_INVALID,
					 MX_INFO_HANDLE_BASIC, (void *)1,
					 sizeof(info), (size_t *)1,
					 (size_t *)1),
		      MX_ERR_BAD_HANDLE);
}

TEST(unknown_topic_not_supported)
{
	mx_handle_t ev = mxt_event();
	static const uint32_t topics[] = {
		/*
		 * NONE, RESOURCE_CHILDREN, THREAD_EXCEPTION_REPORT (out of
		 * scope), and numbers no topic has.
		 */
		MX_INFO_NONE, 5, 11, 0x7fffffff, 0xffffffffu,
	};
	unsigned char buf[256];
	size_t i;

	for (i = 0; i < sizeof(topics) / sizeof(topics[0]); i++) {
		ASSERT_STATUS(mx_object_get_info(ev, topics[i], buf,
						 sizeof(buf), NULL, NULL),
			      MX_ERR_NOT_SUPPORTED);
		/* The topic is looked at first, before the handle. */
		ASSERT_STATUS(mx_object_get_info(MX_HANDLE_INVALID, topics[i],
						 buf, sizeof(buf), NULL, NULL),
			      MX_ERR_NOT_SUPPORTED);
		ASSERT_STATUS(mx_object_get_info(ev, topics[i], (void *)1, 8,
						 (size_t *)1, (size_t *)1),
			      MX_ERR_NOT_SUPPORTED);
	}
}

TEST(handle_basic_eventpair_related)
{
	mx_handle_t a = 0, b = 0;

	ASSERT_OK(mx_eventpair_create(0, &a, &b));
	ASSERT_EQ(mxt_basic(a).related_koid, mxt_basic(b).koid);
	ASSERT_EQ(mxt_basic(b).related_koid, mxt_basic(a).koid);
	ASSERT_EQ(mxt_basic(a).type, MX_OBJ_TYPE_EVENT_PAIR);
}

/* ---- mx_process_self, mx_job_default ---- */

TEST(self_and_job_handles)
{
	mx_handle_t self = mx_process_self(), job = mx_job_default();
	mx_info_handle_basic_t p, j;

	ASSERT_TRUE(self > 0);
	ASSERT_TRUE(job > 0);
	ASSERT_EQ(self & 1, 1);
	ASSERT_EQ(job & 1, 1);
	ASSERT_NE(self, job);
	ASSERT_EQ(mx_process_self(), self);
	ASSERT_EQ(mx_job_default(), job);

	p = mxt_basic(self);
	j = mxt_basic(job);
	ASSERT_EQ(p.type, MX_OBJ_TYPE_PROCESS);
	ASSERT_EQ(j.type, MX_OBJ_TYPE_JOB);
	ASSERT_EQ(p.rights, 0x3CF);
	ASSERT_EQ(p.rights, MX_DEFAULT_PROCESS_RIGHTS);
	ASSERT_EQ(j.rights, 0xFCF);
	ASSERT_EQ(j.rights, MX_DEFAULT_JOB_RIGHTS);
	ASSERT_TRUE(p.koid >= 1024);
	ASSERT_TRUE(j.koid >= 1024);
	ASSERT_NE(p.koid, j.koid);
	/* handle_related_koid_test: a process's related koid is its job. */
	ASSERT_EQ(p.related_koid, j.koid);
	ASSERT_EQ(j.related_koid, 0);	/* the root job has no parent */
	ASSERT_EQ(p.props, MX_OBJ_PROP_WAITABLE);
	ASSERT_EQ(j.props, MX_OBJ_PROP_WAITABLE);
}

TEST(self_and_job_signals)
{
	mx_handle_t self = mx_process_self(), job = mx_job_default();

	/* A running process with its single handle. */
	ASSERT_EQ(mxt_signals(self), MX_SIGNAL_LAST_HANDLE);
	/* The root job has no child jobs, and has processes (this one). */
	ASSERT_EQ(mxt_signals(job) & (MX_JOB_NO_JOBS | MX_JOB_NO_PROCESSES),
		  MX_JOB_NO_JOBS);
}

TEST(self_can_be_duplicated)
{
	mx_handle_t self = mx_process_self(), d, r;

	d = mxt_dup(self, MX_RIGHT_SAME_RIGHTS);
	ASSERT_EQ(mxt_basic(d).koid, mxt_basic(self).koid);
	ASSERT_EQ(mxt_basic(d).rights, MX_DEFAULT_PROCESS_RIGHTS);
	ASSERT_EQ(mxt_signals(self), 0);
	r = mxt_dup(mx_job_default(), MX_RIGHT_READ);
	ASSERT_EQ(mxt_basic(r).rights, MX_RIGHT_READ);
	ASSERT_EQ(mxt_basic(r).type, MX_OBJ_TYPE_JOB);
	ASSERT_OK(mx_handle_close(d));
	ASSERT_OK(mx_handle_close(r));
	ASSERT_EQ(mxt_signals(self), MX_SIGNAL_LAST_HANDLE);
}

/*
 * An ambient process is not owned by its handles (docs/decisions.md):
 * closing the handle it holds to itself does not end it.
 */
TEST(closing_self_handle_does_not_kill)
{
	mx_handle_t self = mx_process_self(), d, ev = 0;

	d = mxt_dup(self, MX_RIGHT_READ);
	ASSERT_OK(mx_handle_close(self));
	ASSERT_OK(mx_handle_close(mx_job_default()));
	ASSERT_EQ(mxt_signals(d), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(d));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_close(ev));
}

struct koids {
	mx_koid_t self, job;
};

static void child_koids(void *arg)
{
	struct koids *k = arg;
	mx_info_handle_basic_t p = mxt_basic(mx_process_self());
	mx_info_handle_basic_t j = mxt_basic(mx_job_default());

	ASSERT_NE(p.koid, k->self);
	ASSERT_EQ(j.koid, k->job);
	ASSERT_EQ(p.related_koid, k->job);
}

TEST(fork_child_is_another_process_of_the_same_job)
{
	struct koids k = {
		mxt_basic(mx_process_self()).koid,
		mxt_basic(mx_job_default()).koid,
	};

	mxt_in_child(child_koids, &k);
}

/* ---- MX_INFO_PROCESS ---- */

TEST(process_info_self)
{
	mx_info_process_t info;
	size_t actual = 99, avail = 99;

	memset(&info, 0xa5, sizeof(info));
	ASSERT_OK(mx_object_get_info(mx_process_self(), MX_INFO_PROCESS, &info,
				     sizeof(info), &actual, &avail));
	ASSERT_EQ(actual, 1);
	ASSERT_EQ(avail, 1);
	ASSERT_EQ(info.started, 1);
	ASSERT_EQ(info.exited, 0);
	ASSERT_EQ(info.return_code, 0);
	ASSERT_EQ(info.debugger_attached, 0);
}

TEST(process_info_errors)
{
	mx_handle_t self = mx_process_self(), ev = mxt_event();
	mx_handle_t nr = mxt_dup(self, MX_RIGHT_WRITE);
	mx_handle_t evnr = mxt_dup(ev, MX_RIGHT_WRITE);
	mx_handle_t r = mxt_dup(self, MX_RIGHT_READ);
	mx_info_process_t info;
	size_t actual = 99, avail = 99;

	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_PROCESS, &info,
					 sizeof(info), NULL, NULL),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_object_get_info(mx_job_default(), MX_INFO_PROCESS,
					 &info, sizeof(info), NULL, NULL),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_object_get_info(MX_HANDLE_INVALID, MX_INFO_PROCESS,
					 &info, sizeof(info), NULL, NULL),
		      MX_ERR_BAD_HANDLE);
	/* Needs READ; rights are checked before the type. */
	ASSERT_STATUS(mx_object_get_info(nr, MX_INFO_PROCESS, &info,
					 sizeof(info), NULL, NULL),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_info(evnr, MX_INFO_PROCESS, &info,
					 sizeof(info), NULL, NULL),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_object_get_info(r, MX_INFO_PROCESS, &info, sizeof(info),
				     NULL, NULL));
	ASSERT_EQ(info.started, 1);
	/* Single-record rule. */
	ASSERT_STATUS(mx_object_get_info(self, MX_INFO_PROCESS, &info, 0,
					 &actual, &avail),
		      MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(avail, 1);
	ASSERT_STATUS(mx_object_get_info(self, MX_INFO_PROCESS, &info,
					 sizeof(info) - 1, &actual, &avail),
		      MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_STATUS(mx_object_get_info(self, MX_INFO_PROCESS, (void *)1,
					 sizeof(info), NULL, NULL),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_info(self, MX_INFO_PROCESS, &info,
					 sizeof(info), (size_t *)1, NULL),
		      MX_ERR_INVALID_ARGS);
}

/* Fork a child that sends a handle to itself, then waits for one byte. */
static pid_t child_with_handle(mx_handle_t *proc, int *sock)
{
	int sv[2], fd;
	pid_t pid;

	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = mxt_fork();
	if (pid == 0) {
		mx_handle_t d = 0;
		char cmd = 0;

		close(sv[0]);
		ASSERT_OK(mx_handle_duplicate(mx_process_self(),
					      MX_RIGHT_SAME_RIGHTS, &d));
		ASSERT_OK(mx_handle_to_fd(d, 0, &fd));
		mxt_send_fd(sv[1], fd);
		close(fd);
		if (read(sv[1], &cmd, 1) != 1)
			_exit(100);
		_exit(cmd);
	}
	close(sv[1]);
	fd = mxt_recv_fd(sv[0]);
	ASSERT_OK(mx_handle_from_fd(fd, proc));
	close(fd);
	*sock = sv[0];
	return pid;
}

static mx_info_process_t process_info(mx_handle_t h)
{
	mx_info_process_t info;

	memset(&info, 0xa5, sizeof(info));
	ASSERT_OK(mx_object_get_info(h, MX_INFO_PROCESS, &info, sizeof(info),
				     NULL, NULL));
	return info;
}

TEST(process_info_of_a_child_that_exits)
{
	mx_handle_t proc = 0;
	mx_info_handle_basic_t b;
	mx_info_process_t info;
	mx_signals_t obs = 0;
	int sock, status;
	char cmd = 5;
	pid_t pid = child_with_handle(&proc, &sock);

	b = mxt_basic(proc);
	ASSERT_EQ(b.type, MX_OBJ_TYPE_PROCESS);
	ASSERT_EQ(b.rights, MX_DEFAULT_PROCESS_RIGHTS);
	ASSERT_NE(b.koid, mxt_basic(mx_process_self()).koid);
	ASSERT_EQ(b.related_koid, mxt_basic(mx_job_default()).koid);
	info = process_info(proc);
	ASSERT_EQ(info.started, 1);
	ASSERT_EQ(info.exited, 0);
	ASSERT_EQ(mxt_signals(proc) & MX_PROCESS_TERMINATED, 0);

	/* Watched through mx first, reaped by Linux afterwards. */
	ASSERT_EQ(write(sock, &cmd, 1), 1);
	ASSERT_OK(mx_object_wait_one(proc, MX_PROCESS_TERMINATED,
				     MX_TIME_INFINITE, &obs));
	ASSERT_TRUE(obs & MX_PROCESS_TERMINATED);
	info = process_info(proc);
	ASSERT_EQ(info.started, 1);
	ASSERT_EQ(info.exited, 1);
	ASSERT_EQ(info.return_code, 5);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 5);
	ASSERT_OK(mx_handle_close(proc));
	close(sock);
}

/*
 * The exit code must not depend on whether the parent reaps the child
 * (waitpid) before or after the module has noticed the exit. Reaping as
 * early as possible, over several children, makes the "after" order
 * likely.
 */
TEST(process_return_code_survives_early_reap)
{
	int round;

	for (round = 1; round <= 8; round++) {
		mx_handle_t proc = 0;
		mx_info_process_t info;
		int sock, status;
		char cmd = (char)(10 + round);
		pid_t pid = child_with_handle(&proc, &sock);

		ASSERT_EQ(write(sock, &cmd, 1), 1);
		ASSERT_EQ(waitpid(pid, &status, 0), pid);
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(WEXITSTATUS(status), cmd);
		ASSERT_OK(mx_object_wait_one(proc, MX_PROCESS_TERMINATED,
					     MX_TIME_INFINITE, NULL));
		info = process_info(proc);
		ASSERT_EQ(info.exited, 1);
		if (info.return_code != cmd)
			FAIL("round %d: return_code %d after exit(%d)", round,
			     info.return_code, cmd);
		ASSERT_OK(mx_handle_close(proc));
		close(sock);
	}
}

struct term_waiter {
	mx_handle_t proc;
	mx_status_t st;
	mx_signals_t obs;
	pid_t tid;
	int done;
};

static void *wait_terminated(void *arg)
{
	struct term_waiter *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	w->st = mx_object_wait_one(w->proc, MX_PROCESS_TERMINATED,
				   MX_TIME_INFINITE, &w->obs);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

TEST(process_info_of_a_child_killed_while_watched)
{
	struct term_waiter w = { 0 };
	mx_info_process_t info;
	pthread_t th;
	int sock, status;
	pid_t pid = child_with_handle(&w.proc, &sock);

	ASSERT_EQ(pthread_create(&th, NULL, wait_terminated, &w), 0);
	while (!__atomic_load_n(&w.tid, __ATOMIC_ACQUIRE))
		usleep(100);
	mxt_wait_blocked(w.tid, &w.done);
	ASSERT_EQ(kill(pid, SIGKILL), 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_OK(w.st);
	ASSERT_TRUE(w.obs & MX_PROCESS_TERMINATED);
	info = process_info(w.proc);
	ASSERT_EQ(info.exited, 1);
	ASSERT_EQ(info.return_code, -1);
	/* Its table was closed before TERMINATED: ours is the last handle. */
	ASSERT_EQ(mxt_signals(w.proc), MX_PROCESS_TERMINATED |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(w.proc));
	close(sock);
}
