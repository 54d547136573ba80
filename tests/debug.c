// SPDX-License-Identifier: MIT
/*
 * Debugger access to another process's handles: mx_debug_list_handles(),
 * mx_debug_copy_handle() and their by-pid forms. Who may (a process handle
 * with ENUMERATE / ENUMERATE|DESTROY, or CAP_SYS_PTRACE for a pid), what
 * they see (the table, then what is in transit in its channels), what a
 * copy gets, and that refusals say nothing and leave nothing behind.
 *
 * The tests run as root; the unprivileged cases setuid() to nobody in a
 * child.
 */
#include "mxtest.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>

#define NOBODY		65534
#define MAXREC		256

#define COPY_RIGHTS	(MX_RIGHT_ENUMERATE | MX_RIGHT_DESTROY)

static mx_debug_handle_t recs[MAXREC];

/* List @process (or @pid if it is MX_HANDLE_INVALID) into recs[]. */
static mx_status_t list(mx_handle_t process, pid_t pid,
			mx_debug_process_t *info, size_t *actual,
			size_t *avail)
{
	memset(recs, 0xa5, sizeof(recs));
	if (process != MX_HANDLE_INVALID)
		return mx_debug_list_handles(process, info, recs, MAXREC,
					     actual, avail);
	return mx_debug_list_handles_pid(pid, info, recs, MAXREC, actual,
					 avail);
}

/* The record of the table's handle @value; fails if there is none. */
static const mx_debug_handle_t *find(size_t n, mx_handle_t value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(recs[i].flags & MX_DEBUG_HANDLE_IN_TRANSIT) &&
		    recs[i].value == value)
			return &recs[i];
	FAIL("handle %d is not in the listing", value);
	return NULL;
}

/* A value that names no handle: one just closed. */
static mx_handle_t closed_handle(void)
{
	mx_handle_t h = mxt_event();

	ASSERT_OK(mx_handle_close(h));
	return h;
}

/* Handles in the caller's own table, by listing itself. */
static size_t own_handles(void)
{
	mx_debug_process_t info;

	ASSERT_OK(mx_debug_list_handles(mx_process_self(), &info, NULL, 0,
					NULL, NULL));
	return info.handles;
}

/* A record matches what MX_INFO_HANDLE_BASIC says of our handle @h. */
static void assert_matches(const mx_debug_handle_t *r, mx_handle_t h)
{
	mx_info_handle_basic_t b = mxt_basic(h);

	ASSERT_EQ(r->value, h);
	ASSERT_EQ(r->flags, 0);
	ASSERT_EQ(r->koid, b.koid);
	ASSERT_EQ(r->rights, b.rights);
	ASSERT_EQ(r->type, b.type);
	ASSERT_EQ(r->related_koid, b.related_koid);
}

TEST(list_self_shows_table_and_handles_in_transit)
{
	mx_handle_t ev = mxt_event(), a, b, ro, self = mx_process_self();
	mx_debug_process_t info;
	size_t actual, avail, i, table;
	mx_koid_t ev_koid = mxt_basic(ev).koid;
	const mx_debug_handle_t *r;
	int in_transit = 0;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ro = mxt_dup(ev, MX_RIGHT_READ | MX_RIGHT_TRANSFER);
	ASSERT_OK(mx_channel_write(a, 0, "x", 1, &ro, 1));
	ASSERT_OK(mx_channel_write(a, 0, "yy", 2, NULL, 0));

	memset(&info, 0xa5, sizeof(info));
	ASSERT_OK(list(self, 0, &info, &actual, &avail));
	table = info.handles;
	ASSERT_EQ(actual, avail);
	ASSERT_EQ(avail, table + 1);
	ASSERT_EQ(info.in_transit, 1);
	ASSERT_EQ(info.koid, mxt_basic(self).koid);
	ASSERT_EQ(info.pid, getpid());
	ASSERT_EQ(info.dead, 0);
	ASSERT_EQ(strcmp(info.name, "debug"), 0);
	/* self, job, event, two endpoints */
	ASSERT_EQ(table, 5);

	assert_matches(find(actual, self), self);
	assert_matches(find(actual, mx_job_default()), mx_job_default());
	assert_matches(r = find(actual, ev), ev);
	ASSERT_EQ(r->queued_msgs, 0);
	assert_matches(r = find(actual, a), a);
	ASSERT_EQ(r->queued_msgs, 0);
	ASSERT_EQ(r->queued_handles, 0);
	assert_matches(r = find(actual, b), b);
	ASSERT_EQ(r->queued_msgs, 2);
	ASSERT_EQ(r->queued_handles, 1);

	/* The table comes first, then what is in transit. */
	for (i = 0; i < actual; i++) {
		if (!(recs[i].flags & MX_DEBUG_HANDLE_IN_TRANSIT)) {
			ASSERT_EQ(in_transit, 0);
			continue;
		}
		in_transit++;
		ASSERT_EQ(recs[i].flags, MX_DEBUG_HANDLE_IN_TRANSIT);
		ASSERT_EQ(recs[i].value, b);
		ASSERT_EQ(recs[i].koid, ev_koid);
		ASSERT_EQ(recs[i].type, MX_OBJ_TYPE_EVENT);
		ASSERT_EQ(recs[i].rights, MX_RIGHT_READ | MX_RIGHT_TRANSFER);
		ASSERT_EQ(recs[i].related_koid, 0);
		ASSERT_EQ(recs[i].queued_msgs, 0);
		ASSERT_EQ(recs[i].queued_handles, 0);
	}
	ASSERT_EQ(in_transit, 1);
	/* Nothing written past what was reported. */
	ASSERT_EQ(recs[actual].value, (mx_handle_t)0xa5a5a5a5);
}

TEST(list_reports_what_did_not_fit)
{
	mx_debug_process_t info;
	size_t actual = 99, avail = 0;

	mxt_event();
	mxt_event();
	memset(recs, 0xa5, sizeof(recs));
	ASSERT_OK(mx_debug_list_handles(mx_process_self(), &info, recs, 2,
					&actual, &avail));
	ASSERT_EQ(actual, 2);
	ASSERT_EQ(avail, 4);
	ASSERT_EQ(recs[2].value, (mx_handle_t)0xa5a5a5a5);
	ASSERT_OK(mx_debug_list_handles(mx_process_self(), NULL, NULL, 0,
					&actual, &avail));
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(avail, 4);
}

TEST(list_and_copy_need_a_process_handle_with_rights)
{
	mx_handle_t self = mx_process_self(), ev = mxt_event(), out;
	mx_handle_t r_only = mxt_dup(self, MX_RIGHT_READ);
	mx_handle_t enum_only = mxt_dup(self, MX_RIGHT_ENUMERATE);
	mx_handle_t destroy_only = mxt_dup(self, MX_RIGHT_DESTROY);
	mx_handle_t both = mxt_dup(self, COPY_RIGHTS);
	size_t before;

	ASSERT_STATUS(mx_debug_list_handles(MX_HANDLE_INVALID, NULL, recs,
					    MAXREC, NULL, NULL),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(list(closed_handle(), 0, NULL, NULL, NULL),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(list(r_only, 0, NULL, NULL, NULL),
		      MX_ERR_ACCESS_DENIED);
	/* Magenta's order: rights, then type. */
	ASSERT_STATUS(list(ev, 0, NULL, NULL, NULL), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(list(mx_job_default(), 0, NULL, NULL, NULL),
		      MX_ERR_WRONG_TYPE);
	ASSERT_OK(list(enum_only, 0, NULL, NULL, NULL));

	before = own_handles();
	out = 12345;
	ASSERT_STATUS(mx_debug_copy_handle(enum_only, ev, MX_RIGHT_SAME_RIGHTS,
					   &out), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_debug_copy_handle(destroy_only, ev,
					   MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_debug_copy_handle(ev, ev, MX_RIGHT_SAME_RIGHTS,
					   &out), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_debug_copy_handle(mx_job_default(), ev,
					   MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_WRONG_TYPE);
	ASSERT_EQ(out, 12345);
	ASSERT_EQ(own_handles(), before);
	ASSERT_OK(mx_debug_copy_handle(both, ev, MX_RIGHT_SAME_RIGHTS, &out));
	ASSERT_EQ(mxt_basic(out).koid, mxt_basic(ev).koid);
	ASSERT_EQ(own_handles(), before + 1);
}

TEST(copy_checks_the_source_handle)
{
	mx_handle_t self = mx_process_self(), ev = mxt_event(), out, nodup;
	mx_koid_t koid = mxt_basic(ev).koid;
	size_t before;

	nodup = mxt_dup(ev, MX_RIGHT_READ | MX_RIGHT_TRANSFER);
	before = own_handles();
	out = 777;
	ASSERT_STATUS(mx_debug_copy_handle(self, closed_handle(),
					   MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_debug_copy_handle(self, MX_HANDLE_INVALID,
					   MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_debug_copy_handle(self, nodup, MX_RIGHT_READ, &out),
		      MX_ERR_ACCESS_DENIED);
	/* Never more rights than the source has. */
	ASSERT_STATUS(mx_debug_copy_handle(self, mxt_dup(ev, MX_RIGHT_DUPLICATE |
							 MX_RIGHT_READ),
					   MX_RIGHT_READ | MX_RIGHT_WRITE,
					   &out), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(out, 777);
	/* An unwritable out makes no handle. */
	ASSERT_STATUS(mx_debug_copy_handle(self, ev, MX_RIGHT_SAME_RIGHTS,
					   (mx_handle_t *)mxt_read_only_page()),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(own_handles(), before + 1);

	ASSERT_OK(mx_debug_copy_handle(self, ev, MX_RIGHT_READ |
				       MX_RIGHT_DUPLICATE, &out));
	ASSERT_EQ(mxt_basic(out).koid, koid);
	ASSERT_EQ(mxt_basic(out).rights, MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	ASSERT_NE(out, ev);
	/* The source is left as it was. */
	ASSERT_EQ(mxt_basic(ev).rights, MX_DEFAULT_EVENT_RIGHTS);
	ASSERT_OK(mx_debug_copy_handle(self, ev, MX_RIGHT_SAME_RIGHTS, &out));
	ASSERT_EQ(mxt_basic(out).rights, MX_DEFAULT_EVENT_RIGHTS);
}

/*
 * A child process that sends the parent a handle to itself and what it
 * holds, then waits until the parent closes its end of their channel.
 */
struct report {
	mx_handle_t ev;		/* in the child's table */
	mx_handle_t nodup;	/* the same event without DUPLICATE */
	mx_koid_t koid;
};

struct kid {
	pid_t pid;
	mx_handle_t ch;		/* the parent's end */
	mx_handle_t proc;	/* the child's process handle */
	struct report rep;
};

static void start_kid(struct kid *k)
{
	mx_handle_t a, b, proc;
	uint32_t nb, nh;
	int fd;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_handle_to_fd(b, 0, &fd));
	k->pid = mxt_fork();
	if (k->pid == 0) {
		struct report rep;
		mx_handle_t ch;

		if (mx_handle_from_fd(fd, &ch) != MX_OK ||
		    mx_event_create(0, &rep.ev) != MX_OK ||
		    mx_handle_duplicate(rep.ev, MX_RIGHT_READ, &rep.nodup) ||
		    mx_handle_duplicate(mx_process_self(),
					MX_RIGHT_SAME_RIGHTS, &proc))
			_exit(2);
		rep.koid = mxt_basic(rep.ev).koid;
		if (mx_channel_write(ch, 0, &rep, sizeof(rep), &proc, 1))
			_exit(3);
		mx_object_wait_one(ch, MX_CHANNEL_PEER_CLOSED,
				   MX_TIME_INFINITE, NULL);
		_exit(0);
	}
	close(fd);
	k->ch = a;
	ASSERT_OK(mx_object_wait_one(a, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
				     NULL));
	ASSERT_OK(mx_channel_read(a, 0, &k->rep, &k->proc, sizeof(k->rep), 1,
				  &nb, &nh));
	ASSERT_EQ(nb, sizeof(k->rep));
	ASSERT_EQ(nh, 1);
}

static void stop_kid(struct kid *k)
{
	int status;

	ASSERT_OK(mx_handle_close(k->ch));
	ASSERT_EQ(waitpid(k->pid, &status, 0), k->pid);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_OK(mx_object_wait_one(k->proc, MX_TASK_TERMINATED,
				     MX_TIME_INFINITE, NULL));
}

TEST(a_process_handle_lists_and_copies_from_another_process)
{
	mx_debug_process_t info;
	size_t actual, avail;
	struct kid k;
	mx_handle_t out;

	start_kid(&k);
	ASSERT_OK(list(k.proc, 0, &info, &actual, &avail));
	ASSERT_EQ(info.pid, k.pid);
	ASSERT_EQ(info.koid, mxt_basic(k.proc).koid);
	/* self, job, its end, the event, its duplicate */
	ASSERT_EQ(info.handles, 5);
	ASSERT_EQ(info.in_transit, 0);
	ASSERT_EQ(actual, 5);
	ASSERT_EQ(find(actual, k.rep.ev)->koid, k.rep.koid);
	ASSERT_EQ(find(actual, k.rep.ev)->rights, MX_DEFAULT_EVENT_RIGHTS);
	ASSERT_EQ(find(actual, k.rep.nodup)->rights, MX_RIGHT_READ);

	ASSERT_OK(mx_debug_copy_handle(k.proc, k.rep.ev, MX_RIGHT_SAME_RIGHTS,
				       &out));
	ASSERT_EQ(mxt_basic(out).koid, k.rep.koid);
	ASSERT_EQ(mxt_basic(out).rights, MX_DEFAULT_EVENT_RIGHTS);
	/* The copy names the child's event: signal it here, see it there. */
	ASSERT_OK(mx_object_signal(out, 0, MX_EVENT_SIGNALED));
	ASSERT_STATUS(mx_debug_copy_handle(k.proc, k.rep.nodup,
					   MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_ACCESS_DENIED);
	/* A value of ours means nothing in the child's table. */
	ASSERT_STATUS(mx_debug_copy_handle(k.proc, k.ch, MX_RIGHT_SAME_RIGHTS,
					   &out), MX_ERR_BAD_HANDLE);
	/* The child's table is as it was. */
	ASSERT_OK(list(k.proc, 0, &info, &actual, &avail));
	ASSERT_EQ(info.handles, 5);

	stop_kid(&k);
	ASSERT_STATUS(list(k.proc, 0, &info, &actual, &avail),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_debug_copy_handle(k.proc, k.rep.ev,
					   MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_BAD_STATE);
}

TEST(root_lists_and_copies_by_pid)
{
	mx_debug_process_t info;
	size_t actual, avail;
	struct kid k;
	mx_handle_t out;

	start_kid(&k);
	ASSERT_OK(list(MX_HANDLE_INVALID, k.pid, &info, &actual, &avail));
	ASSERT_EQ(info.koid, mxt_basic(k.proc).koid);
	ASSERT_EQ(info.handles, 5);
	ASSERT_OK(mx_debug_copy_handle_pid(k.pid, k.rep.ev, MX_RIGHT_READ,
					   &out));
	ASSERT_EQ(mxt_basic(out).koid, k.rep.koid);
	ASSERT_EQ(mxt_basic(out).rights, MX_RIGHT_READ);
	/* Itself by pid, too. */
	ASSERT_OK(list(MX_HANDLE_INVALID, getpid(), &info, &actual, &avail));
	ASSERT_EQ(info.koid, mxt_basic(mx_process_self()).koid);
	stop_kid(&k);
	/* Gone and reaped: no such pid. */
	ASSERT_STATUS(list(MX_HANDLE_INVALID, k.pid, &info, &actual, &avail),
		      MX_ERR_NOT_FOUND);
	ASSERT_STATUS(mx_debug_list_handles_pid(0, NULL, NULL, 0, NULL, NULL),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_debug_list_handles_pid(-1, NULL, NULL, 0, NULL,
						NULL), MX_ERR_INVALID_ARGS);
}

/* A process that never used mx, alive until its pipe closes. */
static pid_t start_plain(int *wfd)
{
	int fds[2];
	pid_t pid;
	char c;

	ASSERT_EQ(pipe(fds), 0);
	pid = mxt_fork();
	if (pid == 0) {
		close(fds[1]);
		if (read(fds[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[0]);
	*wfd = fds[1];
	return pid;
}

static void stop_plain(pid_t pid, int wfd)
{
	close(wfd);
	ASSERT_EQ(waitpid(pid, NULL, 0), pid);
}

TEST(a_pid_that_does_not_use_mx_is_not_found)
{
	int wfd;
	pid_t pid = start_plain(&wfd);

	ASSERT_STATUS(mx_debug_list_handles_pid(pid, NULL, NULL, 0, NULL,
						NULL), MX_ERR_NOT_FOUND);
	ASSERT_STATUS(mx_debug_copy_handle_pid(pid, 1, MX_RIGHT_SAME_RIGHTS,
					       &(mx_handle_t){ 0 }),
		      MX_ERR_NOT_FOUND);
	stop_plain(pid, wfd);
}

struct unpriv {
	pid_t target;		/* an mx process of root's */
	pid_t plain;		/* a process of root's that does not use mx */
	pid_t nobody;		/* an mx process of nobody's */
	int proc_fd;		/* a handle to the target's process, as an fd */
	mx_handle_t ev;		/* a handle in the target's table */
};

static void unprivileged(void *arg)
{
	struct unpriv *u = arg;
	mx_debug_process_t info;
	mx_handle_t out = 4242, proc;
	size_t actual = 99, avail = 99;

	mxt_become(NOBODY);
	ASSERT_EQ(geteuid(), NOBODY);
	memset(&info, 0xa5, sizeof(info));
	memset(recs, 0xa5, sizeof(recs));
	/* By pid: refused, whether or not the target uses mx. */
	ASSERT_STATUS(mx_debug_list_handles_pid(u->target, &info, recs, MAXREC,
						&actual, &avail),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_debug_list_handles_pid(u->plain, &info, recs, MAXREC,
						&actual, &avail),
		      MX_ERR_ACCESS_DENIED);
	/* Same uid is not enough. */
	ASSERT_STATUS(mx_debug_list_handles_pid(u->nobody, &info, recs,
						MAXREC, &actual, &avail),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_debug_copy_handle_pid(u->target, u->ev,
					       MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_debug_copy_handle_pid(u->plain, u->ev,
					       MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_ACCESS_DENIED);
	/* Nothing came back through the refusals. */
	ASSERT_EQ(out, 4242);
	ASSERT_EQ(actual, 99);
	ASSERT_EQ(avail, 99);
	ASSERT_EQ(info.koid, 0xa5a5a5a5a5a5a5a5ull);
	ASSERT_EQ(recs[0].koid, 0xa5a5a5a5a5a5a5a5ull);
	/* Our own table holds only what every process has. */
	ASSERT_EQ(own_handles(), 2);

	/* A process handle is the capability, whoever holds it. */
	ASSERT_OK(mx_handle_from_fd(u->proc_fd, &proc));
	ASSERT_OK(list(proc, 0, &info, &actual, &avail));
	ASSERT_EQ(info.pid, u->target);
	ASSERT_OK(mx_debug_copy_handle(proc, u->ev, MX_RIGHT_SAME_RIGHTS,
				       &out));
	ASSERT_EQ(mxt_basic(out).type, MX_OBJ_TYPE_EVENT);
	ASSERT_OK(mx_handle_replace(proc, MX_RIGHT_READ, &proc));
	ASSERT_STATUS(list(proc, 0, &info, &actual, &avail),
		      MX_ERR_ACCESS_DENIED);
}

TEST(unprivileged_callers_need_a_process_handle)
{
	struct unpriv u;
	mx_handle_t dup;
	int wfd, fds[2], sync[2];
	char c;

	u.target = getpid();
	u.ev = mxt_event();
	u.plain = start_plain(&wfd);
	ASSERT_EQ(pipe(fds), 0);
	ASSERT_EQ(pipe(sync), 0);
	u.nobody = mxt_fork();
	if (u.nobody == 0) {
		close(fds[1]);
		close(sync[0]);
		if (setgid(NOBODY) || setuid(NOBODY))
			_exit(1);
		mx_process_self();
		if (write(sync[1], "x", 1) != 1 || read(fds[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[0]);
	close(sync[1]);
	/* The nobody process is attached to mx before the checks. */
	ASSERT_EQ(read(sync[0], &c, 1), 1);
	dup = mxt_dup(mx_process_self(), MX_DEFAULT_PROCESS_RIGHTS);
	ASSERT_OK(mx_handle_to_fd(dup, 0, &u.proc_fd));
	mxt_in_child(unprivileged, &u);
	close(fds[1]);
	ASSERT_EQ(waitpid(u.nobody, NULL, 0), u.nobody);
	stop_plain(u.plain, wfd);
}

/* The raw ABI: fields libmx never sets wrong. */
TEST(bad_arguments_at_the_ioctl)
{
	struct mx_ioc_debug_list l = { 0 };
	struct mx_ioc_debug_copy c = { 0 };
	mx_handle_t self = mx_process_self(), ev = mxt_event(), out = 0;
	int fd = open("/dev/mx", O_RDWR | O_CLOEXEC);

	ASSERT_TRUE(fd >= 0);
	/* Both a handle and a pid. */
	l.process = self;
	l.pid = getpid();
	ASSERT_EQ(ioctl(fd, MX_IOC_DEBUG_LIST_HANDLES, &l),
		  -MX_ERR_INVALID_ARGS);
	/* Neither. */
	l.process = MX_HANDLE_INVALID;
	l.pid = 0;
	ASSERT_EQ(ioctl(fd, MX_IOC_DEBUG_LIST_HANDLES, &l),
		  -MX_ERR_INVALID_ARGS);
	l.process = self;
	l.options = 1;
	ASSERT_EQ(ioctl(fd, MX_IOC_DEBUG_LIST_HANDLES, &l),
		  -MX_ERR_INVALID_ARGS);
	l.options = 0;
	l.count = MAXREC;
	l.buffer = (uintptr_t)mxt_read_only_page();
	ASSERT_EQ(ioctl(fd, MX_IOC_DEBUG_LIST_HANDLES, &l),
		  -MX_ERR_INVALID_ARGS);
	l.buffer = 0;
	l.count = 0;
	l.avail = (uintptr_t)mxt_read_only_page();
	ASSERT_EQ(ioctl(fd, MX_IOC_DEBUG_LIST_HANDLES, &l),
		  -MX_ERR_INVALID_ARGS);
	l.avail = 0;
	ASSERT_EQ(ioctl(fd, MX_IOC_DEBUG_LIST_HANDLES, &l), 0);
	ASSERT_EQ(ioctl(fd, MX_IOC_DEBUG_LIST_HANDLES, NULL),
		  -MX_ERR_INVALID_ARGS);

	c.process = self;
	c.handle = ev;
	c.rights = MX_RIGHT_SAME_RIGHTS;
	c.out = (uintptr_t)&out;
	c.pad = 1;
	ASSERT_EQ(ioctl(fd, MX_IOC_DEBUG_COPY_HANDLE, &c),
		  -MX_ERR_INVALID_ARGS);
	c.pad = 0;
	c.options = 1;
	ASSERT_EQ(ioctl(fd, MX_IOC_DEBUG_COPY_HANDLE, &c),
		  -MX_ERR_INVALID_ARGS);
	c.options = 0;
	c.pid = getpid();
	ASSERT_EQ(ioctl(fd, MX_IOC_DEBUG_COPY_HANDLE, &c),
		  -MX_ERR_INVALID_ARGS);
	c.pid = 0;
	ASSERT_EQ(out, 0);
	ASSERT_EQ(ioctl(fd, MX_IOC_DEBUG_COPY_HANDLE, &c), 0);
	ASSERT_EQ(mxt_basic(out).koid, mxt_basic(ev).koid);
	close(fd);
}

/* Run @cmd, its output in @out; return its exit status. */
static int run_cmd(const char *cmd, char *out, size_t size)
{
	size_t n;
	FILE *f;
	int st;

	fflush(NULL);
	f = popen(cmd, "r");
	ASSERT_TRUE(f != NULL);
	n = fread(out, 1, size - 1, f);
	out[n] = '\0';
	st = pclose(f);
	ASSERT_TRUE(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* The line of @out that starts with @start, NUL-terminated in @line. */
static int find_line(const char *out, const char *start, char *line,
		     size_t size)
{
	const char *p = out;
	size_t len = strlen(start), n;

	while (p && *p) {
		if (strncmp(p, start, len) == 0) {
			n = strcspn(p, "\n");
			if (n >= size)
				n = size - 1;
			memcpy(line, p, n);
			line[n] = '\0';
			return 1;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

/*
 * mxls, as installed in the VM, shows a process's handles, one row each,
 * and a handle in transit on a row under its channel's.
 */
TEST(mxls_lists_a_process)
{
	mx_handle_t a, b, ev = mxt_event();
	char cmd[160], out[8192], want[128], line[256];
	uint64_t koid = mxt_basic(mx_process_self()).koid;

	if (access("/examples/mxls", X_OK))
		SKIP("no /examples/mxls");
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_write(a, 0, "x", 1, &ev, 1));

	/* The default columns, with headings. */
	snprintf(cmd, sizeof(cmd), "/examples/mxls %d", getpid());
	ASSERT_EQ(run_cmd(cmd, out, sizeof(out)), 0);
	if (!strstr(out, "COMMAND") || !strstr(out, "HANDLE") ||
	    !strstr(out, "RIGHTS") || !strstr(out, "1 msg, 1 handle") ||
	    !strstr(out, "dtrw--gsek--") || !strstr(out, "`-msg 0"))
		FAIL("unexpected mxls output:\n%s", out);

	/* Raw, no headings, chosen columns: one row per handle. */
	snprintf(cmd, sizeof(cmd),
		 "/examples/mxls -rn -o PID,PKOID,TYPE,MSGS,MSG,COMMAND -p %d",
		 getpid());
	ASSERT_EQ(run_cmd(cmd, out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%d %" PRIu64 " process   debug\n"
		 "%d %" PRIu64 " job   debug\n", getpid(), koid, getpid(),
		 koid);
	if (strncmp(out, want, strlen(want)))
		FAIL("mxls -rn -o ...: want first\n%sgot\n%s", want, out);
	snprintf(want, sizeof(want), "%d %" PRIu64 " channel 1  debug",
		 getpid(), koid);
	ASSERT_TRUE(find_line(out, want, line, sizeof(line)));
	snprintf(want, sizeof(want), "%d %" PRIu64 " event  0 debug",
		 getpid(), koid);
	ASSERT_TRUE(find_line(out, want, line, sizeof(line)));

	/* JSON: numbers as numbers, the handle in transit as a child. */
	snprintf(cmd, sizeof(cmd), "/examples/mxls -J -o PID,HANDLE,TYPE -p %d",
		 getpid());
	ASSERT_EQ(run_cmd(cmd, out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "\"pid\": %d,", getpid());
	if (strncmp(out, "{\n   \"handles\": [", strlen("{\n   \"handles\": [")) ||
	    !strstr(out, want) ||
	    !strstr(out, "\"children\": [") ||
	    !strstr(out, "\"handle\": \"msg 0\",") ||
	    !strstr(out, "\"type\": \"event\""))
		FAIL("unexpected mxls -J output:\n%s", out);
}

TEST(mxls_all_lists_every_mx_process)
{
	char out[16384], want[64], line[256];
	struct kid k;

	if (access("/examples/mxls", X_OK))
		SKIP("no /examples/mxls");
	start_kid(&k);
	/* With no pid, as with --all: every mx process but mxls. */
	ASSERT_EQ(run_cmd("/examples/mxls -rn -o PID,TYPE,COMMAND", out,
			  sizeof(out)), 0);
	snprintf(want, sizeof(want), "%d process debug", getpid());
	if (!find_line(out, want, line, sizeof(line)))
		FAIL("this process is not in:\n%s", out);
	snprintf(want, sizeof(want), "%d process debug", k.pid);
	if (!find_line(out, want, line, sizeof(line)))
		FAIL("the child is not in:\n%s", out);
	ASSERT_EQ(run_cmd("/examples/mxls --all -rn -o PID,TYPE,COMMAND", line,
			  sizeof(line)) == 0 && strlen(line) > 0, 1);
	stop_kid(&k);
}

/* A process name that is not ASCII comes out as the UTF-8 it is. */
TEST(mxls_json_keeps_a_utf8_name)
{
	static const char name[] = "h\xc3\xa9llo-\xe2\x9c\x93";
	char cmd[128], out[8192], want[64];

	if (access("/examples/mxls", X_OK))
		SKIP("no /examples/mxls");
	ASSERT_EQ(prctl(PR_SET_NAME, name), 0);
	mx_process_self();
	snprintf(cmd, sizeof(cmd), "/examples/mxls -J -o COMMAND -p %d",
		 getpid());
	ASSERT_EQ(run_cmd(cmd, out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "\"command\": \"%s\"", name);
	if (!strstr(out, want))
		FAIL("want %s in:\n%s", want, out);
}

/* Usage errors exit 2; the version names the release. */
TEST(mxls_options_like_util_linux)
{
	char out[4096];

	if (access("/examples/mxls", X_OK))
		SKIP("no /examples/mxls");
	ASSERT_EQ(run_cmd("/examples/mxls -o NOSUCH 2>&1", out, sizeof(out)),
		  2);
	ASSERT_TRUE(strstr(out, "unknown column: NOSUCH") != NULL);
	ASSERT_EQ(run_cmd("/examples/mxls --bogus 2>/dev/null", out,
			  sizeof(out)), 2);
	ASSERT_EQ(run_cmd("/examples/mxls --all 1 2>&1", out, sizeof(out)), 2);
	ASSERT_EQ(run_cmd("/examples/mxls -V", out, sizeof(out)), 0);
	ASSERT_EQ(strncmp(out, "mxls from mx ", 13), 0);
	ASSERT_EQ(run_cmd("/examples/mxls -H", out, sizeof(out)), 0);
	ASSERT_TRUE(strstr(out, "RIGHTSMASK") != NULL);
	ASSERT_EQ(run_cmd("/examples/mxls -p 0 2>&1", out, sizeof(out)), 1);
	ASSERT_TRUE(strstr(out, "mxls: 0: not a pid") != NULL);
}

TEST(mxls_as_nobody_is_refused)
{
	char cmd[128], out[4096];

	if (access("/examples/mxls", X_OK))
		SKIP("no /examples/mxls");
	int st;

	mx_process_self();
	fflush(NULL);
	if (fork() == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(9);
		snprintf(cmd, sizeof(cmd), "/examples/mxls %d 2>&1",
			 getppid());
		_exit(run_cmd(cmd, out, sizeof(out)) == 1 &&
		      strstr(out, "MX_ERR_ACCESS_DENIED") &&
		      !strstr(out, "HANDLE") ? 0 : 1);
	}
	ASSERT_TRUE(wait(&st) > 0);
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_EQ(WEXITSTATUS(st), 0);
}

TEST(get_info_handle_table_lists_as_the_debug_call)
{
	mx_handle_t self = mx_process_self(), ev = mxt_event(), a, b;
	mx_debug_handle_t tab[16];
	size_t actual = 99, avail = 99, n, i;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_write(a, 0, "x", 1, &ev, 1));
	ASSERT_OK(list(self, 0, NULL, &n, NULL));
	memset(tab, 0x5a, sizeof(tab));
	ASSERT_OK(mx_object_get_info(self, MX_INFO_HANDLE_TABLE, tab,
				     sizeof(tab), &actual, &avail));
	ASSERT_EQ(actual, n);
	ASSERT_EQ(avail, n);
	/* self, job, two endpoints; the event in transit */
	ASSERT_EQ(n, 5);
	for (i = 0; i < n; i++)
		ASSERT_EQ(memcmp(&tab[i], &recs[i], sizeof(tab[i])), 0);
	/* As many as fit, and MX_OK. */
	ASSERT_OK(mx_object_get_info(self, MX_INFO_HANDLE_TABLE, tab,
				     sizeof(tab[0]) * 2 + 1, &actual, &avail));
	ASSERT_EQ(actual, 2);
	ASSERT_EQ(avail, 5);
	ASSERT_STATUS(mx_object_get_info(mxt_dup(self, MX_RIGHT_READ),
					 MX_INFO_HANDLE_TABLE, tab,
					 sizeof(tab), &actual, &avail),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_info(mx_job_default(),
					 MX_INFO_HANDLE_TABLE, tab,
					 sizeof(tab), &actual, &avail),
		      MX_ERR_WRONG_TYPE);
}
