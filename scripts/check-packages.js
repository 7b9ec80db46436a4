#!/usr/bin/env node
// The install routes the README gives, run as a user would (CI runs this after the tests):
// 1. `npm pack`, then `npm install --global` of the tarball into a scratch prefix, then the
//    installed `keyshare` on the examples (exit 1: they hold errors on purpose);
// 2. `npm run package`: the .vsix is at most 5 MB and holds no tests, sources, source maps or
//    AGPL code (the IAM simulator is a test oracle only);
// 3. the .vsix installed into code-server (a real VS Code, as the editor tests run it);
// 4. the pre-commit hook by repo and rev (the npm install pre-commit runs, and pre-commit itself
//    where it is installed), and the local hook of the README;
// 5. a release made by scripts/release.js in a scratch clone.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const version = require(path.join(root, 'package.json')).version;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let failed = false;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  return result;
}

function expect(ok, what, detail = '') {
  console.log(`${ok ? 'ok    ' : 'FAILED'} ${what}${ok || !detail ? '' : `\n${detail}`}`);
  if (!ok) failed = true;
}

// 1. The npm tarball.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-install-'));
const pack = run(npm, ['pack', '--pack-destination', scratch]);
const tarball = path.join(scratch, `keyshare-${version}.tgz`);
expect(pack.status === 0 && fs.existsSync(tarball), `npm pack writes keyshare-${version}.tgz`, pack.stderr);
const prefix = path.join(scratch, 'prefix');
const install = run(npm, ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', tarball]);
expect(install.status === 0, 'npm install --global of the tarball', install.stderr);
const bin = path.join(prefix, process.platform === 'win32' ? 'keyshare.cmd' : path.join('bin', 'keyshare'));
const reported = run(bin, ['--version']);
expect(reported.stdout.trim() === version, `the installed keyshare --version prints ${version}`, reported.stdout + reported.stderr);
const checked = run(bin, ['check', '.'], { cwd: path.join(root, 'examples'), env: { ...process.env, NO_COLOR: '1' } });
expect(checked.status === 1 && /\d+ errors, \d+ warnings, .* in \d+ policies checked/.test(checked.stderr), 'the installed keyshare check on examples/ reports their errors (exit 1)', `exit ${checked.status}\n${checked.stderr}`);
fs.rmSync(scratch, { recursive: true, force: true });

// 2. The .vsix.
const packaged = run(npm, ['run', '-s', 'package']);
const vsix = path.join(root, 'keyshare.vsix');
expect(packaged.status === 0 && fs.existsSync(vsix), 'npm run package writes keyshare.vsix', packaged.stdout + packaged.stderr);
if (fs.existsSync(vsix)) {
  const mb = fs.statSync(vsix).size / 1024 / 1024;
  expect(mb <= 5, `the .vsix is ${mb.toFixed(2)} MB (at most 5 MB)`);
  const listed = run(npm, ['exec', '--', 'vsce', 'ls', '--no-dependencies']);
  const files = listed.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  expect(listed.status === 0 && files.includes('package.json'), `vsce ls lists the packaged files (${files.length})`, listed.stderr);
  const unwanted = files.filter((f) => /(^|\/)test\/|\.map$|(^|\/)(src|bench)\/.*\.ts$|iam-simulate|\.cpuprofile$/.test(f));
  expect(unwanted.length === 0, 'no tests, TypeScript sources, source maps or AGPL code in the .vsix', unwanted.slice(0, 10).join('\n'));
}

// 3. The .vsix installed into a real VS Code (code-server, which the editor tests run): it installs, and lists as the extension.
if (fs.existsSync(vsix)) {
  const installer = run('bash', [path.join(root, 'scripts', 'editor', 'install-code-server.sh')], { stdio: ['ignore', 'pipe', 'ignore'] });
  const codeServer = installer.stdout.trim().split('\n').pop();
  expect(installer.status === 0 && !!codeServer && fs.existsSync(path.join(codeServer, 'out', 'node', 'entry.js')), 'code-server is installed for the check');
  if (installer.status === 0 && codeServer) {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-vsix-'));
    const codeArgs = ['--extensions-dir', path.join(profile, 'extensions'), '--user-data-dir', path.join(profile, 'user')];
    const entry = path.join(codeServer, 'out', 'node', 'entry.js');
    const installed = run(process.execPath, [entry, ...codeArgs, '--install-extension', vsix], { timeout: 120000 });
    expect(installed.status === 0 && /successfully installed/.test(installed.stdout), 'code-server --install-extension keyshare.vsix', installed.stdout + installed.stderr);
    const listed = run(process.execPath, [entry, ...codeArgs, '--list-extensions', '--show-versions'], { timeout: 60000 });
    expect(listed.stdout.includes(`keyshare.keyshare@${version}`), `the installed extension lists as keyshare.keyshare@${version}`, listed.stdout + listed.stderr);
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

// 4. The pre-commit hook by repo and rev: pre-commit installs a node hook with
//    `npm install --allow-git=root --install-links -g git+file://<checkout>` and runs its entry on
//    the staged files. That install, of this repository's HEAD, then the hook's entry; and, where
//    pre-commit itself is installed, `pre-commit try-repo` on a scratch repository.
const hookPrefix = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-hook-'));
const hookInstall = run(npm, ['install', '--allow-git=root', '--install-links', '-g', '--prefix', hookPrefix, '--no-audit', '--no-fund', `git+file://${root}`], { timeout: 600000 });
const hookBin = path.join(hookPrefix, process.platform === 'win32' ? 'keyshare.cmd' : path.join('bin', 'keyshare'));
expect(hookInstall.status === 0 && fs.existsSync(hookBin), 'npm install -g git+file:// of this repository (the install pre-commit runs for the hook)', hookInstall.stdout + hookInstall.stderr);
if (fs.existsSync(hookBin)) {
  const hooks = fs.readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8');
  const entry = /^\s*entry:\s*(.+)$/m.exec(hooks)?.[1].trim().split(/\s+/) ?? [];
  const hooked = run(hookBin, [...entry.slice(1), 'security/keys/data.key-policy.json', 'workload-b/roles/reports.iam.json'], { cwd: path.join(root, 'examples'), env: { ...process.env, NO_COLOR: '1' } });
  expect(entry[0] === 'keyshare' && hooked.status === 1 && /alias-arn-as-resource/.test(hooked.stdout), `the hook's entry (${entry.join(' ')}) on two example files reports their errors (exit 1)`, `exit ${hooked.status}\n${hooked.stdout}${hooked.stderr}`);
}
const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
if (!preCommit.error && preCommit.status === 0) {
  const scratchRepo = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-pre-commit-'));
  fs.cpSync(path.join(root, 'examples'), scratchRepo, { recursive: true });
  const git = (...args) => run('git', args, { cwd: scratchRepo });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.email=ci@keyshare.invalid', '-c', 'user.name=ci', 'commit', '-qm', 'examples');
  const tried = run('pre-commit', ['try-repo', root, 'keyshare', '--all-files'], { cwd: scratchRepo, timeout: 600000, env: { ...process.env, NO_COLOR: '1', PRE_COMMIT_HOME: path.join(scratchRepo, '.pre-commit-home') } });
  expect(tried.status === 1 && /keyshare check\.+Failed/.test(tried.stdout) && /alias-arn-as-resource/.test(tried.stdout), 'pre-commit try-repo runs the hook on the examples and fails on their errors', `exit ${tried.status}\n${tried.stdout.slice(-3000)}${tried.stderr}`);
  // The README's local hook, as written there, with the installed keyshare on PATH.
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const local = /as a local hook:\s*```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(!!local && local.includes('repo: local'), "the README's local hook configuration is found");
  if (local && fs.existsSync(hookBin)) {
    fs.writeFileSync(path.join(scratchRepo, '.pre-commit-config.yaml'), local);
    git('add', '.pre-commit-config.yaml');
    const env = { ...process.env, NO_COLOR: '1', PRE_COMMIT_HOME: path.join(scratchRepo, '.pre-commit-home'), PATH: `${path.dirname(hookBin)}${path.delimiter}${process.env.PATH}` };
    const ran = run('pre-commit', ['run', '--all-files'], { cwd: scratchRepo, timeout: 300000, env });
    expect(ran.status === 1 && /keyshare check\.+Failed/.test(ran.stdout) && /alias-arn-as-resource/.test(ran.stdout), "pre-commit run with the README's local hook fails on the examples' errors", `exit ${ran.status}\n${ran.stdout.slice(-3000)}${ran.stderr}`);
  }
  fs.rmSync(scratchRepo, { recursive: true, force: true });
} else {
  console.log('skip   pre-commit try-repo and the local hook (pre-commit is not installed; the npm install it runs is checked above)');
}
fs.rmSync(hookPrefix, { recursive: true, force: true });

// 5. A release, as a maintainer makes one: scripts/release.js in a scratch clone of HEAD dates the
//    CHANGELOG and writes the .vsix, the tarball and their sums; the manifest has no placeholder.
const releaseClone = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-release-'));
const cloned = run('git', ['clone', '-q', root, releaseClone]);
expect(cloned.status === 0, 'a scratch clone for the release', cloned.stderr);
if (cloned.status === 0) {
  // The clone borrows this checkout's node_modules; git ignores the link (.gitignore names the folder only).
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(releaseClone, 'node_modules'), 'dir');
  fs.appendFileSync(path.join(releaseClone, '.git', 'info', 'exclude'), '/node_modules\n');
  const released = run(process.execPath, [path.join(releaseClone, 'scripts', 'release.js'), version], { cwd: releaseClone, timeout: 600000 });
  expect(released.status === 0, `node scripts/release.js ${version}`, released.stdout + released.stderr);
  const out = path.join(releaseClone, 'release');
  const files = [`keyshare-${version}.vsix`, `keyshare-${version}.tgz`];
  const sums = fs.existsSync(path.join(out, 'SHA256SUMS')) ? fs.readFileSync(path.join(out, 'SHA256SUMS'), 'utf8') : '';
  const summed = files.every((file) => fs.existsSync(path.join(out, file)) && sums.includes(`${require('crypto').createHash('sha256').update(fs.readFileSync(path.join(out, file))).digest('hex')}  ${file}`));
  expect(summed, 'release/ holds the .vsix and the tarball, with their SHA-256 sums');
  const vsixSize = fs.existsSync(path.join(out, files[0])) ? fs.statSync(path.join(out, files[0])).size / 1024 / 1024 : Infinity;
  expect(vsixSize <= 5, `the released .vsix is ${vsixSize.toFixed(2)} MB (at most 5 MB)`);
  const dated = new RegExp(`^## ${version.replace(/\./g, '\\.')} \\(\\d{4}-\\d{2}-\\d{2}\\)$`, 'm').test(fs.readFileSync(path.join(releaseClone, 'CHANGELOG.md'), 'utf8'));
  expect(dated, `the CHANGELOG's section is dated: "## ${version} (YYYY-MM-DD)"`);
  const manifest = fs.readFileSync(path.join(releaseClone, 'package.json'), 'utf8');
  const placeholders = manifest.match(/TODO|FIXME|placeholder|example\.com|your-?(name|org|publisher)/gi) ?? [];
  expect(placeholders.length === 0 && fs.existsSync(path.join(releaseClone, JSON.parse(manifest).icon)), 'package.json has its icon and no placeholder fields', placeholders.join(', '));
}
fs.rmSync(releaseClone, { recursive: true, force: true });

process.exitCode = failed ? 1 : 0;
