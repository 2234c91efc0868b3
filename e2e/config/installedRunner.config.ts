/**
 * The installed runner's Playwright configuration (@sdap/navmap-validate; `navmap-validate` passes its flags in the
 * NAVMAP_VALIDATE_* variables below, which Playwright's workers inherit when they load this file again). The
 * `remote` projects only: the local project needs the repository's local environment.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createValidationConfig } from './createValidationConfig.js';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The folder `--output` names, absolute; the runner sets it. */
const output = process.env.NAVMAP_VALIDATE_OUTPUT ?? join(process.cwd(), 'navmap-validation');

export default createValidationConfig({
  specsDir: join(dist, 'specs'),
  setupDir: join(dist, 'remote'),
  reporterFile: join(dist, 'reporter', 'ValidationReportReporter.js'),
  reportDir: join(output, 'report'),
  testResultsDir: join(output, 'test-results'),
  remote: true,
});
