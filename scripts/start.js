#!/usr/bin/env node
// `npm start`: the extension live on a scratch copy of the examples workspace. Desktop VS Code
// when `code` is on PATH; otherwise VS Code in the browser (code-server on 127.0.0.1).
// The copy lives in a temporary folder and is removed on exit, so trying a quick fix (the
// browser autosaves) never rewrites the repository's examples.
const { spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const cache = process.env.KEYSHARE_CACHE || path.join(root, '.cache');
const DEFAULT_PORT = 8080;

function fail(message, code = 1) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(code);
}

/** Whether nothing listens on the port (on loopback, where code-server binds). */
function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function anyFreePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** PORT when given (and free); else 8080, or any free port when 8080 is taken. */
async function choosePort() {
  const asked = process.env.PORT;
  if (asked !== undefined) {
    const port = Number(asked);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`PORT=${asked} is not a port number.`, 2);
    if (!(await portIsFree(port))) fail(`port ${port} is already in use by another program. Stop it, or choose another port: PORT=${port + 1} npm start`, 2);
    return port;
  }
  if (await portIsFree(DEFAULT_PORT)) return DEFAULT_PORT;
  const port = await anyFreePort();
  console.log(`Port ${DEFAULT_PORT} is in use by another program; using port ${port} instead.`);
  return port;
}

/** Runs a step quietly: one progress line, its output in a log file that is named on failure. */
function step(title, command, args, logName) {
  process.stdout.write(`${title} …`);
  fs.mkdirSync(cache, { recursive: true });
  const log = path.join(cache, logName);
  const out = fs.openSync(log, 'w');
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'pipe', out], encoding: 'utf8' });
  fs.closeSync(out);
  if (result.status !== 0) {
    process.stdout.write(' failed\n');
    fail(`${title} failed; the log is ${path.relative(process.cwd(), log) || log}`);
  }
  process.stdout.write(' done\n');
  return result.stdout;
}

/** What building code-server's native modules needs, and what it uses at run time. */
const PREREQUISITES = [
  { command: 'rg', apt: 'ripgrep', why: 'search in the editor' },
  { command: 'make', apt: 'make', why: 'native modules' },
  { command: 'g++', apt: 'g++', why: 'native modules' },
  { command: 'python3', apt: 'python3', why: 'native modules (node-gyp)' },
  { header: '/usr/include/gssapi/gssapi.h', apt: 'libkrb5-dev', why: 'the kerberos module' },
];

function missingPrerequisites() {
  const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
  return PREREQUISITES.filter((p) => (p.command ? !has(p.command) : !fs.existsSync(p.header)));
}

function ensurePrerequisites() {
  const missing = missingPrerequisites();
  if (missing.length === 0) return;
  const packages = missing.map((p) => p.apt).join(' ');
  const canInstall = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!canInstall) {
    fail(`VS Code in the browser needs ${missing.map((p) => `${p.apt} (${p.why})`).join(', ')}. Install them first, for example: sudo apt-get install -y ${packages}`);
  }
  step(`Installing ${packages} with apt-get`, 'sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages}`], 'apt-get.log');
}

/** A fresh copy of examples/ in a temporary folder, removed on exit. */
function scratchWorkspace() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-examples-'));
  fs.cpSync(path.join(root, 'examples'), folder, { recursive: true });
  return folder;
}

async function main() {
  const browser = process.argv.includes('--browser') || spawnSync('code', ['--version'], { stdio: 'ignore' }).status !== 0;
  const port = browser ? await choosePort() : undefined;
  if (browser) ensurePrerequisites();
  step('Building the extension', process.execPath, [path.join(root, 'scripts', 'build.js')], 'build.log');
  step('Compiling', process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], 'compile.log');
  const workspace = scratchWorkspace();
  let cleaned = false;
  const cleanUp = () => {
    if (cleaned) return;
    cleaned = true;
    fs.rmSync(workspace, { recursive: true, force: true });
  };
  process.on('exit', cleanUp);

  if (!browser) {
    console.log(`Opening a copy of the examples workspace (${workspace}) in VS Code with Keyshare loaded from this folder.`);
    // `--wait` keeps this process (and so the copy) until the window closes.
    spawnSync('code', ['--new-window', '--wait', `--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit' });
    return;
  }

  const { installCodeServer, startCodeServer } = require(path.join(root, 'out', 'test', 'editor', 'codeServer.js'));
  const installed = fs.readdirSync(cache, { withFileTypes: true }).some((e) => e.isDirectory() && e.name.startsWith('code-server-') && fs.existsSync(path.join(cache, e.name, '.complete')));
  process.stdout.write(installed ? 'VS Code for the browser is installed.\n' : `Installing VS Code for the browser (code-server, first run only, a few minutes; log: ${path.relative(process.cwd(), path.join(cache, 'code-server-install.log'))}) …\n`);
  const installDir = installCodeServer({ log: path.join(cache, 'code-server-install.log') });
  const messages = [];
  const log = (line) => {
    messages.push(line);
    if (messages.length > 20) messages.shift();
  };
  const server = await startCodeServer(installDir, { port, folder: workspace, extension: root, log });
  console.log(`\nKeyshare is live on a copy of the examples workspace:\n\n  ${server.url}/\n\nOpen it in a browser on this machine. Edits stay in the copy, which is removed on exit. Ctrl+C stops the server.`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    cleanUp();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.process.on('exit', (code, signal) => {
    if (stopping) return;
    cleanUp();
    process.stderr.write(messages.map((line) => `  ${line}\n`).join(''));
    fail(`code-server stopped unexpectedly (${signal ?? `exit code ${code}`}); its last messages are above.`);
  });
}

main().catch((error) => fail(error.message));
