#!/usr/bin/env bash
# Installs what the tests need on a Debian machine with Node 20 and npm (Chromium; bubblewrap for
# managed sandboxes; podman and runc
# for the Docker-host tests, with the sandbox image built from this machine's files), then runs every test:
# typecheck, the layering rules, unit + integration (vitest, against the embedded store), the production build, and
# the Playwright end-to-end suite against the built standalone server in Debian's Chromium.
# Ends with one summary line: "N passed, N failed".
set -uo pipefail
export NEXT_TELEMETRY_DISABLED=1
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

say "Debian packages"
# Chromium for Playwright; bubblewrap (and util-linux's prlimit) for managed sandboxes' boundary;
# curl for the README's event-stream example, which a test runs as written.
if ! command -v chromium >/dev/null 2>&1 || ! command -v bwrap >/dev/null 2>&1 || ! command -v prlimit >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation bubblewrap util-linux curl >/dev/null
fi
chromium --version || { echo "chromium did not install"; exit 1; }
bwrap --version || { echo "bubblewrap did not install"; exit 1; }
# The Kubernetes-host tests run the real kubectl against the test API server; the machine provides it.
/usr/bin/kubectl version --client >/dev/null || { echo "kubectl is missing at /usr/bin/kubectl (the Kubernetes-host tests run it)"; exit 1; }

say "npm packages"
npm ci --no-audit --no-fund || exit 1

say "container engine (podman, runc) and the local sandbox image"
bash scripts/test-engine.sh || exit 1

rm -rf .test-results && mkdir -p .test-results
failed_stage=""

say "typecheck"
npx tsc --noEmit -p . || failed_stage="typecheck"

say "layering rules"
npm run --silent check:layers || failed_stage="${failed_stage:+$failed_stage, }layers"

say "unit and integration tests"
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json || failed_stage="${failed_stage:+$failed_stage, }vitest"

say "production build"
if npm run build; then
  say "end-to-end tests (Playwright, Chromium)"
  PLAYWRIGHT_JSON_OUTPUT_NAME=.test-results/playwright.json npx playwright test --reporter=list,json || failed_stage="${failed_stage:+$failed_stage, }playwright"
else
  failed_stage="${failed_stage:+$failed_stage, }build"
fi

node scripts/test-summary.mjs .test-results/vitest.json .test-results/playwright.json
if [ -n "$failed_stage" ]; then
  echo "failed: $failed_stage"
  exit 1
fi
