# Runtime tests of lib.sh's directory for the programs other users run
# ($ct_public, ct_public_dir): who may reach, list and change what is in
# it, and that it goes when a test file ends, also on a signal while it
# is filled. Each case runs a test file of its own (a child sourcing
# lib.sh) with CT_BIN out of others' reach, as a checkout under /root is.
. "$(dirname "$0")/lib.sh"
ct_require_root "lib.sh: public directories"

here=$(cd "$(dirname "$0")" && pwd)
# $CT_TMP is 0700: CT_BIN seen through it is out of user 65534's reach.
ln -s "$CT_BIN" "$CT_TMP/bin"

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

# wait_file FILE: until FILE exists (10 s at most); status 1 if never.
wait_file() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 200 ]; do
		ct_sleep 0.05
		i=$((i + 1))
	done
	[ -e "$1" ]
}

# child_start FILE: run test file FILE with CT_BIN=$CT_TMP/bin in the
# background ($child), its results nowhere.
child_start() {
	CT_BIN=$CT_TMP/bin CT_RESULTS=/dev/null sh "$1" \
		>"$CT_TMP/child.out" 2>&1 &
	child=$!
}

ct_case "lib.sh: a private CT_BIN is copied where user 65534 runs it, and only root changes it"
if ! as_nobody true 2>/dev/null; then
	ct_skip "no setpriv --reuid here"
else
	# The child names a helper, says where things are, and waits (60 s
	# at most: never left behind).
	cat >"$CT_TMP/child.sh" <<EOF
. "$here/lib.sh"
ct_named ct-trig "\$TRIGGER"
printf '%s\n' "\${ct_public:-}" "\$CT_PUBLIC_BIN" "\$named" >"$CT_TMP/vars.tmp"
mv "$CT_TMP/vars.tmp" "$CT_TMP/vars"
i=0
while [ \$i -lt 600 ]; do
	ct_sleep 0.1
	i=\$((i + 1))
done
EOF
	child_start "$CT_TMP/child.sh"
	pub= bin= named=
	if wait_file "$CT_TMP/vars"; then
		{ read -r pub; read -r bin; read -r named; } <"$CT_TMP/vars"
	else
		ct_fail "the child said nothing: $(head -3 "$CT_TMP/child.out")"
	fi
	[ "$bin" = "$pub/bin" ] || ct_fail "CT_PUBLIC_BIN is $bin, not $pub/bin"
	for d in "$pub" "$pub/bin" "$pub/bin/tests" "$pub/names"; do
		m=$(stat -c '%a %u %g' "$d")
		[ "$m" = "711 0 0" ] || ct_fail "$d: mode, owner $m, not 711 0 0"
	done
	w=$(find "$pub" ! -type l \( -perm -020 -o -perm -002 -o ! -user 0 \) |
		head -3)
	[ -z "$w" ] || ct_fail "others may change $w"
	cmp -s "$bin/tests/ct-trigger" "$CT_BIN/tests/ct-trigger" ||
		ct_fail "$bin/tests/ct-trigger is not CT_BIN's"
	as_nobody "$bin/tests/ct-trigger" noop ||
		ct_fail "user 65534 cannot run $bin/tests/ct-trigger"
	as_nobody "$named" noop || ct_fail "user 65534 cannot run $named"
	! as_nobody ls "$pub" >/dev/null 2>&1 ||
		ct_fail "user 65534 can list $pub"
	! as_nobody ls "$pub/bin/tests" >/dev/null 2>&1 ||
		ct_fail "user 65534 can list $pub/bin/tests"
	! as_nobody ln -s /bin/true "$pub/names/x" 2>/dev/null ||
		ct_fail "user 65534 can add a name"
	kill -TERM "$child"
	wait "$child"
	[ ! -e "$pub" ] || ct_fail "$pub is left after SIGTERM"
	case $pub in /tmp/ct-public.??????) rm -rf "$pub" ;; esac
	case $bin in /tmp/ct-bin.??????) rm -rf "$bin" ;; esac
fi
ct_done

# A SIGTERM while cp fills the directory (a cp first in PATH that says
# where it copies to, then waits a second): the file ends when cp does,
# and takes the directory with it.
ct_case "lib.sh: a file stopped by SIGTERM while it copies CT_BIN leaves nothing in /tmp"
mkdir "$CT_TMP/slow"
cat >"$CT_TMP/slow/cp" <<EOF
#!/bin/sh
[ "\$1" != probe ] || exec touch "$CT_TMP/probed"
echo "\$\$ \$3" >"$CT_TMP/cp.tmp"
mv "$CT_TMP/cp.tmp" "$CT_TMP/cp"
sleep 1
PATH='$PATH'
exec cp "\$@"
EOF
chmod 0755 "$CT_TMP/slow/cp"
PATH=$CT_TMP/slow:$PATH sh -c 'cp probe' 2>/dev/null
if [ ! -e "$CT_TMP/probed" ]; then
	ct_skip "this sh runs its own cp, not the first in PATH (busybox)"
else
	echo ". \"$here/lib.sh\"" >"$CT_TMP/child2.sh"
	PATH=$CT_TMP/slow:$PATH child_start "$CT_TMP/child2.sh"
	if wait_file "$CT_TMP/cp"; then
		read -r cp_pid dest <"$CT_TMP/cp"
		kill -TERM "$child"
		wait "$child"
		status=$?
		[ "$status" = 130 ] ||
			ct_fail "the file ended with $status, not 130"
		# The directory mktemp made, with or without a bin in it.
		dir=${dest%/bin}
		case $dir in
		/tmp/ct-*.??????)
			if [ -e "$dir" ]; then
				ct_fail "$dir is left"
				# Its cp, still in its second: ours, stopped.
				grep -qs "$CT_TMP/slow/cp" "/proc/$cp_pid/cmdline" &&
					kill "$cp_pid"
				rm -rf "$dir"
			fi ;;
		*) ct_fail "cp copied to $dest" ;;
		esac
	else
		ct_fail "the child never ran cp"
		kill -TERM "$child"
		wait "$child"
	fi
fi
ct_done
