import { beforeAll, describe, expect, it } from 'vitest';
import { environment, useTestEnvironmentPerFile } from '../../test/startTestEnvironment.js';
import { importSolution as importSolutionInto, REDIRECT_PAGE, REDIRECT_SCRIPT, solutionZip } from '../../test/solutionZip.js';
import { sdapSeed } from '../dataverse/sdapSeed.js';

useTestEnvironmentPerFile();
let session: string;

beforeAll(async () => {
  const created = (await (await fetch(`${environment.adminUrl}/sessions`, { method: 'POST' })).json()) as { name: string; value: string };
  session = `${created.name}=${created.value}`;
});

const get = (url: string, cookie?: string) => fetch(url, { redirect: 'manual', ...(cookie ? { headers: { Cookie: cookie } } : {}) });
const matterId = '3a785f76-c773-f011-b4cb-6045bdd8b757';
const CONTROL = 'sprk_Sdap.UniversalQuickCreate';

const importSolution = (zip: Uint8Array) => importSolutionInto(environment, zip);

const pageConfigOf = (html: string) =>
  JSON.parse(/<script type="application\/json" id="formhost-config">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null') as {
    entityId: string;
    entityName: string;
    clientUrl: string;
    controlName: string;
    bundleUrl: string;
    controls: unknown[];
    user: { id: string; name: string };
  };

describe('the model-driven form host', () => {
  it('sends a visitor without a session through the identity provider, keeping the form address', async () => {
    const form = environment.formUrl('sprk_matter', matterId);
    const response = await get(form);
    expect(response.status).toBe(302);
    const signIn = new URL(response.headers.get('location') ?? '', environment.dataverseUrl);
    expect(signIn.pathname).toBe('/_formhost/signin');
    expect(signIn.searchParams.get('returnUrl')).toBe(new URL(form).pathname + new URL(form).search);

    const toProvider = await get(signIn.href);
    const authorize = new URL(toProvider.headers.get('location') ?? '');
    expect(authorize.href.startsWith(environment.authorizationEndpoint)).toBe(true);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${environment.dataverseUrl}/_formhost/signin-callback`);
  });

  it('refuses a callback it did not start', async () => {
    const response = await get(`${environment.dataverseUrl}/_formhost/signin-callback?code=x&state=forged`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Sign-in failed');
  });

  it('says the form host is not configured before configureFormHost', async () => {
    const response = await get(environment.formUrl('sprk_matter', matterId), session);
    expect(response.status).toBe(503);
  });

  it('renders a form without the control while its solution is not imported', async () => {
    environment.configureFormHost({ controlName: CONTROL, parameters: { bffBaseUrl: environment.bffUrl }, controlsPerForm: 2 });
    const response = await get(environment.formUrl('sprk_matter', matterId), session);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html.match(/data-testid="control-container"/g)).toHaveLength(2);
    expect(pageConfigOf(html)).toMatchObject({ controls: [], bundleUrl: '' });
  });

  it('renders the imported control on the record form, with the host configuration and the user as Dataverse gives it', async () => {
    const imported = await importSolution(solutionZip());
    expect(imported.status).toBe(204);
    const response = await get(environment.formUrl('sprk_matter', `{${matterId.toUpperCase()}}`), session);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<h1 data-testid="record-name">[^<]+<\/h1>/);
    const config = pageConfigOf(html);
    expect(config).toMatchObject({ entityId: matterId, entityName: 'sprk_matter', clientUrl: environment.dataverseUrl, controlName: 'Sdap.UniversalQuickCreate' });
    expect(config.controls).toHaveLength(2);
    // userSettings.userName is the full name; the UPN is systemuser.domainname.
    expect(config.user).toMatchObject({ id: sdapSeed.organization.testUserSystemUserId, name: 'Test User' });
    const bundle = await get(`${environment.dataverseUrl}${config.bundleUrl}`, session);
    expect(config.bundleUrl).toBe(`/WebResources/cc_${CONTROL}/bundle.js`);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect(await bundle.text()).toContain('registerControl');
  });

  it("serves the imported web resources at /WebResources/<name> with their type, to signed-in users only, and 404 for others", async () => {
    expect((await importSolution(solutionZip())).status).toBe(204);
    const page = await get(`${environment.dataverseUrl}/WebResources/${REDIRECT_PAGE.name}`, session);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(await page.text()).toBe(REDIRECT_PAGE.content);
    const versioned = await get(`${environment.dataverseUrl}/%7B638000000000000000%7D/webresources/${REDIRECT_SCRIPT.name}`, session);
    expect(versioned.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000');
    const anonymous = await get(`${environment.dataverseUrl}/WebResources/${REDIRECT_PAGE.name}`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/_formhost\/signin\?returnUrl=/);
    expect((await get(`${environment.dataverseUrl}/WebResources/sprk_/navmap/missing.html`, session)).status).toBe(404);
  });

  it("shows the record's Documents subgrid, newest first, and none on a create form", async () => {
    const subgridOf = async (url: string) => /<section aria-label="Documents subgrid"[\s\S]*?<\/section>/.exec(await (await get(url, session)).text())?.[0];
    const token = await environment.getClientCredentialsToken('navmap-e2e', 'navmap-e2e-secret', environment.dataverseUrl);
    const created: string[] = [];
    for (const name of ['Older.pdf', 'Newer.pdf']) {
      const response = await fetch(`${environment.dataverseUrl}/api/data/v9.2/sprk_documents`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ sprk_documentname: name, sprk_filesize: 2048, 'sprk_Matter@odata.bind': `/sprk_matters(${matterId})` }),
      });
      expect(response.status).toBe(204);
      created.push(/\(([0-9a-f-]{36})\)/.exec(response.headers.get('odata-entityid') ?? '')?.[1] ?? '');
    }
    const subgrid = await subgridOf(environment.formUrl('sprk_matter', matterId));
    expect(subgrid).toContain('data-subgrid="Documents"');
    const ids = [...(subgrid ?? '').matchAll(/<tr data-id="([^"]+)">/g)].map((match) => match[1]);
    expect(ids.slice(0, 2)).toEqual([created[1], created[0]]);
    expect(subgrid).toContain('<td>Newer.pdf</td><td>2.0 KB</td>');
    expect(await subgridOf(environment.formUrl('sprk_matter'))).toBeUndefined();
  });

  it('answers 404 for a record or table that does not exist, and a create form for no id', async () => {
    expect((await get(environment.formUrl('sprk_matter', '00000000-0000-0000-0000-00000000dead'), session)).status).toBe(404);
    expect((await get(environment.formUrl('sprk_nothing', matterId), session)).status).toBe(404);
    const create = await get(environment.formUrl('sprk_matter'), session);
    expect(create.status).toBe(200);
    expect(await create.text()).toContain('New ');
  });

  it('serves the runtime, and no redirect page of its own: a real org has none', async () => {
    expect((await get(`${environment.dataverseUrl}/_formhost/runtime.js`)).status).toBe(200);
    for (const path of ['/_formhost/msal-redirect.html', '/_formhost/msal-bridge.js', `/_formhost/controls/${CONTROL}/bundle.js`]) {
      expect((await get(`${environment.dataverseUrl}${path}`, session)).status).toBe(404);
    }
  });

  it('serves React 17.0.2, ReactDOM 17.0.2 and the Fluent 9 runtime that virtual controls render with', async () => {
    const react = await get(`${environment.dataverseUrl}/_formhost/platform/react.js`);
    expect(react.headers.get('content-type')).toContain('javascript');
    expect(await react.text()).toContain('React v17.0.2');
    expect(await (await get(`${environment.dataverseUrl}/_formhost/platform/react-dom.js`)).text()).toContain('React v17.0.2');
    const fluent = await (await get(`${environment.dataverseUrl}/_formhost/platform/fluent.js`)).text();
    expect(fluent).toContain('FormHostFluent');
    expect(fluent).toContain('window.React');
  });
});
