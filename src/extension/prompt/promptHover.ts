// Hovers inside prompt strings: special tags explained for the step's model profile, the Danbooru
// tag (category, posts, aliases; a wiki link when `civitai.tagWikiLinks` is on), effective
// weights, BREAK and <lora:…>. Core writes the markdown; this adapter wraps it.
import * as vscode from 'vscode';
import { parseWorkflowDocument } from '../../core/workflow/document';
import { promptHover } from '../../core/prompt/hover';
import { getActiveUserProfiles } from '../../core/ecosystems/profiles';
import { promptFieldAt } from '../../core/prompt/fields';
import { shippedTagIndex } from '../../core/tags/shipped';
import { readSettings } from '../common/settings';

export class PromptHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const doc = parseWorkflowDocument(document.getText());
    const offset = document.offsetAt(position);
    // The index only for a profiled prompt: hovers elsewhere never load it.
    const tags = promptFieldAt(doc, offset, getActiveUserProfiles())?.step.profile ? shippedTagIndex() : undefined;
    const hover = promptHover(doc, offset, getActiveUserProfiles(), { tags, wikiLinks: readSettings().settings.tagWikiLinks });
    if (!hover) return undefined;
    const range = new vscode.Range(document.positionAt(hover.offset), document.positionAt(hover.offset + hover.length));
    return new vscode.Hover(new vscode.MarkdownString(hover.markdown), range);
  }
}
