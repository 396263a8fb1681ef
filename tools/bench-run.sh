#!/bin/sh
# tools/bench-run.sh: the benchmark runner inside the guest (/bench/run.sh).
#
# tools/bench boots Mica or Linux with this script as the qrun program
# (/sbin/init runs it, its output on COM1): it runs every benchmark binary
# in /bench with the mode given (-q quick, -s smoke, nothing = full) and
# prints their `bench NAME VALUE UNIT` lines.  A binary that fails adds a
# `bench-error` line; the runner goes on with the next one.
mode=${1:-}
echo "bench-runner start $(uname -sr)"
for b in b_syscall b_proc b_vm b_event b_file; do
	/bench/$b $mode || echo "bench-error $b: exit status $?"
done
# 9P: a share is mounted at /mnt/9p only when the kernel has a client and
# the VM a virtio-9p device (tools/bench --9p); otherwise b_9p says n/a.
mkdir -p /mnt/9p
if [ -e /bench/9p ]; then
	for m in /bench/modules/*.ko; do
		[ -f "$m" ] && insmod "$m" 2>/dev/null
	done
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 bench \
	    /mnt/9p 2>/dev/null || echo "bench-note 9p: mount failed (no client)"
fi
# 9P over virtio-serial: tools/bench gives Mica a virtserialport org.9p.0
# connected to diod, which exports the path in /bench/9p-vserial (the
# aname).  Linux has no such transport: skipped there, b_9p says n/a.
mkdir -p /mnt/9p-vserial
if [ -e /bench/9p-vserial ] && [ "$(uname -s)" != Linux ]; then
	o="trans=virtio-serial,port=org.9p.0,version=9p2000.L"
	o="$o,aname=$(cat /bench/9p-vserial)"
	mount -t 9p -o "$o" host /mnt/9p-vserial 2>/dev/null ||
	    echo "bench-note 9p: virtio-serial mount failed"
fi
/bench/b_vport $mode || echo "bench-error b_vport: exit status $?"
/bench/b_9p /mnt/9p virtio9p $mode || echo "bench-error b_9p: exit status $?"
/bench/b_9p /mnt/9p-vserial vserial $mode 2>/dev/null ||
    echo "bench-error b_9p vserial: exit status $?"
echo "bench-runner done"
