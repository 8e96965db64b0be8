/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User names <-> uids. /etc/passwd is read directly, so that static builds
 * work without glibc's NSS modules; dynamic builds then also ask NSS (LDAP,
 * systemd-userdb...) for names /etc/passwd lacks.
 */
#ifndef CT_USERS_H
#define CT_USERS_H

#include <stdbool.h>
#include <sys/types.h>

/* The uid of user name; false if there is no such user. */
bool ct_uid_of(const char *name, uid_t *uid);

/* The user name of uid, or NULL; looked up once per uid. */
const char *ct_user_name(uid_t uid);

#endif
