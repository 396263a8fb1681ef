#!/bin/sh
# tests/procfs/consumers.sh: busybox's /proc readers, run inside the guest
# (tests/stages/75-procfs boots it with tools/qrun; it runs on the host
# Linux with busybox too).  Every check prints `PASS name` or `FAIL name:
# why`; the output of the tools is compared with what /proc itself says and
# with what this script set up (its own pid, a sleeping child's pid).
BB=${BB:-busybox}
pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
t() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name" "$*"; fi; }

me=$$
sleep 300 &		# by name: argv[0] and comm are "sleep"
kid=$!
# Until the child has exec'd sleep (up to 10 s on a loaded machine).
i=0
while [ "$($BB cat /proc/$kid/comm 2>/dev/null)" != sleep ] && [ $i -lt 100 ]
do
	$BB usleep 100000
	i=$((i + 1))
done

# ps lists this shell and the sleeping child with its command.
out=$($BB ps)
t ps-header $BB test -n "$(echo "$out" | $BB head -1 | $BB grep -a PID)"
t ps-own-pid $BB test -n "$(echo "$out" | $BB grep -a -E "^ *$me ")"
t ps-child $BB test -n "$(echo "$out" | $BB grep -a -E "^ *$kid .*sleep 300")"
t ps-init $BB test -n "$(echo "$out" | $BB grep -a -E "^ *1 ")"
n_ps=$(echo "$out" | $BB tail -n +2 | $BB wc -l)
n_proc=$($BB ls -d /proc/[0-9]* 2>/dev/null | $BB wc -l)
# ps itself and the $(...) subshell come and go: allow a difference of 3
# (on a busy host Linux, other users' processes too: 20).
slack=3
[ "$($BB uname -s)" = Mica ] || slack=20
t ps-count-matches-proc $BB test $((n_ps - n_proc)) -le $slack -a \
    $((n_proc - n_ps)) -le $slack

# pidof finds the child by name.
case " $($BB pidof sleep) " in
*" $kid "*) ok pidof-sleep ;;
*) bad pidof-sleep "$kid not in '$($BB pidof sleep)'" ;;
esac

# top -b -n1: memory, load and the process list.
out=$($BB top -b -n1)
t top-mem-line $BB test -n "$(echo "$out" | $BB grep -a -E '^Mem: [0-9]+K used, [0-9]+K free')"
t top-load-line $BB test -n "$(echo "$out" | $BB grep -a -E 'Load average: [0-9]+\.[0-9]+ [0-9]+\.[0-9]+ [0-9]+\.[0-9]+ [0-9]+/[0-9]+ [0-9]+')"
t top-lists-child $BB test -n "$(echo "$out" | $BB grep -a -E "^ *$kid +$me ")"
t top-cpu-line $BB test -n "$(echo "$out" | $BB grep -a -E '^CPU: +[0-9]+% usr')"

# free's total is MemTotal; used + free + buff/cache = total.
memtotal=$($BB awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
line=$($BB free | $BB grep -a '^Mem:')
t free-total-is-memtotal $BB test "$(echo $line | $BB awk '{ print $2 }')" = "$memtotal"
sum=$(echo $line | $BB awk '{ print $3 + $4 + $6 }')
t free-adds-up $BB test $((sum - memtotal)) -le 1024 -a $((memtotal - sum)) -le 1024

# uptime parses and agrees with /proc/uptime to the minute.
out=$($BB uptime)
t uptime-format $BB test -n "$(echo "$out" | $BB grep -a -E 'up .*load average: [0-9]+\.[0-9]+, [0-9]+\.[0-9]+, [0-9]+\.[0-9]+$')"

# mount lists /proc as Linux's mount(8) prints it.
t mount-proc $BB test -n "$($BB mount | $BB grep -a '^proc on /proc type proc ')"
t mount-root $BB test -n "$($BB mount | $BB grep -a ' on / type ')"

# cat of every file: each readable, none empty (environ may be), links
# resolve.
for f in /proc/cmdline /proc/cpuinfo /proc/devices /proc/filesystems \
    /proc/loadavg /proc/meminfo /proc/mounts /proc/stat /proc/uptime \
    /proc/version /proc/vmstat /proc/sys/kernel/ostype \
    /proc/sys/kernel/osrelease /proc/sys/kernel/hostname \
    /proc/sys/kernel/pid_max /proc/self/stat /proc/self/statm \
    /proc/self/status /proc/self/maps /proc/self/smaps \
    /proc/self/smaps_rollup \
    /proc/self/cmdline /proc/self/comm /proc/self/limits \
    /proc/self/mounts /proc/self/mountinfo /proc/self/wchan \
    /proc/$kid/stat /proc/$kid/status /proc/$kid/cmdline \
    /proc/$kid/task/$kid/stat /proc/$kid/task/$kid/status \
    /proc/self/fdinfo/1; do
	n=$($BB cat "$f" | $BB wc -c)
	t "cat-$f" $BB test "$n" -gt 0
done
t cat-environ $BB test -r /proc/self/environ -a "$($BB cat /proc/self/environ | $BB wc -c)" -gt 0
for l in /proc/self /proc/thread-self /proc/self/exe /proc/self/cwd \
    /proc/self/root /proc/$kid/exe /proc/self/fd/1; do
	t "readlink-$l" $BB test -n "$($BB readlink $l)"
done
t exe-is-executable $BB test -x "$($BB readlink /proc/$kid/exe)"
t exe-is-sleep-file $BB test "$($BB readlink -f /proc/$kid/exe)" = \
    "$($BB readlink -f "$($BB which sleep)")"
t child-state-sleeping $BB test -n "$($BB grep -a '^State:.S (sleeping)' /proc/$kid/status)"
# The controlling terminal of a qrun program is ttyS0 (4:64 -> 1088), on
# the host whatever this shell has: the child shares it.
t child-tty-is-ours $BB test "$($BB cut -d' ' -f7 /proc/$kid/stat)" = \
    "$($BB cut -d' ' -f7 /proc/$me/stat)"
t child-ppid $BB test "$($BB awk '/^PPid:/ { print $2 }' /proc/$kid/status)" = "$me"

kill $kid
wait $kid 2>/dev/null
t gone-after-exit $BB test ! -e /proc/$kid
echo "consumers: $pass passed, $fail failed"
[ "$fail" = 0 ]
