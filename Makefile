# mx: Magenta handles, channels and tasks for Linux.
#
#   make                 module/mx.ko for the running kernel (or KDIR=...),
#                        lib/libmx.so and lib/libmx.a, tools/mxls/mxls
#   make run             boot a VM with mx loaded and run the demo
#   make check           every test: KUnit on the debug kernel, userspace
#                        suites on the debug and stock kernels
#   make check-quick     userspace suites on the stock 6.12 kernel only
#   make bench           the benchmarks (bench/) in a VM on the stock 6.1
#                        and 6.12 kernels, each mx call against the Linux
#                        primitive it replaces, measured in the same run
#                        (MX_BENCH_KERNELS=6.12 for one kernel)
#   make install         headers, libraries, pkg-config file, udev rule,
#                        mxls and its man page (DESTDIR, PREFIX)

VERSION      := 0.1.0
KDIR         ?= /lib/modules/$(shell uname -r)/build
PREFIX       ?= /usr/local
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
UDEVDIR      ?= /etc/udev/rules.d
DESTDIR      ?=

.PHONY: all module lib tests tools clean install check check-quick run \
	deps modules_install bench

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

install: lib tools
	$(MAKE) -C lib install VERSION=$(VERSION) DESTDIR=$(DESTDIR) \
		PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) INCLUDEDIR=$(INCLUDEDIR)
	install -D -m 644 udev/60-mx.rules $(DESTDIR)$(UDEVDIR)/60-mx.rules
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

deps:
	tools/vm/deps.sh

check:
	tools/vm/check.sh full

check-quick:
	tools/vm/check.sh quick

run:
	tools/vm/run.sh

bench:
	tools/vm/bench.sh
