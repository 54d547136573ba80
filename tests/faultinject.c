// SPDX-License-Identifier: MIT
/*
 * Every allocation an mx call makes, failed in turn.
 *
 * For each call below, the case runs it again and again with
 * /proc/thread-self/fail-nth set to 1, 2, 3, ...: the Nth allocation of
 * the calling thread fails (failslab and fail_page_alloc, opened up to
 * GFP_KERNEL allocations for the duration), until a run sees no injected
 * failure and succeeds. Each injected failure must give MX_ERR_NO_MEMORY
 * (or MX_OK, where the kernel had a fallback) and leave nothing made:
 * outputs untouched, handles passed in still owned, no message queued,
 * nothing charged to the user (checked with max_user_objects at the end,
 * and with max_user_vmo_pages after the VMO calls);
 * kmemleak after rmmod and KASAN check the rest.
 *
 * Needs a kernel with CONFIG_FAULT_INJECTION_DEBUG_FS, FAILSLAB and
 * FAIL_PAGE_ALLOC (the debug kernel); skipped elsewhere.
 */
#include "mxtest.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <stdbool.h>
#include <sys/stat.h>

#define FI_DIR		"/sys/kernel/debug"
#define FI_PARAM	"/sys/module/mx/parameters/max_user_objects"
#define FI_UID		4242

static int fi_fd = -1;
/* Shared with the children some calls run in. */
static unsigned int *fi_count;
#define fi_points	fi_count[0]	/* injected failures */
#define fi_fallbacks	fi_count[1]	/* ... after which the call succeeded */

static void get_str(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0 || (r = read(fd, buf, n - 1)) < 0)
		FAIL("reading %s: %s", path, strerror(errno));
	buf[r] = 0;
	close(fd);
}

/* The knobs opened up, and their values before, restored at the end. */
static const char *const fi_knobs[][2] = {
	{ FI_DIR "/failslab/ignore-gfp-wait", "N" },
	{ FI_DIR "/failslab/verbose", "0" },
	{ FI_DIR "/fail_page_alloc/ignore-gfp-wait", "N" },
	{ FI_DIR "/fail_page_alloc/min-order", "0" },
	{ FI_DIR "/fail_page_alloc/verbose", "0" },
};
#define FI_NKNOBS (sizeof(fi_knobs) / sizeof(fi_knobs[0]))
static char fi_saved[FI_NKNOBS][32];

static void fi_restore(void)
{
	for (size_t i = 0; i < FI_NKNOBS; i++)
		if (fi_saved[i][0])
			mxt_put_file(fi_knobs[i][0], fi_saved[i]);
}

static void fi_setup(void)
{
	if (access("/proc/thread-self/fail-nth", F_OK) ||
	    access(FI_DIR "/failslab/ignore-gfp-wait", F_OK) ||
	    access(FI_DIR "/fail_page_alloc/min-order", F_OK))
		SKIP("no failslab / fail_page_alloc / fail-nth in this kernel");
	for (size_t i = 0; i < FI_NKNOBS; i++) {
		get_str(fi_knobs[i][0], fi_saved[i], sizeof(fi_saved[i]));
		mxt_put_file(fi_knobs[i][0], fi_knobs[i][1]);
	}
	atexit(fi_restore);
	fi_count = mmap(NULL, 2 * sizeof(*fi_count), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fi_count == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	fi_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fi_fd < 0)
		FAIL("open fail-nth: %s", strerror(errno));
}

static void fi_set(unsigned int nth)
{
	char b[16];
	int n = snprintf(b, sizeof(b), "%u", nth);

	if (pwrite(fi_fd, b, (size_t)n, 0) != n)
		FAIL("fail-nth: %s", strerror(errno));
}

/* True when the failure set up by fi_set() was injected. */
static bool fi_injected(void)
{
	char b[16] = "";

	if (pread(fi_fd, b, sizeof(b) - 1, 0) <= 0)
		FAIL("fail-nth: %s", strerror(errno));
	fi_set(0);
	return atoi(b) == 0;
}

/*
 * A call under test: @call runs it (the only syscall it makes after the
 * fail-nth write is the mx call itself) and returns its status;
 * @after_fail checks that a failed run left nothing; @undo cleans up a
 * successful run so the next one starts from the same state.
 */
struct fi_call {
	const char *name;
	mx_status_t (*call)(void *ctx);
	void (*after_fail)(void *ctx);
	void (*undo)(void *ctx);
	bool allocates_nothing;	/* moves what exists: nothing to fail */
};

static void fi_loop(const struct fi_call *c, void *ctx)
{
	unsigned int nth, points = 0;
	mx_status_t s;

	for (nth = 1; nth < 10000; nth++) {
		fi_set(nth);
		s = c->call(ctx);
		if (!fi_injected()) {
			if (s != MX_OK)
				FAIL("%s: %s with no failure injected", c->name,
				     mx_status_get_string(s));
			c->undo(ctx);
			printf("# %s: %u allocation failures injected\n",
			       c->name, points);
			if (!points && !c->allocates_nothing)
				FAIL("%s: no allocation to fail", c->name);
			if (points && c->allocates_nothing)
				FAIL("%s: allocates after all", c->name);
			fi_points += points;
			return;
		}
		points++;
		if (s == MX_OK) {
			/* the kernel had a fallback for this one */
			fi_fallbacks++;
			c->undo(ctx);
			continue;
		}
		if (s != MX_ERR_NO_MEMORY)
			FAIL("%s: failure %u gave %s, not MX_ERR_NO_MEMORY",
			     c->name, nth, mx_status_get_string(s));
		c->after_fail(ctx);
	}
	FAIL("%s: still failing after %u allocations", c->name, nth);
}

/* ---- the calls */

struct fi_ctx {
	mx_handle_t out[2];
	mx_handle_t ch[2];
	mx_handle_t ev;
	mx_handle_t port;
	int fd;
	char bytes[8192];
	char big[65536];
	mx_handle_t hs[4];
	mx_wait_item_t items[8];
	uint32_t nbytes, nhandles;
};

static struct fi_ctx X;

static void out_untouched(void *ctx)
{
	struct fi_ctx *c = ctx;

	ASSERT_EQ(c->out[0], (mx_handle_t)0x5a5a);
	ASSERT_EQ(c->out[1], (mx_handle_t)0x5a5a);
}

static void close_outs(void *ctx)
{
	struct fi_ctx *c = ctx;

	ASSERT_OK(mx_handle_close(c->out[0]));
	if (c->out[1] != 0x5a5a)
		ASSERT_OK(mx_handle_close(c->out[1]));
	c->out[0] = c->out[1] = 0x5a5a;
}

static void nothing(void *ctx)
{
	(void)ctx;
}

static mx_status_t do_event(void *ctx)
{
	return mx_event_create(0, &((struct fi_ctx *)ctx)->out[0]);
}

static mx_status_t do_eventpair(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_eventpair_create(0, &c->out[0], &c->out[1]);
}

static mx_status_t do_channel(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_channel_create(0, &c->out[0], &c->out[1]);
}

static mx_status_t do_port(void *ctx)
{
	return mx_port_create(MX_PORT_OPT_V2, &((struct fi_ctx *)ctx)->out[0]);
}

static mx_handle_t fi_job, fi_proc;

static mx_status_t do_job(void *ctx)
{
	return mx_job_create(fi_job, 0, &((struct fi_ctx *)ctx)->out[0]);
}

static mx_status_t do_process(void *ctx)
{
	return mx_process_create(fi_job, "fi", 2, 0,
				 &((struct fi_ctx *)ctx)->out[0], NULL);
}

static mx_status_t do_process_vmar(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_process_create(fi_job, "fi", 2, 0, &c->out[0], &c->out[1]);
}

/* The layout of a created process, recorded before it starts. */
static mx_handle_t fi_pvmar, fi_pvmo;
static uintptr_t fi_paddr;

static mx_status_t do_pending_map(void *ctx)
{
	(void)ctx;
	return mx_vmar_map(fi_pvmar, 0x10000, fi_pvmo, 0, 4096,
			   MX_VM_FLAG_PERM_READ | MX_VM_FLAG_SPECIFIC,
			   &fi_paddr);
}

static void pending_map_failed(void *ctx)
{
	mx_info_vmar_t info;

	(void)ctx;
	ASSERT_EQ(fi_paddr, 0);
	ASSERT_OK(mx_object_get_info(fi_pvmar, MX_INFO_VMAR, &info,
				     sizeof(info), NULL, NULL));
	/* The range is still free: a second map there would succeed. */
	ASSERT_STATUS(mx_vmar_protect(fi_pvmar, info.base + 0x10000, 4096,
				      MX_VM_FLAG_PERM_READ), MX_ERR_NOT_FOUND);
}

static void pending_map_undo(void *ctx)
{
	(void)ctx;
	ASSERT_OK(mx_vmar_unmap(fi_pvmar, fi_paddr, 4096));
	fi_paddr = 0;
}

static mx_status_t do_pending_allocate(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_vmar_allocate(fi_pvmar, 0, 1 << 20,
				MX_VM_FLAG_CAN_MAP_READ, &c->out[0], &fi_paddr);
}

static void pending_allocate_failed(void *ctx)
{
	/*
	 * child_addr is written before the handle is made (so that no
	 * handle is ever taken back by value); the VMAR is gone again.
	 */
	out_untouched(ctx);
	if (fi_paddr)
		ASSERT_STATUS(mx_vmar_protect(fi_pvmar, fi_paddr, 4096,
					      MX_VM_FLAG_PERM_READ),
			      MX_ERR_NOT_FOUND);
	fi_paddr = 0;
}

static void pending_allocate_undo(void *ctx)
{
	struct fi_ctx *c = ctx;

	ASSERT_OK(mx_vmar_destroy(c->out[0]));
	close_outs(ctx);
	fi_paddr = 0;
}

static mx_status_t do_thread(void *ctx)
{
	return mx_thread_create(fi_proc, "fi", 2, 0,
				&((struct fi_ctx *)ctx)->out[0]);
}

static mx_status_t do_dup(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_handle_duplicate(c->ev, MX_RIGHT_SAME_RIGHTS, &c->out[0]);
}

static mx_status_t do_replace(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_handle_replace(c->ev, MX_RIGHT_SAME_RIGHTS, &c->out[0]);
}

static void replace_undo(void *ctx)
{
	struct fi_ctx *c = ctx;

	/* the old handle is gone; the new one takes its place */
	ASSERT_STATUS(mx_handle_close(c->ev), MX_ERR_BAD_HANDLE);
	c->ev = c->out[0];
	c->out[0] = 0x5a5a;
}

static void replace_failed(void *ctx)
{
	struct fi_ctx *c = ctx;

	/* on failure the original stays */
	out_untouched(ctx);
	ASSERT_EQ(mxt_basic(c->ev).type, MX_OBJ_TYPE_EVENT);
}

static mx_status_t do_write(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_channel_write(c->ch[0], 0, c->bytes, c->nbytes, c->hs,
				c->nhandles);
}

static void write_failed(void *ctx)
{
	struct fi_ctx *c = ctx;

	/* nothing queued, and the handles are still ours */
	ASSERT_EQ(mxt_signals(c->ch[1]) & MX_CHANNEL_READABLE, 0);
	for (uint32_t i = 0; i < c->nhandles; i++)
		ASSERT_EQ(mxt_basic(c->hs[i]).type, MX_OBJ_TYPE_EVENT);
}

static void write_undo(void *ctx)
{
	struct fi_ctx *c = ctx;
	uint32_t ab, ah;

	ASSERT_OK(mx_channel_read(c->ch[1], 0, c->bytes, c->hs,
				  sizeof(c->bytes), 4, &ab, &ah));
	ASSERT_EQ(ab, c->nbytes);
	ASSERT_EQ(ah, c->nhandles);
}

static mx_status_t do_write_big(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_channel_write(c->ch[0], 0, c->big, sizeof(c->big), NULL, 0);
}

static void write_big_failed(void *ctx)
{
	struct fi_ctx *c = ctx;

	ASSERT_EQ(mxt_signals(c->ch[1]) & MX_CHANNEL_READABLE, 0);
}

static void write_big_undo(void *ctx)
{
	struct fi_ctx *c = ctx;
	uint32_t ab, ah;

	ASSERT_OK(mx_channel_read(c->ch[1], 0, c->big, NULL, sizeof(c->big), 0,
				  &ab, &ah));
	ASSERT_EQ(ab, sizeof(c->big));
}

/* A call whose reply never comes: sent, then MX_ERR_TIMED_OUT at once. */
static mx_status_t do_call(void *ctx)
{
	struct fi_ctx *c = ctx;
	mx_channel_call_args_t args = {
		.wr_bytes = c->bytes, .wr_handles = c->hs,
		.rd_bytes = c->bytes + 4096, .rd_handles = c->out,
		.wr_num_bytes = 16, .wr_num_handles = 1,
		.rd_num_bytes = 4096, .rd_num_handles = 2,
	};
	uint32_t ab, ah;
	mx_status_t s, rs;

	s = mx_channel_call(c->ch[0], 0, 0, &args, &ab, &ah, &rs);
	return s == MX_ERR_TIMED_OUT ? MX_OK : s;
}

static void call_failed(void *ctx)
{
	struct fi_ctx *c = ctx;

	/* nothing sent; the handle is still ours */
	ASSERT_EQ(mxt_signals(c->ch[1]) & MX_CHANNEL_READABLE, 0);
	ASSERT_EQ(mxt_basic(c->hs[0]).type, MX_OBJ_TYPE_EVENT);
}

static void call_undo(void *ctx)
{
	struct fi_ctx *c = ctx;
	uint32_t ab, ah;

	/* the request with its handle, then a new handle for the next one */
	ASSERT_OK(mx_channel_read(c->ch[1], 0, c->bytes, c->hs, 16, 1, &ab, &ah));
	ASSERT_EQ(ab, 16);
	ASSERT_EQ(ah, 1);
}

static mx_status_t do_read(void *ctx)
{
	struct fi_ctx *c = ctx;
	uint32_t ab, ah;

	return mx_channel_read(c->ch[1], 0, c->bytes, c->out,
			       sizeof(c->bytes), 2, &ab, &ah);
}

static void read_failed(void *ctx)
{
	struct fi_ctx *c = ctx;

	/* the message stays queued */
	ASSERT_TRUE(mxt_signals(c->ch[1]) & MX_CHANNEL_READABLE);
}

static void read_undo(void *ctx)
{
	struct fi_ctx *c = ctx;

	close_outs(ctx);
	/* queue the next one */
	ASSERT_OK(mx_event_create(0, &c->hs[0]));
	ASSERT_OK(mx_event_create(0, &c->hs[1]));
	ASSERT_OK(mx_channel_write(c->ch[0], 0, c->bytes, 100, c->hs, 2));
}

static mx_status_t do_wait_many(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_object_wait_many(c->items, 8, 0);
}

static mx_status_t do_wait_many_ok(void *ctx)
{
	mx_status_t s = do_wait_many(ctx);

	/* nothing is signalled: the expected result of a good run */
	return s == MX_ERR_TIMED_OUT ? MX_OK : s;
}

static mx_status_t do_port_queue(void *ctx)
{
	struct fi_ctx *c = ctx;
	mx_port_packet_t pkt = { .key = 7, .type = MX_PKT_TYPE_USER };

	return mx_port_queue(c->port, &pkt, 0);
}

static void port_empty(void *ctx)
{
	struct fi_ctx *c = ctx;
	mx_port_packet_t pkt;

	ASSERT_STATUS(mx_port_wait(c->port, 0, &pkt, 0),
		      MX_ERR_TIMED_OUT);
}

static void port_take(void *ctx)
{
	struct fi_ctx *c = ctx;
	mx_port_packet_t pkt;

	ASSERT_OK(mx_port_wait(c->port, 0, &pkt, 0));
}

static mx_status_t do_wait_async(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_object_wait_async(c->ev, c->port, 9, MX_EVENT_SIGNALED,
				    MX_WAIT_ASYNC_ONCE);
}

static void async_failed(void *ctx)
{
	struct fi_ctx *c = ctx;

	/* no registration: signalling queues nothing */
	ASSERT_OK(mx_object_signal(c->ev, 0, MX_EVENT_SIGNALED));
	port_empty(ctx);
	ASSERT_OK(mx_object_signal(c->ev, MX_EVENT_SIGNALED, 0));
}

static void async_undo(void *ctx)
{
	struct fi_ctx *c = ctx;

	ASSERT_OK(mx_object_signal(c->ev, 0, MX_EVENT_SIGNALED));
	port_take(ctx);
	ASSERT_OK(mx_object_signal(c->ev, MX_EVENT_SIGNALED, 0));
}

static mx_status_t do_to_fd(void *ctx)
{
	struct fi_ctx *c = ctx;

	c->fd = -1;
	return mx_handle_to_fd(c->ev, O_CLOEXEC, &c->fd);
}

static void to_fd_failed(void *ctx)
{
	struct fi_ctx *c = ctx;

	ASSERT_EQ(c->fd, -1);
	ASSERT_EQ(mxt_basic(c->ev).type, MX_OBJ_TYPE_EVENT);
}

static void fd_close(void *ctx)
{
	struct fi_ctx *c = ctx;

	ASSERT_EQ(close(c->fd), 0);
}

/* mx_handle_to_fd moved the handle into the fd: take it back */
static void to_fd_undo(void *ctx)
{
	struct fi_ctx *c = ctx;

	ASSERT_OK(mx_handle_from_fd(c->fd, &c->ev));
	ASSERT_EQ(close(c->fd), 0);
}

/* the handle came out of the fd: put it into a new one for the next run */
static void from_fd_undo(void *ctx)
{
	struct fi_ctx *c = ctx;

	ASSERT_EQ(close(c->fd), 0);
	c->ev = c->out[0];
	c->out[0] = 0x5a5a;
	ASSERT_OK(mx_handle_to_fd(c->ev, O_CLOEXEC, &c->fd));
}

static mx_status_t do_from_fd(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_handle_from_fd(c->fd, &c->out[0]);
}

static mx_status_t do_waitfd(void *ctx)
{
	struct fi_ctx *c = ctx;

	c->fd = -1;
	return mx_waitfd_create(c->ev, MX_EVENT_SIGNALED, O_CLOEXEC, &c->fd);
}

static void waitfd_failed(void *ctx)
{
	struct fi_ctx *c = ctx;

	ASSERT_EQ(c->fd, -1);
}

/*
 * A wait interrupted by a signal handler is parked (wait.c) so that the
 * restarted call takes it back; with that allocation failed the wait ends
 * and the restart begins it again, which the caller never sees.
 */
struct fi_waiter {
	mx_handle_t ev;
	unsigned int nth;
	pid_t tid;
	int done;
	bool injected;
	mx_status_t status;
};

static int fi_handled;

static void fi_on_usr1(int sig)
{
	(void)sig;
	__atomic_fetch_add(&fi_handled, 1, __ATOMIC_RELEASE);
}

static void *fi_wait_thread(void *arg)
{
	struct fi_waiter *w = arg;
	int fd = open("/proc/thread-self/fail-nth", O_RDWR);
	char b[16];
	int n;

	if (fd < 0)
		return NULL;
	w->tid = (pid_t)syscall(SYS_gettid);
	n = snprintf(b, sizeof(b), "%u", w->nth);
	__atomic_store_n(&w->done, 0, __ATOMIC_RELEASE);
	if (pwrite(fd, b, (size_t)n, 0) != n)
		return NULL;
	w->status = mx_object_wait_one(w->ev, MX_EVENT_SIGNALED,
				       MX_TIME_INFINITE, NULL);
	memset(b, 0, sizeof(b));
	if (pread(fd, b, sizeof(b) - 1, 0) > 0)
		w->injected = atoi(b) == 0;
	if (pwrite(fd, "0", 1, 0) != 1)
		w->injected = false;
	close(fd);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void wait_parked(void *arg)
{
	struct sigaction sa = { .sa_handler = fi_on_usr1 };
	unsigned int nth, points = 0;

	(void)arg;
	ASSERT_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	for (nth = 1; nth < 100; nth++) {
		struct fi_waiter w = { .nth = nth };
		pthread_t t;

		ASSERT_OK(mx_event_create(0, &w.ev));
		w.tid = 0;
		ASSERT_EQ(pthread_create(&t, NULL, fi_wait_thread, &w), 0);
		while (!__atomic_load_n(&w.tid, __ATOMIC_ACQUIRE))
			usleep(1000);
		mxt_wait_blocked(w.tid, &w.done);
		int before = __atomic_load_n(&fi_handled, __ATOMIC_ACQUIRE);

		ASSERT_EQ(pthread_kill(t, SIGUSR1), 0);
		while (__atomic_load_n(&fi_handled, __ATOMIC_ACQUIRE) == before)
			usleep(1000);
		/* the handler ran; the wait is back (restarted or taken back) */
		mxt_wait_blocked(w.tid, &w.done);
		ASSERT_OK(mx_object_signal(w.ev, 0, MX_EVENT_SIGNALED));
		ASSERT_EQ(pthread_join(t, NULL), 0);
		ASSERT_OK(w.status);
		ASSERT_OK(mx_handle_close(w.ev));
		if (!w.injected)
			break;
		points++;
	}
	printf("# wait_one interrupted by a handler: %u allocation failures "
	       "injected\n", points);
	if (!points)
		FAIL("wait_one parking: no allocation to fail");
	fi_points += points;
	fi_fallbacks += points;
}

/* A debugger's listing of (here) its own table, and a copy out of it. */
static mx_debug_handle_t fi_records[64];
static mx_handle_t fi_self;

static mx_status_t do_debug_list(void *ctx)
{
	mx_debug_process_t info;
	size_t actual, avail;

	(void)ctx;
	return mx_debug_list_handles(fi_self, &info, fi_records, 64,
				     &actual, &avail);
}

static mx_status_t do_debug_copy(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_debug_copy_handle(fi_self, c->ev,
				    MX_RIGHT_SAME_RIGHTS, &c->out[0]);
}

/* The first call of a new mx process makes its process and table. */
static void first_call(void *arg)
{
	mx_handle_t e = 0x5a5a;
	mx_status_t s;
	unsigned int nth, points = 0;
	pid_t pid;
	int status;

	(void)arg;
	for (nth = 1; nth < 1000; nth++) {
		pid = mxt_fork();
		if (pid == 0) {
			fi_fd = open("/proc/thread-self/fail-nth", O_RDWR);
			if (fi_fd < 0)
				_exit(2);
			fi_set(nth);
			s = mx_event_create(0, &e);
			if (!fi_injected())
				_exit(s == MX_OK ? 0 : 3);
			/* a failure the kernel absorbed (kmemleak's own pool) */
			if (s == MX_OK)
				_exit(6);
			if (s != MX_ERR_NO_MEMORY || e != 0x5a5a)
				_exit(4);
			/* and the process works after */
			s = mx_event_create(0, &e);
			_exit(s == MX_OK ? 1 : 5);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
			FAIL("child: status 0x%x", status);
		if (WEXITSTATUS(status) == 0)
			break;
		if (WEXITSTATUS(status) == 6)
			fi_fallbacks++;
		else if (WEXITSTATUS(status) != 1)
			FAIL("first call, failure %u: child exit %d", nth,
			     WEXITSTATUS(status));
		points++;
	}
	printf("# first call of a process: %u allocation failures injected\n",
	       points);
	if (!points)
		FAIL("first call: no allocation to fail");
	fi_points += points;
}

/* ---- VMOs: pages as well as objects */

static mx_handle_t fi_vmo, fi_clone;

/* Whether page @page of @h is present: LOOKUP, which needs root. */
static int fi_present(mx_handle_t h, uint64_t page)
{
	mx_paddr_t pa;
	mx_status_t s;

	if (seteuid(0))
		FAIL("seteuid: %s", strerror(errno));
	s = mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, page * 4096, 1, &pa,
			    sizeof(pa));
	if (seteuid(FI_UID))
		FAIL("seteuid: %s", strerror(errno));
	if (s == MX_ERR_NO_MEMORY)
		return 0;
	ASSERT_OK(s);
	return 1;
}

static uint8_t fi_byte(mx_handle_t h, uint64_t off)
{
	uint8_t b = 0xee;
	size_t actual = 0;

	ASSERT_OK(mx_vmo_read(h, &b, off, 1, &actual));
	ASSERT_EQ(actual, 1);
	return b;
}

static mx_status_t do_vmo_create(void *ctx)
{
	return mx_vmo_create(4 * 4096, 0, &((struct fi_ctx *)ctx)->out[0]);
}

/* A write to an absent page allocates it. */
static mx_status_t do_vmo_write(void *ctx)
{
	size_t actual;

	(void)ctx;
	return mx_vmo_write(fi_vmo, "\x5a", 4096 + 7, 1, &actual);
}

static void vmo_write_failed(void *ctx)
{
	(void)ctx;
	ASSERT_EQ(fi_present(fi_vmo, 1), 0);
	ASSERT_EQ(fi_byte(fi_vmo, 4096 + 7), 0);
}

static void vmo_write_undo(void *ctx)
{
	(void)ctx;
	ASSERT_EQ(fi_byte(fi_vmo, 4096 + 7), 0x5a);
	ASSERT_OK(mx_vmo_op_range(fi_vmo, MX_VMO_OP_DECOMMIT, 4096, 4096,
				  NULL, 0));
}

/* COMMIT of four absent pages: all or nothing. */
static mx_status_t do_vmo_commit(void *ctx)
{
	(void)ctx;
	return mx_vmo_op_range(fi_vmo, MX_VMO_OP_COMMIT, 0, 4 * 4096, NULL, 0);
}

static void vmo_commit_failed(void *ctx)
{
	(void)ctx;
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(fi_present(fi_vmo, (uint64_t)i), 0);
}

static void vmo_commit_undo(void *ctx)
{
	(void)ctx;
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(fi_present(fi_vmo, (uint64_t)i), 1);
	ASSERT_OK(mx_vmo_op_range(fi_vmo, MX_VMO_OP_DECOMMIT, 0, 4 * 4096,
				  NULL, 0));
}

static mx_status_t do_vmo_clone(void *ctx)
{
	return mx_vmo_clone(fi_vmo, MX_VMO_CLONE_COPY_ON_WRITE, 0, 4 * 4096,
			    &((struct fi_ctx *)ctx)->out[0]);
}

/* The clone's first write to a page of its parent copies that page. */
static mx_status_t do_clone_write(void *ctx)
{
	size_t actual;

	(void)ctx;
	return mx_vmo_write(fi_clone, "\x77", 2 * 4096 + 1, 1, &actual);
}

static void clone_write_failed(void *ctx)
{
	(void)ctx;
	ASSERT_EQ(fi_byte(fi_clone, 2 * 4096 + 1), 0x33);
	ASSERT_EQ(fi_byte(fi_vmo, 2 * 4096 + 1), 0x33);
	/* the parent shows through: its writes reach the clone */
	ASSERT_OK(mx_vmo_write(fi_vmo, "\x34", 2 * 4096, 1, &(size_t){ 0 }));
	ASSERT_EQ(fi_byte(fi_clone, 2 * 4096), 0x34);
	ASSERT_OK(mx_vmo_write(fi_vmo, "\x33", 2 * 4096, 1, &(size_t){ 0 }));
}

static void clone_write_undo(void *ctx)
{
	(void)ctx;
	ASSERT_EQ(fi_byte(fi_clone, 2 * 4096 + 1), 0x77);
	ASSERT_EQ(fi_byte(fi_vmo, 2 * 4096 + 1), 0x33);
	ASSERT_OK(mx_vmo_op_range(fi_clone, MX_VMO_OP_DECOMMIT, 2 * 4096, 1,
				  NULL, 0));
}

static mx_status_t do_vmo_to_fd(void *ctx)
{
	struct fi_ctx *c = ctx;

	c->fd = -1;
	return mx_handle_to_fd(fi_vmo, O_CLOEXEC, &c->fd);
}

static void vmo_to_fd_failed(void *ctx)
{
	struct fi_ctx *c = ctx;

	ASSERT_EQ(c->fd, -1);
	ASSERT_EQ(mxt_basic(fi_vmo).type, MX_OBJ_TYPE_VMO);
}

/* The handle went into the fd: a new one out of it, and the fd closed. */
static void vmo_to_fd_undo(void *ctx)
{
	struct fi_ctx *c = ctx;

	ASSERT_STATUS(mx_handle_close(fi_vmo), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_handle_from_fd(c->fd, &fi_vmo));
	ASSERT_EQ(close(c->fd), 0);
}

/* From a VMO's fd, a new handle each time. */
static mx_status_t do_vmo_from_fd(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_handle_from_fd(c->fd, &c->out[0]);
}

/*
 * With the VMOs closed, nothing is left charged to the user's pages: with
 * a bound of four pages it commits exactly four.
 */
static void vmo_pages_all_back(void)
{
	static const char param[] = "/sys/module/mx/parameters/max_user_vmo_pages";
	mx_time_t give_up = mxt_now() + 5000000000ULL;
	mx_status_t s = MX_ERR_INTERNAL;
	char old[32];
	mx_handle_t h;

	get_str(param, old, sizeof(old));
	if (seteuid(0))
		FAIL("seteuid: %s", strerror(errno));
	mxt_put_file(param, "4");
	if (seteuid(FI_UID))
		FAIL("seteuid: %s", strerror(errno));
	ASSERT_OK(mx_vmo_create(8 * 4096, 0, &h));
	while (mxt_now() < give_up) {
		s = mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0, 4 * 4096, NULL, 0);
		if (s != MX_ERR_NO_MEMORY)
			break;
		usleep(10000);
	}
	if (s == MX_OK)
		s = mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 4 * 4096, 4096, NULL,
				    0) == MX_ERR_NO_MEMORY ? MX_OK : MX_ERR_BAD_STATE;
	ASSERT_OK(mx_handle_close(h));
	if (seteuid(0))
		FAIL("seteuid: %s", strerror(errno));
	old[strcspn(old, "\n")] = 0;
	mxt_put_file(param, old);
	if (seteuid(FI_UID))
		FAIL("seteuid: %s", strerror(errno));
	if (s != MX_OK)
		FAIL("VMO pages left charged to uid %d: %s", FI_UID,
		     mx_status_get_string(s));
}

static void fi_vmos(struct fi_ctx *c)
{
	fi_loop(&(struct fi_call){ .name = "vmo_create", do_vmo_create,
				   out_untouched, close_outs }, c);
	ASSERT_OK(mx_vmo_create(4 * 4096, 0, &fi_vmo));
	fi_loop(&(struct fi_call){ .name = "vmo_write (a new page)",
				   do_vmo_write, vmo_write_failed,
				   vmo_write_undo }, c);
	fi_loop(&(struct fi_call){ .name = "vmo_op_range COMMIT",
				   do_vmo_commit, vmo_commit_failed,
				   vmo_commit_undo }, c);
	ASSERT_OK(mx_vmo_write(fi_vmo, "\x33\x33", 2 * 4096, 2, &(size_t){ 0 }));
	fi_loop(&(struct fi_call){ .name = "vmo_clone", do_vmo_clone,
				   out_untouched, close_outs }, c);
	ASSERT_OK(mx_vmo_clone(fi_vmo, MX_VMO_CLONE_COPY_ON_WRITE, 0, 4 * 4096,
			       &fi_clone));
	fi_loop(&(struct fi_call){ .name = "vmo_write (a clone's copy)",
				   do_clone_write, clone_write_failed,
				   clone_write_undo }, c);
	fi_loop(&(struct fi_call){ .name = "handle_to_fd (a VMO)",
				   do_vmo_to_fd, vmo_to_fd_failed,
				   vmo_to_fd_undo }, c);
	ASSERT_OK(mx_handle_to_fd(mxt_dup(fi_vmo, MX_RIGHT_SAME_RIGHTS),
				  O_CLOEXEC, &c->fd));
	fi_loop(&(struct fi_call){ .name = "handle_from_fd (a VMO)",
				   do_vmo_from_fd, out_untouched, close_outs },
		c);
	ASSERT_EQ(close(c->fd), 0);
	ASSERT_OK(mx_handle_close(fi_clone));
	ASSERT_OK(mx_handle_close(fi_vmo));
	vmo_pages_all_back();
}

/* ---- cookies and the CPRNG */

static mx_handle_t fi_cev, fi_cscope, fi_cpair[2];
static unsigned char fi_rand[256];
static size_t fi_rand_actual;

/* An event's first cookie makes its jar: the one allocation here. */
static mx_status_t do_set_cookie_event(void *ctx)
{
	(void)ctx;
	return mx_object_set_cookie(fi_cev, fi_cscope, 0x1234);
}

static void cookie_unset(void *ctx)
{
	uint64_t v = 7;

	(void)ctx;
	ASSERT_STATUS(mx_object_get_cookie(fi_cev, fi_cscope, &v),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(v, 7);
}

static void cookie_event_undo(void *ctx)
{
	uint64_t v = 0;

	(void)ctx;
	ASSERT_OK(mx_object_get_cookie(fi_cev, fi_cscope, &v));
	ASSERT_EQ(v, 0x1234);
	ASSERT_OK(mx_handle_close(fi_cev));
	ASSERT_OK(mx_event_create(0, &fi_cev));
}

static mx_status_t do_set_cookie_pair(void *ctx)
{
	(void)ctx;
	return mx_object_set_cookie(fi_cpair[0], fi_cscope, 0x5678);
}

static mx_status_t do_get_cookie(void *ctx)
{
	uint64_t v = 0;
	mx_status_t s;

	(void)ctx;
	s = mx_object_get_cookie(fi_cpair[0], fi_cscope, &v);
	return s == MX_OK && v != 0x5678 ? MX_ERR_INTERNAL : s;
}

static mx_status_t do_cprng_draw(void *ctx)
{
	(void)ctx;
	return mx_cprng_draw(fi_rand, sizeof(fi_rand), &fi_rand_actual);
}

static mx_status_t do_cprng_add(void *ctx)
{
	(void)ctx;
	return mx_cprng_add_entropy(fi_rand, sizeof(fi_rand));
}

static void fi_misc(struct fi_ctx *c)
{
	ASSERT_OK(mx_event_create(0, &fi_cev));
	ASSERT_OK(mx_event_create(0, &fi_cscope));
	ASSERT_OK(mx_eventpair_create(0, &fi_cpair[0], &fi_cpair[1]));
	fi_loop(&(struct fi_call){ .name = "object_set_cookie (an event)",
				   do_set_cookie_event, cookie_unset,
				   cookie_event_undo }, c);
	fi_loop(&(struct fi_call){ .name = "object_set_cookie (an eventpair)",
				   do_set_cookie_pair, nothing, nothing, true },
		c);
	fi_loop(&(struct fi_call){ .name = "object_get_cookie", do_get_cookie,
				   nothing, nothing, true }, c);
	fi_loop(&(struct fi_call){ .name = "cprng_draw", do_cprng_draw,
				   nothing, nothing, true }, c);
	fi_loop(&(struct fi_call){ .name = "cprng_add_entropy", do_cprng_add,
				   nothing, nothing, true }, c);
	ASSERT_EQ(fi_rand_actual, sizeof(fi_rand));
	ASSERT_OK(mx_handle_close(fi_cev));
	ASSERT_OK(mx_handle_close(fi_cscope));
	ASSERT_OK(mx_handle_close(fi_cpair[0]));
	ASSERT_OK(mx_handle_close(fi_cpair[1]));
}

/* ---- sockets */

static mx_handle_t fi_sock[2];
static size_t fi_sock_len;

static mx_status_t do_socket_create(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_socket_create(MX_SOCKET_STREAM, &c->out[0], &c->out[1]);
}

static mx_status_t do_socket_write(void *ctx)
{
	struct fi_ctx *c = ctx;
	size_t actual = 0;
	mx_status_t s;

	s = mx_socket_write(fi_sock[0], 0, c->big, fi_sock_len, &actual);
	if (s == MX_OK && actual != fi_sock_len)
		return MX_ERR_INTERNAL;
	return s;
}

static void socket_write_failed(void *ctx)
{
	size_t n = 1;

	(void)ctx;
	ASSERT_OK(mx_socket_read(fi_sock[1], 0, NULL, 0, &n));
	ASSERT_EQ(n, 0);
	ASSERT_EQ(mxt_signals(fi_sock[1]) & MX_SOCKET_READABLE, 0);
}

static void socket_write_undo(void *ctx)
{
	struct fi_ctx *c = ctx;
	size_t n = 0;

	ASSERT_OK(mx_socket_read(fi_sock[1], 0, c->big, sizeof(c->big), &n));
	ASSERT_EQ(n, fi_sock_len);
}

static mx_status_t do_socket_read(void *ctx)
{
	struct fi_ctx *c = ctx;
	size_t n = 0;

	return mx_socket_read(fi_sock[1], 0, c->bytes, sizeof(c->bytes), &n);
}

static void socket_read_undo(void *ctx)
{
	(void)ctx;
	ASSERT_OK(mx_socket_write(fi_sock[0], 0, "again", 5, NULL));
}

/* A socket of its own per call: the spare page a read leaves is reused. */
static void fi_socket_pair(uint32_t options)
{
	if (fi_sock[0]) {
		ASSERT_OK(mx_handle_close(fi_sock[0]));
		ASSERT_OK(mx_handle_close(fi_sock[1]));
	}
	ASSERT_OK(mx_socket_create(options, &fi_sock[0], &fi_sock[1]));
}

static void fi_sockets(struct fi_ctx *c)
{
	fi_loop(&(struct fi_call){ .name = "socket_create", do_socket_create,
				   out_untouched, close_outs }, c);
	fi_socket_pair(MX_SOCKET_STREAM);
	fi_sock_len = 64;
	fi_loop(&(struct fi_call){ .name = "socket_write (64 B)",
				   do_socket_write, socket_write_failed,
				   socket_write_undo }, c);
	fi_socket_pair(MX_SOCKET_STREAM);
	fi_sock_len = sizeof(c->big);
	fi_loop(&(struct fi_call){ .name = "socket_write (64 KiB)",
				   do_socket_write, socket_write_failed,
				   socket_write_undo }, c);
	fi_socket_pair(MX_SOCKET_DATAGRAM);
	fi_sock_len = 8192;
	fi_loop(&(struct fi_call){ .name = "socket_write (8 KiB datagram)",
				   do_socket_write, socket_write_failed,
				   socket_write_undo }, c);
	ASSERT_OK(mx_socket_write(fi_sock[0], 0, "first", 5, NULL));
	fi_loop(&(struct fi_call){ .name = "socket_read", do_socket_read,
				   nothing, socket_read_undo,
				   .allocates_nothing = true }, c);
	ASSERT_OK(mx_handle_close(fi_sock[0]));
	ASSERT_OK(mx_handle_close(fi_sock[1]));
	fi_sock[0] = fi_sock[1] = 0;
}

/* ---- fifos and timers */

static mx_handle_t fi_fifo[2], fi_timer;
static char fi_elems[512];

static mx_status_t do_fifo(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_fifo_create(16, 16, 0, &c->out[0], &c->out[1]);
}

/* 512 bytes: more than the stack buffer, so the kernel allocates one */
static mx_status_t do_fifo_write(void *ctx)
{
	(void)ctx;
	return mx_fifo_write(fi_fifo[0], fi_elems, sizeof(fi_elems),
			     &(uint32_t){ 0 });
}

static void fifo_write_failed(void *ctx)
{
	(void)ctx;
	ASSERT_EQ(mxt_signals(fi_fifo[1]) & MX_FIFO_READABLE, 0);
}

static void fifo_write_undo(void *ctx)
{
	uint32_t n = 0;

	(void)ctx;
	ASSERT_OK(mx_fifo_read(fi_fifo[1], fi_elems, sizeof(fi_elems), &n));
	ASSERT_EQ(n, 32);
}

static mx_status_t do_fifo_read(void *ctx)
{
	(void)ctx;
	return mx_fifo_read(fi_fifo[1], fi_elems, sizeof(fi_elems),
			    &(uint32_t){ 0 });
}

static void fifo_read_failed(void *ctx)
{
	(void)ctx;
	/* nothing consumed: the writer's side is still full */
	ASSERT_EQ(mxt_signals(fi_fifo[0]) & MX_FIFO_WRITABLE, 0);
}

static void fifo_read_undo(void *ctx)
{
	(void)ctx;
	ASSERT_OK(do_fifo_write(NULL));
}

static mx_status_t do_fifo_write_small(void *ctx)
{
	(void)ctx;
	return mx_fifo_write(fi_fifo[0], fi_elems, 16, &(uint32_t){ 0 });
}

static void fifo_write_small_undo(void *ctx)
{
	uint32_t n = 0;

	(void)ctx;
	ASSERT_OK(mx_fifo_read(fi_fifo[1], fi_elems, 16, &n));
	ASSERT_EQ(n, 1);
}

static mx_status_t do_timer(void *ctx)
{
	struct fi_ctx *c = ctx;

	return mx_timer_create(0, MX_CLOCK_MONOTONIC, &c->out[0]);
}

static mx_status_t do_timer_start(void *ctx)
{
	(void)ctx;
	return mx_timer_start(fi_timer, MX_TIMER_MIN_DEADLINE, 0, 0);
}

static void timer_start_undo(void *ctx)
{
	(void)ctx;
	ASSERT_OK(mx_timer_cancel(fi_timer));
}

static void fi_fifos_timers(struct fi_ctx *c)
{
	fi_loop(&(struct fi_call){ .name = "fifo_create", do_fifo,
				   out_untouched, close_outs }, c);
	ASSERT_OK(mx_fifo_create(32, 16, 0, &fi_fifo[0], &fi_fifo[1]));
	fi_loop(&(struct fi_call){ .name = "fifo_write (512 bytes)",
				   do_fifo_write, fifo_write_failed,
				   fifo_write_undo }, c);
	fi_loop(&(struct fi_call){ .name = "fifo_write (16 bytes)",
				   do_fifo_write_small, nothing,
				   fifo_write_small_undo,
				   .allocates_nothing = true }, c);
	ASSERT_OK(do_fifo_write(NULL));
	fi_loop(&(struct fi_call){ .name = "fifo_read (512 bytes)",
				   do_fifo_read, fifo_read_failed,
				   fifo_read_undo }, c);
	ASSERT_OK(mx_handle_close(fi_fifo[0]));
	ASSERT_OK(mx_handle_close(fi_fifo[1]));
	fi_loop(&(struct fi_call){ .name = "timer_create", do_timer,
				   out_untouched, close_outs }, c);
	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &fi_timer));
	fi_loop(&(struct fi_call){ .name = "timer_start", do_timer_start,
				   nothing, timer_start_undo,
				   .allocates_nothing = true }, c);
	ASSERT_OK(mx_handle_close(fi_timer));
}

TEST(every_allocation_fails_once)
{
	struct fi_ctx *c = &X;
	char old[32];

	fi_setup();
	get_str(FI_PARAM, old, sizeof(old));
	/* a user of its own: its object count starts at zero */
	if (setresuid(FI_UID, FI_UID, 0))
		FAIL("setresuid: %s", strerror(errno));
	/* libmx opens /dev/mx on first use: not while failures are injected */
	ASSERT_STATUS(mx_handle_close(0x12345), MX_ERR_BAD_HANDLE);
	/* touch every buffer now: page faults in a call allocate too */
	memset(c, 0, sizeof(*c));
	c->out[0] = c->out[1] = 0x5a5a;

	/* the first object of a user makes its accounting entry */
	fi_loop(&(struct fi_call){ .name = "event_create (first of its user)", do_event,
				   out_untouched, close_outs }, c);
	ASSERT_OK(mx_event_create(0, &c->ev));
	fi_loop(&(struct fi_call){ .name = "event_create", do_event, out_untouched,
				   close_outs }, c);
	fi_loop(&(struct fi_call){ .name = "eventpair_create", do_eventpair,
				   out_untouched, close_outs }, c);
	fi_loop(&(struct fi_call){ .name = "channel_create", do_channel, out_untouched,
				   close_outs }, c);
	fi_loop(&(struct fi_call){ .name = "port_create", do_port, out_untouched,
				   close_outs }, c);
	fi_sockets(c);
	fi_fifos_timers(c);
	fi_job = mx_job_default();
	fi_proc = mx_process_self();
	fi_loop(&(struct fi_call){ .name = "job_create", do_job, out_untouched,
				   close_outs }, c);
	fi_loop(&(struct fi_call){ .name = "process_create", do_process,
				   out_untouched, close_outs }, c);
	fi_loop(&(struct fi_call){ .name = "process_create (with its root VMAR)",
				   do_process_vmar, out_untouched, close_outs }, c);
	{
		mx_handle_t p;

		ASSERT_OK(mx_process_create(fi_job, "fi", 2, 0, &p, &fi_pvmar));
		ASSERT_OK(mx_vmo_create(4096, 0, &fi_pvmo));
		fi_loop(&(struct fi_call){ .name = "vmar_map (a created process's)",
					   do_pending_map, pending_map_failed,
					   pending_map_undo }, c);
		fi_loop(&(struct fi_call){ .name = "vmar_allocate (a created process's)",
					   do_pending_allocate,
					   pending_allocate_failed,
					   pending_allocate_undo }, c);
		ASSERT_OK(mx_handle_close(fi_pvmo));
		ASSERT_OK(mx_handle_close(fi_pvmar));
		ASSERT_OK(mx_handle_close(p));
	}
	fi_loop(&(struct fi_call){ .name = "thread_create", do_thread,
				   out_untouched, close_outs }, c);
	fi_loop(&(struct fi_call){ .name = "handle_duplicate", do_dup, out_untouched,
				   close_outs }, c);
	fi_loop(&(struct fi_call){ .name = "handle_replace", do_replace,
				   replace_failed, replace_undo }, c);

	ASSERT_OK(mx_channel_create(0, &c->ch[0], &c->ch[1]));
	for (int i = 0; i < 4; i++)
		ASSERT_OK(mx_event_create(0, &c->hs[i]));
	c->nbytes = 64;
	c->nhandles = 4;
	fi_loop(&(struct fi_call){ .name = "channel_write (small)", do_write,
				   write_failed, write_undo }, c);
	c->nbytes = sizeof(c->bytes);
	c->nhandles = 0;
	fi_loop(&(struct fi_call){ .name = "channel_write (8 KiB)", do_write,
				   write_failed, write_undo }, c);
	fi_loop(&(struct fi_call){ .name = "channel_write (64 KiB)", do_write_big,
				   write_big_failed, write_big_undo }, c);
	memset(c->bytes, 0, 16);
	fi_loop(&(struct fi_call){ .name = "channel_call", do_call, call_failed,
				   call_undo }, c);
	for (int i = 0; i < 4; i++)
		ASSERT_OK(mx_handle_close(c->hs[i]));
	/* read: a message with two handles waits */
	ASSERT_OK(mx_event_create(0, &c->hs[0]));
	ASSERT_OK(mx_event_create(0, &c->hs[1]));
	ASSERT_OK(mx_channel_write(c->ch[0], 0, c->bytes, 100, c->hs, 2));
	fi_loop(&(struct fi_call){ .name = "channel_read", do_read, read_failed,
				   read_undo }, c);

	for (int i = 0; i < 8; i++)
		c->items[i] = (mx_wait_item_t){ c->ev, MX_EVENT_SIGNALED, 0 };
	fi_loop(&(struct fi_call){ .name = "object_wait_many", do_wait_many_ok,
				   nothing, nothing }, c);

	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &c->port));
	fi_loop(&(struct fi_call){ .name = "port_queue", do_port_queue, port_empty,
				   port_take }, c);
	fi_loop(&(struct fi_call){ .name = "object_wait_async", do_wait_async,
				   async_failed, async_undo }, c);

	fi_loop(&(struct fi_call){ .name = "handle_to_fd", do_to_fd, to_fd_failed,
				   to_fd_undo }, c);
	ASSERT_OK(mx_handle_to_fd(c->ev, O_CLOEXEC, &c->fd));
	fi_loop(&(struct fi_call){ .name = "handle_from_fd", do_from_fd, out_untouched,
				   from_fd_undo, true }, c);
	ASSERT_OK(mx_handle_from_fd(c->fd, &c->ev));
	ASSERT_EQ(close(c->fd), 0);
	fi_loop(&(struct fi_call){ .name = "waitfd_create", do_waitfd, waitfd_failed,
				   fd_close }, c);
	memset(fi_records, 0, sizeof(fi_records));
	fi_self = mx_process_self();
	fi_loop(&(struct fi_call){ .name = "debug_list_handles", do_debug_list,
				   nothing, nothing }, c);
	fi_loop(&(struct fi_call){ .name = "debug_copy_handle", do_debug_copy,
				   out_untouched, close_outs }, c);
	fi_vmos(c);
	fi_misc(c);

	/* the handle table grows: fail each allocation of 600 creates */
	{
		static mx_handle_t many[600];
		unsigned int before = fi_points;

		for (int i = 0; i < 600; i++) {
			c->out[0] = c->out[1] = 0x5a5a;
			for (unsigned int nth = 1;; nth++) {
				mx_status_t s;

				fi_set(nth);
				s = mx_event_create(0, &many[i]);
				if (!fi_injected()) {
					ASSERT_OK(s);
					break;
				}
				fi_points++;
				if (s == MX_OK) {
					/* absorbed (kmemleak's pool, vmalloc) */
					fi_fallbacks++;
					ASSERT_OK(mx_handle_close(many[i]));
					continue;
				}
				ASSERT_STATUS(s, MX_ERR_NO_MEMORY);
			}
		}
		printf("# 600 event_creates: %u allocation failures injected\n",
		       fi_points - before);
		for (int i = 0; i < 600; i++)
			ASSERT_OK(mx_handle_close(many[i]));
	}

	ASSERT_OK(mx_handle_close(c->ev));
	ASSERT_OK(mx_handle_close(c->port));
	ASSERT_OK(mx_handle_close(c->ch[0]));
	ASSERT_OK(mx_handle_close(c->ch[1]));

	if (setresuid(0, 0, 0))
		FAIL("setresuid: %s", strerror(errno));
	mxt_in_child(first_call, NULL);
	mxt_in_child(wait_parked, NULL);

	/*
	 * Nothing is left charged to the user: with a limit of one object
	 * it can make exactly one. Handles closed by the kernel on its own
	 * go asynchronously, so give those a moment.
	 */
	mxt_put_file(FI_PARAM, "1");
	{
		mx_handle_t a, b;
		mx_status_t s = MX_ERR_INTERNAL;
		mx_time_t give_up = mxt_now() + 5000000000ULL;

		if (setresuid(FI_UID, FI_UID, 0))
			FAIL("setresuid: %s", strerror(errno));
		while (mxt_now() < give_up) {
			s = mx_event_create(0, &a);
			if (s == MX_OK)
				break;
			usleep(10000);
		}
		if (setresuid(0, 0, 0))
			FAIL("setresuid: %s", strerror(errno));
		mxt_put_file(FI_PARAM, old);
		if (s != MX_OK)
			FAIL("objects left charged to uid %d: %s", FI_UID,
			     mx_status_get_string(s));
		mxt_put_file(FI_PARAM, "1");
		if (setresuid(FI_UID, FI_UID, 0))
			FAIL("setresuid: %s", strerror(errno));
		s = mx_event_create(0, &b);
		if (setresuid(0, 0, 0))
			FAIL("setresuid: %s", strerror(errno));
		mxt_put_file(FI_PARAM, old);
		ASSERT_STATUS(s, MX_ERR_NO_RESOURCES);
		ASSERT_OK(mx_handle_close(a));
	}
	printf("# fault injection: %u allocation failures injected in all, "
	       "%u with a fallback that succeeded\n", fi_points, fi_fallbacks);
}
