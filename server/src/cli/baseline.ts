/**
 * Baselines: the findings a team accepts today, so that CI fails only on new ones. A finding is
 * known by its rule, its file (relative to the baseline file), the policy it is in (a template's
 * address) and its message, never by its line: adding lines above it does not make it new. The
 * same finding twice is counted twice, so a third copy is new.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Report } from './output';

export interface BaselineEntry {
  ruleId: string;
  file: string;
  policy?: string;
  message: string;
  fingerprint: string;
}

interface BaselineFile {
  keyshareBaseline: 1;
  findings: BaselineEntry[];
}

function fingerprint(ruleId: string, file: string, policy: string | undefined, message: string): string {
  const normalised = message.replace(/\s+/g, ' ').trim();
  return createHash('sha256').update([ruleId, file.split(path.sep).join('/'), policy ?? '', normalised].join('\u0000')).digest('hex').slice(0, 32);
}

/** A report as the baseline names it: its file relative to the baseline's folder. */
function entryOf(report: Report, cwd: string, folder: string): BaselineEntry {
  const file = path.relative(folder, path.resolve(cwd, report.file)).split(path.sep).join('/');
  const entry: BaselineEntry = { ruleId: report.ruleId, file, message: report.message, fingerprint: fingerprint(report.ruleId, file, report.policy, report.message) };
  if (report.policy) entry.policy = report.policy;
  return entry;
}

export function writeBaseline(file: string, reports: readonly Report[], cwd: string): number {
  const folder = path.dirname(path.resolve(cwd, file));
  const findings = reports.filter((r) => !r.suppressed).map((r) => entryOf(r, cwd, folder));
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  const content: BaselineFile = { keyshareBaseline: 1, findings };
  fs.writeFileSync(path.resolve(cwd, file), JSON.stringify(content, null, 2) + '\n');
  return findings.length;
}

export class BaselineError extends Error {}

/** Reads a baseline; a file that is missing or not one gets a one-line error. */
export function readBaseline(file: string, cwd: string): { folder: string; counts: Map<string, number> } {
  const full = path.resolve(cwd, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(full, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BaselineError(code === 'ENOENT' ? `--baseline ${file}: no such file (write one with --write-baseline ${file})` : `--baseline ${file}: not a Keyshare baseline (${code ?? 'invalid JSON'})`);
  }
  const findings = (parsed as Partial<BaselineFile>)?.findings;
  if ((parsed as Partial<BaselineFile>)?.keyshareBaseline !== 1 || !Array.isArray(findings) || findings.some((f) => typeof f?.fingerprint !== 'string')) {
    throw new BaselineError(`--baseline ${file}: not a Keyshare baseline (write one with --write-baseline)`);
  }
  const counts = new Map<string, number>();
  for (const entry of findings) counts.set(entry.fingerprint, (counts.get(entry.fingerprint) ?? 0) + 1);
  return { folder: path.dirname(full), counts };
}

/** The reports the baseline does not already hold (each baseline entry absorbs one matching report). */
export function withoutBaseline(reports: readonly Report[], baseline: { folder: string; counts: Map<string, number> }, cwd: string): { fresh: Report[]; known: number } {
  const left = new Map(baseline.counts);
  const fresh: Report[] = [];
  let known = 0;
  for (const report of reports) {
    if (report.suppressed) {
      fresh.push(report);
      continue;
    }
    const print = entryOf(report, cwd, baseline.folder).fingerprint;
    const remaining = left.get(print) ?? 0;
    if (remaining > 0) {
      left.set(print, remaining - 1);
      known++;
    } else fresh.push(report);
  }
  return { fresh, known };
}
