HOST_TESTS += elf
elf_SRCS := lib/elf.c lib/strlcpy.c
