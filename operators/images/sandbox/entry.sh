#!/bin/sh
# The sandbox container's entry point. A container starts before it knows which sandbox it is
# (warm pool containers are started ahead of any claim), so it waits, cheaply, until the operator
# hands it its identity: the operator writes /run/discoparrot/access-url first and
# /run/discoparrot/sidecar.env last (with the engine's putArchive). The env file's last line is
# DISCOPARROT_ENV_COMPLETE=1: a file caught half-extracted is read again 50 ms later. The
# sidecar then re-reads the access URL file at every connect (and retries while it is missing).
ENV_FILE=/run/discoparrot/sidecar.env

# As PID 1 the shell ignores SIGTERM unless it traps it: a warm container stops at once.
trap 'exit 0' TERM INT

while :; do
  if [ -f "$ENV_FILE" ]; then
    set -a
    . "$ENV_FILE"
    set +a
    [ "${DISCOPARROT_ENV_COMPLETE:-}" = 1 ] && break
  fi
  sleep 0.05
done
unset DISCOPARROT_ENV_COMPLETE

exec /usr/bin/node /opt/discoparrot/sidecar.cjs
