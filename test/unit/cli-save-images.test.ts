// saveWorkflowImages: the one download-and-write of result images that `submit`/`follow --out`
// and `sweep --out` share. The names are the callers'; the guards (http(s) only, names that stay
// inside the folder) and the places (index in the workflow, index in the step) are the function's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OrchestratorClient, Workflow } from '../../src/core/api';
import type { CliIO } from '../../src/cli/command';
import { saveWorkflowImages } from '../../src/cli/session';

/** A client whose downloads answer the blob id as bytes, and remember what was asked. */
function downloadingClient() {
  const asked: string[] = [];
  const client = {
    downloadImage: async (blob: { id: string; url?: string | null }) => {
      asked.push(blob.id);
      return new Uint8Array(Buffer.from(`bytes of ${blob.id}`));
    },
  } as unknown as OrchestratorClient;
  return { client, asked };
}

function sink(dir: string): CliIO & { out: string; err: string } {
  const s = { out: '', err: '', cwd: dir, isTTY: false, stdout: (t: string) => void (s.out += t), stderr: (t: string) => void (s.err += t) };
  return s;
}

const image = (id: string, url: string | null) => ({ id, url, available: true });

const WORKFLOW = {
  id: 'wf_1',
  status: 'succeeded',
  steps: [
    { $type: 'imageGen', name: 'a', status: 'succeeded', output: { images: [image('a0', 'https://cdn.test/a0'), image('a1', 'https://cdn.test/a1')] } },
    { $type: 'imageGen', name: 'b', status: 'succeeded', output: { images: [image('b0', 'file:///etc/passwd'), image('b1', null), image('b2', 'http://cdn.test/b2')] } },
  ],
} as unknown as Workflow;

test('every image is written under the caller\'s name, with its place in the workflow and in its step', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'save-images-'));
  try {
    const { client, asked } = downloadingClient();
    const io = sink(dir);
    const announced: string[] = [];
    const saved = await saveWorkflowImages(client, WORKFLOW, dir, io, {
      fileName: (img, { index, indexInStep }) => `${img.stepName}-${index}-${indexInStep}.bin`,
      onSaved: (s) => announced.push(s.name),
    });
    // b0 is not http(s): skipped with a warning, never downloaded; b1 has no URL: the client
    // refreshes it (its own job), so it is asked for.
    assert.deepEqual(asked, ['a0', 'a1', 'b1', 'b2']);
    assert.deepEqual(saved.map((s) => s.name), ['a-0-0.bin', 'a-1-1.bin', 'b-3-1.bin', 'b-4-2.bin']);
    assert.deepEqual(announced, saved.map((s) => s.name));
    assert.deepEqual(readdirSync(dir).sort(), ['a-0-0.bin', 'a-1-1.bin', 'b-3-1.bin', 'b-4-2.bin']);
    assert.equal(readFileSync(path.join(dir, 'b-4-2.bin'), 'utf8'), 'bytes of b2');
    assert.equal(saved[0].file, path.join(dir, 'a-0-0.bin'));
    assert.match(io.err, /image b\/b0 skipped: its URL is not http\(s\)/);
    assert.ok(!io.err.includes('passwd'), 'the refused URL is not echoed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('select and prepare: only the chosen images, with the bytes the caller makes of them (places still count the others)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'save-images-'));
  try {
    const { client, asked } = downloadingClient();
    const saved = await saveWorkflowImages(client, WORKFLOW, dir, sink(dir), {
      select: (img) => img.stepName === 'b' && Boolean(img.blob.url),
      prepare: (img, bytes) => new Uint8Array(Buffer.concat([Buffer.from(bytes), Buffer.from(` +params(${img.stepName})`)])),
      fileName: (_img, { indexInStep }, bytes) => `b-${indexInStep}-${bytes.length}.png`,
    });
    assert.deepEqual(asked, ['b2'], 'b0 is refused, b1 (no URL) is not selected');
    assert.deepEqual(saved.map((s) => [s.name, s.index, s.indexInStep]), [['b-2-22.png', 4, 2]]);
    assert.equal(readFileSync(path.join(dir, 'b-2-22.png'), 'utf8'), 'bytes of b2 +params(b)');
    assert.equal(Buffer.from(saved[0].bytes).toString('utf8'), 'bytes of b2 +params(b)', 'the bytes returned are those written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a name that would land outside the folder is refused before anything is written there', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'save-images-'));
  try {
    const { client } = downloadingClient();
    await assert.rejects(
      saveWorkflowImages(client, WORKFLOW, path.join(dir, 'out'), sink(dir), { fileName: () => '../escaped.png' }),
      /outside/,
    );
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
