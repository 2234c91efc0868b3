/**
 * The `remote` project's variables: a missing or malformed NAVMAP_E2E_* variable stops the run before any test,
 * naming the variable and what to put in it.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { readRemoteSettings, RemoteSettingsError } from '../support/remoteSettings.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const complete = {
  NAVMAP_E2E_ORG_URL: 'https://contoso.crm.dynamics.com/',
  NAVMAP_E2E_APP_ID: '{7A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9}',
  NAVMAP_E2E_BFF_URL: 'https://spe-bff-api.azurewebsites.net',
  NAVMAP_E2E_BFF_SCOPE: 'api://1f2e3d4c-5b6a-4978-8877-665544332211/NavMap.Read',
  NAVMAP_E2E_TENANT_ID: 'contoso.onmicrosoft.com',
  NAVMAP_E2E_CLIENT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  NAVMAP_E2E_CLIENT_SECRET: 'secret',
  NAVMAP_E2E_RECORD_SPRK_MATTER: '3A785F76-C773-F011-B4CB-6045BDD8B757',
  NAVMAP_E2E_RECORD_ACCOUNT: 'd3e5a7c9-6c8e-4a9c-8e3a-7b9d1f3a5e51',
  NAVMAP_E2E_UNSUPPORTED_RECORD: 'lead:17c9ebad-e2f4-4ed0-8c7e-5f7b9d1f3c99',
  NAVMAP_E2E_DOCUMENTS_SUBGRID: 'Documents',
  NAVMAP_E2E_USERNAME: 'qa@contoso.com',
  NAVMAP_E2E_PASSWORD: 'password',
  NAVMAP_E2E_TOTP_SECRET: 'JBSW Y3DP EHPK 3PXP',
};

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    readRemoteSettings(env);
    return [];
  } catch (error) {
    if (error instanceof RemoteSettingsError) return error.problems;
    throw error;
  }
}

test('remote settings: a complete set is read, normalised', () => {
  const settings = readRemoteSettings(complete);
  expect(settings).toMatchObject({
    orgUrl: 'https://contoso.crm.dynamics.com',
    appId: '7a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9',
    records: { sprk_matter: '3a785f76-c773-f011-b4cb-6045bdd8b757', account: 'd3e5a7c9-6c8e-4a9c-8e3a-7b9d1f3a5e51' },
    unsupportedRecord: { entity: 'lead', id: '17c9ebad-e2f4-4ed0-8c7e-5f7b9d1f3c99' },
    documentsSubgrid: 'Documents',
    signIn: { kind: 'password', username: 'qa@contoso.com', totpSecret: 'JBSWY3DPEHPK3PXP' },
  });
  expect(readRemoteSettings({ ...complete, NAVMAP_E2E_USERNAME: undefined, NAVMAP_E2E_STORAGE_STATE: '/secure/qa.json' }).signIn).toEqual({
    kind: 'storageState',
    path: '/secure/qa.json',
  });
});

test('remote settings: every missing or malformed variable is named with what to put in it', () => {
  expect(problemsOf({})).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^NAVMAP_E2E_ORG_URL is missing: set it to the Dataverse organisation URL/),
      expect.stringMatching(/^NAVMAP_E2E_APP_ID is missing/),
      expect.stringMatching(/^NAVMAP_E2E_CLIENT_SECRET is missing/),
      expect.stringMatching(/^NAVMAP_E2E_RECORD_SPRK_MATTER is missing/),
      expect.stringMatching(/^NAVMAP_E2E_DOCUMENTS_SUBGRID is missing: .*subgrid/),
      expect.stringMatching(/^NAVMAP_E2E_USERNAME is missing: .*NAVMAP_E2E_STORAGE_STATE/),
    ]),
  );
  expect(problemsOf({ ...complete, NAVMAP_E2E_ORG_URL: 'http://contoso.crm.dynamics.com' })).toEqual([
    'NAVMAP_E2E_ORG_URL must be an https URL such as the Dataverse organisation URL, e.g. https://contoso.crm.dynamics.com; it is "http://contoso.crm.dynamics.com".',
  ]);
  expect(problemsOf({ ...complete, NAVMAP_E2E_RECORD_CONTACT: 'Nancy' })).toEqual([expect.stringMatching(/^NAVMAP_E2E_RECORD_CONTACT must be a GUID/)]);
  expect(problemsOf({ ...complete, NAVMAP_E2E_BFF_SCOPE: 'NavMap.Read' })).toEqual([expect.stringMatching(/^NAVMAP_E2E_BFF_SCOPE must be "<resource>\/<scope>"/)]);
  expect(problemsOf({ ...complete, NAVMAP_E2E_TOTP_SECRET: '123456' })).toEqual([expect.stringMatching(/^NAVMAP_E2E_TOTP_SECRET must be the base32 secret/)]);
  expect(problemsOf({ ...complete, NAVMAP_E2E_DOCUMENTS_SUBGRID: 'Documents grid' })).toEqual([expect.stringMatching(/^NAVMAP_E2E_DOCUMENTS_SUBGRID must be a subgrid's Name/)]);
  expect(problemsOf({ ...complete, NAVMAP_E2E_UNSUPPORTED_RECORD: 'lead' })).toEqual([expect.stringMatching(/^NAVMAP_E2E_UNSUPPORTED_RECORD must be "<table>:<guid>"/)]);
});

/** Runs `playwright test --project=remote --list` with exactly these NAVMAP_E2E_* variables. */
async function listRemote(variables: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NAVMAP_E2E_'))), ...variables };
  const child = spawn(process.execPath, [join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '--project=remote', '--list'], { cwd: root, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

test('remote settings: `--project=remote` without the variables stops before any test, naming them', async () => {
  const { code, output } = await listRemote({});
  expect(code).not.toBe(0);
  expect(output).toContain('NAVMAP_E2E_ORG_URL is missing');
  expect(output).toContain('NAVMAP_E2E_BFF_URL is missing');
  expect(output).not.toContain('Total:'); // nothing was listed, let alone run
});

test('remote settings: `--project=remote --list` with one variable wrong at a time stops with one line naming that variable', async () => {
  test.setTimeout(240_000);
  const wrong: [string, string | undefined][] = [
    ['NAVMAP_E2E_ORG_URL', 'http://contoso.crm.dynamics.com'],
    ['NAVMAP_E2E_APP_ID', 'sales-hub'],
    ['NAVMAP_E2E_BFF_URL', undefined],
    ['NAVMAP_E2E_BFF_SCOPE', 'NavMap.Read'],
    ['NAVMAP_E2E_TENANT_ID', '  '],
    ['NAVMAP_E2E_CLIENT_ID', 'qa-client'],
    ['NAVMAP_E2E_CLIENT_SECRET', undefined],
    ['NAVMAP_E2E_AUTHORITY_HOST', 'login.microsoftonline.com'],
    ['NAVMAP_E2E_RECORD_SPRK_MATTER', undefined],
    ['NAVMAP_E2E_RECORD_ACCOUNT', 'Contoso Ltd'],
    ['NAVMAP_E2E_UNSUPPORTED_RECORD', 'lead'],
    ['NAVMAP_E2E_DOCUMENTS_SUBGRID', undefined],
    ['NAVMAP_E2E_USERNAME', undefined],
    ['NAVMAP_E2E_PASSWORD', undefined],
    ['NAVMAP_E2E_TOTP_SECRET', '123456'],
    ['NAVMAP_E2E_MISSED_TARGETS', 'warn'],
  ];
  // `complete` has no problem (first test): each failure below is that one variable's.
  const results: { variable: string; code: number | null; problems: string[] }[] = [];
  const queue = [...wrong];
  const run = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [variable, value] = next;
      const { code, output } = await listRemote({ ...complete, [variable]: value });
      results.push({ variable, code, problems: output.split('\n').filter((line) => /^ {2}- NAVMAP_E2E_/.test(line)) });
    }
  };
  await Promise.all([run(), run(), run(), run()]); // each CLI mostly waits on loading its config
  for (const [variable] of wrong) {
    const result = results.find((candidate) => candidate.variable === variable);
    expect(result?.code, variable).not.toBe(0);
    expect(result?.problems, variable).toHaveLength(1);
    expect(result?.problems[0], variable).toMatch(new RegExp(`^ {2}- ${variable} (is missing|must be)`));
  }
});
