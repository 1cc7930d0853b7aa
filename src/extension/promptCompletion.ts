// Completions inside `prompt` / `negativePrompt` strings of workflow files. Core computes the items
// and the range (the tag being typed); this adapter only converts them. Outside those strings it
// returns nothing, so the JSON language service keeps doing the rest.
import * as vscode from 'vscode';
import { parseWorkflowDocument } from '../core/workflow/document';
import { promptCompletions, type PromptCompletionKind } from '../core/prompt/completions';
import { getActiveUserProfiles } from '../core/ecosystems/profiles';

const ITEM_KIND: Record<PromptCompletionKind, vscode.CompletionItemKind> = {
  quality: vscode.CompletionItemKind.Keyword,
  score: vscode.CompletionItemKind.Keyword,
  temporal: vscode.CompletionItemKind.Constant,
  rating: vscode.CompletionItemKind.EnumMember,
  people: vscode.CompletionItemKind.Value,
  sequence: vscode.CompletionItemKind.Snippet,
  'negative-preset': vscode.CompletionItemKind.Snippet,
  embedding: vscode.CompletionItemKind.Reference,
};

export class PromptCompletionProvider implements vscode.CompletionItemProvider {
  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionList | undefined {
    const doc = parseWorkflowDocument(document.getText());
    const result = promptCompletions(doc, document.offsetAt(position), getActiveUserProfiles());
    if (!result) return undefined;
    const range = new vscode.Range(document.positionAt(result.offset), document.positionAt(result.offset + result.length));
    // VS Code requires a single-line range that contains the cursor.
    const safeRange = range.isSingleLine && range.contains(position) ? range : new vscode.Range(position, position);
    const items = result.items.map((item) => {
      const ci = new vscode.CompletionItem({ label: item.label, description: item.detail }, ITEM_KIND[item.kind]);
      ci.insertText = item.isSnippet ? new vscode.SnippetString(item.insertText) : item.insertText;
      ci.filterText = item.filterText;
      ci.sortText = item.sortText;
      ci.detail = item.detail;
      ci.documentation = new vscode.MarkdownString(item.documentation);
      ci.range = safeRange;
      return ci;
    });
    // Incomplete: what is offered depends on the tags already in the prompt.
    return new vscode.CompletionList(items, true);
  }
}
