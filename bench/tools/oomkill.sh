# oomkill: no workload (an OOM kill on a shared machine is no benchmark):
# start-up and memory only.
desc="none: start-up and memory only"
peer=oomkill
