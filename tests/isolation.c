// SPDX-License-Identifier: MIT
/*
 * Isolation: every call acts on the caller's own handle table, which
 * belongs to the Linux thread group, never to a /dev/mx file. A /dev/mx
 * fd received by SCM_RIGHTS or inherited across fork() reaches the
 * receiver's own table only; the table survives exec(). Handle values of
 * another process are MX_ERR_BAD_HANDLE; rights never grow.
 */
#include "mxtest.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* exec() half of handles_survive_exec: runs before main() in the new image */
__attribute__((constructor)) static void iso_exec_child(void)
{
	const char *v = getenv("MX_ISO_EXEC_HANDLE");
	mx_info_handle_basic_t info;

	if (!v)
		return;
	if (mx_object_get_info((mx_handle_t)atoi(v), MX_INFO_HANDLE_BASIC, &info,
			       sizeof(info), NULL, NULL) != MX_OK)
		_exit(10);
	if (info.type != MX_OBJ_TYPE_EVENT || mx_handle_close((mx_handle_t)atoi(v)))
		_exit(11);
	_exit(0);
}

static void expect_bad_everywhere(mx_handle_t h)
{
	mx_handle_t out = 0x5a5a;
	mx_info_handle_basic_t info;

	ASSERT_STATUS(mx_object_signal(h, 0, MX_USER_SIGNAL_0), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_wait_one(h, MX_USER_SIGNAL_0, 0, NULL),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_get_info(h, MX_INFO_HANDLE_BASIC, &info,
					 sizeof(info), NULL, NULL),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_duplicate(h, MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_replace(h, MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_close(h), MX_ERR_BAD_HANDLE);
	ASSERT_EQ(out, (mx_handle_t)0x5a5a);
}

static void other_process(void *arg)
{
	mx_handle_t mine, theirs = *(mx_handle_t *)arg;

	/* a table of its own with something in it, then the guess */
	ASSERT_OK(mx_event_create(0, &mine));
	if (mine == theirs)
		SKIP("the child's first value happens to equal the parent's");
	expect_bad_everywhere(theirs);
	/* neighbouring values too */
	for (int d = 1; d < 64; d++) {
		if (theirs + d != mine)
			ASSERT_STATUS(mx_handle_close(theirs + d), MX_ERR_BAD_HANDLE);
		if (theirs - d != mine)
			ASSERT_STATUS(mx_handle_close(theirs - d), MX_ERR_BAD_HANDLE);
	}
}

TEST(values_of_another_process_are_bad_handles)
{
	mx_handle_t e = mxt_event();

	mxt_in_child(other_process, &e);
	/* and the parent's handle is untouched */
	ASSERT_EQ(mxt_basic(e).type, MX_OBJ_TYPE_EVENT);
	ASSERT_OK(mx_handle_close(e));
}

static void inherited_fd(void *arg)
{
	int fd = *(int *)arg;
	mx_handle_t e = (mx_handle_t)(intptr_t)((int *)arg)[1];
	struct mx_ioc_create c = { 0 };
	mx_handle_t out = 0;

	/* the parent's fd, inherited: the parent's value is still not ours */
	ASSERT_EQ(ioctl(fd, MX_IOC_HANDLE_CLOSE, (unsigned long)(uint32_t)e),
		  -MX_ERR_BAD_HANDLE);
	/* a new object made through it lands in our own table */
	c.out0 = (uintptr_t)&out;
	ASSERT_EQ(ioctl(fd, MX_IOC_EVENT_CREATE, &c), 0);
	ASSERT_EQ(mxt_basic(out).type, MX_OBJ_TYPE_EVENT);
	ASSERT_OK(mx_handle_close(out));
}

TEST(fd_inherited_across_fork_reaches_own_table)
{
	int arg[2];
	mx_handle_t e = mxt_event();

	arg[0] = open("/dev/mx", O_RDWR);
	ASSERT_TRUE(arg[0] >= 0);
	arg[1] = e;
	mxt_in_child(inherited_fd, arg);
	ASSERT_EQ(mxt_basic(e).type, MX_OBJ_TYPE_EVENT);
	ASSERT_OK(mx_handle_close(e));
	close(arg[0]);
}

static void passed_fd(void *arg)
{
	int sock = *(int *)arg, fd = -1;
	char b, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &b, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	mx_handle_t theirs;
	struct mx_ioc_signal sig = { 0 };

	ASSERT_EQ(read(sock, &theirs, sizeof(theirs)), (ssize_t)sizeof(theirs));
	ASSERT_EQ(recvmsg(sock, &m, 0), 1);
	ASSERT_TRUE(CMSG_FIRSTHDR(&m) != NULL);
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
	/* the sender's fd does not carry the sender's table */
	sig.handle = theirs;
	sig.set_mask = MX_USER_SIGNAL_0;
	ASSERT_EQ(ioctl(fd, MX_IOC_OBJECT_SIGNAL, &sig), -MX_ERR_BAD_HANDLE);
	ASSERT_EQ(ioctl(fd, MX_IOC_HANDLE_CLOSE, (unsigned long)(uint32_t)theirs),
		  -MX_ERR_BAD_HANDLE);
	b = 1;
	ASSERT_EQ(write(sock, &b, 1), 1);
}

TEST(fd_passed_by_scm_rights_reaches_own_table)
{
	int sv[2], fd;
	char b = 0, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &b, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	mx_handle_t e;
	pid_t pid;
	int status;

	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* the child exists before the parent has a table or the fd */
	pid = mxt_fork();
	if (pid == 0) {
		close(sv[0]);
		passed_fd(&sv[1]);
		_exit(0);
	}
	close(sv[1]);
	e = mxt_event();
	fd = open("/dev/mx", O_RDWR);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(sv[0], &e, sizeof(e)), (ssize_t)sizeof(e));
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ASSERT_EQ(sendmsg(sv[0], &m, 0), 1);
	ASSERT_EQ(read(sv[0], &b, 1), 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_EQ(status, 0);
	/* not signalled, not closed */
	ASSERT_EQ(mxt_signals(e) & MX_USER_SIGNAL_0, 0);
	ASSERT_OK(mx_handle_close(e));
	close(fd);
}

TEST(handles_survive_exec)
{
	mx_handle_t e = mxt_event();
	char v[16];
	pid_t pid;
	int status;

	snprintf(v, sizeof(v), "%d", e);
	pid = mxt_fork();
	if (pid == 0) {
		/* the child's own table: an event at a known value, then exec */
		mx_handle_t c = mxt_event();

		snprintf(v, sizeof(v), "%d", c);
		setenv("MX_ISO_EXEC_HANDLE", v, 1);
		execl("/proc/self/exe", "isolation", (char *)NULL);
		_exit(12);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
	ASSERT_OK(mx_handle_close(e));
}

TEST(rights_never_grow)
{
	mx_handle_t e = mxt_event(), r, out = 0x5a5a;

	ASSERT_OK(mx_handle_duplicate(e, MX_RIGHT_READ | MX_RIGHT_DUPLICATE, &r));
	for (int bit = 0; bit < 31; bit++) {
		mx_rights_t more = MX_RIGHT_READ | MX_RIGHT_DUPLICATE | (1u << bit);

		if (more == (MX_RIGHT_READ | MX_RIGHT_DUPLICATE))
			continue;
		ASSERT_STATUS(mx_handle_duplicate(r, more, &out),
			      MX_ERR_INVALID_ARGS);
		ASSERT_STATUS(mx_handle_replace(r, more, &out),
			      MX_ERR_INVALID_ARGS);
		ASSERT_EQ(out, (mx_handle_t)0x5a5a);
	}
	/* the handle is still there with its rights */
	ASSERT_EQ(mxt_basic(r).rights, MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	/* fewer is fine; back up again is not */
	ASSERT_OK(mx_handle_replace(r, MX_RIGHT_READ, &out));
	ASSERT_EQ(mxt_basic(out).rights, MX_RIGHT_READ);
	ASSERT_STATUS(mx_handle_replace(out, MX_RIGHT_READ | MX_RIGHT_DUPLICATE, &r),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_handle_close(out));
	ASSERT_OK(mx_handle_close(e));
}
