import { beforeAll, describe, expect, it } from 'vitest';
import { importSolutionParameters, REDIRECT_PAGE, REDIRECT_SCRIPT, solutionZip } from '../../test/solutionZip.js';
import { environment, useTestEnvironmentPerFile } from '../../test/startTestEnvironment.js';
import { sdapSeed } from '../dataverse/sdapSeed.js';

useTestEnvironmentPerFile();
let token: string;

beforeAll(async () => {
  token = await environment.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', environment.dataverseUrl);
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${environment.dataverseUrl}/api/data/v9.2/${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers } });
const parameters = importSolutionParameters;
const importSolution = (body: unknown) => api('ImportSolution', { method: 'POST', body: JSON.stringify(body) });

describe('POST ImportSolution', () => {
  it('answers 204 with no body for an accepted import, as the action returns no value', async () => {
    const response = await importSolution(parameters(solutionZip()));
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it("answers a refused import in Dataverse's error envelope and keeps what was installed", async () => {
    const response = await importSolution(parameters(solutionZip({ version: '2.4.0', platformLibraries: [{ name: 'Fluent', version: '9.68.0' }] })));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toMatch(/^0x8[0-9a-f]{7}$/);
    expect(body.error.message).toContain('CustomControl with name sprk_Sdap.UniversalQuickCreate failed to import with error: platform library fluent_9_68_0');
    const page = (await (await api(`webresourceset?$select=name&$filter=name eq '${REDIRECT_PAGE.name}'`)).json()) as { value: unknown[] };
    expect(page.value).toHaveLength(1);
  });

  it('names a missing or malformed action parameter', async () => {
    const { CustomizationFile: _file, ...withoutFile } = parameters(solutionZip());
    const missing = await importSolution(withoutFile);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain("'CustomizationFile' is required");
    const badJob = await importSolution({ ...parameters(solutionZip()), ImportJobId: 'job-1' });
    expect(((await badJob.json()) as { error: { message: string } }).error.message).toContain("'ImportJobId' must be a GUID");
    expect((await api('ImportSolution')).status).toBe(405);
  });

  it('requires a token or session like every Web API call', async () => {
    const response = await fetch(`${environment.dataverseUrl}/api/data/v9.2/ImportSolution`, { method: 'POST', body: JSON.stringify(parameters(solutionZip())) });
    expect(response.status).toBe(401);
  });
});

describe('webresourceset', () => {
  it('lists, reads and deletes imported web resources by id, as an admin does', async () => {
    expect((await importSolution(parameters(solutionZip()))).status).toBe(204);
    const list = (await (await api(`webresourceset?$select=name,webresourcetype&$filter=name eq '${REDIRECT_SCRIPT.name}'`)).json()) as { value: Record<string, unknown>[] };
    expect(list.value).toEqual([{ webresourceid: REDIRECT_SCRIPT.id, name: REDIRECT_SCRIPT.name, webresourcetype: 3 }]);
    const one = (await (await api(`webresourceset(${REDIRECT_PAGE.id})?$select=content`)).json()) as { content: string };
    expect(Buffer.from(one.content, 'base64').toString()).toBe(REDIRECT_PAGE.content);

    expect((await api(`webresourceset(${REDIRECT_PAGE.id})`, { method: 'DELETE' })).status).toBe(204);
    const again = await api(`webresourceset(${REDIRECT_PAGE.id})`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('0x80040217');
    expect((await api(`webresourceset?$select=namex`)).status).toBe(400);
  });
});

describe('systemusers', () => {
  it("gives the signed-in user's UPN as domainname, and none for a user who is not an Entra ID user", async () => {
    const user = (await (await api(`systemusers(${sdapSeed.organization.testUserSystemUserId})?$select=domainname,fullname`)).json()) as Record<string, unknown>;
    expect(user).toMatchObject({ domainname: environment.testUser.username, fullname: 'Test User' });
    const local = (await (await api(`systemusers(${sdapSeed.organization.localUserSystemUserId})?$select=domainname`)).json()) as Record<string, unknown>;
    expect(local.domainname).toBeNull();
  });
});
