/**
 * Entry of the editor suite, in the @vscode/test-electron format: VS Code's extension host
 * loads this module and calls run(). Works the same under code-server.
 */
import * as path from 'path';
import * as fs from 'fs';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60000, color: false, reporter: 'spec' });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, file));
  const failures: string[] = [];
  let passed = 0;
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failed) => {
      // Also on disk, for runners that cannot read the extension host's console.
      fs.writeFileSync(path.join(__dirname, '..', 'results.json'), JSON.stringify({ passed, failed, failures }, null, 2));
      console.log(`editor: ${passed} passed, ${failed} failed`);
      if (failed > 0) reject(new Error(`${failed} editor test${failed === 1 ? '' : 's'} failed`));
      else resolve();
    });
    runner.on('pass', () => passed++);
    runner.on('fail', (test, error) => failures.push(`${test.fullTitle()}: ${(error as Error).message}`));
  });
}
