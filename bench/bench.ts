/**
 * `npm run bench`: speed and memory on a deterministic corpus. Prints a table; with --json also
 * one flat JSON object of metric name to number on the last line (names fixed by DESIGN.md).
 */
import * as os from 'os';
import { sharedCatalog } from '../server/src/catalog/iamData';
import { checkText } from '../server/src/engine';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LspClient } from '../test/unit/lspClient';
import { keyPolicyOfSize, workspace } from './corpus';

const root = path.join(__dirname, '..', '..');
const cli = path.join(root, 'server', 'out', 'cli.js');
const serverScript = path.join(root, 'server', 'out', 'server.js');

function writeCorpus(files: number, seed: number): string {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), `keyshare-bench-${files}-`));
  for (const file of workspace(seed, files)) {
    const full = path.join(dir, file.path);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, file.text);
  }
  return dir;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** keyshare check as a process, including its start-up: files per second and peak memory. */
function benchCli() {
  const files = 2000;
  const dir = writeCorpus(files, 7);
  const script = `const { main } = require(${JSON.stringify(cli)}); const code = main(['check', ${JSON.stringify(dir)}, '--format', 'json']); process.stderr.write(' RSS ' + process.resourceUsage().maxRSS + ' '); process.exitCode = typeof code === 'number' ? code : 0;`;
  const rates: number[] = [];
  let rss = 0;
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (!/ RSS \d+ /.test(result.stderr)) throw new Error(`keyshare check failed: ${result.stderr}`);
    rates.push(files / seconds);
    rss = Math.max(rss, Number(/RSS (\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  record('cli.files_per_s', median(rates), `keyshare check over ${files} generated policies, process start included, median of 3`, 'files/s');
  record('cli.rss.mb', rss, `peak memory of that run`, 'MB');
}

/** Edit-to-diagnostics on a running server, debounce set to 0 (the editor default is 150 ms). */
async function benchLsp() {
  const client = new LspClient(serverScript);
  await client.initialize(undefined, { debounceMs: 0 });
  const uri = 'file:///bench/key.key-policy.json';
  const text = keyPolicyOfSize(3, 2 * 1024);
  await client.open(uri, text);
  const variants = [text, text.replace('"Allow use of the key"', '"Allow use of the key by partners"')];
  const samples: number[] = [];
  for (let version = 2; version < 302; version++) {
    const start = process.hrtime.bigint();
    await client.change(uri, version, variants[version % 2]);
    if (version > 22) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  await client.stop();
  record('lsp.edit.p50.ms', percentile(samples, 50), 'didChange to publishDiagnostics, 2 KB key policy, stdio, debounce 0 (editor default 150 ms)');
  record('lsp.edit.p95.ms', percentile(samples, 95), 'same, 95th percentile of 280 edits');
}

const metrics: Record<string, number> = {};
const rows: [string, string, string][] = [];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function record(name: string, value: number, description: string, unit = 'ms') {
  metrics[name] = Math.round(value * 1000) / 1000;
  rows.push([name, `${metrics[name]} ${unit}`, description]);
}

function benchEngine() {
  const catalog = sharedCatalog();
  const sizes: [string, number, number][] = [['small', 2 * 1024, 400], ['medium', 50 * 1024, 60], ['large', 1024 * 1024, 7]];
  for (const [name, bytes, runs] of sizes) {
    const text = keyPolicyOfSize(42, bytes);
    for (let i = 0; i < 3; i++) checkText(text, catalog); // warm the catalog and the JIT
    const samples = Array.from({ length: runs }, () => timeMs(() => checkText(text, catalog)));
    record(`engine.${name}.ms`, median(samples), `engine, ${(text.length / 1024).toFixed(0)} KB key policy, median of ${runs}`);
  }
}

async function main() {
  const json = process.argv.includes('--json');
  benchEngine();
  benchCli();
  await benchLsp();
  rows.push(['index.*, server.rss.10k.mb', 'not yet', 'the cross-file workspace index is not built yet']);
  const header = `Keyshare bench: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
  const width = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.max(...rows.map((r) => r[1].length));
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const [name, value, description] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(valueWidth)}  ${description}`);
  if (json) console.log(JSON.stringify(metrics));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
