// SPDX-License-Identifier: MIT
/*
 * floor: the cheapest calls, and how handle calls scale (bench.h).
 *
 *   null               an ioctl on /dev/mx that does nothing
 *                      (MX_IOC_VERSION) against getppid()
 *   close-bad          mx_handle_close of a value that is no handle
 *                      (looked up, refused) against close(-1)
 *   dupclose           mx_handle_duplicate + mx_handle_close of an event
 *                      against dup() + close() of an eventfd; also the
 *                      one-thread figure for the two -2thr/-2proc cases
 *   dupclose-at-<N>    the same with N handles (and N fds) already held:
 *                      100, 10k and the handle table's cap (262143 slots;
 *                      max_handles is raised to it for this program)
 *   dupclose-2thr      two threads of one process at once (one handle
 *                      table, one fd table), each on its own object
 *   dupclose-2proc     two processes at once (separate tables); ns per
 *                      operation of each thread, wall clock
 */
#include "bench.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CAP_HANDLES	262000	/* just under the table's 262143 slots */

static int mxfd;

static void mx_null(void *arg, uint64_t n)
{
	struct mx_ioc_version v;

	(void)arg;
	while (n--)
		if (ioctl(mxfd, MX_IOC_VERSION, &v))
			die("MX_IOC_VERSION", -1);
}

static void linux_null(void *arg, uint64_t n)
{
	(void)arg;
	while (n--)
		syscall(SYS_getppid);
}

static void mx_close_bad(void *arg, uint64_t n)
{
	(void)arg;
	while (n--)
		if (mx_handle_close(0x7ffffff1) != MX_ERR_BAD_HANDLE)
			die("mx_handle_close of no handle", 0);
}

static void linux_close_bad(void *arg, uint64_t n)
{
	(void)arg;
	while (n--)
		if (close(-1) == 0)
			die("close(-1)", 0);
}

static void mx_dupclose(void *arg, uint64_t n)
{
	mx_handle_t h = *(mx_handle_t *)arg, d;

	while (n--) {
		check(mx_handle_duplicate(h, MX_RIGHT_SAME_RIGHTS, &d),
		      "mx_handle_duplicate");
		check(mx_handle_close(d), "mx_handle_close");
	}
}

static void linux_dupclose(void *arg, uint64_t n)
{
	int fd = *(int *)arg, d;

	while (n--) {
		d = dup(fd);
		if (d < 0)
			die("dup", d);
		close(d);
	}
}

/* ---- N handles held */

static void at_child(mx_handle_t unused, void *arg)
{
	long held = (long)arg, i;
	struct rlimit rl = { held + 256, held + 256 };
	char name[64];
	mx_handle_t ev, d;
	int efd;

	(void)unused;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit", held);
	check(mx_event_create(0, &ev), "mx_event_create");
	efd = eventfd(0, 0);
	if (efd < 0)
		die("eventfd", efd);
	/* The process holds itself and its job, the event and its dups. */
	for (i = 3; i < held; i++)
		check(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &d),
		      "mx_handle_duplicate (filling the table)");
	for (i = 4; i < held; i++)	/* stdio, /dev/mx, the eventfd */
		if (dup(efd) < 0)
			die("dup (filling the fd table)", i);
	snprintf(name, sizeof(name), "dupclose-at-%s",
		 held == 100 ? "100" : held == 10000 ? "10k" : "262k");
	bench_pair(name, "dup+close", mx_dupclose, &ev, linux_dupclose, &efd);
}

/* ---- two workers at once: threads of this process or two processes */

struct worker {
	int cmd[2], done[2];	/* pipes: n to run, and "done" back */
	int is_mx, cpu;
	pthread_t thread;
};

static void worker_loop(struct worker *w)
{
	mx_handle_t h = MX_HANDLE_INVALID;
	uint64_t n;
	int fd = -1;
	char c = 'd';

	bench_pin(w->cpu);
	if (w->is_mx)
		check(mx_event_create(0, &h), "mx_event_create");
	else if ((fd = eventfd(0, 0)) < 0)
		die("eventfd", fd);
	for (;;) {
		if (read(w->cmd[0], &n, 8) != 8)
			die("worker read", -1);
		if (!n)
			break;
		if (w->is_mx)
			mx_dupclose(&h, n);
		else
			linux_dupclose(&fd, n);
		if (write(w->done[1], &c, 1) != 1)
			die("worker write", -1);
	}
	if (w->is_mx)
		mx_handle_close(h);
	else
		close(fd);
}

static void *worker_thread(void *arg)
{
	worker_loop(arg);
	return NULL;
}

static void worker_proc(mx_handle_t h, void *arg)
{
	(void)h;
	worker_loop(arg);
}

struct team {
	struct worker w[2];
	int procs;
	pid_t pid[2];
};

static void team_start(struct team *t, int is_mx, int procs)
{
	int i;

	t->procs = procs;
	for (i = 0; i < 2; i++) {
		struct worker *w = &t->w[i];

		w->is_mx = is_mx;
		w->cpu = i;
		if (pipe(w->cmd) || pipe(w->done))
			die("pipe", -1);
		if (procs)
			t->pid[i] = bench_fork(MX_HANDLE_INVALID, worker_proc,
					       w);
		else if (pthread_create(&w->thread, NULL, worker_thread, w))
			die("pthread_create", -1);
	}
}

static void team_run(void *arg, uint64_t n)
{
	struct team *t = arg;
	char c;
	int i;

	for (i = 0; i < 2; i++)
		if (write(t->w[i].cmd[1], &n, 8) != 8)
			die("team write", -1);
	for (i = 0; i < 2; i++)
		if (read(t->w[i].done[0], &c, 1) != 1)
			die("team read", -1);
}

static void team_stop(struct team *t)
{
	uint64_t zero = 0;
	int i;

	for (i = 0; i < 2; i++) {
		if (write(t->w[i].cmd[1], &zero, 8) != 8)
			die("team write", -1);
		if (t->procs)
			bench_reap(t->pid[i]);
		else
			pthread_join(t->w[i].thread, NULL);
		close(t->w[i].cmd[0]);
		close(t->w[i].cmd[1]);
		close(t->w[i].done[0]);
		close(t->w[i].done[1]);
	}
}

static void scale_case(const char *name, int procs)
{
	struct team m, l;

	team_start(&m, 1, procs);
	team_start(&l, 0, procs);
	bench_pair(name, "dup+close", team_run, &m, team_run, &l);
	team_stop(&m);
	team_stop(&l);
}

int main(void)
{
	static const long held[] = { 100, 10000, CAP_HANDLES };
	mx_handle_t ev;
	unsigned int i;
	int efd;

	bench_init("floor");
	/* Before this process's first mx call: its table takes the limit. */
	if (bench_set_param("max_handles", CAP_HANDLES + 64))
		printf("# floor: cannot raise max_handles\n");
	mxfd = open("/dev/mx", O_RDWR | O_CLOEXEC);
	if (mxfd < 0)
		die("open /dev/mx", mxfd);
	check(mx_event_create(0, &ev), "mx_event_create");
	efd = eventfd(0, 0);
	if (efd < 0)
		die("eventfd", efd);

	bench_pair("null", "getppid", mx_null, NULL, linux_null, NULL);
	bench_pair("close-bad", "close(-1)", mx_close_bad, NULL,
		   linux_close_bad, NULL);
	bench_pair("dupclose", "dup+close", mx_dupclose, &ev, linux_dupclose,
		   &efd);
	for (i = 0; i < sizeof(held) / sizeof(held[0]); i++)
		bench_reap(bench_fork(MX_HANDLE_INVALID, at_child,
				      (void *)held[i]));
	/* Waking the workers costs milliseconds under emulation. */
	bench_set_target(100000000, 21);
	scale_case("dupclose-2thr", 0);
	scale_case("dupclose-2proc", 1);
	bench_set_target(0, 0);
	return 0;
}
