#!/usr/bin/env node
// `npm start`: the extension live on the examples workspace. Desktop VS Code when `code` is on
// PATH; otherwise VS Code in the browser (code-server on 127.0.0.1), with the URL printed.
const { spawn, spawnSync } = require('child_process');
const path = require('path');

const root = path.join(__dirname, '..');
const examples = path.join(root, 'examples');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(process.execPath, [path.join(root, 'scripts', 'build.js')]);
run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root]);

const hasCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode && !process.argv.includes('--browser')) {
  console.log('Opening the examples workspace in VS Code with Keyshare loaded from this folder.');
  run('code', ['--new-window', `--extensionDevelopmentPath=${root}`, examples]);
  process.exit(0);
}

const { installCodeServer, startCodeServer, workbenchUrl } = require(path.join(root, 'out', 'test', 'editor', 'codeServer.js'));
(async () => {
  console.log('No `code` on PATH: starting VS Code in the browser (code-server) on 127.0.0.1 …');
  const installDir = installCodeServer();
  const port = Number(process.env.PORT) || 8080;
  const server = await startCodeServer(installDir, { port });
  const url = workbenchUrl(server, examples);
  console.log(`\nKeyshare is live on the examples workspace:\n\n  ${url}\n\nOpen it in a browser on this machine. Ctrl+C stops the server.`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.process.on('exit', (code) => {
    console.error(`code-server exited (${code}).`);
    process.exit(1);
  });
})().catch((error) => {
  console.error(`npm start: ${error.message}`);
  process.exit(1);
});
