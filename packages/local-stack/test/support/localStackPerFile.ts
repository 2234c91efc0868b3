// Shared test support, used by the integration tests in test/navmap-server/ whose tests each start their own servers.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startLocalStack, type LocalEnvironmentStack, type LocalStackOptions } from '../../src/index.js';

/** The stack `useLocalStackPerFile()` started for the running test file (set once its `beforeAll` ran). */
export let stack: LocalEnvironmentStack;

/**
 * One local environment for a test file, without navmap-server on its BFF: each test starts the servers it needs.
 * Started before the file's tests and stopped after them; after each test, the servers it started are stopped and the
 * faults it set are cleared, so no test sees another's. Call it once at the top of the file and read `stack`.
 * The file's own `afterEach` hooks run before these: vitest runs after-hooks in reverse order of registration.
 */
export function useLocalStackPerFile(options: Omit<LocalStackOptions, 'navMapOnBff'> = {}): void {
  beforeAll(async () => {
    stack = await startLocalStack({ ...options, navMapOnBff: false });
  }, 60_000);
  afterEach(async () => {
    await stack.stopServers();
    await stack.admin.clearFaults();
  });
  afterAll(() => stack?.stop());
}
