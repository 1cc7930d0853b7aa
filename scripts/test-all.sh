#!/usr/bin/env bash
# The project's whole test run (`npm test`): typecheck, unit tests, bundles, the packaged .vsix,
# then the extension-host suite inside a real VS Code (offline host, provisioned on first use; see
# docs/e2e.md). Ends with a recap whose last line is `e2e: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

echo "== typecheck"
npm run --silent typecheck

echo "== unit tests"
npm run --silent test:unit 2>&1 | tee "$logs/unit.log"
# node:test's own summary lines: "ℹ pass N" / "ℹ fail N" / "ℹ skipped N".
count() { sed -n "s/^ℹ $1 \([0-9]*\)\$/\1/p" "$logs/unit.log" | tail -1; }
unit="unit: $(count pass) passed, $(count fail) failed, $(count skipped) skipped"
echo "$unit"

echo "== build + package"
# The production (minified) build, as `npm run package` makes it: the .vsix ships these bundles.
node scripts/build.mjs --production
npx --no-install vsce package --no-dependencies --out dist/civitai-workflows.vsix >/dev/null
ls -l dist/civitai-workflows.vsix

if [ "${SKIP_E2E:-}" = "1" ]; then
  echo "== e2e skipped (SKIP_E2E=1): the extension-host suite did NOT run"
  exit 0
fi
echo "== e2e (extension host in a real VS Code; provisions the offline host on first use)"
# The whole suite against the development folder, the @nofolder tests in a window with no folder,
# then the @packaged tests against the .vsix installed into a fresh extensions folder (a file
# missing from the package fails there).
set +e
npm run --silent test:e2e -- --no-build --vsix dist/civitai-workflows.vsix 2>&1 | tee "$logs/e2e.log"
e2e_status=${PIPESTATUS[0]}
set -e

echo "== summary"
echo "$unit"
version=$(sed -n 's/^\[e2e\] VS Code \([^;]*\);.*/\1/p' "$logs/e2e.log" | tail -1)
echo "e2e ran in VS Code ${version:-unknown}"
e2e=$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed$' "$logs/e2e.log" | tail -1)
echo "${e2e:-e2e: 0 passed, 1 failed}"
exit "$e2e_status"
