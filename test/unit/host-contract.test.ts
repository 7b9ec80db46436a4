// The host contract: one key policy written in every host's syntax (test/fixtures/contract/) gives
// the same findings, each on the text that is wrong as that syntax writes it. A new host joins by
// adding its fixture here.
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkDocument, hostOfFile, HOSTS, readDocument } from '../../server/src/hosts';
import { loadGrammars } from '../../server/src/project/grammars';
import type { Grammars } from '../../server/src/hosts';
import { repoRoot } from './helpers';

const folder = path.join(repoRoot, 'test', 'fixtures', 'contract');

/** Every fixture: the policy with a "*" principal and a misspelt action, in each syntax. */
function fixtures(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else found.push(path.relative(folder, full));
    }
  };
  walk(folder);
  return found.sort();
}

/** What a span covers, without the quotes a syntax puts around a string. */
const unquoted = (text: string) => text.replace(/^\\"|\\"$/g, '').replace(/^["']|["']$/g, '');

let grammars: Grammars = {};
before(async () => {
  grammars = await loadGrammars();
});

test('every host has a contract fixture, and each fixture is read by a different way of writing the policy', () => {
  const names = fixtures();
  const hosts = new Set(names.map((name) => readDocument(fs.readFileSync(path.join(folder, name), 'utf8'), { fileName: name, grammars }).host));
  assert.deepEqual([...hosts].sort(), HOSTS.map((host) => host.id).sort(), 'a fixture per host of the registry');
  assert.ok(names.length >= 8, names.join(', '));
});

for (const name of fixtures()) {
  test(`${name}: the "*" principal and the misspelt action, on the text as written there`, () => {
    const text = fs.readFileSync(path.join(folder, name), 'utf8');
    assert.ok(hostOfFile(name) || name.endsWith('.json'), `a host claims ${name}`);
    const result = checkDocument(text, sharedCatalog(), { fileName: name, grammars });
    const found = result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
    assert.deepEqual(found.map((f) => `${f.ruleId} ${f.severity} ${unquoted(text.slice(f.start, f.end))}`).sort(), ['action-unknown error kms:Decrpyt', 'wildcard-principal error *']);
    const typo = found.find((f) => f.ruleId === 'action-unknown')!;
    assert.equal(typo.message, 'AWS Key Management Service has no action "Decrpyt". Did you mean "kms:Decrypt"?');
    // The same key policy, as one model with the same two statements, wherever it is written.
    const keyPolicies = result.models.filter((m) => m.kind === 'key-policy');
    assert.equal(keyPolicies.length, 1);
    assert.deepEqual(keyPolicies[0].statements.map((s) => s.sid?.value), ['Root', 'Everyone']);
  });
}
