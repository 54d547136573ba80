// SPDX-License-Identifier: MIT
/*
 * Stress and soak: worker processes with several threads create, signal,
 * wait on, transfer (through channels, and as handle fds over a unix
 * socket), read and close objects, while the parent SIGKILLs a worker at
 * random every so often and starts a new one. Afterwards:
 *
 *  - every mx process is gone: /sys/module/mx/refcnt drops back to 0;
 *  - nothing is left charged to the workers' user (with
 *    max_user_objects=1 that user can make exactly one object);
 *  - where /sys/kernel/debug/mx/stats exists, its objects, handles and
 *    messages are back to 0.
 *
 * kmemleak (after rmmod), KASAN, lockdep and the hung-task detector watch
 * the run on the debug kernel.
 *
 * MX_SOAK_SECONDS (default 30) is the length of the run; MX_FUZZ_SEED
 * fixes the seed (printed).
 */
#include "mxtest.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>

#define ST_WORKERS	4
#define ST_THREADS	3
#define ST_UID		4243
#define ST_SOCK_FD	901
#define ST_PARAM	"/sys/module/mx/parameters/max_user_objects"

struct st_stats {
	unsigned long ops;
	unsigned long kills;
	unsigned long transfers;
};

static struct st_stats *st;
static volatile int st_stop;

/* Handles of one worker, shared by its threads (values only). */
#define ST_POOL 32
static mx_handle_t st_pool[ST_POOL];
static mx_handle_t st_ch[2];	/* a channel the threads talk over */
static mx_handle_t st_port;

static mx_handle_t take(uint64_t *s)
{
	return __atomic_exchange_n(&st_pool[mxt_rnd(s) % ST_POOL], 0, __ATOMIC_ACQ_REL);
}

static void give(uint64_t *s, mx_handle_t h)
{
	h = __atomic_exchange_n(&st_pool[mxt_rnd(s) % ST_POOL], h, __ATOMIC_ACQ_REL);
	if (h)
		mx_handle_close(h);
}

static mx_time_t soon(uint64_t *s)
{
	return mx_deadline_after((mx_duration_t)(mxt_rnd(s) % 3000000));
}

static void st_op(uint64_t *s)
{
	mx_handle_t a, b, hs[4];
	mx_port_packet_t pkt;
	uint32_t ab, ah;
	char buf[512];
	int fd;

	switch (mxt_rnd(s) % 12) {
	case 0:
		if (mx_event_create(0, &a) == MX_OK)
			give(s, a);
		break;
	case 1:
		if (mx_eventpair_create(0, &a, &b) == MX_OK) {
			give(s, a);
			give(s, b);
		}
		break;
	case 2:
		a = take(s);
		if (a && mx_handle_duplicate(a, MX_RIGHT_SAME_RIGHTS, &b) == MX_OK)
			give(s, b);
		if (a)
			give(s, a);
		break;
	case 3:
		/* events and pairs travel through the channel, never channels */
		a = take(s);
		if (!a)
			break;
		if (mx_channel_write(st_ch[mxt_rnd(s) & 1], 0, buf,
				     (uint32_t)(mxt_rnd(s) % sizeof(buf)), &a, 1) != MX_OK)
			give(s, a);
		break;
	case 4:
		ah = 4;
		if (mx_channel_read(st_ch[mxt_rnd(s) & 1], 0, buf, hs, sizeof(buf), 4,
				    &ab, &ah) == MX_OK)
			for (uint32_t i = 0; i < ah; i++)
				give(s, hs[i]);
		break;
	case 5:
		a = take(s);
		if (!a)
			break;
		mx_object_signal(a, 0, MX_USER_SIGNAL_0);
		mx_object_signal_peer(a, 0, MX_USER_SIGNAL_1);
		give(s, a);
		break;
	case 6:
		a = take(s);
		if (!a)
			break;
		mx_object_wait_one(a, MX_USER_SIGNAL_0 | MX_EPAIR_PEER_CLOSED,
				   soon(s), NULL);
		give(s, a);
		break;
	case 7: {
		mx_wait_item_t it[3] = {
			{ st_ch[0], MX_CHANNEL_READABLE, 0 },
			{ st_ch[1], MX_CHANNEL_READABLE, 0 },
			{ st_port, MX_PORT_READABLE, 0 },
		};

		mx_object_wait_many(it, 3, soon(s));
		break;
	}
	case 8:
		a = take(s);
		if (a) {
			mx_object_wait_async(a, st_port, 1, MX_USER_SIGNAL_0,
					     mxt_rnd(s) & 1);
			give(s, a);
		}
		mx_port_wait(st_port, soon(s), &pkt, 0);
		break;
	case 9:
		/* to another worker, as an fd */
		a = take(s);
		if (!a)
			break;
		if (mx_handle_to_fd(a, O_CLOEXEC, &fd) == MX_OK) {
			mxt_try_send_fd(ST_SOCK_FD, fd,
					MSG_DONTWAIT | MSG_NOSIGNAL);
			close(fd);
			__atomic_fetch_add(&st->transfers, 1, __ATOMIC_RELAXED);
		}
		give(s, a);
		break;
	case 10:
		fd = mxt_try_recv_fd(ST_SOCK_FD,
				     MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (fd >= 0) {
			if (mx_handle_from_fd(fd, &a) == MX_OK)
				give(s, a);
			close(fd);
		}
		break;
	default:
		a = take(s);
		if (a)
			mx_handle_close(a);
		break;
	}
	__atomic_fetch_add(&st->ops, 1, __ATOMIC_RELAXED);
}

static void *st_thread(void *arg)
{
	uint64_t s = (uint64_t)(uintptr_t)arg;

	while (!st_stop)
		st_op(&s);
	return NULL;
}

static void st_worker(uint64_t seed)
{
	pthread_t t[ST_THREADS];

	if (setresuid(ST_UID, ST_UID, ST_UID))
		_exit(2);
	if (mx_channel_create(0, &st_ch[0], &st_ch[1]) != MX_OK ||
	    mx_port_create(MX_PORT_OPT_V2, &st_port) != MX_OK)
		_exit(3);
	for (int i = 0; i < ST_THREADS; i++)
		pthread_create(&t[i], NULL, st_thread,
			       (void *)(uintptr_t)(seed * 7 + (uint64_t)i));
	/* runs until killed, or until the parent says stop */
	for (;;)
		pause();
}

static unsigned int st_seconds(void)
{
	const char *e = getenv("MX_SOAK_SECONDS");

	return e ? (unsigned int)atoi(e) : 30;
}

static long read_long(const char *path)
{
	char b[32] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, b, sizeof(b) - 1) < 0)
		b[0] = 0;
	close(fd);
	return atol(b);
}

static void user_is_empty(void *arg)
{
	mx_handle_t a, b;

	(void)arg;
	if (setresuid(ST_UID, ST_UID, 0))
		FAIL("setresuid: %s", strerror(errno));
	ASSERT_OK(mx_event_create(0, &a));
	ASSERT_STATUS(mx_event_create(0, &b), MX_ERR_NO_RESOURCES);
	ASSERT_OK(mx_handle_close(a));
}

/* The value of KEY in debugfs stats, or -1 when there is no such file. */
static long stat_value(const char *key)
{
	FILE *f = fopen("/sys/kernel/debug/mx/stats", "r");
	char k[64];
	long v, found = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", k, &v) == 2)
		if (!strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

TEST(soak)
{
	unsigned int secs = st_seconds(), step = 200;
	mx_time_t end;
	const char *e = getenv("MX_FUZZ_SEED");
	uint64_t seed = e ? strtoull(e, NULL, 0) : (uint64_t)time(NULL);
	pid_t pids[ST_WORKERS];
	int sv[2], status;
	char old[32];
	long ref;

	printf("# soak seed %llu, %u s, %d workers x %d threads\n",
	       (unsigned long long)seed, secs, ST_WORKERS, ST_THREADS);
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		FAIL("socketpair: %s", strerror(errno));
	for (int i = 0; i < ST_WORKERS; i++)
		pids[i] = -1;
	/* by the clock: forks, kills and reaps take time of their own */
	end = mxt_now() + MX_SEC(secs);
	for (uint64_t gen = 0; mxt_now() < end;) {
		for (int i = 0; i < ST_WORKERS; i++) {
			if (pids[i] > 0)
				continue;
			pids[i] = mxt_fork();
			if (pids[i] == 0) {
				if (dup2(sv[i & 1], ST_SOCK_FD) < 0)
					_exit(2);
				st_worker(seed + 1000003ULL * gen + (uint64_t)i);
			}
			gen++;
		}
		usleep(step * 1000);
		if (mxt_rnd(&seed) % 3 == 0) {
			int i = (int)(mxt_rnd(&seed) % ST_WORKERS);

			kill(pids[i], SIGKILL);
			if (waitpid(pids[i], &status, 0) != pids[i])
				FAIL("waitpid: %s", strerror(errno));
			if (!WIFSIGNALED(status))
				FAIL("worker ended with status 0x%x", status);
			st->kills++;
			pids[i] = -1;
		}
	}
	for (int i = 0; i < ST_WORKERS; i++) {
		if (pids[i] < 0)
			continue;
		kill(pids[i], SIGKILL);
		waitpid(pids[i], &status, 0);
	}
	close(sv[0]);
	close(sv[1]);
	printf("# soak: %lu operations, %lu handle fds passed, %lu workers killed\n",
	       st->ops, st->transfers, st->kills);
	ASSERT_TRUE(st->ops > 0);

	/* every mx process is gone (their teardown runs in a worker) */
	for (int i = 0; i < 1000; i++) {
		ref = read_long("/sys/module/mx/refcnt");
		if (ref == 0)
			break;
		usleep(10000);
	}
	printf("# mx module references after the soak: %ld\n", ref);
	ASSERT_EQ(ref, 0);
	if (stat_value("objects") >= 0) {
		long objects = 0, handles = 0, messages = 0;

		/* the reaper and the channel collector run in the background */
		for (int i = 0; i < 500; i++) {
			objects = stat_value("objects");
			handles = stat_value("handles");
			messages = stat_value("messages");
			if (!objects && !handles && !messages)
				break;
			usleep(10000);
		}
		/* The users' root jobs went with their last processes. */
		printf("# debugfs stats after the soak: %ld objects, %ld "
		       "handles, %ld messages\n", objects, handles, messages);
		ASSERT_EQ(objects, 0);
		ASSERT_EQ(handles, 0);
		ASSERT_EQ(messages, 0);
	}

	/* and nothing is charged to the workers' user any more */
	if (access(ST_PARAM, W_OK) == 0) {
		int fd = open(ST_PARAM, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, old, sizeof(old) - 1);

		if (n <= 0)
			FAIL("reading %s", ST_PARAM);
		old[n] = 0;
		close(fd);
		mxt_put_file(ST_PARAM, "1");
		fflush(NULL);
		pid_t pid = fork();

		if (pid == 0) {
			user_is_empty(NULL);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		mxt_put_file(ST_PARAM, old);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			FAIL("objects are left charged to uid %d", ST_UID);
	}
}
