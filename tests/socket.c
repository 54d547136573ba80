// SPDX-License-Identifier: MIT
/*
 * Sockets: mx_socket_create, mx_socket_write, mx_socket_read; stream and
 * datagram, half-close, the byte count query, signals, the capacity of
 * 257024 bytes per direction. Reference §5.1 and Magenta's socket suite
 * (socket_basic, socket_signals, socket_half_close,
 * socket_bytes_outstanding, socket_bytes_outstanding_half_close,
 * socket_short_write, socket_datagram, socket_datagram_no_short_write),
 * then what the module adds: waits through ports and waitfds, transfer,
 * bad pointers, user memory held open by a racing thread, and the
 * per-user bound on queued memory.
 */
#include "held.h"

#include <pthread.h>
#include <sys/epoll.h>

#define CAP		257024u
#define PG		4096u
#define SENTINEL	((mx_handle_t)0x2b2b2b2b)
#define BADH		((mx_handle_t)0x7ffffff1)

static void pair(uint32_t options, mx_handle_t *a, mx_handle_t *b)
{
	*a = *b = MX_HANDLE_INVALID;
	ASSERT_OK(mx_socket_create(options, a, b));
	ASSERT_TRUE(*a > 0);
	ASSERT_TRUE(*b > 0);
	ASSERT_NE(*a, *b);
}

static void close2(mx_handle_t a, mx_handle_t b)
{
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

static size_t outstanding(mx_handle_t h)
{
	size_t n = 12345;

	ASSERT_OK(mx_socket_read(h, 0, NULL, 0, &n));
	return n;
}

#define WRITABLE	MX_SOCKET_WRITABLE
#define READABLE	MX_SOCKET_READABLE
#define PEER_CLOSED	MX_SOCKET_PEER_CLOSED
#define LAST		MX_SIGNAL_LAST_HANDLE

static void socket_basic_body(void)
{
	static const uint32_t wr[] = { 0xdeadbeef, 0xc0ffee };
	uint32_t rd[10];
	mx_handle_t h0, h1;
	size_t count;

	pair(0, &h0, &h1);
	count = 77;
	ASSERT_STATUS(mx_socket_read(h0, 0, rd, sizeof(rd), &count),
		      MX_ERR_SHOULD_WAIT);
	ASSERT_EQ(count, 77);
	ASSERT_OK(mx_socket_write(h0, 0, &wr[0], sizeof(wr[0]), &count));
	ASSERT_EQ(count, sizeof(wr[0]));
	ASSERT_OK(mx_socket_write(h0, 0, &wr[1], sizeof(wr[1]), &count));
	ASSERT_EQ(count, sizeof(wr[1]));
	ASSERT_OK(mx_socket_read(h1, 0, rd, sizeof(rd), &count));
	ASSERT_EQ(count, sizeof(wr));
	ASSERT_EQ(rd[0], wr[0]);
	ASSERT_EQ(rd[1], wr[1]);
	ASSERT_OK(mx_socket_write(h1, 0, "abcde", 5, &count));
	ASSERT_EQ(count, 5);
	ASSERT_OK(mx_handle_close(h1));
	ASSERT_STATUS(mx_socket_write(h0, 0, &wr[1], sizeof(wr[1]), &count),
		      MX_ERR_PEER_CLOSED);
	/* What the peer wrote before it closed is still there. */
	memset(rd, 0, sizeof(rd));
	ASSERT_OK(mx_socket_read(h0, 0, rd, sizeof(rd), &count));
	ASSERT_EQ(count, 5);
	ASSERT_EQ(memcmp(rd, "abcde", 5), 0);
	ASSERT_STATUS(mx_socket_read(h0, 0, rd, sizeof(rd), &count),
		      MX_ERR_PEER_CLOSED);
	ASSERT_OK(mx_handle_close(h0));
}

TEST(socket_basic)
{
	socket_basic_body();
}

TEST(create_rights_type_and_related_koid)
{
	mx_info_handle_basic_t i0, i1;
	mx_handle_t h0, h1;

	pair(MX_SOCKET_STREAM, &h0, &h1);
	i0 = mxt_basic(h0);
	i1 = mxt_basic(h1);
	ASSERT_EQ(i0.type, MX_OBJ_TYPE_SOCKET);
	ASSERT_EQ(i1.type, MX_OBJ_TYPE_SOCKET);
	ASSERT_EQ(i0.rights, MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER |
		  MX_RIGHT_READ | MX_RIGHT_WRITE);
	ASSERT_EQ(i1.rights, 0x0F);
	ASSERT_EQ(i0.props, MX_OBJ_PROP_WAITABLE);
	ASSERT_NE(i0.koid, i1.koid);
	ASSERT_EQ(i0.related_koid, i1.koid);
	ASSERT_EQ(i1.related_koid, i0.koid);
	/* related_koid stays after the peer is gone */
	ASSERT_OK(mx_handle_close(h1));
	ASSERT_EQ(mxt_basic(h0).related_koid, i1.koid);
	ASSERT_OK(mx_handle_close(h0));
	pair(MX_SOCKET_DATAGRAM, &h0, &h1);
	ASSERT_EQ(mxt_basic(h0).type, MX_OBJ_TYPE_SOCKET);
	close2(h0, h1);
}

TEST(create_bad_options_and_outs_make_nothing)
{
	mx_handle_t a = SENTINEL, b = SENTINEL;

	ASSERT_STATUS(mx_socket_create(2, &a, &b), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_socket_create(0x80000000u, &a, &b),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(a, SENTINEL);
	ASSERT_EQ(b, SENTINEL);
	ASSERT_STATUS(mx_socket_create(2, NULL, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_socket_create(0, NULL, &b), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_socket_create(0, &a, (mx_handle_t *)1),
		      MX_ERR_INVALID_ARGS);
	if (a != SENTINEL)
		ASSERT_STATUS(mx_handle_close(a), MX_ERR_BAD_HANDLE);
	if (b != SENTINEL)
		ASSERT_STATUS(mx_handle_close(b), MX_ERR_BAD_HANDLE);
}

TEST(socket_signals)
{
	mx_handle_t h0, h1;
	char buf[128 * 1024];
	size_t count;

	pair(0, &h0, &h1);
	ASSERT_EQ(mxt_signals(h0), WRITABLE | LAST);
	ASSERT_EQ(mxt_signals(h1), WRITABLE | LAST);
	ASSERT_OK(mx_socket_write(h0, 0, "1234", 4, &count));
	ASSERT_EQ(mxt_signals(h0), WRITABLE | LAST);
	ASSERT_EQ(mxt_signals(h1), READABLE | WRITABLE | LAST);
	ASSERT_OK(mx_socket_read(h1, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, 4);
	ASSERT_EQ(mxt_signals(h1), WRITABLE | LAST);
	/* fill h1's queue: h0 loses WRITABLE, gets it back on a read */
	memset(buf, 'x', sizeof(buf));
	ASSERT_OK(mx_socket_write(h0, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, sizeof(buf));
	ASSERT_EQ(mxt_signals(h0), WRITABLE | LAST);
	ASSERT_OK(mx_socket_write(h0, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, CAP - sizeof(buf));
	ASSERT_EQ(mxt_signals(h0), LAST);
	ASSERT_EQ(mxt_signals(h1), READABLE | WRITABLE | LAST);
	ASSERT_STATUS(mx_socket_write(h0, 0, buf, 1, &count),
		      MX_ERR_SHOULD_WAIT);
	ASSERT_OK(mx_socket_read(h1, 0, buf, 1, &count));
	ASSERT_EQ(mxt_signals(h0), WRITABLE | LAST);
	/* signal_peer: user signals only */
	ASSERT_STATUS(mx_object_signal_peer(h0, 0, MX_SOCKET_WRITABLE),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_object_signal_peer(h0, 0, MX_USER_SIGNAL_1));
	ASSERT_EQ(mxt_signals(h1), READABLE | WRITABLE | LAST |
		  MX_USER_SIGNAL_1);
	ASSERT_OK(mx_object_signal(h0, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(mxt_signals(h0), WRITABLE | LAST | MX_USER_SIGNAL_0);
	ASSERT_STATUS(mx_object_signal(h0, 0, MX_SOCKET_READABLE),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_handle_close(h1));
	ASSERT_EQ(mxt_signals(h0), PEER_CLOSED | LAST | MX_USER_SIGNAL_0);
	ASSERT_STATUS(mx_object_signal_peer(h0, 0, MX_USER_SIGNAL_1),
		      MX_ERR_PEER_CLOSED);
	ASSERT_OK(mx_handle_close(h0));
}

TEST(socket_half_close)
{
	mx_handle_t h0, h1;
	char buf[16];
	size_t count;

	pair(0, &h0, &h1);
	ASSERT_OK(mx_socket_write(h1, 0, "12345", 5, &count));
	ASSERT_STATUS(mx_socket_write(h1, MX_SOCKET_HALF_CLOSE, "x", 1,
				      &count), MX_ERR_INVALID_ARGS);
	count = 99;
	ASSERT_OK(mx_socket_write(h1, MX_SOCKET_HALF_CLOSE, NULL, 0, &count));
	ASSERT_EQ(mxt_signals(h0), READABLE | WRITABLE | PEER_CLOSED | LAST);
	ASSERT_EQ(mxt_signals(h1), LAST);
	/* idempotent */
	ASSERT_OK(mx_socket_write(h1, MX_SOCKET_HALF_CLOSE, NULL, 0, NULL));
	ASSERT_STATUS(mx_socket_write(h1, 0, "abc", 3, &count),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_socket_write(h1, 0, NULL, 0, &count),
		      MX_ERR_BAD_STATE);
	ASSERT_OK(mx_socket_read(h0, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, 5);
	ASSERT_EQ(memcmp(buf, "12345", 5), 0);
	ASSERT_EQ(mxt_signals(h0), WRITABLE | PEER_CLOSED | LAST);
	ASSERT_STATUS(mx_socket_read(h0, 0, buf, sizeof(buf), &count),
		      MX_ERR_PEER_CLOSED);
	/* the other direction still works */
	ASSERT_OK(mx_socket_write(h0, 0, "abcde", 5, &count));
	ASSERT_EQ(count, 5);
	ASSERT_EQ(mxt_signals(h1), READABLE | LAST);
	ASSERT_OK(mx_socket_read(h1, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, 5);
	ASSERT_EQ(memcmp(buf, "abcde", 5), 0);
	/* after the peer is gone, a half-close is refused */
	ASSERT_OK(mx_handle_close(h1));
	ASSERT_STATUS(mx_socket_write(h0, MX_SOCKET_HALF_CLOSE, NULL, 0, NULL),
		      MX_ERR_PEER_CLOSED);
	ASSERT_OK(mx_handle_close(h0));
}

TEST(socket_bytes_outstanding)
{
	static const uint32_t wr[] = { 0xdeadbeef, 0xc0ffee };
	uint32_t rd[10];
	mx_handle_t h0, h1;
	size_t count;

	pair(0, &h0, &h1);
	ASSERT_EQ(outstanding(h0), 0);
	ASSERT_OK(mx_socket_write(h0, 0, &wr[0], sizeof(wr[0]), &count));
	ASSERT_OK(mx_socket_write(h0, 0, &wr[1], sizeof(wr[1]), &count));
	ASSERT_EQ(outstanding(h1), sizeof(wr));
	ASSERT_EQ(outstanding(h0), 0);
	/* the query: (NULL, 0); a size without a buffer is refused */
	ASSERT_STATUS(mx_socket_read(h1, 0, NULL, 1, &count),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_socket_read(h1, 0, NULL, 0, NULL));
	ASSERT_OK(mx_socket_read(h1, 0, rd, sizeof(rd), &count));
	ASSERT_EQ(count, sizeof(wr));
	ASSERT_EQ(outstanding(h1), 0);
	ASSERT_OK(mx_handle_close(h0));
	ASSERT_STATUS(mx_socket_write(h1, 0, &wr[1], sizeof(wr[1]), &count),
		      MX_ERR_PEER_CLOSED);
	ASSERT_STATUS(mx_socket_read(h1, 0, rd, sizeof(rd), &count),
		      MX_ERR_PEER_CLOSED);
	/* the query still answers */
	ASSERT_EQ(outstanding(h1), 0);
	ASSERT_OK(mx_handle_close(h1));
}

TEST(socket_bytes_outstanding_half_close)
{
	static const uint32_t wr[] = { 0xdeadbeef, 0xc0ffee };
	uint32_t rd[10];
	mx_handle_t h0, h1;
	size_t count;

	pair(0, &h0, &h1);
	ASSERT_OK(mx_socket_write(h0, 0, &wr[0], sizeof(wr[0]), &count));
	ASSERT_OK(mx_socket_write(h0, 0, &wr[1], sizeof(wr[1]), &count));
	ASSERT_OK(mx_socket_write(h0, MX_SOCKET_HALF_CLOSE, NULL, 0, NULL));
	ASSERT_EQ(outstanding(h1), sizeof(wr));
	ASSERT_OK(mx_socket_read(h1, 0, rd, sizeof(rd), &count));
	ASSERT_EQ(count, sizeof(wr));
	ASSERT_EQ(rd[0], wr[0]);
	ASSERT_EQ(rd[1], wr[1]);
	ASSERT_EQ(outstanding(h1), 0);
	ASSERT_STATUS(mx_socket_read(h1, 0, rd, sizeof(rd), &count),
		      MX_ERR_PEER_CLOSED);
	close2(h0, h1);
}

TEST(socket_short_write)
{
	size_t size = 256 * 1024 + 1, count = 0, got = 0, i;
	unsigned char *buf = malloc(size), *rd = malloc(size);
	mx_handle_t h0, h1;

	ASSERT_TRUE(buf && rd);
	for (i = 0; i < size; i++)
		buf[i] = (unsigned char)(i * 7 + i / 4096);
	pair(0, &h0, &h1);
	ASSERT_OK(mx_socket_write(h0, 0, buf, size, &count));
	ASSERT_TRUE(count < size);
	ASSERT_EQ(count, CAP);
	ASSERT_EQ(outstanding(h1), CAP);
	ASSERT_EQ(mxt_signals(h0), LAST);
	count = 5;
	ASSERT_STATUS(mx_socket_write(h0, 0, buf, 1, &count),
		      MX_ERR_SHOULD_WAIT);
	ASSERT_EQ(count, 5);
	/* read back in odd pieces */
	while (got < CAP) {
		size_t want = 1000 + got % 5003;

		ASSERT_OK(mx_socket_read(h1, 0, rd + got, want, &count));
		ASSERT_TRUE(count > 0 && count <= want);
		got += count;
	}
	ASSERT_EQ(got, CAP);
	ASSERT_EQ(memcmp(rd, buf, CAP), 0);
	ASSERT_EQ(mxt_signals(h0), WRITABLE | LAST);
	ASSERT_EQ(mxt_signals(h1), WRITABLE | LAST);
	close2(h0, h1);
	free(buf);
	free(rd);
}

TEST(stream_mixed_sizes_keep_order)
{
	static unsigned char in[300000], out[300000];
	size_t sizes[] = { 1, 255, 256, 257, 4095, 4096, 4097, 100, 9000, 3,
			   65536, 17, 2000 };
	size_t off = 0, rd = 0, count, i, k;
	mx_handle_t h0, h1;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i % 251);
	pair(0, &h0, &h1);
	for (k = 0; k < 26; k++) {
		size_t n = sizes[k % (sizeof(sizes) / sizeof(sizes[0]))];

		if (off + n > sizeof(in))
			break;
		ASSERT_OK(mx_socket_write(h0, 0, in + off, n, &count));
		ASSERT_EQ(count, n);
		off += n;
		if (k % 3 == 2) {
			ASSERT_OK(mx_socket_read(h1, 0, out + rd, 777,
						 &count));
			rd += count;
		}
	}
	while (rd < off) {
		ASSERT_OK(mx_socket_read(h1, 0, out + rd, 5000, &count));
		rd += count;
	}
	ASSERT_EQ(rd, off);
	ASSERT_EQ(memcmp(in, out, off), 0);
	close2(h0, h1);
}

TEST(socket_datagram)
{
	unsigned char rd[10];
	mx_handle_t h0, h1;
	size_t count;

	pair(MX_SOCKET_DATAGRAM, &h0, &h1);
	ASSERT_OK(mx_socket_write(h0, 0, "packet1", 8, &count));
	ASSERT_EQ(count, 8);
	ASSERT_OK(mx_socket_write(h0, 0, "pkt2", 5, &count));
	ASSERT_EQ(count, 5);
	ASSERT_OK(mx_socket_write(h0, 0, "pkt3", 5, &count));
	ASSERT_EQ(count, 5);
	/* an empty write queues nothing */
	ASSERT_OK(mx_socket_write(h0, 0, "", 0, &count));
	ASSERT_EQ(count, 0);
	ASSERT_EQ(outstanding(h1), 18);
	memset(rd, 0, sizeof(rd));
	ASSERT_OK(mx_socket_read(h1, 0, rd, 3, &count));
	ASSERT_EQ(count, 3);
	ASSERT_EQ(memcmp(rd, "pac", 3), 0);
	ASSERT_EQ(rd[3], 0);
	ASSERT_EQ(outstanding(h1), 10);
	ASSERT_OK(mx_socket_read(h1, 0, rd, sizeof(rd), &count));
	ASSERT_EQ(count, 5);
	ASSERT_EQ(memcmp(rd, "pkt2", 5), 0);
	ASSERT_OK(mx_socket_read(h1, 0, rd, sizeof(rd), &count));
	ASSERT_EQ(count, 5);
	ASSERT_EQ(memcmp(rd, "pkt3", 5), 0);
	ASSERT_STATUS(mx_socket_read(h1, 0, rd, sizeof(rd), &count),
		      MX_ERR_SHOULD_WAIT);
	ASSERT_EQ(mxt_signals(h1), WRITABLE | LAST);
	close2(h0, h1);
}

TEST(datagram_sizes_across_pages)
{
	static unsigned char in[70000], out[70000];
	size_t sizes[] = { 1, 4091, 4092, 4093, 4096, 5000, 255, 256, 257,
			   65536, 2 };
	size_t n = sizeof(sizes) / sizeof(sizes[0]), i, j, count;
	mx_handle_t h0, h1;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i % 253);
	pair(MX_SOCKET_DATAGRAM, &h0, &h1);
	for (j = 0; j < 2; j++)
		for (i = 0; i < n; i++) {
			ASSERT_OK(mx_socket_write(h0, 0, in + i, sizes[i],
						  &count));
			ASSERT_EQ(count, sizes[i]);
		}
	for (j = 0; j < 2; j++)
		for (i = 0; i < n; i++) {
			memset(out, 0, sizes[i] + 1);
			ASSERT_OK(mx_socket_read(h1, 0, out, sizeof(out),
						 &count));
			ASSERT_EQ(count, sizes[i]);
			ASSERT_EQ(memcmp(out, in + i, sizes[i]), 0);
		}
	ASSERT_EQ(outstanding(h1), 0);
	/* a zero-length read takes a datagram, all of it lost */
	ASSERT_OK(mx_socket_write(h0, 0, "abc", 3, &count));
	ASSERT_OK(mx_socket_write(h0, 0, "de", 2, &count));
	ASSERT_OK(mx_socket_read(h1, 0, out, 0, &count));
	ASSERT_EQ(count, 0);
	ASSERT_OK(mx_socket_read(h1, 0, out, sizeof(out), &count));
	ASSERT_EQ(count, 2);
	ASSERT_EQ(memcmp(out, "de", 2), 0);
	close2(h0, h1);
}

TEST(socket_datagram_no_short_write)
{
	size_t size = CAP + 1, count = 0;
	unsigned char *buf = calloc(1, size);
	mx_handle_t h0, h1;

	ASSERT_TRUE(buf != NULL);
	pair(MX_SOCKET_DATAGRAM, &h0, &h1);
	count = 0xabcdef;
	ASSERT_STATUS(mx_socket_write(h0, 0, buf, size, &count),
		      MX_ERR_SHOULD_WAIT);
	ASSERT_EQ(count, 0xabcdef);
	ASSERT_EQ(outstanding(h1), 0);
	/* exactly the capacity fits, then nothing more */
	ASSERT_OK(mx_socket_write(h0, 0, buf, CAP - 1, &count));
	ASSERT_EQ(count, CAP - 1);
	ASSERT_EQ(mxt_signals(h0), WRITABLE | LAST);
	ASSERT_STATUS(mx_socket_write(h0, 0, buf, 2, &count),
		      MX_ERR_SHOULD_WAIT);
	ASSERT_OK(mx_socket_write(h0, 0, buf, 1, &count));
	ASSERT_EQ(mxt_signals(h0), LAST);
	ASSERT_OK(mx_socket_read(h1, 0, buf, size, &count));
	ASSERT_EQ(count, CAP - 1);
	ASSERT_EQ(mxt_signals(h0), WRITABLE | LAST);
	close2(h0, h1);
	free(buf);
}

/* The checks in Magenta's order, with a handle of the wrong kind. */
static void argument_checks_body(void)
{
	mx_handle_t h0, h1, ev = mxt_event(), ro, wo;
	size_t count = 42;
	char buf[8];

	pair(0, &h0, &h1);
	/* write: a buffer, then the handle, then the options */
	ASSERT_STATUS(mx_socket_write(BADH, 0, NULL, 1, &count),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_socket_write(BADH, 7, "x", 1, &count),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_socket_write(ev, 7, "x", 1, &count),
		      MX_ERR_WRONG_TYPE);
	ro = mxt_dup(h0, MX_RIGHT_READ);
	wo = mxt_dup(h1, MX_RIGHT_WRITE);
	ASSERT_STATUS(mx_socket_write(ro, 7, "x", 1, &count),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_socket_write(h0, 2, "x", 1, &count),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_socket_write(h0, 3, NULL, 0, &count),
		      MX_ERR_INVALID_ARGS);
	/* over 4 GiB is refused, nothing read from the buffer */
	ASSERT_STATUS(mx_socket_write(h0, 0, "x", 0x100000000ull, &count),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(count, 42);
	/* read: options first, then the buffer, then the handle */
	ASSERT_STATUS(mx_socket_read(BADH, 1, NULL, 1, &count),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_socket_read(BADH, 0, NULL, 1, &count),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_socket_read(BADH, 0, buf, 1, &count),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_socket_read(ev, 0, buf, 1, &count),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_socket_read(wo, 0, buf, 1, &count),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_socket_read(wo, 0, NULL, 0, &count),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_socket_read(h1, 0, buf, 0x100000000ull, &count),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(count, 42);
	/* the rights suffice */
	ASSERT_OK(mx_socket_write(wo, 0, "hi", 2, &count));
	ASSERT_OK(mx_socket_read(ro, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, 2);
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(wo));
	ASSERT_OK(mx_handle_close(ev));
	close2(h0, h1);
}

TEST(argument_checks_in_order)
{
	argument_checks_body();
}

static void second_uid_body(void *arg)
{
	(void)arg;
	socket_basic_body();
	argument_checks_body();
}

TEST(second_uid_same_results)
{
	mxt_as_user(4561, second_uid_body, NULL);
}

TEST(transfer_through_a_channel)
{
	mx_handle_t h0, h1, c0, c1, got = MX_HANDLE_INVALID;
	mx_info_handle_basic_t before;
	uint32_t nh = 0;
	size_t count;
	char buf[16];

	pair(0, &h0, &h1);
	mxt_channel(&c0, &c1);
	before = mxt_basic(h1);
	ASSERT_OK(mx_socket_write(h0, 0, "queued", 6, &count));
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, &h1, 1));
	ASSERT_STATUS(mx_socket_read(h1, 0, buf, sizeof(buf), &count),
		      MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_channel_read(c1, 0, NULL, &got, 0, 1, NULL, &nh));
	ASSERT_EQ(nh, 1);
	ASSERT_EQ(mxt_basic(got).koid, before.koid);
	ASSERT_EQ(mxt_basic(got).related_koid, mxt_basic(h0).koid);
	ASSERT_EQ(mxt_basic(got).rights, before.rights);
	ASSERT_OK(mx_socket_read(got, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, 6);
	ASSERT_EQ(memcmp(buf, "queued", 6), 0);
	ASSERT_OK(mx_socket_write(got, 0, "back", 4, &count));
	ASSERT_OK(mx_socket_read(h0, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, 4);
	close2(h0, got);
	close2(c0, c1);
}

TEST(close_with_data_queued_in_a_message)
{
	mx_handle_t h0, h1, c0, c1;
	static char big[200000];
	size_t count;

	/* a socket with bytes queued both ways, lost in a closed channel */
	pair(0, &h0, &h1);
	mxt_channel(&c0, &c1);
	ASSERT_OK(mx_socket_write(h0, 0, big, sizeof(big), &count));
	ASSERT_OK(mx_socket_write(h1, 0, big, 1000, &count));
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, &h1, 1));
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, &h0, 1));
	close2(c0, c1);
}

struct waiter {
	mx_handle_t h;
	mx_signals_t want, got;
	mx_status_t status;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	w->status = mx_object_wait_one(w->h, w->want, MX_TIME_INFINITE,
				       &w->got);
	return NULL;
}

TEST(wait_one_wakes_on_write_and_close)
{
	struct waiter w = { .status = 99 };
	mx_handle_t h0, h1;
	pthread_t th;
	size_t count;

	pair(0, &h0, &h1);
	w.h = h1;
	w.want = READABLE;
	ASSERT_EQ(pthread_create(&th, NULL, wait_thread, &w), 0);
	usleep(20000);
	ASSERT_OK(mx_socket_write(h0, 0, "z", 1, &count));
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_OK(w.status);
	ASSERT_EQ(w.got, READABLE | WRITABLE | LAST);
	w.want = PEER_CLOSED;
	w.status = 99;
	ASSERT_EQ(pthread_create(&th, NULL, wait_thread, &w), 0);
	usleep(20000);
	ASSERT_OK(mx_handle_close(h0));
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_OK(w.status);
	ASSERT_TRUE(w.got & PEER_CLOSED);
	ASSERT_EQ(mxt_signals(h1), READABLE | PEER_CLOSED | LAST);
	ASSERT_OK(mx_handle_close(h1));
}

TEST(wait_many_on_both_ends)
{
	mx_wait_item_t items[2];
	mx_handle_t h0, h1;
	size_t count;

	pair(0, &h0, &h1);
	items[0] = (mx_wait_item_t){ .handle = h0, .waitfor = READABLE };
	items[1] = (mx_wait_item_t){ .handle = h1, .waitfor = READABLE };
	ASSERT_STATUS(mx_object_wait_many(items, 2, 0), MX_ERR_TIMED_OUT);
	ASSERT_OK(mx_socket_write(h1, 0, "q", 1, &count));
	ASSERT_OK(mx_object_wait_many(items, 2, MX_TIME_INFINITE));
	ASSERT_EQ(items[0].pending, READABLE | WRITABLE | LAST);
	ASSERT_EQ(items[1].pending, WRITABLE | LAST);
	close2(h0, h1);
}

TEST(port_packets_for_readable_and_writable)
{
	mx_handle_t h0, h1, port;
	mx_port_packet_t pkt;
	static char buf[CAP];
	size_t count;

	pair(0, &h0, &h1);
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));
	ASSERT_OK(mx_object_wait_async(h1, port, 11, READABLE,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_STATUS(mx_port_wait(port, 0, &pkt, 0), MX_ERR_TIMED_OUT);
	ASSERT_OK(mx_socket_write(h0, 0, buf, CAP, &count));
	ASSERT_OK(mx_port_wait(port, 0, &pkt, 0));
	ASSERT_EQ(pkt.key, 11);
	ASSERT_EQ(pkt.type, MX_PKT_TYPE_SIGNAL_ONE);
	ASSERT_EQ(pkt.signal.trigger, READABLE);
	ASSERT_EQ(pkt.signal.observed, READABLE | WRITABLE | LAST);
	/* h0 is full: WRITABLE comes back with a read */
	ASSERT_OK(mx_object_wait_async(h0, port, 12, WRITABLE,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_STATUS(mx_port_wait(port, 0, &pkt, 0), MX_ERR_TIMED_OUT);
	ASSERT_OK(mx_socket_read(h1, 0, buf, 10, &count));
	ASSERT_OK(mx_port_wait(port, 0, &pkt, 0));
	ASSERT_EQ(pkt.key, 12);
	ASSERT_EQ(pkt.signal.observed, WRITABLE | LAST);
	ASSERT_OK(mx_handle_close(port));
	close2(h0, h1);
}

static uint32_t read_state(int fd)
{
	uint32_t state = 0;

	ASSERT_EQ(read(fd, &state, sizeof(state)), (ssize_t)sizeof(state));
	return state;
}

TEST(waitfd_and_epoll)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int fd = -1, ep = epoll_create1(EPOLL_CLOEXEC);
	mx_handle_t h0, h1;
	size_t count;
	char buf[8];

	ASSERT_TRUE(ep >= 0);
	pair(MX_SOCKET_DATAGRAM, &h0, &h1);
	ASSERT_OK(mx_waitfd_create(h1, READABLE | PEER_CLOSED, 0, &fd));
	ev.data.u32 = 3;
	ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
	ASSERT_EQ(epoll_wait(ep, &out, 1, 0), 0);
	ASSERT_OK(mx_socket_write(h0, 0, "dg", 2, &count));
	ASSERT_EQ(epoll_wait(ep, &out, 1, 1000), 1);
	ASSERT_EQ(out.data.u32, 3);
	ASSERT_EQ(read_state(fd) & READABLE, READABLE);
	ASSERT_OK(mx_socket_read(h1, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(epoll_wait(ep, &out, 1, 0), 0);
	ASSERT_OK(mx_socket_write(h0, MX_SOCKET_HALF_CLOSE, NULL, 0, NULL));
	ASSERT_EQ(epoll_wait(ep, &out, 1, 1000), 1);
	ASSERT_EQ(read_state(fd) & PEER_CLOSED, PEER_CLOSED);
	close(ep);
	close(fd);
	close2(h0, h1);
}

/* Two pages, the second one unmapped. */
static unsigned char *half_mapped(void)
{
	unsigned char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_EQ(munmap(p + PG, PG), 0);
	memset(p, 0x3c, PG);
	return p;
}

TEST(bad_pointers_stream)
{
	unsigned char *p = half_mapped(), rd[2 * PG];
	mx_handle_t h0, h1;
	size_t count = 7, i;

	pair(0, &h0, &h1);
	/* nothing readable: Magenta's SHOULD_WAIT, nothing queued */
	ASSERT_STATUS(mx_socket_write(h0, 0, p + PG, 10, &count),
		      MX_ERR_SHOULD_WAIT);
	ASSERT_STATUS(mx_socket_write(h0, 0, p + PG, PG, &count),
		      MX_ERR_SHOULD_WAIT);
	ASSERT_STATUS(mx_socket_write(h0, 0, (void *)8, 4, &count),
		      MX_ERR_SHOULD_WAIT);
	ASSERT_EQ(count, 7);
	ASSERT_EQ(outstanding(h1), 0);
	/* partly readable: what was read is written */
	ASSERT_OK(mx_socket_write(h0, 0, p + PG - 100, 300, &count));
	ASSERT_EQ(count, 100);
	ASSERT_OK(mx_socket_write(h0, 0, p, 2 * PG, &count));
	ASSERT_EQ(count, PG);
	ASSERT_EQ(outstanding(h1), PG + 100);
	/* a read to an unwritable buffer takes nothing */
	ASSERT_STATUS(mx_socket_read(h1, 0, p + PG, 10, &count),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_socket_read(h1, 0, mxt_read_only_page(), 10, &count),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(outstanding(h1), PG + 100);
	/* partly writable: what was copied is taken */
	ASSERT_OK(mx_socket_read(h1, 0, p + PG - 50, 200, &count));
	ASSERT_EQ(count, 50);
	ASSERT_EQ(outstanding(h1), PG + 50);
	ASSERT_OK(mx_socket_read(h1, 0, rd, sizeof(rd), &count));
	ASSERT_EQ(count, PG + 50);
	for (i = 0; i < count; i++)
		ASSERT_EQ(rd[i], 0x3c);
	/* a bad actual: the write is done, the status says the fault */
	ASSERT_STATUS(mx_socket_write(h0, 0, "abc", 3, (size_t *)8),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(outstanding(h1), 3);
	ASSERT_STATUS(mx_socket_read(h1, 0, rd, 3, (size_t *)8),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(outstanding(h1), 0);
	ASSERT_STATUS(mx_socket_read(h1, 0, NULL, 0,
				     mxt_read_only_page()),
		      MX_ERR_INVALID_ARGS);
	close2(h0, h1);
	munmap(p, PG);
}

TEST(bad_pointers_datagram)
{
	unsigned char *p = half_mapped(), rd[16];
	mx_handle_t h0, h1;
	size_t count = 7;

	pair(MX_SOCKET_DATAGRAM, &h0, &h1);
	ASSERT_STATUS(mx_socket_write(h0, 0, p + PG - 100, 300, &count),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_socket_write(h0, 0, p + PG - 10, 20, &count),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(count, 7);
	ASSERT_EQ(outstanding(h1), 0);
	ASSERT_EQ(mxt_signals(h1), WRITABLE | LAST);
	ASSERT_OK(mx_socket_write(h0, 0, "first", 5, &count));
	ASSERT_OK(mx_socket_write(h0, 0, "second", 6, &count));
	/* a read that faults loses its datagram */
	ASSERT_STATUS(mx_socket_read(h1, 0, p + PG, 10, &count),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_socket_read(h1, 0, rd, sizeof(rd), &count));
	ASSERT_EQ(count, 6);
	ASSERT_EQ(memcmp(rd, "second", 6), 0);
	close2(h0, h1);
	munmap(p, PG);
}

struct held_ctx {
	mx_handle_t h, other;
	mx_status_t status;
	size_t count;
};

static void during_close(void *arg)
{
	struct held_ctx *c = arg;

	c->status = mx_handle_close(c->h);
}

static void during_write(void *arg)
{
	struct held_ctx *c = arg;

	c->status = mx_socket_write(c->h, 0, "during", 6, &c->count);
}

static void during_read(void *arg)
{
	struct held_ctx *c = arg;
	char buf[8];

	c->status = mx_socket_read(c->h, 0, buf, sizeof(buf), &c->count);
}

TEST(held_write_while_the_peer_closes)
{
	struct held_ctx c = { .status = 99 };
	struct mxt_held held;
	mx_handle_t h0;
	size_t count = 5;
	void *page;

	pair(0, &h0, &c.h);
	page = mxt_held_page(&held, during_close, &c, false);
	ASSERT_STATUS(mx_socket_write(h0, 0, page, PG, &count),
		      MX_ERR_PEER_CLOSED);
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	ASSERT_EQ(count, 5);
	ASSERT_OK(mx_handle_close(h0));
}

TEST(held_write_lets_other_writes_and_reads_through)
{
	struct held_ctx c = { .status = 99 };
	struct mxt_held held;
	mx_handle_t h0, h1;
	size_t count = 0, i;
	char buf[PG + 16];
	void *page;

	/* a small write, parked, while another write of the same end runs */
	pair(0, &h0, &h1);
	c.h = h0;
	page = mxt_held_page(&held, during_write, &c, false);
	ASSERT_OK(mx_socket_write(h0, 0, page, 100, &count));
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	ASSERT_EQ(c.count, 6);
	ASSERT_EQ(count, 100);
	memset(buf, 1, sizeof(buf));
	ASSERT_OK(mx_socket_read(h1, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, 106);
	ASSERT_EQ(memcmp(buf, "during", 6), 0);
	ASSERT_EQ(buf[6], 0);
	ASSERT_EQ(buf[105], 0);
	/* a page-sized one, while the peer reads what was there before */
	ASSERT_OK(mx_socket_write(h0, 0, "early", 5, &count));
	c.h = h1;
	c.status = 99;
	page = mxt_held_page(&held, during_read, &c, false);
	ASSERT_OK(mx_socket_write(h0, 0, page, PG, &count));
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	ASSERT_EQ(c.count, 5);
	ASSERT_EQ(count, PG);
	memset(buf, 1, sizeof(buf));
	ASSERT_OK(mx_socket_read(h1, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, PG);
	for (i = 0; i < PG; i++)
		ASSERT_EQ(buf[i], 0);
	close2(h0, h1);
}

TEST(held_read_while_the_writer_writes_and_closes)
{
	struct held_ctx c = { .status = 99 };
	struct mxt_held held;
	mx_handle_t h0, h1;
	size_t count = 0;
	unsigned char *page;
	char buf[16];

	pair(0, &h0, &h1);
	ASSERT_OK(mx_socket_write(h0, 0, "0123456789", 10, &count));
	c.h = h0;
	page = mxt_held_page(&held, during_write, &c, false);
	ASSERT_OK(mx_socket_read(h1, 0, page, 4, &count));
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	ASSERT_EQ(count, 4);
	ASSERT_EQ(memcmp(page, "0123", 4), 0);
	ASSERT_EQ(outstanding(h1), 12);
	/* the reader's own handle closed while its read is parked */
	c.h = h1;
	c.status = 99;
	page = mxt_held_page(&held, during_close, &c, false);
	ASSERT_OK(mx_socket_read(h1, 0, page, 6, &count));
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	ASSERT_EQ(count, 6);
	ASSERT_EQ(memcmp(page, "456789", 6), 0);
	ASSERT_STATUS(mx_socket_read(h1, 0, buf, 1, &count),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_socket_write(h0, 0, "x", 1, &count),
		      MX_ERR_PEER_CLOSED);
	ASSERT_OK(mx_handle_close(h0));
}

struct second_read {
	mx_handle_t h;
	pthread_t th;
	mx_status_t status;
	size_t count;
	char buf[16];
};

static void *second_read_main(void *arg)
{
	struct second_read *r = arg;

	r->status = mx_socket_read(r->h, 0, r->buf, sizeof(r->buf), &r->count);
	return NULL;
}

static void during_start_second_read(void *arg)
{
	struct second_read *r = arg;

	ASSERT_EQ(pthread_create(&r->th, NULL, second_read_main, r), 0);
	usleep(50000);
}

/* A second read of an endpoint waits for the first, parked, then goes on. */
TEST(held_read_makes_a_second_read_wait)
{
	struct second_read r = { .status = 99 };
	struct mxt_held held;
	mx_handle_t h0, h1;
	size_t count = 0;
	unsigned char *page;

	pair(0, &h0, &h1);
	ASSERT_OK(mx_socket_write(h0, 0, "0123456789", 10, &count));
	r.h = h1;
	page = mxt_held_page(&held, during_start_second_read, &r, false);
	ASSERT_OK(mx_socket_read(h1, 0, page, 4, &count));
	mxt_held_done(&held);
	ASSERT_EQ(pthread_join(r.th, NULL), 0);
	ASSERT_EQ(count, 4);
	ASSERT_EQ(memcmp(page, "0123", 4), 0);
	ASSERT_OK(r.status);
	ASSERT_EQ(r.count, 6);
	ASSERT_EQ(memcmp(r.buf, "456789", 6), 0);
	close2(h0, h1);
}

struct big_read {
	mx_handle_t h;
	mx_status_t status;
	size_t count;
};

static void *big_read_main(void *arg)
{
	static char buf[CAP];
	struct big_read *r = arg;

	r->status = mx_socket_read(r->h, 0, buf, sizeof(buf), &r->count);
	return NULL;
}

/*
 * The reader's last handle closed while it copies: the read finishes (or
 * finds no handle), and the endpoint is freed by whichever comes last.
 */
TEST(close_races_a_long_read)
{
	static char buf[CAP];
	struct big_read r;
	mx_handle_t h0, h1;
	pthread_t th;
	size_t count;
	int i;

	for (i = 0; i < 60; i++) {
		pair(i & 1, &h0, &h1);
		ASSERT_OK(mx_socket_write(h0, 0, buf, i & 1 ? 100000 : CAP,
					  &count));
		r = (struct big_read){ .h = h1, .status = 99 };
		ASSERT_EQ(pthread_create(&th, NULL, big_read_main, &r), 0);
		usleep((i % 10) * 50);
		ASSERT_OK(mx_handle_close(h1));
		ASSERT_EQ(pthread_join(th, NULL), 0);
		if (r.status != MX_ERR_BAD_HANDLE) {
			ASSERT_OK(r.status);
			ASSERT_EQ(r.count, i & 1 ? 100000 : CAP);
		}
		ASSERT_EQ(mxt_signals(h0), PEER_CLOSED | LAST);
		ASSERT_OK(mx_handle_close(h0));
	}
}

TEST(held_read_fails_and_keeps_the_bytes)
{
	struct held_ctx c = { .status = 99 };
	struct mxt_held held;
	mx_handle_t h0, h1;
	size_t count = 3;
	char buf[16];
	void *page;

	pair(0, &h0, &h1);
	ASSERT_OK(mx_socket_write(h0, 0, "abcdef", 6, &count));
	c.h = h0;
	page = mxt_held_page(&held, during_write, &c, true);
	ASSERT_STATUS(mx_socket_read(h1, 0, page, 4, &count),
		      MX_ERR_INVALID_ARGS);
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	ASSERT_OK(mx_socket_read(h1, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, 12);
	ASSERT_EQ(memcmp(buf, "abcdefduring", 12), 0);
	close2(h0, h1);
}

/*
 * max_user_message_bytes bounds the pages a user's writes keep queued:
 * past it, a write gets MX_ERR_NO_RESOURCES and queues nothing; reads
 * give the memory back; another user is not affected.
 */
static void other_user_writes(void *arg)
{
	static char buf[64 * 1024];
	mx_handle_t h0, h1;
	size_t count;

	(void)arg;
	pair(0, &h0, &h1);
	ASSERT_OK(mx_socket_write(h0, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, sizeof(buf));
	close2(h0, h1);
}

static void user_bound_body(void)
{
	static char buf[CAP];
	mx_handle_t h0, h1, d0, d1;
	size_t count = 9, total = 0;
	mx_status_t s;
	int i;

	mxt_become_keeping_root(4571);
	pair(0, &h0, &h1);
	pair(MX_SOCKET_DATAGRAM, &d0, &d1);
	/* 128 KiB of data takes more than the bound of 128 KiB */
	ASSERT_STATUS(mx_socket_write(h0, 0, buf, 128 * 1024, &count),
		      MX_ERR_NO_RESOURCES);
	ASSERT_EQ(count, 9);
	ASSERT_EQ(outstanding(h1), 0);
	ASSERT_EQ(mxt_signals(h1), WRITABLE | LAST);
	for (i = 0; i < 200; i++) {
		s = mx_socket_write(h0, 0, buf, 1000, &count);
		if (s != MX_OK)
			break;
		total += count;
	}
	ASSERT_STATUS(s, MX_ERR_NO_RESOURCES);
	/* 31 pages with their heads fit in the bound */
	ASSERT_TRUE(total >= 120000 && total <= 31 * PG);
	ASSERT_EQ(outstanding(h1), total);
	ASSERT_STATUS(mx_socket_write(d0, 0, buf, 8000, &count),
		      MX_ERR_NO_RESOURCES);
	ASSERT_EQ(outstanding(d1), 0);
	mxt_as_user(4572, other_user_writes, NULL);
	/* reading gives the pages back */
	ASSERT_OK(mx_socket_read(h1, 0, buf, sizeof(buf), &count));
	ASSERT_EQ(count, total);
	ASSERT_OK(mx_socket_write(d0, 0, buf, 8000, &count));
	ASSERT_OK(mx_socket_write(h0, 0, buf, 64 * 1024, &count));
	ASSERT_EQ(count, 64 * 1024);
	/* closing gives them back too */
	close2(h0, h1);
	pair(0, &h0, &h1);
	ASSERT_OK(mx_socket_write(h0, 0, buf, 100 * 1024, &count));
	close2(h0, h1);
	close2(d0, d1);
}

TEST(queued_pages_are_bounded_per_user)
{
	mxt_with_param("max_user_message_bytes", "131072", user_bound_body);
}

TEST(many_sockets_closed_with_data)
{
	static char buf[10000];
	mx_handle_t h[64][2];
	size_t count;
	int i;

	for (i = 0; i < 64; i++) {
		pair(i & 1, &h[i][0], &h[i][1]);
		ASSERT_OK(mx_socket_write(h[i][0], 0, buf, sizeof(buf),
					  &count));
		ASSERT_OK(mx_socket_write(h[i][1], 0, buf, 10, &count));
	}
	for (i = 0; i < 64; i++)
		close2(h[i][i & 2 ? 0 : 1], h[i][i & 2 ? 1 : 0]);
}

struct pump {
	mx_handle_t h;
	size_t total;
	unsigned int seed;
};

static void *pump_writer(void *arg)
{
	static unsigned char buf[70000];
	struct pump *p = arg;
	size_t done = 0, count, n, i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)i;
	while (done < p->total) {
		n = 1 + rand_r(&p->seed) % 9000;
		if (n > p->total - done)
			n = p->total - done;
		mx_status_t s = mx_socket_write(p->h, 0, buf + done % 256, n,
						&count);
		if (s == MX_ERR_SHOULD_WAIT) {
			mx_signals_t obs;

			ASSERT_OK(mx_object_wait_one(p->h, WRITABLE,
						     MX_TIME_INFINITE, &obs));
			continue;
		}
		ASSERT_OK(s);
		done += count;
	}
	return NULL;
}

TEST(stream_two_threads_keep_every_byte_in_order)
{
	struct pump p = { .total = 3 * 1024 * 1024, .seed = 7 };
	static unsigned char buf[20000];
	size_t got = 0, count, i;
	unsigned int seed = 3;
	mx_handle_t h0, h1;
	pthread_t th;

	pair(0, &h0, &h1);
	p.h = h0;
	ASSERT_EQ(pthread_create(&th, NULL, pump_writer, &p), 0);
	while (got < p.total) {
		size_t n = 1 + rand_r(&seed) % sizeof(buf);
		mx_status_t s = mx_socket_read(h1, 0, buf, n, &count);

		if (s == MX_ERR_SHOULD_WAIT) {
			mx_signals_t obs;

			ASSERT_OK(mx_object_wait_one(h1, READABLE,
						     MX_TIME_INFINITE, &obs));
			continue;
		}
		ASSERT_OK(s);
		for (i = 0; i < count; i++)
			if (buf[i] != (unsigned char)(got + i))
				FAIL("byte %zu: %u", got + i, buf[i]);
		got += count;
	}
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_EQ(outstanding(h1), 0);
	close2(h0, h1);
}
