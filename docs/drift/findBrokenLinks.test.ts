import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBrokenLinks, headingSlug } from './findBrokenLinks.js';

const folder = mkdtempSync(join(tmpdir(), 'navmap-docs-links-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('findBrokenLinks', () => {
  it('reports missing files and anchors, and ignores external links and code', () => {
    mkdirSync(join(folder, 'admin'));
    writeFileSync(join(folder, 'target.md'), '# Title\n\n## Step 2: `navmap-server check-config`\n');
    const file = join(folder, 'admin', 'guide.md');
    writeFileSync(
      file,
      [
        'See [the target](../target.md), [a step](../target.md#step-2-navmap-server-check-config) and [web](https://example.com/x).',
        'Broken: [missing](../missing.md) and [bad anchor](../target.md#nope).',
        '`[not a link](nowhere.md)`',
        '```md',
        '[in a fence](nowhere.md)',
        '```',
        '[ref]: ./nothing-here.md',
      ].join('\n'),
    );
    expect(findBrokenLinks(file).map((link) => [link.line, link.target])).toEqual([
      [2, '../missing.md'],
      [2, '../target.md#nope'],
      [7, './nothing-here.md'],
    ]);
  });

  it('slugs headings like GitHub', () => {
    expect(headingSlug('(c) Restart the server, or wait for the TTL')).toBe('c-restart-the-server-or-wait-for-the-ttl');
  });
});
