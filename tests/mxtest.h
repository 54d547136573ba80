/* SPDX-License-Identifier: MIT */
/*
 * mxtest: the tiny test harness of the userspace suites.
 *
 * A program includes this header once, declares cases with TEST(name) and
 * gets a main() that runs every case in its own forked child (so each case
 * starts as a fresh mx process with an empty handle table) under a timeout,
 * and prints TAP (prove(1) reads it): a plan, one line per case,
 *
 *	TAP version 13
 *	1..3
 *	ok 1 - name
 *	not ok 2 - name: why
 *	ok 3 - name # SKIP
 *
 * with "# ..." diagnostics on standard error before the line they
 * explain, and last "N passed, N failed, N skipped" (which the VM runner
 * and make runtests count). It exits 0 when nothing failed, 1 otherwise.
 * Without /dev/mx (no module loaded) it skips everything: "1..0 # SKIP"
 * and exit 0 (unless the program defines MXTEST_NO_DEVICE before
 * including this header: the runner's self-tests). MXTEST_TIMEOUT (seconds, default 60) bounds a case;
 * MXTEST_FILTER runs only the cases whose name contains it.
 */
#ifndef MXTEST_H
#define MXTEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mx.h>

#define MXT_MAX_CASES	256
#define MXT_SKIP_CODE	77

struct mxt_case {
	const char *name;
	void (*fn)(void);
};

static struct mxt_case mxt_cases[MXT_MAX_CASES];
static int mxt_ncases;
static const char *mxt_current;

static void mxt_register(const char *name, void (*fn)(void))
{
	if (mxt_ncases < MXT_MAX_CASES)
		mxt_cases[mxt_ncases++] = (struct mxt_case){ name, fn };
}

#define TEST(name)							\
	static void name(void);						\
	__attribute__((constructor)) static void mxt_reg_##name(void)	\
	{								\
		mxt_register(#name, name);				\
	}								\
	static void name(void)

/* Report a failure from inside a case (the child) and end it. */
__attribute__((noreturn, format(printf, 3, 4)))
static void mxt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "# %s: %s:%d: ", mxt_current, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(NULL);
	_exit(1);
}

#define FAIL(...)	mxt_fail(__FILE__, __LINE__, __VA_ARGS__)

#define SKIP(...)							\
	do {								\
		fprintf(stderr, "# SKIP " __VA_ARGS__);			\
		fputc('\n', stderr);					\
		fflush(NULL);						\
		_exit(MXT_SKIP_CODE);					\
	} while (0)

#define ASSERT_TRUE(c)							\
	do {								\
		if (!(c))						\
			FAIL("expected %s", #c);			\
	} while (0)

/* Integers of any width, printed as signed 64-bit and hex. */
#define ASSERT_EQ(a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b)						\
			FAIL("%s == %s: got %lld (0x%llx), want %lld (0x%llx)", \
			     #a, #b, _a, (unsigned long long)_a, _b,	\
			     (unsigned long long)_b);			\
	} while (0)

#define ASSERT_NE(a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a == _b)						\
			FAIL("%s != %s: both %lld", #a, #b, _a);	\
	} while (0)

/* mx statuses, printed by name. */
#define ASSERT_STATUS(expr, want)					\
	do {								\
		mx_status_t _s = (expr), _w = (want);			\
		if (_s != _w)						\
			FAIL("%s: got %s (%d), want %s (%d)", #expr,	\
			     mx_status_get_string(_s), _s,		\
			     mx_status_get_string(_w), _w);		\
	} while (0)

#define ASSERT_OK(expr)	ASSERT_STATUS(expr, MX_OK)

/* The signal state of a handle, sampled as the Magenta tests do. */
static inline mx_signals_t mxt_signals(mx_handle_t h)
{
	mx_signals_t obs = 0;
	mx_status_t s = mx_object_wait_one(h, 0, 0, &obs);

	if (s != MX_ERR_TIMED_OUT)
		FAIL("sampling signals of %d: %s", h, mx_status_get_string(s));
	return obs;
}

/*
 * Run case @c in a child. Return 0 (passed), MXT_SKIP_CODE, or -1 with
 * the reason in @why.
 */
static int mxt_run_case(const struct mxt_case *c, unsigned int timeout,
			char *why, size_t size)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, size, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		mxt_current = c->name;
		alarm(timeout);
		c->fn();
		fflush(NULL);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 ||
				  WEXITSTATUS(status) == MXT_SKIP_CODE))
		return WEXITSTATUS(status);
	if (WIFEXITED(status))
		snprintf(why, size, "failed (see the # lines above)");
	else if (WTERMSIG(status) == SIGALRM)
		snprintf(why, size, "timed out after %u s", timeout);
	else
		snprintf(why, size, "killed by signal %d", WTERMSIG(status));
	return -1;
}

int main(void)
{
	const char *filter = getenv("MXTEST_FILTER");
	const char *t = getenv("MXTEST_TIMEOUT");
	unsigned int timeout = t ? (unsigned int)atoi(t) : 60;
	int passed = 0, failed = 0, skipped = 0, planned = 0, n = 0, i, r;
	char why[128];

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < mxt_ncases; i++)
		if (!filter || strstr(mxt_cases[i].name, filter))
			planned++;
	printf("TAP version 13\n");
#ifndef MXTEST_NO_DEVICE
	if (access("/dev/mx", F_OK) != 0) {
		printf("1..0 # SKIP /dev/mx: %s (the mx module is not loaded)\n",
		       strerror(errno));
		printf("0 passed, 0 failed, %d skipped\n", planned);
		return 0;
	}
#endif
	printf("1..%d\n", planned);
	for (i = 0; i < mxt_ncases; i++) {
		const struct mxt_case *c = &mxt_cases[i];

		if (filter && !strstr(c->name, filter))
			continue;
		r = mxt_run_case(c, timeout, why, sizeof(why));
		n++;
		if (r == 0) {
			printf("ok %d - %s\n", n, c->name);
			passed++;
		} else if (r == MXT_SKIP_CODE) {
			printf("ok %d - %s # SKIP\n", n, c->name);
			skipped++;
		} else {
			printf("not ok %d - %s: %s\n", n, c->name, why);
			failed++;
		}
	}
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}

/*
 * For cases with threads, children and deadlines. These only use
 * the macros above.
 */

/* Now, on the clock the deadlines of mx waits are read against. */
static inline mx_time_t mxt_now(void)
{
	return mx_time_get(MX_CLOCK_MONOTONIC);
}

/*
 * Whether this is a debug kernel (KASAN, lockdep, kmemleak: 5 to 20 times
 * slower), told by its KUnit directory, for cases that scale their work.
 */
static inline int mxt_debug_kernel(void)
{
	return access("/sys/kernel/debug/kunit", F_OK) == 0;
}

/* Write @val to the file at @path (a sysfs or cgroup knob): 0 or -1. */
static inline int mxt_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	if (close(fd))
		return -1;
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/*
 * Read the file at @path into @buf (NUL-terminated, without a trailing
 * newline): 0 or -1.
 */
static inline int mxt_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

/* The Linux name (comm) of the task @tid, a process or a thread. */
static inline void mxt_comm(pid_t tid, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)tid);
	if (mxt_read_file(path, buf, size))
		FAIL("read %s: %s", path, strerror(errno));
}

/* Write @val to the file at @path, or fail. */
static inline void mxt_put_file(const char *path, const char *val)
{
	if (mxt_write_file(path, val))
		FAIL("writing %s to %s: %s", val, path, strerror(errno));
}

/* The module's parameters: /sys/module/mx/parameters/<name>. */
#define MXT_PARAM_DIR	"/sys/module/mx/parameters/"

/* Read parameter @name into @buf, or fail. */
static inline void mxt_param_get(const char *name, char *buf, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), MXT_PARAM_DIR "%s", name);
	if (mxt_read_file(path, buf, size))
		FAIL("reading %s: %s", path, strerror(errno));
}

/* Set parameter @name to @val (as root), or fail. */
static inline void mxt_param_set(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), MXT_PARAM_DIR "%s", name);
	mxt_put_file(path, val);
}

/*
 * fork(), after a flush of stdio so that nothing buffered is written
 * twice; fail if there is no child.
 */
static inline pid_t mxt_fork(void)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	return pid;
}

/*
 * Wait for the child @pid, through EINTR, and return its status; fail if
 * it cannot be waited for.
 */
static inline int mxt_wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			FAIL("waitpid: %s", strerror(errno));
	return status;
}

/*
 * Set parameter @name to @val (as root), run @body in a fork() child and
 * put the parameter back whatever became of the child; then fail if the
 * child failed. A failed case never leaves a parameter to the next ones.
 */
static inline void mxt_with_param(const char *name, const char *val,
				  void (*body)(void))
{
	char old[64];
	int status = 0;
	pid_t pid;

	mxt_param_get(name, old, sizeof(old));
	mxt_param_set(name, val);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		body();
		fflush(NULL);
		_exit(0);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	mxt_param_set(name, old);
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		FAIL("the case's body failed (status 0x%x)", status);
}

/* Become @uid (real, effective and saved) with no supplementary groups. */
static inline void mxt_become(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		FAIL("becoming uid %u: %s", (unsigned int)uid,
		     strerror(errno));
}

/*
 * Become @uid (real and effective) but keep root as the saved uid, so
 * that the case can start helpers as other users afterwards.
 */
static inline void mxt_become_keeping_root(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, 0) ||
	    setresuid(uid, uid, 0))
		FAIL("becoming uid %u: %s", (unsigned int)uid,
		     strerror(errno));
}

/*
 * The next number of a splitmix64 sequence whose state is *@s: cheap, and
 * the same sequence for the same seed (the seeded fuzz and soak runs).
 */
static inline uint64_t mxt_rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Send @fd over the unix socket @sock with SCM_RIGHTS, in a message of one
 * byte, with sendmsg() @flags: sendmsg()'s result (1 when sent).
 */
static inline ssize_t mxt_try_send_fd(int sock, int fd, int flags)
{
	char byte = 0, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;

	memset(cbuf, 0, sizeof(cbuf));
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &m, flags);
}

/*
 * Receive a message of mxt_try_send_fd() from @sock with recvmsg()
 * @flags: the fd it carries, or -1 when no message came or it carried no
 * fd.
 */
static inline int mxt_try_recv_fd(int sock, int flags)
{
	char byte, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(sock, &m, flags) <= 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* Send @fd over @sock (SCM_RIGHTS), or fail. */
static inline void mxt_send_fd(int sock, int fd)
{
	if (mxt_try_send_fd(sock, fd, 0) != 1)
		FAIL("sendmsg: %s", strerror(errno));
}

/* Receive an fd from @sock (SCM_RIGHTS; close-on-exec), or fail. */
static inline int mxt_recv_fd(int sock)
{
	int fd = mxt_try_recv_fd(sock, MSG_CMSG_CLOEXEC);

	if (fd < 0)
		FAIL("no fd came from the socket: %s", strerror(errno));
	return fd;
}

/* A new event; the test fails if it cannot be made. */
static inline mx_handle_t mxt_event(void)
{
	mx_handle_t h = MX_HANDLE_INVALID;

	ASSERT_OK(mx_event_create(0, &h));
	ASSERT_TRUE(h > 0);
	return h;
}

/* A duplicate of @h with @rights: a new value. */
static inline mx_handle_t mxt_dup(mx_handle_t h, mx_rights_t rights)
{
	mx_handle_t d = MX_HANDLE_INVALID;

	ASSERT_OK(mx_handle_duplicate(h, rights, &d));
	ASSERT_TRUE(d > 0);
	ASSERT_NE(d, h);
	return d;
}

/* A new channel, its ends in *@a and *@b. */
static inline void mxt_channel(mx_handle_t *a, mx_handle_t *b)
{
	ASSERT_OK(mx_channel_create(0, a, b));
	ASSERT_TRUE(*a > 0 && *b > 0);
}

/* Wait until @h asserts one of @signals. */
static inline void mxt_wait_signal(mx_handle_t h, mx_signals_t signals)
{
	mx_signals_t obs = 0;

	ASSERT_OK(mx_object_wait_one(h, signals, MX_TIME_INFINITE, &obs));
	ASSERT_TRUE(obs & signals);
}

/*
 * A stack for mx_thread_start() or mx_process_start(): its top; its base
 * in *@base unless @base is NULL. Never freed: a killed thread may still
 * be on it.
 */
#define MXT_STACK_SIZE	(256 * 1024)

static inline uintptr_t mxt_stack(char **base)
{
	char *b = malloc(MXT_STACK_SIZE);

	if (!b)
		FAIL("malloc");
	if (base)
		*base = b;
	return (uintptr_t)(b + MXT_STACK_SIZE);
}

/*
 * Entry points for mx_process_start(): mxt_entry_ready() says "ok" on the
 * channel @arg1, then blocks until killed (holding no handle to itself);
 * mxt_entry_return() returns at once.
 */
static inline void mxt_entry_ready(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1;

	(void)arg2;
	mx_channel_write(ch, 0, "ok", 2, NULL, 0);
	for (;;)
		mx_object_wait_one(ch, MX_USER_SIGNAL_0, MX_TIME_INFINITE,
				   NULL);
}

static inline void mxt_entry_return(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg1;
	(void)arg2;
}

/*
 * The one record of topic @topic of @h (which must be valid) into @buf of
 * @size bytes, filled with 0xa5 first.
 */
static inline void mxt_info_one(mx_handle_t h, uint32_t topic, void *buf,
				size_t size)
{
	size_t actual = 0, avail = 0;

	memset(buf, 0xa5, size);
	ASSERT_OK(mx_object_get_info(h, topic, buf, size, &actual, &avail));
	ASSERT_EQ(actual, 1);
	ASSERT_EQ(avail, 1);
}

/* MX_INFO_THREAD's state of thread @t, checked as a whole record. */
static inline uint32_t mxt_thread_state(mx_handle_t t)
{
	mx_info_thread_t info;

	mxt_info_one(t, MX_INFO_THREAD, &info, sizeof(info));
	ASSERT_EQ(info.wait_exception_port_type, 0);
	return info.state;
}

/* MX_INFO_HANDLE_BASIC of a handle that must be valid. */
static inline mx_info_handle_basic_t mxt_basic(mx_handle_t h)
{
	mx_info_handle_basic_t info;

	mxt_info_one(h, MX_INFO_HANDLE_BASIC, &info, sizeof(info));
	return info;
}

/* How many handles the calling process holds (MX_INFO_HANDLE_TABLE). */
static inline size_t mxt_nhandles(void)
{
	size_t actual = 0, avail = 0;

	ASSERT_OK(mx_object_get_info(mx_process_self(), MX_INFO_HANDLE_TABLE,
				     NULL, 0, &actual, &avail));
	return avail;
}

/* MX_INFO_VMAR of a VMAR handle that must be valid. */
static inline mx_info_vmar_t mxt_vmar_info(mx_handle_t h)
{
	mx_info_vmar_t info;

	mxt_info_one(h, MX_INFO_VMAR, &info, sizeof(info));
	return info;
}

/* Whether Linux has any mapping (placeholders too) at the page @addr. */
static inline int mxt_linux_mapped(uintptr_t addr)
{
	unsigned char v;

	return mincore((void *)addr, 4096, &v) == 0;
}

/* MX_INFO_PROCESS of process @p, checked as a whole record. */
static inline mx_info_process_t mxt_process_info(mx_handle_t p)
{
	mx_info_process_t info;

	mxt_info_one(p, MX_INFO_PROCESS, &info, sizeof(info));
	ASSERT_EQ(info.debugger_attached, 0);
	return info;
}

/*
 * Wait for the end of the started process @p, whose only handle this is,
 * and return its return code.
 */
static inline int mxt_return_code_after_death(mx_handle_t p)
{
	mx_info_process_t info;

	mxt_wait_signal(p, MX_TASK_TERMINATED);
	ASSERT_EQ(mxt_signals(p), MX_TASK_TERMINATED | MX_SIGNAL_LAST_HANDLE);
	info = mxt_process_info(p);
	ASSERT_EQ(info.started, 1);
	ASSERT_EQ(info.exited, 1);
	return info.return_code;
}

/*
 * Wait until thread @tid (of this or another process) sleeps inside a
 * system call -- for the waits of these tests, inside the mx ioctl -- or
 * until *@done becomes non-zero (the call returned early: the caller's
 * assertions then say why). Reads /proc/<tid>/stat and, where the kernel
 * has it, /proc/<tid>/syscall.
 */
static inline void mxt_wait_blocked(pid_t tid, const int *done)
{
	char path[64], buf[512];
	mx_time_t give_up = mxt_now() + MX_SEC(60);
	FILE *f;

	for (;;) {
		char state = 0, *p;
		long nr = -2;
		size_t n;

		if (done && __atomic_load_n(done, __ATOMIC_ACQUIRE))
			return;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)tid);
		f = fopen(path, "r");
		if (f) {
			n = fread(buf, 1, sizeof(buf) - 1, f);
			buf[n] = '\0';
			fclose(f);
			p = strrchr(buf, ')');
			if (p && p[1] == ' ')
				state = p[2];
		}
		if (state == 'S') {
			snprintf(path, sizeof(path), "/proc/%d/syscall",
				 (int)tid);
			f = fopen(path, "r");
			if (f) {
				n = fread(buf, 1, sizeof(buf) - 1, f);
				buf[n] = '\0';
				fclose(f);
				if (strncmp(buf, "running", 7) == 0)
					nr = -1;
				else if (n && sscanf(buf, "%ld", &nr) != 1)
					nr = -2;
			}
			/* -2: no readable syscall file; trust the state. */
			if (nr == -2 || nr == 16 /* ioctl, x86-64 */)
				return;
		}
		if (mxt_now() > give_up)
			FAIL("thread %d never blocked (state %c)", (int)tid,
			     state ? state : '?');
		usleep(1000);
	}
}

/*
 * Run @fn(@arg) in a fork() child -- a new mx process -- and require that
 * it returns (a failed assertion in it exits 1).
 */
static inline void mxt_in_child(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	pid = mxt_fork();
	if (pid == 0) {
		fn(arg);
		fflush(NULL);
		_exit(0);
	}
	status = mxt_wait_child(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("child failed (status 0x%x)", status);
}

struct mxt_as_user_arg {
	uid_t uid;
	void (*fn)(void *arg);
	void *arg;
};

static inline void mxt_as_user_main(void *arg)
{
	struct mxt_as_user_arg *a = arg;

	/* From a case's user, which kept root as its saved uid. */
	if (geteuid() != 0 && setresuid(0, 0, 0))
		FAIL("back to root: %s", strerror(errno));
	mxt_become(a->uid);
	a->fn(a->arg);
}

/* Run @fn(@arg) as @uid in a child (a new mx process); it must succeed. */
static inline void mxt_as_user(uid_t uid, void (*fn)(void *arg), void *arg)
{
	struct mxt_as_user_arg a = { uid, fn, arg };

	mxt_in_child(mxt_as_user_main, &a);
}

#define MXT_CGROOT		"/sys/fs/cgroup"
#define MXT_CGROUP2_MAGIC	0x63677270	/* linux/magic.h */

/*
 * cgroup2 at /sys/fs/cgroup (mounted when nothing is there) with the
 * memory controller on for its children, or the case skips.
 */
static inline void mxt_cgroup_ready(void)
{
	char buf[512];
	struct statfs sfs;

	if (statfs(MXT_CGROOT, &sfs) == 0 &&
	    sfs.f_type != MXT_CGROUP2_MAGIC &&
	    mount("cgroup2", MXT_CGROOT, "cgroup2", 0, NULL) != 0)
		SKIP("cannot mount cgroup2 at %s: %s", MXT_CGROOT,
		     strerror(errno));
	if (statfs(MXT_CGROOT, &sfs) != 0 || sfs.f_type != MXT_CGROUP2_MAGIC)
		SKIP("no cgroup2 at %s", MXT_CGROOT);
	if (mxt_read_file(MXT_CGROOT "/cgroup.controllers", buf, sizeof(buf)) ||
	    !strstr(buf, "memory"))
		SKIP("the kernel has no memory controller");
	if (mxt_write_file(MXT_CGROOT "/cgroup.subtree_control", "+memory"))
		SKIP("cannot enable the memory controller: %s",
		     strerror(errno));
}

/*
 * Start thread *@th running @fn(@arg), which first stores its tid in *@tid
 * (0 until then) and sets *@done once its blocking call returned; return
 * when the thread is blocked in that call.
 */
static inline void mxt_start_blocked(pthread_t *th, void *(*fn)(void *),
				     void *arg, const pid_t *tid,
				     const int *done)
{
	ASSERT_EQ(pthread_create(th, NULL, fn, arg), 0);
	while (!__atomic_load_n(tid, __ATOMIC_ACQUIRE))
		usleep(100);
	mxt_wait_blocked(*tid, done);
	ASSERT_EQ(__atomic_load_n(done, __ATOMIC_ACQUIRE), 0);
}

/* A page that may be read but not written: an out pointer that faults. */
static inline void *mxt_read_only_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	return p;
}

/*
 * POSIX signals that interrupt blocking calls. Handlers are installed
 * without SA_RESTART: an EINTR would reach the caller if one could.
 */
static inline void mxt_on_signal(int sig, void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		FAIL("sigaction: %s", strerror(errno));
}

/* SIGUSR1 handlers run, counted by mxt_counting_handler(). */
static volatile sig_atomic_t mxt_handled;

static inline void mxt_count_signal(int sig)
{
	(void)sig;
	mxt_handled++;
}

static inline void mxt_counting_handler(void)
{
	mxt_on_signal(SIGUSR1, mxt_count_signal);
	mxt_handled = 0;
}

/*
 * Interrupt thread @th (@tid), blocked in a call that sets *@done when it
 * returns, three times with SIGUSR1, each time once it is blocked again.
 */
static inline void mxt_interrupt_thrice(pthread_t th, pid_t tid,
					const int *done)
{
	int i;

	for (i = 0; i < 3; i++) {
		sig_atomic_t before = mxt_handled;

		ASSERT_EQ(pthread_kill(th, SIGUSR1), 0);
		while (mxt_handled == before &&
		       !__atomic_load_n(done, __ATOMIC_ACQUIRE))
			usleep(100);
		mxt_wait_blocked(tid, done);
		ASSERT_EQ(__atomic_load_n(done, __ATOMIC_ACQUIRE), 0);
	}
	ASSERT_EQ(mxt_handled, 3);
}

/*
 * A SIGUSR2 handler held until the test lets it return, so that what the
 * test does while a thread is out of its call is deterministic:
 * mxt_holding_handler() installs it, mxt_hold_in_handler() interrupts a
 * thread and returns once the thread is in the handler,
 * mxt_release_handler() lets the handler return.
 */
static sem_t mxt_in_handler, mxt_may_return;

static inline void mxt_hold_signal(int sig)
{
	(void)sig;
	sem_post(&mxt_in_handler);
	while (sem_wait(&mxt_may_return) != 0)
		;
}

static inline void mxt_holding_handler(void)
{
	ASSERT_EQ(sem_init(&mxt_in_handler, 0, 0), 0);
	ASSERT_EQ(sem_init(&mxt_may_return, 0, 0), 0);
	mxt_on_signal(SIGUSR2, mxt_hold_signal);
}

static inline void mxt_hold_in_handler(pthread_t th)
{
	ASSERT_EQ(pthread_kill(th, SIGUSR2), 0);
	while (sem_wait(&mxt_in_handler) != 0)
		;
}

static inline void mxt_release_handler(void)
{
	ASSERT_EQ(sem_post(&mxt_may_return), 0);
}

/*
 * Handlers that leave the interrupted call without returning into it:
 * mxt_exit_handler() ends the thread, mxt_escape_handler() jumps to the
 * sigsetjmp(mxt_escape_jmp, 1) of the thread.
 */
static sigjmp_buf mxt_escape_jmp;

static inline void mxt_exit_handler(int sig)
{
	(void)sig;
	pthread_exit(NULL);
}

static inline void mxt_escape_handler(int sig)
{
	(void)sig;
	siglongjmp(mxt_escape_jmp, 1);
}

#endif /* MXTEST_H */
