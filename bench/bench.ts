/**
 * `npm run bench`: speed and memory on a deterministic corpus. Prints a table; with --json also
 * one flat JSON object of metric name to number on the last line (names fixed by DESIGN.md).
 */
import * as os from 'os';
import { parseTree, type Node } from 'jsonc-parser';
import { sharedCatalog } from '../server/src/catalog/iamData';
import { checkDocument, checkText, readDocument } from '../server/src/hosts';
import { parseYaml } from '../server/src/hosts/cloudformation/yamlTree';
import { loadGrammars, loadTerraformGrammar } from '../server/src/project/grammars';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LspClient } from '../test/unit/lspClient';
import { Project } from '../server/src/project';
import { DEFAULT_SETTINGS } from '../server/src/project/settings';
import { explainAccess } from '../server/src/project/explain';
import { hostFile, type HostFormat } from './hosts';
import { accountId, cloudFormationTemplate, keyPolicy, keyPolicyOfSize, random, terraformModuleOfSize, workspace } from './corpus';

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
  const script = `const { main } = require(${JSON.stringify(cli)}); main(['check', ${JSON.stringify(dir)}, '--format', 'json']).then((code) => { process.stderr.write(' RSS ' + process.resourceUsage().maxRSS + ' '); process.exitCode = typeof code === 'number' ? code : 0; });`;
  const rates: number[] = [];
  let rss = 0;
  const runs = 5;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (!/ RSS \d+ /.test(result.stderr)) throw new Error(`keyshare check failed: ${result.stderr}`);
    rates.push(files / seconds);
    rss = Math.max(rss, Number(/RSS (\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  record('cli.files_per_s', median(rates), `keyshare check over ${files} generated policies, process start included, median of ${runs}`, 'files/s');
  record('cli.rss.mb', rss, `peak memory of that run`, 'MB');
}

/** keyshare check over small files of every common format: JSON policies, CloudFormation YAML and Terraform, a third each. */
function benchCliMixed() {
  const files = 600;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-bench-mixed-'));
  const next = random(21);
  for (let i = 0; i < files; i++) {
    const folder = path.join(dir, `team-${i % 20}`);
    fs.mkdirSync(folder, { recursive: true });
    if (i % 3 === 0) fs.writeFileSync(path.join(folder, `key-${i}.key-policy.json`), keyPolicy(next, accountId(i % 11), [accountId((i + 1) % 11)]));
    else if (i % 3 === 1) fs.writeFileSync(path.join(folder, `stack-${i}.yaml`), cloudFormationTemplate(i, 3 * 1024, 3));
    else fs.writeFileSync(path.join(folder, `main-${i}.tf`), terraformModuleOfSize(i, 3 * 1024));
  }
  const script = `const { main } = require(${JSON.stringify(cli)}); main(['check', ${JSON.stringify(dir)}, '--format', 'json']).then((code) => { process.stderr.write(' DONE '); process.exitCode = typeof code === 'number' ? code : 0; });`;
  const rates: number[] = [];
  const runs = 5;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (!result.stderr.includes(' DONE ')) throw new Error(`keyshare check failed: ${result.stderr}`);
    rates.push(files / seconds);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  record('cli.mixed.files_per_s', median(rates), `keyshare check over ${files} small files, a third each JSON policies, CloudFormation YAML and Terraform (3 KB), process start included, median of ${runs}`, 'files/s');
}

/**
 * How check time grows with the size of one file: the same generator at 1x, 4x and 16x, the
 * growth exponent fitted by least squares on log time against log size (1.0 is linear).
 */
async function benchScale() {
  const catalog = sharedCatalog();
  const grammars = await loadGrammars();
  const formats: [string, string, (bytes: number) => string][] = [
    ['cfn', 'stack.yaml', (bytes) => cloudFormationTemplate(42, bytes, Math.round(bytes / 5120))],
    ['tf', 'main.tf', (bytes) => terraformModuleOfSize(42, bytes)],
    ['json', 'key.key-policy.json', (bytes) => keyPolicyOfSize(42, bytes)],
  ];
  const base = 64 * 1024;
  for (const [name, fileName, generate] of formats) {
    const points: [number, number][] = [];
    for (const [factor, runs] of [[1, 15], [4, 7], [16, 3]] as const) {
      const text = generate(base * factor);
      const check = () => checkDocument(text, catalog, { fileName, grammars });
      check();
      const samples = Array.from({ length: runs }, () => timeMs(check));
      points.push([Math.log(text.length), Math.log(median(samples))]);
    }
    const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
    const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
    const slope = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0) / points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
    const largest = Math.exp(points[2][1]);
    record(`scale.${name}.exponent`, slope, `growth of check time with file size, ${fileName} generated at 64 KB, 256 KB and 1 MB (1.0 is linear; the 1 MB check took ${largest.toFixed(0)} ms)`, '');
  }
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Cold index of a workspace by a fresh server, as the server times it (walk, read, parse, link). */
async function coldIndex(dir: string): Promise<{ ms: number; startMs: number; client: LspClient }> {
  const client = new LspClient(serverScript);
  const start = process.hrtime.bigint();
  await client.initialize(dir, { debounceMs: 0 });
  const startMs = Number(process.hrtime.bigint() - start) / 1e6;
  await client.waitForLog(/Keyshare indexed \d+ JSON files/, 120000);
  const line = client.logs.find((l) => /Keyshare indexed/.test(l)) ?? '';
  return { ms: Number(/in (\d+) ms/.exec(line)?.[1] ?? NaN), startMs, client };
}

async function benchIndex() {
  const small = writeCorpus(1000, 11);
  const smallRuns: number[] = [];
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { ms, startMs, client } = await coldIndex(small);
    smallRuns.push(ms);
    starts.push(startMs);
    await client.stop();
  }
  record('server.start.ms', median(starts), 'spawn to initialize answered (process start, bundle load), median of 3');
  record('index.cold.1k.ms', median(smallRuns), 'workspace index built by a fresh server, 1,000 files, median of 3');
  fs.rmSync(small, { recursive: true, force: true });

  const large = writeCorpus(10000, 13);
  const largeRuns: number[] = [];
  const peaks: number[] = [];
  const incremental: number[] = [];
  // One key policy edited in the editor: its own check plus its dependents' cross-file findings.
  const config = JSON.parse(fs.readFileSync(path.join(large, 'keyshare.json'), 'utf8')) as { keys: { policy: string }[] };
  const edited = path.join(large, config.keys[Math.floor(config.keys.length / 2)].policy);
  const text = fs.readFileSync(edited, 'utf8');
  const variants = [text, text.replace('"Allow use of the key"', '"Allow use of the key (edited)"')];
  for (let i = 0; i < 3; i++) {
    const { ms, client } = await coldIndex(large);
    largeRuns.push(ms);
    await client.open(`file://${edited}`, text, 'json');
    for (let version = 2; version < 42; version++) {
      const start = process.hrtime.bigint();
      await client.change(`file://${edited}`, version, variants[version % 2]);
      if (version > 6) incremental.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    // Peak memory moves with when the collector runs, so it is a median too.
    peaks.push(peakRssMb(client.process.pid!));
    await client.stop();
  }
  record('index.cold.10k.ms', median(largeRuns), 'workspace index built by a fresh server, 10,000 files, median of 3');
  record('index.incremental.ms', median(incremental), 'edit one key policy in the 10,000-file workspace to its diagnostics (with cross-file), median of 3 x 35 edits');
  record('server.rss.10k.mb', median(peaks), 'language server peak memory (VmHWM) with 10,000 files indexed and 40 edits, median of 3', 'MB');
  fs.rmSync(large, { recursive: true, force: true });
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

/**
 * Edit-to-diagnostics in a large document on a running server, debounce 0: `from` in the middle
 * of the text, changed to `to` and back, 95th percentile of 110 edits (after 10 to warm up).
 */
async function lspEditP95(uri: string, languageId: string, text: string, from: string, to: string): Promise<{ p95: number; edits: number }> {
  const client = new LspClient(serverScript);
  await client.initialize(undefined, { debounceMs: 0 });
  await client.open(uri, text, languageId);
  const at = text.indexOf(from, Math.floor(text.length / 2));
  const variants = [text, text.slice(0, at) + to + text.slice(at + from.length)];
  const samples: number[] = [];
  for (let version = 2; version < 122; version++) {
    const start = process.hrtime.bigint();
    await client.change(uri, version, variants[version % 2]);
    if (version > 11) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  await client.stop();
  return { p95: percentile(samples, 95), edits: samples.length };
}

/** Edit-to-diagnostics inside the generated 200 KB CloudFormation template (40 policies): a Sid edited. */
async function benchLspCloudFormation() {
  const text = cloudFormationTemplate(42);
  const { p95, edits } = await lspEditP95('file:///bench/stack.yaml', 'yaml', text, 'Sid: Allow use of the key', 'Sid: Allow use of the key by partners');
  record('lsp.edit.cfn.p95.ms', p95, `didChange to publishDiagnostics inside a ${(text.length / 1024).toFixed(0)} KB CloudFormation template (40 policies), 95th percentile of ${edits} edits`);
}

/** Edit-to-diagnostics inside the generated 200 KB Terraform module: a sid edited. */
async function benchLspTerraform() {
  const text = terraformModuleOfSize(42, 200 * 1024);
  const { p95, edits } = await lspEditP95('file:///bench/main.tf', 'terraform', text, 'sid       = "AllowUse"', 'sid       = "AllowUseByPartners"');
  record('lsp.edit.tf.p95.ms', p95, `didChange to publishDiagnostics inside a ${(text.length / 1024).toFixed(0)} KB Terraform module, 95th percentile of ${edits} edits`);
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
    // Warm the catalog and the JIT with as many runs as are measured: three left the optimizing compiler mid-way.
    for (let i = 0; i < runs; i++) checkText(text, catalog);
    const samples = Array.from({ length: runs }, () => timeMs(() => checkText(text, catalog)));
    record(`engine.${name}.ms`, median(samples), `engine, ${(text.length / 1024).toFixed(0)} KB key policy, median of ${runs}`);
  }
}

/** A 200 KB CloudFormation template with 40 policies: the whole check, and the YAML library's parse alone (the floor). */
function benchCloudFormation() {
  const catalog = sharedCatalog();
  const text = cloudFormationTemplate(42);
  const check = () => checkDocument(text, catalog, { fileName: 'stack.yaml' });
  const policies = check().models.length;
  if (policies !== 40) throw new Error(`the generated template holds ${policies} policies, not 40`);
  for (let i = 0; i < 5; i++) check(), parseYaml(text);
  const runs = 30;
  const parse: number[] = [];
  const engine: number[] = [];
  for (let i = 0; i < runs; i++) {
    parse.push(timeMs(() => parseYaml(text)));
    engine.push(timeMs(check));
  }
  const kb = (text.length / 1024).toFixed(0);
  record('engine.cfn.ms', median(engine), `read and check a ${kb} KB CloudFormation YAML template holding ${policies} policies, median of ${runs}`);
  record('parse.cfn.ms', median(parse), `the yaml package's parse of the same text alone (the floor), median of ${runs}`);
}

/** One explain query in the 10,000-file workspace, its index built (warm): the key, its policy and the account's identity policies found and read. */
async function benchExplain() {
  const large = writeCorpus(10000, 13);
  const project = new Project();
  await project.build([large], DEFAULT_SETTINGS, () => false);
  const config = JSON.parse(fs.readFileSync(path.join(large, 'keyshare.json'), 'utf8')) as { keys: { arn: string; policy: string }[] };
  const key = config.keys[Math.floor(config.keys.length / 2)];
  const principal = /arn:aws:iam::\d{12}:role\/app-[\w-]+/.exec(fs.readFileSync(path.join(large, key.policy), 'utf8'))?.[0] ?? 'arn:aws:iam::111122223333:role/app';
  const anchor = path.join(large, 'keyshare.json');
  const query = () => explainAccess(project, anchor, { principal, action: 'kms:Decrypt', key: key.arn });
  for (let i = 0; i < 5; i++) query();
  const runs = 30;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(timeMs(query));
  record('explain.ms', median(samples), `one explain query (${query().verdict}) in the 10,000-file workspace, index built, median of ${runs}`);
  fs.rmSync(large, { recursive: true, force: true });
}

/** `--only engine,cfn` runs only those parts (engine, hosts, cfn, tf, cli, cli-mixed, lsp, lsp-cfn, lsp-tf, scale, index, explain). */
function wanted(part: string): boolean {
  const only = process.argv.find((a) => a.startsWith('--only'));
  if (!only) return true;
  const list = only.includes('=') ? only.slice(only.indexOf('=') + 1) : process.argv[process.argv.indexOf(only) + 1] ?? '';
  return list.split(',').includes(part);
}

/** A 200 KB Terraform module: the whole check, and tree-sitter's parse of the same text alone (the floor). */
async function benchTerraform() {
  const catalog = sharedCatalog();
  const parser = await loadTerraformGrammar();
  const text = terraformModuleOfSize(42, 200 * 1024);
  const runs = 15;
  const parse = () => parser.parse(text)!.delete();
  const check = () => checkDocument(text, catalog, { fileName: 'main.tf', grammars: { terraform: parser } });
  for (let i = 0; i < 3; i++) {
    parse();
    check();
  }
  const policies = check().models.length;
  const parseSamples: number[] = [];
  const engineSamples: number[] = [];
  // Interleaved, so both see the same machine load.
  for (let i = 0; i < runs; i++) {
    parseSamples.push(timeMs(parse));
    engineSamples.push(timeMs(check));
  }
  const kb = (text.length / 1024).toFixed(0);
  record('engine.tf.ms', median(engineSamples), `engine, ${kb} KB Terraform module holding ${policies} policies, median of ${runs}`);
  record('parse.tf.ms', median(parseSamples), `tree-sitter parse of the same text alone, median of ${runs}`);
}

/** The policy strings of each JSON text, found once: the floor times their parse, not the search. */
const policyStrings = new Map<string, string[]>();

function parseWithPolicyStrings(text: string): void {
  let strings = policyStrings.get(text);
  if (!strings) {
    strings = [];
    const visit = (node: Node | undefined): void => {
      if (!node) return;
      if (node.type === 'string' && typeof node.value === 'string' && node.value.includes('"Statement"')) strings!.push(node.value);
      for (const child of node.children ?? []) visit(child);
    };
    visit(parseTree(text));
    policyStrings.set(text, strings);
  }
  parseTree(text);
  for (const policy of strings) parseTree(policy);
}

/**
 * The hosts added after CloudFormation and Terraform HCL: a host's read of a generated file with
 * 100 key policies (its parse, the policies found, their trees) against its parser's own parse of
 * the same text (jsonc-parser's tree; the yaml package's), interleaved. The ratio is the one to hold at 2 or less.
 */
function benchHosts() {
  const floors: Record<HostFormat, (text: string) => unknown> = {
    // JSON with positions, as a host needs it: jsonc-parser's tree (the JSON host's tolerant parser), of the
    // file and of each policy the file holds as a JSON string (a second JSON text any reader must parse).
    tfplan: (text) => parseWithPolicyStrings(text),
    tfjson: (text) => parseWithPolicyStrings(text),
    serverless: (text) => parseYaml(text),
    pulumi: (text) => parseYaml(text),
    ansible: (text) => parseYaml(text),
  };
  for (const format of Object.keys(floors) as HostFormat[]) {
    const { text, fileName } = hostFile(format, 42, 100);
    const read = () => readDocument(text, { fileName });
    const found = read().policies.length;
    if (found !== 100) throw new Error(`the generated ${fileName} holds ${found} policies, not 100`);
    const runs = 60;
    for (let i = 0; i < 10; i++) read(), floors[format](text);
    const reads: number[] = [];
    const parses: number[] = [];
    for (let i = 0; i < runs; i++) {
      parses.push(timeMs(() => floors[format](text)));
      reads.push(timeMs(read));
    }
    const kb = (text.length / 1024).toFixed(0);
    const parser = format === 'tfplan' || format === 'tfjson' ? "jsonc-parser's parseTree of the same text and of each policy string in it" : "the yaml package's parse of the same text";
    record(`read.${format}.ms`, median(reads), `the ${format} host's read of a ${kb} KB ${fileName} holding 100 key policies, median of ${runs}`);
    record(`read.${format}.ratio`, median(reads) / median(parses), `that read against ${parser} (${median(parses).toFixed(2)} ms), interleaved: at most 2`, 'x');
  }
}

async function main() {
  const json = process.argv.includes('--json');
  if (wanted('engine')) benchEngine();
  if (wanted('hosts')) benchHosts();
  if (wanted('cfn')) benchCloudFormation();
  if (wanted('tf')) await benchTerraform();
  if (wanted('cli')) benchCli();
  if (wanted('lsp')) await benchLsp();
  if (wanted('lsp') || wanted('lsp-cfn')) await benchLspCloudFormation();
  if (wanted('lsp') || wanted('lsp-tf')) await benchLspTerraform();
  if (wanted('cli') || wanted('cli-mixed')) benchCliMixed();
  if (wanted('scale')) await benchScale();
  if (wanted('index')) await benchIndex();
  if (wanted('explain')) await benchExplain();
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
