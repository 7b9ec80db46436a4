/** `keyshare explain`: can this principal call this action on this key, and which statements say so. A driver of the project layer. */
import * as fs from 'fs';
import * as path from 'path';
import type { VariableValue } from '../engine/types';
import { findConfigFile, needsGrammar, relativePath } from '../project/files';
import { ExplainError, explainAccess, splitRef, type ExplainAnswer } from '../project/explain';
import { Project } from '../project';
import { DEFAULT_SETTINGS } from '../project/settings';

export interface ExplainArguments {
  principal: string;
  action: string;
  key: string;
  policies: string[];
  context: Record<string, string>;
  paths: string[];
  config?: string;
  cwd: string;
  /** CloudFormation parameter values (from --parameters files). */
  parameters?: Record<string, string>;
  /** Terraform input variable values (from --var-file files). */
  variables?: Record<string, VariableValue>;
}

export type ExplainRun = { ok: true; answer: ExplainAnswer } | { ok: false; message: string };

export async function runExplain(args: ExplainArguments): Promise<ExplainRun> {
  const explicitConfig = args.config ? path.resolve(args.cwd, args.config) : undefined;
  if (explicitConfig && !fs.existsSync(explicitConfig)) return { ok: false, message: `${args.config}: configuration file not found` };
  const given = (args.paths.length ? args.paths : ['.']).map((p) => path.resolve(args.cwd, p));
  // A policy may be named inside its file (`stack.yaml#AppPolicy`): the file must exist.
  for (const p of [...given, ...args.policies.map((p) => path.resolve(args.cwd, splitRef(p)[0]))]) {
    if (!fs.existsSync(p)) return { ok: false, message: `${relativePath(args.cwd, p) || p}: no such file or folder` };
  }
  const configFile = explicitConfig ?? findConfigFile(given[0]);
  // The policies under the nearest keyshare.json (or the paths given) are the workspace.
  const folders = args.paths.length ? given : [configFile ? path.dirname(configFile) : args.cwd];
  const project = new Project({ config: explicitConfig, parameters: args.parameters, variables: args.variables });
  // A module named outside the folders built (`--policy ../infra/main.tf#...`) is read with the grammar too.
  if ([...args.policies, args.key].some((ref) => ref && needsGrammar(splitRef(ref)[0]))) await project.grammarsReady();
  await project.build(folders.map((f) => (fs.statSync(f).isFile() ? path.dirname(f) : f)), DEFAULT_SETTINGS, () => false);
  const anchor = configFile ? path.dirname(configFile) : folders[0];
  try {
    const answer = explainAccess(project, path.join(anchor, 'keyshare.json'), {
      principal: args.principal,
      action: args.action,
      key: args.key,
      policies: args.policies.map((p) => path.resolve(args.cwd, p)),
      context: args.context,
      // Without a keyshare.json, `stack.yaml#DataKey` is read from the current folder.
      referencesFrom: configFile ? undefined : args.cwd,
    });
    return { ok: true, answer };
  } catch (error) {
    if (error instanceof ExplainError) return { ok: false, message: error.message };
    throw error;
  }
}

/** The answer as JSON: `{verdict, principal, action, key, summary, because: [{file, range, policy, effect, sid}], depends}`. */
export function formatExplainJson(answer: ExplainAnswer, cwd: string): string {
  return JSON.stringify({
    verdict: answer.verdict,
    principal: answer.principal,
    action: answer.action,
    key: answer.key,
    // The sentence the text output starts with: why, even when no statement is cited (a denial for want of one).
    summary: answer.summary.replace(/^\w+: /, ''),
    because: answer.because.map((c) => ({ file: display(c.file, cwd), range: c.range, policy: c.policy ?? null, effect: c.effect, sid: c.sid ?? null })),
    depends: answer.depends,
  }, null, 2);
}

export function formatExplainText(answer: ExplainAnswer, cwd: string): string {
  const lines = [`${answer.verdict.toUpperCase()}: ${answer.summary.replace(/^\w+: /, '')}`];
  for (const c of answer.because) {
    const where = `${display(c.file, cwd)}:${c.range.start.line + 1}:${c.range.start.character + 1}`;
    lines.push(`  ${c.half === 'key' ? 'key policy' : c.half === 'grant' ? 'grant' : 'identity policy'} ${where}${c.policy ? ` (${c.policy})` : ''}: ${c.effect}${c.sid ? ` "${c.sid}"` : ''}`);
  }
  for (const d of answer.depends) lines.push(`  depends on ${d}`);
  if (answer.actions.length > 1) for (const note of answer.notes) lines.push(`  ${note}`);
  return lines.join('\n');
}

function display(file: string, cwd: string): string {
  return relativePath(cwd, file) || file;
}
