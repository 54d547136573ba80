// SPDX-License-Identifier: MIT
/*
 * A seeded fuzzer of the /dev/mx ioctls.
 *
 * Threads of several mx processes issue raw ioctls -- every MX_IOC_* and
 * numbers the module does not know -- with arguments drawn from valid and
 * invalid values: handles that are live, closed, another process's or
 * random; pointers to scratch memory, NULL, read-only, unmapped, kernel,
 * non-canonical and short buffers that end at an unmapped page; sizes and
 * counts at and past each limit; fds from handle_to_fd, waitfd and
 * SCM_RIGHTS; and pages whose first touch is held by a userfaultfd
 * thread for a few milliseconds, so that calls stall in their copies to
 * and from user memory while other threads close, replace and move the
 * handles they work on. Worker processes run as two unprivileged uids,
 * pass handle fds to each other over a socket and are SIGKILLed and
 * restarted at random, beside children that hand them their process and
 * thread handles and then exec a setuid-root program (or an ordinary
 * one).
 *
 * Each result must be MX_OK, a status of uapi/linux/mx.h or ENOTTY /
 * EFAULT / EMFILE / ENFILE / EBADF / ENOMEM; the kernel's own checks
 * (KASAN, lockdep, kmemleak after rmmod, hung tasks) do the rest. Waits
 * use deadlines of at most a few milliseconds, so nothing may block for
 * long.
 *
 * MX_FUZZ_SECONDS (default 16) is the length of the whole run, split
 * between the cases; MX_FUZZ_SEED fixes the seed (printed either way, so
 * any run can be repeated with the same sequence per thread).
 */
#include "mxtest.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>

#define FZ_THREADS	4
#define FZ_WORKERS	3
#define FZ_POOL		64
#define FZ_FDS		16
#define FZ_SCRATCH	(256 * 1024)
#define FZ_DEV_FD	900
#define FZ_SOCK_FD	901
#define FZ_UFFD_FD	902	/* above what fz_sweep_fds() closes */
#define FZ_HELD_PAGES	8
#define FZ_UID		1000	/* workers run as FZ_UID and FZ_UID + 1 */

/* Shared with the parent (MAP_SHARED), so killed workers still count. */
struct fz_stats {
	unsigned long calls;
	unsigned long ok;
	unsigned long bad;
	unsigned long kills;
	unsigned long held;	/* faults held on the userfaultfd pages */
	unsigned long execs;	/* children that exec'd a helper */
};

static struct fz_stats *fz_stats;
static volatile int fz_stop;
static uint64_t fz_seed;

/* Memory every thread of a worker draws pointers from. */
static unsigned char *fz_scratch;	/* read-write */
static unsigned char *fz_ro;		/* one read-only page */
static unsigned char *fz_none;		/* 1 MiB with no access */
static unsigned char *fz_edge;		/* a rw page followed by fz_edge_end */
static unsigned char *fz_held;		/* FZ_HELD_PAGES userfaultfd pages */
static int fz_uffd = -1;		/* their userfaultfd, or -1 */
static bool fz_may_kill;		/* MX_IOC_TASK_KILL is fuzzed (workers) */
static long fz_page;

static int32_t fz_handles[FZ_POOL];	/* values seen: live or closed */
static int fz_fds[FZ_FDS];		/* fds this worker owns */

struct fz_rng {
	uint64_t s;
};

static uint64_t rnd(struct fz_rng *r)
{
	return mxt_rnd(&r->s);
}

static unsigned int below(struct fz_rng *r, unsigned int n)
{
	return (unsigned int)(rnd(r) % n);
}

static void pool_add(int32_t h)
{
	static unsigned int next;

	if (h == 0)
		return;
	__atomic_store_n(&fz_handles[__atomic_fetch_add(&next, 1, __ATOMIC_RELAXED) % FZ_POOL],
			 h, __ATOMIC_RELAXED);
}

/* A handle value: mostly ones this process has seen, some made up. */
static int32_t any_handle(struct fz_rng *r)
{
	switch (below(r, 10)) {
	case 0:
		return (int32_t)rnd(r);
	case 1:
		return (int32_t[]){ 0, -1, 1, 2, 3, INT32_MAX, INT32_MIN,
				    0x7ffffffe, 0x10000 }[below(r, 9)];
	case 2:
		/* a neighbour of a seen one: same slot, other generation */
		return __atomic_load_n(&fz_handles[below(r, FZ_POOL)],
				       __ATOMIC_RELAXED) ^ (int32_t)(1u << below(r, 31));
	default:
		return __atomic_load_n(&fz_handles[below(r, FZ_POOL)],
				       __ATOMIC_RELAXED);
	}
}

/* A user pointer for a buffer of @size bytes the kernel may read or write. */
static uint64_t any_ptr(struct fz_rng *r, uint64_t size)
{
	uint64_t off;

	switch (below(r, 12)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)fz_ro + below(r, (unsigned int)fz_page);
	case 2:
		return (uintptr_t)fz_none + below(r, 1 << 20);
	case 3:
		/* short: the buffer runs into the unmapped page after fz_edge */
		off = size && size < (uint64_t)fz_page ? size : (uint64_t)fz_page;
		return (uintptr_t)fz_edge + fz_page - below(r, (unsigned int)off + 1);
	case 4:
		return (uint64_t[]){ 0xffffffff81000000ULL, 0xffff888000000000ULL,
				     0x8000000000000000ULL, ~0ULL, 1,
				     0x0000800000000000ULL }[below(r, 6)];
	case 5:
		/* misaligned, in scratch */
		return (uintptr_t)fz_scratch + 1 + below(r, 7);
	case 6:
	case 7:
		/* held: the copy stalls for a while (see fz_held_main()) */
		if (fz_uffd < 0 || size > (uint64_t)fz_page)
			return (uintptr_t)fz_scratch;
		return (uintptr_t)fz_held + fz_page * below(r, FZ_HELD_PAGES) +
		       below(r, (unsigned int)(fz_page - size) + 1);
	default:
		if (size >= FZ_SCRATCH)
			return (uintptr_t)fz_scratch;
		return (uintptr_t)fz_scratch +
		       below(r, (unsigned int)(FZ_SCRATCH - size) + 1);
	}
}

/*
 * The kernel writes as much as a call produces, up to the size it is
 * told: where the buffer is in scratch, never tell it more than scratch
 * holds, or it would write over the fuzzer's own memory.
 */
static uint64_t fit(uint64_t ptr, uint64_t size, uint64_t unit)
{
	uint64_t lo = (uintptr_t)fz_scratch, hi = lo + FZ_SCRATCH;

	if (ptr >= lo && ptr < hi && size > (hi - ptr) / unit)
		return (hi - ptr) / unit;
	return size;
}

static uint64_t any_size(struct fz_rng *r, uint64_t exact, uint64_t limit)
{
	switch (below(r, 10)) {
	case 0:
		return 0;
	case 1:
		return limit;
	case 2:
		return limit + 1;
	case 3:
		return rnd(r);
	case 4:
		return (uint64_t[]){ 1, 0xffffffffULL, 0x80000000ULL,
				     0x100000000ULL, ~0ULL }[below(r, 5)];
	case 5:
		return exact ? exact - 1 : 1;
	default:
		return exact ? exact : below(r, (unsigned int)limit + 1);
	}
}

static uint32_t any_bits(struct fz_rng *r)
{
	switch (below(r, 4)) {
	case 0:
		return 0;
	case 1:
		return (uint32_t)rnd(r);
	case 2:
		return 1u << below(r, 32);
	default:
		return (uint32_t[]){ MX_RIGHT_SAME_RIGHTS, MX_USER_SIGNAL_ALL,
				     MX_EVENT_SIGNALED, MX_CHANNEL_READABLE,
				     MX_RIGHT_READ | MX_RIGHT_WRITE,
				     MX_DEFAULT_EVENT_RIGHTS, ~0u }[below(r, 7)];
	}
}

static uint64_t any_deadline(struct fz_rng *r)
{
	struct timespec ts;

	switch (below(r, 4)) {
	case 0:
		return 0;
	case 1:
		return 1;
	default:
		clock_gettime(CLOCK_MONOTONIC, &ts);
		return (uint64_t)ts.tv_sec * 1000000000ULL +
		       (uint64_t)ts.tv_nsec + below(r, 2000000);
	}
}

static int any_fd(struct fz_rng *r)
{
	switch (below(r, 6)) {
	case 0:
		return (int)rnd(r);
	case 1:
		return (int[]){ -1, 0, 1, 2, FZ_DEV_FD, FZ_SOCK_FD,
				FZ_UFFD_FD }[below(r, 7)];
	default:
		return __atomic_load_n(&fz_fds[below(r, FZ_FDS)], __ATOMIC_RELAXED);
	}
}

/* Keep an fd the kernel gave us; the one it replaces is closed. */
static void fd_keep(struct fz_rng *r, int fd)
{
	int old;

	if (fd < 0 || fd == FZ_DEV_FD || fd == FZ_SOCK_FD || fd == FZ_UFFD_FD)
		return;
	old = __atomic_exchange_n(&fz_fds[below(r, FZ_FDS)], fd, __ATOMIC_ACQ_REL);
	if (old >= 0)
		close(old);
}

/* Every command, and enough to derive wrong ones from. */
static const unsigned long fz_cmds[] = {
	MX_IOC_VERSION, MX_IOC_HANDLE_CLOSE, MX_IOC_HANDLE_DUPLICATE,
	MX_IOC_HANDLE_REPLACE, MX_IOC_EVENT_CREATE, MX_IOC_EVENTPAIR_CREATE,
	MX_IOC_OBJECT_SIGNAL, MX_IOC_OBJECT_SIGNAL_PEER,
	MX_IOC_OBJECT_WAIT_ONE, MX_IOC_OBJECT_WAIT_MANY,
	MX_IOC_OBJECT_GET_INFO, MX_IOC_OBJECT_GET_PROPERTY,
	MX_IOC_OBJECT_SET_PROPERTY, MX_IOC_PROCESS_SELF,
	MX_IOC_CHANNEL_CREATE, MX_IOC_CHANNEL_WRITE, MX_IOC_CHANNEL_READ,
	MX_IOC_HANDLE_TO_FD, MX_IOC_HANDLE_FROM_FD, MX_IOC_PORT_CREATE,
	MX_IOC_PORT_QUEUE, MX_IOC_PORT_WAIT, MX_IOC_PORT_CANCEL,
	MX_IOC_OBJECT_WAIT_ASYNC, MX_IOC_WAITFD_CREATE, MX_IOC_CHANNEL_CALL,
	MX_IOC_DEBUG_LIST_HANDLES, MX_IOC_DEBUG_COPY_HANDLE, MX_IOC_TASK_KILL,
};
#define FZ_NCMDS (sizeof(fz_cmds) / sizeof(fz_cmds[0]))

static bool known_status(long v)
{
	static const int st[] = {
		MX_OK, MX_ERR_INTERNAL, MX_ERR_NOT_SUPPORTED,
		MX_ERR_NO_RESOURCES, MX_ERR_NO_MEMORY, MX_ERR_INVALID_ARGS,
		MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE, MX_ERR_OUT_OF_RANGE,
		MX_ERR_BUFFER_TOO_SMALL, MX_ERR_BAD_STATE, MX_ERR_TIMED_OUT,
		MX_ERR_SHOULD_WAIT, MX_ERR_CANCELED, MX_ERR_PEER_CLOSED,
		MX_ERR_NOT_FOUND, MX_ERR_ALREADY_EXISTS, MX_ERR_ALREADY_BOUND,
		MX_ERR_UNAVAILABLE, MX_ERR_ACCESS_DENIED,
		MX_ERR_INTERRUPTED_RETRY, MX_ERR_CALL_FAILED,
	};

	for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		if (v == -st[i])
			return true;
	return false;
}

/* Per worker: how many odd results were already printed. */
static int fz_reported;

static long fz_ioctl(unsigned long cmd, void *arg)
{
	long ret = ioctl(FZ_DEV_FD, cmd, arg);
	int err = errno;

	__atomic_fetch_add(&fz_stats->calls, 1, __ATOMIC_RELAXED);
	if (ret == 0)
		__atomic_fetch_add(&fz_stats->ok, 1, __ATOMIC_RELAXED);
	if ((ret >= 0 && known_status(ret)) ||
	    (ret == -1 && (err == ENOTTY || err == EFAULT || err == EMFILE ||
			   err == ENFILE || err == EBADF || err == ENOMEM ||
			   err == EINTR)))
		return ret;
	__atomic_fetch_add(&fz_stats->bad, 1, __ATOMIC_RELAXED);
	if (__atomic_fetch_add(&fz_reported, 1, __ATOMIC_RELAXED) < 5)
		fprintf(stderr, "# cmd 0x%lx: unexpected result %ld (errno %d)\n",
			cmd, ret, err);
	return ret;
}

/* One call with arguments drawn around @cmd's own struct. */
static void fz_one(struct fz_rng *r)
{
	union {
		struct mx_ioc_handle_dup dup;
		struct mx_ioc_create cr;
		struct mx_ioc_signal sig;
		struct mx_ioc_wait_one w1;
		struct mx_ioc_wait_many wm;
		struct mx_ioc_get_info gi;
		struct mx_ioc_property prop;
		struct mx_ioc_channel_write cw;
		struct mx_ioc_channel_read crd;
		struct mx_ioc_handle_fd hfd;
		struct mx_ioc_port_queue pq;
		struct mx_ioc_port_wait pw;
		struct mx_ioc_port_cancel pc;
		struct mx_ioc_wait_async wa;
		struct mx_ioc_waitfd wf;
		struct mx_ioc_channel_call cc;
		struct mx_ioc_debug_list dl;
		struct mx_ioc_debug_copy dc;
		unsigned char raw[128];
	} a;
	unsigned long cmd = fz_cmds[below(r, FZ_NCMDS)];
	void *arg = &a;
	int32_t *outs = (int32_t *)(fz_scratch + FZ_SCRATCH - 64);
	long ret;

	memset(&a, 0, sizeof(a));
	/* sometimes a wrong struct: garbage, or in a bad place */
	if (below(r, 16) == 0)
		for (size_t i = 0; i < sizeof(a.raw); i++)
			a.raw[i] = (unsigned char)rnd(r);
	if (below(r, 24) == 0) {
		/*
		 * The struct itself in a bad place. A blocking call reading
		 * it from scratch memory could find a deadline far off, so
		 * those only get places that cannot be read.
		 */
		if (cmd == MX_IOC_OBJECT_WAIT_ONE || cmd == MX_IOC_OBJECT_WAIT_MANY ||
		    cmd == MX_IOC_PORT_WAIT || cmd == MX_IOC_CHANNEL_CALL)
			arg = (void *)(uintptr_t)(uint64_t[]){ 0, (uintptr_t)fz_none,
				0xffffffff81000000ULL, (uintptr_t)fz_ro }[below(r, 4)];
		else
			arg = (void *)(uintptr_t)any_ptr(r, 64);
	}

	switch (below(r, 40) ? 0 : below(r, 4)) {
	case 1:
		/* an unknown number of ours */
		cmd = _IOC(below(r, 4), MX_IOC_MAGIC, below(r, 256),
			   below(r, 1 << 14));
		break;
	case 2:
		/* a known number, wrong size or direction */
		cmd = _IOC(below(r, 4), MX_IOC_MAGIC, _IOC_NR(cmd),
			   below(r, 2) ? _IOC_SIZE(cmd) : below(r, 512));
		break;
	case 3:
		cmd = (uint32_t)rnd(r);
		break;
	default:
		break;
	}

	switch (cmd) {
	case MX_IOC_VERSION:
	case MX_IOC_PROCESS_SELF:
		break;
	case MX_IOC_TASK_KILL:
		/*
		 * The handles a worker learns are its own objects' and those
		 * of exec'ing children (fz_exec_child()); the threads case runs
		 * as root and could reach itself through a debug copy.
		 */
		if (fz_may_kill)
			fz_ioctl(cmd, (void *)(intptr_t)any_handle(r));
		return;
	case MX_IOC_HANDLE_CLOSE:
		fz_ioctl(cmd, (void *)(intptr_t)any_handle(r));
		return;
	case MX_IOC_HANDLE_DUPLICATE:
	case MX_IOC_HANDLE_REPLACE:
		a.dup.handle = any_handle(r);
		a.dup.rights = any_bits(r);
		a.dup.out = below(r, 4) ? (uintptr_t)&outs[0] : any_ptr(r, 4);
		break;
	case MX_IOC_EVENT_CREATE:
	case MX_IOC_EVENTPAIR_CREATE:
	case MX_IOC_CHANNEL_CREATE:
	case MX_IOC_PORT_CREATE:
		a.cr.options = below(r, 4) ? (cmd == MX_IOC_PORT_CREATE) : any_bits(r);
		a.cr.pad = below(r, 8) ? 0 : 1;
		a.cr.out0 = below(r, 4) ? (uintptr_t)&outs[0] : any_ptr(r, 4);
		a.cr.out1 = below(r, 4) ? (uintptr_t)&outs[1] : any_ptr(r, 4);
		break;
	case MX_IOC_OBJECT_SIGNAL:
	case MX_IOC_OBJECT_SIGNAL_PEER:
		a.sig.handle = any_handle(r);
		a.sig.clear_mask = any_bits(r);
		a.sig.set_mask = any_bits(r);
		a.sig.pad = below(r, 8) ? 0 : 1;
		break;
	case MX_IOC_OBJECT_WAIT_ONE:
		a.w1.handle = any_handle(r);
		a.w1.signals = any_bits(r);
		a.w1.deadline = any_deadline(r);
		a.w1.observed = below(r, 2) ? 0 : any_ptr(r, 4);
		break;
	case MX_IOC_OBJECT_WAIT_MANY: {
		mx_wait_item_t *it = (mx_wait_item_t *)fz_scratch;
		unsigned int n = below(r, 8);

		for (unsigned int i = 0; i < n; i++)
			it[i] = (mx_wait_item_t){ any_handle(r), any_bits(r), 0 };
		a.wm.items = below(r, 2) ? (uintptr_t)it :
			     any_ptr(r, n * sizeof(*it));
		a.wm.count = (uint32_t)(below(r, 2) ? n :
			     any_size(r, n, MX_WAIT_MANY_MAX_ITEMS));
		a.wm.pad = below(r, 8) ? 0 : 1;
		a.wm.deadline = any_deadline(r);
		break;
	}
	case MX_IOC_OBJECT_GET_INFO:
		a.gi.handle = any_handle(r);
		a.gi.topic = below(r, 4) ? (uint32_t[]){ 0, 1, 2, 3, 4, 10, 5 }[below(r, 7)] :
			     any_bits(r);
		a.gi.buffer_size = any_size(r, 32, 4096);
		a.gi.buffer = any_ptr(r, a.gi.buffer_size);
		a.gi.buffer_size = fit(a.gi.buffer, a.gi.buffer_size, 1);
		a.gi.actual = below(r, 2) ? 0 : any_ptr(r, 8);
		a.gi.avail = below(r, 2) ? 0 : any_ptr(r, 8);
		break;
	case MX_IOC_OBJECT_GET_PROPERTY:
	case MX_IOC_OBJECT_SET_PROPERTY:
		a.prop.handle = any_handle(r);
		a.prop.property = below(r, 4) ? MX_PROP_NAME : any_bits(r);
		a.prop.size = any_size(r, MX_MAX_NAME_LEN, MX_MAX_NAME_LEN);
		a.prop.value = any_ptr(r, a.prop.size);
		break;
	case MX_IOC_CHANNEL_WRITE: {
		int32_t *hs = (int32_t *)(fz_scratch + 4096);
		unsigned int n = below(r, 4);

		for (unsigned int i = 0; i < n; i++)
			hs[i] = any_handle(r);
		a.cw.handle = any_handle(r);
		a.cw.options = below(r, 8) ? 0 : any_bits(r);
		a.cw.num_bytes = (uint32_t)any_size(r, below(r, 256),
						    MX_CHANNEL_MAX_MSG_BYTES);
		a.cw.bytes = any_ptr(r, a.cw.num_bytes);
		a.cw.num_handles = (uint32_t)(below(r, 2) ? n :
				   any_size(r, n, MX_CHANNEL_MAX_MSG_HANDLES));
		a.cw.handles = below(r, 2) ? (uintptr_t)hs :
			       any_ptr(r, a.cw.num_handles * 4ULL);
		break;
	}
	case MX_IOC_CHANNEL_READ:
		a.crd.handle = any_handle(r);
		a.crd.options = below(r, 4) ? 0 : any_bits(r);
		a.crd.num_bytes = (uint32_t)any_size(r, 256, MX_CHANNEL_MAX_MSG_BYTES);
		a.crd.bytes = any_ptr(r, a.crd.num_bytes);
		a.crd.num_handles = (uint32_t)any_size(r, 8, MX_CHANNEL_MAX_MSG_HANDLES);
		a.crd.handles = below(r, 2) ? (uintptr_t)(fz_scratch + 8192) :
				any_ptr(r, a.crd.num_handles * 4ULL);
		a.crd.actual_bytes = below(r, 2) ? 0 : any_ptr(r, 4);
		a.crd.actual_handles = below(r, 2) ? 0 : any_ptr(r, 4);
		break;
	case MX_IOC_HANDLE_TO_FD:
	case MX_IOC_HANDLE_FROM_FD:
		a.hfd.handle = any_handle(r);
		a.hfd.fd_in = any_fd(r);
		a.hfd.flags = below(r, 2) ? 0 : (below(r, 2) ? O_CLOEXEC : any_bits(r));
		a.hfd.pad = below(r, 8) ? 0 : 1;
		a.hfd.fd = below(r, 4) ? (uintptr_t)&outs[2] : any_ptr(r, 4);
		outs[2] = -1;
		break;
	case MX_IOC_PORT_QUEUE:
		a.pq.handle = any_handle(r);
		a.pq.pad = below(r, 8) ? 0 : 1;
		a.pq.size = any_size(r, sizeof(struct mx_port_packet), 64);
		a.pq.packet = any_ptr(r, a.pq.size);
		break;
	case MX_IOC_PORT_WAIT:
		a.pw.handle = any_handle(r);
		a.pw.pad = below(r, 8) ? 0 : 1;
		a.pw.deadline = any_deadline(r);
		a.pw.size = any_size(r, sizeof(struct mx_port_packet), 64);
		a.pw.packet = any_ptr(r, a.pw.size);
		break;
	case MX_IOC_PORT_CANCEL:
		a.pc.port = any_handle(r);
		a.pc.source = any_handle(r);
		a.pc.key = below(r, 2) ? below(r, 4) : rnd(r);
		break;
	case MX_IOC_OBJECT_WAIT_ASYNC:
		a.wa.handle = any_handle(r);
		a.wa.port = any_handle(r);
		a.wa.key = below(r, 4);
		a.wa.signals = any_bits(r);
		a.wa.options = below(r, 4) ? below(r, 2) : any_bits(r);
		break;
	case MX_IOC_WAITFD_CREATE:
		a.wf.handle = any_handle(r);
		a.wf.signals = any_bits(r);
		a.wf.flags = below(r, 2) ? 0 : (below(r, 2) ? O_CLOEXEC | O_NONBLOCK :
			     any_bits(r));
		a.wf.pad = below(r, 8) ? 0 : 1;
		a.wf.fd = below(r, 4) ? (uintptr_t)&outs[2] : any_ptr(r, 4);
		outs[2] = -1;
		break;
	case MX_IOC_CHANNEL_CALL: {
		mx_channel_call_args_t *ca = (mx_channel_call_args_t *)(fz_scratch + 16384);
		int32_t *hs = (int32_t *)(fz_scratch + 20480);
		unsigned int n = below(r, 3);

		for (unsigned int i = 0; i < n; i++)
			hs[i] = any_handle(r);
		ca->wr_num_bytes = (uint32_t)any_size(r, 4 + below(r, 64),
						      MX_CHANNEL_MAX_MSG_BYTES);
		ca->wr_bytes = (void *)(uintptr_t)any_ptr(r, ca->wr_num_bytes);
		ca->wr_num_handles = (uint32_t)(below(r, 2) ? n :
				     any_size(r, n, MX_CHANNEL_MAX_MSG_HANDLES));
		ca->wr_handles = below(r, 2) ? hs :
				 (void *)(uintptr_t)any_ptr(r, ca->wr_num_handles * 4ULL);
		ca->rd_num_bytes = (uint32_t)any_size(r, 256, MX_CHANNEL_MAX_MSG_BYTES);
		ca->rd_bytes = (void *)(uintptr_t)any_ptr(r, ca->rd_num_bytes);
		ca->rd_num_handles = (uint32_t)any_size(r, 4, MX_CHANNEL_MAX_MSG_HANDLES);
		ca->rd_handles = (void *)(uintptr_t)any_ptr(r, ca->rd_num_handles * 4ULL);
		a.cc.handle = any_handle(r);
		a.cc.options = below(r, 8) ? 0 : any_bits(r);
		a.cc.deadline = any_deadline(r);
		a.cc.args = below(r, 4) ? (uintptr_t)ca : any_ptr(r, sizeof(*ca));
		a.cc.actual_bytes = any_ptr(r, 4);
		a.cc.actual_handles = any_ptr(r, 4);
		a.cc.read_status = below(r, 2) ? 0 : any_ptr(r, 4);
		break;
	}
	case MX_IOC_DEBUG_LIST_HANDLES:
	case MX_IOC_DEBUG_COPY_HANDLE: {
		/* this process, its parent, a sibling worker, init, nonsense */
		int32_t pid = (int32_t[]){ getpid(), getppid(), getpid() + 1,
					   getpid() - 1, 1, 0, -1,
					   (int32_t)rnd(r) }[below(r, 8)];

		if (cmd == MX_IOC_DEBUG_LIST_HANDLES) {
			a.dl.process = below(r, 2) ? 0 : any_handle(r);
			a.dl.pid = pid;
			a.dl.options = below(r, 8) ? 0 : any_bits(r);
			a.dl.count = (uint32_t)any_size(r, 16, 1024);
			a.dl.buffer = any_ptr(r, a.dl.count * 40ULL);
			a.dl.count = (uint32_t)fit(a.dl.buffer, a.dl.count,
						   sizeof(struct mx_debug_handle));
			a.dl.info = below(r, 2) ? 0 : any_ptr(r, 64);
			a.dl.actual = below(r, 2) ? 0 : any_ptr(r, 4);
			a.dl.avail = below(r, 2) ? 0 : any_ptr(r, 4);
		} else {
			a.dc.process = below(r, 2) ? 0 : any_handle(r);
			a.dc.pid = pid;
			a.dc.handle = any_handle(r);
			a.dc.rights = any_bits(r);
			a.dc.options = below(r, 8) ? 0 : any_bits(r);
			a.dc.pad = below(r, 8) ? 0 : 1;
			a.dc.out = below(r, 4) ? (uintptr_t)&outs[0] : any_ptr(r, 4);
		}
		break;
	}
	default:
		/* an unknown command: garbage argument */
		for (size_t i = 0; i < sizeof(a.raw); i++)
			a.raw[i] = (unsigned char)rnd(r);
		break;
	}

	outs[0] = outs[1] = 0;
	ret = fz_ioctl(cmd, arg);
	if (ret != 0 || arg != &a)
		return;
	/* learn what the call made */
	switch (cmd) {
	case MX_IOC_HANDLE_DUPLICATE:
	case MX_IOC_HANDLE_REPLACE:
		if (a.dup.out == (uintptr_t)&outs[0])
			pool_add(outs[0]);
		break;
	case MX_IOC_EVENT_CREATE:
	case MX_IOC_EVENTPAIR_CREATE:
	case MX_IOC_CHANNEL_CREATE:
	case MX_IOC_PORT_CREATE:
		if (a.cr.out0 == (uintptr_t)&outs[0])
			pool_add(outs[0]);
		if (a.cr.out1 == (uintptr_t)&outs[1])
			pool_add(outs[1]);
		break;
	case MX_IOC_HANDLE_TO_FD:
	case MX_IOC_WAITFD_CREATE:
		if (a.hfd.fd == (uintptr_t)&outs[2] && cmd == MX_IOC_HANDLE_TO_FD)
			fd_keep(r, outs[2]);
		if (a.wf.fd == (uintptr_t)&outs[2] && cmd == MX_IOC_WAITFD_CREATE)
			fd_keep(r, outs[2]);
		break;
	case MX_IOC_HANDLE_FROM_FD:
		if (a.hfd.fd == (uintptr_t)&outs[2])
			pool_add(outs[2]);
		break;
	case MX_IOC_DEBUG_COPY_HANDLE:
		if (a.dc.out == (uintptr_t)&outs[0])
			pool_add(outs[0]);
		break;
	case MX_IOC_CHANNEL_READ:
		if (a.crd.handles == (uintptr_t)(fz_scratch + 8192))
			for (unsigned int i = 0; i < a.crd.num_handles && i < 64; i++)
				pool_add(((int32_t *)(fz_scratch + 8192))[i]);
		break;
	default:
		break;
	}
}

/* Pass a handle fd to another worker, or take one that was passed. */
static void fz_exchange(struct fz_rng *r)
{
	int fd;

	if (below(r, 2)) {
		fd = __atomic_exchange_n(&fz_fds[below(r, FZ_FDS)], -1, __ATOMIC_ACQ_REL);
		if (fd < 0)
			return;
		mxt_try_send_fd(FZ_SOCK_FD, fd, MSG_DONTWAIT | MSG_NOSIGNAL);
		close(fd);
		return;
	}
	fd = mxt_try_recv_fd(FZ_SOCK_FD, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (fd >= 0)
		fd_keep(r, fd);
}

/*
 * fds the kernel made and wrote to a pointer we did not keep are lost to
 * us: close everything below the fixed fds now and then, so the table
 * never fills.
 */
static void fz_sweep_fds(void)
{
	for (int i = 0; i < FZ_FDS; i++)
		__atomic_store_n(&fz_fds[i], -1, __ATOMIC_RELEASE);
	for (int fd = 3; fd < FZ_DEV_FD; fd++)
		close(fd);
}

struct fz_thread {
	pthread_t t;
	uint64_t seed;
	bool exchange;
	bool first;
};

static void *fz_thread_main(void *arg)
{
	struct fz_thread *th = arg;
	struct fz_rng r = { th->seed };
	unsigned long n = 0;

	while (!__atomic_load_n(&fz_stop, __ATOMIC_RELAXED)) {
		if (th->first && ++n % 4096 == 0)
			fz_sweep_fds();
		if (th->exchange && below(&r, 32) == 0)
			fz_exchange(&r);
		else
			fz_one(&r);
	}
	return NULL;
}

static void fz_dump_stacks(void)
{
	char path[64], line[256];
	int self = getpid();

	for (int tid = self; tid < self + 64; tid++) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", self, tid);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f))
			fprintf(stderr, "# task %d syscall: %s", tid, line);
		fclose(f);
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stack", self, tid);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			fprintf(stderr, "#   %s", line);
		if (f)
			fclose(f);
	}
}

/*
 * The held pages' thread: a fault is answered after up to 3 ms, while the
 * other threads go on; now and then a page is dropped so that the next
 * touch faults again.
 */
static void *fz_held_main(void *arg)
{
	static unsigned char zero[65536];
	struct fz_rng r = { (uint64_t)(uintptr_t)arg };
	struct pollfd pfd = { .fd = fz_uffd, .events = POLLIN };
	struct uffd_msg msg;

	while (!__atomic_load_n(&fz_stop, __ATOMIC_RELAXED)) {
		if (poll(&pfd, 1, 2) == 1 &&
		    read(fz_uffd, &msg, sizeof(msg)) == sizeof(msg) &&
		    msg.event == UFFD_EVENT_PAGEFAULT) {
			struct uffdio_copy c = {
				.dst = msg.arg.pagefault.address &
				       ~(uint64_t)(fz_page - 1),
				.src = (uintptr_t)zero,
				.len = (uint64_t)fz_page,
			};

			__atomic_fetch_add(&fz_stats->held, 1,
					   __ATOMIC_RELAXED);
			usleep(below(&r, 3000));
			/* EEXIST: another fault on the page was answered. */
			(void)ioctl(fz_uffd, UFFDIO_COPY, &c);
		}
		if (below(&r, 4) == 0)
			madvise(fz_held + fz_page * below(&r, FZ_HELD_PAGES),
				(size_t)fz_page, MADV_DONTNEED);
	}
	return NULL;
}

/* Register the held pages, if userfaultfd is there (root, at setup). */
static void fz_held_setup(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;

	fz_held = mmap(NULL, FZ_HELD_PAGES * (size_t)fz_page,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	if (fz_held == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	fz_uffd = (int)syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (fz_uffd < 0)
		return;
	reg = (struct uffdio_register){
		.range = { .start = (uintptr_t)fz_held,
			   .len = FZ_HELD_PAGES * (uint64_t)fz_page },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	if (ioctl(fz_uffd, UFFDIO_API, &api) ||
	    ioctl(fz_uffd, UFFDIO_REGISTER, &reg) ||
	    dup3(fz_uffd, FZ_UFFD_FD, O_CLOEXEC) < 0) {
		close(fz_uffd);
		fz_uffd = -1;
		return;
	}
	close(fz_uffd);
	fz_uffd = FZ_UFFD_FD;
}

static void fz_setup(void)
{
	int fd;

	fz_page = sysconf(_SC_PAGESIZE);
	fz_scratch = mmap(NULL, FZ_SCRATCH, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fz_ro = mmap(NULL, (size_t)fz_page, PROT_READ,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fz_none = mmap(NULL, 1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fz_edge = mmap(NULL, 2 * (size_t)fz_page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fz_scratch == MAP_FAILED || fz_ro == MAP_FAILED ||
	    fz_none == MAP_FAILED || fz_edge == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	if (munmap(fz_edge + fz_page, (size_t)fz_page))
		FAIL("munmap: %s", strerror(errno));
	for (int i = 0; i < FZ_FDS; i++)
		fz_fds[i] = -1;
	fz_held_setup();
	fd = open("/dev/mx", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		FAIL("open /dev/mx: %s", strerror(errno));
	if (dup2(fd, FZ_DEV_FD) < 0)
		FAIL("dup2: %s", strerror(errno));
	close(fd);
}

/*
 * Run @nthreads fuzzing threads for @ms milliseconds (or until killed),
 * as @uid when it is not 0 (after the setup, which needs root).
 */
static void fz_run(uint64_t seed, int nthreads, unsigned int ms, bool exchange,
		   uid_t uid)
{
	struct fz_thread th[FZ_THREADS];
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	pthread_t held;

	fz_setup();
	if (uid)
		mxt_become(uid);
	fz_stop = 0;
	fz_may_kill = uid != 0;
	if (fz_uffd >= 0 &&
	    pthread_create(&held, NULL, fz_held_main, (void *)(uintptr_t)seed))
		FAIL("pthread_create");
	for (int i = 0; i < nthreads; i++) {
		th[i].seed = seed * 131 + (uint64_t)i;
		th[i].exchange = exchange;
		th[i].first = i == 0;
		if (pthread_create(&th[i].t, NULL, fz_thread_main, &th[i]))
			FAIL("pthread_create");
	}
	nanosleep(&ts, NULL);
	__atomic_store_n(&fz_stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < nthreads; i++) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 20;
		if (pthread_timedjoin_np(th[i].t, NULL, &until) == 0)
			continue;
		/* no call may block for long: show where it is stuck */
		fz_dump_stacks();
		FAIL("a fuzzing thread is stuck in a call for 20 s");
	}
	if (fz_uffd >= 0)
		pthread_join(held, NULL);
}

static unsigned int fz_total_ms(void)
{
	const char *s = getenv("MX_FUZZ_SECONDS");

	return (s ? (unsigned int)atoi(s) : 16) * 1000u;
}

static void fz_init(void)
{
	const char *s = getenv("MX_FUZZ_SEED");

	if (s) {
		fz_seed = strtoull(s, NULL, 0);
	} else {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		fz_seed = (uint64_t)ts.tv_sec * 1000003ULL ^ (uint64_t)ts.tv_nsec;
	}
	fz_stats = mmap(NULL, sizeof(*fz_stats), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fz_stats == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	printf("# fuzz seed %llu (MX_FUZZ_SEED=%llu repeats it)\n",
	       (unsigned long long)fz_seed, (unsigned long long)fz_seed);
}

/* After the run: the process still works and every count is sane. */
static void fz_after(const char *what, unsigned int ms)
{
	mx_handle_t e;

	fz_sweep_fds();
	printf("# %s: %lu calls (%lu MX_OK) in %u ms, %lu faults held, %lu workers killed, %lu exec'ing children\n",
	       what, fz_stats->calls, fz_stats->ok, ms, fz_stats->held,
	       fz_stats->kills, fz_stats->execs);
	ASSERT_TRUE(fz_stats->calls > 0);
	ASSERT_EQ(fz_stats->bad, 0);
	ASSERT_OK(mx_event_create(0, &e));
	ASSERT_OK(mx_handle_close(e));
}

TEST(fuzz_threads)
{
	unsigned int ms = fz_total_ms() / 3;

	fz_init();
	fz_run(fz_seed, FZ_THREADS, ms, false, 0);
	fz_after("threads", ms);
}

/* Send @h, as a handle fd, over the workers' socket @sock. */
static void fz_send_handle(int sock, mx_handle_t h)
{
	int fd;

	if (mx_handle_to_fd(h, O_CLOEXEC, &fd) != MX_OK)
		return;
	mxt_try_send_fd(sock, fd, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
}

/*
 * A child that uses mx as @uid, hands its process and thread handles to
 * the workers (which list, copy, rename, signal and kill through them),
 * then execs a program that is setuid root, or an ordinary one: it lives
 * until @hold is closed. The exec of the setuid one must sever everything
 * the workers hold (docs/security.md); the kernel's checks and the
 * workers' results say whether it did.
 */
static pid_t fz_exec_child(int sock, uid_t uid, bool setuid_prog, int *hold)
{
	char hold_arg[16], null_arg[16];
	int p[2];
	pid_t pid;

	if (pipe(p))
		FAIL("pipe: %s", strerror(errno));
	pid = mxt_fork();
	if (pid == 0) {
		mx_handle_t d = MX_HANDLE_INVALID;

		close(p[1]);
		if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
		    setresuid(uid, uid, uid))
			_exit(2);
		if (mx_handle_duplicate(mx_process_self(), MX_RIGHT_SAME_RIGHTS,
					&d) == MX_OK)
			fz_send_handle(sock, d);
		if (mx_handle_duplicate(mx_thread_self(), MX_RIGHT_SAME_RIGHTS,
					&d) == MX_OK)
			fz_send_handle(sock, d);
		snprintf(hold_arg, sizeof(hold_arg), "%d", p[0]);
		snprintf(null_arg, sizeof(null_arg), "%d",
			 open("/dev/null", O_WRONLY));
		execl(setuid_prog ? "/helpers/exec-setuid" :
				    "/helpers/exec-plain",
		      "exec-helper", "wait", null_arg, hold_arg, (char *)NULL);
		_exit(3);
	}
	close(p[0]);
	*hold = p[1];
	return pid;
}

/*
 * Worker processes with threads of their own, as two unprivileged uids,
 * sharing a datagram socket for handle fds (so handles cross between the
 * users); every so often one is SIGKILLed mid-call and replaced.
 */
TEST(fuzz_processes)
{
	unsigned int ms = 2 * fz_total_ms() / 3, step = 250, gen = 0;
	pid_t pids[FZ_WORKERS], exec_pid = -1;
	int sv[2], status, exec_hold = -1;
	mx_time_t end;
	struct fz_rng r;

	fz_init();
	r.s = fz_seed;
	end = mxt_now() + (mx_time_t)ms * 1000000;
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		FAIL("socketpair: %s", strerror(errno));
	/* both ends in every worker: each sends to and reads from the pair */
	for (int i = 0; i < FZ_WORKERS; i++)
		pids[i] = -1;
	/*
	 * By the clock, not by steps: on a slow kernel the forks and execs
	 * of a step take longer than the step.
	 */
	for (mx_time_t now = mxt_now(); now < end; now = mxt_now()) {
		unsigned int left = (unsigned int)((end - now) / 1000000);

		/* Last step's exec'ing child goes; a new one comes. */
		if (exec_pid > 0) {
			close(exec_hold);
			kill(exec_pid, SIGKILL);
			waitpid(exec_pid, NULL, 0);
		}
		exec_pid = fz_exec_child(sv[gen & 1], FZ_UID + (uid_t)(gen & 1),
					 below(&r, 4) != 0, &exec_hold);
		fz_stats->execs++;
		for (int i = 0; i < FZ_WORKERS; i++) {
			if (pids[i] > 0)
				continue;
			pids[i] = mxt_fork();
			if (pids[i] == 0) {
				if (dup2(sv[i & 1], FZ_SOCK_FD) < 0)
					_exit(2);
				fz_run(fz_seed + 1000003ULL * ++gen + (uint64_t)i,
				       FZ_THREADS - 1, left, true,
				       FZ_UID + (uid_t)(i & 1));
				_exit(0);
			}
			gen++;
		}
		usleep(step * 1000);
		if (below(&r, 2)) {
			int i = (int)below(&r, FZ_WORKERS);

			kill(pids[i], SIGKILL);
			if (waitpid(pids[i], &status, 0) != pids[i])
				FAIL("waitpid: %s", strerror(errno));
			if (!WIFSIGNALED(status) && WEXITSTATUS(status) != 0)
				FAIL("worker exited with %d", WEXITSTATUS(status));
			fz_stats->kills++;
			pids[i] = -1;
		}
	}
	for (int i = 0; i < FZ_WORKERS; i++) {
		if (pids[i] < 0)
			continue;
		kill(pids[i], SIGKILL);
		waitpid(pids[i], &status, 0);
	}
	if (exec_pid > 0) {
		close(exec_hold);
		kill(exec_pid, SIGKILL);
		waitpid(exec_pid, NULL, 0);
	}
	fz_after("processes", ms);
}
