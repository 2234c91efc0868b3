import type { ParseArgsConfig } from 'node:util';

/** `navmap-validate`'s flags (its --help says what each does); the pipeline templates' test checks theirs against these. */
export const RUNNER_OPTIONS = {
  'env-file': { type: 'string' },
  chromium: { type: 'string' },
  output: { type: 'string' },
  'report-missed-targets': { type: 'boolean' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];
