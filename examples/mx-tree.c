// SPDX-License-Identifier: MIT
/*
 * mx-tree: a tree of processes that pass handles up and down.
 *
 *   root ──channel── node 0 ──channel── leaf 0.0, leaf 0.1
 *        ──channel── node 1 ──channel── leaf 1.0, leaf 1.1
 *
 * Every process is a fork() child of its parent and starts with an empty
 * handle table: its first handle, a channel end to its parent, comes in a
 * file descriptor (mx_handle_to_fd / mx_handle_from_fd). Down the tree goes
 * a read-only "go" event, written into each channel (each node duplicates
 * it for its leaves). Up the tree goes one side of an eventpair made by
 * each leaf: the node forwards the message with the handle in it, so it
 * crosses two channels and two processes to reach the root. The root
 * checks that each side is the one the leaf made (koids), signals "go",
 * waits until every leaf has answered through its eventpair, and then sees
 * each leaf's exit as MX_EPAIR_PEER_CLOSED.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mx.h>

#define FANOUT	2
#define LEAVES	(FANOUT * FANOUT)

struct leaf_msg {
	int pid;
	mx_koid_t koid;		/* koid of the side sent up */
};

#define CHECK(call)							\
	do {								\
		mx_status_t st_ = (call);				\
		if (st_ != MX_OK) {					\
			fprintf(stderr, "mx-tree %d: %s: %s\n", getpid(), \
				#call, mx_status_get_string(st_));	\
			exit(1);					\
		}							\
	} while (0)

static mx_info_handle_basic_t info_of(mx_handle_t h)
{
	mx_info_handle_basic_t info;

	CHECK(mx_object_get_info(h, MX_INFO_HANDLE_BASIC, &info, sizeof(info),
				 NULL, NULL));
	return info;
}

/* Wait for a message on @ch and read it. */
static void read_msg(mx_handle_t ch, void *buf, uint32_t size,
		     mx_handle_t *h, uint32_t nh)
{
	uint32_t n = 0, got = 0;

	CHECK(mx_object_wait_one(ch, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
				 NULL));
	CHECK(mx_channel_read(ch, 0, buf, h, size, nh, &n, &got));
	if (n != size || got != nh) {
		fprintf(stderr, "mx-tree %d: got %u bytes, %u handles\n",
			getpid(), n, got);
		exit(1);
	}
}

/*
 * Fork a child that runs @fn with its end of a new channel; return the
 * parent's end. @fn never returns.
 */
static mx_handle_t spawn(void (*fn)(mx_handle_t, int), int index)
{
	mx_handle_t mine, theirs;
	pid_t pid;
	int fd;

	CHECK(mx_channel_create(0, &mine, &theirs));
	CHECK(mx_handle_to_fd(theirs, 0, &fd));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		mx_handle_t ch;

		/* The fork child's table is empty: the fd is all it has. */
		CHECK(mx_handle_from_fd(fd, &ch));
		close(fd);
		fn(ch, index);
		exit(0);
	}
	close(fd);
	return mine;
}

static void leaf(mx_handle_t up, int index)
{
	mx_handle_t go, mine, theirs;
	struct leaf_msg m;

	(void)index;
	read_msg(up, NULL, 0, &go, 1);
	CHECK(mx_eventpair_create(0, &mine, &theirs));
	m.pid = getpid();
	m.koid = info_of(theirs).koid;
	CHECK(mx_channel_write(up, 0, &m, sizeof(m), &theirs, 1));
	/* Wait for the root's "go", answer through the eventpair, exit. */
	CHECK(mx_object_wait_one(go, MX_EVENT_SIGNALED, MX_TIME_INFINITE,
				 NULL));
	CHECK(mx_object_signal_peer(mine, 0, MX_EPAIR_SIGNALED));
	exit(0);
}

static void node(mx_handle_t up, int index)
{
	mx_handle_t go, down[FANOUT];
	int i;

	read_msg(up, NULL, 0, &go, 1);
	for (i = 0; i < FANOUT; i++) {
		mx_handle_t dup;

		down[i] = spawn(leaf, i);
		CHECK(mx_handle_duplicate(go, MX_RIGHT_SAME_RIGHTS, &dup));
		CHECK(mx_channel_write(down[i], 0, "", 0, &dup, 1));
	}
	/* Forward each leaf's message, handle and all, to the root. */
	for (i = 0; i < FANOUT; i++) {
		struct leaf_msg m;
		mx_handle_t side;

		read_msg(down[i], &m, sizeof(m), &side, 1);
		printf("node %d: forwarding leaf %d's eventpair side (koid %llu)\n",
		       index, m.pid, (unsigned long long)m.koid);
		CHECK(mx_channel_write(up, 0, &m, sizeof(m), &side, 1));
	}
	for (i = 0; i < FANOUT; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "mx-tree: a leaf failed\n");
			exit(1);
		}
	}
	exit(0);
}

int main(void)
{
	mx_handle_t go, ro, down[FANOUT];
	mx_handle_t sides[LEAVES];
	mx_koid_t seen[LEAVES];
	int i, j, st, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	CHECK(mx_event_create(0, &go));
	for (i = 0; i < FANOUT; i++) {
		down[i] = spawn(node, i);
		/* Read-only, but it may be copied down the tree. */
		CHECK(mx_handle_duplicate(go, MX_RIGHT_READ | MX_RIGHT_TRANSFER |
					  MX_RIGHT_DUPLICATE, &ro));
		CHECK(mx_channel_write(down[i], 0, "", 0, &ro, 1));
	}

	for (i = 0; i < LEAVES; i++) {
		struct leaf_msg m;
		mx_info_handle_basic_t info;
		mx_handle_t side;

		read_msg(down[i / FANOUT], &m, sizeof(m), &side, 1);
		info = info_of(side);
		if (info.koid != m.koid || info.type != MX_OBJ_TYPE_EVENT_PAIR) {
			fprintf(stderr, "mx-tree: leaf %d: koid %llu, sent %llu\n",
				m.pid, (unsigned long long)info.koid,
				(unsigned long long)m.koid);
			failed = 1;
		}
		for (j = 0; j < i; j++)
			if (seen[j] == info.koid)
				failed = 1;
		seen[i] = info.koid;
		sides[i] = side;
	}
	printf("root: holds the %d leaves' eventpair sides, each through two channels\n",
	       LEAVES);

	CHECK(mx_object_signal(go, 0, MX_EVENT_SIGNALED));
	for (i = 0; i < LEAVES; i++)
		CHECK(mx_object_wait_one(sides[i], MX_EPAIR_SIGNALED,
					 MX_TIME_INFINITE, NULL));
	printf("root: all %d leaves answered\n", LEAVES);

	for (i = 0; i < LEAVES; i++) {
		CHECK(mx_object_wait_one(sides[i], MX_EPAIR_PEER_CLOSED,
					 MX_TIME_INFINITE, NULL));
		CHECK(mx_handle_close(sides[i]));
	}
	printf("root: all %d leaves are gone (PEER_CLOSED)\n", LEAVES);

	for (i = 0; i < FANOUT; i++) {
		CHECK(mx_object_wait_one(down[i], MX_CHANNEL_PEER_CLOSED,
					 MX_TIME_INFINITE, NULL));
		CHECK(mx_handle_close(down[i]));
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed = 1;
	}
	CHECK(mx_handle_close(go));
	printf("mx-tree: %s\n", failed ? "FAILED" : "done");
	return failed;
}
