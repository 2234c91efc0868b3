import { describe, expect, it } from 'vitest';
import { checkFigures, decideReview } from '../src/decideReview.js';
import type { ReviewFigures } from '../src/readFigures.js';
import { defaultTargets } from '../src/targets.js';

const healthy: ReviewFigures = {
  loads: { loads: 1000, cache: 970, server: 30, fallback: 0, cacheHitRatePercent: 97 },
  documents: { succeeded: 500, failed: 0, successRatePercent: 100, byTable: [{ parentEntity: 'sprk_matter', succeeded: 500, failed: 0 }] },
  performance: { requests: 300, averageMs: 40, p95Ms: 200 },
  uptime: { calls: 300, failures: 0, uptimePercent: 100 },
  errors: [],
};

const decide = (figures: ReviewFigures, targets = defaultTargets) => decideReview(figures, checkFigures(figures, targets));
const resultOf = (figures: ReviewFigures, name: string) => checkFigures(figures, defaultTargets).find((check) => check.name === name)?.result;

describe('checkFigures', () => {
  it('compares as the plan writes its targets: > 95 %, < 100 ms, 100 %, 0', () => {
    expect(resultOf({ ...healthy, loads: { loads: 1000, cache: 950, server: 50, fallback: 0, cacheHitRatePercent: 95 } }, 'cacheHitRatePercent')).toBe('fail');
    expect(resultOf({ ...healthy, performance: { requests: 300, averageMs: 100, p95Ms: 499.9 } }, 'averageMs')).toBe('fail');
    expect(resultOf({ ...healthy, performance: { requests: 300, averageMs: 100, p95Ms: 499.9 } }, 'p95Ms')).toBe('pass');
    expect(resultOf(healthy, 'uptimePercent')).toBe('pass');
    expect(resultOf({ ...healthy, uptime: { calls: 300, failures: 1, uptimePercent: 99.67 } }, 'uptimePercent')).toBe('fail');
    expect(resultOf(healthy, 'errorCount')).toBe('pass');
    expect(resultOf({ ...healthy, errors: [{ origin: 'endpoint', code: '401', count: 1 }] }, 'errorCount')).toBe('fail');
  });
});

describe('decideReview', () => {
  it('continues when every target is met', () => {
    expect(decide(healthy)).toEqual({ kind: 'continue' });
  });

  it('rolls back the server on an outage even when no document was created in the window', () => {
    const figures: ReviewFigures = {
      ...healthy,
      documents: { succeeded: 0, failed: 0, successRatePercent: undefined, byTable: [] },
      uptime: { calls: 40, failures: 40, uptimePercent: 0 },
    };
    expect(decide(figures)).toMatchObject({ kind: 'rollback', scenario: 2 });
  });

  it('does not call the control at fault for fallback loads when the endpoint uptime is unknown', () => {
    const figures: ReviewFigures = {
      ...healthy,
      loads: { loads: 100, cache: 50, server: 0, fallback: 50, cacheHitRatePercent: 50 },
      performance: { requests: 0, averageMs: undefined, p95Ms: undefined },
      uptime: { calls: 0, failures: 0, uptimePercent: undefined },
    };
    expect(decide(figures)).toMatchObject({ kind: 'cannot-review', reasons: expect.arrayContaining(['NavMap endpoint uptime: no calls to the endpoint in the window']) });
  });

  it('prefers scenario 3 over scenario 2 when uploads fail on several tables during an outage', () => {
    const figures: ReviewFigures = {
      ...healthy,
      documents: {
        succeeded: 90,
        failed: 10,
        successRatePercent: 90,
        byTable: [
          { parentEntity: 'sprk_matter', succeeded: 50, failed: 5 },
          { parentEntity: 'account', succeeded: 40, failed: 5 },
        ],
      },
      uptime: { calls: 100, failures: 50, uptimePercent: 50 },
    };
    expect(decide(figures)).toMatchObject({ kind: 'rollback', scenario: 3 });
  });

  it('reports an unreadable query as cannot-review, and says when what was read points to a rollback', () => {
    const figures: ReviewFigures = { ...healthy, errors: 'query errorsByCode was refused: HTTP 429', uptime: { calls: 10, failures: 5, uptimePercent: 50 } };
    expect(decide(figures)).toEqual({
      kind: 'cannot-review',
      reasons: ['query errorsByCode was refused: HTTP 429'],
      actionItems: [expect.stringMatching(/^What could be read already points to rollback scenario 2: NavMap endpoint returning errors/)],
    });
  });

  it('lists one action item per missed target that no rollback covers', () => {
    const figures: ReviewFigures = {
      ...healthy,
      performance: { requests: 300, averageMs: 150, p95Ms: 700 },
      errors: [{ origin: 'client layer cache', code: 'quota_exceeded', count: 3 }],
    };
    const decision = decide(figures);
    expect(decision.kind).toBe('action-items');
    expect(decision.kind === 'action-items' ? decision.actionItems : []).toEqual([
      expect.stringMatching(/^Endpoint average 150 ms \(target < 100 ms\)/),
      expect.stringMatching(/^Endpoint P95 700 ms \(target < 500 ms\)/),
      expect.stringMatching(/^3 errors reported \(target 0\): client layer cache quota_exceeded: 3\./),
    ]);
  });
});
