// Hovers inside prompt strings: special tags explained for the step's model profile, effective
// weights, BREAK and <lora:…>. Core writes the markdown; this adapter wraps it.
import * as vscode from 'vscode';
import { parseWorkflowDocument } from '../core/workflow/document';
import { promptHover } from '../core/prompt/hover';
import { getActiveUserProfiles } from '../core/ecosystems/profiles';

export class PromptHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const doc = parseWorkflowDocument(document.getText());
    const hover = promptHover(doc, document.offsetAt(position), getActiveUserProfiles());
    if (!hover) return undefined;
    const range = new vscode.Range(document.positionAt(hover.offset), document.positionAt(hover.offset + hover.length));
    return new vscode.Hover(new vscode.MarkdownString(hover.markdown), range);
  }
}
