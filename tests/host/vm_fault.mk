HOST_TESTS += vm_fault
vm_fault_SRCS := mm/vm_map.c mm/vm_map_advice.c mm/vm_object.c \
	mm/vm_fault.c mm/vm_space.c mm/vm_mmap.c mm/vm_mremap.c \
	tests/host/vm_fake.c
