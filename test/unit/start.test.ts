// `npm start` says what is wrong with the port before it builds or installs anything.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as net from 'net';
import * as path from 'path';
import { repoRoot } from './helpers';

function runStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'start.js'), '--browser'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('npm start with PORT taken by another program says so and exits 2, before building anything', async () => {
  const busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as net.AddressInfo).port;
  try {
    const { code, stdout, stderr } = await runStart({ PORT: String(port) });
    assert.equal(code, 2);
    assert.equal(stderr, `npm start: port ${port} is already in use by another program. Stop it, or choose another port: PORT=${port + 1} npm start\n`);
    assert.doesNotMatch(stdout, /Building|live/);
  } finally {
    busy.close();
  }
});

test('npm start with a PORT that is no port number is a usage error', async () => {
  const { code, stderr } = await runStart({ PORT: 'eighty' });
  assert.equal(code, 2);
  assert.match(stderr, /^npm start: PORT=eighty is not a port number\.\n$/);
});
