import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSettings, insecureBaseUrlWarning, isLoopbackHost, DEFAULT_BASE_URL } from '../../src/extension/settingsSchema';

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
