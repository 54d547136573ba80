// SPDX-License-Identifier: MIT
/*
 * handles: moving handles in a channel message against passing file
 * descriptors with SCM_RIGHTS (bench.h).
 *
 *   move-<N>h   one thread writes an 8-byte message carrying N event
 *               handles into a channel and reads it at the other end
 *               (the handles leave the writer and come back with new
 *               values), for N = 1, 16, 64. Against sendmsg of 8 bytes
 *               and N eventfds with SCM_RIGHTS over an AF_UNIX
 *               SOCK_SEQPACKET socketpair, recvmsg, and close() of the N
 *               received fds (SCM_RIGHTS copies: the sender keeps its
 *               own, so the receiver closes to end where it began, as the
 *               channel does by moving)
 */
#include "bench.h"

#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define NMAX	64

struct mxmove {
	mx_handle_t c[2];
	mx_handle_t h[NMAX];
	uint32_t n;
};

static void mx_move(void *arg, uint64_t n)
{
	struct mxmove *m = arg;
	uint64_t data = 0;
	uint32_t nb, nh;

	while (n--) {
		check(mx_channel_write(m->c[0], 0, &data, 8, m->h, m->n),
		      "mx_channel_write");
		check(mx_channel_read(m->c[1], 0, &data, m->h, 8, m->n, &nb,
				      &nh), "mx_channel_read");
		if (nh != m->n)
			die("mx_channel_read handles", nh);
	}
}

struct scm {
	int s[2];
	int fd[NMAX];
	int n;
};

static void scm_move(void *arg, uint64_t n)
{
	struct scm *m = arg;
	union {
		char buf[CMSG_SPACE(sizeof(int) * NMAX)];
		struct cmsghdr align;
	} u;
	uint64_t data = 0;
	struct iovec iov = { .iov_base = &data, .iov_len = 8 };
	struct msghdr msg;
	struct cmsghdr *cm;
	int got[NMAX], i;

	while (n--) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * m->n);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * m->n);
		memcpy(CMSG_DATA(cm), m->fd, sizeof(int) * m->n);
		if (sendmsg(m->s[0], &msg, 0) != 8)
			die("sendmsg", -1);

		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		if (recvmsg(m->s[1], &msg, 0) != 8)
			die("recvmsg", -1);
		cm = CMSG_FIRSTHDR(&msg);
		if (!cm || cm->cmsg_type != SCM_RIGHTS ||
		    cm->cmsg_len != CMSG_LEN(sizeof(int) * m->n))
			die("recvmsg fds", -1);
		memcpy(got, CMSG_DATA(cm), sizeof(int) * m->n);
		for (i = 0; i < m->n; i++)
			close(got[i]);
	}
}

int main(void)
{
	static const int counts[] = { 1, 16, 64 };
	struct mxmove m;
	struct scm s;
	char name[32];
	unsigned int k;
	int i;

	bench_init("handles");
	check(mx_channel_create(0, &m.c[0], &m.c[1]), "mx_channel_create");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s.s))
		die("socketpair", -1);
	for (i = 0; i < NMAX; i++) {
		check(mx_event_create(0, &m.h[i]), "mx_event_create");
		s.fd[i] = eventfd(0, 0);
		if (s.fd[i] < 0)
			die("eventfd", -1);
	}
	for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
		m.n = s.n = counts[k];
		snprintf(name, sizeof(name), "move-%dh", counts[k]);
		snprintf(name + 16, sizeof(name) - 16, "scm-%dfd", counts[k]);
		bench_pair(name, name + 16, mx_move, &m, scm_move, &s);
	}
	return 0;
}
