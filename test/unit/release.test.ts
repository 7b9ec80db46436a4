// The release script refuses what it cannot release, with one line and exit 2, before it changes anything.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { repoRoot } from './helpers';

const script = path.join(repoRoot, 'scripts', 'release.js');

test('scripts/release.js without a version, or with one that is not semver, prints its usage and exits 2', () => {
  for (const args of [[], ['v1'], ['1.2']]) {
    const result = spawnSync(process.execPath, [script, ...args], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'release: usage: node scripts/release.js <version>, such as 0.1.0\n');
  }
});
