HOST_TESTS += fbcons
fbcons_SRCS := drivers/fbcons.c drivers/font.c
