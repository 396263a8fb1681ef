/*
 * t_path.c: path name lookup and the directory operations.
 *
 * Works in a fresh directory under /tmp: absolute and relative paths, `.`
 * and `..` (also above /), symlinks (relative, absolute, to directories,
 * loops), the lookup errors, mkdir/rmdir/rename/unlink/link semantics,
 * getcwd and a getdents64 listing compared entry by entry.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "t.h"

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static char top[64];

static void
put(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0) {
		write(fd, data, strlen(data));
		close(fd);
	}
}

/* Read a whole (small) file; "" on error. */
static const char *
get(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return (buf);
}

static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return (stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev);
}

int
main(void)
{
	char path[PATH_MAX + 64], buf[PATH_MAX];
	struct stat st;
	ssize_t n;
	int fd;

	t_init();
	umask(022);
	strcpy(top, "/tmp/t_path.XXXXXX");
	if (mkdtemp(top) == NULL || chdir(top) < 0) {
		t_fail("setup", "mkdtemp/chdir: %s", strerror(errno));
		return (1);
	}

	/* mkdir and lookups. */
	CHECK_EQ("mkdir", mkdir("a", 0777), 0);
	CHECK("mkdir-mode-umask", stat("a", &st) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & 07777) == 0755);
	mkdir("a/b", 0755);
	put("a/b/f", "data");
	snprintf(path, sizeof(path), "%s/a/b/f", top);
	CHECK("lookup-absolute", strcmp(get(path), "data") == 0);
	CHECK("lookup-relative", strcmp(get("a/b/f"), "data") == 0);
	CHECK("lookup-dot-dotdot", strcmp(get("./a/../a/b/./../b/f"), "data") ==
	    0);
	CHECK("lookup-slashes", strcmp(get("a//b///f"), "data") == 0);
	CHECK("dotdot-above-root", same_file("/../../..", "/") &&
	    same_file("/tmp/../..", "/"));
	CHECK_ERR("enoent", open("a/nope/f", O_RDONLY), ENOENT);
	CHECK_ERR("enoent-empty", open("", O_RDONLY), ENOENT);
	CHECK_ERR("enotdir-middle", open("a/b/f/x", O_RDONLY), ENOTDIR);
	CHECK_ERR("enotdir-trailing-slash", open("a/b/f/", O_RDONLY), ENOTDIR);
	CHECK_ERR("eisdir-write", open("a", O_WRONLY), EISDIR);
	CHECK_ERR("o-directory-file", open("a/b/f", O_RDONLY | O_DIRECTORY),
	    ENOTDIR);
	{
		char name[NAME_MAX + 2];

		memset(name, 'n', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		CHECK_ERR("enametoolong-component", open(name, O_RDONLY),
		    ENAMETOOLONG);
		memset(path, 'p', PATH_MAX + 10);
		for (int i = 1; i < PATH_MAX + 10; i += 10)
			path[i] = '/';
		path[PATH_MAX + 10] = '\0';
		CHECK_ERR("enametoolong-path", open(path, O_RDONLY),
		    ENAMETOOLONG);
	}
	{
		int dfd = open("a", O_RDONLY | O_DIRECTORY);

		fd = openat(dfd, "b/f", O_RDONLY);
		n = fd >= 0 ? read(fd, buf, 4) : -1;
		CHECK("openat-dirfd", n == 4 && memcmp(buf, "data", 4) == 0);
		close(fd);
		CHECK_ERR("openat-file-dirfd", openat(fd >= 0 ? dfd : -1,
		    "b/f/g", O_RDONLY), ENOTDIR);
		close(dfd);
	}

	/* Symlinks. */
	CHECK_EQ("symlink", symlink("b/f", "a/lnk"), 0);
	CHECK("symlink-follow-relative", strcmp(get("a/lnk"), "data") == 0);
	n = readlink("a/lnk", buf, sizeof(buf));
	CHECK("readlink", n == 3 && memcmp(buf, "b/f", 3) == 0);
	CHECK("lstat-symlink", lstat("a/lnk", &st) == 0 &&
	    S_ISLNK(st.st_mode) && st.st_size == 3);
	CHECK("stat-follows", stat("a/lnk", &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size == 4);
	snprintf(path, sizeof(path), "%s/a", top);
	symlink(path, "dlnk");
	CHECK("symlink-absolute-dir", strcmp(get("dlnk/b/f"), "data") == 0);
	symlink("..", "a/b/up");
	CHECK("symlink-dotdot", same_file("a/b/up", "a"));
	symlink("nothing", "dangling");
	CHECK_ERR("symlink-dangling", open("dangling", O_RDONLY), ENOENT);
	symlink("loop1", "loop2");
	symlink("loop2", "loop1");
	CHECK_ERR("symlink-eloop", open("loop1", O_RDONLY), ELOOP);
	CHECK_ERR("o-nofollow", open("a/lnk", O_RDONLY | O_NOFOLLOW), ELOOP);
	CHECK_ERR("readlink-not-link", readlink("a/b/f", buf, sizeof(buf)),
	    EINVAL);
	CHECK_ERR("symlink-eexist", symlink("x", "a/lnk"), EEXIST);

	/* mkdir/rmdir errors. */
	CHECK_ERR("mkdir-eexist", mkdir("a", 0755), EEXIST);
	CHECK_ERR("mkdir-enoent", mkdir("x/y", 0755), ENOENT);
	CHECK_ERR("rmdir-enotempty", rmdir("a"), ENOTEMPTY);
	CHECK_ERR("rmdir-enotdir", rmdir("a/b/f"), ENOTDIR);
	CHECK_ERR("rmdir-dot", rmdir("a/b/."), EINVAL);
	CHECK_ERR("unlink-dir", unlink("a/b"), EISDIR);
	mkdir("e", 0755);
	CHECK("rmdir-empty", rmdir("e") == 0 && stat("e", &st) == -1 &&
	    errno == ENOENT);

	/* rename. */
	put("r1", "one");
	put("r2", "two");
	CHECK("rename-replaces", rename("r1", "r2") == 0 &&
	    strcmp(get("r2"), "one") == 0 && access("r1", F_OK) == -1);
	mkdir("d1", 0755);
	mkdir("d1/sub", 0755);
	CHECK_ERR("rename-into-own-subdir", rename("d1", "d1/sub/x"), EINVAL);
	CHECK_ERR("rename-file-over-dir", rename("r2", "d1"), EISDIR);
	CHECK_ERR("rename-dir-over-file", rename("d1", "r2"), ENOTDIR);
	mkdir("d2", 0755);
	CHECK_ERR("rename-over-nonempty-dir", rename("d2", "d1"), ENOTEMPTY);
	CHECK("rename-dir", rename("d1", "d3") == 0 &&
	    stat("d3/sub", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK_ERR("rename-enoent", rename("nope", "x"), ENOENT);

	/* link / unlink. */
	CHECK_EQ("link", link("r2", "h2"), 0);
	CHECK("link-same-inode", same_file("r2", "h2") &&
	    stat("r2", &st) == 0 && st.st_nlink == 2);
	unlink("r2");
	CHECK("unlink-keeps-other-link", strcmp(get("h2"), "one") == 0 &&
	    stat("h2", &st) == 0 && st.st_nlink == 1);
	CHECK_ERR("link-eexist", link("h2", "a/lnk"), EEXIST);
	CHECK_ERR("link-dir-eperm", link("a", "a2"), EPERM);
	fd = open("h2", O_RDONLY);
	unlink("h2");
	n = fd >= 0 ? read(fd, buf, 3) : -1;
	CHECK("unlinked-open-file-readable", n == 3 &&
	    memcmp(buf, "one", 3) == 0 && access("h2", F_OK) == -1);
	close(fd);
	CHECK_ERR("unlink-enoent", unlink("h2"), ENOENT);

	/* getcwd / chdir. */
	chdir("a/b");
	snprintf(path, sizeof(path), "%s/a/b", top);
	CHECK("getcwd", getcwd(buf, sizeof(buf)) != NULL &&
	    strcmp(buf, path) == 0);
	CHECK_ERR("getcwd-erange", syscall(SYS_getcwd, buf, 4), ERANGE);
	chdir("../..");
	CHECK("chdir-dotdot", getcwd(buf, sizeof(buf)) != NULL &&
	    strcmp(buf, top) == 0);
	CHECK_ERR("chdir-enotdir", chdir("a/b/f"), ENOTDIR);
	CHECK_ERR("chdir-enoent", chdir("nope"), ENOENT);

	/* getdents64 of a: exactly . .. b lnk, with their types. */
	fd = open("a", O_RDONLY | O_DIRECTORY);
	{
		char dbuf[4096];
		int seen = 0, other = 0, types_ok = 1;
		long r;

		while ((r = syscall(SYS_getdents64, fd, dbuf,
		    sizeof(dbuf))) > 0) {
			for (long off = 0; off < r;) {
				struct linux_dirent64 *de =
				    (void *)(dbuf + off);

				if (strcmp(de->d_name, ".") == 0)
					seen |= 1;
				else if (strcmp(de->d_name, "..") == 0)
					seen |= 2;
				else if (strcmp(de->d_name, "b") == 0) {
					seen |= 4;
					types_ok &= de->d_type == DT_DIR;
				} else if (strcmp(de->d_name, "lnk") == 0) {
					seen |= 8;
					types_ok &= de->d_type == DT_LNK;
				} else
					other++;
				if (de->d_reclen == 0)
					break;
				off += de->d_reclen;
			}
		}
		CHECK("getdents64-listing", r == 0 && seen == 15 && other == 0);
		CHECK("getdents64-types", types_ok);
		lseek(fd, 0, SEEK_SET);
		CHECK_ERR("getdents64-small-buffer",
		    syscall(SYS_getdents64, fd, dbuf, 8), EINVAL);
	}
	close(fd);
	{
		int f = open("a/b/f", O_RDONLY);
		char dbuf[256];

		CHECK_ERR("getdents64-file", syscall(SYS_getdents64, f, dbuf,
		    sizeof(dbuf)), ENOTDIR);
		close(f);
	}

	chdir("/");
	snprintf(buf, sizeof(buf), "rm -rf %s", top);
	system(buf);
	return (t_done());
}
