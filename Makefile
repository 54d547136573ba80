# mx: Magenta handles, channels and tasks for Linux.
#
#   make                 module/mx.ko for the running kernel (or KDIR=...),
#                        lib/libmx.so and lib/libmx.a, tools/mxls/mxls
#   make run             boot a VM with mx loaded and run the demo
#   make check           every test: KUnit on the debug kernels (also
#                        PREEMPT_RT), userspace suites on them and on the
#                        stock 6.1, 6.12 and RT 6.1 kernels, DKMS, host checks
#   make check-quick     host checks and the userspace suites on stock 6.12
#   make bench           the benchmarks (bench/) in a VM on the stock 6.1
#                        and 6.12 kernels, each mx call against the Linux
#                        primitive it replaces, measured in the same run
#                        (MX_BENCH_KERNELS=6.12 for one kernel)
#   make fuzz            long fuzz, soak and fault-injection runs on the
#                        debug kernel (FUZZ_SECONDS, default 600 each;
#                        MX_FUZZ_SEED repeats a run)
#   make soak            the soak alone (SOAK_SECONDS, default 1800)
#   make install         headers, libraries, pkg-config file, man pages,
#                        udev rule, mxls (DESTDIR, PREFIX)

VERSION      := 0.1.0
KDIR         ?= /lib/modules/$(shell uname -r)/build
PREFIX       ?= /usr/local
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
MANDIR       ?= $(PREFIX)/share/man
UDEVDIR      ?= /etc/udev/rules.d
DESTDIR      ?=

.PHONY: all module lib tests tools clean install install-man check \
	check-quick run deps modules_install bench fuzz soak

all: lib tools module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

lib:
	$(MAKE) -C lib VERSION=$(VERSION)

tests: lib
	$(MAKE) -C tests

tools: lib
	$(MAKE) -C tools

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C lib clean
	$(MAKE) -C tests clean
	$(MAKE) -C bench clean
	$(MAKE) -C tools clean

install: lib tools install-man
	$(MAKE) -C lib install VERSION=$(VERSION) DESTDIR=$(DESTDIR) \
		PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) INCLUDEDIR=$(INCLUDEDIR)
	install -D -m 644 udev/60-mx.rules $(DESTDIR)$(UDEVDIR)/60-mx.rules
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

# Each page, and for every other call its NAME line lists a one-line page
# that includes it (.so), so that "man mx_handle_close" finds
# mx_handle_duplicate(3).
install-man:
	@set -e; for page in man/*.[0-9]; do \
		sec=$${page##*.}; base=$${page##*/}; \
		dir=$(DESTDIR)$(MANDIR)/man$$sec; \
		install -D -m 644 $$page $$dir/$$base; \
		for name in $$(sed -n '/^\.SH NAME/{n;s/ *\\-.*//;s/,/ /g;p;}' $$page); do \
			[ "$$name.$$sec" = "$$base" ] && continue; \
			echo ".so man$$sec/$$base" > $$dir/$$name.$$sec; \
			chmod 644 $$dir/$$name.$$sec; \
		done; \
	done

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

deps:
	tools/vm/deps.sh

check:
	tools/vm/check.sh full

check-quick:
	tools/vm/check.sh quick

FUZZ_SECONDS ?= 600
SOAK_SECONDS ?= 1800

fuzz:
	MX_FUZZ_SECONDS=$(FUZZ_SECONDS) MX_SOAK_SECONDS=$(FUZZ_SECONDS) \
	MX_CASE_TIMEOUT=$$(($(FUZZ_SECONDS) + 300)) \
	MX_TEST_TIMEOUT=$$((2 * $(FUZZ_SECONDS) + 600)) \
	MX_TESTS="fuzz stress faultinject" tools/vm/check.sh debug-6.12

soak:
	MX_SOAK_SECONDS=$(SOAK_SECONDS) \
	MX_CASE_TIMEOUT=$$(($(SOAK_SECONDS) + 300)) \
	MX_TEST_TIMEOUT=$$(($(SOAK_SECONDS) + 600)) \
	MX_TESTS="stress" tools/vm/check.sh debug-6.12

run:
	tools/vm/run.sh

bench:
	tools/vm/bench.sh
