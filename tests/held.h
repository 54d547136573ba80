/* SPDX-License-Identifier: MIT */
/*
 * Held faults: a page of user memory whose first touch blocks until the
 * test has done something, to race a call's check against its act.
 *
 * mxt_held_page() maps a page registered with userfaultfd. When a call
 * touches it (a copy to user memory inside an ioctl, say), the kernel
 * parks that call, and a thread of the test runs @during, with the call
 * held between whatever it did before the touch and whatever it does
 * after; then the page is filled (zeros) and the call goes on. With
 * @fail set, the page is unmapped instead, so the call's access fails.
 *
 * userfaultfd needs privilege on Debian's kernels
 * (vm.unprivileged_userfaultfd=0): a case sets the page up as root and
 * may then drop to another uid; the held call and @during run as that
 * uid. Without userfaultfd (kernels built without it) the case skips.
 */
#ifndef MXTEST_HELD_H
#define MXTEST_HELD_H

#include "mxtest.h"

#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

struct mxt_held {
	int uffd;
	char *page;
	size_t size;
	bool fail;
	void (*during)(void *arg);
	void *arg;
	pthread_t thread;
	int faulted;		/* the call touched the page */
};

static void *mxt_held_main(void *arg)
{
	struct mxt_held *hp = arg;
	struct uffd_msg msg;
	struct pollfd pfd = { .fd = hp->uffd, .events = POLLIN };
	static char zero[65536];

	if (poll(&pfd, 1, -1) != 1)
		FAIL("poll(userfaultfd): %s", strerror(errno));
	if (read(hp->uffd, &msg, sizeof(msg)) != sizeof(msg))
		FAIL("read(userfaultfd): %s", strerror(errno));
	if (msg.event != UFFD_EVENT_PAGEFAULT)
		FAIL("userfaultfd event %u", msg.event);
	__atomic_store_n(&hp->faulted, 1, __ATOMIC_RELEASE);
	hp->during(hp->arg);
	if (hp->fail) {
		struct uffdio_range r = {
			.start = (unsigned long)hp->page, .len = hp->size,
		};

		if (munmap(hp->page, hp->size))
			FAIL("munmap: %s", strerror(errno));
		/* The parked call retries, finds no mapping and fails. */
		(void)ioctl(hp->uffd, UFFDIO_WAKE, &r);
	} else {
		struct uffdio_copy c = {
			.dst = (unsigned long)hp->page,
			.src = (unsigned long)zero,
			.len = hp->size,
		};

		if (hp->size > sizeof(zero))
			FAIL("held page too large");
		if (ioctl(hp->uffd, UFFDIO_COPY, &c))
			FAIL("UFFDIO_COPY: %s", strerror(errno));
	}
	return NULL;
}

/*
 * Map a held page (as root) and start the thread that waits for its fault.
 * Return: the page; the case skips if userfaultfd is not available.
 */
static inline void *mxt_held_page(struct mxt_held *hp,
				  void (*during)(void *arg), void *arg,
				  bool fail)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;

	memset(hp, 0, sizeof(*hp));
	hp->size = (size_t)sysconf(_SC_PAGESIZE);
	hp->during = during;
	hp->arg = arg;
	hp->fail = fail;
	hp->uffd = (int)syscall(__NR_userfaultfd, O_CLOEXEC);
	if (hp->uffd < 0 && (errno == ENOSYS || errno == EPERM))
		SKIP("userfaultfd: %s", strerror(errno));
	if (hp->uffd < 0)
		FAIL("userfaultfd: %s", strerror(errno));
	if (ioctl(hp->uffd, UFFDIO_API, &api))
		FAIL("UFFDIO_API: %s", strerror(errno));
	hp->page = mmap(NULL, hp->size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hp->page == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	reg = (struct uffdio_register){
		.range = { .start = (unsigned long)hp->page, .len = hp->size },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	if (ioctl(hp->uffd, UFFDIO_REGISTER, &reg))
		FAIL("UFFDIO_REGISTER: %s", strerror(errno));
	if (pthread_create(&hp->thread, NULL, mxt_held_main, hp))
		FAIL("pthread_create");
	return hp->page;
}

/* After the held call returned: @during ran, the thread is gone. */
static inline void mxt_held_done(struct mxt_held *hp)
{
	pthread_join(hp->thread, NULL);
	if (!__atomic_load_n(&hp->faulted, __ATOMIC_ACQUIRE))
		FAIL("the call never touched the held page");
	close(hp->uffd);
}

#endif /* MXTEST_HELD_H */
