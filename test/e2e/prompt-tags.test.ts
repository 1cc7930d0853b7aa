// Danbooru tag completions and the exact CLIP token count in a real editor: typing in an
// Animagine (SDXL) prompt offers tags ranked by posts with their counts, an alias leads to the
// canonical tag, and the status bar shows the chunk's exact token count.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, completionLabels, log, ourExtension, screenshot, waitFor, workspaceUri } from './util';

const ANIMAGINE = 'urn:air:sdxl:checkpoint:civitai:1188071@1337429';
const written: vscode.Uri[] = [];

async function openPrompt(name: string, prompt: string): Promise<vscode.TextEditor> {
  const uri = workspaceUri(`tags-${name}.civitai.json`);
  const body = { steps: [{ $type: 'imageGen', input: { engine: 'sdcpp', ecosystem: 'sdxl', operation: 'createImage', model: ANIMAGINE, width: 832, height: 1216, prompt } }] };
  await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify(body, null, 2) + '\n', 'utf8'));
  written.push(uri);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
}

/** Puts the cursor at the end of `marker` and types `text` one character at a time, as a user would. */
async function typeAfter(editor: vscode.TextEditor, marker: string, text: string): Promise<vscode.Position> {
  const at = editor.document.getText().indexOf(marker);
  assert.ok(at >= 0, `${marker} not in the file`);
  const position = editor.document.positionAt(at + marker.length);
  editor.selection = new vscode.Selection(position, position);
  for (const ch of text) await vscode.commands.executeCommand('type', { text: ch });
  return editor.selection.active;
}

/** Items in the order the editor shows them for an empty filter: by sortText. */
async function completionsAt(document: vscode.TextDocument, position: vscode.Position, want: (labels: string[]) => boolean): Promise<vscode.CompletionItem[]> {
  const list = await waitFor('Danbooru completions', async () => {
    const found = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
    return want(completionLabels(found)) ? found : undefined;
  }, { timeoutMs: 30_000 });
  return [...list.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
}

const labelOf = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);

suite('Danbooru tags and CLIP tokens', function () {
  this.timeout(90_000);

  suiteSetup(async () => {
    await ourExtension().activate();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('hideSuggestWidget');
    await closeAllEditors();
    for (const uri of written) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  test('typing `blo` offers blonde hair first among hair tags, with its post count @packaged', async () => {
    const editor = await openPrompt('blo', '1girl, solo, ');
    const position = await typeAfter(editor, 'solo, ', 'blo');
    assert.equal(editor.document.getText(new vscode.Range(position.translate(0, -3), position)), 'blo');
    const items = await completionsAt(editor.document, position, (labels) => labels.includes('blonde hair'));
    const hair = items.filter((i) => labelOf(i).endsWith('hair'));
    assert.equal(labelOf(hair[0]), 'blonde hair', `hair tags in order: ${hair.slice(0, 5).map(labelOf).join(', ')}`);
    assert.equal(labelOf(items.find((i) => /posts$/.test(String(i.detail)))!), 'blonde hair', 'and first of all the Danbooru tags');
    const blonde = hair[0];
    assert.match(String(blonde.detail), /general · 1,537,942 posts/);
    const description = typeof blonde.label === 'string' ? undefined : blonde.label.description;
    assert.match(String(description), /1,537,942 posts/, 'the count is shown beside the label');
    assert.equal(blonde.insertText, 'blonde hair');
    const range = blonde.range instanceof vscode.Range ? blonde.range : blonde.range?.replacing;
    assert.equal(range && editor.document.getText(range), 'blo', 'the item replaces what was typed');

    // The suggest widget as a user sees it.
    await vscode.commands.executeCommand('editor.action.triggerSuggest');
    const file = await screenshot('prompt-tags-completion', { waitFor: '.suggest-widget.visible' });
    if (file) log(`tag completion screenshot: ${file}`);
    await vscode.commands.executeCommand('hideSuggestWidget');
  });

  test('typing `blond` offers the canonical tag, and an alias shows the canonical one it stands for', async () => {
    const editor = await openPrompt('blond', '1girl, ');
    const position = await typeAfter(editor, '1girl, ', 'blond');
    const items = await completionsAt(editor.document, position, (labels) => labels.includes('blonde hair'));
    assert.equal(labelOf(items.find((i) => labelOf(i).includes('hair'))!), 'blonde hair');
    // An alias that is not a prefix of the name: shown, and the canonical tag inserted.
    const position2 = await typeAfter(editor, '1girl, blond', ', yellow ha');
    const aliased = await completionsAt(editor.document, position2, (labels) => labels.some((l) => l.startsWith('yellow hair →')));
    const item = aliased.find((i) => labelOf(i) === 'yellow hair → blonde hair');
    assert.ok(item, `labels: ${aliased.slice(0, 8).map(labelOf).join(', ')}`);
    assert.equal(item.insertText, 'blonde hair');
  });

  test('a tag you pick is offered first the next time; character tags carry the person icon', async () => {
    const editor = await openPrompt('picked', '1girl, ');
    const position = await typeAfter(editor, '1girl, ', 'blo');
    const before = (await completionsAt(editor.document, position, (labels) => labels.includes('blonde hair'))).filter((i) => labelOf(i).endsWith('hair'));
    const pick = before[1];
    assert.ok(pick?.command, `the second hair tag names the command that remembers it: ${before.slice(0, 4).map(labelOf).join(', ')}`);
    assert.notEqual(labelOf(before[0]), labelOf(pick));
    // What VS Code runs each time the user accepts the item (a tag used often).
    for (let i = 0; i < 8; i++) await vscode.commands.executeCommand(pick.command.command, ...(pick.command.arguments ?? []));
    try {
      await waitFor(`${labelOf(pick)} first once picked 8 times`, async () => {
        const items = await completionsAt(editor.document, position, (labels) => labels.includes(labelOf(pick)));
        return labelOf(items.filter((i) => labelOf(i).endsWith('hair'))[0]) === labelOf(pick) ? true : undefined;
      });
    } finally {
      await vscode.commands.executeCommand('civitai.clearTagHistory');
    }
    const miku = await typeAfter(editor, '1girl, blo', ', hatsune mi');
    const characters = await completionsAt(editor.document, miku, (labels) => labels.includes('hatsune miku'));
    assert.equal(characters.find((i) => labelOf(i) === 'hatsune miku')?.kind, vscode.CompletionItemKind.User);
  });

  test('the status bar shows the exact CLIP token count of the chunk under the cursor', async () => {
    // 1 girl , solo , blonde hair , looking at viewer = 11 tokens in CLIP's vocabulary.
    const editor = await openPrompt('status', '1girl, solo, blonde hair, looking at viewer');
    const at = editor.document.positionAt(editor.document.getText().indexOf('blonde'));
    editor.selection = new vscode.Selection(at, at);
    // The item follows the cursor after a short delay: wait for this prompt's count.
    let last: { text: string; tooltip: string; visible: boolean } | undefined;
    const status = await waitFor('the token status item to show 11/75', async () => {
      last = await vscode.commands.executeCommand<{ text: string; tooltip: string; visible: boolean } | undefined>('civitai.internal.promptTokenStatus');
      return last?.visible && last.text === '$(symbol-text) 11/75 · chunk 1' ? last : undefined;
    }).catch((e: Error) => {
      throw new Error(`${e.message}; last shown: ${JSON.stringify(last)}`);
    });
    assert.match(status.tooltip, /11 CLIP tokens in 1 chunk/);
    // Typing updates it.
    await typeAfter(editor, 'looking at viewer', ', smile');
    await waitFor('the count after typing', async () => {
      const s = await vscode.commands.executeCommand<{ text: string } | undefined>('civitai.internal.promptTokenStatus');
      return s?.text === '$(symbol-text) 13/75 · chunk 1' ? true : undefined;
    });
    const file = await screenshot('prompt-tags-status-bar');
    if (file) log(`status bar screenshot: ${file}`);
  });
});
