#!/usr/bin/env node
// The GitHub Action's step (action.yml): `keyshare check` once as SARIF (for code scanning) and
// once as JSON (for the job summary), the outputs, and the exit code by the fail-on input. Runs
// anywhere: without GITHUB_STEP_SUMMARY and GITHUB_OUTPUT it prints the summary instead.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const cli = path.join(__dirname, '..', 'server', 'out', 'cli.js');
const cwd = process.env.GITHUB_WORKSPACE || process.cwd();
const paths = (process.env.INPUT_PATHS || '.').split(/\s+/).filter(Boolean);
const failOn = process.env.INPUT_FAIL_ON || 'error';
const shared = ['--fail-on', failOn];
if (process.env.INPUT_CONFIG) shared.push('--config', process.env.INPUT_CONFIG);
if (process.env.INPUT_BASELINE) shared.push('--baseline', process.env.INPUT_BASELINE);

function keyshare(format) {
  return spawnSync(process.execPath, [cli, 'check', ...paths, ...shared, '--format', format], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

const sarif = keyshare('sarif');
const json = keyshare('json');
if (json.status === 2 || sarif.status === 2) {
  // Usage or I/O errors: keyshare's own one-line messages.
  process.stderr.write(json.stderr || sarif.stderr);
}
const sarifFile = path.join(process.env.RUNNER_TEMP || cwd, 'keyshare.sarif');
if (sarif.stdout) fs.writeFileSync(sarifFile, sarif.stdout);

let reports = [];
try {
  reports = JSON.parse(json.stdout || '[]');
} catch {
  reports = [];
}
const shown = reports.filter((r) => !r.suppressed);
const rank = { error: 3, warning: 2, info: 1, hint: 0 };
const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const lines = ['## Keyshare', ''];
const counts = ['error', 'warning', 'info', 'hint'].map((severity) => {
  const n = shown.filter((r) => r.severity === severity).length;
  return `${n} ${severity}${n === 1 ? '' : 's'}`;
});
lines.push(`${counts.join(', ')} in \`${paths.join(' ')}\` (fails on ${failOn} and above).`, '');
if (shown.length > 0) {
  lines.push('| Severity | Rule | Where | Finding |', '| --- | --- | --- | --- |');
  const sorted = [...shown].sort((a, b) => rank[b.severity] - rank[a.severity] || a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line);
  for (const r of sorted.slice(0, 200)) {
    const where = `${r.file}:${r.range.start.line + 1}${r.policy ? ` (${r.policy}${r.statement ? `, statement ${r.statement}` : ''})` : ''}`;
    lines.push(`| ${r.severity} | \`${r.ruleId}\` | ${cell(where)} | ${cell(r.message)} |`);
  }
  if (sorted.length > 200) lines.push('', `…and ${sorted.length - 200} more (see code scanning or the SARIF file).`);
}
// keyshare.json `expect` entries: their results are access-expectation findings, listed apart.
const expectations = shown.filter((r) => r.ruleId === 'access-expectation');
if (expectations.length > 0) lines.push('', '### Access expectations not met', '', ...expectations.map((r) => `- ${cell(r.message)} (${r.file}:${r.range.start.line + 1})`));
const summary = lines.join('\n') + '\n';

if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary);
else process.stdout.write(summary);
if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `sarif-file=${sarif.stdout ? sarifFile : ''}\nfindings=${shown.length}\n`);

// keyshare's exit code: 0 clean, 1 findings at or above fail-on, 2 usage or I/O error.
process.exitCode = json.status ?? 2;
