// What the installed extension needs at run time is in its folder: the files its manifest points
// at, the bundles the build made, and the codicon font its panels load. Meaningful in the packaged
// phase (the .vsix installed by the server CLI); in the development phase it checks the manifest.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eEnv, ourExtension } from './util';

interface Manifest {
  main?: string;
  contributes?: {
    jsonValidation?: { url: string }[];
    viewsContainers?: Record<string, { icon?: string }[]>;
    views?: Record<string, { icon?: string }[]>;
    walkthroughs?: { steps: { media: { markdown?: string; image?: string | Record<string, string>; svg?: string } }[] }[];
  };
}

suite('package contents', () => {
  test('files the manifest points at are in the extension folder @packaged', () => {
    const extension = ourExtension();
    const root = extension.extensionUri.fsPath;
    const manifest = extension.packageJSON as Manifest;
    const c = manifest.contributes ?? {};
    const referenced = [
      manifest.main && (manifest.main.endsWith('.js') ? manifest.main : `${manifest.main}.js`),
      ...(c.jsonValidation ?? []).map((v) => v.url).filter((u) => !/^[a-z]+:/i.test(u)),
      ...Object.values(c.viewsContainers ?? {}).flat().map((v) => v.icon),
      ...Object.values(c.views ?? {}).flat().map((v) => v.icon),
      ...(c.walkthroughs ?? []).flatMap((w) => w.steps.flatMap((s) => [
        s.media.markdown, s.media.svg, ...(typeof s.media.image === 'string' ? [s.media.image] : Object.values(s.media.image ?? {})),
      ])),
    ].filter((f): f is string => typeof f === 'string' && !f.startsWith('$('));
    assert.ok(referenced.length > 0);
    const missing = referenced.filter((f) => !fs.existsSync(path.join(root, f)));
    assert.deepEqual(missing, [], `referenced by package.json but missing from ${root}`);
  });

  test('the bundles the build made are all in the package @packaged', function () {
    if (!e2eEnv.projectRoot) this.skip(); // only the drivers say where the built project is
    const built = path.join(e2eEnv.projectRoot, 'dist');
    const installed = path.join(ourExtension().extensionUri.fsPath, 'dist');
    const bundles = listFiles(built).filter((f) => /\.(js|css|ttf)$/.test(f));
    assert.ok(bundles.includes('extension.js'), `${built} holds a build`);
    const missing = bundles.filter((f) => !fs.existsSync(path.join(installed, f)));
    assert.deepEqual(missing, [], `built into ${built} but missing from ${installed}`);
  });

  test('the codicon font the panels use is in the package @packaged', () => {
    const root = ourExtension().extensionUri.fsPath;
    // The same two places src/extension/results/resultsPanel.ts looks (a copy made by the build first).
    const folders = ['dist/webview/codicons', 'node_modules/@vscode/codicons/dist'];
    const found = folders.find((f) => fs.existsSync(path.join(root, f, 'codicon.css')));
    assert.ok(found, `codicon.css in none of ${folders.join(', ')} under ${root}`);
    assert.ok(fs.existsSync(path.join(root, found, 'codicon.ttf')), `codicon.ttf next to ${found}/codicon.css`);
  });
});

function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => entry.isDirectory()
    ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
    : [`${prefix}${entry.name}`]);
}
