// The human-readable form of a bench run: ratios first (they survive a noisy machine), then the
// absolute numbers with the machine they came from, then the budget.
import type { BenchResult } from './result';

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => String(c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const kb = (bytes: number | undefined) => (bytes === undefined || !Number.isFinite(bytes) ? '—' : `${(bytes / 1024).toFixed(1)} KB`);

export function formatReport(r: BenchResult): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`Civitai Workflows bench — ${r.startedAt}${r.options.quick ? ' (quick)' : ''}`);
  out.push(`${m.cpuModel}, ${m.cores} cores, ${m.totalMemoryMiB} MiB, ${m.os}, Node ${m.node}; load ${m.loadAverage.start} → ${m.loadAverage.end ?? '?'}`);
  for (const n of r.notes) out.push(`note: ${n}`);

  out.push('', 'Ratios (side by side, same text, same process)');
  out.push(table(['ratio', 'value'], Object.entries(r.ratios).map(([k, v]) => [k, v])));

  out.push('', `Lint vs JSON.parse vs VS Code's JSON validation (ms per document; steps mixed SD1/SDXL/Anima, every ${r.options.findingsEvery}th flawed)`);
  out.push(
    table(
      ['steps', 'bytes', 'findings', 'parse med', 'lint med', 'lint p95', 'lint 1st', 'VS Code med', 'VS Code p95', 'tree dispatch med', 'contract schema med', 'rounds'],
      r.lint.sizes.map((s) => [s.steps, s.bytes, s.findings, s.parse.median, s.lint.median, s.lint.p95, s.lintFirstMs.toFixed(1), s.languageService.median, s.languageService.p95, s.languageServiceTreeDispatch.median, s.languageServiceContractSchema.median, s.rounds]),
    ),
  );
  if (r.lint.phases.length > 0) {
    out.push('', 'Where a lint goes (fastest of the repeats, ms) and the floors of a tree-based linter');
    out.push(
      table(
        ['steps', 'doc parse', 'contract', 'rules', 'rules, new prompts', 'JSON.parse', 'jsonc tree', 'jsonc value', 'slowest rules'],
        r.lint.phases.map((p) => [p.steps, p.parseTreeMs, p.contractMs, p.rulesMs, p.rulesNewPromptsMs ?? '—', p.floor.jsonParseMs, p.floor.jsoncParseTreeMs, p.floor.jsoncNodeValueMs, p.slowestRules.slice(0, 3).map((x) => `${x.code} ${x.ms}`).join(', ')]),
      ),
    );
  }

  const v = r.validator;
  out.push('', 'Contract validator');
  out.push(
    table(
      ['stage', 'ms', 'compile ms'],
      [
        ['load schema', v.loadSchemaMs, ''],
        ['create (lazy copy, index, addSchema)', v.createMs, ''],
        ['  of which: deep copy (alone)', v.createParts.deepCopyMs, ''],
        ['  of which: ajv.addSchema (alone)', v.createParts.addSchemaMs, ''],
        ['  of which: schema index (alone)', v.createParts.schemaIndexMs, ''],
        ['  of which: createAjv (alone)', v.createParts.createAjvMs, ''],
        ['first validation (1 step)', v.first.totalMs, v.first.compileMs],
        [`${v.largest.steps} steps after that`, v.largest.totalMs, v.largest.compileMsAdded],
        [`${v.largest.steps} steps again`, v.again.totalMs, v.again.compileMsAdded],
      ],
    ),
  );

  out.push('', 'Extension (fresh process per cold sample; vscode stand-in)');
  out.push(
    table(
      ['bundle', 'file', 'n', 'require', 'activate()', 'activation', 'act. min', 'first lint', 'lint min', 'schema reads act/lint'],
      r.coldStart.map((c) => [c.label, `${c.firstLintSteps} step(s)`, c.samples, c.requireMs.median, c.activateMs.median, c.activationMs.median, c.activationMs.min, c.firstLintMs.median, c.firstLintMs.min, `${c.schemaReadsAtActivation}/${c.schemaReadsAfterFirstLint}`]),
    ),
  );
  const k = r.keystroke;
  for (const run of [k, r.keystroke1000]) {
    if (!run) continue;
    out.push('', `One keystroke in the ${run.steps}-step document (debounce 0; default debounce ${run.debounceMsDefault} ms comes on top; the lint runs in the language server's process)`);
    out.push(
      table(
        ['part', 'median', 'p95'],
        [
          ['change event (sync)', run.changeEventMs.median, run.changeEventMs.p95],
          ['→ diagnostics published', run.diagnosticsMs.median, run.diagnosticsMs.p95],
          ['onDidLint listeners', run.listenersMs.median, run.listenersMs.p95],
          [`CodeLens (${run.lenses} lenses)`, run.codeLensMs.median, run.codeLensMs.p95],
          ['total', run.totalMs.median, run.totalMs.p95],
        ],
      ),
    );
    out.push(`the stand-in host's longest event-loop delay over ${run.samples} edits (wall clock: time the OS gave other processes counts): ${run.hostLongestBlockMs} ms`);
  }
  const real = r.vscodeHost;
  if (real) {
    out.push('', 'The extension host in the real VS Code (e2e @perf: real language client, 1000-step document)');
    out.push('ourLongestMs' in real
      ? `VS Code ${real.vscode}, ${real.edits} edits: our code's longest stretch ${real.ourLongestMs} ms, ${real.ourPerEditMs} ms CPU per edit; the whole host's longest event-loop delay ${real.hostLongestBlockMs} ms (p99 ${real.hostBlockP99Ms} ms)`
      : `not measured: ${real.notMeasured}`);
  }
  out.push(
    `burst: ${k.burst.keystrokes} keystrokes ${k.burst.intervalMs} ms apart → ${k.burst.publishes} lint, ${Math.round(k.burst.lastKeystrokeToDiagnosticsMs)} ms after the last; ` +
      `other workflow re-linted ${k.otherDocumentPublishes}×, non-workflow change ${k.nonWorkflowPublishes}×`,
  );

  out.push('', 'Bundles (scripts/build.mjs --production)');
  const b = r.bundleBytes;
  out.push(
    table(
      ['bundle', 'minified', 'gzip'],
      [
        ['extension', kb(b.extension), kb(b.gzip.extension)],
        ['cli', kb(b.cli), kb(b.gzip.cli)],
        ['emulator', kb(b.emulator), kb(b.gzip.emulator)],
        ...Object.entries(b.lazy ?? {}).map(([name, bytes]) => [`${name} (required on first use)`, kb(bytes), kb(b.gzip[name])]),
        ...Object.entries(b.webview).map(([name, bytes]) => [`webview/${name}`, kb(bytes), kb(b.gzip[`webview/${name}`])]),
        ['extension in dist/ (npm run build)', kb(b.developmentExtension), ''],
      ],
    ),
  );
  out.push('', 'Extension bundle by source (minified bytes)');
  out.push(table(['part', 'bytes'], r.extensionComposition.parts.map((p) => [p.part, kb(p.bytes)])));

  const coldLazy = r.coldStart.filter((c) => c.bundlesAtActivation !== undefined);
  if (coldLazy.length > 0) {
    out.push('', 'Lazily required bundles loaded (cold start, production bundle)');
    out.push(table(['file', 'at activation', 'by the first lint'], coldLazy.map((c) => [`${c.label}, ${c.firstLintSteps} step(s)`, c.bundlesAtActivation.join(', ') || 'none', c.bundlesAfterFirstLint.join(', ') || 'none'])));
  }

  out.push('', "Schema shape vs VS Code's validation (median ms)");
  const sizes = r.schemaShapes[0]?.perSize.map((p) => p.steps) ?? [];
  out.push(
    table(
      ['variant', 'schema', 'depth', 'first', ...sizes.map((s) => `${s} steps`), ...sizes.map((s) => `×shipped@${s}`)],
      r.schemaShapes.map((s) => [s.variant, kb(s.schemaBytes), s.imageGenDispatchDepth, s.firstValidationMs, ...s.perSize.map((p) => p.validation.median), ...s.perSize.map((p) => p.vsShipped)]),
    ),
  );

  out.push('', 'Emulator: concurrent submissions with wait');
  out.push(
    table(
      ['settings', 'n', 'wall ms', 'latency med', 'p95', 'succeeded', 'first ms'],
      r.emulator.map((e) => [e.settings.label, e.submissions, e.wallMs, e.latency.median, e.latency.p95, e.succeeded, e.firstSubmissionMs]),
    ),
  );

  if (r.importParams?.length) {
    out.push('', 'Import generation parameters by prompt size (half the tokens <lora:…>)');
    out.push(table(['tokens', 'chars', 'median ms', 'p95 ms', 'µs/token'], r.importParams.map((s) => [s.tokens, s.chars, s.ms.median, s.ms.p95, s.usPerToken])));
  }
  if (r.boundedInput?.length) {
    out.push('', 'import-params on hostile input (fresh process per run)');
    out.push(
      table(
        ['input', 'file bytes', 'would inflate to', 'exit', 'wall ms med', 'p95', 'peak RSS MiB'],
        r.boundedInput.map((c) => [c.label, c.fileBytes, c.inflatesToBytes, c.exitCode ?? 'signal', c.wallMs.median, c.wallMs.p95, c.maxRssMiB]),
      ),
    );
  }

  out.push('', 'Budget');
  for (const l of r.budget) {
    out.push(`${l.met ? 'MET   ' : 'MISSED'}  ${l.budget}`, `        measured: ${l.measured}`, `        verdict:  ${l.margin}`);
    if (!l.met && l.why) out.push(`        why:      ${l.why}`);
  }
  out.push('', `(${(r.durationMs / 1000).toFixed(0)} s)`, '');
  return out.join('\n');
}
