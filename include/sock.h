/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stream sockets for the gdb and monitor servers: listen, accept, send all of a buffer. */
#pragma once

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Listen on a unix socket at path; mode (0600) is the socket file's, 0 leaves it to the
 * umask. Returns the fd, or -errno with the reason ("path too long", strerror) in err. */
int sock_listen_unix(const char *path, mode_t mode, char *err, size_t errlen);
/* Listen on a TCP address, with SO_REUSEADDR. Returns the fd, or -errno with strerror in err. */
int sock_listen_tcp(const struct sockaddr *sa, socklen_t len, char *err, size_t errlen);
/* Accept a client: close-on-exec, TCP_NODELAY on TCP, its address in *ss if ss is given.
 * Returns the fd or -errno. */
int sock_accept(int listen_fd, struct sockaddr_storage *ss);
/* Send all of buf (MSG_NOSIGNAL: a gone peer is -EPIPE, not SIGPIPE). Returns 0 or -errno. */
int sock_send_all(int fd, const void *buf, size_t len);
