// SPDX-License-Identifier: MIT
/*
 * Channels: create, write, read; handles moving through messages, within a
 * process and to a fork() child; the error paths of the reference (§3.4–3.6).
 */
#include "mxtest.h"

#include <fcntl.h>
#include <sys/socket.h>

/*
 * In a fork() child: the channel behind handle fd @fd, and the one handle
 * of the next message in it, once there is one. Exits 2, 3 or 4 if not.
 */
static void child_take(int fd, mx_handle_t *ch, mx_handle_t *got)
{
	uint32_t nh = 0;
	char buf[8];

	if (mx_handle_from_fd(fd, ch) != MX_OK)
		_exit(2);
	if (mx_object_wait_one(*ch, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
			       NULL) != MX_OK)
		_exit(3);
	if (mx_channel_read(*ch, 0, buf, got, sizeof(buf), 1, NULL,
			    &nh) != MX_OK || nh != 1)
		_exit(4);
}

TEST(channel_create_rights_and_signals)
{
	mx_info_handle_basic_t ia, ib;
	mx_handle_t a, b;

	mxt_channel(&a, &b);
	ASSERT_OK(mx_object_get_info(a, MX_INFO_HANDLE_BASIC, &ia, sizeof(ia),
				     NULL, NULL));
	ASSERT_OK(mx_object_get_info(b, MX_INFO_HANDLE_BASIC, &ib, sizeof(ib),
				     NULL, NULL));
	ASSERT_EQ(ia.rights, MX_RIGHT_TRANSFER | MX_RIGHT_READ | MX_RIGHT_WRITE);
	ASSERT_EQ(ia.type, MX_OBJ_TYPE_CHANNEL);
	ASSERT_EQ(ia.related_koid, ib.koid);
	ASSERT_EQ(ib.related_koid, ia.koid);
	ASSERT_NE(ia.koid, ib.koid);
	ASSERT_EQ(mxt_signals(a), MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
	ASSERT_STATUS(mx_channel_create(1, &a, &b), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_channel_create(0, &a, (mx_handle_t *)8),
		      MX_ERR_INVALID_ARGS);
}

TEST(channel_write_read_bytes)
{
	char buf[16] = { 0 };
	uint32_t nb = 99, nh = 99;
	mx_handle_t a, b;

	mxt_channel(&a, &b);
	ASSERT_OK(mx_channel_write(a, 0, "hello", 5, NULL, 0));
	ASSERT_EQ(mxt_signals(b), MX_CHANNEL_READABLE | MX_CHANNEL_WRITABLE |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(a), MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, &nb, &nh));
	ASSERT_EQ(nb, 5);
	ASSERT_EQ(nh, 0);
	ASSERT_TRUE(memcmp(buf, "hello", 5) == 0);
	ASSERT_EQ(mxt_signals(b), MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
	ASSERT_STATUS(mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, NULL,
				      NULL), MX_ERR_SHOULD_WAIT);
}

/* Write @n bytes of a pattern from @seed on @a; read them back on @b. */
static void echo_bytes(mx_handle_t a, mx_handle_t b, uint32_t n, int seed)
{
	static char out[8192], in[8192];
	uint32_t nb = 99, nh = 99;

	for (uint32_t i = 0; i < n; i++)
		out[i] = (char)(seed + i * 7);
	memset(in, 0, sizeof(in));
	ASSERT_OK(mx_channel_write(a, 0, out, n, NULL, 0));
	ASSERT_OK(mx_channel_read(b, 0, in, NULL, sizeof(in), 0, &nb, &nh));
	ASSERT_EQ(nb, n);
	ASSERT_EQ(nh, 0);
	ASSERT_TRUE(memcmp(in, out, n) == 0);
}

/*
 * Messages of every size around the one a read keeps for the next write
 * (256 bytes and less), each read back whole; also when another process
 * wrote the message kept.
 */
TEST(channel_sizes_around_reuse)
{
	static const uint32_t sizes[] = { 0, 1, 64, 100, 255, 256, 257, 3,
					  256, 4096, 120, 8000, 200, 0 };
	mx_handle_t a, b, c0, c1;
	int fd, status;
	pid_t pid;

	mxt_channel(&a, &b);
	mxt_channel(&c0, &c1);
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		echo_bytes(a, b, sizes[i], (int)i);
	/* The child gets a through c1, writes with it, and sends it back. */
	ASSERT_OK(mx_handle_to_fd(c1, 0, &fd));
	ASSERT_OK(mx_channel_write(c0, 0, "a", 1, &a, 1));
	pid = fork();
	if (pid == 0) {
		mx_handle_t ch, got;

		child_take(fd, &ch, &got);
		if (mx_channel_write(got, 0, "from the child", 14, NULL,
				     0) != MX_OK)
			_exit(6);
		_exit(mx_channel_write(ch, 0, "a", 1, &got, 1) == MX_OK ? 0 : 5);
	}
	ASSERT_TRUE(pid > 0);
	close(fd);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
	{
		char buf[32] = { 0 };
		uint32_t nb = 0, nh = 0;

		ASSERT_OK(mx_channel_read(c0, 0, buf, &a, sizeof(buf), 1, NULL,
					  &nh));
		ASSERT_EQ(nh, 1);
		ASSERT_OK(mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, &nb,
					  NULL));
		ASSERT_EQ(nb, 14);
		ASSERT_TRUE(memcmp(buf, "from the child", 14) == 0);
	}
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		echo_bytes(a, b, sizes[i], (int)i + 50);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_STATUS(mx_channel_read(b, 0, NULL, NULL, 0, 0, NULL, NULL),
		      MX_ERR_PEER_CLOSED);
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(c0));
}

/*
 * Messages larger than a page keep their bytes in pages of their own:
 * sizes around page boundaries up to the largest, with and without a
 * handle, come back whole; a source or destination with a hole in it is
 * MX_ERR_INVALID_ARGS (a write then queues nothing).
 */
TEST(channel_large_messages_across_pages)
{
	static const uint32_t sizes[] = {
		4095, 4096, 4097, 8191, 8192, 12289, 65535,
		MX_CHANNEL_MAX_MSG_BYTES,
	};
	static unsigned char out[MX_CHANNEL_MAX_MSG_BYTES];
	static unsigned char in[MX_CHANNEL_MAX_MSG_BYTES];
	long page = sysconf(_SC_PAGESIZE);
	uint32_t nb = 0, nh = 0, i, j;
	mx_handle_t a, b, ev, got;
	unsigned char *hole;

	mxt_channel(&a, &b);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (j = 0; j < sizes[i]; j++)
			out[j] = (unsigned char)(i * 31 + j * 7 + (j >> 12));
		ev = mxt_event();
		ASSERT_OK(mx_channel_write(a, 0, out, sizes[i], &ev, i & 1));
		if (!(i & 1))
			ASSERT_OK(mx_handle_close(ev));
		memset(in, 0, sizes[i]);
		ASSERT_OK(mx_channel_read(b, 0, in, &got, sizes[i], 1, &nb,
					  &nh));
		ASSERT_EQ(nb, sizes[i]);
		ASSERT_EQ(nh, i & 1);
		ASSERT_TRUE(memcmp(in, out, sizes[i]) == 0);
		if (i & 1)
			ASSERT_OK(mx_handle_close(got));
	}

	/* Three pages, the middle one unmapped. */
	hole = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(hole != MAP_FAILED);
	ASSERT_EQ(munmap(hole + page, page), 0);
	ASSERT_STATUS(mx_channel_write(a, 0, hole, 3 * page, NULL, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(mxt_signals(b), MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_channel_write(a, 0, out, 3 * page, NULL, 0));
	ASSERT_STATUS(mx_channel_read(b, 0, hole, NULL, 3 * page, 0, &nb,
				      &nh), MX_ERR_INVALID_ARGS);
	/* The first page was written before the hole was met. */
	ASSERT_TRUE(memcmp(hole, out, page) == 0);
	ASSERT_EQ(munmap(hole, page), 0);
	ASSERT_EQ(munmap(hole + 2 * page, page), 0);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

TEST(channel_read_after_peer_closed)
{
	char c = 0;
	mx_handle_t a, b;

	mxt_channel(&a, &b);
	ASSERT_OK(mx_channel_write(a, 0, "x", 1, NULL, 0));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(mxt_signals(b), MX_CHANNEL_READABLE | MX_CHANNEL_PEER_CLOSED |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_channel_read(b, 0, &c, NULL, 1, 0, NULL, NULL));
	ASSERT_EQ(c, 'x');
	ASSERT_STATUS(mx_channel_read(b, 0, &c, NULL, 1, 0, NULL, NULL),
		      MX_ERR_PEER_CLOSED);
	ASSERT_EQ(mxt_signals(b), MX_CHANNEL_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE);
	ASSERT_STATUS(mx_channel_write(b, 0, "y", 1, NULL, 0),
		      MX_ERR_PEER_CLOSED);
}

TEST(channel_write_check_order)
{
	mx_handle_t a, b, ev, ro;
	char big;

	mxt_channel(&a, &b);
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(mx_channel_write(a, 1, "x", 1, NULL, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_channel_write(MX_HANDLE_INVALID, 0, "x", 1, NULL, 0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_channel_write(ev, 0, "x", 1, NULL, 0),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_channel_write(a, 0, &big, 65537, NULL, 0),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_channel_write(a, 0, "x", 1, &ev, 65),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_channel_write(a, 0, (void *)8, 1, NULL, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_channel_write(a, 0, "x", 1, (mx_handle_t *)8, 1),
		      MX_ERR_INVALID_ARGS);
	/* A channel handle without WRITE. */
	ASSERT_OK(mx_handle_replace(b, MX_RIGHT_READ, &ro));
	ASSERT_STATUS(mx_channel_write(ro, 0, "x", 1, NULL, 0),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(mxt_signals(ro), MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
}

TEST(channel_write_handles_all_or_nothing)
{
	mx_handle_t a, b, ev, ev2, nt, hs[2];

	mxt_channel(&a, &b);
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_event_create(0, &ev2));
	/* Itself: NOT_SUPPORTED. */
	hs[0] = ev;
	hs[1] = a;
	ASSERT_STATUS(mx_channel_write(a, 0, "x", 1, hs, 2),
		      MX_ERR_NOT_SUPPORTED);
	/* Twice: INVALID_ARGS. */
	hs[1] = ev;
	ASSERT_STATUS(mx_channel_write(a, 0, "x", 1, hs, 2),
		      MX_ERR_INVALID_ARGS);
	/* No TRANSFER: ACCESS_DENIED. */
	ASSERT_OK(mx_handle_duplicate(ev2, MX_RIGHT_READ, &nt));
	hs[1] = nt;
	ASSERT_STATUS(mx_channel_write(a, 0, "x", 1, hs, 2),
		      MX_ERR_ACCESS_DENIED);
	/* Bad handle after good ones. */
	ASSERT_OK(mx_event_create(0, &hs[1]));
	ASSERT_OK(mx_handle_close(hs[1]));
	ASSERT_STATUS(mx_channel_write(a, 0, "x", 1, hs, 2),
		      MX_ERR_BAD_HANDLE);
	/* Peer closed: handles stay. */
	ASSERT_OK(mx_handle_close(b));
	ASSERT_STATUS(mx_channel_write(a, 0, "x", 1, &ev, 1),
		      MX_ERR_PEER_CLOSED);
	/* Every handle is still there, with the same value. */
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_handle_close(nt));
	ASSERT_OK(mx_handle_close(ev2));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(a));
}

TEST(channel_transfer_keeps_koid_and_rights)
{
	mx_info_handle_basic_t before, after;
	mx_handle_t a, b, ev, ro, got = 0;
	uint32_t nh = 0;

	mxt_channel(&a, &b);
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_replace(ev, MX_RIGHT_TRANSFER | MX_RIGHT_READ, &ro));
	ASSERT_OK(mx_object_get_info(ro, MX_INFO_HANDLE_BASIC, &before,
				     sizeof(before), NULL, NULL));
	ASSERT_OK(mx_channel_write(a, 0, NULL, 0, &ro, 1));
	ASSERT_STATUS(mx_handle_close(ro), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_channel_read(b, 0, NULL, &got, 0, 1, NULL, &nh));
	ASSERT_EQ(nh, 1);
	ASSERT_TRUE(got > 0 && (got & 1));
	ASSERT_OK(mx_object_get_info(got, MX_INFO_HANDLE_BASIC, &after,
				     sizeof(after), NULL, NULL));
	ASSERT_EQ(after.koid, before.koid);
	ASSERT_EQ(after.rights, MX_RIGHT_TRANSFER | MX_RIGHT_READ);
	ASSERT_EQ(mxt_signals(got), MX_SIGNAL_LAST_HANDLE);
}

TEST(channel_buffer_too_small_and_may_discard)
{
	mx_handle_t a, b, ev;
	uint32_t nb = 0, nh = 0;
	char buf[100];

	mxt_channel(&a, &b);
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_channel_write(a, 0, buf, 100, &ev, 1));
	/* Size probe: the message stays. */
	ASSERT_STATUS(mx_channel_read(b, 0, NULL, NULL, 0, 0, &nb, &nh),
		      MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_EQ(nb, 100);
	ASSERT_EQ(nh, 1);
	ASSERT_TRUE(mxt_signals(b) & MX_CHANNEL_READABLE);
	/* Discard: gone, handles closed. */
	ASSERT_STATUS(mx_channel_read(b, MX_CHANNEL_READ_MAY_DISCARD, buf, NULL,
				      10, 0, NULL, NULL),
		      MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_EQ(mxt_signals(b), MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
	ASSERT_STATUS(mx_channel_read(b, 2, buf, NULL, 10, 0, NULL, NULL),
		      MX_ERR_NOT_SUPPORTED);
}

TEST(channel_closing_endpoint_closes_handles_in_its_queue)
{
	mx_handle_t a, b, c, d;
	mx_signals_t obs = 0;

	mxt_channel(&a, &b);
	mxt_channel(&c, &d);
	/*
	 * d travels into b's queue; closing b must close d, so c sees it.
	 * Handles in a dead queue are closed asynchronously (as Magenta's
	 * handle reaper does), so the wait may begin while c is still
	 * WRITABLE; a second wait samples the state that remains.
	 */
	ASSERT_OK(mx_channel_write(a, 0, NULL, 0, &d, 1));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_object_wait_one(c, MX_CHANNEL_PEER_CLOSED,
				     MX_TIME_INFINITE, &obs));
	ASSERT_TRUE(obs & MX_CHANNEL_PEER_CLOSED);
	ASSERT_OK(mx_object_wait_one(c, MX_CHANNEL_PEER_CLOSED, 0, &obs));
	ASSERT_EQ(obs, MX_CHANNEL_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE);
}

TEST(channel_nested_ten_levels)
{
	mx_handle_t outer[10][2];
	mx_signals_t obs = 0;
	int i;

	for (i = 0; i < 10; i++)
		mxt_channel(&outer[i][0], &outer[i][1]);
	/* Put level i+1's far end into level i. */
	for (i = 0; i < 9; i++)
		ASSERT_OK(mx_channel_write(outer[i][0], 0, NULL, 0,
					   &outer[i + 1][1], 1));
	ASSERT_OK(mx_handle_close(outer[0][1]));
	ASSERT_OK(mx_object_wait_one(outer[9][0], MX_CHANNEL_PEER_CLOSED,
				     MX_TIME_INFINITE, &obs));
}

TEST(channel_handle_to_fork_child_by_fd)
{
	mx_handle_t a, b, ev;
	int fd, status;
	pid_t pid;

	mxt_channel(&a, &b);
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_to_fd(b, 0, &fd));
	ASSERT_STATUS(mx_handle_close(b), MX_ERR_BAD_HANDLE);
	pid = fork();
	if (pid == 0) {
		mx_handle_t ch, got;

		child_take(fd, &ch, &got);
		/* Signal the event the parent sent; the parent waits on it. */
		_exit(mx_object_signal(got, 0, MX_USER_SIGNAL_0) == MX_OK ? 0 : 5);
	}
	ASSERT_TRUE(pid > 0);
	close(fd);
	{
		mx_handle_t dup;

		ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &dup));
		ASSERT_OK(mx_channel_write(a, 0, "ev", 2, &dup, 1));
	}
	ASSERT_OK(mx_object_wait_one(ev, MX_USER_SIGNAL_0, MX_TIME_INFINITE,
				     NULL));
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
	/* The child is gone: its endpoint with it. */
	ASSERT_OK(mx_object_wait_one(a, MX_CHANNEL_PEER_CLOSED, MX_TIME_INFINITE,
				     NULL));
}

TEST(handle_fd_errors)
{
	mx_handle_t ev, nt, got;
	int fd, sv[2];

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_READ, &nt));
	ASSERT_STATUS(mx_handle_to_fd(nt, 0, &fd), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_handle_to_fd(MX_HANDLE_INVALID, 0, &fd),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_to_fd(ev, 0x4, &fd), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_handle_to_fd(ev, 0, (int *)8), MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_1));
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ASSERT_STATUS(mx_handle_from_fd(sv[0], &got), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_handle_from_fd(-1, &got), MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_handle_to_fd(ev, 0, &fd));
	ASSERT_STATUS(mx_handle_from_fd(fd, (mx_handle_t *)8),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_handle_from_fd(fd, &got));
	ASSERT_STATUS(mx_handle_from_fd(fd, &got), MX_ERR_BAD_STATE);
	ASSERT_EQ(mxt_signals(got), MX_USER_SIGNAL_1);
	close(fd);
	ASSERT_OK(mx_handle_close(got));
	ASSERT_OK(mx_handle_close(nt));
}

TEST(handle_fd_close_closes_handle)
{
	mx_handle_t a, b;
	int fd;

	mxt_channel(&a, &b);
	ASSERT_OK(mx_handle_to_fd(b, O_CLOEXEC, &fd));
	ASSERT_EQ(mxt_signals(a), MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
	close(fd);
	ASSERT_OK(mx_object_wait_one(a, MX_CHANNEL_PEER_CLOSED,
				     MX_TIME_INFINITE, NULL));
}

/* ---- 64 handles, concurrent readers, races, death with handles in flight */

/* A message with the most handles a message may carry: all moved, intact. */
TEST(channel_64_handles_in_one_message)
{
	mx_handle_t a, b, hs[MX_CHANNEL_MAX_MSG_HANDLES + 1];
	mx_handle_t got[MX_CHANNEL_MAX_MSG_HANDLES];
	mx_koid_t koids[MX_CHANNEL_MAX_MSG_HANDLES + 1];
	uint32_t nb = 0, nh = 0, n = MX_CHANNEL_MAX_MSG_HANDLES;
	char x = 0;

	mxt_channel(&a, &b);
	for (uint32_t i = 0; i <= n; i++) {
		/* every other one with fewer rights: rights travel too */
		hs[i] = i & 1 ? mxt_dup(mxt_event(), MX_RIGHT_TRANSFER |
					MX_RIGHT_READ) : mxt_event();
		koids[i] = mxt_basic(hs[i]).koid;
	}
	/* 65: refused, and every handle stays the caller's */
	ASSERT_STATUS(mx_channel_write(a, 0, "x", 1, hs, n + 1),
		      MX_ERR_OUT_OF_RANGE);
	for (uint32_t i = 0; i <= n; i++)
		ASSERT_EQ(mxt_basic(hs[i]).koid, koids[i]);
	ASSERT_OK(mx_channel_write(a, 0, "x", 1, hs, n));
	for (uint32_t i = 0; i < n; i++)
		ASSERT_STATUS(mx_handle_close(hs[i]), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_channel_read(b, 0, &x, got, 1, n, &nb, &nh));
	ASSERT_EQ(nb, 1);
	ASSERT_EQ(x, 'x');
	ASSERT_EQ(nh, n);
	for (uint32_t i = 0; i < n; i++) {
		mx_info_handle_basic_t info = mxt_basic(got[i]);

		ASSERT_EQ(info.koid, koids[i]);
		ASSERT_EQ(info.rights, i & 1 ? MX_RIGHT_TRANSFER | MX_RIGHT_READ :
			  MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER |
			  MX_RIGHT_READ | MX_RIGHT_WRITE);
		ASSERT_OK(mx_handle_close(got[i]));
	}
	ASSERT_OK(mx_handle_close(hs[n]));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

#define CR_MSGS		3000
#define CR_READERS	4

struct cr_state {
	mx_handle_t a, b;
	unsigned char seen[CR_MSGS];
	int bad;
};

/* Read until the writer is gone and the queue is empty. */
static void *cr_reader(void *arg)
{
	struct cr_state *st = arg;

	for (;;) {
		uint32_t seq = 0, nb = 0;
		mx_status_t s = mx_channel_read(st->b, 0, &seq, NULL,
						sizeof(seq), 0, &nb, NULL);

		if (s == MX_OK) {
			if (nb != sizeof(seq) || seq >= CR_MSGS)
				__atomic_store_n(&st->bad, 1, __ATOMIC_RELAXED);
			else
				__atomic_add_fetch(&st->seen[seq], 1,
						   __ATOMIC_RELAXED);
		} else if (s == MX_ERR_SHOULD_WAIT) {
			if (mx_object_wait_one(st->b, MX_CHANNEL_READABLE |
					       MX_CHANNEL_PEER_CLOSED,
					       MX_TIME_INFINITE, NULL) != MX_OK)
				__atomic_store_n(&st->bad, 2, __ATOMIC_RELAXED);
		} else {
			if (s != MX_ERR_PEER_CLOSED)
				__atomic_store_n(&st->bad, 3, __ATOMIC_RELAXED);
			return NULL;
		}
	}
}

/* Readers racing on one endpoint each get distinct messages, all of them. */
TEST(channel_concurrent_readers_get_distinct_messages)
{
	static struct cr_state st;
	pthread_t th[CR_READERS];

	mxt_channel(&st.a, &st.b);
	for (int i = 0; i < CR_READERS; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, cr_reader, &st), 0);
	for (uint32_t seq = 0; seq < CR_MSGS; seq++) {
		mx_status_t s;

		while ((s = mx_channel_write(st.a, 0, &seq, sizeof(seq), NULL,
					     0)) == MX_ERR_SHOULD_WAIT)
			usleep(100);
		ASSERT_OK(s);
	}
	ASSERT_OK(mx_handle_close(st.a));
	for (int i = 0; i < CR_READERS; i++)
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
	ASSERT_EQ(st.bad, 0);
	for (uint32_t seq = 0; seq < CR_MSGS; seq++)
		ASSERT_EQ(st.seen[seq], 1);
	ASSERT_OK(mx_handle_close(st.b));
}

/*
 * Magenta's channel_multithread_read: 5000 messages queued at one endpoint
 * before anyone reads, then two threads read half each; every message
 * comes out exactly once. The count bound (channel_max_msgs) is above
 * what Magenta programs queue.
 */
#define MT_MSGS	5000u

struct mt_reader {
	mx_handle_t ch;
	uint32_t got[MT_MSGS / 2];
	mx_status_t status;
};

static void *mt_read_half(void *arg)
{
	struct mt_reader *r = arg;
	uint32_t i, nb;

	for (i = 0; i < MT_MSGS / 2; i++) {
		nb = 0;
		r->status = mx_channel_read(r->ch, 0, &r->got[i], NULL,
					    sizeof(r->got[i]), 0, &nb, NULL);
		if (r->status != MX_OK)
			break;
		if (nb != sizeof(uint32_t)) {
			r->status = MX_ERR_INTERNAL;
			break;
		}
	}
	return NULL;
}

TEST(channel_multithread_read_of_5000_queued)
{
	static struct mt_reader r[2];
	static unsigned char seen[MT_MSGS];
	pthread_t th[2];
	mx_handle_t a, b;
	uint32_t i;
	int k;

	mxt_channel(&a, &b);
	for (i = 0; i < MT_MSGS; i++)
		ASSERT_OK(mx_channel_write(a, 0, &i, sizeof(i), NULL, 0));
	for (k = 0; k < 2; k++) {
		r[k].ch = b;
		ASSERT_EQ(pthread_create(&th[k], NULL, mt_read_half, &r[k]), 0);
	}
	for (k = 0; k < 2; k++) {
		ASSERT_EQ(pthread_join(th[k], NULL), 0);
		ASSERT_OK(r[k].status);
		for (i = 0; i < MT_MSGS / 2; i++) {
			ASSERT_TRUE(r[k].got[i] < MT_MSGS);
			ASSERT_EQ(seen[r[k].got[i]], 0);
			seen[r[k].got[i]] = 1;
		}
	}
	ASSERT_EQ(mxt_signals(b), MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

struct race_state {
	mx_handle_t a, b;
	int stop, bad;
};

static void race_note(struct race_state *st, int what)
{
	__atomic_store_n(&st->bad, what, __ATOMIC_RELAXED);
}

/* Writes bytes, and now and then an event, until its peer is gone. */
static void *race_writer(void *arg)
{
	struct race_state *st = arg;

	for (unsigned int i = 0;; i++) {
		mx_handle_t ev = MX_HANDLE_INVALID;
		mx_status_t s;

		if (i % 4 == 0 && mx_event_create(0, &ev) != MX_OK) {
			race_note(st, 1);
			return NULL;
		}
		s = mx_channel_write(st->a, 0, &i, sizeof(i), &ev, ev ? 1 : 0);
		if (s != MX_OK && ev && mx_handle_close(ev) != MX_OK)
			race_note(st, 2);	/* a failed write keeps it */
		if (s == MX_ERR_PEER_CLOSED)
			return NULL;
		if (s != MX_OK && s != MX_ERR_SHOULD_WAIT)
			race_note(st, 2000 - s);
	}
}

/* Reads until its own handle is closed under it. */
static void *race_reader(void *arg)
{
	struct race_state *st = arg;

	for (;;) {
		mx_handle_t got = MX_HANDLE_INVALID;
		uint32_t v, nh = 0;
		mx_status_t s = mx_channel_read(st->b, 0, &v, &got, sizeof(v),
						1, NULL, &nh);

		if (s == MX_OK && nh == 1 && mx_handle_close(got) != MX_OK)
			race_note(st, 4);
		/*
		 * A read that found the endpoint just before its handle was
		 * closed finds it unlinked: PEER_CLOSED, as in Magenta,
		 * whose endpoint drops its peer when its last handle goes.
		 */
		if (s == MX_ERR_BAD_HANDLE || s == MX_ERR_PEER_CLOSED)
			return NULL;
		if (s != MX_OK && s != MX_ERR_SHOULD_WAIT)
			race_note(st, 1000 - s);
	}
}

/*
 * A writer, a reader and a closer of the reader's end, at once: each call
 * gets one of its documented results, and whatever was queued with handles
 * in it goes with the endpoint (kmemleak and the debugfs counts in the
 * soak see the rest).
 */
TEST(channel_writer_reader_closer_race)
{
	for (int round = 0; round < 50; round++) {
		struct race_state st = { 0 };
		pthread_t w, r;

		mxt_channel(&st.a, &st.b);
		ASSERT_EQ(pthread_create(&w, NULL, race_writer, &st), 0);
		ASSERT_EQ(pthread_create(&r, NULL, race_reader, &st), 0);
		usleep((unsigned int)(round % 10) * 300);
		ASSERT_OK(mx_handle_close(st.b));
		ASSERT_EQ(pthread_join(w, NULL), 0);
		ASSERT_EQ(pthread_join(r, NULL), 0);
		ASSERT_EQ(st.bad, 0);
		ASSERT_EQ(mxt_signals(st.a), MX_CHANNEL_PEER_CLOSED |
			  MX_SIGNAL_LAST_HANDLE);
		ASSERT_OK(mx_handle_close(st.a));
	}
}

/*
 * A process killed while handles it sent wait in another process's queue,
 * and while its own endpoint's queue holds handles: the first stay valid
 * for their reader, the second are closed with the endpoint.
 */
TEST(channel_process_dies_with_handles_in_transit)
{
	mx_handle_t a, b, c, d, e0, e1, got = 0;
	uint32_t nh = 0;
	int fd_b, fd_c, status;
	char buf[8];
	pid_t pid;

	mxt_channel(&a, &b);	/* a: parent, b: child's */
	mxt_channel(&c, &d);	/* c: child writes into it, d: parent reads */
	ASSERT_OK(mx_eventpair_create(0, &e0, &e1));
	/* e1 waits in b's queue, which the child will hold */
	ASSERT_OK(mx_channel_write(a, 0, "e1", 2, &e1, 1));
	ASSERT_OK(mx_handle_to_fd(b, 0, &fd_b));
	ASSERT_OK(mx_handle_to_fd(c, 0, &fd_c));
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		mx_handle_t cb, cc, ev;

		if (mx_handle_from_fd(fd_b, &cb) != MX_OK ||
		    mx_handle_from_fd(fd_c, &cc) != MX_OK ||
		    mx_event_create(0, &ev) != MX_OK ||
		    mx_object_signal(ev, 0, MX_USER_SIGNAL_2) != MX_OK ||
		    mx_channel_write(cc, 0, "ev", 2, &ev, 1) != MX_OK)
			_exit(2);
		for (;;)
			pause();
	}
	ASSERT_TRUE(pid > 0);
	close(fd_b);
	close(fd_c);
	/* the child's event has arrived: the child holds b and c */
	ASSERT_OK(mx_object_wait_one(d, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
				     NULL));
	ASSERT_EQ(kill(pid, SIGKILL), 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFSIGNALED(status));
	/* b died with e1 in its queue: e1 was closed, e0 sees it */
	ASSERT_OK(mx_object_wait_one(e0, MX_EPAIR_PEER_CLOSED, MX_TIME_INFINITE,
				     NULL));
	ASSERT_OK(mx_object_wait_one(a, MX_CHANNEL_PEER_CLOSED,
				     MX_TIME_INFINITE, NULL));
	/* what the child sent outlives it; its end c goes with its table */
	ASSERT_OK(mx_object_wait_one(d, MX_CHANNEL_PEER_CLOSED,
				     MX_TIME_INFINITE, NULL));
	ASSERT_OK(mx_channel_read(d, 0, buf, &got, sizeof(buf), 1, NULL, &nh));
	ASSERT_EQ(nh, 1);
	ASSERT_EQ(mxt_signals(got), MX_USER_SIGNAL_2 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_STATUS(mx_channel_read(d, 0, buf, NULL, sizeof(buf), 0, NULL,
				      NULL), MX_ERR_PEER_CLOSED);
	ASSERT_OK(mx_handle_close(got));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(d));
	ASSERT_OK(mx_handle_close(e0));
}
