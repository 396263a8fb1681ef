# tests/lib/stage.sh: shared helpers for the stages in tests/stages.
#
# Source it first thing in a stage (`. "$TOP/tests/lib/stage.sh"`).  It
# keeps the stage's counts; `pass NAME`, `fail NAME [WHY]` and
# `check NAME COMMAND...` record one test each, and `finish` prints the
# stage's verdict line "name: N passed, N failed" and exits (1 if anything
# failed).  Logs go to $LOGDIR (build/test-logs/<stage>/).

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$TOP/build}
STAGE=${STAGE:-$(basename "$0" | sed 's/^[0-9][0-9]-//')}
QEMU_BASE=${QEMU_BASE:-qemu-system-x86_64 -accel tcg -cpu max -m 256 \
-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04}
LOGDIR=$B/test-logs/$STAGE
export TOP B QEMU_BASE
mkdir -p "$LOGDIR"
cd "$TOP" || exit 1

stage_pass=0
stage_fail=0

pass() {
	stage_pass=$((stage_pass + 1))
	printf '  ok    %s\n' "$1"
}

fail() {
	stage_fail=$((stage_fail + 1))
	printf '  FAIL  %s%s\n' "$1" "${2:+: $2}"
}

# check NAME COMMAND...: one test, passed when COMMAND exits 0.
check() {
	_name=$1
	shift
	if "$@"; then
		pass "$_name"
	else
		fail "$_name"
	fi
}

finish() {
	echo "$STAGE: $stage_pass passed, $stage_fail failed"
	[ "$stage_fail" -eq 0 ] || exit 1
	exit 0
}
