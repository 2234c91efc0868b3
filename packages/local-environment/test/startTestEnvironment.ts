import { startLocalEnvironment, type LocalEnvironment, type LocalEnvironmentOptions } from '../src/startLocalEnvironment.js';
import { testDataDir } from './testDataDir.js';

/** Starts an environment on free ports with the test data folder. */
export function startTestEnvironment(fidelity?: LocalEnvironmentOptions['fidelity']): Promise<LocalEnvironment> {
  return startLocalEnvironment({ port: 0, dataDir: testDataDir, ...(fidelity === undefined ? {} : { fidelity }) });
}

export interface Admin {
  fault(spec: Record<string, unknown>): Promise<Response>;
  clearFaults(): Promise<void>;
  requests(): Promise<{ metadata: number; records: number; upload: number; total: number }>;
  reset(body?: Record<string, unknown>): Promise<void>;
}

export function admin(environment: LocalEnvironment): Admin {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${environment.adminUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
  return {
    fault: (spec) => call('POST', '/faults', spec),
    clearFaults: async () => {
      await call('DELETE', '/faults');
    },
    requests: async () => (await call('GET', '/requests')).json() as Promise<{ metadata: number; records: number; upload: number; total: number }>,
    reset: async (body) => {
      await call('POST', '/reset', body ?? {});
    },
  };
}
