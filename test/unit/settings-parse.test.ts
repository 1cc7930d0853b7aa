import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseSettings, insecureBaseUrlWarning, isLoopbackHost, tokenHostNeedsConsent, DEFAULT_BASE_URL } from '../../src/extension/common/settingsSchema';

test('no values gives the declared defaults', () => {
  const { settings, problems } = parseSettings({});
  assert.deepEqual(settings, { baseUrl: DEFAULT_BASE_URL, wait: 30, confirmAboveBuzz: 50, resultsFolder: '.civitai/results', hideMatureContent: false, tagWikiLinks: false });
  assert.deepEqual(problems, []);
});

test('valid values are taken; a trailing slash on the base URL is dropped', () => {
  const { settings, problems } = parseSettings({ baseUrl: 'http://127.0.0.1:8080/', wait: 0, confirmAboveBuzz: 0, resultsFolder: 'out/images', hideMatureContent: true });
  assert.deepEqual(problems, []);
  assert.equal(settings.baseUrl, 'http://127.0.0.1:8080');
  assert.equal(settings.wait, 0);
  assert.equal(settings.confirmAboveBuzz, 0);
  assert.equal(settings.hideMatureContent, true);
});

test('a wrong value falls back to its default and says so, without touching the others', () => {
  const { settings, problems } = parseSettings({ wait: 500, confirmAboveBuzz: 'lots', resultsFolder: '   ', hideMatureContent: true });
  assert.equal(settings.wait, 30);
  assert.equal(settings.confirmAboveBuzz, 50);
  assert.equal(settings.resultsFolder, '.civitai/results');
  assert.equal(settings.hideMatureContent, true);
  assert.equal(problems.length, 3);
  assert.match(problems[0], /^civitai\.wait: .*using 30$/);
});

test('a base URL that is not http(s) is refused', () => {
  for (const baseUrl of ['not a url', 'ftp://example.com', 'file:///etc/passwd']) {
    const { settings, problems } = parseSettings({ baseUrl });
    assert.equal(settings.baseUrl, DEFAULT_BASE_URL, baseUrl);
    assert.equal(problems.length, 1, baseUrl);
  }
});

test('plain http is flagged unless the host is loopback', () => {
  assert.match(insecureBaseUrlWarning('http://orchestrator.example.com') ?? '', /unencrypted/);
  assert.equal(insecureBaseUrlWarning('https://orchestrator.example.com'), undefined);
  for (const local of ['http://localhost:3000', 'http://127.0.0.1:9', 'http://[::1]:80', 'http://api.localhost']) {
    assert.equal(insecureBaseUrlWarning(local), undefined, local);
  }
  assert.equal(isLoopbackHost('127.1.2.3'), true);
  assert.equal(isLoopbackHost('128.0.0.1'), false);
  assert.equal(isLoopbackHost('localhost.evil.com'), false);
});

test('the base URL is normalised (case, dot segments), and one with credentials is refused without repeating them', () => {
  assert.equal(parseSettings({ baseUrl: 'HTTPS://Orchestration.Civitai.COM/./' }).settings.baseUrl, DEFAULT_BASE_URL);
  assert.equal(parseSettings({ baseUrl: 'http://127.0.0.1:9/a/../' }).settings.baseUrl, 'http://127.0.0.1:9');
  const creds = parseSettings({ baseUrl: 'https://me:hunter2@orchestration.civitai.com' });
  assert.equal(creds.settings.baseUrl, DEFAULT_BASE_URL);
  assert.equal(creds.problems.length, 1);
  assert.match(creds.problems[0], /user name or password/);
  assert.doesNotMatch(creds.problems[0], /hunter2|me:/);
});

test('the token goes to Civitai and loopback without asking; any other host needs the user to have said yes to it', () => {
  assert.equal(tokenHostNeedsConsent(DEFAULT_BASE_URL, []), false);
  assert.equal(tokenHostNeedsConsent('https://staging.civitai.com', []), false);
  assert.equal(tokenHostNeedsConsent('http://127.0.0.1:8080', []), false);
  assert.equal(tokenHostNeedsConsent('https://civitai.com.evil.test', []), true);
  assert.equal(tokenHostNeedsConsent('http://orchestration.civitai.com', []), true, 'plain http is not Civitai');
  assert.equal(tokenHostNeedsConsent('https://mirror.test/api', ['https://mirror.test']), false);
  assert.equal(tokenHostNeedsConsent('https://mirror.test:8443', ['https://mirror.test']), true, 'per origin, port included');
});

test('package.json: civitai.baseUrl cannot be set by a folder, and Restricted Mode is declared', () => {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
  const base = pkg.contributes.configuration.properties?.['civitai.baseUrl'] ?? pkg.contributes.configuration.find?.((c: { properties: Record<string, unknown> }) => c.properties['civitai.baseUrl'])?.properties['civitai.baseUrl'];
  assert.ok(['application', 'machine'].includes(base.scope), base.scope);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.match(pkg.capabilities.untrustedWorkspaces.description, /not submitted/);
});
