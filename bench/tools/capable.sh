# capable: setuid(0) as root, which checks CAP_SETUID each time
# (capability:cap_capable, Linux 6.14+; libbpf-tools needs a kprobe).
desc="sysload setuid: setuid(0), a CAP_SETUID check"
unit=check
load="sysload setuid"
count=1000000
quick=300000
match=ct-setuid
floor="raw:cap_capable"
reject="-n NOMATCH"
formats="--json --csv"
peer=capable
