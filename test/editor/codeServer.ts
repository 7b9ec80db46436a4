/**
 * Runs VS Code's workbench and extension host from code-server on loopback, and drives it with
 * Debian's Chromium through playwright-core: for the editor tests, screenshots and `npm start`.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const repoRoot = path.join(__dirname, '..', '..', '..');

/** Installs code-server into the cache once; its progress goes to `log` (a file) when given, else to stderr. */
export function installCodeServer(options: { log?: string } = {}): string {
  const logFd = options.log ? fs.openSync(options.log, 'a') : 'inherit';
  try {
    const result = spawnSync('bash', [path.join(repoRoot, 'scripts', 'editor', 'install-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', logFd] });
    if (result.status !== 0) throw new Error(`installing code-server failed (${options.log ? `see ${options.log}` : 'see above'})`);
    return result.stdout.trim().split('\n').pop()!;
  } finally {
    if (typeof logFd === 'number') fs.closeSync(logFd);
  }
}

export function chromiumPath(): string | undefined {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const request = http.get(url, (response) => {
        response.resume();
        resolve();
      });
      request.on('error', () => {
        if (Date.now() > deadline) reject(new Error(`code-server did not answer at ${url} within ${timeoutMs / 1000} s`));
        else setTimeout(attempt, 250);
      });
    };
    attempt();
  });
}

export interface CodeServer {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  port?: number;
  log?: (line: string) => void;
  /** The folder the bare URL opens. */
  folder?: string;
  /** An extension folder to install (linked), so that the bare URL has it loaded too. */
  extension?: string;
}

export async function startCodeServer(installDir: string, options: CodeServerOptions = {}): Promise<CodeServer> {
  const port = options.port ?? (await freePort());
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-code-server-'));
  fs.mkdirSync(path.join(scratch, 'user', 'User'), { recursive: true });
  if (options.extension) {
    const manifest = JSON.parse(fs.readFileSync(path.join(options.extension, 'package.json'), 'utf8'));
    fs.mkdirSync(path.join(scratch, 'extensions'), { recursive: true });
    fs.symlinkSync(options.extension, path.join(scratch, 'extensions', `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');
  }
  // Quiet workbench: no welcome page, no trust prompt, no telemetry.
  fs.writeFileSync(path.join(scratch, 'user', 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'workbench.tips.enabled': false,
    'workbench.colorTheme': 'Default Dark Modern',
  }));
  const child = spawn(process.execPath, [
    path.join(installDir, 'out', 'node', 'entry.js'),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', path.join(scratch, 'user'),
    '--extensions-dir', path.join(scratch, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(options.folder ? [options.folder] : []),
  ], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = options.log ?? (() => undefined);
  child.stdout!.on('data', (d) => String(d).split('\n').filter(Boolean).forEach(log));
  child.stderr!.on('data', (d) => String(d).split('\n').filter(Boolean).forEach(log));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // gone
          }
          resolve();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/healthz`, 60000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, process: child, stop };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** The workbench URL that opens `folder`, with the extension loaded from this repository. */
export function workbenchUrl(server: CodeServer, folder: string, extensionTestsPath?: string): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(repoRoot)]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
