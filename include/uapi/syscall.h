/*
 * uapi/syscall.h: system call numbers, SYS_read and so on, generated from
 * the one list in syscalls.def.  Shared with user space (user/include).
 */
#ifndef _UAPI_SYSCALL_H_
#define _UAPI_SYSCALL_H_

enum {
#define SYSCALL(nr, name) SYS_##name = (nr),
#include "syscalls.def"
#undef SYSCALL
	SYS_MAXSYSCALL = 1004
};

#endif /* !_UAPI_SYSCALL_H_ */
