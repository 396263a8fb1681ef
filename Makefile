# Mica: build, run, test and debug a small x86-64 teaching kernel.
#
#   make            build build/kernel.elf, build/kernel32.elf, build/mica.iso
#   make run        boot to a shell on this terminal (installs what is missing)
#   make run SHARE=DIR   the same with host folder DIR at /mnt/host (diod, 9P)
#   make test       host unit tests, in-kernel self tests, guest tests
#   make test-matrix  the self tests on many PCs: BIOS/UEFI, pc/q35, CPUs
#   make gdb        boot halted and attach gdb to the kernel
#   make bench      Mica against Linux in the same QEMU (bench.mk, QUICK=1)
#
# Knobs: V=1 (show commands), DEBUG=1 (-O0, heap poisoning), KVM=1 (use KVM
# instead of TCG), MEM=<MiB>, QEMU_EXTRA="...", GDBPORT=<port>.

V		?= 0
DEBUG		?= 0
KVM		?= 0
MEM		?= 256
QEMU_EXTRA	?=
GDBPORT		?= $(shell echo $$((20000 + $$(id -u) % 20000)))
VERSION		:= 0.1.0

ifeq ($(V),1)
Q :=
else
Q := @
endif

B		:= build
CC		:= gcc
LD		:= ld
NASM		:= nasm
OBJCOPY		:= objcopy
NM		:= nm

GCCINC		:= $(shell $(CC) -print-file-name=include)

# The kernel: freestanding, higher half, no SSE, frame pointers kept;
# signed overflow wraps and NULL checks stay (as Linux builds), so a bounds
# check written the signed way cannot be optimised away.
KCFLAGS := -std=gnu11 -ffreestanding -nostdinc -isystem $(GCCINC) \
	-Iinclude -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-mno-sse -mno-mmx -mno-80387 -fno-pic -fno-pie -fno-omit-frame-pointer \
	-fno-optimize-sibling-calls -fno-strict-aliasing -fno-common \
	-fno-strict-overflow -fno-delete-null-pointer-checks \
	-fstack-protector-strong -mstack-protector-guard=global \
	-Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-Wmissing-prototypes -Wstrict-prototypes -g -MMD -MP \
	-DMICA_VERSION='"$(VERSION)"' -D_KERNEL
ifeq ($(DEBUG),1)
KCFLAGS += -O0 -DDEBUG
else
KCFLAGS += -O2
endif
KASFLAGS := -f elf64 -g -F dwarf
KLDFLAGS := -n -nostdlib -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments -T linker.ld

KDIRS	:= kernel mm fs drivers lib
KSRC_C	:= $(sort $(shell find $(KDIRS) -name '*.c' 2>/dev/null))
KSRC_S	:= $(sort $(shell find boot $(KDIRS) -name '*.asm' 2>/dev/null))
KOBJ	:= $(KSRC_C:%.c=$(B)/k/%.o) $(KSRC_S:%.asm=$(B)/k/%.o)

.PHONY: all run test test-host test-kernel test-guest gdb clean deps iso \
	format user test-matrix
all: $(B)/kernel.elf $(B)/kernel32.elf $(B)/initramfs.cpio $(B)/mica.iso

deps:
	$(Q)tools/deps

$(B)/k/%.o: %.c
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/k/%.o: %.asm
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  NASM    $<"
	$(Q)$(NASM) $(KASFLAGS) -MD $(@:.o=.d) -MP $< -o $@

# Two-pass link: the second pass carries the symbol table of the first, for
# symbolized backtraces.  .ksyms lies after .text, so text addresses agree.
$(B)/ksyms0.S:
	@mkdir -p $(B)
	$(Q)tools/mksyms < /dev/null > $@
$(B)/%.o: $(B)/%.S
	$(Q)$(CC) -c $< -o $@
$(B)/kernel.pass1: $(KOBJ) $(B)/ksyms0.o linker.ld
	@[ "$(V)" = 1 ] || echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJ) $(B)/ksyms0.o
$(B)/ksyms.S: $(B)/kernel.pass1 tools/mksyms
	$(Q)$(NM) -n --defined-only $< | tools/mksyms > $@
$(B)/kernel.elf: $(KOBJ) $(B)/ksyms.o linker.ld
	@[ "$(V)" = 1 ] || echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJ) $(B)/ksyms.o
	$(Q)tools/check-ksyms $(B)/kernel.pass1 $@
$(B)/kernel32.elf: $(B)/kernel.elf
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@

# Boot images.  mica.iso boots to init; mica-test.iso runs the self tests.
$(B)/mica.iso: $(B)/kernel.elf iso/grub.cfg $(B)/initramfs.cpio
	$(Q)tools/mkiso $@ iso/grub.cfg "" $(B)/kernel.elf $(B)/initramfs.cpio
$(B)/mica-test.iso: $(B)/kernel.elf iso/grub.cfg $(B)/initramfs.cpio
	$(Q)tools/mkiso $@ iso/grub.cfg "ktest" $(B)/kernel.elf \
		$(B)/initramfs.cpio
iso: $(B)/mica.iso

# Host unit tests (cmocka, ASan, UBSan).  Each tests/host/<name>.mk adds
# <name> to HOST_TESTS and lists its sources in <name>_SRCS.
HOST_TESTS :=
include $(wildcard tests/host/*.mk)
HCFLAGS := -std=gnu11 -g -O1 -Iinclude -DHOST_TEST -fsanitize=address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=undefined -Wall -Wextra \
	-Wno-unused-parameter -Wno-sign-compare
$(B)/host/%: tests/host/%.c
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  HOSTCC  $@"
	$(Q)$(CC) $(HCFLAGS) -o $@ $< $($*_SRCS) -lcmocka
$(foreach t,$(HOST_TESTS),$(eval $(B)/host/$(t): $($(t)_SRCS)))

QEMU_ACCEL := $(if $(filter 1,$(KVM)),-accel kvm -cpu host,-accel tcg -cpu max)
QEMU_BASE := qemu-system-x86_64 $(QEMU_ACCEL) -m $(MEM) -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 $(QEMU_EXTRA)
export QEMU_BASE

# SHARE=DIR: diod serves DIR on a unix socket as the invoking user, QEMU's
# virtserialport org.9p.0 connects to it, share=DIR tells init what to
# mount at /mnt/host (the fast -kernel boot, so the option can be passed);
# diod stops when QEMU does.
SHARE		?=
run: deps all
ifeq ($(SHARE),)
	$(QEMU_BASE) -cdrom $(B)/mica.iso -display none -serial mon:stdio
else
	@test -d "$(SHARE)" || { echo "make run: SHARE=$(SHARE): not a directory"; exit 1; }
	@d=$$(mktemp -d /tmp/mica-share.XXXXXX); \
	diod -f -n -N -c /dev/null -l $$d/sock -e $(abspath $(SHARE)) \
	    -L $$d/diod.log & dp=$$!; \
	trap 'kill $$dp 2>/dev/null; wait $$dp 2>/dev/null; rm -rf $$d' EXIT; \
	trap 'exit 130' INT TERM; \
	i=0; while [ ! -S $$d/sock ] && [ $$i -lt 50 ]; do sleep 0.1; i=$$((i+1)); done; \
	[ -S $$d/sock ] || { echo "make run: diod did not start"; cat $$d/diod.log; exit 1; }; \
	$(QEMU_BASE) -kernel $(B)/kernel32.elf -initrd $(B)/initramfs.cpio \
	    -append "share=$(abspath $(SHARE))" -display none -serial mon:stdio \
	    -device virtio-serial-pci,id=vser0,disable-modern=on \
	    -chardev socket,id=p9,path=$$d/sock \
	    -device virtserialport,bus=vser0.0,chardev=p9,name=org.9p.0,nr=1
endif

# tools/runtests runs tests/stages/* in order and ends with the line
# "N passed, N failed"; STAGES="host ktest" runs only those stages.
STAGES		?=
test: deps
	$(Q)$(MAKE) --no-print-directory all $(B)/mica-test.iso \
		$(addprefix $(B)/host/,$(HOST_TESTS))
	$(Q)HOST_TESTS="$(HOST_TESTS)" tools/runtests $(STAGES)

# The ktests on a list of PCs (firmware x machine x CPU x RAM), a table;
# MATRIX=all runs the whole product.  See tools/test-matrix.
MATRIX		?=
test-matrix: deps
	$(Q)$(MAKE) --no-print-directory all $(B)/mica-test.iso
	$(Q)tools/test-matrix $(MATRIX)

$(B)/gdbinit: tools/gdbinit.in Makefile
	@mkdir -p $(B)
	$(Q)sed -e 's|@GDBPORT@|$(GDBPORT)|g' -e 's|@TOP@|$(CURDIR)|g' $< > $@

# QEMU waits halted (-S) for gdb on 127.0.0.1:$(GDBPORT); the kernel's
# console goes to build/gdb-serial.log (`klog` in gdb, or tail -f it).
# QEMU runs in the background with SIGINT ignored, so Ctrl-C reaches gdb
# only; it is killed when gdb exits.
gdb: deps all $(B)/gdbinit
	@echo "make gdb: QEMU on 127.0.0.1:$(GDBPORT), console in $(B)/gdb-serial.log"
	$(Q)$(QEMU_BASE) -kernel $(B)/kernel32.elf -display none -monitor none \
		$$([ -f $(B)/initramfs.cpio ] && echo -initrd $(B)/initramfs.cpio) \
		-serial file:$(B)/gdb-serial.log -S \
		-gdb tcp:127.0.0.1:$(GDBPORT) </dev/null & qpid=$$!; \
	gdb -q -x $(B)/gdbinit; kill $$qpid 2>/dev/null; wait $$qpid; true

format:
	clang-format -i $(KSRC_C) $(wildcard include/*.h include/*/*.h)

clean:
	rm -rf $(B)

include user/user.mk
include user/fuzz/fuzz.mk

-include $(shell find $(B)/k -name '*.d' 2>/dev/null)
include bench.mk
