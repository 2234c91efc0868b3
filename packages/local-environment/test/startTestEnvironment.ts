import { afterAll, beforeAll } from 'vitest';
import { startLocalEnvironment, type LocalEnvironment } from '../src/startLocalEnvironment.js';
import type { LocalEnvironmentOptions } from '../src/resolveLocalEnvironmentOptions.js';
import { testDataDir } from './testDataDir.js';

type TestEnvironmentOptions = Omit<LocalEnvironmentOptions, 'port' | 'dataDir'>;

/** Starts an environment on free ports with the test data folder. */
export function startTestEnvironment(options: TestEnvironmentOptions = {}): Promise<LocalEnvironment> {
  return startLocalEnvironment({ ...options, port: 0, dataDir: testDataDir });
}

/** The environment `useTestEnvironmentPerFile()` started for the running test file (set once its `beforeAll` ran). */
export let environment: LocalEnvironment;

/**
 * One environment for a test file: started before the file's own `beforeAll` hooks (call this first) and stopped after
 * its tests, after the file's own `afterAll` hooks (vitest runs after-hooks in reverse order). Read it from `environment`.
 */
export function useTestEnvironmentPerFile(options: TestEnvironmentOptions = {}): void {
  beforeAll(async () => {
    environment = await startTestEnvironment(options);
  });
  afterAll(() => environment?.stop());
}
