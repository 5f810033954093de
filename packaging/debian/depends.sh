#!/usr/bin/env bash
# The Debian packages owning the shared libraries BINARY needs directly (its ELF NEEDED entries,
# found where ldd finds them; their own dependencies are their packages' business), as a
# comma-separated Depends list. Each path is asked of dpkg as ldd names it, then resolved, then
# under /usr: on a merged-/usr system dpkg knows some libraries by one and some by another.
set -euo pipefail
binary=$1
objdump -p "$binary" | awk '/NEEDED/ {print $2}' | while read -r soname; do
  path=$(ldd "$binary" | awk -v name="$soname" '$1 == name && $3 ~ /^\// {print $3}')
  [ -n "$path" ] || case $soname in ld-linux*) continue ;; *) echo "$soname: not found" >&2; exit 1 ;; esac
  for candidate in "$path" "$(realpath "$path")" "/usr$path"; do
    if owner=$(dpkg -S "$candidate" 2>/dev/null); then echo "${owner%%:*}"; break; fi
  done
done | sort -u | paste -sd, - | sed 's/,/, /g'
