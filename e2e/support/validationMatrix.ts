import type { FigureTarget } from '../reporter/figureTargets.js';

/**
 * The deployment plan's post-deployment validation matrix by ID (docs/e2e.md lists its rows). Every row has an e2e test
 * whose title starts with its ID, except those with `manual`, which says why a machine cannot check it.
 */
export interface MatrixRow {
  readonly id: string;
  readonly check: string;
  /** The expected behaviour, which the row's tests assert. */
  readonly target?: string;
  /** The plan's targets for measured figures, which the report judges (tests never assert timings). */
  readonly targets?: readonly FigureTarget[];
  readonly manual?: string;
}

export const validationMatrix: readonly MatrixRow[] = [
  { id: 'D1', check: 'BFF health', target: 'health 200; ready once a map exists' },
  { id: 'D2', check: 'NavMap endpoint', target: '200 with parents, version, generatedAt, environment' },
  { id: 'D3', check: 'all configured parents present' },
  { id: 'D4', check: 'navigation property case', target: 'equals Dataverse metadata' },
  { id: 'D5', check: 'warm calls fast', targets: [{ metric: 'warm median', comparison: '<', limit: 50, unit: 'ms' }] },
  { id: '1.1', check: 'Layer 1: server' },
  { id: '1.2', check: 'Layer 2: cache hit, no endpoint request', targets: [{ metric: 'resolved from the cache in', comparison: '<', limit: 10, unit: 'ms' }] },
  { id: '1.3', check: 'Layer 3: bundled fallback' },
  { id: '1.4', check: 'document created with server metadata' },
  { id: '2.1', check: 'upload on a Matter form' },
  { id: '2.2', check: 'upload on a Project form' },
  { id: '2.3', check: 'upload on an Invoice form' },
  { id: '2.4', check: 'upload on an Account form' },
  { id: '2.5', check: 'upload on a Contact form' },
  { id: '3.1', check: 'unsupported parent' },
  { id: '3.2', check: 'BFF down: fallback, upload still succeeds' },
  { id: '3.3', check: 'BFF 401: falls back' },
  { id: '3.4', check: 'malformed response: falls back' },
  { id: '3.5', check: 'server timeout', targets: [{ metric: 'fell back after', comparison: '<=', limit: 5000, unit: 'ms' }] },
  { id: '3.6', check: 'storage full: warning only' },
  { id: '3.7', check: 'wrong-case navigation property' },
  { id: '4.1', check: 'cache hit rate over 20 loads', targets: [{ metric: 'warm hit rate', comparison: '>', limit: 95, unit: '%' }] },
  {
    id: '4.2',
    check: 'server timings',
    targets: [
      { metric: 'cold', comparison: '<', limit: 500, unit: 'ms' },
      { metric: 'warm median', comparison: '<', limit: 50, unit: 'ms' },
    ],
  },
  { id: '4.3', check: 'control init', targets: [{ metric: 'interactive after', comparison: '<', limit: 2000, unit: 'ms' }] },
  { id: '5.1', check: 'auth required' },
  { id: '5.2', check: 'audience checked' },
  { id: '5.3', check: 'no sensitive data' },
  { id: '6.1', check: 'previous behaviour kept with the server unreachable' },
  {
    id: '6.2',
    check: 'old control unaffected',
    manual:
      'needs the previous control (2.2.0) on a form beside the new one; the upload API it calls is the one rows 2.1-2.5 use, and the local environment has no 2.2.0 build',
  },
  { id: '7.1', check: 'console logging' },
  { id: '7.2', check: 'telemetry events' },
  { id: '8.1', check: 'empty parent list' },
  { id: '8.2', check: 'parent missing in Dataverse' },
  { id: '8.3', check: 'several controls on one page' },
  { id: 'E1', check: 'cache hit after reload during upload' },
  { id: 'S1', check: 'silent SSO blocked: Sign in, then the upload completes and is linked', target: 'no popup without a click; the file uploads after sign-in without choosing it again' },
  { id: 'S2', check: 'sign-in popup closed: nothing uploaded, clear message', target: 'the file stays chosen; no upload request' },
  { id: 'S3', check: 'redirect page missing on the org: the control names the web resource to import', target: 'at once (under 8 s); the file stays chosen; no upload request' },
];

/** The plan's target for the run's upload success rate (its monitoring step), judged over every upload of the run. */
export const UPLOAD_SUCCESS_TARGET: FigureTarget = { metric: 'upload success rate', comparison: '>', limit: 99, unit: '%' };

/** The matrix ID a test title starts with (`2.1 upload on ...` → `2.1`). */
export function matrixIdOf(title: string): string | undefined {
  return /^([A-Z]\d+|\d+\.\d+)\b/.exec(title)?.[1];
}
