// The extension bundle replaces each lazy module (scripts/lazy-modules.mjs) with a stub that
// forwards only the names listed there. A name imported in the extension's code but missing from
// the list typechecks and passes every unit test (tsx loads the real module), then is `undefined`
// in VS Code. This walks the extension bundle's imports from its entry and checks each value it
// imports from a lazy module is one the stub forwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { LAZY_MODULES } from '../../scripts/lazy-modules.mjs';

const ROOT = path.resolve(__dirname, '../..');

function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((c) => existsSync(c) && statSync(c).isFile() && c.endsWith('.ts'));
}

/** Value imports (not `import type`, not `type X` specifiers) of one file: specifier -> names. */
function valueImports(file: string): Array<{ specifier: string; names: string[]; namespace: boolean }> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: Array<{ specifier: string; names: string[]; namespace: boolean }> = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    const specifier = statement.moduleSpecifier.text;
    if (!clause) {
      out.push({ specifier, names: [], namespace: false });
      continue;
    }
    if (clause.isTypeOnly) continue;
    const bindings = clause.namedBindings;
    const names = bindings && ts.isNamedImports(bindings)
      ? bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text)
      : [];
    out.push({ specifier, names, namespace: Boolean(bindings && ts.isNamespaceImport(bindings)) || Boolean(clause.name) });
  }
  return out;
}

test('every value the extension bundle imports from a lazy module is forwarded by its stub', () => {
  const lazyBySource = new Map(LAZY_MODULES.map((m) => [path.resolve(ROOT, m.source), m]));
  const entry = path.join(ROOT, 'src/extension/extension.ts');
  const seen = new Set<string>([entry]);
  const queue = [entry];
  const problems: string[] = [];
  let checked = 0;
  while (queue.length > 0) {
    const file = queue.pop()!;
    for (const { specifier, names, namespace } of valueImports(file)) {
      const target = resolve(file, specifier);
      if (!target) continue;
      const lazy = lazyBySource.get(target);
      if (lazy) {
        // A stub without lists is the whole module (loaded on a dynamic import): anything goes.
        if (!lazy.exports && !lazy.values) continue;
        const forwarded = new Set([...(lazy.exports ?? []), ...(lazy.values ?? [])]);
        if (namespace) problems.push(`${path.relative(ROOT, file)} imports all of ${lazy.source}: name what it uses`);
        for (const name of names) {
          checked++;
          if (!forwarded.has(name)) problems.push(`${path.relative(ROOT, file)} imports ${name} from ${lazy.source}, which dist/${lazy.bundle}'s stub does not forward (add it in scripts/lazy-modules.mjs)`);
        }
        continue; // the lazy module's own imports are bundled with it, not stubbed
      }
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  assert.ok(checked > 0, 'the walk reached the extension\'s imports of lazy modules');
  assert.deepEqual(problems, []);
});
