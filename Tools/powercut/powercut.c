// A write-failure injector for crash-safety tests (LD_PRELOAD; docs/reliability.md, "Storage under power
// loss"). It counts the process's writes to regular files and, at write number CIVIC_POWERCUT_AFTER:
//
//   CIVIC_POWERCUT_MODE=cut   (default) cuts the power: every file written since it was last fsynced is
//                             truncated back to its synced length — what a disk cache loses when the power
//                             goes — and the process is killed with SIGKILL before that write happens.
//   CIVIC_POWERCUT_MODE=fail  the disk fails: that write and every later write, fsync and fdatasync return
//                             EIO, and the process carries on as its error handling decides. RocksDB's
//                             info log (LOG) is spared: Debian's RocksDB asserts, and aborts, when a write to
//                             it follows a failed one, which would hide how the data path handles errors.
//
// Model and limits: a file's synced length is its size at its last fsync/fdatasync (or when first written
// here, for a file that existed before); renames carry it along, unlinks drop it. Writes that rewrite the
// middle of a file before a sync are not rolled back (RocksDB appends), and a name created but never made
// durable by a directory sync stays, truncated to what was synced. Build: cc -shared -fPIC -O2 -o
// powercut.so powercut.c -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FILES 4096

struct tracked {
    char path[PATH_MAX];
    off_t synced;
};

static struct tracked files[MAX_FILES];
static int file_count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long writes;
static long trigger = -1;
static int fail_mode;
static int failing;

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_unlink)(const char *);

__attribute__((constructor)) static void setup(void) {
    real_write = dlsym(RTLD_NEXT, "write");
    real_pwrite = dlsym(RTLD_NEXT, "pwrite");
    real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
    real_writev = dlsym(RTLD_NEXT, "writev");
    real_pwritev = dlsym(RTLD_NEXT, "pwritev");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_rename = dlsym(RTLD_NEXT, "rename");
    real_renameat = dlsym(RTLD_NEXT, "renameat");
    real_unlink = dlsym(RTLD_NEXT, "unlink");
    const char *after = getenv("CIVIC_POWERCUT_AFTER");
    if (after) trigger = atol(after);
    const char *mode = getenv("CIVIC_POWERCUT_MODE");
    fail_mode = mode && strcmp(mode, "fail") == 0;
}

static struct tracked *find(const char *path) {
    for (int i = 0; i < file_count; i++)
        if (strcmp(files[i].path, path) == 0) return &files[i];
    return NULL;
}

static int path_of(int fd, char *path) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t length = readlink(link, path, PATH_MAX - 1);
    if (length < 0) return 0;
    path[length] = 0;
    return 1;
}

static int is_regular(int fd, off_t *size) {
    struct stat info;
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) return 0;
    *size = info.st_size;
    return 1;
}

static void cut_power(void) {
    for (int i = 0; i < file_count; i++) {
        struct stat info;
        if (stat(files[i].path, &info) == 0 && info.st_size > files[i].synced) truncate(files[i].path, files[i].synced);
    }
    kill(getpid(), SIGKILL);
}

// Before a write to `fd`: 0 to go ahead, -1 when it must fail (errno set). Cuts the power at the trigger.
static int is_info_log(const char *path) {
    const char *name = strrchr(path, '/');
    return strncmp(name ? name + 1 : path, "LOG", 3) == 0;
}

static int before_write(int fd) {
    off_t size;
    if (!is_regular(fd, &size)) return 0;
    char path[PATH_MAX];
    int known = path_of(fd, path);
    if (fail_mode && known && is_info_log(path)) return 0;
    pthread_mutex_lock(&lock);
    if (known && !find(path) && file_count < MAX_FILES) {
        strcpy(files[file_count].path, path);
        files[file_count].synced = size;
        file_count++;
    }
    writes++;
    if (trigger >= 0 && writes >= trigger) {
        if (!fail_mode) cut_power();
        failing = 1;
    }
    int fail = failing;
    pthread_mutex_unlock(&lock);
    if (fail) errno = EIO;
    return fail ? -1 : 0;
}

static int after_sync(int fd, int result) {
    off_t size;
    char path[PATH_MAX];
    if (result != 0 || !is_regular(fd, &size) || !path_of(fd, path)) return result;
    pthread_mutex_lock(&lock);
    struct tracked *file = find(path);
    if (file) file->synced = size;
    pthread_mutex_unlock(&lock);
    return result;
}

static int sync_failing(void) {
    pthread_mutex_lock(&lock);
    int fail = failing;
    pthread_mutex_unlock(&lock);
    if (fail) errno = EIO;
    return fail;
}

ssize_t write(int fd, const void *buffer, size_t count) {
    return before_write(fd) ? -1 : real_write(fd, buffer, count);
}

ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset) {
    return before_write(fd) ? -1 : real_pwrite(fd, buffer, count, offset);
}

ssize_t pwrite64(int fd, const void *buffer, size_t count, off_t offset) {
    return before_write(fd) ? -1 : real_pwrite64(fd, buffer, count, offset);
}

ssize_t writev(int fd, const struct iovec *vector, int count) {
    return before_write(fd) ? -1 : real_writev(fd, vector, count);
}

ssize_t pwritev(int fd, const struct iovec *vector, int count, off_t offset) {
    return before_write(fd) ? -1 : real_pwritev(fd, vector, count, offset);
}

static int sync_fails(int fd) {
    char path[PATH_MAX];
    if (fail_mode && path_of(fd, path) && is_info_log(path)) return 0;
    return sync_failing();
}

int fsync(int fd) { return sync_fails(fd) ? -1 : after_sync(fd, real_fsync(fd)); }

int fdatasync(int fd) { return sync_fails(fd) ? -1 : after_sync(fd, real_fdatasync(fd)); }

static void renamed(const char *from, const char *to) {
    char old_path[2 * PATH_MAX + 2], new_path[PATH_MAX];
    if (!realpath(to, new_path)) return;
    // `from` no longer exists: rebuild its absolute path from the destination's directory when relative.
    if (from[0] == '/') snprintf(old_path, sizeof old_path, "%s", from);
    else {
        char directory[PATH_MAX];
        if (!getcwd(directory, sizeof directory)) return;
        snprintf(old_path, sizeof old_path, "%s/%s", directory, from);
    }
    pthread_mutex_lock(&lock);
    struct tracked *target = find(new_path);
    if (target) target->path[0] = 0;
    struct tracked *source = find(old_path);
    if (source) snprintf(source->path, PATH_MAX, "%s", new_path);
    pthread_mutex_unlock(&lock);
}

int rename(const char *from, const char *to) {
    int result = real_rename(from, to);
    if (result == 0) renamed(from, to);
    return result;
}

int renameat(int from_directory, const char *from, int to_directory, const char *to) {
    int result = real_renameat(from_directory, from, to_directory, to);
    if (result == 0 && from_directory == AT_FDCWD && to_directory == AT_FDCWD) renamed(from, to);
    return result;
}

int unlink(const char *path) {
    char absolute[PATH_MAX];
    int known = realpath(path, absolute) != NULL;
    int result = real_unlink(path);
    if (result == 0 && known) {
        pthread_mutex_lock(&lock);
        struct tracked *file = find(absolute);
        if (file) file->path[0] = 0;
        pthread_mutex_unlock(&lock);
    }
    return result;
}
