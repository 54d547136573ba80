// SPDX-License-Identifier: MIT
/*
 * A hostile neighbour. /dev/mx is open to every local user: here one user
 * (uid 5001), in processes and threads of its own, sits at every per-user
 * bound and floods and races all it can, while another user (uid 5002)
 * does ordinary work, which must complete, lose nothing and never wait
 * for long.
 *
 * The neighbour, each part a process started as root that becomes 5001:
 *  - arms: mx processes armed to start (MX_IOC_PROCESS_START, as libmx
 *    issues it before its fork) by threads that never fork, parked for
 *    the whole run: up to 2000, as many as a time budget and
 *    RLIMIT_NPROC allow; meanwhile one thread arms and aborts, and arms
 *    in threads that then exit, without a pause;
 *  - fill: handles in flight up to max_user_inflight_handles (channel
 *    endpoints nested two deep, so that the cycle collector has to walk
 *    them, then duplicates of an event), message memory up to
 *    max_user_message_bytes (64 KiB messages, never read), watches up to
 *    max_user_watches (half of them on an event the ordinary user
 *    signals, which it gave the neighbour over a channel as a service
 *    would; the rest on an event of the neighbour's own) and objects up
 *    to max_user_objects. Some slack is then given back for the other
 *    parts, and taken again every so often; a thread drains the packets
 *    that the ordinary user's signals queue;
 *  - cycles: channel cycles made and dropped, for the collector;
 *  - races: replace, to_fd and channel write against close of the same
 *    handle, from two pairs of threads, the call's user access made to a
 *    page not faulted yet while another thread keeps mmap_lock busy with
 *    mprotect() (the way an unprivileged user holds a user access);
 *  - kills: children that use mx (fork() children, and processes of
 *    mx_process_start()), SIGKILLed or mx_task_kill()ed in a storm.
 * Every call the neighbour makes must give one of the results the
 * contract documents for it (MX_OK, or MX_ERR_NO_RESOURCES at a bound...).
 * Its busy loops run about half the time (nb_duty()). At the end each
 * part must see the stop and end its threads: none is stuck in a call.
 *
 * The ordinary user, in two processes:
 *  - a channel ping-pong with a child process: sequence-numbered
 *    messages of 48 bytes to 64 KiB, every byte checked at both ends and
 *    in order, nothing lost or repeated; half of them carry events and
 *    channel endpoints, whose koids are checked at both ends;
 *  - event signal and wait round trips between two threads (on the event
 *    the neighbour watches);
 *  - mx_object_wait_async() + signal + mx_port_wait();
 *  - mx_process_create() + mx_thread_create() + mx_process_start() of a
 *    child that exits with a code (MX_TASK_TERMINATED, its return code
 *    and exit status checked), and fork() + _exit() + waitpid().
 * It runs alone first (the baseline, a fifth of the run), then beside the
 * neighbour for MX_NEIGHBOUR_SECONDS (default 15). The median and the
 * worst latency of each kind are printed for both, for the record, with
 * the steps of the slowest round; asserted are only that every round
 * completed in less than 2 s and that some rounds of each kind were done:
 * nobody is starved. A debug kernel (recognised by KUnit's debugfs
 * directory) is some 10 to 20 times slower: there the bound is 20 s, and
 * the per-user bounds are a quarter of their defaults for the case.
 *
 * Then the neighbour is SIGKILLed. Once its teardown has run nothing is
 * charged to it any more: with every bound lowered, uid 5001 can have
 * exactly what a fresh uid can. Every mx process is gone and, where
 * debugfs has them, no object, handle or message is left. (Kernel reports
 * are the runner's to find.)
 */
#include "held.h"

#include <dirent.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define NB_FLOOD_UID	5001
#define NB_USER_UID	5002
#define NB_FRESH_UID	5003

#define NB_GC_FILE	"/sys/kernel/debug/mx/channel_gc"
#define NB_STATS_FILE	"/sys/kernel/debug/mx/stats"

#define NB_MSG			65536
#define NB_SAMPLES		65536
#define NB_ARMS_MAX		2000
#define NB_ARM_SECONDS		3	/* the budget for parking them */
#define NB_BYTE_CHANNELS	8
#define NB_WATCH_GROUPS		32	/* keys of the shared watches */
#define NB_PAIRS		2
#define NB_FRESH_PAGES		64
#define NB_MPROTECT_BYTES	(16u << 20)
#define NB_PAGE			4096

/* ---- what the processes share ---- */

enum nb_kind {
	NB_PING,	/* channel round trip, bytes only */
	NB_PING_H,	/* channel round trip carrying handles */
	NB_EVENT,	/* event signal + wait round trip between threads */
	NB_PORT,	/* wait_async + signal + port_wait */
	NB_SPAWN,	/* mx process create .. start .. terminated, reaped */
	NB_FORK,	/* fork + _exit + waitpid */
	NB_KINDS
};

static const char *const nb_kind_name[NB_KINDS] = {
	"channel round trip, bytes",
	"channel round trip, handles",
	"event round trip",
	"port round trip",
	"mx process start to exit",
	"fork + exit + waitpid",
};

/* The least rounds of each kind per second of the run (stock kernels). */
static const double nb_min_rate[NB_KINDS] = { 1, 1, 0.5, 2, 0.2, 0.2 };

struct nb_lat {
	uint64_t n;
	uint64_t max_ns;
	char worst[160];		/* the steps of the slowest round */
	uint64_t samples[NB_SAMPLES];	/* the first NB_SAMPLES */
};

struct nb_summary {
	uint64_t n;
	uint64_t median_ns;
	uint64_t max_ns;
};

enum nb_part { NB_ARMS, NB_FILL, NB_CYCLES, NB_RACES, NB_KILLS, NB_PARTS };

static const char *const nb_part_name[NB_PARTS] = {
	"arms", "fill", "cycles", "races", "kills",
};

struct nb_flooder {
	pid_t pid;
	int ready;	/* set up, flooding */
	int acked;	/* saw the stop, every thread of its own ended */
	uint64_t c[12];	/* what it did, for the record */
};

struct nb_probe {
	int objects;
	int msgs;
	int inflight;
	int watches;
};

struct nb_shared {
	int go;
	int stop;
	int user_ready;
	mx_time_t deadline;
	uint64_t echoed;
	struct nb_lat lat[NB_KINDS];
	int have_base;
	double base_secs;
	struct nb_summary base[NB_KINDS];
	struct nb_flooder fl[NB_PARTS];
	struct nb_probe probe;
};

static struct nb_shared *nb;

__attribute__((constructor)) static void nb_map(void)
{
	nb = mmap(NULL, sizeof(*nb), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (nb == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
}

/* ---- small helpers ---- */

/* 10 on a debug kernel (KASAN, lockdep: 5-10 times slower), else 1. */
static unsigned int nb_slow(void)
{
	return mxt_debug_kernel() ? 10 : 1;
}

static unsigned int nb_seconds(void)
{
	const char *s = getenv("MX_NEIGHBOUR_SECONDS");
	int v = s ? atoi(s) : 15;

	return v > 0 ? (unsigned int)v : 15;
}

static double nb_base_seconds(void)
{
	double b = nb_seconds() / 5.0;

	return b < 2 ? 2 : b > 5 ? 5 : b;
}

/* How long the teardown and other waits may take before they are failures. */
static unsigned int nb_grace(void)
{
	return nb_slow() > 1 ? 120 : 30;
}

/* The longest a single operation of the ordinary user may take. */
static mx_duration_t nb_bound(void)
{
	return MX_SEC(2) * nb_slow();
}

static int nb_stopping(void)
{
	return __atomic_load_n(&nb->stop, __ATOMIC_ACQUIRE);
}

static int nb_past_deadline(void)
{
	return mxt_now() >= __atomic_load_n(&nb->deadline, __ATOMIC_ACQUIRE);
}

/*
 * The neighbour's busy loops run at most about half the time: burning
 * CPU is no harm of mx's (the CPU controller bounds that), and on the
 * two emulated CPUs a neighbour that takes them all would only measure
 * the scheduler. What it does to mx stays the same, only slower.
 */
static void nb_duty(mx_time_t *since)
{
	mx_time_t now = mxt_now();

	if (now - *since < MX_MSEC(2))
		return;
	usleep(2000);
	*since = mxt_now();
}

static void nb_count(struct nb_flooder *f, int i, uint64_t n)
{
	__atomic_fetch_add(&f->c[i], n, __ATOMIC_RELAXED);
}

/*
 * @s must be one of the statuses listed (the contract's results for the
 * call); returned, to branch on.
 */
#define NB_ALLOW(s, ...)						\
	nb_allow((s), #s, __FILE__, __LINE__,				\
		 (const mx_status_t[]){ __VA_ARGS__, 1 })

static mx_status_t nb_allow(mx_status_t s, const char *what, const char *file,
			    int line, const mx_status_t *ok)
{
	const mx_status_t *p;
	char list[256] = "";

	for (p = ok; *p != 1; p++)
		if (s == *p)
			return s;
	for (p = ok; *p != 1; p++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", p == ok ? "" : ", ", mx_status_get_string(*p));
	mxt_fail(file, line, "%s: got %s (%d), not one of %s", what,
		 mx_status_get_string(s), s, list);
}

static unsigned long nb_param(const char *name)
{
	char buf[64];

	mxt_param_get(name, buf, sizeof(buf));
	return strtoul(buf, NULL, 10);
}

/* The value of @key in a debugfs file of "key value" lines, or -1. */
static long long nb_debugfs_value(const char *file, const char *key)
{
	FILE *f = fopen(file, "r");
	char k[64];
	long long v, found = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", k, &v) == 2)
		if (!strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

/* Print the kernel stack of every thread of @pid (as root). */
static void nb_dump_stacks(pid_t pid)
{
	char path[320], buf[4096];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stack",
			 (int)pid, d->d_name);
		if (mxt_read_file(path, buf, sizeof(buf)))
			continue;
		printf("# stack of task %s of %d:\n# %s\n", d->d_name,
		       (int)pid, buf);
	}
	closedir(dir);
}

/* ---- latency records ---- */

/* The times of the steps of one round. */
struct nb_steps {
	mx_time_t t[6];
	const char *name[6];
	int n;
};

static void nb_begin(struct nb_steps *st)
{
	st->n = 0;
	st->t[0] = mxt_now();
}

/* Step @name of the round ends now. */
static void nb_mark(struct nb_steps *st, const char *name)
{
	st->name[++st->n] = name;
	st->t[st->n] = mxt_now();
}

/* The round is over: its time, and its steps if it is the slowest. */
static void nb_record(enum nb_kind k, const struct nb_steps *st)
{
	struct nb_lat *l = &nb->lat[k];
	uint64_t d = st->t[st->n] - st->t[0];
	size_t len = 0;
	int i;

	if (l->n < NB_SAMPLES)
		l->samples[l->n] = d;
	l->n++;
	if (d <= l->max_ns)
		return;
	l->max_ns = d;
	l->worst[0] = '\0';
	for (i = 1; i <= st->n && len < sizeof(l->worst); i++) {
		snprintf(l->worst + len, sizeof(l->worst) - len, "%s%s %.1f",
			 i > 1 ? ", " : "", st->name[i],
			 (st->t[i] - st->t[i - 1]) / 1e6);
		len = strlen(l->worst);
	}
}

static int nb_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static struct nb_summary nb_summarize(enum nb_kind k)
{
	struct nb_lat *l = &nb->lat[k];
	struct nb_summary s = { l->n, 0, l->max_ns };
	size_t n = l->n < NB_SAMPLES ? l->n : NB_SAMPLES;

	if (n) {
		qsort(l->samples, n, sizeof(l->samples[0]), nb_cmp_u64);
		s.median_ns = l->samples[n / 2];
	}
	return s;
}

static void nb_reset(void)
{
	int k;

	nb->go = nb->stop = nb->user_ready = 0;
	nb->echoed = 0;
	nb->deadline = MX_TIME_INFINITE;
	for (k = 0; k < NB_KINDS; k++)
		nb->lat[k].n = nb->lat[k].max_ns = 0, nb->lat[k].worst[0] = 0;
	memset(nb->fl, 0, sizeof(nb->fl));
}

/* ---- the ordinary user ---- */

struct nb_hdr {
	uint64_t seq;
	uint32_t size;
	uint32_t nh;
	uint64_t koid[4];
};

static const uint32_t nb_sizes[] = {
	48, 100, 1000, 4096, 4097, 16384, 33000, 65536,
};

static uint8_t nb_pattern(uint64_t seq, uint32_t i)
{
	return (uint8_t)(seq * 131u + i * 7u + (i >> 9));
}

/*
 * Between two rounds the ordinary user does something else for a while:
 * it is a service, not a benchmark, and must not compete for the CPU
 * with its own other threads.
 */
static void nb_nap(void)
{
	usleep(500);
}

/* The ordinary user's main process: its objects. */
static struct {
	mx_handle_t ev1;	/* the event the neighbour watches */
	mx_handle_t ev2;
	mx_handle_t ev3;
	mx_handle_t port;
	mx_handle_t p0;		/* the ping-pong channel, echo at p1 */
	mx_duration_t wait;	/* a wait longer than this is a failure */
} U;

/* The child at the far end of the ping-pong: checks and echoes. */
static void nb_echo(mx_handle_t ch)
{
	static uint8_t buf[NB_MSG];
	mx_handle_t hs[4];
	uint64_t expect = 0;

	for (;;) {
		mx_signals_t obs = 0;
		uint32_t n = 0, nh = 0, i;
		struct nb_hdr h;

		ASSERT_OK(mx_object_wait_one(ch, MX_CHANNEL_READABLE |
					     MX_CHANNEL_PEER_CLOSED,
					     MX_TIME_INFINITE, &obs));
		if (!(obs & MX_CHANNEL_READABLE))
			break;
		ASSERT_OK(mx_channel_read(ch, 0, buf, hs, NB_MSG, 4, &n, &nh));
		if (n < sizeof(h))
			FAIL("echo: a message of %u bytes", n);
		memcpy(&h, buf, sizeof(h));
		if (h.seq != expect)
			FAIL("echo: message %llu came when %llu was due (lost, repeated or reordered)",
			     (unsigned long long)h.seq,
			     (unsigned long long)expect);
		ASSERT_EQ(h.size, n);
		ASSERT_EQ(h.nh, nh);
		for (i = sizeof(h); i < n; i++)
			if (buf[i] != nb_pattern(h.seq, i))
				FAIL("echo: message %llu: byte %u is 0x%02x, want 0x%02x",
				     (unsigned long long)h.seq, i, buf[i],
				     nb_pattern(h.seq, i));
		for (i = 0; i < nh; i++)
			ASSERT_EQ(mxt_basic(hs[i]).koid, h.koid[i]);
		ASSERT_OK(mx_channel_write(ch, 0, buf, n, hs, nh));
		expect++;
	}
	nb->echoed = expect;
}

/* Sequence-numbered messages to the echo and back, checked. */
static void *nb_pinger(void *arg)
{
	static uint8_t out[NB_MSG], in[NB_MSG];
	struct nb_hdr *h = (struct nb_hdr *)out;
	uint64_t seq;

	(void)arg;
	for (seq = 0; !nb_past_deadline(); seq++) {
		uint32_t size = nb_sizes[seq % 8], nh = 0, n = 0, ngot = 0, i;
		mx_handle_t hs[4], got[4], keep = MX_HANDLE_INVALID;
		mx_signals_t obs = 0;
		uint64_t kept_peer = 0;
		struct nb_steps st;
		mx_status_t s;

		/* Every other message carries handles. */
		if (seq % 4 == 1 || seq % 4 == 3)
			hs[nh++] = mxt_event();
		if (seq % 4 == 3) {
			ASSERT_OK(mx_channel_create(0, &hs[nh], &keep));
			nh++;
			hs[nh++] = mxt_event();
		}
		memset(h, 0, sizeof(*h));
		h->seq = seq;
		h->size = size;
		h->nh = nh;
		for (i = 0; i < nh; i++)
			h->koid[i] = mxt_basic(hs[i]).koid;
		if (keep != MX_HANDLE_INVALID)
			kept_peer = mxt_basic(keep).related_koid;
		for (i = sizeof(*h); i < size; i++)
			out[i] = nb_pattern(seq, i);

		nb_begin(&st);
		ASSERT_OK(mx_channel_write(U.p0, 0, out, size, hs, nh));
		nb_mark(&st, "write");
		s = mx_object_wait_one(U.p0, MX_CHANNEL_READABLE |
				       MX_CHANNEL_PEER_CLOSED,
				       st.t[0] + U.wait, &obs);
		nb_mark(&st, "wait");
		if (s != MX_OK)
			FAIL("ping %llu: no answer in %llu s: %s",
			     (unsigned long long)seq,
			     (unsigned long long)(U.wait / MX_SEC(1)),
			     mx_status_get_string(s));
		if (!(obs & MX_CHANNEL_READABLE))
			FAIL("ping %llu: the echo is gone", (unsigned long long)seq);
		ASSERT_OK(mx_channel_read(U.p0, 0, in, got, NB_MSG, 4, &n,
					  &ngot));
		nb_mark(&st, "read");
		nb_record(nh ? NB_PING_H : NB_PING, &st);

		ASSERT_EQ(n, size);
		ASSERT_EQ(ngot, nh);
		for (i = 0; i < size; i++)
			if (in[i] != out[i])
				FAIL("ping %llu: byte %u came back 0x%02x, sent 0x%02x",
				     (unsigned long long)seq, i, in[i], out[i]);
		for (i = 0; i < nh; i++) {
			ASSERT_EQ(mxt_basic(got[i]).koid, h->koid[i]);
			ASSERT_OK(mx_handle_close(got[i]));
		}
		if (keep != MX_HANDLE_INVALID) {
			ASSERT_EQ(kept_peer, h->koid[1]);
			ASSERT_OK(mx_handle_close(keep));
		}
		nb_nap();
	}
	return NULL;
}

static void *nb_ponger(void *arg)
{
	(void)arg;
	for (;;) {
		mx_signals_t obs = 0;

		ASSERT_OK(mx_object_wait_one(U.ev1, MX_USER_SIGNAL_0 |
					     MX_USER_SIGNAL_1,
					     MX_TIME_INFINITE, &obs));
		if (obs & MX_USER_SIGNAL_1)
			return NULL;
		ASSERT_OK(mx_object_signal(U.ev1, MX_USER_SIGNAL_0, 0));
		ASSERT_OK(mx_object_signal(U.ev2, 0, MX_USER_SIGNAL_0));
	}
}

static void *nb_event_pinger(void *arg)
{
	(void)arg;
	while (!nb_past_deadline()) {
		struct nb_steps st;
		mx_signals_t obs = 0;
		mx_status_t s;

		nb_begin(&st);
		ASSERT_OK(mx_object_signal(U.ev1, 0, MX_USER_SIGNAL_0));
		nb_mark(&st, "signal");
		s = mx_object_wait_one(U.ev2, MX_USER_SIGNAL_0,
				       st.t[0] + U.wait, &obs);
		nb_mark(&st, "wait");
		if (s != MX_OK)
			FAIL("event round trip: no answer in %llu s: %s",
			     (unsigned long long)(U.wait / MX_SEC(1)),
			     mx_status_get_string(s));
		ASSERT_OK(mx_object_signal(U.ev2, MX_USER_SIGNAL_0, 0));
		nb_mark(&st, "clear");
		nb_record(NB_EVENT, &st);
		nb_nap();
	}
	ASSERT_OK(mx_object_signal(U.ev1, 0, MX_USER_SIGNAL_1));
	return NULL;
}

static void *nb_porter(void *arg)
{
	mx_port_packet_t pkt;
	uint64_t key = 0;

	(void)arg;
	while (!nb_past_deadline()) {
		struct nb_steps st;
		mx_status_t s;

		key++;
		nb_begin(&st);
		ASSERT_OK(mx_object_wait_async(U.ev3, U.port, key,
					       MX_USER_SIGNAL_0,
					       MX_WAIT_ASYNC_ONCE));
		nb_mark(&st, "wait_async");
		ASSERT_OK(mx_object_signal(U.ev3, 0, MX_USER_SIGNAL_0));
		nb_mark(&st, "signal");
		memset(&pkt, 0xa5, sizeof(pkt));
		s = mx_port_wait(U.port, st.t[0] + U.wait, &pkt, 0);
		nb_mark(&st, "port_wait");
		if (s != MX_OK)
			FAIL("port round trip: no packet in %llu s: %s",
			     (unsigned long long)(U.wait / MX_SEC(1)),
			     mx_status_get_string(s));
		nb_record(NB_PORT, &st);
		ASSERT_EQ(pkt.key, key);
		ASSERT_EQ(pkt.type, MX_PKT_TYPE_SIGNAL_ONE);
		ASSERT_EQ(pkt.status, MX_OK);
		ASSERT_EQ(pkt.signal.trigger, MX_USER_SIGNAL_0);
		ASSERT_TRUE(pkt.signal.observed & MX_USER_SIGNAL_0);
		ASSERT_OK(mx_object_signal(U.ev3, MX_USER_SIGNAL_0, 0));
		nb_nap();
	}
	/* Exactly one packet per round: none is left. */
	ASSERT_STATUS(mx_port_wait(U.port, 0, &pkt, 0), MX_ERR_TIMED_OUT);
	return NULL;
}

static void nb_wait_go(void)
{
	while (!__atomic_load_n(&nb->go, __ATOMIC_ACQUIRE))
		usleep(1000);
}

/*
 * The ordinary user's main process: the ping-pong (with its echo child),
 * the event and port round trips. With @sock >= 0 it first gives the
 * neighbour, through that socket, a channel carrying a read-only
 * duplicate of the event it signals.
 */
static void nb_user_main(int sock)
{
	pthread_t th[4];
	mx_handle_t p1, s0 = MX_HANDLE_INVALID, s1, dup;
	int fd, status, i;
	uint64_t pings;
	pid_t echo;

	U.wait = 3 * nb_bound();
	U.ev1 = mxt_event();
	U.ev2 = mxt_event();
	U.ev3 = mxt_event();
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &U.port));
	ASSERT_OK(mx_channel_create(0, &U.p0, &p1));
	ASSERT_OK(mx_handle_to_fd(p1, O_CLOEXEC, &fd));
	echo = mxt_fork();
	if (echo == 0) {
		mx_handle_t h;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ASSERT_OK(mx_handle_from_fd(fd, &h));
		close(fd);
		nb_echo(h);
		fflush(NULL);
		_exit(0);
	}
	close(fd);
	if (sock >= 0) {
		ASSERT_OK(mx_channel_create(0, &s0, &s1));
		dup = mxt_dup(U.ev1, MX_RIGHT_READ | MX_RIGHT_TRANSFER |
			      MX_RIGHT_DUPLICATE);
		ASSERT_OK(mx_channel_write(s0, 0, "event", 5, &dup, 1));
		ASSERT_OK(mx_handle_to_fd(s1, O_CLOEXEC, &fd));
		mxt_send_fd(sock, fd);
		close(fd);
		close(sock);
	}
	__atomic_store_n(&nb->user_ready, 1, __ATOMIC_RELEASE);
	nb_wait_go();

	ASSERT_EQ(pthread_create(&th[0], NULL, nb_ponger, NULL), 0);
	ASSERT_EQ(pthread_create(&th[1], NULL, nb_event_pinger, NULL), 0);
	ASSERT_EQ(pthread_create(&th[2], NULL, nb_porter, NULL), 0);
	ASSERT_EQ(pthread_create(&th[3], NULL, nb_pinger, NULL), 0);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(pthread_join(th[i], NULL), 0);

	/* Nothing is left on the way, and the echo saw every message once. */
	ASSERT_STATUS(mx_channel_read(U.p0, 0, NULL, NULL, 0, 0, NULL, NULL),
		      MX_ERR_SHOULD_WAIT);
	ASSERT_OK(mx_handle_close(U.p0));
	if (waitpid(echo, &status, 0) != echo)
		FAIL("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		FAIL("the echo failed (status 0x%x)", status);
	pings = nb->lat[NB_PING].n + nb->lat[NB_PING_H].n;
	ASSERT_EQ(nb->echoed, pings);
	if (s0 != MX_HANDLE_INVALID)
		ASSERT_OK(mx_handle_close(s0));
}

static void nb_exit_entry(uintptr_t arg1, uintptr_t code)
{
	(void)arg1;
	mx_process_exit((int)code);
}

/* The ordinary user's other process: processes made and ended. */
static void nb_user_spawner(void)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	mx_handle_t job = mx_job_default();
	mx_duration_t wait = 3 * nb_bound();
	unsigned int n;

	nb_wait_go();
	for (n = 0; !nb_past_deadline(); n++) {
		int code = 1 + (int)(n % 200), status;
		mx_handle_t p, t, a1;
		mx_info_process_t info;
		mx_signals_t obs = 0;
		struct nb_steps st;
		mx_status_t s;
		pid_t pid;

		nb_begin(&st);
		ASSERT_OK(mx_process_create(job, "nb-child", 8, 0, &p, NULL));
		ASSERT_OK(mx_thread_create(p, "main", 4, 0, &t));
		a1 = mxt_event();
		nb_mark(&st, "create");
		ASSERT_OK(mx_process_start(p, t, (uintptr_t)nb_exit_entry,
					   (uintptr_t)(stack + sizeof(stack)),
					   a1, (uintptr_t)code));
		nb_mark(&st, "start");
		s = mx_object_wait_one(p, MX_TASK_TERMINATED, st.t[0] + wait,
				       &obs);
		nb_mark(&st, "until terminated");
		if (s != MX_OK)
			FAIL("process %u did not end in %llu s: %s", n,
			     (unsigned long long)(wait / MX_SEC(1)),
			     mx_status_get_string(s));
		pid = waitpid(-1, &status, 0);
		if (pid < 0)
			FAIL("waitpid: %s", strerror(errno));
		nb_mark(&st, "reaped");
		nb_record(NB_SPAWN, &st);
		ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS, &info,
					     sizeof(info), NULL, NULL));
		ASSERT_EQ(info.started, 1);
		ASSERT_EQ(info.exited, 1);
		ASSERT_EQ(info.return_code, code);
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(WEXITSTATUS(status), code);
		ASSERT_OK(mx_handle_close(t));
		ASSERT_OK(mx_handle_close(p));

		fflush(NULL);
		nb_begin(&st);
		pid = fork();
		if (pid < 0)
			FAIL("fork: %s", strerror(errno));
		if (pid == 0)
			_exit(code);
		nb_mark(&st, "fork");
		if (waitpid(pid, &status, 0) != pid)
			FAIL("waitpid: %s", strerror(errno));
		nb_mark(&st, "waitpid");
		nb_record(NB_FORK, &st);
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(WEXITSTATUS(status), code);
		nb_nap();
	}
}

/* Start the ordinary user's two processes (as uid 5002). */
static void nb_start_user(pid_t pids[2], int sock, int other_sock)
{
	int i;

	for (i = 0; i < 2; i++) {
		pids[i] = mxt_fork();
		if (pids[i] == 0) {
			if (other_sock >= 0)
				close(other_sock);
			mxt_become(NB_USER_UID);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (i == 0) {
				nb_user_main(sock);
			} else {
				if (sock >= 0)
					close(sock);
				nb_user_spawner();
			}
			fflush(NULL);
			_exit(0);
		}
	}
}

/*
 * Wait for *@flag, failing if the child @pid ends first or it takes
 * longer than @secs.
 */
static void nb_wait_flag(const int *flag, pid_t pid, const char *what,
			 unsigned int secs)
{
	mx_time_t give_up = mxt_now() + MX_SEC(secs);
	int status;

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			FAIL("%s: the process ended first (status 0x%x)", what,
			     status);
		if (mxt_now() > give_up) {
			nb_dump_stacks(pid);
			FAIL("%s: not done in %u s", what, secs);
		}
		usleep(2000);
	}
}

/*
 * Start the ordinary user's work, for @secs, and wait until both its
 * processes succeeded; @watch (if any) checks on the neighbour meanwhile.
 */
static void nb_run_user(pid_t pids[2], double secs, void (*watch)(void))
{
	static const char *const what[2] = {
		"the ordinary user's main process", "the ordinary user's spawner",
	};
	unsigned int grace = (unsigned int)(3 * nb_bound() / MX_SEC(1)) + 30;
	int left = 2, i, status;
	mx_time_t end;

	__atomic_store_n(&nb->deadline, mxt_now() + (mx_time_t)(secs * 1e9),
			 __ATOMIC_RELEASE);
	__atomic_store_n(&nb->go, 1, __ATOMIC_RELEASE);
	end = nb->deadline + MX_SEC(grace);
	while (left) {
		if (watch)
			watch();
		for (i = 0; i < 2; i++) {
			pid_t r;

			if (!pids[i])
				continue;
			r = waitpid(pids[i], &status, WNOHANG);
			if (r == 0)
				continue;
			if (r < 0)
				FAIL("waitpid: %s", strerror(errno));
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				FAIL("%s failed (status 0x%x; its # lines above say why)",
				     what[i], status);
			pids[i] = 0;
			left--;
		}
		if (left && mxt_now() > end) {
			for (i = 0; i < 2; i++)
				if (pids[i])
					nb_dump_stacks(pids[i]);
			FAIL("the ordinary user is not done %u s after its deadline",
			     grace);
		}
		usleep(20000);
	}
}

static void nb_print_alone(double secs)
{
	int k;

	printf("# alone (%.1f s):\n", secs);
	for (k = 0; k < NB_KINDS; k++)
		printf("#   %-28s %7llu rounds, median %8.3f ms, max %8.3f ms\n",
		       nb_kind_name[k], (unsigned long long)nb->base[k].n,
		       nb->base[k].median_ns / 1e6, nb->base[k].max_ns / 1e6);
}

/* Every op under the bound; enough rounds of each kind. */
/*
 * Every op under the bound; enough rounds of each kind. @hint[k], if
 * any, says what the neighbour does that such a round may wait for.
 */
static void nb_check_user(const char *phase, double secs,
			  const struct nb_summary *s,
			  const char *const *hint)
{
	mx_duration_t bound = nb_bound();
	int k;

	for (k = 0; k < NB_KINDS; k++) {
		uint64_t least = (uint64_t)(secs * nb_min_rate[k] / nb_slow());

		if (least < 1)
			least = 1;
		if (s[k].max_ns >= bound)
			FAIL("%s: a %s took %.3f s (%s, in ms), the bound is %.0f s: the ordinary user was starved%s%s",
			     phase, nb_kind_name[k], s[k].max_ns / 1e9,
			     nb->lat[k].worst, bound / 1e9,
			     hint && hint[k] ? "; " : "",
			     hint && hint[k] ? hint[k] : "");
		if (s[k].n < least)
			FAIL("%s: %llu rounds of %s in %.1f s, at least %llu expected",
			     phase, (unsigned long long)s[k].n,
			     nb_kind_name[k], secs, (unsigned long long)least);
	}
}

/*
 * The ordinary user alone: the baseline, kept for the next case, and
 * the ordinary workload's own checks without anyone else around.
 */
TEST(ordinary_work_alone)
{
	double secs = nb_base_seconds();
	pid_t pids[2];
	int k;

	nb_reset();
	nb_start_user(pids, -1, -1);
	nb_wait_flag(&nb->user_ready, pids[0], "the ordinary user's set-up",
		     nb_grace());
	nb_run_user(pids, secs, NULL);
	for (k = 0; k < NB_KINDS; k++)
		nb->base[k] = nb_summarize(k);
	nb->base_secs = secs;
	nb->have_base = 1;
	nb_print_alone(secs);
	nb_check_user("alone", secs, nb->base, NULL);
}

/* ---- the neighbour: arms ---- */

static int nb_mx_fd;

static mx_status_t nb_ioctl(unsigned long cmd, void *arg)
{
	int r = ioctl(nb_mx_fd, cmd, arg);

	if (r < 0)
		FAIL("ioctl 0x%lx: %s", cmd, strerror(errno));
	return -r;
}

/* MX_IOC_PROCESS_START as mx_process_start() issues it, without a fork. */
static mx_status_t nb_arm(mx_handle_t p, mx_handle_t t, mx_handle_t arg1)
{
	struct mx_ioc_process_start a;
	int32_t out = 0;

	memset(&a, 0, sizeof(a));
	a.process = p;
	a.thread = t;
	a.arg1 = arg1;
	a.out = (uint64_t)(uintptr_t)&out;
	return nb_ioctl(MX_IOC_PROCESS_START, &a);
}

static mx_status_t nb_arm_abort(void)
{
	struct mx_ioc_process_start a;

	memset(&a, 0, sizeof(a));
	a.flags = MX_PROCESS_START_ABORT;
	return nb_ioctl(MX_IOC_PROCESS_START, &a);
}

static struct {
	mx_handle_t job;
	mx_handle_t src;	/* arg1 of every arm is a duplicate of it */
	sem_t done;		/* a thread has armed, or could not */
	int parked;		/* threads that armed and stay */
	int refused;		/* threads that met the object bound */
	mx_status_t last;	/* the last thread that exits armed: */
	mx_handle_t p, t;	/* what it armed */
} A;

/* Arm a start of a new process in this thread: MX_OK or NO_RESOURCES. */
static mx_status_t nb_arm_new(mx_handle_t *pp, mx_handle_t *tp)
{
	mx_handle_t p, t, a1;
	mx_status_t s;

	s = NB_ALLOW(mx_process_create(A.job, "nb-arm", 6, 0, &p, NULL),
		     MX_OK, MX_ERR_NO_RESOURCES);
	if (s != MX_OK)
		return s;
	s = NB_ALLOW(mx_thread_create(p, "t", 1, 0, &t), MX_OK,
		     MX_ERR_NO_RESOURCES);
	if (s != MX_OK) {
		ASSERT_OK(mx_handle_close(p));
		return s;
	}
	a1 = mxt_dup(A.src, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(nb_arm(p, t, a1));
	*pp = p;
	*tp = t;
	return MX_OK;
}

/* Arm, and stay: the arm stays parked for as long as the thread lives. */
static void *nb_arm_parked(void *arg)
{
	mx_handle_t p, t;

	(void)arg;
	if (nb_arm_new(&p, &t) != MX_OK) {
		__atomic_fetch_add(&A.refused, 1, __ATOMIC_RELAXED);
		sem_post(&A.done);
		return NULL;
	}
	__atomic_fetch_add(&A.parked, 1, __ATOMIC_RELAXED);
	sem_post(&A.done);
	for (;;)
		pause();
}

/* Arm, and exit: the exit ends the arm. */
static void *nb_arm_exiting(void *arg)
{
	(void)arg;
	A.last = nb_arm_new(&A.p, &A.t);
	return NULL;
}

static void nb_arms(struct nb_flooder *f)
{
	mx_time_t budget = mxt_now() + MX_SEC(NB_ARM_SECONDS * nb_slow());
	mx_handle_t p = MX_HANDLE_INVALID, t = MX_HANDLE_INVALID;
	unsigned int cap = NB_ARMS_MAX, made = 0, i, batch;
	mx_time_t busy = mxt_now();
	pthread_attr_t attr;
	struct rlimit rl;
	pthread_t th;
	int r = 0;

	nb_mx_fd = open("/dev/mx", O_RDWR | O_CLOEXEC);
	if (nb_mx_fd < 0)
		FAIL("open /dev/mx: %s", strerror(errno));
	A.job = mx_job_default();
	A.src = mxt_event();
	if (sem_init(&A.done, 0, 0))
		FAIL("sem_init: %s", strerror(errno));
	/*
	 * Two objects each: a sixteenth of the user's; and room under
	 * RLIMIT_NPROC for the neighbour's other tasks.
	 */
	if (nb_param("max_user_objects") / 32 < cap)
		cap = (unsigned int)(nb_param("max_user_objects") / 32);
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 2 < cap)
		cap = (unsigned int)(rl.rlim_cur / 2);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* In batches, as long as the time budget lasts. */
	while (made < cap && mxt_now() < budget && !A.refused && r != EAGAIN) {
		for (batch = 0; batch < 50 && made < cap; batch++, made++) {
			r = pthread_create(&th, &attr, nb_arm_parked, NULL);
			if (r == EAGAIN)
				break;
			if (r)
				FAIL("pthread_create: %s", strerror(r));
		}
		for (i = 0; i < batch; i++)
			while (sem_wait(&A.done))
				;
	}
	f->c[0] = (uint64_t)A.parked;
	__atomic_store_n(&f->ready, 1, __ATOMIC_RELEASE);

	/*
	 * Meanwhile: arm and abort, again and again (both walk the arms);
	 * every eighth time, arm in a thread that then exits.
	 */
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_JOINABLE);
	while (!nb_stopping() &&
	       NB_ALLOW(mx_process_create(A.job, "nb-churn", 8, 0, &p, NULL),
			MX_OK, MX_ERR_NO_RESOURCES) != MX_OK)
		usleep(1000);
	while (!nb_stopping() &&
	       NB_ALLOW(mx_thread_create(p, "t", 1, 0, &t), MX_OK,
			MX_ERR_NO_RESOURCES) != MX_OK)
		usleep(1000);
	for (i = 0; !nb_stopping(); i++) {
		nb_duty(&busy);
		if (i % 8 != 7) {
			ASSERT_OK(nb_arm(p, t, mxt_dup(A.src,
						       MX_RIGHT_SAME_RIGHTS)));
			ASSERT_OK(nb_arm_abort());
			/* Nothing is armed in this thread any more. */
			ASSERT_STATUS(nb_arm_abort(), MX_ERR_BAD_STATE);
			nb_count(f, 1, 1);
			continue;
		}
		r = pthread_create(&th, &attr, nb_arm_exiting, NULL);
		if (r == EAGAIN) {
			usleep(1000);
			continue;
		}
		if (r)
			FAIL("pthread_create: %s", strerror(r));
		ASSERT_EQ(pthread_join(th, NULL), 0);
		if (A.last == MX_OK) {
			/* Its exit ended the arm; the objects go with these. */
			ASSERT_OK(mx_handle_close(A.t));
			ASSERT_OK(mx_handle_close(A.p));
			nb_count(f, 2, 1);
		}
	}
	__atomic_store_n(&f->acked, 1, __ATOMIC_RELEASE);
	for (;;)
		pause();
}

/* ---- the neighbour: everything to its bound ---- */

static struct {
	mx_handle_t sev;		/* the ordinary user's event */
	mx_handle_t wp;			/* the port of every watch */
	mx_handle_t e[2];		/* duplicates in flight */
	mx_handle_t dsrc;		/* what they duplicate */
	mx_handle_t mb[NB_BYTE_CHANNELS][2];	/* message memory */
	unsigned long group;		/* shared watches of one key */
} F;

static void *nb_drainer(void *arg)
{
	struct nb_flooder *f = arg;
	mx_port_packet_t pkt;

	while (!nb_stopping()) {
		if (NB_ALLOW(mx_port_wait(F.wp, mx_deadline_after(MX_MSEC(5)),
					  &pkt, 0),
			     MX_OK, MX_ERR_TIMED_OUT) != MX_OK)
			continue;
		ASSERT_EQ(pkt.type, MX_PKT_TYPE_SIGNAL_REP);
		ASSERT_TRUE(pkt.key < NB_WATCH_GROUPS);
		ASSERT_EQ(pkt.signal.trigger, MX_USER_SIGNAL_0);
		nb_count(f, 8, 1);
	}
	return NULL;
}

/* Write @n duplicates of F.dsrc in one message: MX_OK or NO_RESOURCES. */
static mx_status_t nb_write_dups(uint32_t n)
{
	mx_handle_t d[64] = { 0 };
	mx_status_t s;
	uint32_t i;

	for (i = 0; i < n; i++)
		d[i] = mxt_dup(F.dsrc, MX_RIGHT_SAME_RIGHTS);
	s = NB_ALLOW(mx_channel_write(F.e[0], 0, "", 0, d, n), MX_OK,
		     MX_ERR_NO_RESOURCES);
	if (s != MX_OK)
		for (i = 0; i < n; i++)
			ASSERT_OK(mx_handle_close(d[i]));
	return s;
}

/* Read one message of duplicates back and close them. */
static void nb_read_dups(void)
{
	mx_handle_t d[64];
	uint32_t nh = 0, i;

	ASSERT_OK(mx_channel_read(F.e[1], 0, NULL, d, 0, 64, NULL, &nh));
	for (i = 0; i < nh; i++)
		ASSERT_OK(mx_handle_close(d[i]));
}

static void nb_fill(struct nb_flooder *f, int sock)
{
	static char buf[NB_MSG];
	mx_handle_t sc, k[2], batch[64], pev, *objs, extra[8192], d;
	unsigned long inflight_max = nb_param("max_user_inflight_handles");
	unsigned long watch_max = nb_param("max_user_watches");
	unsigned long bytes_max = nb_param("max_user_message_bytes");
	unsigned long objects_max = nb_param("max_user_objects");
	/* A quarter of the handles in flight are channel endpoints. */
	unsigned long groups = inflight_max / 16;
	/* Half the watches are on the ordinary user's event. */
	unsigned long shared = watch_max / 2, msg_slack;
	uint32_t nbatch = 0, n = 0, nh = 0, per;
	unsigned long inflight = 0, watches = 0, msgs, nobj, i, g = 0;
	pthread_t drainer;
	int fd;

	/* The service's channel, and the event in it. */
	fd = mxt_recv_fd(sock);
	close(sock);
	ASSERT_OK(mx_handle_from_fd(fd, &sc));
	close(fd);
	ASSERT_OK(mx_channel_read(sc, 0, buf, &F.sev, sizeof(buf), 1, &n,
				  &nh));
	ASSERT_EQ(nh, 1);
	ASSERT_EQ(mxt_basic(F.sev).type, MX_OBJ_TYPE_EVENT);
	ASSERT_EQ(mxt_basic(F.sev).rights, MX_RIGHT_READ | MX_RIGHT_TRANSFER |
		  MX_RIGHT_DUPLICATE);

	/*
	 * Handles in flight: channels two deep (x's queue holds y's two
	 * ends; x's ends are queued at k[1]), then duplicates, 64 to a
	 * message and then one by one, to the bound exactly.
	 */
	ASSERT_OK(mx_channel_create(0, &k[0], &k[1]));
	for (i = 0; i < groups; i++) {
		mx_handle_t x[2], y[2];

		ASSERT_OK(mx_channel_create(0, &x[0], &x[1]));
		ASSERT_OK(mx_channel_create(0, &y[0], &y[1]));
		ASSERT_OK(mx_channel_write(x[1], 0, "", 0, y, 2));
		batch[nbatch++] = x[0];
		batch[nbatch++] = x[1];
		if (nbatch == 64) {
			ASSERT_OK(mx_channel_write(k[0], 0, "", 0, batch, 64));
			nbatch = 0;
		}
		inflight += 4;
	}
	ASSERT_EQ(nbatch, 0);
	ASSERT_OK(mx_channel_create(0, &F.e[0], &F.e[1]));
	F.dsrc = mxt_event();
	for (per = 64; per; per = per == 64 ? 1 : 0)
		while (nb_write_dups(per) == MX_OK)
			inflight += per;
	ASSERT_EQ(inflight, inflight_max);
	f->c[0] = inflight;

	/* Message memory: 64 KiB messages, never read, to the bound. */
	for (i = 0; i < NB_BYTE_CHANNELS; i++)
		ASSERT_OK(mx_channel_create(0, &F.mb[i][0], &F.mb[i][1]));
	for (msgs = 0;; msgs++) {
		memcpy(buf, &msgs, sizeof(msgs));
		if (NB_ALLOW(mx_channel_write(F.mb[msgs % NB_BYTE_CHANNELS][0],
					      0, buf, NB_MSG, NULL, 0),
			     MX_OK, MX_ERR_NO_RESOURCES) != MX_OK)
			break;
	}
	ASSERT_TRUE(msgs > 0 && msgs * NB_MSG <= bytes_max);
	f->c[1] = msgs;
	msg_slack = msgs / 32 ? msgs / 32 : 1;

	/* Watches: half on the ordinary user's event, then to the bound. */
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &F.wp));
	F.group = shared / NB_WATCH_GROUPS;
	ASSERT_TRUE(F.group > 0);
	shared = F.group * NB_WATCH_GROUPS;
	for (i = 0; i < shared; i++, watches++)
		ASSERT_OK(mx_object_wait_async(F.sev, F.wp, i / F.group,
					       MX_USER_SIGNAL_0,
					       MX_WAIT_ASYNC_REPEATING));
	pev = mxt_event();
	while (NB_ALLOW(mx_object_wait_async(pev, F.wp, 1u << 20,
					     MX_USER_SIGNAL_0,
					     MX_WAIT_ASYNC_REPEATING),
			MX_OK, MX_ERR_NO_RESOURCES) == MX_OK)
		watches++;
	ASSERT_EQ(watches, watch_max);
	f->c[2] = watches;
	f->c[10] = shared;

	/* Objects, to the bound. */
	objs = malloc(65536 * sizeof(*objs));
	ASSERT_TRUE(objs != NULL);
	for (nobj = 0; nobj < 65536; nobj++)
		if (NB_ALLOW(mx_event_create(0, &objs[nobj]), MX_OK,
			     MX_ERR_NO_RESOURCES) != MX_OK)
			break;
	ASSERT_TRUE(nobj < 65536);
	/* The user's bound, not a full handle table. */
	d = mxt_dup(F.dsrc, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_handle_close(d));
	f->c[3] = nobj;

	/* Some slack for the neighbour's other parts. */
	for (i = 0; i < objects_max / 16 && nobj; i++)
		ASSERT_OK(mx_handle_close(objs[--nobj]));
	for (i = 0; i < msg_slack; i++) {
		unsigned long seq = ~0ul;

		ASSERT_OK(mx_channel_read(F.mb[0][1], 0, buf, NULL, NB_MSG, 0,
					  &n, NULL));
		ASSERT_EQ(n, NB_MSG);
		memcpy(&seq, buf, sizeof(seq));
		ASSERT_EQ(seq, i * NB_BYTE_CHANNELS);
	}
	for (i = 0; i < 32; i++)
		nb_read_dups();
	__atomic_store_n(&f->ready, 1, __ATOMIC_RELEASE);

	ASSERT_EQ(pthread_create(&drainer, NULL, nb_drainer, f), 0);
	/*
	 * Take the slack back to the bound, again and again; and cancel and
	 * make again a group of watches on the ordinary user's event.
	 */
	while (!nb_stopping()) {
		for (i = 0; i < 8192; i++)
			if (NB_ALLOW(mx_event_create(0, &extra[i]), MX_OK,
				     MX_ERR_NO_RESOURCES) != MX_OK)
				break;
		if (i < 8192)
			nb_count(f, 4, 1);
		usleep(20000);
		while (i)
			ASSERT_OK(mx_handle_close(extra[--i]));

		for (i = 0; i < 64; i++)
			if (NB_ALLOW(mx_channel_write(F.mb[1][0], 0, buf,
						      NB_MSG, NULL, 0),
				     MX_OK, MX_ERR_NO_RESOURCES) != MX_OK)
				break;
		if (i < 64)
			nb_count(f, 5, 1);
		while (i--)
			ASSERT_OK(mx_channel_read(F.mb[1][1], 0, buf, NULL,
						  NB_MSG, 0, &n, NULL));

		for (i = 0; i < 4096; i++)
			if (nb_write_dups(1) != MX_OK)
				break;
		if (i < 4096)
			nb_count(f, 6, 1);
		while (i--)
			nb_read_dups();

		NB_ALLOW(mx_port_cancel(F.wp, F.sev, g), MX_OK,
			 MX_ERR_NOT_FOUND);
		for (i = 0; i < F.group; i++)
			if (NB_ALLOW(mx_object_wait_async(F.sev, F.wp, g,
							  MX_USER_SIGNAL_0,
							  MX_WAIT_ASYNC_REPEATING),
				     MX_OK, MX_ERR_NO_RESOURCES) != MX_OK)
				break;
		g = (g + 1) % NB_WATCH_GROUPS;
		nb_count(f, 7, 1);
		usleep(30000);
	}
	ASSERT_EQ(pthread_join(drainer, NULL), 0);
	__atomic_store_n(&f->acked, 1, __ATOMIC_RELEASE);
	for (;;)
		pause();
}

/* ---- the neighbour: cycles for the collector ---- */

/* A channel, or nothing at the user's bound. */
static int nb_channel(mx_handle_t *a, mx_handle_t *b)
{
	return NB_ALLOW(mx_channel_create(0, a, b), MX_OK,
			MX_ERR_NO_RESOURCES) == MX_OK;
}

/* Write @h into @ch: 1, or 0 at a bound (@h is still the caller's). */
static int nb_send(mx_handle_t ch, mx_handle_t h)
{
	return NB_ALLOW(mx_channel_write(ch, 0, "", 0, &h, 1), MX_OK,
			MX_ERR_NO_RESOURCES) == MX_OK;
}

static void nb_cycles(struct nb_flooder *f)
{
	uint64_t r = (uint64_t)getpid();
	mx_time_t busy = mxt_now();

	__atomic_store_n(&f->ready, 1, __ATOMIC_RELEASE);
	while (!nb_stopping()) {
		mx_handle_t a, b, c, d, x[8], y[8], got[2];
		int sent[8], k, i;
		uint32_t nh = 0;

		nb_duty(&busy);
		switch (mxt_rnd(&r) % 4) {
		case 0:		/* b in its own queue */
			if (!nb_channel(&a, &b))
				break;
			if (!nb_send(a, b))
				ASSERT_OK(mx_handle_close(b));
			ASSERT_OK(mx_handle_close(a));
			nb_count(f, 0, 1);
			break;
		case 1:		/* b and d in each other's queue */
			if (!nb_channel(&a, &b))
				break;
			if (!nb_channel(&c, &d)) {
				ASSERT_OK(mx_handle_close(a));
				ASSERT_OK(mx_handle_close(b));
				break;
			}
			if (!nb_send(a, d))
				ASSERT_OK(mx_handle_close(d));
			if (!nb_send(c, b))
				ASSERT_OK(mx_handle_close(b));
			ASSERT_OK(mx_handle_close(a));
			ASSERT_OK(mx_handle_close(c));
			nb_count(f, 1, 1);
			break;
		case 2:		/* a ring of up to 8 */
			for (k = 0; k < 8 && nb_channel(&x[k], &y[k]); k++)
				sent[k] = 0;
			for (i = 0; i < k; i++)
				sent[(i + 1) % k] = nb_send(x[i],
							    y[(i + 1) % k]);
			for (i = 0; i < k; i++) {
				ASSERT_OK(mx_handle_close(x[i]));
				if (!sent[i])
					ASSERT_OK(mx_handle_close(y[i]));
			}
			nb_count(f, 2, 1);
			break;
		default:	/* an ordinary transfer, read back */
			if (!nb_channel(&a, &b))
				break;
			if (!nb_channel(&c, &d)) {
				ASSERT_OK(mx_handle_close(a));
				ASSERT_OK(mx_handle_close(b));
				break;
			}
			x[0] = c;
			x[1] = d;
			if (NB_ALLOW(mx_channel_write(a, 0, "", 0, x, 2), MX_OK,
				     MX_ERR_NO_RESOURCES) == MX_OK) {
				ASSERT_OK(mx_channel_read(b, 0, NULL, got, 0, 2,
							  NULL, &nh));
				ASSERT_EQ(nh, 2);
				c = got[0];
				d = got[1];
			}
			ASSERT_OK(mx_handle_close(a));
			ASSERT_OK(mx_handle_close(b));
			ASSERT_OK(mx_handle_close(c));
			ASSERT_OK(mx_handle_close(d));
			nb_count(f, 3, 1);
			break;
		}
	}
	__atomic_store_n(&f->acked, 1, __ATOMIC_RELEASE);
	for (;;)
		pause();
}

/* ---- the neighbour: races against close ---- */

enum { NB_OP_REPLACE, NB_OP_TO_FD, NB_OP_WRITE, NB_OPS };

struct nb_pair {
	struct nb_flooder *f;
	pthread_barrier_t bar;
	mx_handle_t target;
	int quit;
	mx_status_t cst;
	mx_time_t close_end;	/* when the close returned */
	uint64_t seed;
	char *fresh;		/* NB_FRESH_PAGES pages, faulted once each */
	unsigned int next;
	mx_handle_t ch[2];
	pthread_t actor, closer;
};

static struct nb_pair nb_pairs[NB_PAIRS];

/* A page of the pair's that has not been touched since it was mapped. */
static char *nb_fresh_page(struct nb_pair *pr)
{
	if (pr->next == NB_FRESH_PAGES) {
		/* New pages in place of the used ones (mmap takes mmap_lock). */
		if (mmap(pr->fresh, NB_FRESH_PAGES * NB_PAGE,
			 PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
		    pr->fresh)
			FAIL("mmap: %s", strerror(errno));
		pr->next = 0;
	}
	return pr->fresh + NB_PAGE * pr->next++;
}

/* Keeps mmap_lock busy: a page fault waits for each mprotect(). */
static void *nb_mprotector(void *arg)
{
	struct nb_flooder *f = arg;
	char *region = mmap(NULL, NB_MPROTECT_BYTES, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	mx_time_t busy = mxt_now();

	if (region == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	while (!nb_stopping()) {
		nb_duty(&busy);
		if (mprotect(region, NB_MPROTECT_BYTES, PROT_READ) ||
		    mprotect(region, NB_MPROTECT_BYTES, PROT_READ | PROT_WRITE))
			FAIL("mprotect: %s", strerror(errno));
		nb_count(f, 9, 1);
	}
	return NULL;
}

static void *nb_closer(void *arg)
{
	struct nb_pair *pr = arg;
	uint64_t r = pr->seed ^ 0x5555;

	for (;;) {
		volatile unsigned int spin;
		unsigned int n;

		pthread_barrier_wait(&pr->bar);
		if (pr->quit)
			return NULL;
		n = (unsigned int)(mxt_rnd(&r) % 4000);
		for (spin = 0; spin < n; spin++)
			;
		pr->cst = pr->target ? mx_handle_close(pr->target) :
				       MX_ERR_BAD_HANDLE;
		pr->close_end = mxt_now();
		pthread_barrier_wait(&pr->bar);
	}
}

/*
 * One race: the op on e against a close of e. Exactly one of them takes
 * the handle; an op that failed after holding it gives it back.
 */
static void nb_race_once(struct nb_pair *pr, int op, mx_handle_t e,
			 uint64_t koid)
{
	struct nb_flooder *f = pr->f;
	char *page = nb_fresh_page(pr);
	mx_handle_t got = MX_HANDLE_INVALID, *out = (mx_handle_t *)page;
	int *fdp = (int *)page, op_took, close_took;
	uint32_t n = 0, nh = 0;
	char bytes[64];
	mx_status_t s = MX_OK;
	mx_time_t op_end;

	switch (op) {
	case NB_OP_REPLACE:
		s = NB_ALLOW(mx_handle_replace(e, MX_RIGHT_SAME_RIGHTS, out),
			     MX_OK, MX_ERR_BAD_HANDLE);
		break;
	case NB_OP_TO_FD:
		s = NB_ALLOW(mx_handle_to_fd(e, O_CLOEXEC, fdp), MX_OK,
			     MX_ERR_BAD_HANDLE, MX_ERR_NO_RESOURCES);
		break;
	default:
		s = NB_ALLOW(mx_channel_write(pr->ch[0], 0, page, 64, &e, 1),
			     MX_OK, MX_ERR_BAD_HANDLE, MX_ERR_NO_RESOURCES);
		break;
	}
	op_end = mxt_now();
	pthread_barrier_wait(&pr->bar);		/* the close is done */
	NB_ALLOW(pr->cst, MX_OK, MX_ERR_BAD_HANDLE);
	op_took = s == MX_OK;
	close_took = pr->cst == MX_OK;
	if (op_took && close_took)
		FAIL("op %d and a close both took handle %d", op, e);
	if (s == MX_ERR_BAD_HANDLE && !close_took)
		FAIL("op %d found no handle %d, and neither did the close", op,
		     e);
	if (!op_took && !close_took) {
		/* The op held it, failed, and put it back. */
		ASSERT_STATUS(s, MX_ERR_NO_RESOURCES);
		ASSERT_OK(mx_handle_close(e));
		nb_count(f, 2, 1);
		return;
	}
	nb_count(f, op_took ? 0 : 1, 1);
	if (!op_took)
		return;
	/* The close came and went while the op was still in its call. */
	if (pr->close_end < op_end)
		nb_count(f, 3, 1);
	switch (op) {
	case NB_OP_REPLACE:
		got = *out;
		break;
	case NB_OP_TO_FD:
		ASSERT_OK(mx_handle_from_fd(*fdp, &got));
		ASSERT_EQ(close(*fdp), 0);
		break;
	default:
		ASSERT_OK(mx_channel_read(pr->ch[1], 0, bytes, &got,
					  sizeof(bytes), 1, &n, &nh));
		ASSERT_EQ(n, 64);
		ASSERT_EQ(nh, 1);
		for (n = 0; n < 64; n++)
			ASSERT_EQ(bytes[n], 0);
		break;
	}
	ASSERT_EQ(mxt_basic(got).koid, koid);
	ASSERT_OK(mx_handle_close(got));
}

static void *nb_actor(void *arg)
{
	struct nb_pair *pr = arg;
	mx_time_t busy = mxt_now();
	uint64_t iter;

	for (iter = 0;; iter++) {
		mx_handle_t e = MX_HANDLE_INVALID;
		uint64_t koid = 0;
		int stop = nb_stopping();

		nb_duty(&busy);
		if (!stop && NB_ALLOW(mx_event_create(0, &e), MX_OK,
				      MX_ERR_NO_RESOURCES) == MX_OK)
			koid = mxt_basic(e).koid;
		else
			e = MX_HANDLE_INVALID;
		pr->target = e;
		pr->quit = stop;
		pthread_barrier_wait(&pr->bar);
		if (stop)
			return NULL;
		if (e == MX_HANDLE_INVALID) {
			pthread_barrier_wait(&pr->bar);
			usleep(200);
			continue;
		}
		nb_race_once(pr, (int)(iter % NB_OPS), e, koid);
	}
}

static void nb_races(struct nb_flooder *f)
{
	pthread_t mp;
	int i;

	ASSERT_EQ(pthread_create(&mp, NULL, nb_mprotector, f), 0);
	for (i = 0; i < NB_PAIRS; i++) {
		struct nb_pair *pr = &nb_pairs[i];

		pr->f = f;
		pr->seed = (uint64_t)getpid() * 7919 + (uint64_t)i;
		pr->fresh = mmap(NULL, NB_FRESH_PAGES * NB_PAGE,
				 PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (pr->fresh == MAP_FAILED)
			FAIL("mmap: %s", strerror(errno));
		while (!nb_channel(&pr->ch[0], &pr->ch[1]))
			usleep(1000);
		pthread_barrier_init(&pr->bar, NULL, 2);
		ASSERT_EQ(pthread_create(&pr->actor, NULL, nb_actor, pr), 0);
		ASSERT_EQ(pthread_create(&pr->closer, NULL, nb_closer, pr), 0);
	}
	__atomic_store_n(&f->ready, 1, __ATOMIC_RELEASE);
	for (i = 0; i < NB_PAIRS; i++) {
		ASSERT_EQ(pthread_join(nb_pairs[i].actor, NULL), 0);
		ASSERT_EQ(pthread_join(nb_pairs[i].closer, NULL), 0);
	}
	ASSERT_EQ(pthread_join(mp, NULL), 0);
	__atomic_store_n(&f->acked, 1, __ATOMIC_RELEASE);
	for (;;)
		pause();
}

/* ---- the neighbour: a kill storm ---- */

/* A child that uses mx until it is killed. */
__attribute__((noreturn)) static void nb_doomed(void)
{
	for (;;) {
		mx_handle_t a, b, e;

		if (!nb_channel(&a, &b))
			continue;
		if (NB_ALLOW(mx_event_create(0, &e), MX_OK,
			     MX_ERR_NO_RESOURCES) == MX_OK && !nb_send(a, e))
			ASSERT_OK(mx_handle_close(e));
		NB_ALLOW(mx_object_wait_one(b, MX_CHANNEL_READABLE,
					    mx_deadline_after(MX_USEC(300)),
					    NULL),
			 MX_OK, MX_ERR_TIMED_OUT);
		ASSERT_OK(mx_handle_close(a));
		ASSERT_OK(mx_handle_close(b));
	}
}

static void nb_doomed_entry(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg1;
	(void)arg2;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	nb_doomed();
}

static void nb_kills(struct nb_flooder *f)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	mx_handle_t job = mx_job_default();
	mx_duration_t wait = MX_SEC(10) * nb_slow();
	uint64_t r = (uint64_t)getpid() * 31;

	__atomic_store_n(&f->ready, 1, __ATOMIC_RELEASE);
	while (!nb_stopping()) {
		mx_handle_t p, t, a1;
		mx_info_process_t info;
		mx_signals_t obs = 0;
		int status;
		pid_t pid;

		if (mxt_rnd(&r) % 2) {
			fflush(NULL);
			pid = fork();
			if (pid < 0) {
				ASSERT_EQ(errno, EAGAIN);
				nb_count(f, 2, 1);
				usleep(1000);
				continue;
			}
			if (pid == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				nb_doomed();
			}
			usleep((useconds_t)(mxt_rnd(&r) % 3000));
			ASSERT_EQ(kill(pid, SIGKILL), 0);
			if (waitpid(pid, &status, 0) != pid)
				FAIL("waitpid: %s", strerror(errno));
			if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
				FAIL("a doomed child ended by itself (status 0x%x)",
				     status);
			nb_count(f, 0, 1);
			continue;
		}
		if (NB_ALLOW(mx_process_create(job, "nb-doomed", 9, 0, &p,
					       NULL),
			     MX_OK, MX_ERR_NO_RESOURCES) != MX_OK) {
			usleep(1000);
			continue;
		}
		if (NB_ALLOW(mx_thread_create(p, "t", 1, 0, &t), MX_OK,
			     MX_ERR_NO_RESOURCES) != MX_OK) {
			ASSERT_OK(mx_handle_close(p));
			usleep(1000);
			continue;
		}
		if (NB_ALLOW(mx_event_create(0, &a1), MX_OK,
			     MX_ERR_NO_RESOURCES) != MX_OK) {
			ASSERT_OK(mx_handle_close(t));
			ASSERT_OK(mx_handle_close(p));
			usleep(1000);
			continue;
		}
		/* NO_RESOURCES: the fork failed (RLIMIT_NPROC); arg1 is gone. */
		if (NB_ALLOW(mx_process_start(p, t, (uintptr_t)nb_doomed_entry,
					      (uintptr_t)(stack + sizeof(stack)),
					      a1, 0),
			     MX_OK, MX_ERR_NO_RESOURCES) == MX_OK) {
			usleep((useconds_t)(mxt_rnd(&r) % 3000));
			ASSERT_OK(mx_task_kill(p));
			ASSERT_OK(mx_object_wait_one(p, MX_TASK_TERMINATED,
						     mx_deadline_after(wait),
						     &obs));
			ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS, &info,
						     sizeof(info), NULL, NULL));
			ASSERT_EQ(info.return_code, -1);
			pid = waitpid(-1, &status, 0);
			if (pid < 0)
				FAIL("waitpid: %s", strerror(errno));
			/* Killed, or killed before its claim: it exits. */
			if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) &&
			    !(WIFEXITED(status) && WEXITSTATUS(status) == 127))
				FAIL("a doomed process ended with status 0x%x",
				     status);
			nb_count(f, 1, 1);
		} else {
			nb_count(f, 2, 1);
		}
		ASSERT_OK(mx_handle_close(t));
		ASSERT_OK(mx_handle_close(p));
	}
	__atomic_store_n(&f->acked, 1, __ATOMIC_RELEASE);
	for (;;)
		pause();
}

/* ---- the case ---- */

static pid_t nb_pgid;

/* Start part @id of the neighbour: a process of uid 5001, in nb_pgid. */
static void nb_spawn(enum nb_part id, void (*fn)(struct nb_flooder *f, int),
		     int arg, int close_fd)
{
	struct nb_flooder *f = &nb->fl[id];
	pid_t pid;

	pid = mxt_fork();
	if (pid == 0) {
		if (close_fd >= 0)
			close(close_fd);
		setpgid(0, nb_pgid);
		mxt_become(NB_FLOOD_UID);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fn(f, arg);
		_exit(0);
	}
	setpgid(pid, nb_pgid);	/* either of the two calls wins */
	if (!nb_pgid)
		nb_pgid = pid;
	f->pid = pid;
	nb_wait_flag(&f->ready, pid, nb_part_name[id], 4 * nb_grace());
}

static void nb_arms_part(struct nb_flooder *f, int arg)
{
	(void)arg;
	nb_arms(f);
}

static void nb_fill_part(struct nb_flooder *f, int sock)
{
	nb_fill(f, sock);
}

static void nb_cycles_part(struct nb_flooder *f, int arg)
{
	(void)arg;
	nb_cycles(f);
}

static void nb_races_part(struct nb_flooder *f, int arg)
{
	(void)arg;
	nb_races(f);
}

static void nb_kills_part(struct nb_flooder *f, int arg)
{
	(void)arg;
	nb_kills(f);
}

/* CPU time used so far by process @pid and the children it reaped. */
static double nb_cpu_seconds(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long v[4] = { 0 };
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (mxt_read_file(path, buf, sizeof(buf)))
		return 0;
	p = strrchr(buf, ')');
	/* utime, stime, cutime, cstime are fields 14 to 17 */
	for (field = 2; p && field < 14; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %llu %llu %llu %llu", &v[0], &v[1], &v[2],
			 &v[3]) != 4)
		return 0;
	return (double)(v[0] + v[1] + v[2] + v[3]) / sysconf(_SC_CLK_TCK);
}

/* Every part of the neighbour is still there. */
static void nb_watch_neighbour(void)
{
	int i, status;

	for (i = 0; i < NB_PARTS; i++)
		if (waitpid(nb->fl[i].pid, &status, WNOHANG) == nb->fl[i].pid)
			FAIL("the neighbour's %s ended (status 0x%x): a call gave a result it may not (its # lines above say which)",
			     nb_part_name[i], status);
}

static void nb_print_neighbour(void)
{
	const struct nb_flooder *f = nb->fl;

	printf("# neighbour: %llu arms parked; %llu armed and aborted, %llu armed in threads that exited\n",
	       (unsigned long long)f[NB_ARMS].c[0],
	       (unsigned long long)f[NB_ARMS].c[1],
	       (unsigned long long)f[NB_ARMS].c[2]);
	printf("# neighbour: at the bounds: %llu handles in flight, %llu messages of 64 KiB, %llu watches, %llu more objects\n",
	       (unsigned long long)f[NB_FILL].c[0],
	       (unsigned long long)f[NB_FILL].c[1],
	       (unsigned long long)f[NB_FILL].c[2],
	       (unsigned long long)f[NB_FILL].c[3]);
	printf("# neighbour: back at a bound: objects %llu times, message memory %llu, in flight %llu; %llu watch groups remade, %llu packets drained\n",
	       (unsigned long long)f[NB_FILL].c[4],
	       (unsigned long long)f[NB_FILL].c[5],
	       (unsigned long long)f[NB_FILL].c[6],
	       (unsigned long long)f[NB_FILL].c[7],
	       (unsigned long long)f[NB_FILL].c[8]);
	printf("# neighbour: cycles dropped: %llu self, %llu pairs, %llu rings; %llu transfers read back\n",
	       (unsigned long long)f[NB_CYCLES].c[0],
	       (unsigned long long)f[NB_CYCLES].c[1],
	       (unsigned long long)f[NB_CYCLES].c[2],
	       (unsigned long long)f[NB_CYCLES].c[3]);
	printf("# neighbour: races won by the op %llu (%llu with the close bounced while the op was in its call), by the close %llu, handed back %llu; %llu mprotect pairs\n",
	       (unsigned long long)f[NB_RACES].c[0],
	       (unsigned long long)f[NB_RACES].c[3],
	       (unsigned long long)f[NB_RACES].c[1],
	       (unsigned long long)f[NB_RACES].c[2],
	       (unsigned long long)f[NB_RACES].c[9]);
	printf("# neighbour: %llu fork() children SIGKILLed, %llu mx processes killed, %llu forks refused\n",
	       (unsigned long long)f[NB_KILLS].c[0],
	       (unsigned long long)f[NB_KILLS].c[1],
	       (unsigned long long)f[NB_KILLS].c[2]);
}

static void nb_print_gc(const char *when)
{
	long long passes = nb_debugfs_value(NB_GC_FILE, "passes");

	if (passes < 0)
		return;
	printf("# collector %s: %lld endpoints in flight, %lld passes, last %lld candidates in %.1f ms, longest pass %.1f ms\n",
	       when, nb_debugfs_value(NB_GC_FILE, "endpoints_in_flight"), passes,
	       nb_debugfs_value(NB_GC_FILE, "last_candidates"),
	       nb_debugfs_value(NB_GC_FILE, "last_ns") / 1e6,
	       nb_debugfs_value(NB_GC_FILE, "max_ns") / 1e6);
}

static void nb_print_compared(double secs, const struct nb_summary *s)
{
	int k;

	printf("# beside the neighbour (%.1f s), against alone (%.1f s):\n",
	       secs, nb->have_base ? nb->base_secs : 0.0);
	for (k = 0; k < NB_KINDS; k++) {
		const struct nb_summary *b = &nb->base[k];

		printf("#   %-28s %7llu rounds, median %8.3f ms, max %8.3f ms",
		       nb_kind_name[k], (unsigned long long)s[k].n,
		       s[k].median_ns / 1e6, s[k].max_ns / 1e6);
		if (nb->have_base && b->median_ns && b->max_ns)
			printf(" (alone %.3f / %.3f ms: x%.1f / x%.1f)",
			       b->median_ns / 1e6, b->max_ns / 1e6,
			       (double)s[k].median_ns / b->median_ns,
			       (double)s[k].max_ns / b->max_ns);
		printf("\n");
	}
	for (k = 0; k < NB_KINDS; k++)
		printf("#   the slowest %s, in ms: %s\n", nb_kind_name[k],
		       nb->lat[k].worst);
}

/* What uid @uid can still have with the bounds lowered (a child's part). */
static void nb_probe_body(struct nb_probe *pr)
{
	static char buf[NB_MSG];
	mx_handle_t ev[64], c0, c1, e, port, d, got;
	mx_status_t s = MX_OK;
	int n, i;

	memset(pr, 0xff, sizeof(*pr));
	for (n = 0; n < 64; n++)
		if ((s = mx_event_create(0, &ev[n])) != MX_OK)
			break;
	ASSERT_STATUS(s, MX_ERR_NO_RESOURCES);
	pr->objects = n;
	for (i = 0; i < n; i++)
		ASSERT_OK(mx_handle_close(ev[i]));
	if (n < 4)
		return;
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_event_create(0, &e));
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));

	for (n = 0; n < 64; n++)
		if ((s = mx_channel_write(c0, 0, buf, NB_MSG, NULL, 0)) != MX_OK)
			break;
	ASSERT_STATUS(s, MX_ERR_NO_RESOURCES);
	pr->msgs = n;
	for (i = 0; i < n; i++)
		ASSERT_OK(mx_channel_read(c1, 0, buf, NULL, NB_MSG, 0, NULL,
					  NULL));

	for (n = 0; n < 128; n++) {
		d = mxt_dup(e, MX_RIGHT_SAME_RIGHTS);
		if ((s = mx_channel_write(c0, 0, "", 0, &d, 1)) != MX_OK) {
			ASSERT_OK(mx_handle_close(d));
			break;
		}
	}
	ASSERT_STATUS(s, MX_ERR_NO_RESOURCES);
	pr->inflight = n;
	for (i = 0; i < n; i++) {
		ASSERT_OK(mx_channel_read(c1, 0, NULL, &got, 0, 1, NULL, NULL));
		ASSERT_OK(mx_handle_close(got));
	}

	for (n = 0; n < 64; n++)
		if ((s = mx_object_wait_async(e, port, (uint64_t)n,
					      MX_USER_SIGNAL_0,
					      MX_WAIT_ASYNC_ONCE)) != MX_OK)
			break;
	ASSERT_STATUS(s, MX_ERR_NO_RESOURCES);
	pr->watches = n;
}

static struct nb_probe nb_probe_as(uid_t uid)
{
	int status;
	pid_t pid;

	pid = mxt_fork();
	if (pid == 0) {
		mxt_become(uid);
		nb_probe_body(&nb->probe);
		fflush(NULL);
		_exit(0);
	}
	status = mxt_wait_child(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		nb->probe.objects = -2;	/* failed: the # lines say why */
	return nb->probe;
}

static int nb_probe_eq(const struct nb_probe *a, const struct nb_probe *b)
{
	return a->objects == b->objects && a->msgs == b->msgs &&
	       a->inflight == b->inflight && a->watches == b->watches;
}

/*
 * With every bound lowered, uid 5001 can have what a fresh uid can, once
 * its teardown has run: nothing is charged to it any more.
 */
static const char *nb_check_uncharged(unsigned int secs)
{
	static const char *const names[] = {
		"max_user_objects", "max_user_message_bytes",
		"max_user_inflight_handles", "max_user_watches",
	};
	static const char *const low[] = { "8", "262144", "64", "4" };
	static char why[256];
	struct nb_probe fresh, got;
	char old[4][32];
	mx_time_t give_up;
	int i;

	for (i = 0; i < 4; i++) {
		snprintf(old[i], sizeof(old[i]), "%lu", nb_param(names[i]));
		mxt_param_set(names[i], low[i]);
	}
	why[0] = '\0';
	fresh = nb_probe_as(NB_FRESH_UID);
	if (fresh.objects != 8 || fresh.inflight != 64 ||
	    fresh.watches != 4 || fresh.msgs < 1) {
		snprintf(why, sizeof(why),
			 "a fresh uid has %d objects, %d messages of 64 KiB, %d handles in flight, %d watches under bounds 8, 256 KiB, 64, 4",
			 fresh.objects, fresh.msgs, fresh.inflight,
			 fresh.watches);
	} else {
		give_up = mxt_now() + MX_SEC(secs);
		for (;;) {
			got = nb_probe_as(NB_FLOOD_UID);
			if (nb_probe_eq(&got, &fresh))
				break;
			if (mxt_now() > give_up) {
				snprintf(why, sizeof(why),
					 "%u s after the neighbour's end, uid %d can have %d objects, %d messages, %d handles in flight, %d watches; a fresh uid %d, %d, %d, %d",
					 secs, NB_FLOOD_UID, got.objects,
					 got.msgs, got.inflight, got.watches,
					 fresh.objects, fresh.msgs,
					 fresh.inflight, fresh.watches);
				break;
			}
			usleep(100000);
		}
	}
	for (i = 0; i < 4; i++)
		mxt_param_set(names[i], old[i]);
	return why[0] ? why : NULL;
}

/* Every mx process is gone, and (with debugfs) every object and message. */
static void nb_check_all_gone(unsigned int secs)
{
	mx_time_t give_up = mxt_now() + MX_SEC(secs);
	long long ref = -1, objects = 0, handles = 0, messages = 0;
	char buf[32];

	for (;;) {
		ref = mxt_read_file("/sys/module/mx/refcnt", buf, sizeof(buf)) ?
			      -1 : atoll(buf);
		if (nb_debugfs_value(NB_STATS_FILE, "objects") >= 0) {
			objects = nb_debugfs_value(NB_STATS_FILE, "objects") -
				  nb_debugfs_value(NB_STATS_FILE, "objects.job");
			handles = nb_debugfs_value(NB_STATS_FILE, "handles");
			messages = nb_debugfs_value(NB_STATS_FILE, "messages");
		}
		if (ref == 0 && !objects && !handles && !messages)
			return;
		if (mxt_now() > give_up)
			FAIL("%u s after the end: %lld mx module references, %lld objects (besides jobs), %lld handles, %lld messages left",
			     secs, ref, objects, handles, messages);
		usleep(50000);
	}
}

/* Reap whatever is left of the neighbour (this process is its subreaper). */
static void nb_reap_all(unsigned int secs)
{
	mx_time_t give_up = mxt_now() + MX_SEC(secs);
	int status;

	for (;;) {
		pid_t r = waitpid(-1, &status, WNOHANG);

		if (r < 0 && errno == ECHILD)
			return;
		if (r > 0)
			continue;
		if (mxt_now() > give_up)
			FAIL("children of the neighbour survive SIGKILL for %u s",
			     secs);
		usleep(10000);
	}
}

static void nb_neighbour_case(void)
{
	unsigned int secs = nb_seconds(), grace = nb_grace(), i;
	struct nb_summary run[NB_KINDS];
	const char *hint[NB_KINDS] = { NULL };
	char hint_gc[160], hint_watch[160], hint_arms[160];
	double cpu0[NB_PARTS], cpu[NB_PARTS];
	mx_time_t t0, t1;
	const char *uncharged;
	pid_t users[2];
	int sv[2], k;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		FAIL("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		FAIL("socketpair: %s", strerror(errno));
	nb_reset();
	nb_pgid = 0;
	t0 = mxt_now();
	nb_start_user(users, sv[0], sv[1]);
	nb_wait_flag(&nb->user_ready, users[0], "the ordinary user's set-up",
		     grace);
	close(sv[0]);
	nb_spawn(NB_ARMS, nb_arms_part, 0, sv[1]);
	nb_spawn(NB_FILL, nb_fill_part, sv[1], -1);
	close(sv[1]);
	nb_spawn(NB_CYCLES, nb_cycles_part, 0, -1);
	nb_spawn(NB_RACES, nb_races_part, 0, -1);
	nb_spawn(NB_KILLS, nb_kills_part, 0, -1);
	t1 = mxt_now();
	printf("# the neighbour was at its bounds after %.1f s\n",
	       (t1 - t0) / 1e9);
	nb_print_gc("before");

	for (i = 0; i < NB_PARTS; i++)
		cpu0[i] = nb_cpu_seconds(nb->fl[i].pid);
	nb_run_user(users, secs, nb_watch_neighbour);
	nb_watch_neighbour();
	for (i = 0; i < NB_PARTS; i++)
		cpu[i] = nb_cpu_seconds(nb->fl[i].pid) - cpu0[i];
	for (k = 0; k < NB_KINDS; k++)
		run[k] = nb_summarize(k);

	/* Every part of the neighbour stops its threads: none is stuck. */
	__atomic_store_n(&nb->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < NB_PARTS; i++)
		nb_wait_flag(&nb->fl[i].acked, nb->fl[i].pid,
			     nb_part_name[i], grace);
	nb_print_gc("after");
	nb_print_neighbour();
	printf("# neighbour CPU time during the run (of %u s on 2 CPUs):", secs);
	for (i = 0; i < NB_PARTS; i++)
		printf(" %s %.1f s%s", nb_part_name[i], cpu[i],
		       i + 1 < NB_PARTS ? "," : "\n");
	snprintf(hint_gc, sizeof(hint_gc),
		 "a channel write carrying channel handles waits for a pass of the cycle collector, the longest of which took %.0f ms",
		 nb_debugfs_value(NB_GC_FILE, "max_ns") / 1e6);
	snprintf(hint_watch, sizeof(hint_watch),
		 "each signal of this event walks the neighbour's %llu watches on it, with the event's lock held",
		 (unsigned long long)nb->fl[NB_FILL].c[10]);
	snprintf(hint_arms, sizeof(hint_arms),
		 "each fork and exit walks the neighbour's %llu parked start arms",
		 (unsigned long long)nb->fl[NB_ARMS].c[0]);
	hint[NB_PING_H] = hint_gc;
	hint[NB_EVENT] = hint_watch;
	hint[NB_SPAWN] = hint_arms;
	hint[NB_FORK] = hint_arms;
	nb_print_compared(secs, run);

	/* The neighbour dies; its teardown gives everything back. */
	t0 = mxt_now();
	if (kill(-nb_pgid, SIGKILL))
		FAIL("kill: %s", strerror(errno));
	nb_reap_all(grace);
	uncharged = nb_check_uncharged(grace);
	t1 = mxt_now();
	if (uncharged)
		FAIL("%s", uncharged);
	printf("# the neighbour's charges were gone %.1f s after its SIGKILL\n",
	       (t1 - t0) / 1e9);
	nb_check_all_gone(grace);

	nb_check_user("beside the neighbour", secs, run, hint);
}

/*
 * On a debug kernel, where each call takes 10 to 20 times as long, the
 * bounds are a quarter of their defaults for the case, so that the
 * neighbour reaches them in well under a minute rather than in three;
 * whatever the case's end, they are put back. Elsewhere the case runs at
 * the defaults.
 */
TEST(ordinary_work_beside_a_hostile_neighbour)
{
	static const char *const names[] = {
		"max_user_objects", "max_user_inflight_handles",
		"max_user_watches", "max_user_message_bytes",
	};
	static const char *const slow_bounds[] = {
		"16384", "16384", "16384", "16777216",
	};
	unsigned int budget = nb_seconds() + 200, i;
	char old[4][32];
	mx_time_t give_up;
	int status = 0;
	pid_t pid, r;

	if (nb_slow() == 1) {
		nb_neighbour_case();
		return;
	}
	alarm(budget + 30);
	for (i = 0; i < 4; i++) {
		snprintf(old[i], sizeof(old[i]), "%lu", nb_param(names[i]));
		mxt_param_set(names[i], slow_bounds[i]);
	}
	printf("# a debug kernel: the per-user bounds are %s objects, %s handles in flight, %s watches, %s bytes for this case\n",
	       slow_bounds[0], slow_bounds[1], slow_bounds[2], slow_bounds[3]);
	pid = mxt_fork();
	if (pid == 0) {
		nb_neighbour_case();
		fflush(NULL);
		_exit(0);
	}
	give_up = mxt_now() + MX_SEC(budget);
	while ((r = waitpid(pid, &status, WNOHANG)) == 0 &&
	       mxt_now() < give_up)
		usleep(100000);
	if (r == 0) {
		nb_dump_stacks(pid);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	for (i = 0; i < 4; i++)
		mxt_param_set(names[i], old[i]);
	if (r == 0)
		FAIL("not done in %u s", budget);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		FAIL("failed (status 0x%x; the # lines above say why)", status);
}
