/**
 * `npm run test:editor`: runs the editor suite (test/editor/suite, @vscode/test-electron format)
 * in a real VS Code. Uses @vscode/test-electron when VS Code can be downloaded, else code-server
 * with headless Chromium (offline), then the UI checks that only a real window can show.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath, installCodeServer, repoRoot, startCodeServer, workbenchUrl } from './codeServer';
import { runUiChecks } from './ui';

const suitePath = path.join(repoRoot, 'out', 'test', 'editor', 'suite');
const resultsPath = path.join(repoRoot, 'out', 'test', 'editor', 'results.json');
/**
 * The suite edits files (and a failing UI step may type anywhere), so it works on a copy of the
 * examples workspace, with the seed and template fixtures beside it, never on the repository's own files.
 */
function scratchWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'keyshare-editor-'));
  fs.cpSync(path.join(repoRoot, 'examples'), path.join(dir, 'examples'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'seeds'), path.join(dir, 'seeds'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'test', 'editor', 'fixtures', 'templates'), path.join(dir, 'templates'), { recursive: true });
  return path.join(dir, 'examples');
}
const examples = scratchWorkspace();
process.on('exit', () => fs.rmSync(path.dirname(examples), { recursive: true, force: true }));

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runWithElectron(): Promise<number> {
  const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');
  const executable = await withTimeout(downloadAndUnzipVSCode('1.100.3'), 60000, 'downloading VS Code');
  return runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suitePath,
    launchArgs: [examples, '--disable-extensions', '--disable-workspace-trust'],
  });
}

async function runWithCodeServer(): Promise<number> {
  const browserPath = chromiumPath();
  if (!browserPath) throw new Error('Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  const installDir = installCodeServer();
  const serverLog: string[] = [];
  const server = await startCodeServer(installDir, { log: (line) => serverLog.push(line) });
  const browser = await chromium.launch({ executablePath: browserPath, args: CHROMIUM_ARGS, headless: true });
  try {
    fs.rmSync(resultsPath, { force: true });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const parts = Array.isArray(args) ? args.map(String) : [String(args)];
      // Mocha logs printf-style: substitute %s and %d with the arguments that follow.
      let line = parts[0] ?? '';
      let next = 1;
      line = line.replace(/%[sdo]/g, () => parts[next++] ?? '');
      line = [line, ...parts.slice(next)].join(' ');
      if (/^\s*(✔|✓|\d+\) |editor: |Keyshare in VS Code)|AssertionError/.test(line)) console.log(`  ${line.replace(/\s+$/, '')}`);
    });
    await page.goto(workbenchUrl(server, examples, suitePath));
    const code = await withTimeout(exitCode, 10 * 60 * 1000, 'the editor suite');
    await page.close();
    const results = fs.existsSync(resultsPath) ? (JSON.parse(fs.readFileSync(resultsPath, 'utf8')) as { passed: number; failed: number; failures: string[] }) : undefined;
    if (!results) {
      console.error('editor suite: no results were written; code-server log:\n' + serverLog.slice(-40).join('\n'));
      return code || 1;
    }
    for (const failure of results.failures) console.error(`  FAILED ${failure}`);
    console.log(`editor suite (extension host API): ${results.passed} passed, ${results.failed} failed`);
    let uiFailed = 0;
    if (!process.argv.includes('--no-ui')) {
      const ui = await runUiChecks(browser, server, examples, process.argv.includes('--update-images'));
      uiFailed = ui.failed;
      console.log(`editor UI checks (Playwright): ${ui.passed} passed, ${ui.failed} failed`);
    }
    return code !== 0 || results.failed > 0 || uiFailed > 0 ? 1 : 0;
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  for (const file of ['server/out/server.js', 'client/out/extension.js', 'out/test/editor/suite/index.js']) {
    if (!fs.existsSync(path.join(repoRoot, file))) throw new Error(`${file} is missing: run npm run build && npm run compile`);
  }
  const choice = process.env.KEYSHARE_EDITOR_RUNNER;
  let code: number;
  if (choice === 'code-server') {
    console.log('editor tests: running in code-server (VS Code workbench + extension host) with headless Chromium');
    code = await runWithCodeServer();
  } else {
    try {
      console.log('editor tests: trying @vscode/test-electron (downloads VS Code)');
      code = await runWithElectron();
      console.log('editor tests: ran with @vscode/test-electron');
    } catch (error) {
      if (choice === 'electron') throw error;
      console.log(`editor tests: @vscode/test-electron is not usable here (${(error as Error).message.split('\n')[0]}); running in code-server with headless Chromium instead`);
      code = await runWithCodeServer();
    }
  }
  process.exitCode = code;
}

main().catch((error) => {
  console.error(`editor tests: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
});
