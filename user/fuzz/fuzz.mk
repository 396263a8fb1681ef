# user/fuzz/fuzz.mk: the system call fuzzer (user/fuzz/fuzz.c, issue 9).
#
#   make fuzz [SEED=n] [TIME=s] [WORKERS=n] [CHECK=s] [P9=0|1] [P9RATE=r]
#
# builds build/user/fuzz/fuzz and runs it in Mica through tools/fuzz, which
# reports a panic, a hang or an invariant failure with the seed to replay.
# The fuzzer is not in the base initramfs: qrun carries it in per run.
# P9=1 (the default) also fuzzes a 9P share behind tools/p9fault.py's
# fault-injecting proxy (a fraction P9RATE of diod's replies spoiled);
# P9=0 turns it off.

SEED		?= 1
TIME		?= 60
WORKERS		?= 4
CHECK		?= 20
P9		?= 1
P9RATE		?= 0.01

FUZZ_SRCS	:= user/fuzz/fuzz.c user/fuzz/fuzz_worker.c user/fuzz/fuzz_9p.c

$(B)/user/fuzz/fuzz: $(FUZZ_SRCS) user/fuzz/fuzz.h include/uapi/syscalls.def
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  MUSLCC  $@"
	$(Q)$(MUSLCC) $(UCFLAGS) -o $@ $(FUZZ_SRCS)

.PHONY: fuzz
fuzz: $(B)/kernel32.elf $(B)/initramfs.cpio $(B)/user/fuzz/fuzz
	$(Q)tools/fuzz -s $(SEED) -t $(TIME) -w $(WORKERS) -c $(CHECK) \
	    -9 $(P9) -r $(P9RATE)
