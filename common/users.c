// SPDX-License-Identifier: GPL-2.0
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "users.h"

/* Find an /etc/passwd entry by name (if name) or by uid. */
static bool passwd_file_lookup(const char *name, uid_t *uid, char **found)
{
	FILE *f = fopen("/etc/passwd", "re");
	struct passwd *pw;
	bool hit = false;

	if (!f)
		return false;
	while (!hit && (pw = fgetpwent(f))) {
		hit = name ? !strcmp(pw->pw_name, name) : pw->pw_uid == *uid;
		if (hit && name)
			*uid = pw->pw_uid;
		if (hit && found)
			*found = strdup(pw->pw_name);
	}
	fclose(f);
	return hit;
}

#ifdef CT_STATIC
/* NSS modules cannot be loaded by a static binary. */
static bool nss_lookup(const char *name, uid_t *uid, char **found)
{
	(void)name;
	(void)uid;
	(void)found;
	return false;
}
#else
static bool nss_lookup(const char *name, uid_t *uid, char **found)
{
	struct passwd *pw = name ? getpwnam(name) : getpwuid(*uid);

	if (!pw)
		return false;
	*uid = pw->pw_uid;
	if (found)
		*found = strdup(pw->pw_name);
	return true;
}
#endif

bool ct_uid_of(const char *name, uid_t *uid)
{
	return passwd_file_lookup(name, uid, NULL) ||
	       nss_lookup(name, uid, NULL);
}

struct user_cache {
	uid_t uid;
	char *name;	/* NULL: no such user */
};

const char *ct_user_name(uid_t uid)
{
	static struct user_cache cache[64];
	static unsigned int used;
	char *name = NULL;
	unsigned int i;

	for (i = 0; i < used; i++)
		if (cache[i].uid == uid)
			return cache[i].name;
	if (!passwd_file_lookup(NULL, &uid, &name))
		nss_lookup(NULL, &uid, &name);
	if (used == sizeof(cache) / sizeof(cache[0])) {
		free(cache[0].name);
		memmove(cache, cache + 1, sizeof(cache) - sizeof(cache[0]));
		used--;
	}
	cache[used].uid = uid;
	cache[used].name = name;
	return cache[used++].name;
}
