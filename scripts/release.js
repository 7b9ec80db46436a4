#!/usr/bin/env node
// Makes a release's files: `node scripts/release.js <version>` sets the version (package.json and
// its lock file), dates the CHANGELOG's unreleased section, builds the .vsix and the npm tarball
// into release/ with their SHA-256 sums, and stops where credentials begin: it prints the publish
// commands (Marketplace, Open VSX, npm, the git tag) for a maintainer to run, and runs none.
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const version = process.argv[2];
const fail = (message) => {
  process.stderr.write(`release: ${message}\n`);
  process.exit(2);
};

if (!version || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) fail('usage: node scripts/release.js <version>, such as 0.1.0');
const status = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' });
if (status.trim() !== '' && !process.argv.includes('--allow-dirty')) fail('the working tree has changes: commit them first (or pass --allow-dirty)');

// The version, in package.json and package-lock.json (its top and its root package entry).
for (const file of ['package.json', 'package-lock.json']) {
  const full = path.join(root, file);
  const json = JSON.parse(fs.readFileSync(full, 'utf8'));
  json.version = version;
  if (json.packages?.['']) json.packages[''].version = version;
  fs.writeFileSync(full, JSON.stringify(json, null, 2) + '\n');
}

// The CHANGELOG: "## <version> (unreleased)" (or "## Unreleased") becomes "## <version> (<date>)".
const changelogFile = path.join(root, 'CHANGELOG.md');
const changelog = fs.readFileSync(changelogFile, 'utf8');
const date = new Date().toISOString().slice(0, 10);
const heading = /^## (?:\d+\.\d+\.\d+\S* \(unreleased\)|Unreleased)$/im;
if (!heading.test(changelog)) fail('CHANGELOG.md has no "## <version> (unreleased)" section to date');
fs.writeFileSync(changelogFile, changelog.replace(heading, `## ${version} (${date})`));

// The files, and their sums.
const out = path.join(root, 'release');
fs.mkdirSync(out, { recursive: true });
execFileSync(npm, ['run', '-s', 'package'], { cwd: root, stdio: 'inherit' });
const vsix = path.join(out, `keyshare-${version}.vsix`);
fs.renameSync(path.join(root, 'keyshare.vsix'), vsix);
execFileSync(npm, ['pack', '--pack-destination', out], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const tarball = path.join(out, `keyshare-${version}.tgz`);
const sums = [vsix, tarball].map((file) => `${crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')}  ${path.basename(file)}`);
fs.writeFileSync(path.join(out, 'SHA256SUMS'), sums.join('\n') + '\n');

process.stdout.write(`
Release ${version} is ready in release/:
${sums.map((s) => `  ${s}`).join('\n')}

Publishing needs credentials this script does not have. With them, a maintainer runs:
  git commit -am "Release ${version}" && git tag v${version} && git push --follow-tags
  npx vsce publish --packagePath release/keyshare-${version}.vsix        # VS Code Marketplace (VSCE_PAT)
  npx ovsx publish release/keyshare-${version}.vsix                      # Open VSX (OVSX_PAT)
  npm publish release/keyshare-${version}.tgz                            # npm (NPM_TOKEN)
`);
