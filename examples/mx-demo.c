// SPDX-License-Identifier: MIT
/*
 * mx-demo: two processes exchange handles over a channel.
 *
 * The parent makes a channel and gives one end to a fork() child through a
 * file descriptor (a fork child starts with an empty handle table). The
 * child makes an event and sends a read-only duplicate of it back over the
 * channel; the parent reads it (the handle gets a new value in the
 * parent's table, same object), waits for the child to signal the event,
 * then closes its end, and the child sees PEER_CLOSED.
 *
 * While the event is in transit (queued in the parent's end, not yet read)
 * the parent runs mxls on both processes, to show their handle tables and
 * the handle waiting in the channel. Listing by pid needs CAP_SYS_PTRACE;
 * without it the demo says so and goes on.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mx.h>

#define CHECK(expr)							\
	do {								\
		mx_status_t _s = (expr);				\
		if (_s != MX_OK) {					\
			fprintf(stderr, "%s: %s\n", #expr,		\
				mx_status_get_string(_s));		\
			exit(1);					\
		}							\
	} while (0)

static mx_koid_t koid_of(mx_handle_t h, mx_rights_t *rights)
{
	mx_info_handle_basic_t info;

	CHECK(mx_object_get_info(h, MX_INFO_HANDLE_BASIC, &info, sizeof(info),
				 NULL, NULL));
	if (rights)
		*rights = info.rights;
	return info.koid;
}

static int child(int fd)
{
	mx_handle_t ch, ev, ro;
	mx_rights_t rights;

	CHECK(mx_handle_from_fd(fd, &ch));
	close(fd);
	CHECK(mx_event_create(0, &ev));
	printf("child  %d: made event koid %llu as handle %d\n", getpid(),
	       (unsigned long long)koid_of(ev, &rights), ev);
	CHECK(mx_handle_duplicate(ev, MX_RIGHT_READ | MX_RIGHT_TRANSFER, &ro));
	CHECK(mx_channel_write(ch, 0, "here is an event", 17, &ro, 1));
	printf("child  %d: sent a read-only duplicate (handle %d is gone: %s)\n",
	       getpid(), ro, mx_status_get_string(mx_handle_close(ro)));
	mx_nanosleep(mx_deadline_after(MX_MSEC(100)));
	CHECK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	printf("child  %d: signalled the event\n", getpid());
	CHECK(mx_object_wait_one(ch, MX_CHANNEL_PEER_CLOSED, MX_TIME_INFINITE,
				 NULL));
	printf("child  %d: parent closed its end, exiting\n", getpid());
	return 0;
}

/* Run mxls (next to this program, else from $PATH) on two processes. */
static void show_handles(pid_t a, pid_t b)
{
	char self[PATH_MAX], path[PATH_MAX + 8], pa[16], pb[16], *slash;
	ssize_t n;
	int status;
	pid_t pid;

	snprintf(pa, sizeof(pa), "%d", (int)a);
	snprintf(pb, sizeof(pb), "%d", (int)b);
	printf("parent %d: mxls %s %s\n", getpid(), pa, pb);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n > 0) {
			self[n] = '\0';
			slash = strrchr(self, '/');
			if (slash) {
				*slash = '\0';
				snprintf(path, sizeof(path), "%s/mxls", self);
				execl(path, "mxls", pa, pb, (char *)NULL);
			}
		}
		execlp("mxls", "mxls", pa, pb, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		printf("parent %d: (mxls could not list them: it needs to be "
		       "installed, and CAP_SYS_PTRACE)\n", getpid());
}

int main(void)
{
	mx_handle_t a, b, got;
	mx_signals_t observed;
	mx_rights_t rights;
	uint32_t nb, nh;
	char msg[64];
	int fd, status;
	pid_t pid;

	CHECK(mx_channel_create(0, &a, &b));
	CHECK(mx_handle_to_fd(b, 0, &fd));
	printf("parent %d: channel %d <-> (fd %d), forking\n", getpid(), a, fd);
	pid = fork();
	if (pid == 0)
		return child(fd);
	close(fd);

	CHECK(mx_object_wait_one(a, MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL));
	/* The child holds its end and the event until we close our end. */
	show_handles(getpid(), pid);
	CHECK(mx_channel_read(a, 0, msg, &got, sizeof(msg), 1, &nb, &nh));
	printf("parent %d: read \"%s\" with %u handle: %d, koid %llu, ",
	       getpid(), msg, nh, got,
	       (unsigned long long)koid_of(got, &rights));
	printf("rights 0x%x\n", rights);
	printf("parent %d: signalling it myself: %s (no WRITE right)\n",
	       getpid(),
	       mx_status_get_string(mx_object_signal(got, 0, MX_USER_SIGNAL_0)));
	CHECK(mx_object_wait_one(got, MX_EVENT_SIGNALED, MX_TIME_INFINITE,
				 &observed));
	printf("parent %d: event signalled by the child (observed 0x%x)\n",
	       getpid(), observed);
	CHECK(mx_handle_close(got));
	CHECK(mx_handle_close(a));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "child failed\n");
		return 1;
	}
	printf("parent %d: done\n", getpid());
	return 0;
}
