# mx: Magenta handles, channels and tasks for Linux.
#
#   make                 module/mx.ko for the running kernel (or KDIR=...),
#                        lib/libmx.so and lib/libmx.a, tools/mxls/mxls
#   make run             boot a VM with mx loaded and run the demo
#   make check           every test: KUnit on the debug kernels (also
#                        PREEMPT_RT), userspace suites on them and on the
#                        stock 6.1, 6.12 and RT 6.1 kernels, DKMS, the
#                        Debian packages, host checks
#   make check-quick     host checks and the userspace suites on stock 6.12
#   make runtests        the userspace suites that are safe outside a VM,
#                        against the mx module loaded on this machine
#   make bench           the benchmarks (bench/) in a VM on the stock 6.1
#                        and 6.12 kernels, each mx call against the Linux
#                        primitive it replaces, measured in the same run
#                        (MX_BENCH_KERNELS=6.12 for one kernel)
#   make fuzz            long fuzz, soak and fault-injection runs on the
#                        debug kernel (FUZZ_SECONDS, default 600 each;
#                        MX_FUZZ_SEED repeats a run)
#   make soak            the soak alone (SOAK_SECONDS, default 1800)
#   make install         headers, libraries, pkg-config file, man pages,
#                        udev rule, mxls (DESTDIR, PREFIX); then ldconfig
#   make uninstall       removes what make install wrote
#   make modules_install mx.ko under /lib/modules/RELEASE/, then depmod
#                        (make modules_uninstall takes it away)
#   make install-modules-load
#                        opt in to loading mx at boot (modules-load.d)
#   make dist            mx-VERSION.tar.gz: the sources, as DKMS builds them
#   make deb             the Debian packages (dpkg-buildpackage -b), in ..
#   make tag             the release's annotated tag, vVERSION, from NEWS
#
# Build flags: CFLAGS, CPPFLAGS and LDFLAGS are honoured (a distribution's
# hardening flags reach the library and mxls); WERROR=1 turns warnings
# into errors, as make check does. MX_KUNIT=n leaves the KUnit test module
# out on a kernel that has KUnit.

VERSION      := $(shell cat $(CURDIR)/VERSION)
KREL         ?= $(shell uname -r)
KDIR         ?= /lib/modules/$(KREL)/build
PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
MANDIR       ?= $(PREFIX)/share/man
# Where packages put theirs, whatever PREFIX: a rule of the same name in
# /etc/udev/rules.d (an administrator's) overrides this one and survives
# a reinstall; the same for modules-load.d.
UDEVDIR      ?= /usr/lib/udev/rules.d
MODULESLOADDIR ?= /usr/lib/modules-load.d
DESTDIR      ?=
MX_KUNIT     ?= y

LIBVARS = DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) \
	  INCLUDEDIR=$(INCLUDEDIR)
TOOLVARS = DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) BINDIR=$(BINDIR) \
	   MANDIR=$(MANDIR)

.PHONY: all module lib tests tools clean install install-man uninstall \
	uninstall-man install-modules-load dist deb tag check check-quick runtests \
	run deps modules_install modules_uninstall bench fuzz soak kdir

all: lib tools module

# The kernel's build tree, or one line that says which package has it.
kdir:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		if [ "$(origin KDIR)" = file ]; then \
			echo "mx: no headers for kernel $(KREL) in $(KDIR): install" \
			     "them (Debian: apt install linux-headers-$(KREL))," \
			     "or name a kernel build tree with KDIR=..." >&2; \
		else \
			echo "mx: KDIR=$(KDIR) is not a kernel build tree (no Makefile there)" >&2; \
		fi; \
		exit 1; \
	fi

# mx.ko first, alone; then, on a kernel with KUnit, the test module, whose
# failure to build is reported but never costs mx.ko.
module: kdir
	$(MAKE) -C $(KDIR) M=$(CURDIR) MX_KUNIT=n modules
ifneq ($(MX_KUNIT),n)
	@if grep -qs '^CONFIG_KUNIT=[ym]' $(KDIR)/include/config/auto.conf; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) modules || \
		echo "mx: the KUnit test module (mx_kunit.ko) did not build;" \
		     "module/mx.ko did (MX_KUNIT=n leaves the tests out)" >&2; \
	fi
endif

lib:
	$(MAKE) -C lib

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
	$(MAKE) -C examples clean
	rm -f mx-*.tar.gz

# ldconfig only for a real installation: a DESTDIR is a staging tree.
install: lib tools install-man
	$(MAKE) -C lib install $(LIBVARS)
	install -D -m 644 udev/60-mx.rules $(DESTDIR)$(UDEVDIR)/60-mx.rules
	$(MAKE) -C tools install $(TOOLVARS)
	@if [ -z "$(DESTDIR)" ] && command -v ldconfig >/dev/null; then \
		echo ldconfig; ldconfig; \
	fi

# Opt-in: mx loaded at every boot (systemd-modules-load).
install-modules-load:
	install -D -m 644 modules-load.d/mx.conf $(DESTDIR)$(MODULESLOADDIR)/mx.conf

# Every file of install and install-modules-load, and mx's own include
# directory; in a DESTDIR, the directories left empty too.
uninstall: uninstall-man
	$(MAKE) -C lib uninstall $(LIBVARS)
	$(MAKE) -C tools uninstall $(TOOLVARS)
	rm -f $(DESTDIR)$(UDEVDIR)/60-mx.rules $(DESTDIR)$(MODULESLOADDIR)/mx.conf
	@if [ -n "$(DESTDIR)" ] && [ -d "$(DESTDIR)" ]; then \
		find "$(DESTDIR)" -mindepth 1 -depth -type d -empty -delete; \
	elif [ -z "$(DESTDIR)" ] && command -v ldconfig >/dev/null; then \
		echo ldconfig; ldconfig; \
	fi

# man_pages: each page, and for every other call its NAME line lists a
# one-line page that includes it (.so), so that "man mx_handle_close"
# finds mx_handle_duplicate(3). The version in the .TH line comes from
# VERSION.
MAN_PAGES := $(wildcard man/*.[0-9])

install-man:
	@set -e; for page in $(MAN_PAGES); do \
		sec=$${page##*.}; base=$${page##*/}; \
		dir=$(DESTDIR)$(MANDIR)/man$$sec; \
		mkdir -p $$dir; \
		sed '/^\.TH /s/ "mx" / "mx $(VERSION)" /' $$page >$$dir/$$base; \
		chmod 644 $$dir/$$base; \
		for name in $$(sed -n '/^\.SH NAME/{n;s/ *\\-.*//;s/,/ /g;p;}' $$page); do \
			[ "$$name.$$sec" = "$$base" ] && continue; \
			echo ".so man$$sec/$$base" > $$dir/$$name.$$sec; \
			chmod 644 $$dir/$$name.$$sec; \
		done; \
	done

uninstall-man:
	@set -e; for page in $(MAN_PAGES); do \
		sec=$${page##*.}; base=$${page##*/}; \
		dir=$(DESTDIR)$(MANDIR)/man$$sec; \
		for name in $${base%.*} $$(sed -n '/^\.SH NAME/{n;s/ *\\-.*//;s/,/ /g;p;}' $$page); do \
			rm -f $$dir/$$name.$$sec; \
		done; \
	done

# The tracked files as they are now (not build outputs, not .git), under
# mx-VERSION/, with dkms.conf's version stamped: what DKMS builds. The
# tarball goes to DISTDIR (default: here).
DIST    := mx-$(VERSION)
DISTDIR ?= $(CURDIR)
dist:
	@command -v git >/dev/null && git -C $(CURDIR) rev-parse --git-dir >/dev/null 2>&1 || \
		{ echo "mx: make dist needs a git checkout" >&2; exit 1; }
	@set -e; stage=$$(mktemp -d); trap 'rm -rf "$$stage"' EXIT; \
	mkdir "$$stage/$(DIST)"; \
	git -C $(CURDIR) ls-files -z | xargs -0 cp --parents -d -t "$$stage/$(DIST)"; \
	sed -i 's/#MODULE_VERSION#/$(VERSION)/' "$$stage/$(DIST)/dkms.conf"; \
	tar -C "$$stage" --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime=@$$(git -C $(CURDIR) log -1 --format=%ct 2>/dev/null || echo 0) \
		-czf "$(DISTDIR)/$(DIST).tar.gz" $(DIST); \
	echo "$(DISTDIR)/$(DIST).tar.gz"

deb:
	dpkg-buildpackage -us -uc -b

# The release: an annotated tag vVERSION on a clean checkout, whose
# message is the release's entry in NEWS.
tag:
	@git -C $(CURDIR) diff --quiet HEAD || \
		{ echo "mx: uncommitted changes: commit before tagging" >&2; exit 1; }
	@grep -q '^mx $(VERSION)$$' NEWS || \
		{ echo "mx: NEWS has no entry for $(VERSION)" >&2; exit 1; }
	awk '/^mx / { on = ($$2 == "$(VERSION)") } on' NEWS | \
		git -C $(CURDIR) tag -a v$(VERSION) -F -
	@echo "tagged v$(VERSION)"

# The kernel's own modules_install skips depmod with Debian's headers (no
# System.map there): run it here. INSTALL_MOD_PATH stages under a root.
KRELEASE = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)

modules_install: kdir
	$(MAKE) -C $(KDIR) M=$(CURDIR) MX_KUNIT=n modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KRELEASE)

# Where modules_install puts it: extra/module/ (6.1) or updates/module/
# (6.12); DKMS's copy (updates/dkms/) is DKMS's to remove.
MODDIRS = $(foreach d,extra updates,$(INSTALL_MOD_PATH)/lib/modules/$(KRELEASE)/$(d))

modules_uninstall: kdir
	rm -f $(foreach d,$(MODDIRS),$(d)/module/mx.ko $(d)/module/mx.ko.*)
	-rmdir $(foreach d,$(MODDIRS),$(d)/module) 2>/dev/null
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KRELEASE)

deps:
	tools/vm/deps.sh

check:
	tools/vm/check.sh full

check-quick:
	tools/vm/check.sh quick

runtests: lib
	$(MAKE) -C tests runtests

FUZZ_SECONDS ?= 600
SOAK_SECONDS ?= 1800

fuzz:
	MX_FUZZ_SECONDS=$(FUZZ_SECONDS) MX_SOAK_SECONDS=$(FUZZ_SECONDS) \
	MX_CASE_TIMEOUT=$$(($(FUZZ_SECONDS) + 300)) \
	MX_TEST_TIMEOUT=$$((2 * $(FUZZ_SECONDS) + 600)) \
	MX_TESTS="fuzz soak faultinject" tools/vm/check.sh debug-6.12

soak:
	MX_SOAK_SECONDS=$(SOAK_SECONDS) \
	MX_CASE_TIMEOUT=$$(($(SOAK_SECONDS) + 300)) \
	MX_TEST_TIMEOUT=$$(($(SOAK_SECONDS) + 600)) \
	MX_TESTS="soak" tools/vm/check.sh debug-6.12

run:
	tools/vm/run.sh

bench:
	tools/vm/bench.sh
