// Output formats for findings: eslint/tsc-like text lines, or JSON for tools.
import type { Finding, Range, Severity } from '../core/findings';

export interface FileReport {
  file: string;
  findings: readonly Finding[];
}

export interface JsonDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  pointer: string;
  range: Range;
}

export interface JsonFileReport {
  file: string;
  diagnostics: JsonDiagnostic[];
}

export function toJsonReports(reports: readonly FileReport[]): JsonFileReport[] {
  return reports.map((r) => ({
    file: r.file,
    diagnostics: r.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, pointer: f.pointer, range: f.range })),
  }));
}

export function formatJson(reports: readonly FileReport[]): string {
  return JSON.stringify(toJsonReports(reports), null, 2) + '\n';
}

export function countBySeverity(reports: readonly FileReport[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of reports) for (const f of r.findings) counts[f.severity]++;
  return counts;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `file:line:col severity message [code]`, 1-based like eslint and tsc, then a summary line. */
export function formatText(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      lines.push(`${r.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.message} [${f.code}]`);
    }
  }
  const c = countBySeverity(reports);
  const files = plural(reports.length, 'file');
  const other = c.info + c.hint;
  const parts = [plural(c.error, 'error'), plural(c.warning, 'warning')];
  if (other > 0) parts.push(`${other} info/hint${other === 1 ? '' : 's'}`);
  lines.push(`${c.error + c.warning + other === 0 ? '✓ ' : ''}${files} checked: ${parts.join(', ')}`);
  return lines.join('\n') + '\n';
}
