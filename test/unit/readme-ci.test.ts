// The README's set-up commands are what CI runs, and what a newcomer runs: these tests fail when the
// README's first fenced block and .ci/run drift apart, when provisioning would leak the outer npm's
// environment into the Node 24 install again, or when docs quote test counts that no run produced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Commands of the README's first fenced block, which must come before the first section heading. */
function readmeSetUpCommands(): string[] {
  const readme = read('README.md');
  const firstSection = readme.indexOf('\n## ');
  const block = /```(?:sh|bash|shell)\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README.md has no fenced shell block');
  assert.ok(firstSection < 0 || block.index < firstSection, 'the set-up block is not on the README\'s first screen');
  return block[1].split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
}

/** What .ci/run executes, without its shebang, comments and the strict-mode/cd preamble. */
function ciCommands(): string[] {
  return read('.ci/run').split('\n').map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('set ') && !line.startsWith('cd '));
}

test('the README shows exactly two set-up commands: the main job, then the tests', () => {
  const commands = readmeSetUpCommands();
  assert.equal(commands.length, 2, commands.join('\n'));
  assert.match(commands[0], /^npm ci && npm run demo$/);
  assert.match(commands[1], /^npm ci && npm test$/);
});

test('.ci/run runs the README\'s set-up commands verbatim, in order, and nothing else', () => {
  assert.deepEqual(ciCommands(), readmeSetUpCommands());
});

test('provisioning starts its installs without the outer npm\'s variables', () => {
  const script = path.join(ROOT, 'scripts/e2e/clean-npm-env.sh');
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    npm_config_user_agent: 'npm/11.0.0 node/v20.20.2 linux x64',
    npm_node_execpath: '/usr/bin/node',
    NPM_CONFIG_NODEDIR: '/usr',
    INIT_CWD: '/somewhere',
    NODE: '/usr/bin/node',
    KEEP_ME: 'yes',
  };
  const out = execFileSync('bash', ['-c', `source "${script}"; env`], { env, encoding: 'utf8' });
  const names = out.split('\n').map((line) => line.split('=')[0]);
  assert.deepEqual(names.filter((n) => /^(npm_|NPM_|INIT_CWD$|NODE$)/.test(n)), []);
  assert.ok(names.includes('KEEP_ME'), 'unrelated variables are kept');
  assert.ok(read('scripts/e2e/provision.sh').includes('source "$(dirname "$0")/clean-npm-env.sh"'));
});

test('docs quote no test counts (a run prints them; quoted ones go stale)', () => {
  const docs = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const stale = docs.flatMap((file) => read(file).split('\n')
    .filter((line) => /\b\d+ passed\b/.test(line)).map((line) => `${file}: ${line.trim()}`));
  assert.deepEqual(stale, []);
});
