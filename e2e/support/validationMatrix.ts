/**
 * The post-deployment validation matrix (shared/reference/validation-matrix.md) by ID. `elsewhere` names where a
 * row is proven today when no e2e test carries its ID yet; `manual` says why a machine cannot check it.
 */
export interface MatrixRow {
  readonly id: string;
  readonly check: string;
  readonly target?: string;
  readonly elsewhere?: string;
  readonly manual?: string;
}

const sdkBrowser = 'SDK Chromium suite (npm run test:browser -w @sdap/navmap-sdk)';
const server = 'navmap-server integration tests (npm test -w @sdap/navmap-server)';

export const validationMatrix: readonly MatrixRow[] = [
  { id: 'D1', check: 'BFF health', target: 'health 200; ready once a map exists', elsewhere: server },
  { id: 'D2', check: 'NavMap endpoint', target: '200 with parents, version, generatedAt, environment' },
  { id: 'D3', check: 'all configured parents present' },
  { id: 'D4', check: 'navigation property case', target: 'equals Dataverse metadata' },
  { id: 'D5', check: 'warm calls fast', target: '< 50 ms', elsewhere: server },
  { id: '1.1', check: 'Layer 1: server', elsewhere: sdkBrowser },
  { id: '1.2', check: 'Layer 2: cache hit, no endpoint request', target: '< 10 ms', elsewhere: `${sdkBrowser} and the 8.3 form test (reload)` },
  { id: '1.3', check: 'Layer 3: bundled fallback', elsewhere: sdkBrowser },
  { id: '1.4', check: 'document created with server metadata', elsewhere: 'row 2.1 (same upload, server map)' },
  { id: '2.1', check: 'upload on a Matter form' },
  { id: '2.2', check: 'upload on a Project form' },
  { id: '2.3', check: 'upload on an Invoice form' },
  { id: '2.4', check: 'upload on an Account form' },
  { id: '2.5', check: 'upload on a Contact form' },
  { id: '3.1', check: 'unsupported parent' },
  { id: '3.2', check: 'BFF down: fallback, upload still succeeds', elsewhere: sdkBrowser },
  { id: '3.3', check: 'BFF 401: falls back', elsewhere: sdkBrowser },
  { id: '3.4', check: 'malformed response: falls back', elsewhere: sdkBrowser },
  { id: '3.5', check: 'server timeout', target: '5 s', elsewhere: sdkBrowser },
  { id: '3.6', check: 'storage full: warning only', elsewhere: sdkBrowser },
  { id: '3.7', check: 'wrong-case navigation property', elsewhere: 'local-environment and SDK self-healing tests' },
  { id: '4.1', check: 'cache hit rate over 20 loads', target: '> 95 %', elsewhere: sdkBrowser },
  { id: '4.2', check: 'server timings', target: 'cold < 500 ms, warm < 50 ms', elsewhere: 'npm run bench -w @sdap/navmap-server' },
  { id: '4.3', check: 'control init', target: '< 2 s' },
  { id: '5.1', check: 'auth required' },
  { id: '5.2', check: 'audience checked' },
  { id: '5.3', check: 'no sensitive data' },
  { id: '6.1', check: 'previous behaviour kept with the server unreachable', elsewhere: sdkBrowser },
  { id: '6.2', check: 'old control unaffected', manual: 'needs the previous control (2.2.0) deployed beside the new one' },
  { id: '7.1', check: 'console logging', elsewhere: sdkBrowser },
  { id: '7.2', check: 'telemetry events', elsewhere: sdkBrowser },
  { id: '8.1', check: 'empty parent list', elsewhere: server },
  { id: '8.2', check: 'parent missing in Dataverse', elsewhere: server },
  { id: '8.3', check: 'several controls on one page' },
  { id: 'E1', check: 'cache hit after reload during upload' },
];

/** The matrix ID a test title starts with (`2.1 upload on ...` → `2.1`). */
export function matrixIdOf(title: string): string | undefined {
  return /^([A-Z]\d+|\d+\.\d+)\b/.exec(title)?.[1];
}
