#!/usr/bin/env bash
# Runs the end-to-end suites in a private session: Xvfb on a free display, a new D-Bus session
# with an unlocked gnome-keyring and the fake notification server, then `node --test`.
# Builds nothing: it needs target/debug/loket, target/debug/loket-desktop and ui/dist
# (scripts/test builds them first).
#
#   tests/e2e/run-e2e.sh                      both suites
#   tests/e2e/run-e2e.sh tests/e2e/browser.test.mjs    one of them
#   LOKET_E2E_VERBOSE=1 tests/e2e/run-e2e.sh  also stream the children's logs
#
# Screenshots land in target/screenshots/{browser,desktop}/, notifications in
# target/e2e/notifications.jsonl.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
target="${CARGO_TARGET_DIR:-$root/target}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

missing=()
[ -x "$target/debug/loket" ] || missing+=("$target/debug/loket (cargo build -p loket-cli)")
[ -x "$target/debug/loket-desktop" ] || missing+=("$target/debug/loket-desktop (cargo build --bin loket-desktop)")
[ -f ui/dist/index.html ] || missing+=("ui/dist (cd ui && npm run build)")
[ -d tests/e2e/node_modules/playwright-core ] || missing+=("tests/e2e/node_modules (scripts/setup)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "run-e2e: cannot run, missing:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi

mkdir -p "$target/screenshots/browser" "$target/screenshots/desktop" "$target/e2e"
export WEBKIT_DISABLE_DMABUF_RENDERER="${WEBKIT_DISABLE_DMABUF_RENDERER:-1}"
if [ $# -eq 0 ]; then
  set -- tests/e2e/browser.test.mjs tests/e2e/desktop.test.mjs
fi
# One suite at a time: two cores, and each drives a heavy browser or window.
exec scripts/with-session --xvfb --private-data --notify-log "$target/e2e/notifications.jsonl" -- \
  node --test --test-concurrency=1 --test-reporter=spec "$@"
