/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From a system call's fd to what it names: its struct file in the task's
 * fd table, and the socket behind it. This turns syscall tracepoints into
 * a file- or socket-level source without kprobes.
 */
#ifndef CT_FILE_BPF_H
#define CT_FILE_BPF_H

#include <bpf/bpf_core_read.h>

#include "task.bpf.h"

#define CT_S_IFMT 00170000
#define CT_S_IFSOCK 0140000
#define CT_SOCKFS_MAGIC 0x534F434B

/*
 * The struct file behind fd in task's table, or NULL: a closed fd, or one
 * beyond the table (max_fds), which the fd array does not cover. task is
 * ct_current_task_as(typed)'s, or any task where ct_task_btf is off.
 */
static __always_inline struct file *ct_fd_file(struct task_struct *task,
					       int fd, bool typed)
{
	struct fdtable *fdt = CT_READ_AS(typed, task, files, fdt);
	struct file **fds;
	struct file *file = NULL;

	if (!fdt || fd < 0 || fd >= CT_READ_AS(typed, fdt, max_fds))
		return NULL;
	fds = CT_READ_AS(typed, fdt, fd);
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	return file;
}

/*
 * The socket of file, or NULL if it is not one. A socket's file is a sockfs
 * inode; its private_data is the struct socket, which points back to the
 * file. (An O_PATH fd on a Unix socket's name is S_IFSOCK too, but on the
 * name's file system, with no socket behind it.)
 */
static __always_inline struct socket *ct_file_socket(struct file *file)
{
	struct inode *inode;
	struct socket *sock;

	if (!file)
		return NULL;
	inode = BPF_CORE_READ(file, f_inode);
	if ((BPF_CORE_READ(inode, i_mode) & CT_S_IFMT) != CT_S_IFSOCK ||
	    BPF_CORE_READ(inode, i_sb, s_magic) != CT_SOCKFS_MAGIC)
		return NULL;
	sock = BPF_CORE_READ(file, private_data);
	if (!sock || BPF_CORE_READ(sock, file) != file)
		return NULL;
	return sock;
}

/* The struct sock behind fd in task's table, or NULL if not a socket. */
static __always_inline struct sock *ct_fd_sock(struct task_struct *task,
					       int fd)
{
	struct socket *sock = ct_file_socket(ct_fd_file(task, fd, true));

	return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

#endif
