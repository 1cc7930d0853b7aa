#!/usr/bin/env bash
# The project's whole test run (`npm test`): typecheck, unit tests, bundles, the packaged .vsix,
# then the extension-host suite inside a real VS Code (offline host).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== typecheck"
npm run --silent typecheck

echo "== unit tests"
npm run --silent test:unit

echo "== build + package"
node scripts/build.mjs
npx --no-install vsce package --no-dependencies --out dist/civitai-workflows.vsix >/dev/null
ls -l dist/civitai-workflows.vsix

if [ "${SKIP_E2E:-}" = "1" ]; then
  echo "== e2e skipped (SKIP_E2E=1): the extension-host suite did NOT run"
  exit 0
fi
echo "== e2e (extension host in a real VS Code)"
npm run --silent test:e2e
