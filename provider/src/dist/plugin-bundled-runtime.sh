#!/bin/sh
# dstream-ingester-mssql, packaged for linux_amd64: runs the provider on the Java runtime shipped beside this
# file (lib/jre-linux_amd64, a jlink'd Java 17 with only the modules the provider needs), so the machine needs
# no Java. DStream pulls the artifact with `oras pull`, renames this file to `plugin` and runs it with no
# arguments; the config comes on stdin, JSON lines go to stdout, logs to stderr.
#
# It works from any working directory and under any name: it finds its own folder, then changes into it,
# because Java 17 only uses the class-data-sharing archive (lib/jre-linux_amd64/provider.jsa, built at package
# time) when the jar is named by the same relative path as when the archive was built. The provider reads
# nothing relative to the working directory; give file paths in connection-string options as absolute paths.
#
# PROVIDER_JAVA_OPTS adds JVM options (e.g. -Xmx512m). Exit codes are the provider's (0 clean stop, 1 runtime
# failure, 2 configuration or startup error); 2 also when the bundled runtime is missing or cannot run here.
set -u
unset CDPATH # a relative cd would print the folder on stdout, ahead of the handshake

fail() {
  # the DStream handshake: the first stdout line says what is wrong, then a non-zero exit
  echo "[MSSQL-CDC] ERROR plugin - $1" >&2
  printf '{"status":"error","message":"%s"}\n' "$(printf '%s' "$1" | tr -d '"\\')"
  exit 2
}

# this file's folder, following symlinks to it (readlink without -f: macOS and busybox have that form)
self=$0
while [ -h "$self" ]; do
  link=$(readlink "$self")
  case $link in
    /*) self=$link ;;
    *) self=$(dirname "$self")/$link ;;
  esac
done
here=$(cd -P "$(dirname "$self")" && pwd) || fail "cannot find the folder of $0"
cd "$here" || fail "cannot enter $here"

java=lib/jre-linux_amd64/bin/java
[ -x "$java" ] || fail "the bundled Java runtime $here/$java is missing or not executable: pull the whole artifact (oras pull unpacks its lib/ folder)"

# -Xlog:disable then warnings to stderr, and VM output to stderr: stdout carries JSON lines only.
# ArchiveRelocationMode=0 maps the archive at the address it was built for (this JDK's default, 1, always maps it
# elsewhere and then patches every pointer in it: about 80 ms of each start for this 44 MB archive); where that
# address is taken, Java relocates it as before.
# shellcheck disable=SC2086 # PROVIDER_JAVA_OPTS is a list of options
exec "$java" -XX:SharedArchiveFile=lib/jre-linux_amd64/provider.jsa -Xshare:auto \
  -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 \
  -Xlog:disable -Xlog:all=warning:stderr -XX:+DisplayVMOutputToStderr \
  ${PROVIDER_JAVA_OPTS:-} -jar lib/dstream-ingester-mssql.jar "$@"
