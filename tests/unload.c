// SPDX-License-Identifier: MIT
/*
 * Module unload: refused while anything uses mx -- an open /dev/mx, an mx
 * process with no /dev/mx open, a handle fd or a waitfd -- and clean
 * afterwards. The runner unloads mx after the last program and fails the
 * run on any kmemleak report, so the channel cycles left by
 * cycles_leave_nothing_at_unload below must be gone by then (collected,
 * or freed by the unload).
 */
#include "mxtest.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

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
	fflush(NULL);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
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
