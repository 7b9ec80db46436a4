/** UI checks that only a real window can show: squiggles, hover cards, the light bulb, Problems. */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { repoRoot, workbenchUrl, type CodeServer } from './codeServer';

interface UiResult {
  passed: number;
  failed: number;
}

const screenshots = path.join(repoRoot, 'out', 'screenshots');

async function openFile(page: Page, relative: string): Promise<void> {
  const name = path.basename(relative);
  // Quick Open fills its list asynchronously: wait for the file's row, and retry on a slow machine.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
      await page.keyboard.type(relative, { delay: 5 });
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first().waitFor({ timeout: 10000 });
      await page.keyboard.press('Enter');
      await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: 10000 });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  await page.keyboard.press('Control+Home');
  await page.waitForTimeout(500);
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(title, { delay: 5 });
  await page.waitForTimeout(500);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
}

/** Moves the mouse onto an element's middle (decorations ignore pointer events, so no .hover()). */
async function pointAt(page: Page, selector: string): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
}

export async function runUiChecks(browser: Browser, server: CodeServer, folder: string, updateImages: boolean): Promise<UiResult> {
  fs.mkdirSync(screenshots, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  const result: UiResult = { passed: 0, failed: 0 };
  const check = async (name: string, body: () => Promise<void>) => {
    try {
      await page.keyboard.press('Escape');
      await body();
      result.passed++;
      console.log(`  ✓ ${name}`);
    } catch (error) {
      result.failed++;
      console.log(`  ✗ ${name}: ${(error as Error).message.split('\n')[0]}`);
      await page.screenshot({ path: path.join(screenshots, `failed-${name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
    }
  };
  const save = async (name: string) => {
    const file = path.join(screenshots, name);
    await page.screenshot({ path: file });
    if (updateImages) fs.copyFileSync(file, path.join(repoRoot, 'docs', 'images', name));
  };
  try {
    await page.goto(workbenchUrl(server, folder));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForTimeout(3000);

    await check('squiggle and hover card on an alias ARN', async () => {
      await openFile(page, 'workload-b/roles/reports.iam.json');
      await page.locator('.view-line').filter({ hasText: 'alias/data' }).first().waitFor({ timeout: 20000 });
      await page.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: 20000 });
      await pointAt(page, '.squiggly-error');
      const hover = page.locator('.monaco-hover').filter({ hasText: 'alias-arn-as-resource' });
      await hover.first().waitFor({ timeout: 10000 });
      const text = await hover.first().innerText();
      if (!/grants nothing on the key/.test(text)) throw new Error(`hover text: ${text.slice(0, 200)}`);
      await save('hover-alias-arn.png');
      await page.keyboard.press('Escape');
    });

    await check('light-bulb quick fix applied by keyboard', async () => {
      const line = page.locator('.view-line span span').filter({ hasText: 'alias/data' }).first();
      await line.click();
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget').filter({ hasText: 'kms:ResourceAliases' });
      await menu.first().waitFor({ timeout: 10000 });
      await save('quick-fix-menu.png');
      // The preferred fix is focused first: Enter applies it.
      await page.keyboard.press('Enter');
      await page.locator('.view-line').filter({ hasText: 'ForAnyValue:StringLike' }).first().waitFor({ timeout: 10000 });
      await save('after-quick-fix.png');
      await runCommand(page, 'File: Revert File');
    });

    await check('Problems panel lists findings with rule ids', async () => {
      await openFile(page, 'security/keys/legacy.key-policy.json');
      await page.locator('.squiggly-warning, .squiggly-error').first().waitFor({ timeout: 20000 });
      await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ timeout: 10000 });
      await panel.locator('.monaco-list-row').filter({ hasText: 'cross-account-admin' }).first().waitFor({ timeout: 10000 });
      await save('problems-panel.png');
    });

    await check('status bar shows the policy kind, account and handshakes', async () => {
      await openFile(page, 'security/keys/data.key-policy.json');
      const item = page.locator('.statusbar-item').filter({ hasText: /Key policy · 111122223333 · \d+ accounts?, \d+ complete/ });
      await item.first().waitFor({ timeout: 20000 });
      await save('status-bar.png');
    });

    await check('Insert Cross-Account Statement: numbered steps, keyshare.json accounts, a new Sid each run, revealed', async () => {
      await openFile(page, 'security/keys/data.key-policy.json');
      const titles: string[] = [];
      for (let run = 1; run <= 2; run++) {
        await runCommand(page, 'Keyshare: Insert Cross-Account Statement');
        for (const answer of ['', '444455556666', '']) {
          const title = page.locator('.quick-input-widget .quick-input-title');
          await title.first().waitFor({ timeout: 10000 });
          await page.waitForTimeout(300);
          titles.push(await title.first().innerText());
          if (answer) await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: answer }).first().waitFor({ timeout: 10000 });
          await page.keyboard.press('Enter');
          await page.waitForTimeout(300);
        }
        // The inserted statement is revealed: its Sid is on screen.
        const sid = run === 1 ? '"Allow use of the key by 444455556666"' : '"Allow use of the key by 444455556666 2"';
        await page.locator('.view-line').filter({ hasText: sid }).first().waitFor({ timeout: 10000 });
      }
      const expected = ['(1/3)', '(2/3)', '(3/3)', '(1/3)', '(2/3)', '(3/3)'];
      if (titles.some((t, i) => !t.endsWith(expected[i]))) throw new Error(`step titles: ${titles.join(' | ')}`);
      await save('insert-statement.png');
      await runCommand(page, 'File: Revert File');
    });

    await check('Show Cross-Account Access renders the handshake table', async () => {
      await page.keyboard.press('Control+Shift+M'); // close the panel for a bigger view
      await runCommand(page, 'Keyshare: Show Cross-Account Access');
      const frame = page.frameLocator('iframe.webview').frameLocator('iframe');
      await frame.locator('text=IAM policy only').first().waitFor({ timeout: 20000 });
      await frame.locator('text=complete').first().waitFor({ timeout: 5000 });
      await page.waitForTimeout(500);
      await save('access-view.png');
    });
  } finally {
    await page.close();
  }
  return result;
}
