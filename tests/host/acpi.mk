HOST_TESTS += acpi
acpi_SRCS := kernel/acpi_tables.c lib/printf.c lib/strlcpy.c
