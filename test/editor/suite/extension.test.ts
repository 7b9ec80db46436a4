// The extension inside a real VS Code: what a person sees in the editor.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'keyshare.keyshare';

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the examples workspace is open');
  return folder.uri.fsPath;
}

/** The seed fixtures are copied beside the (scratch copy of the) examples workspace. */
function seedsFolder(): string {
  return path.join(path.dirname(workspaceRoot()), 'seeds');
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function keyshareDiagnostics(uri: vscode.Uri, predicate: (d: vscode.Diagnostic[]) => boolean = (d) => d.length > 0): Promise<vscode.Diagnostic[]> {
  return waitFor(`diagnostics on ${path.basename(uri.fsPath)}`, () => {
    const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'keyshare');
    return predicate(diagnostics) ? diagnostics : undefined;
  });
}

async function open(relative: string, root = workspaceRoot()): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(path.join(root, relative));
  return vscode.window.showTextDocument(document);
}

/** The template fixtures (CloudFormation, Terraform, a GitHub workflow) are copied beside the workspace too. */
function templatesFolder(): string {
  return path.join(path.dirname(workspaceRoot()), 'templates');
}

const rangeOf = (d: vscode.Diagnostic) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

/** Applies the quick fix titled `title` offered on the diagnostic `code`, and waits until that diagnostic is gone. */
async function applyQuickFix(editor: vscode.TextEditor, code: string, title: string): Promise<void> {
  const diagnostics = await keyshareDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === code));
  const diagnostic = diagnostics.find((d) => codeOf(d) === code)!;
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  const fix = actions.find((a) => a.title === title);
  assert.ok(fix?.edit, `quick fix offered: ${actions.map((a) => a.title).join(' | ')}`);
  assert.ok(await vscode.workspace.applyEdit(fix.edit));
  await keyshareDiagnostics(editor.document.uri, (d) => !d.some((x) => codeOf(x) === code));
}

interface Summary {
  files: number;
  policies: number;
  counts: { error: number; warning: number; info: number; hint: number };
}

/**
 * Has the server check this document now and answer for it (keyshare/validateFile): a positive
 * signal that it processed the document, whose diagnostics it publishes before answering.
 */
async function checkedByServer(editor: vscode.TextEditor): Promise<Summary | undefined> {
  await vscode.window.showTextDocument(editor.document);
  return waitFor(`the server's answer for ${path.basename(editor.document.uri.fsPath)}`, async () => (await vscode.commands.executeCommand<Summary | null>('keyshare.validateFile')) ?? undefined);
}

const findingsIn = (summary: Summary) => summary.counts.error + summary.counts.warning + summary.counts.info + summary.counts.hint;

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

suite('Keyshare in VS Code', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await extension.activate();
  });

  test('a seed article policy gets diagnostics with codes, ranges and severities', async () => {
    const editor = await open('seed002-alias-resource.iam.json', seedsFolder());
    assert.equal(editor.document.languageId, 'iam-policy');
    const diagnostics = await keyshareDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === 'alias-arn-as-resource'));
    const alias = diagnostics.find((d) => codeOf(d) === 'alias-arn-as-resource')!;
    assert.equal(alias.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([alias.range.start.line, alias.range.start.character, alias.range.end.line, alias.range.end.character], [9, 12, 9, 75]);
    assert.ok(typeof alias.code === 'object' && alias.code.target.path.endsWith('docs/rules/alias-arn-as-resource.md'));
    const comma = diagnostics.find((d) => codeOf(d) === 'json-strict')!;
    assert.deepEqual([comma.range.start.line, comma.range.start.character], [7, 13]);
  });

  test('a quick fix through the code action provider changes the document', async () => {
    const editor = await open(path.join('workload-b', 'roles', 'reports.iam.json'));
    const diagnostics = await keyshareDiagnostics(editor.document.uri);
    const alias = diagnostics.find((d) => codeOf(d) === 'alias-arn-as-resource')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, alias.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.startsWith('Use arn:aws:kms:us-east-1:111122223333:key/*'));
    assert.ok(fix?.edit, `quick fix offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const parsed = JSON.parse(editor.document.getText());
    assert.equal(parsed.Statement[0].Resource, 'arn:aws:kms:us-east-1:111122223333:key/*');
    assert.deepEqual(parsed.Statement[0].Condition, { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/data' } });
    await keyshareDiagnostics(editor.document.uri, (d) => !d.some((x) => codeOf(x) === 'alias-arn-as-resource'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('hover and completion through the execute*Provider commands', async () => {
    const editor = await open(path.join('workload-b', 'roles', 'reports.iam.json'));
    const text = editor.document.getText();
    const at = (needle: string, delta = 2) => editor.document.positionAt(text.indexOf(needle) + delta);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at('alias/data'));
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(hoverText, /Alias: `alias\/data`/);
    assert.match(hoverText, /external account/);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, at('"kms:Decrypt"', 5));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('kms:Decrypt') && labels.includes('kms:GenerateDataKey'), labels.slice(0, 10).join());
  });

  test('a snippet inserts a whole key policy into an empty file', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'iam-policy', content: '' });
    const editor = await vscode.window.showTextDocument(document);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(0, 0));
    const item = list.items.find((i) => i.label === 'ks-key-policy' && i.insertText instanceof vscode.SnippetString);
    assert.ok(item, list.items.map((i) => String(i.label)).join());
    await editor.insertSnippet(item.insertText as vscode.SnippetString, new vscode.Position(0, 0));
    const parsed = await waitFor('the snippet text', () => {
      try {
        return JSON.parse(editor.document.getText());
      } catch {
        return undefined;
      }
    });
    assert.equal(parsed.Statement[0].Sid, 'Enable IAM User Permissions');
    assert.equal(parsed.Statement.length, 4);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a statement snippet accepted between two statements leaves valid JSON; only key-policy statements are offered', async () => {
    const editor = await open(path.join('security', 'keys', 'data.key-policy.json'));
    const text = editor.document.getText();
    const firstEnd = editor.document.positionAt(text.indexOf('\n    },\n') + 7);
    // An empty line after the first statement's comma, the cursor on it.
    await editor.edit((b) => b.insert(firstEnd, '\n    '));
    const cursor = new vscode.Position(firstEnd.line + 1, 4);
    editor.selection = new vscode.Selection(cursor, cursor);
    await keyshareDiagnostics(editor.document.uri, () => true);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, cursor);
    const labels = list.items.map((i) => String(typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('ks-grants') && !labels.includes('ks-iam-use-key') && !labels.includes('ks-key-policy'), labels.join());
    // Accept it as the suggest widget does: the snippet over its range, then the additional edits.
    const grants = list.items.find((i) => i.label === 'ks-grants')!;
    const range = grants.range instanceof vscode.Range ? grants.range : (grants.range as { replacing: vscode.Range }).replacing;
    await editor.insertSnippet(grants.insertText as vscode.SnippetString, range);
    for (const extra of grants.additionalTextEdits ?? []) await editor.edit((b) => b.replace(extra.range, extra.newText));
    const parsed = JSON.parse(editor.document.getText());
    assert.equal(parsed.Statement[1].Sid, 'Allow attachment of persistent resources');
    await keyshareDiagnostics(editor.document.uri, (d) => !d.some((x) => codeOf(x) === 'json-syntax'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('the status bar request and the rule link: the rendered page', async () => {
    const editor = await open(path.join('security', 'keys', 'data.key-policy.json'));
    const { client } = vscode.extensions.getExtension(EXTENSION_ID)!.exports as { client: { sendRequest<T>(method: string, params: unknown): Promise<T> } };
    const status = await waitFor('the document status', async () => (await client.sendRequest<{ text: string } | null>('keyshare/documentStatus', { uri: editor.document.uri.toString() })) ?? undefined);
    assert.match(status.text, /^Key policy · 111122223333 · \d+ accounts?, \d+ complete$/);
    const legacy = await open(path.join('security', 'keys', 'legacy.key-policy.json'));
    const diagnostics = await keyshareDiagnostics(legacy.document.uri);
    const code = diagnostics[0].code as { target: vscode.Uri };
    assert.equal(code.target.scheme, 'https');
    assert.equal(code.target.authority, 'github.com');
    assert.match(code.target.path, /\/blob\/main\/docs\/rules\/[a-z-]+\.md$/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', legacy.document.uri, diagnostics[0].range);
    assert.ok(actions.some((a) => a.title === `Keyshare: read about ${codeOf(diagnostics[0])}` && a.command?.command === 'keyshare.openRuleDocs'), actions.map((a) => a.title).join(' | '));
    // The shipped page in VS Code's Markdown preview (rendered, offline).
    await vscode.commands.executeCommand('keyshare.openRuleDocs', codeOf(diagnostics[0]));
    await waitFor('the rule page preview', () => (vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label.includes(`${codeOf(diagnostics[0])}.md`) && t.input instanceof vscode.TabInputWebview) ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a broken keyshare.json gets one message per problem: VS Code reports the syntax, Keyshare the rest', async () => {
    const folder = path.join(workspaceRoot(), 'config-check');
    const file = vscode.Uri.file(path.join(folder, 'keyshare.json'));
    const text = '{\n  "accounts": [ { "id": "12345" } ]\n  "keys": [ { "arn": "arn:aws:kms:us-east-1:111122223333:key/1", "managed": "mine" } ],\n  "extra": 1\n}\n';
    await vscode.workspace.fs.writeFile(file, Buffer.from(text));
    try {
      const document = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(document);
      await keyshareDiagnostics(file, (d) => d.length >= 3);
      // VS Code's JSON support reports the missing comma (when its language server runs); wait for it a while, then count.
      const syntax = await waitFor('the JSON syntax error', () => (vscode.languages.getDiagnostics(file).some((d) => d.source !== 'keyshare') ? true : undefined), 15000).catch(() => false);
      await new Promise((r) => setTimeout(r, 1000));
      const final = vscode.languages.getDiagnostics(file);
      const describe = final.map((d) => `${d.source} ${d.range.start.line}:${d.range.start.character} ${d.message}`).join(' | ');
      const lines = final.map((d) => `${d.range.start.line}:${d.range.start.character}`);
      assert.equal(new Set(lines).size, lines.length, describe);
      assert.ok(!final.some((d) => d.source === 'keyshare' && /not valid JSON/.test(d.message)), describe);
      assert.ok(final.filter((d) => d.source === 'keyshare').length >= 3, describe);
      if (syntax) assert.ok(!final.some((d) => d.source !== 'keyshare' && !/comma|expected/i.test(d.message)), `the schema adds nothing: ${describe}`);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true });
    }
  });

  test('keyshare.json completion still comes from the schema: fields, and rule ids in ignore', async () => {
    const folder = path.join(workspaceRoot(), 'config-complete');
    const file = vscode.Uri.file(path.join(folder, 'keyshare.json'));
    const text = '{\n  "ignore": [ { "rule": "" } ],\n  \n}\n';
    await vscode.workspace.fs.writeFile(file, Buffer.from(text));
    try {
      const document = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(document);
      const labelsAt = async (position: vscode.Position) => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', file, position);
        return list.items.map((i) => String(typeof i.label === 'string' ? i.label : i.label.label));
      };
      const fields = await waitFor('field completion', async () => {
        const labels = await labelsAt(new vscode.Position(2, 2));
        return labels.some((l) => l.includes('accounts')) ? labels : undefined;
      });
      assert.ok(fields.some((l) => l.includes('keys')) && fields.some((l) => l.includes('organization')), fields.join());
      const rules = await labelsAt(new vscode.Position(1, 23));
      assert.ok(rules.some((l) => l.includes('alias-arn-as-resource')), rules.slice(0, 20).join());
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true });
    }
  });

  test('Validate Workspace reports counts and fills the Problems panel', async () => {
    const summary = await vscode.commands.executeCommand<{ files: number; counts: { error: number; warning: number } }>('keyshare.validateWorkspace');
    assert.ok(summary, 'a summary is returned');
    assert.ok(summary.files >= 6, `policies found: ${summary.files}`);
    assert.ok(summary.counts.error > 0 && summary.counts.warning > 0);
    const legacy = vscode.Uri.file(path.join(workspaceRoot(), 'security', 'keys', 'legacy.key-policy.json'));
    const diagnostics = await keyshareDiagnostics(legacy);
    assert.ok(diagnostics.some((d) => codeOf(d) === 'cross-account-admin'));
  });

  test('a plain package.json gets no diagnostics', async () => {
    const editor = await open('package.json');
    const summary = await checkedByServer(editor);
    assert.ok(summary, 'the server answered for package.json');
    assert.deepEqual([summary.files, summary.policies, findingsIn(summary)], [1, 0, 0], 'checked, not a policy, nothing found');
    assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'keyshare'), []);
  });

  test('a CloudFormation YAML template: diagnostics on the policy inside it, and a quick fix written as YAML', async () => {
    const editor = await open('stack.yaml', templatesFolder());
    const diagnostics = await keyshareDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === 'wildcard-principal') && d.some((x) => codeOf(x) === 'action-unknown'));
    const wildcard = diagnostics.find((d) => codeOf(d) === 'wildcard-principal')!;
    assert.deepEqual(rangeOf(wildcard), [18, 19, 18, 22]);
    assert.equal(editor.document.getText(wildcard.range), "'*'");
    assert.equal(wildcard.severity, vscode.DiagnosticSeverity.Error);
    const typo = diagnostics.find((d) => codeOf(d) === 'action-unknown')!;
    assert.deepEqual(rangeOf(typo), [19, 21, 19, 34]);
    await applyQuickFix(editor, 'action-unknown', 'Change to "kms:Decrypt"');
    assert.equal(editor.document.lineAt(19).text, "            Action: ['kms:Decrypt', 'kms:DescribeKey']");
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('a Terraform file with no Terraform extension (plain text by the **/*.tf pattern) gets diagnostics and quick fixes', async () => {
    const editor = await open('main.tf', templatesFolder());
    assert.notEqual(editor.document.languageId, 'terraform', 'no Terraform extension is installed');
    const diagnostics = await keyshareDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === 'wildcard-principal') && d.some((x) => codeOf(x) === 'action-unknown'));
    const wildcard = diagnostics.find((d) => codeOf(d) === 'wildcard-principal')!;
    assert.deepEqual(rangeOf(wildcard), [17, 28, 17, 31]);
    assert.equal(editor.document.getText(wildcard.range), '"*"');
    assert.deepEqual(rangeOf(diagnostics.find((d) => codeOf(d) === 'action-unknown')!), [18, 21, 18, 34]);
    await applyQuickFix(editor, 'action-unknown', 'Change to "kms:Decrypt"');
    assert.equal(editor.document.lineAt(18).text, '        Action    = ["kms:Decrypt", "kms:DescribeKey"]');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('a YAML file that is no template (a GitHub workflow) gets no diagnostics', async () => {
    const editor = await open(path.join('.github', 'workflows', 'ci.yml'), templatesFolder());
    const summary = await checkedByServer(editor);
    assert.ok(summary, 'the server answered for ci.yml');
    assert.deepEqual([summary.files, summary.policies, findingsIn(summary)], [1, 0, 0], 'checked, not a policy, nothing found');
    assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'keyshare'), []);
  });

  test('an edit updates diagnostics while typing', async () => {
    const editor = await open(path.join('workload-a', 'roles', 'app.iam.json'));
    const summary = await checkedByServer(editor);
    assert.ok(summary, 'the server answered for app.iam.json');
    assert.deepEqual([summary.policies, findingsIn(summary)], [1, 0], 'checked as a policy, nothing found');
    assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'keyshare').map(codeOf), []);
    const text = editor.document.getText();
    const start = editor.document.positionAt(text.indexOf('"kms:Decrypt"'));
    await editor.edit((b) => b.replace(new vscode.Range(start, start.translate(0, '"kms:Decrypt"'.length)), '"kms:Decrpyt"'));
    const diagnostics = await keyshareDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === 'action-unknown'));
    assert.match(diagnostics.find((d) => codeOf(d) === 'action-unknown')!.message, /Did you mean "kms:Decrypt"/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('a change to a key policy updates an identity policy in another account folder', async () => {
    const ingest = await open(path.join('workload-b', 'roles', 'ingest.iam.json'));
    const before = await keyshareDiagnostics(ingest.document.uri, (d) => d.some((x) => codeOf(x) === 'ineffective-action'));
    const ineffective = before.find((d) => codeOf(d) === 'ineffective-action')!;
    assert.equal(ingest.document.getText(ineffective.range), '"kms:Encrypt"');
    assert.ok(ineffective.tags?.includes(vscode.DiagnosticTag.Unnecessary));
    // Let the OU encrypt too, in the security account's key policy (another folder, another account).
    const keyPolicy = await open(path.join('security', 'keys', 'data.key-policy.json'));
    const text = keyPolicy.document.getText();
    const at = text.indexOf('"Sid": "Allow the workloads OU to decrypt"');
    const actionsAt = text.indexOf('"kms:Decrypt",', at);
    const position = keyPolicy.document.positionAt(actionsAt);
    await keyPolicy.edit((b) => b.insert(position, '"kms:Encrypt",\n        '));
    await keyshareDiagnostics(ingest.document.uri, (d) => !d.some((x) => codeOf(x) === 'ineffective-action'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await keyshareDiagnostics(ingest.document.uri, (d) => d.some((x) => codeOf(x) === 'ineffective-action'));
  });

  test('Show Cross-Account Access opens its view', async () => {
    const panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('keyshare.showCrossAccountAccess');
    assert.ok(panel, 'a webview panel is returned');
    assert.equal(panel.title, 'Cross-Account Access');
    assert.match(panel.webview.html, /IAM policy only/);
    assert.match(panel.webview.html, /workload-b\/roles\/ingest\.iam\.json/);
    panel.dispose();
  });
  test('Explain Access answers with links to the deciding statements', async () => {
    const result = await vscode.commands.executeCommand<{ verdict: string; because: { uri: string; sid?: string; half: string }[] }>('keyshare.explainAccess', {
      principal: 'arn:aws:iam::444455556666:role/app', action: 'kms:Decrypt', key: 'alias/data',
    });
    assert.ok(result, 'the command returns the answer');
    assert.equal(result.verdict, 'allowed');
    assert.deepEqual(result.because.map((c) => `${c.half} ${c.sid}`), ['key Allow use of the key', 'key Allow the workloads OU to decrypt', 'identity UseDataKey']);
    assert.ok(result.because.every((c) => c.uri.startsWith('file:')));
  });

  test('a code lens above a cross-account grant gives the handshake status', async () => {
    const keyPolicy = await open(path.join('security', 'keys', 'data.key-policy.json'));
    await checkedByServer(keyPolicy);
    const lenses = await waitFor('code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', keyPolicy.document.uri, 10);
      return found && found.some((l) => l.command?.title.startsWith('444455556666:')) ? found : undefined;
    });
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /^444455556666: IAM half in workload-a\/roles\/app\.iam\.json, /.test(t)), titles.join(' | '));
  });
});
