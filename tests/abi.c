// SPDX-License-Identifier: MIT
/*
 * The /dev/mx device itself: ABI version, unknown commands, the return
 * convention, and opening and closing from many threads at once.
 */
#include "mxtest.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/ioctl.h>

static int open_mx(void)
{
	int fd = open("/dev/mx", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		FAIL("open /dev/mx: %s", strerror(errno));
	return fd;
}

TEST(abi_version_matches_header)
{
	struct mx_ioc_version v = { 0, 0 };
	int fd = open_mx();

	ASSERT_EQ(ioctl(fd, MX_IOC_VERSION, &v), 0);
	ASSERT_EQ(v.abi_version, MX_ABI_VERSION);
	ASSERT_TRUE(v.max_handles >= 1024);
	close(fd);
}

TEST(abi_version_bad_pointer_is_efault)
{
	int fd = open_mx();

	errno = 0;
	ASSERT_EQ(ioctl(fd, MX_IOC_VERSION, (void *)8), -1);
	ASSERT_EQ(errno, EFAULT);
	close(fd);
}

TEST(unknown_ioctl_is_enotty)
{
	int fd = open_mx();
	unsigned long bad[] = {
		_IO(MX_IOC_MAGIC, 200),		/* number never assigned */
		_IO('T', 1),			/* another driver's magic */
		_IOW(MX_IOC_MAGIC, 2, int),	/* right number, wrong size */
		_IOR(MX_IOC_MAGIC, 2, struct mx_ioc_handle_dup), /* wrong dir */
		0,
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ASSERT_EQ(ioctl(fd, bad[i], 0), -1);
		ASSERT_EQ(errno, ENOTTY);
	}
	close(fd);
}

TEST(status_is_returned_as_positive_value)
{
	int fd = open_mx();

	/* mx_handle_close(MX_HANDLE_INVALID) is MX_ERR_BAD_HANDLE (-11). */
	ASSERT_EQ(ioctl(fd, MX_IOC_HANDLE_CLOSE, 0), -MX_ERR_BAD_HANDLE);
	close(fd);
}

/*
 * Padding in the ioctl structs is reserved: non-zero is MX_ERR_INVALID_ARGS
 * before anything else is looked at, and nothing happens.
 */
TEST(nonzero_padding_is_invalid_args)
{
	int fd = open_mx();
	mx_handle_t ev = 0, out = 0, a = 0, b = 0;
	mx_signals_t obs = 0;
	struct mx_ioc_signal sig = { 0 };
	struct mx_ioc_wait_many wm = { 0 };
	struct mx_ioc_create cr = { 0 };
	mx_wait_item_t item;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_eventpair_create(0, &a, &b));

	sig.handle = ev;
	sig.set_mask = MX_USER_SIGNAL_0;
	sig.pad = 1;
	ASSERT_EQ(ioctl(fd, MX_IOC_OBJECT_SIGNAL, &sig), -MX_ERR_INVALID_ARGS);
	sig.handle = a;
	ASSERT_EQ(ioctl(fd, MX_IOC_OBJECT_SIGNAL_PEER, &sig),
		  -MX_ERR_INVALID_ARGS);
	/* Even with a bad handle, the struct is refused first. */
	sig.handle = 2;
	ASSERT_EQ(ioctl(fd, MX_IOC_OBJECT_SIGNAL, &sig), -MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_wait_one(ev, MX_USER_SIGNAL_0, 0, &obs),
		      MX_ERR_TIMED_OUT);
	ASSERT_EQ(obs, MX_SIGNAL_LAST_HANDLE);
	ASSERT_STATUS(mx_object_wait_one(b, MX_USER_SIGNAL_0, 0, &obs),
		      MX_ERR_TIMED_OUT);

	item.handle = ev;
	item.waitfor = MX_USER_SIGNAL_0;
	item.pending = 0xdeadbeef;
	wm.items = (uintptr_t)&item;
	wm.count = 1;
	wm.pad = 1;
	ASSERT_EQ(ioctl(fd, MX_IOC_OBJECT_WAIT_MANY, &wm),
		  -MX_ERR_INVALID_ARGS);
	ASSERT_EQ(item.pending, 0xdeadbeef);

	cr.pad = 1;
	cr.out0 = (uintptr_t)&out;
	cr.out1 = (uintptr_t)&out;
	ASSERT_EQ(ioctl(fd, MX_IOC_EVENT_CREATE, &cr), -MX_ERR_INVALID_ARGS);
	ASSERT_EQ(ioctl(fd, MX_IOC_EVENTPAIR_CREATE, &cr),
		  -MX_ERR_INVALID_ARGS);
	ASSERT_EQ(ioctl(fd, MX_IOC_CHANNEL_CREATE, &cr), -MX_ERR_INVALID_ARGS);
	ASSERT_EQ(out, 0);

	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	close(fd);
}

TEST(libmx_maps_bad_pointer_to_invalid_args)
{
	ASSERT_STATUS(mx_event_create(0, (mx_handle_t *)8),
		      MX_ERR_INVALID_ARGS);
}

TEST(file_carries_no_state_across_fork)
{
	int fd = open_mx();
	mx_handle_t ev;
	int status;
	pid_t pid;

	ASSERT_OK(mx_event_create(0, &ev));
	pid = fork();
	if (pid == 0) {
		/* Same open file, other process: the parent's value is void. */
		_exit(ioctl(fd, MX_IOC_HANDLE_CLOSE, ev) ==
		      -MX_ERR_BAD_HANDLE ? 0 : 1);
	}
	ASSERT_TRUE(pid > 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
	ASSERT_OK(mx_handle_close(ev));
	close(fd);
}

static void *open_close_loop(void *arg)
{
	struct mx_ioc_version v;
	int i, fd;

	(void)arg;
	for (i = 0; i < 200; i++) {
		fd = open("/dev/mx", O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return (void *)1;
		if (ioctl(fd, MX_IOC_VERSION, &v) != 0 ||
		    v.abi_version != MX_ABI_VERSION) {
			close(fd);
			return (void *)1;
		}
		close(fd);
	}
	return NULL;
}

TEST(open_close_from_many_threads)
{
	pthread_t th[16];
	void *ret;
	int i;

	for (i = 0; i < 16; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, open_close_loop, NULL), 0);
	for (i = 0; i < 16; i++) {
		ASSERT_EQ(pthread_join(th[i], &ret), 0);
		ASSERT_TRUE(ret == NULL);
	}
}
