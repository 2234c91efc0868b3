import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One data folder for the whole test run, so the certificate the global setup trusts is the one servers use. */
export const testDataDir = join(tmpdir(), 'navmap-local-environment-tests');
