// SPDX-License-Identifier: MIT
/*
 * What channel queues may hold: the per-endpoint bounds (module
 * parameters channel_max_msgs and channel_max_bytes, MX_ERR_NO_RESOURCES)
 * and the memory cgroup of the writer (every message is charged to it;
 * past memory.max a write is MX_ERR_NO_MEMORY, and nothing is OOM-killed).
 */
#include "mxtest.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>


static void eight_messages(void)
{
	mx_handle_t a, b, ev;
	char c;
	int i;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_event_create(0, &ev));
	for (i = 0; i < 8; i++)
		ASSERT_OK(mx_channel_write(a, 0, "m", 1, NULL, 0));
	ASSERT_STATUS(mx_channel_write(a, 0, "m", 1, NULL, 0),
		      MX_ERR_NO_RESOURCES);
	/* All or nothing: the handle sent with a refused write stays. */
	ASSERT_STATUS(mx_channel_write(a, 0, "m", 1, &ev, 1),
		      MX_ERR_NO_RESOURCES);
	ASSERT_EQ(mxt_signals(ev), MX_SIGNAL_LAST_HANDLE);
	/* A full endpoint's writer stays WRITABLE (decisions.md). */
	ASSERT_EQ(mxt_signals(a), MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
	/* The other direction has its own bound. */
	ASSERT_OK(mx_channel_write(b, 0, "m", 1, NULL, 0));
	ASSERT_OK(mx_channel_read(b, 0, &c, NULL, 1, 0, NULL, NULL));
	ASSERT_OK(mx_channel_write(a, 0, "m", 1, &ev, 1));
	ASSERT_STATUS(mx_channel_write(a, 0, "m", 1, NULL, 0),
		      MX_ERR_NO_RESOURCES);
}

TEST(channel_max_msgs_is_no_resources)
{
	mxt_with_param("channel_max_msgs", "8", eight_messages);
}

static void thousand_bytes(void)
{
	static char buf[1001];
	mx_handle_t a, b;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_write(a, 0, buf, 600, NULL, 0));
	ASSERT_STATUS(mx_channel_write(a, 0, buf, 401, NULL, 0),
		      MX_ERR_NO_RESOURCES);
	ASSERT_OK(mx_channel_write(a, 0, buf, 400, NULL, 0));
	ASSERT_STATUS(mx_channel_write(a, 0, buf, 1, NULL, 0),
		      MX_ERR_NO_RESOURCES);
	/* An empty message takes no byte. */
	ASSERT_OK(mx_channel_write(a, 0, NULL, 0, NULL, 0));
	ASSERT_OK(mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, NULL, NULL));
	ASSERT_OK(mx_channel_write(a, 0, buf, 600, NULL, 0));
	/* One message larger than the bound never fits. */
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_STATUS(mx_channel_write(a, 0, buf, 1001, NULL, 0),
		      MX_ERR_NO_RESOURCES);
}

TEST(channel_max_bytes_is_no_resources)
{
	mxt_with_param("channel_max_bytes", "1000", thousand_bytes);
}

/*
 * The memory cgroup case. The guest's /init does not mount cgroup2; the
 * case mounts it at /sys/fs/cgroup when nothing is there.
 */
#define MSG_SIZE	65536
#define CG_MAX		(8 << 20)

static long long event_count(const char *dir, const char *key)
{
	char path[256], buf[1024], *line, *save = NULL;
	size_t n = strlen(key);

	snprintf(path, sizeof(path), "%s/memory.events", dir);
	if (mxt_read_file(path, buf, sizeof(buf)))
		FAIL("read %s: %s", path, strerror(errno));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, n) && line[n] == ' ')
			return atoll(line + n + 1);
	FAIL("no %s in %s", key, path);
}

static char child_msg[MSG_SIZE];

/*
 * Touch now, before the move, the memory the child uses later: a page
 * fault in a cgroup at its limit is the cgroup's OOM killer's business,
 * and this case is about the kernel memory of queues only.
 */
static void prefault(void)
{
	volatile char stack[32 << 10];

	memset((char *)stack, 1, sizeof(stack));
	memset(child_msg, 1, sizeof(child_msg));
}

/* In the cgroup: fill queues until the charge fails. */
static int fill_queues(int report)
{
	char *msg = child_msg;
	mx_handle_t a, b;
	mx_status_t s;
	int n = 0;

	if (mx_channel_create(0, &a, &b) != MX_OK)
		return 10;
	for (;;) {
		s = mx_channel_write(a, 0, msg, MSG_SIZE, NULL, 0);
		if (s != MX_OK)
			break;
		n++;
	}
	if (write(report, &n, sizeof(n)) != sizeof(n))
		return 11;
	if (s != MX_ERR_NO_MEMORY)
		return 12;
	/* Still alive and well: a read makes room, a write fits again. */
	if (mx_channel_read(b, 0, msg, NULL, MSG_SIZE, 0, NULL, NULL) != MX_OK)
		return 13;
	if (mx_channel_write(a, 0, msg, MSG_SIZE, NULL, 0) != MX_OK)
		return 14;
	if (mx_handle_close(b) != MX_OK || mx_handle_close(a) != MX_OK)
		return 15;
	return 0;
}

TEST(channel_queues_are_charged_to_the_writers_cgroup)
{
	static char msg[MSG_SIZE];
	char dir[128], path[160], num[32];
	int go[2], report[2], status, n = -1;
	mx_handle_t a, b;
	pid_t pid;
	char c;

	mxt_cgroup_ready();
	snprintf(dir, sizeof(dir), MXT_CGROOT "/mx-test-%d", (int)getpid());
	if (mkdir(dir, 0755))
		FAIL("mkdir %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/memory.max", dir);
	snprintf(num, sizeof(num), "%d", CG_MAX);
	ASSERT_EQ(mxt_write_file(path, num), 0);
	snprintf(path, sizeof(path), "%s/memory.swap.max", dir);
	mxt_write_file(path, "0");	/* absent without swap accounting */

	ASSERT_EQ(pipe(go), 0);
	ASSERT_EQ(pipe(report), 0);
	pid = mxt_fork();
	if (pid == 0) {
		close(go[1]);
		close(report[0]);
		prefault();
		/* Wait until the parent has moved us, then use mx. */
		if (read(go[0], &c, 1) != 1)
			_exit(20);
		_exit(fill_queues(report[1]));
	}
	close(go[0]);
	close(report[1]);
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(num, sizeof(num), "%d", (int)pid);
	ASSERT_EQ(mxt_write_file(path, num), 0);
	ASSERT_EQ(write(go[1], "g", 1), 1);
	ASSERT_EQ(read(report[0], &n, sizeof(n)), (ssize_t)sizeof(n));
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	printf("# %d messages of %d bytes before MX_ERR_NO_MEMORY "
	       "(memory.max %d)\n", n, MSG_SIZE, CG_MAX);
	/* Not killed: it saw the error, then made room and went on. */
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
	/*
	 * Stopped by the cgroup, before the endpoint's own 16 MiB bound; and
	 * a 64 KiB message is charged about 64 KiB, not the 128 KiB of a
	 * power-of-two allocation with its header.
	 */
	ASSERT_TRUE((long long)n * MSG_SIZE <= CG_MAX);
	ASSERT_TRUE(n > CG_MAX / (2 * MSG_SIZE));
	ASSERT_TRUE(event_count(dir, "max") > 0);
	ASSERT_EQ(event_count(dir, "oom"), 0);
	ASSERT_EQ(event_count(dir, "oom_kill"), 0);

	/* The rest of the system is not affected. */
	ASSERT_OK(mx_channel_create(0, &a, &b));
	for (n = 0; n < 2 * CG_MAX / MSG_SIZE; n++)
		ASSERT_OK(mx_channel_write(a, 0, msg, sizeof(msg), NULL, 0));
	ASSERT_OK(mx_channel_read(b, 0, msg, NULL, sizeof(msg), 0, NULL, NULL));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_EQ(rmdir(dir), 0);
}
