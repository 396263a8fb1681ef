# bench.mk: `make bench` (included by the Makefile).
#
# Every user/bench/b_NAME.c is a benchmark program built like the other
# user programs (build/user/bench/b_NAME, static musl).  tools/bench boots
# Mica and Debian's Linux kernel (fetched by tools/bench-linux) in the same
# QEMU around them and writes build/bench/results.{json,md} and ratios.png.
# QUICK=1: shorter rounds, 16 MiB bulk sizes, two boots per kernel (full:
# three).  ICOUNT=1 adds `-icount shift=0` to both kernels' QEMU: the guest
# clock then counts instructions (1 ns = 1 instruction), so every value is
# an exact, noise-free instruction count (results in build/bench/icount/).
# Timings
# are not tests: `make test` only smoke-runs the binaries
# (tests/stages/70-bench-smoke).

BENCH_SRCS	:= $(sort $(wildcard user/bench/b_*.c))
BENCH_PROGS	:= $(BENCH_SRCS:user/bench/%.c=$(B)/user/bench/%)
QUICK		?= 0
ICOUNT		?= 0

.PHONY: bench bench-progs
bench-progs: $(BENCH_PROGS)

bench: $(B)/kernel32.elf $(B)/initramfs.cpio $(BENCH_PROGS)
	$(Q)$(if $(filter 1,$(ICOUNT)),BENCH_OUT=$(B)/bench/icount \
		BENCH_QEMU_EXTRA="-icount shift=0") \
		tools/bench $(if $(filter 1,$(QUICK)),--quick)

-include $(wildcard $(B)/user/bench/*.d)
