// SPDX-License-Identifier: MIT
/*
 * Module unload: refused while anything uses mx -- an open /dev/mx, an mx
 * process with no /dev/mx open, a handle fd or a waitfd -- and clean
 * afterwards. The runner unloads mx after the last program and fails the
 * run on any kmemleak report, so the channel cycles left by
 * cycles_leave_nothing_at_unload below must be gone by then (collected,
 * or freed by the unload). unload_right_after_the_last_user unloads and
 * reloads mx itself.
 */
#include "mxtest.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

/* Where the VM image keeps the module (tools/vm/mkinitramfs.sh). */
#define MX_KO		"/modules/mx.ko"
#define UNLOADS		25
#define USER_UID	1000

/* delete_module(2), which must fail: mx is in use. */
static void refused(void)
{
	long r = syscall(SYS_delete_module, "mx", O_NONBLOCK);

	if (r == 0)
		FAIL("mx was unloaded while in use");
	ASSERT_TRUE(errno == EWOULDBLOCK || errno == EBUSY);
	ASSERT_EQ(access("/dev/mx", F_OK), 0);
}

TEST(refused_while_dev_mx_is_open)
{
	int fd = open("/dev/mx", O_RDWR);

	ASSERT_TRUE(fd >= 0);
	refused();
	close(fd);
}

static void table_without_fd(void *arg)
{
	struct mx_ioc_create c = { 0 };
	mx_handle_t e = 0;
	int fd = open("/dev/mx", O_RDWR);

	(void)arg;
	ASSERT_TRUE(fd >= 0);
	c.out0 = (uintptr_t)&e;
	ASSERT_EQ(ioctl(fd, MX_IOC_EVENT_CREATE, &c), 0);
	close(fd);
	/* no /dev/mx open in this process; its mx process still exists */
	refused();
}

TEST(refused_while_an_mx_process_lives)
{
	mxt_in_child(table_without_fd, NULL);
}

static int ul_report = -1;	/* a byte written here is a failure */

static void only_fds(void *arg)
{
	struct mx_ioc_create c = { 0 };
	struct mx_ioc_handle_fd h = { 0 };
	struct mx_ioc_waitfd w = { 0 };
	mx_handle_t e = 0;
	int hfd = -1, fd = open("/dev/mx", O_RDWR);

	ASSERT_TRUE(fd >= 0);
	c.out0 = (uintptr_t)&e;
	ASSERT_EQ(ioctl(fd, MX_IOC_EVENT_CREATE, &c), 0);
	if (arg) {
		/* a waitfd, with the event's last handle closed */
		w.handle = e;
		w.signals = MX_EVENT_SIGNALED;
		w.fd = (uintptr_t)&hfd;
		ASSERT_EQ(ioctl(fd, MX_IOC_WAITFD_CREATE, &w), 0);
		ASSERT_EQ(ioctl(fd, MX_IOC_HANDLE_CLOSE, (unsigned long)(uint32_t)e), 0);
	} else {
		h.handle = e;
		h.fd = (uintptr_t)&hfd;
		ASSERT_EQ(ioctl(fd, MX_IOC_HANDLE_TO_FD, &h), 0);
	}
	close(fd);
	/* hand the fd to a process that never used mx, then end */
	fflush(NULL);
	pid_t pid = fork();

	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		/* wait for the parent (an mx process) to go away */
		while (getppid() != 1)
			usleep(1000);
		/* the only thing left is the fd: still refused */
		if (syscall(SYS_delete_module, "mx", O_NONBLOCK) == 0 ||
		    (errno != EWOULDBLOCK && errno != EBUSY))
			(void)!write(ul_report, "F", 1);
		(void)hfd;
		_exit(0);
	}
	_exit(0);
}

static void only_fd_case(void *arg)
{
	/*
	 * The grandchild checks once its parent is gone; wait for it by its
	 * pipe closing.
	 */
	int p[2], status;
	char b;
	pid_t pid;

	ASSERT_EQ(pipe(p), 0);
	pid = mxt_fork();
	if (pid == 0) {
		close(p[0]);
		ul_report = p[1];
		only_fds(arg);
	}
	close(p[1]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_EQ(status, 0);
	/* EOF once the grandchild has exited too; a byte is its failure */
	if (read(p[0], &b, 1) != 0)
		FAIL("mx was unloaded while only an fd of its was open");
	ASSERT_EQ(access("/dev/mx", F_OK), 0);
}

TEST(refused_while_a_handle_fd_is_open)
{
	only_fd_case(NULL);
}

TEST(refused_while_a_waitfd_is_open)
{
	only_fd_case((void *)1);
}

TEST(cycles_leave_nothing_at_unload)
{
	mx_handle_t a, b, c, d, e;

	/* an endpoint whose only handle is queued on itself */
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_write(a, 0, "x", 1, &b, 1));
	ASSERT_OK(mx_handle_close(a));
	/* two channels, each carried by the other, with an event aboard */
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_create(0, &c, &d));
	ASSERT_OK(mx_event_create(0, &e));
	ASSERT_OK(mx_channel_write(a, 0, NULL, 0, &e, 1));
	ASSERT_OK(mx_channel_write(a, 0, NULL, 0, &d, 1));
	ASSERT_OK(mx_channel_write(c, 0, NULL, 0, &b, 1));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(c));
}

/* mx's reference count in /proc/modules; -1 if it is not loaded. */
static int mx_refs(void)
{
	char line[256], name[64];
	int size, refs = -1;
	FILE *f = fopen("/proc/modules", "r");

	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %d %d", name, &size, &refs) == 3 &&
		    !strcmp(name, "mx"))
			break;
		else
			refs = -1;
	fclose(f);
	return refs;
}

static void entry_exit(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg1;
	mx_process_exit((int)arg2);
}

/*
 * An ordinary user's program: a process started and waited for, a thread
 * started, a thread that asked for its handle, channel cycles in flight
 * and a wait left parked; then it exits without closing anything.
 */
static void user_program(void)
{
	static char stack[64 * 1024], tstack[64 * 1024];
	mx_handle_t p = 0, t = 0, ev = 0, a, b, c, d, port;
	int status;

	mxt_become(USER_UID);
	ASSERT_OK(mx_process_create(mx_job_default(), "u", 1, 0, &p, NULL));
	ASSERT_OK(mx_thread_create(p, "m", 1, 0, &t));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_exit,
				   (uintptr_t)(stack + sizeof(stack)), ev, 3));
	ASSERT_OK(mx_object_wait_one(p, MX_TASK_TERMINATED, MX_TIME_INFINITE,
				     NULL));
	ASSERT_TRUE(waitpid(-1, &status, 0) > 0);
	ASSERT_OK(mx_thread_create(mx_process_self(), "t", 1, 0, &t));
	ASSERT_OK(mx_thread_start(t, (uintptr_t)mxt_entry_return,
				  (uintptr_t)(tstack + sizeof(tstack)), 0, 0));
	ASSERT_OK(mx_object_wait_one(t, MX_TASK_TERMINATED, MX_TIME_INFINITE,
				     NULL));
	ASSERT_TRUE(mx_thread_self() > 0);
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_write(a, 0, "x", 1, &b, 1));
	ASSERT_OK(mx_channel_create(0, &c, &d));
	ASSERT_OK(mx_channel_write(c, 0, NULL, 0, &a, 1));
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));
	ASSERT_OK(mx_object_wait_async(d, port, 1, MX_CHANNEL_READABLE,
				       MX_WAIT_ASYNC_REPEATING));
	{
		/* armed timers, one in flight in a channel, a fifo in use */
		mx_handle_t t1, t2, t3, f0, f1;
		uint32_t n;

		ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t1));
		ASSERT_OK(mx_timer_start(t1, MX_TIMER_MIN_DEADLINE,
					 MX_TIMER_MIN_PERIOD, 0));
		ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t2));
		ASSERT_OK(mx_timer_start(t2, mx_deadline_after(MX_SEC(60)), 0,
					 0));
		ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t3));
		ASSERT_OK(mx_timer_start(t3, MX_TIMER_MIN_DEADLINE,
					 MX_MSEC(1), 0));
		ASSERT_OK(mx_channel_write(c, 0, NULL, 0, &t3, 1));
		ASSERT_OK(mx_fifo_create(4, 8, 0, &f0, &f1));
		ASSERT_OK(mx_fifo_write(f0, "12345678", 8, &n));
		ASSERT_OK(mx_channel_write(c, 0, NULL, 0, &f1, 1));
	}
	_exit(0);
}

/*
 * rmmod right after the last user is gone: once waitpid() has returned
 * for a program that used mx, nothing holds the module any more, so an
 * unload succeeds at once (not a moment later). Unloads and reloads mx
 * UNLOADS times (a fifth of that on a debug kernel, where each load of
 * the module and each run of the program takes seconds); needs the VM's
 * image (the module at MX_KO).
 */
TEST(unload_right_after_the_last_user)
{
	int i, n, fd, status, unloads = UNLOADS / (mxt_debug_kernel() ? 5 : 1);
	pid_t pid;

	if (geteuid() != 0 || access(MX_KO, R_OK))
		SKIP("needs root and " MX_KO);
	/* What earlier cases left (an fd closing in an orphan) goes first. */
	for (n = 0; n < 1000 && mx_refs() != 0; n++)
		usleep(10000);
	ASSERT_EQ(mx_refs(), 0);
	for (i = 0; i < unloads; i++) {
		pid = mxt_fork();
		if (pid == 0)
			user_program();
		ASSERT_EQ(waitpid(pid, &status, 0), pid);
		ASSERT_EQ(status, 0);
		if (syscall(SYS_delete_module, "mx", O_NONBLOCK))
			FAIL("unload %d: delete_module: %s (refs %d)", i,
			     strerror(errno), mx_refs());
		ASSERT_EQ(mx_refs(), -1);
		ASSERT_TRUE(access("/dev/mx", F_OK) != 0);
		fd = open(MX_KO, O_RDONLY | O_CLOEXEC);
		ASSERT_TRUE(fd >= 0);
		if (syscall(SYS_finit_module, fd, "", 0))
			FAIL("reload %d: finit_module: %s", i, strerror(errno));
		close(fd);
		ASSERT_EQ(access("/dev/mx", F_OK), 0);
	}
}

/*
 * A start whose child never claims it, and holds nothing of mx: the
 * child closed every descriptor, and the program that armed it is gone.
 * Nothing holds the module, so it unloads, ending the arm as if the child
 * had died (kmemleak and KASAN, on the debug kernel, see the rest).
 */
static void arm_then_leave_child(int report)
{
	struct mx_ioc_process_start a = { 0 };
	mx_handle_t p = 0, t = 0, ev = 0, v = 0;
	int fd = open("/dev/mx", O_RDWR | O_CLOEXEC), i;
	pid_t pid;

	mxt_become(USER_UID);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(mx_process_create(mx_job_default(), "u", 1, 0, &p, NULL));
	ASSERT_OK(mx_thread_create(p, "m", 1, 0, &t));
	ASSERT_OK(mx_event_create(0, &ev));
	a.process = p;
	a.thread = t;
	a.arg1 = ev;
	a.out = (uintptr_t)&v;
	ASSERT_EQ(ioctl(fd, MX_IOC_PROCESS_START, &a), 0);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		/* Took the arm; says so, holds nothing, never claims. */
		pid = getpid();
		(void)!write(report, &pid, sizeof(pid));
		/*
		 * The report last: its end of file tells the test that the
		 * /dev/mx files are released (a close's release runs before
		 * the close returns to user mode).
		 */
		for (i = 0; i < 1024; i++)
			if (i != report)
				close(i);
		close(report);
		for (;;)
			pause();
	}
	_exit(0);
}

TEST(unload_ends_arms_no_child_claimed)
{
	int r[2], status, fd;
	pid_t pid, child = 0;

	if (geteuid() != 0 || access(MX_KO, R_OK))
		SKIP("needs root and " MX_KO);
	ASSERT_EQ(pipe(r), 0);
	pid = mxt_fork();
	if (pid == 0) {
		close(r[0]);
		arm_then_leave_child(r[1]);
	}
	close(r[1]);
	ASSERT_EQ(read(r[0], &child, sizeof(child)), (ssize_t)sizeof(child));
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_EQ(status, 0);
	/* EOF: the child has closed its descriptors too. */
	ASSERT_EQ(read(r[0], &status, 1), 0);
	close(r[0]);
	if (syscall(SYS_delete_module, "mx", O_NONBLOCK))
		FAIL("delete_module: %s (refs %d)", strerror(errno),
		     mx_refs());
	ASSERT_EQ(kill(child, SIGKILL), 0);
	fd = open(MX_KO, O_RDONLY | O_CLOEXEC);
	ASSERT_TRUE(fd >= 0);
	if (syscall(SYS_finit_module, fd, "", 0))
		FAIL("reload: finit_module: %s", strerror(errno));
	close(fd);
	ASSERT_EQ(access("/dev/mx", F_OK), 0);
}
