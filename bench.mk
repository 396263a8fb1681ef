# bench.mk: `make bench` (included by the Makefile).
#
# Every user/bench/b_NAME.c is a benchmark program built like the other
# user programs (build/user/bench/b_NAME, static musl).  tools/bench boots
# Mica and Debian's Linux kernel (fetched by tools/bench-linux) in the same
# QEMU around them and writes build/bench/results.{json,md} and ratios.png.
# QUICK=1: shorter rounds, 16 MiB bulk sizes, one boot per kernel.  Timings
# are not tests: `make test` only smoke-runs the binaries
# (tests/stages/70-bench-smoke).

BENCH_SRCS	:= $(sort $(wildcard user/bench/b_*.c))
BENCH_PROGS	:= $(BENCH_SRCS:user/bench/%.c=$(B)/user/bench/%)
QUICK		?= 0

.PHONY: bench bench-progs
bench-progs: $(BENCH_PROGS)

bench: $(B)/kernel32.elf $(B)/initramfs.cpio $(BENCH_PROGS)
	$(Q)tools/bench $(if $(filter 1,$(QUICK)),--quick)

-include $(wildcard $(B)/user/bench/*.d)
