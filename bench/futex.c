// SPDX-License-Identifier: MIT
/*
 * futex: mx futexes against the Linux futex(2) calls they are made of
 * (bench.h).
 *
 *   wake-wait-xthr   two threads, a round trip: A bumps word 1 and wakes
 *                    it, then waits until B has bumped word 2; B does the
 *                    same the other way. mx_futex_wake + mx_futex_wait
 *                    against FUTEX_WAKE_PRIVATE + FUTEX_WAIT_PRIVATE
 *   wake-nobody      mx_futex_wake(1) with no waiter, against
 *                    FUTEX_WAKE_PRIVATE: what libmx adds to a call
 *   wait-mismatch    mx_futex_wait on a value that changed (BAD_STATE),
 *                    against FUTEX_WAIT_PRIVATE failing with EAGAIN
 */
#include "bench.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long sys_futex(int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

struct pp {
	int use_mx;
	int word[2];		/* [0] A to B, [1] B to A: the round */
	_Atomic int stop;
	pthread_t thread;
};

static void pp_post(struct pp *p, int side, int round)
{
	__atomic_store_n(&p->word[side], round, __ATOMIC_RELEASE);
	if (p->use_mx)
		check(mx_futex_wake(&p->word[side], 1), "mx_futex_wake");
	else if (sys_futex(&p->word[side], FUTEX_WAKE_PRIVATE, 1) < 0)
		die("FUTEX_WAKE", -1);
}

/* Until the other side has posted @round (its word was @round - 1). */
static void pp_take(struct pp *p, int side, int round)
{
	int *w = &p->word[!side];
	mx_status_t s;

	while (__atomic_load_n(w, __ATOMIC_ACQUIRE) != round) {
		if (p->use_mx) {
			s = mx_futex_wait(w, round - 1, MX_TIME_INFINITE);
			if (s != MX_OK && s != MX_ERR_BAD_STATE)
				check(s, "mx_futex_wait");
		} else if (sys_futex(w, FUTEX_WAIT_PRIVATE, round - 1) < 0 &&
			   errno != EAGAIN && errno != EINTR) {
			die("FUTEX_WAIT", -1);
		}
	}
}

static void *pp_b(void *arg)
{
	struct pp *p = arg;
	int round;

	for (round = 1;; round++) {
		pp_take(p, 1, round);
		if (atomic_load(&p->stop))
			return NULL;
		pp_post(p, 1, round);
	}
}

static void pp_a(void *arg, uint64_t n)
{
	struct pp *p = arg;
	int round;

	while (n--) {
		round = p->word[0] + 1;
		pp_post(p, 0, round);
		pp_take(p, 0, round);
	}
}

static void pp_start(struct pp *p, int use_mx)
{
	memset(p, 0, sizeof(*p));
	p->use_mx = use_mx;
	if (pthread_create(&p->thread, NULL, pp_b, p))
		die("pthread_create", -1);
}

static void pp_stop(struct pp *p)
{
	atomic_store(&p->stop, 1);
	pp_post(p, 0, p->word[0] + 1);
	pthread_join(p->thread, NULL);
}

static int nobody;

static void mx_wake_nobody(void *arg, uint64_t n)
{
	(void)arg;
	while (n--)
		check(mx_futex_wake(&nobody, 1), "mx_futex_wake");
}

static void sys_wake_nobody(void *arg, uint64_t n)
{
	(void)arg;
	while (n--)
		if (sys_futex(&nobody, FUTEX_WAKE_PRIVATE, 1) < 0)
			die("FUTEX_WAKE", -1);
}

static void mx_mismatch(void *arg, uint64_t n)
{
	(void)arg;
	while (n--)
		if (mx_futex_wait(&nobody, 1, MX_TIME_INFINITE) !=
		    MX_ERR_BAD_STATE)
			die("mx_futex_wait", -1);
}

static void sys_mismatch(void *arg, uint64_t n)
{
	(void)arg;
	while (n--)
		if (sys_futex(&nobody, FUTEX_WAIT_PRIVATE, 1) != -1 ||
		    errno != EAGAIN)
			die("FUTEX_WAIT", -1);
}

int main(void)
{
	struct pp m, p;

	bench_init("futex");
	pp_start(&m, 1);
	pp_start(&p, 0);
	bench_pair("wake-wait-xthr", "futex", pp_a, &m, pp_a, &p);
	pp_stop(&m);
	pp_stop(&p);
	bench_pair("wake-nobody", "futex", mx_wake_nobody, NULL,
		   sys_wake_nobody, NULL);
	bench_pair("wait-mismatch", "futex", mx_mismatch, NULL, sys_mismatch,
		   NULL);
	return 0;
}
