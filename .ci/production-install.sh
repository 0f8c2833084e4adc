#!/usr/bin/env bash
# A production install must start: a fresh copy of the project (what git tracks, no node_modules, no dist),
# `npm ci --omit=dev` (no install script runs: .npmrc), then without any development dependency:
#   1. `npm start` with no settings compiles dist/ (first use) and stops with the readable config error,
#   2. the compiled CLI answers a question (`npm run ask`),
#   3. `npm start` connects to the local Discord stand-in and answers /ask (driven from this checkout).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
app="$work/app"
mkdir -p "$app"
git -C "$root" ls-files -z --cached --others --exclude-standard | (cd "$root" && xargs -0 tar -cf - --ignore-failed-read 2>/dev/null) | tar -xf - -C "$app"
cd "$app"

echo "production install: npm ci --omit=dev in $app"
npm ci --omit=dev --no-audit --no-fund --loglevel=error
for dev in tsx @biomejs/biome pino-pretty; do
  if [ -e "node_modules/$dev" ]; then echo "development dependency $dev was installed" >&2; exit 1; fi
done

echo "production install: npm start without settings"
set +e
out="$(env -u DISCORD_TOKEN npm start --silent 2>&1)"
code=$?
set -e
if [ "$code" -ne 1 ] || ! grep -q 'DISCORD_TOKEN: is required' <<<"$out"; then
  echo "expected a clean config error, got exit $code:" >&2
  echo "$out" >&2
  exit 1
fi
test -f dist/src/index.js || { echo "dist/ was not built by the first npm start" >&2; exit 1; }

echo "production install: LOG_PRETTY=1 without pino-pretty is a config error, not a crash"
set +e
out="$(env -u DISCORD_TOKEN LOG_PRETTY=1 DISCORD_TOKEN=abc.def.ghi npm start --silent 2>&1)"
code=$?
set -e
if [ "$code" -ne 1 ] || ! grep -q '^  LOG_PRETTY: pino-pretty is not installed' <<<"$out" || grep -q '    at ' <<<"$out"; then
  echo "expected a one-line LOG_PRETTY config error, got exit $code:" >&2
  echo "$out" >&2
  exit 1
fi

echo "production install: npm run ask"
answer="$(EMBEDDING_MODEL=test/models/use-static-128 INDEX_DIR="$work/index" npm run ask --silent -- --json "How many heart patients were treated for free?")"
grep -q '8,300 patients with congenital heart disease' <<<"$answer" || { echo "unexpected answer: $answer" >&2; exit 1; }

echo "production install: npm start against the Discord stand-in"
cd "$root"
node --import tsx test/helpers/production-start.ts "$app" "$work"
echo "production install: ok"
