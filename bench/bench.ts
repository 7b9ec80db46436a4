/**
 * `npm run bench`: speed and memory on a deterministic corpus. Prints a table; with --json also
 * one flat JSON object of metric name to number on the last line (names fixed by DESIGN.md).
 */
import * as os from 'os';
import { sharedCatalog } from '../server/src/catalog/iamData';
import { checkText } from '../server/src/engine';
import { keyPolicyOfSize } from './corpus';

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
