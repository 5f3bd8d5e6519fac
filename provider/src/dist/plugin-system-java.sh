#!/bin/sh
# dstream-ingester-mssql, packaged for platforms without a bundled Java runtime (linux_arm64, darwin_amd64,
# darwin_arm64): runs the provider jar beside this file (lib/dstream-ingester-mssql.jar) on the machine's Java,
# 17 or newer: $JAVA_HOME/bin/java if JAVA_HOME is set, else the first java on the PATH. DStream pulls the
# artifact with `oras pull`, renames this file to `plugin` and runs it with no arguments; the config comes on
# stdin, JSON lines go to stdout, logs to stderr. It works from any working directory and under any name.
#
# PROVIDER_JAVA_OPTS adds JVM options (e.g. -Xmx512m). Exit codes are the provider's (0 clean stop, 1 runtime
# failure, 2 configuration or startup error); 2 also, with {"status":"error",...} on stdout and the reason on
# stderr, when no Java is found or it is older than 17.
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
jar=$here/lib/dstream-ingester-mssql.jar
[ -f "$jar" ] || fail "the provider jar $jar is missing: pull the whole artifact (oras pull unpacks its lib/ folder)"

if [ -n "${JAVA_HOME:-}" ]; then
  java=$JAVA_HOME/bin/java
  [ -x "$java" ] || fail "JAVA_HOME is $JAVA_HOME but $java is not an executable: set JAVA_HOME to a Java 17+ installation"
else
  java=$(command -v java) || fail "no Java found: install Java 17 or newer and put it on the PATH, or set JAVA_HOME"
fi

# `java -version` prints e.g. openjdk version "17.0.2" (or "1.8.0_392" before Java 9) on stderr
version=$("$java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
major=${version%%[.+-]*}
case $major in
  ''|*[!0-9]*) fail "cannot tell the version of $java (it printed no version \"...\" line): the provider needs Java 17 or newer" ;;
esac
[ "$major" -ge 17 ] || fail "$java is Java $version: the provider needs Java 17 or newer (set JAVA_HOME to one)"

# -Xlog:disable then warnings to stderr, and VM output to stderr: stdout carries JSON lines only
# shellcheck disable=SC2086 # PROVIDER_JAVA_OPTS is a list of options
exec "$java" -Xlog:disable -Xlog:all=warning:stderr -XX:+DisplayVMOutputToStderr \
  ${PROVIDER_JAVA_OPTS:-} -jar "$jar" "$@"
