// Completions inside `prompt` / `negativePrompt` strings of workflow files. Core computes the items,
// their order and the range (the tag being typed); this adapter only converts them. Outside those
// strings it returns nothing, so the JSON language service keeps doing the rest. The Danbooru tag
// index is loaded on the first completion inside a profiled prompt (never at activation).
import * as vscode from 'vscode';
import { parseWorkflowDocument } from '../../core/workflow/document';
import { promptCompletions, type PromptCompletionItem, type PromptCompletionKind } from '../../core/prompt/completions';
import { getActiveUserProfiles } from '../../core/ecosystems/profiles';
import { promptFieldAt } from '../../core/prompt/fields';
import { shippedTagIndex } from '../../core/tags/shipped';
import type { TagCategory } from '../../core/tags/tag-index';
import { RECORD_TAG_USE_COMMAND } from './promptTagUsage';

const ITEM_KIND: Record<PromptCompletionKind, vscode.CompletionItemKind> = {
  quality: vscode.CompletionItemKind.Keyword,
  score: vscode.CompletionItemKind.Keyword,
  temporal: vscode.CompletionItemKind.Constant,
  rating: vscode.CompletionItemKind.EnumMember,
  people: vscode.CompletionItemKind.Value,
  sequence: vscode.CompletionItemKind.Snippet,
  'negative-preset': vscode.CompletionItemKind.Snippet,
  embedding: vscode.CompletionItemKind.Reference,
  danbooru: vscode.CompletionItemKind.Text,
};

/** Danbooru categories by icon (each kind has its own codicon and theme colour). */
const CATEGORY_KIND: Record<TagCategory, vscode.CompletionItemKind> = {
  general: vscode.CompletionItemKind.Value,
  artist: vscode.CompletionItemKind.Color,
  copyright: vscode.CompletionItemKind.Module,
  character: vscode.CompletionItemKind.User,
  meta: vscode.CompletionItemKind.Property,
};

export interface TagUsageSource {
  readonly current: ReadonlyMap<string, number>;
}

export class PromptCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly usage?: TagUsageSource) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionList | undefined {
    const doc = parseWorkflowDocument(document.getText());
    const offset = document.offsetAt(position);
    // The index only inside a profiled prompt: completions elsewhere in the file never load it.
    const tags = promptFieldAt(doc, offset, getActiveUserProfiles())?.step.profile ? shippedTagIndex() : undefined;
    const result = promptCompletions(doc, offset, getActiveUserProfiles(), { tags, usage: this.usage?.current });
    if (!result) return undefined;
    const range = new vscode.Range(document.positionAt(result.offset), document.positionAt(result.offset + result.length));
    // VS Code requires a single-line range that contains the cursor.
    const safeRange = range.isSingleLine && range.contains(position) ? range : new vscode.Range(position, position);
    const items = result.items.map((item) => toCompletionItem(item, safeRange));
    // Incomplete: what is offered depends on what is typed and on the tags already in the prompt.
    return new vscode.CompletionList(items, true);
  }
}

function toCompletionItem(item: PromptCompletionItem, range: vscode.Range): vscode.CompletionItem {
  const kind = item.tag ? CATEGORY_KIND[item.tag.category] : ITEM_KIND[item.kind];
  const ci = new vscode.CompletionItem({ label: item.label, description: item.detail }, kind);
  ci.insertText = item.isSnippet ? new vscode.SnippetString(item.insertText) : item.insertText;
  ci.filterText = item.filterText;
  ci.sortText = item.sortText;
  ci.detail = item.detail;
  ci.documentation = new vscode.MarkdownString(item.documentation);
  ci.range = range;
  if (item.tag) ci.command = { title: 'Remember this tag', command: RECORD_TAG_USE_COMMAND, arguments: [item.tag.name] };
  return ci;
}
