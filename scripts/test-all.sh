#!/usr/bin/env bash
# The project's whole test run (`npm test`): typecheck, unit tests, bundles, the packaged .vsix,
# then the extension-host suite inside a real VS Code (offline host, provisioned on first use; see
# docs/e2e.md). The last line is `e2e: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

echo "== typecheck"
npm run --silent typecheck

echo "== unit tests"
unit_log="$(mktemp)"
trap 'rm -f "$unit_log"' EXIT
npm run --silent test:unit 2>&1 | tee "$unit_log"
# node:test's own summary lines: "ℹ pass N" / "ℹ fail N".
unit_pass=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$unit_log" | tail -1)
unit_fail=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$unit_log" | tail -1)
echo "unit: ${unit_pass:-?} passed, ${unit_fail:-?} failed"

echo "== build + package"
node scripts/build.mjs
npx --no-install vsce package --no-dependencies --out dist/civitai-workflows.vsix >/dev/null
ls -l dist/civitai-workflows.vsix

if [ "${SKIP_E2E:-}" = "1" ]; then
  echo "== e2e skipped (SKIP_E2E=1): the extension-host suite did NOT run"
  exit 0
fi
echo "== e2e (extension host in a real VS Code; provisions the offline host on first use)"
bash scripts/e2e/provision.sh
echo "(tests ran so far: unit ${unit_pass:-?}; $((SECONDS - started)) s)"
# The whole suite against the development folder, then the @packaged tests against the .vsix
# installed into a fresh extensions folder (a file missing from the package fails here).
npm run --silent test:e2e -- --no-build --vsix dist/civitai-workflows.vsix
