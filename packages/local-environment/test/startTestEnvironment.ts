import { startLocalEnvironment, type LocalEnvironment } from '../src/startLocalEnvironment.js';
import type { LocalEnvironmentOptions } from '../src/resolveLocalEnvironmentOptions.js';
import { testDataDir } from './testDataDir.js';

/** Starts an environment on free ports with the test data folder. */
export function startTestEnvironment(options: Omit<LocalEnvironmentOptions, 'port' | 'dataDir'> = {}): Promise<LocalEnvironment> {
  return startLocalEnvironment({ ...options, port: 0, dataDir: testDataDir });
}
