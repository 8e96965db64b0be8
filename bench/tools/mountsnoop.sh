# mountsnoop: mount(2) on a missing directory, failing with ENOENT: the
# whole system call path, nothing mounted.
desc="sysload mount: mount(2) of tmpfs on a missing directory (ENOENT)"
unit=mount
load="sysload mount"
count=300000
quick=100000
match=ct-mount
floor="tp:syscalls/sys_exit_mount tp:syscalls/sys_exit_umount
	tp:syscalls/sys_exit_fsopen tp:syscalls/sys_exit_fsconfig
	tp:syscalls/sys_exit_fsmount tp:syscalls/sys_exit_move_mount
	tp:syscalls/sys_exit_mount_setattr"
reject="--mntns 1"	# no namespace has inode 1: rejected at entry
formats="--json --csv"
peer=mountsnoop
