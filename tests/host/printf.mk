HOST_TESTS += printf
printf_SRCS := lib/printf.c
