# user/user.mk: the user programs, built as static musl binaries.
#
# Every user/NAME.c becomes build/user/NAME and every user/tests/NAME.c
# becomes build/user/tests/NAME (one .c file, one program).  They are
# ordinary static Linux x86-64 programs: the guest tests must pass on the
# host Linux too, which is how their expectations are checked.  user/include/
# holds Mica's extra headers (calls Linux lacks).  The image that carries
# them to the guest is build/initramfs.cpio (tools/mkinitramfs).

MUSLCC		:= musl-gcc
UCFLAGS		:= -static -O2 -g -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
	-Wno-sign-compare -Iuser/include -MMD -MP

USER_SRCS	:= $(sort $(wildcard user/*.c))
UTEST_SRCS	:= $(sort $(wildcard user/tests/*.c))
USER_PROGS	:= $(USER_SRCS:user/%.c=$(B)/user/%)
UTEST_PROGS	:= $(UTEST_SRCS:user/tests/%.c=$(B)/user/tests/%)
# Benchmarks: user/bench/NAME.c -> build/user/bench/NAME (run with qrun).
UBENCH_SRCS	:= $(sort $(wildcard user/bench/*.c))
UBENCH_PROGS	:= $(UBENCH_SRCS:user/bench/%.c=$(B)/user/bench/%)

$(B)/user/%: user/%.c
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  MUSLCC  $<"
	$(Q)$(MUSLCC) $(UCFLAGS) -o $@ $<

user: $(USER_PROGS) $(UTEST_PROGS) $(UBENCH_PROGS)

# The base image: busybox, init, /etc, the guest tests.  tools/qrun makes a
# per-run copy with the program to run and /etc/qrun added.
$(B)/initramfs.cpio: $(USER_PROGS) $(UTEST_PROGS) tools/mkinitramfs
	@[ "$(V)" = 1 ] || echo "  CPIO    $@"
	$(Q)tools/mkinitramfs -o $@

# The guest tests on the host Linux: they must pass here before they judge
# Mica (run as root, as in the guest).
.PHONY: user-check
user-check: $(USER_PROGS) $(UTEST_PROGS)
	$(Q)$(B)/user/tests/runtests

-include $(wildcard $(B)/user/*.d $(B)/user/tests/*.d $(B)/user/bench/*.d)
