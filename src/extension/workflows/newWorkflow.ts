// Civitai: New Workflow… — pick ecosystem × operation × engine, get a file that lints clean.
import * as vscode from 'vscode';
import { OPERATION_LABELS, renderWorkflowTemplate, templateChoices, findTemplateChoice, type TemplateChoice } from '../../core/templates';
import type { CivitaiContext } from '../context';

export interface NewWorkflowOptions {
  /** A template id (`sdxl-sdcpp-createImage`); skips the picker. */
  templateId?: string;
  /** File name inside `folder`; skips the name prompt. */
  fileName?: string;
  folder?: vscode.Uri;
}

export function newWorkflow(ctx: CivitaiContext) {
  return async (options: NewWorkflowOptions = {}): Promise<vscode.Uri | undefined> => {
    const opts = options && typeof options === 'object' && !(options instanceof vscode.Uri) ? options : {};
    const choice = opts.templateId ? findTemplateChoice(opts.templateId) : await pickTemplate();
    if (!choice) return undefined;
    const text = renderWorkflowTemplate(choice);
    const folder = opts.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    let target: vscode.Uri | undefined;
    if (folder) {
      const suggested = await freeName(folder, `${choice.ecosystem}-${OPERATION_LABELS[choice.operation]}`);
      const name = opts.fileName ?? (await vscode.window.showInputBox({
        title: 'New workflow file',
        value: suggested,
        valueSelection: [0, suggested.length - '.civitai.json'.length],
        validateInput: (v) => (!/\.civitai\.json$/.test(v.trim()) ? 'The name must end in .civitai.json' : /[\\:*?"<>|]/.test(v) ? 'Not a valid file name.' : undefined),
      }));
      if (!name) return undefined;
      target = vscode.Uri.joinPath(folder, name.trim());
    } else {
      target = await vscode.window.showSaveDialog({ filters: { 'Civitai workflow': ['civitai.json'] }, saveLabel: 'Create workflow' });
      if (target && !target.path.endsWith('.civitai.json')) target = target.with({ path: target.path.replace(/(\.json)?$/, '.civitai.json') });
    }
    if (!target) return undefined;
    try {
      await vscode.workspace.fs.stat(target);
      const overwrite = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(target)} exists. Replace it?`, { modal: true }, 'Replace');
      if (overwrite !== 'Replace') return undefined;
    } catch {
      // Does not exist: the usual case.
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    const editor = await vscode.window.showTextDocument(target);
    ctx.log.info(`new workflow from template ${choice.id}: ${target.fsPath}`);
    if (choice.operation === 'createVariant') {
      const image = editor.document.getText().indexOf('"image"');
      if (image >= 0) {
        const pos = editor.document.positionAt(image);
        editor.selection = new vscode.Selection(pos, pos);
        editor.revealRange(new vscode.Range(pos, pos));
      }
      void vscode.window.showInformationMessage('Civitai: put your source image (URL, data URL or base64) in "image".');
    }
    return target;
  };
}

async function pickTemplate(): Promise<TemplateChoice | undefined> {
  const choices = templateChoices();
  const items: Array<vscode.QuickPickItem & { choice?: TemplateChoice }> = [];
  let documented: boolean | undefined;
  for (const c of choices) {
    if (c.documented !== documented) {
      items.push({ label: c.documented ? 'Documented in the guides' : 'Accepted by the API, not covered by the guides', kind: vscode.QuickPickItemKind.Separator });
      documented = c.documented;
    }
    items.push({ label: c.label, detail: c.detail, choice: c });
  }
  const pick = await vscode.window.showQuickPick(items, { title: 'New Civitai workflow', placeHolder: 'Ecosystem · operation · engine', matchOnDetail: true });
  return pick?.choice;
}

async function freeName(folder: vscode.Uri, stem: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const name = `${stem}${n === 1 ? '' : `-${n}`}.civitai.json`;
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, name));
    } catch {
      return name;
    }
  }
  return `${stem}-${Date.now()}.civitai.json`;
}
