// A minimal stand-in for the `vscode` module, enough to load the bundled extension, run
// `activate`, and drive the diagnostics and CodeLens paths outside an editor. It implements the
// classes and namespaces those paths touch; anything else the extension reaches for is answered
// by a forgiving fallback (events and registrations return disposables, other calls return
// undefined) and recorded in `harness.unknownApi`, so the bench keeps working while the
// extension grows and the report says what the stand-in had to guess.
//
// The harness side lets the bench play the editor: open and change documents, read what was
// published to a DiagnosticCollection and when, and call the registered CodeLens providers.

type Listener<T> = (e: T) => unknown;

export interface DisposableLike {
  dispose(): unknown;
}

export class Disposable implements DisposableLike {
  static from(...items: DisposableLike[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  constructor(private readonly callOnDispose: () => unknown) {}
  dispose(): void {
    this.callOnDispose();
  }
}

export type Event<T> = (listener: Listener<T>, thisArgs?: unknown, disposables?: DisposableLike[]) => DisposableLike;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound: Listener<T> = thisArgs ? listener.bind(thisArgs) : listener;
    this.listeners.add(bound);
    const d = new Disposable(() => this.listeners.delete(bound));
    disposables?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Position {
  constructor(readonly line: number, readonly character: number) {}
  isBefore(o: Position): boolean {
    return this.line < o.line || (this.line === o.line && this.character < o.character);
  }
  isEqual(o: Position): boolean {
    return this.line === o.line && this.character === o.character;
  }
  translate(lineDelta = 0, characterDelta = 0): Position {
    return new Position(this.line + lineDelta, this.character + characterDelta);
  }
  with(line = this.line, character = this.character): Position {
    return new Position(line, character);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c as number, d as number) : (b as Position);
  }
  get isEmpty(): boolean {
    return this.start.isEqual(this.end);
  }
  contains(p: Position | Range): boolean {
    const s = p instanceof Range ? p.start : p;
    const e = p instanceof Range ? p.end : p;
    return !s.isBefore(this.start) && !this.end.isBefore(e);
  }
  with(start = this.start, end = this.end): Range {
    return new Range(start, end);
  }
}

export class Selection extends Range {
  constructor(readonly anchor: Position, readonly active: Position) {
    super(anchor, active);
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly authority: string, readonly path: string, readonly query: string, readonly fragment: string) {}
  static parse(value: string): Uri {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!m) return new Uri('file', '', value, '', '');
    return new Uri(m[1], m[2] ?? '', m[3] ?? '', m[4] ?? '', m[5] ?? '');
  }
  static file(fsPath: string): Uri {
    return new Uri('file', '', fsPath.replace(/\\/g, '/'), '', '');
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    const path = [base.path.replace(/\/$/, ''), ...segments].join('/').replace(/\/+/g, '/');
    return base.with({ path });
  }
  get fsPath(): string {
    return this.path;
  }
  with(c: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment);
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
}

export enum DiagnosticSeverity { Error = 0, Warning = 1, Information = 2, Hint = 3 }
export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum ViewColumn { Active = -1, Beside = -2, One = 1, Two = 2, Three = 3 }
export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }
export enum QuickPickItemKind { Separator = -1, Default = 0 }
export enum TextEditorRevealType { Default = 0, InCenter = 1, InCenterIfOutsideViewport = 2, AtTop = 3 }
export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }
export enum ExtensionMode { Production = 1, Development = 2, Test = 3 }
export enum EndOfLine { LF = 1, CRLF = 2 }
export enum FileType { Unknown = 0, File = 1, Directory = 2, SymbolicLink = 64 }
export enum DiagnosticTag { Unnecessary = 1, Deprecated = 2 }
export enum CompletionItemKind {
  Text = 0, Method = 1, Function = 2, Constructor = 3, Field = 4, Variable = 5, Class = 6, Interface = 7, Module = 8, Property = 9,
  Unit = 10, Value = 11, Enum = 12, Keyword = 13, Snippet = 14, Color = 15, File = 16, Reference = 17, Folder = 18,
  EnumMember = 19, Constant = 20, Struct = 21, Event = 22, Operator = 23, TypeParameter = 24,
}

export class Diagnostic {
  source?: string;
  code?: unknown;
  tags?: DiagnosticTag[];
  relatedInformation?: unknown[];
  constructor(readonly range: Range, readonly message: string, readonly severity: DiagnosticSeverity = DiagnosticSeverity.Error) {}
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Refactor = new CodeActionKind('refactor');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other: CodeActionKind): boolean {
    return this.contains(other) || other.contains(this);
  }
}

export class CodeAction {
  edit?: WorkspaceEdit;
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  command?: unknown;
  constructor(readonly title: string, readonly kind?: CodeActionKind) {}
}

export class CodeLens {
  constructor(readonly range: Range, public command?: { title: string; command: string; arguments?: unknown[]; tooltip?: string }) {}
  get isResolved(): boolean {
    return this.command !== undefined;
  }
}

export class MarkdownString {
  isTrusted?: boolean;
  supportThemeIcons?: boolean;
  supportHtml?: boolean;
  constructor(public value = '', supportThemeIcons = false) {
    this.supportThemeIcons = supportThemeIcons;
  }
  appendMarkdown(value: string): MarkdownString {
    this.value += value;
    return this;
  }
  appendText(value: string): MarkdownString {
    this.value += value.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
    return this;
  }
  appendCodeblock(code: string, language = ''): MarkdownString {
    this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
    return this;
  }
}

export class SnippetString {
  constructor(public value = '') {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(readonly id: string, readonly color?: ThemeColor) {}
}

export class TreeItem {
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  command?: unknown;
  contextValue?: string;
  id?: string;
  constructor(public label: unknown, public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {}
}

export class CompletionItem {
  detail?: string;
  documentation?: unknown;
  insertText?: unknown;
  range?: unknown;
  sortText?: string;
  filterText?: string;
  command?: unknown;
  constructor(public label: unknown, public kind?: CompletionItemKind) {}
}

export class CompletionList {
  constructor(public items: CompletionItem[] = [], public isIncomplete = false) {}
}

export class Hover {
  constructor(public contents: unknown, public range?: Range) {}
}

export class TextEdit {
  static replace(range: Range, newText: string): TextEdit {
    return new TextEdit(range, newText);
  }
  constructor(readonly range: Range, readonly newText: string) {}
}

export class WorkspaceEdit {
  readonly edits: Array<{ uri: Uri; range: Range; newText: string }> = [];
  replace(uri: Uri, range: Range, newText: string): void {
    this.edits.push({ uri, range, newText });
  }
  insert(uri: Uri, position: Position, newText: string): void {
    this.edits.push({ uri, range: new Range(position, position), newText });
  }
  delete(uri: Uri, range: Range): void {
    this.edits.push({ uri, range, newText: '' });
  }
  get size(): number {
    return this.edits.length;
  }
}

export class CancellationTokenSource {
  readonly token = { isCancellationRequested: false, onCancellationRequested: new EventEmitter<void>().event };
  cancel(): void {
    this.token.isCancellationRequested = true;
  }
  dispose(): void {}
}

export class RelativePattern {
  constructor(readonly base: unknown, readonly pattern: string) {}
}

// ---- Documents ----

export class FakeTextDocument {
  readonly languageId = 'json';
  readonly isDirty = false;
  readonly isClosed = false;
  readonly isUntitled = false;
  readonly eol = EndOfLine.LF;
  private starts: number[] | undefined;
  constructor(readonly uri: Uri, readonly version: number, private readonly text: string) {}
  get fileName(): string {
    return this.uri.fsPath;
  }
  get lineCount(): number {
    return this.lineStarts().length;
  }
  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  positionAt(offset: number): Position {
    const starts = this.lineStarts();
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return new Position(lo, o - starts[lo]);
  }
  offsetAt(p: Position): number {
    const starts = this.lineStarts();
    const line = Math.max(0, Math.min(p.line, starts.length - 1));
    return Math.min(starts[line] + p.character, this.text.length);
  }
  lineAt(lineOrPos: number | Position): { text: string; range: Range; lineNumber: number } {
    const line = typeof lineOrPos === 'number' ? lineOrPos : lineOrPos.line;
    const starts = this.lineStarts();
    const start = starts[line] ?? this.text.length;
    const end = line + 1 < starts.length ? starts[line + 1] - 1 : this.text.length;
    return { text: this.text.slice(start, end), range: new Range(line, 0, line, end - start), lineNumber: line };
  }
  getWordRangeAtPosition(): Range | undefined {
    return undefined;
  }
  save(): Promise<boolean> {
    return Promise.resolve(true);
  }
  /** The next version of this document with `newText`. */
  withText(newText: string): FakeTextDocument {
    return new FakeTextDocument(this.uri, this.version + 1, newText);
  }
  private lineStarts(): number[] {
    if (!this.starts) {
      this.starts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
    return this.starts;
  }
}

// ---- The module and its harness ----

export interface PublishedDiagnostics {
  collection: string;
  uri: string;
  count: number;
  at: number;
}

export interface CodeLensProviderLike {
  provideCodeLenses(document: unknown, token: unknown): unknown;
  resolveCodeLens?(lens: unknown, token: unknown): unknown;
  onDidChangeCodeLenses?: Event<unknown>;
}

export interface FakeVscodeHarness {
  /** The object to install as the `vscode` module. */
  readonly api: Record<string, unknown>;
  /** Settings the fake configuration answers with (`section.key` → value). */
  readonly settings: Map<string, unknown>;
  /** Every DiagnosticCollection.set, in order. */
  readonly published: PublishedDiagnostics[];
  readonly codeLensProviders: CodeLensProviderLike[];
  /** Names under the namespaces and module the stand-in answered with its fallback. */
  readonly unknownApi: Set<string>;
  /** Resolves at the next DiagnosticCollection.set for this URI. */
  nextPublish(uri: Uri): Promise<PublishedDiagnostics>;
  open(document: FakeTextDocument): void;
  /** Sets (or with undefined, removes) a setting and fires onDidChangeConfiguration, as the Settings editor does. */
  setSetting(key: string, value: unknown): void;
  /** `contentChanges` as VS Code gives them (absent: the whole text changed). */
  change(document: FakeTextDocument, contentChanges?: unknown[]): void;
  close(document: FakeTextDocument): void;
  setActive(document: FakeTextDocument | undefined): void;
  createExtensionContext(root: string): Record<string, unknown>;
  readonly cancellationToken: { isCancellationRequested: boolean; onCancellationRequested: Event<void> };
}

export function createFakeVscode(): FakeVscodeHarness {
  const settings = new Map<string, unknown>();
  const published: PublishedDiagnostics[] = [];
  const waiters = new Map<string, Array<(p: PublishedDiagnostics) => void>>();
  const codeLensProviders: CodeLensProviderLike[] = [];
  const unknownApi = new Set<string>();
  const documents = new Map<string, FakeTextDocument>();

  const onOpen = new EventEmitter<FakeTextDocument>();
  const onChange = new EventEmitter<{ document: FakeTextDocument; contentChanges: unknown[]; reason: undefined }>();
  const onClose = new EventEmitter<FakeTextDocument>();
  const onActiveEditor = new EventEmitter<unknown>();
  const onConfiguration = new EventEmitter<unknown>();
  let activeEditor: Record<string, unknown> | undefined;

  const noDispose = (): Disposable => new Disposable(() => undefined);

  const createDiagnosticCollection = (name = 'unnamed') => {
    const entries = new Map<string, Diagnostic[]>();
    return {
      name,
      set(uri: Uri, diagnostics: Diagnostic[] | undefined) {
        const key = uri.toString();
        entries.set(key, diagnostics ?? []);
        const record: PublishedDiagnostics = { collection: name, uri: key, count: diagnostics?.length ?? 0, at: performance.now() };
        published.push(record);
        const list = waiters.get(key);
        if (list) {
          waiters.delete(key);
          for (const resolve of list) resolve(record);
        }
      },
      get: (uri: Uri) => entries.get(uri.toString()),
      has: (uri: Uri) => entries.has(uri.toString()),
      delete: (uri: Uri) => void entries.delete(uri.toString()),
      clear: () => entries.clear(),
      forEach: (cb: (uri: Uri, d: Diagnostic[]) => void) => entries.forEach((d, k) => cb(Uri.parse(k), d)),
      dispose: () => entries.clear(),
    };
  };

  const configuration = (section?: string) => ({
    get<T>(key: string, fallback?: T): T | undefined {
      const full = section ? `${section}.${key}` : key;
      return settings.has(full) ? (settings.get(full) as T) : fallback;
    },
    has: (key: string) => settings.has(section ? `${section}.${key}` : key),
    inspect: () => undefined,
    update: async (key: string, value: unknown) => {
      settings.set(section ? `${section}.${key}` : key, value);
    },
  });

  /** Unknown members: events and registrations hand back disposables, anything else a no-op. */
  const forgiving = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        if (typeof prop === 'symbol' || prop in t) return Reflect.get(t, prop, receiver);
        if (prop === 'then') return undefined; // not a thenable
        unknownApi.add(`${name}.${prop}`);
        if (/^(on[A-Z]|register|create)/.test(prop)) return () => forgiving(`${name}.${prop}()`, { dispose: () => undefined });
        return () => undefined;
      },
    });

  const statusBarItem = () =>
    forgiving('StatusBarItem', { text: '', tooltip: undefined as unknown, command: undefined as unknown, name: '', show: () => undefined, hide: () => undefined, dispose: () => undefined });
  const outputChannel = () =>
    forgiving('LogOutputChannel', {
      info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, trace: () => undefined,
      append: () => undefined, appendLine: () => undefined, show: () => undefined, clear: () => undefined, dispose: () => undefined,
      onDidChangeLogLevel: new EventEmitter<unknown>().event, logLevel: 2,
    });

  const memento = () => {
    const store = new Map<string, unknown>();
    return forgiving('Memento', {
      get: <T>(key: string, fallback?: T) => (store.has(key) ? (store.get(key) as T) : fallback),
      update: async (key: string, value: unknown) => void (value === undefined ? store.delete(key) : store.set(key, value)),
      keys: () => [...store.keys()],
      setKeysForSync: () => undefined,
    });
  };

  const workspace = forgiving('workspace', {
    get textDocuments() {
      return [...documents.values()];
    },
    workspaceFolders: undefined as unknown,
    onDidOpenTextDocument: onOpen.event,
    onDidChangeTextDocument: onChange.event,
    onDidCloseTextDocument: onClose.event,
    onDidChangeConfiguration: onConfiguration.event,
    onDidSaveTextDocument: new EventEmitter<unknown>().event,
    onWillSaveTextDocument: new EventEmitter<unknown>().event,
    getConfiguration: configuration,
    getWorkspaceFolder: () => undefined,
    asRelativePath: (p: Uri | string) => (typeof p === 'string' ? p : p.fsPath),
    fs: forgiving('workspace.fs', {}),
  });

  const window = forgiving('window', {
    get activeTextEditor() {
      return activeEditor;
    },
    get visibleTextEditors() {
      return activeEditor ? [activeEditor] : [];
    },
    onDidChangeActiveTextEditor: onActiveEditor.event,
    onDidChangeTextEditorSelection: new EventEmitter<unknown>().event,
    onDidChangeVisibleTextEditors: new EventEmitter<unknown>().event,
    createOutputChannel: outputChannel,
    createStatusBarItem: statusBarItem,
    registerTreeDataProvider: noDispose,
    registerWebviewPanelSerializer: noDispose,
  });

  const languages = forgiving('languages', {
    createDiagnosticCollection,
    registerCodeLensProvider: (_selector: unknown, provider: CodeLensProviderLike) => {
      codeLensProviders.push(provider);
      return new Disposable(() => codeLensProviders.splice(codeLensProviders.indexOf(provider), 1));
    },
    registerCodeActionsProvider: noDispose,
    registerCompletionItemProvider: noDispose,
    registerHoverProvider: noDispose,
    // The extension's selectors are all `*.civitai.json` files (a score > 0 means it matches).
    match: (_selector: unknown, document: { fileName?: string; uri?: { path?: string } }) => (/\.civitai\.json$/.test(document.fileName ?? document.uri?.path ?? '') ? 10 : 0),
  });

  const commandTable = new Map<string, (...args: unknown[]) => unknown>();
  const commands = forgiving('commands', {
    registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
      commandTable.set(id, handler);
      return new Disposable(() => commandTable.delete(id));
    },
    executeCommand: async (id: string, ...args: unknown[]) => commandTable.get(id)?.(...args),
  });

  const env = forgiving('env', {
    clipboard: forgiving('env.clipboard', { readText: async () => '', writeText: async () => undefined }),
    language: 'en',
    machineId: 'bench',
    appName: 'bench',
    uriScheme: 'vscode',
  });

  const classes = {
    Disposable, EventEmitter, Position, Range, Selection, Uri, Diagnostic, DiagnosticSeverity, DiagnosticTag, CodeAction, CodeActionKind,
    CodeLens, MarkdownString, SnippetString, ThemeColor, ThemeIcon, TreeItem, TreeItemCollapsibleState, CompletionItem,
    CompletionItemKind, CompletionList, Hover, TextEdit, WorkspaceEdit, StatusBarAlignment, ViewColumn, ProgressLocation,
    QuickPickItemKind, TextEditorRevealType, ConfigurationTarget, ExtensionMode, EndOfLine, FileType, CancellationTokenSource,
    RelativePattern,
  };

  const api = new Proxy(
    { ...classes, workspace, window, languages, commands, env, extensions: forgiving('extensions', {}), version: '1.95.0' } as Record<string, unknown>,
    {
      get(t, prop, receiver) {
        if (typeof prop === 'symbol' || prop in t) return Reflect.get(t, prop, receiver);
        if (prop === 'then' || prop === '__esModule') return undefined;
        unknownApi.add(`vscode.${prop}`);
        // An unknown class or enum: constructible, with unknown static members undefined.
        return class Unknown {
          constructor(...args: unknown[]) {
            Object.assign(this, { args });
          }
        };
      },
    },
  );

  const cancellationToken = new CancellationTokenSource().token;

  return {
    api,
    settings,
    published,
    codeLensProviders,
    unknownApi,
    cancellationToken,
    nextPublish(uri) {
      return new Promise((resolve) => {
        const key = uri.toString();
        const list = waiters.get(key) ?? [];
        list.push(resolve);
        waiters.set(key, list);
      });
    },
    setSetting(key, value) {
      if (value === undefined) settings.delete(key);
      else settings.set(key, value);
      onConfiguration.fire({ affectsConfiguration: (section: string) => key === section || key.startsWith(`${section}.`) });
    },
    open(document) {
      documents.set(document.uri.toString(), document);
      onOpen.fire(document);
    },
    change(document, contentChanges = []) {
      documents.set(document.uri.toString(), document);
      if (activeEditor && (activeEditor.document as FakeTextDocument).uri.toString() === document.uri.toString()) activeEditor.document = document;
      onChange.fire({ document, contentChanges, reason: undefined });
    },
    close(document) {
      documents.delete(document.uri.toString());
      onClose.fire(document);
    },
    setActive(document) {
      activeEditor = document
        ? forgiving('TextEditor', { document, selection: new Selection(new Position(0, 0), new Position(0, 0)), selections: [], visibleRanges: [], viewColumn: ViewColumn.One })
        : undefined;
      onActiveEditor.fire(activeEditor);
    },
    createExtensionContext(root) {
      const secrets = new Map<string, string>();
      const onSecret = new EventEmitter<unknown>();
      return forgiving('ExtensionContext', {
        subscriptions: [] as DisposableLike[],
        extensionUri: Uri.file(root),
        extensionPath: root,
        storageUri: Uri.file(`${root}/.bench-storage`),
        globalStorageUri: Uri.file(`${root}/.bench-global-storage`),
        logUri: Uri.file(`${root}/.bench-log`),
        extensionMode: ExtensionMode.Production,
        asAbsolutePath: (p: string) => `${root}/${p}`,
        workspaceState: memento(),
        globalState: memento(),
        secrets: forgiving('SecretStorage', {
          get: async (k: string) => secrets.get(k),
          store: async (k: string, v: string) => void secrets.set(k, v),
          delete: async (k: string) => void secrets.delete(k),
          onDidChange: onSecret.event,
        }),
      });
    },
  };
}
