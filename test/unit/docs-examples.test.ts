// Every rule page's "Bad" example must trigger its rule and its "Good" example must be clean:
// the docs double as the trigger / near-miss suite, and cannot drift from the engine.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../server/src/engine';
import * as os from 'os';
import { parseConfig } from '../../server/src/workspace/config';
import { runCheck } from '../../server/src/cli/check';
import { findings, ofRule, repoRoot } from './helpers';

interface RulePage {
  bad: string;
  good: string;
  options: Record<string, unknown>;
}

function readPage(id: string): RulePage | undefined {
  const text = fs.readFileSync(path.join(repoRoot, 'docs', 'rules', `${id}.md`), 'utf8');
  const block = (heading: string) => new RegExp(`## ${heading}\\n\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(text)?.[1];
  const bad = block('Bad');
  const good = block('Good');
  if (bad === undefined || good === undefined) return undefined;
  const options = /<!-- options: (.*) -->/.exec(text);
  return { bad, good, options: options ? JSON.parse(options[1]) : {} };
}

for (const rule of RULES) {
  test(`docs/rules/${rule.id}.md exists`, () => {
    assert.ok(fs.existsSync(path.join(repoRoot, 'docs', 'rules', `${rule.id}.md`)));
  });
  if (rule.category === 'workspace') continue;
  const page = readPage(rule.id);
  if (rule.id === 'access-expectation') {
    // Its findings come from checking a workspace: the Bad keyshare.json fails an expectation, the Good one none.
    test(`${rule.id}: the Bad keyshare.json fails an expectation, the Good one none`, async () => {
      assert.ok(page);
      const failures = async (text: string) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-docs-'));
        fs.writeFileSync(path.join(dir, 'keyshare.json'), text);
        const run = await runCheck({ paths: ['.'], cwd: dir });
        return run.reports.filter((r) => r.ruleId === rule.id || r.ruleId === 'keyshare-json');
      };
      assert.equal((await failures(page.bad)).filter((r) => r.ruleId === rule.id).length, 1);
      assert.deepEqual(await failures(page.good), []);
    });
    continue;
  }
  if (rule.id === 'plan-format-version') {
    // A plan is known by its content: the Bad plan gets the finding and the Good one is clean, as `keyshare check` reports them.
    test(`${rule.id}: the Bad plan gets it, the Good one nothing`, async () => {
      assert.ok(page, 'page has Bad and Good examples');
      const reports = async (text: string) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-docs-'));
        fs.writeFileSync(path.join(dir, 'plan.json'), text);
        return (await runCheck({ paths: ['plan.json'], cwd: dir })).reports.map((r) => `${r.ruleId}: ${r.message}`);
      };
      assert.equal((await reports(page.bad)).filter((r) => r.startsWith(`${rule.id}:`)).length, 1);
      assert.deepEqual(await reports(page.good), []);
    });
    continue;
  }
  if (rule.id.startsWith('suppression-') || rule.id === 'service-key-unusable' || rule.id === 'grant-operation-invalid' || rule.id === 'yaml-syntax') {
    // Rules about templates: the Bad template gets the finding and the Good one is clean, as `keyshare check` reports them.
    test(`${rule.id}: the Bad template gets it, the Good one nothing`, async () => {
      const text = fs.readFileSync(path.join(repoRoot, 'docs', 'rules', `${rule.id}.md`), 'utf8');
      const block = (heading: string) => new RegExp(`## ${heading}\\n\\n\`\`\`(yaml|hcl)\\n([\\s\\S]*?)\\n\`\`\``).exec(text);
      const reports = async (found: RegExpExecArray | null) => {
        assert.ok(found, 'page has Bad and Good YAML or HCL examples');
        const name = found[1] === 'hcl' ? 'main.tf' : 'template.yaml';
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-docs-'));
        fs.writeFileSync(path.join(dir, name), found[2]);
        return (await runCheck({ paths: [name], cwd: dir })).reports.map((r) => `${r.ruleId}: ${r.message}`);
      };
      assert.equal((await reports(block('Bad'))).filter((r) => r.startsWith(`${rule.id}:`)).length, 1);
      assert.deepEqual(await reports(block('Good')), []);
    });
    continue;
  }
  if (rule.category === 'config') {
    test(`${rule.id}: the Bad keyshare.json has problems, the Good one none`, () => {
      assert.ok(page);
      assert.ok(parseConfig(page.bad).problems.length > 0);
      assert.deepEqual(parseConfig(page.good).problems, []);
    });
    continue;
  }
  test(`${rule.id}: the Bad example triggers it`, () => {
    assert.ok(page, 'page has Bad and Good examples');
    const hits = ofRule(findings(page.bad, page.options), rule.id);
    assert.ok(hits.length > 0, `expected ${rule.id} on:\n${page.bad}`);
  });
  test(`${rule.id}: the Good example is clean`, () => {
    assert.ok(page);
    const all = findings(page.good, page.options);
    assert.deepEqual(all.map((f) => `${f.ruleId}: ${f.message}`), []);
  });
}
