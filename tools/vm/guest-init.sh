#!/bin/busybox sh
# /init of the test VM. The mode comes from the kernel command line
# (mx.mode=test|run|selftest); everything the host parses is printed on the
# console between clear markers.
/bin/busybox --install -s /bin
export PATH=/bin:/tests:/examples
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmp /tmp
mode=test
timeout_s=300
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	mx.mode=*) mode=${arg#mx.mode=} ;;
	mx.timeout=*) timeout_s=${arg#mx.timeout=} ;;
	esac
done

done_() { echo "MX-VM-DONE"; sync; reboot -f; }

if ! insmod /mx.ko; then
	echo "MX-FAIL insmod mx.ko failed"
	done_
fi
chmod 666 /dev/mx
echo "MX-LOADED"

if [ "$mode" = run ]; then
	if [ -x /examples/mx-demo ]; then
		/examples/mx-demo; echo "MX-DEMO-EXIT $?"
	else
		for t in /tests/*; do $t; done
	fi
	if [ -e /interactive ]; then
		echo "mx is loaded: /dev/mx, tests in /tests, examples in /examples."
		echo "Leave with 'poweroff -f' (or Ctrl-A X)."
		setsid cttyhack sh
	fi
	done_
fi

if [ -f /mx_kunit.ko ]; then
	echo "MX-KUNIT-BEGIN"
	insmod /mx_kunit.ko || echo "MX-FAIL insmod mx_kunit.ko failed"
	for r in /sys/kernel/debug/kunit/*/results; do cat "$r"; done
	echo "MX-KUNIT-END"
	rmmod mx_kunit
fi

for t in /tests/*; do
	[ -x "$t" ] || continue
	name=${t##*/}
	echo "MX-TEST-BEGIN $name"
	MXTEST_TIMEOUT=$timeout_s timeout $((timeout_s * 4)) "$t" 2>&1
	echo "MX-TEST-END $name $?"
done

if rmmod mx; then echo "MX-RMMOD-OK"; else echo "MX-FAIL rmmod mx failed"; fi
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	sleep 2
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
fi
done_
