import { describe, expect, it } from 'vitest';
import { checkFigures, decideReview } from '../src/decideReview.js';
import type { ReviewFigures } from '../src/readFigures.js';
import { renderMarkdown } from '../src/renderReview.js';
import { defaultTargets } from '../src/targets.js';

describe('renderMarkdown', () => {
  it('keeps every table row on one line when a reason has line breaks or a |', () => {
    const reason = 'query cacheHitRate failed: ChainedTokenCredential authentication failed.\nCredentialUnavailableError: a | b';
    const figures: ReviewFigures = { loads: reason, documents: reason, performance: reason, uptime: reason, errors: reason };
    const checks = checkFigures(figures, defaultTargets);
    const markdown = renderMarkdown({ source: '/subscriptions/1', from: new Date(0), to: new Date(3_600_000), generatedAt: new Date(0), figures, checks, decision: decideReview(figures, checks) });
    const rows = markdown.split('\n').filter((line) => line.startsWith('| Cache hit rate'));
    expect(rows).toEqual(['| Cache hit rate | not measured (query cacheHitRate failed: ChainedTokenCredential authentication failed. CredentialUnavailableError: a \\| b) | > 95 % | not measured |']);
  });
});
