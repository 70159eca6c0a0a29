// docs/session-rules.md stays true to the tree: every rule R1..R28 is there with a link
// to its test, which exists under that rule's name; every file it links to exists, and
// every function it names is in the files its row links to.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(join(root, 'docs/session-rules.md'), 'utf8');
const rulesTest = readFileSync(join(root, 'native-bridge/sim/rules.test.ts'), 'utf8');
const RULES = Array.from({ length: 28 }, (_, index) => `R${index + 1}`);

describe('docs/session-rules.md', () => {
  it.each(RULES)('states %s with a link to its test, and the test exists under its name', (rule) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| ${rule} |`));
    expect(row).toContain(`[${rule} test](../native-bridge/sim/rules.test.ts)`);
    expect(rulesTest).toMatch(new RegExp(`it\\('${rule} `));
  });

  it.each(RULES)('names for %s only code that is in the files its row links to', (rule) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| ${rule} |`)) ?? '';
    const implemented = row.split('|').at(-2) ?? '';
    const files = [...implemented.matchAll(/\]\(([^)]+)\)/g)].map((match) => readFileSync(resolve(root, 'docs', match[1] as string), 'utf8'));
    const names = [...implemented.matchAll(/`([A-Za-z_.]+)`/g)].map((match) => (match[1] as string).split('.').at(-1) as string);
    for (const name of names) expect(files.some((text) => text.includes(name)), `${rule}: ${name}`).toBe(true);
  });

  it('links only to files of this repository that exist', () => {
    const targets = [...doc.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1] as string);
    expect(targets.length).toBeGreaterThan(25);
    for (const target of targets) {
      const path = resolve(root, 'docs', target);
      expect(path.startsWith(root), target).toBe(true);
      expect(existsSync(path), target).toBe(true);
    }
  });
});
