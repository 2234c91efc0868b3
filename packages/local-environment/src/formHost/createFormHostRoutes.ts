import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import express, { type Request, type Response } from 'express';
import { postForm } from '../http/postForm.js';
import { DATAVERSE_SESSION_COOKIE, type BrowserSessions } from '../dataverse/BrowserSessions.js';
import type { DataverseStore } from '../dataverse/DataverseStore.js';
import type { FormHostControlConfig, FormHostPageConfig } from './formHostRuntime.js';
import type { InstalledSolutions } from '../solutions/InstalledSolutions.js';
import { documentsSubgridRows, renderDocumentsSubgrid } from './documentsSubgrid.js';
import { controlBuild } from './readControlBuild.js';
import { controlStrings } from './controlStrings.js';
import { stableGuid } from '../dataverse/DataverseStore.js';
import { serveWebResource } from './serveWebResource.js';

/**
 * What a maker sets in the form designer: which code component is on every form, its property values and how many
 * instances. The component itself comes from an imported solution (`ImportSolution`), by name.
 */
export interface FormHostConfig {
  /** The control's `CustomControl/Name` in the imported solution, e.g. `sprk_Sdap.UniversalQuickCreate`. */
  readonly controlName: string;
  /** The control's manifest properties (bffBaseUrl, bffScope, clientId, authority, ...). */
  readonly parameters: Readonly<Record<string, string | number | null>>;
  /** How many instances of the control each form hosts (the validation row 8.3 of docs/e2e.md uses 2). @default 1 */
  readonly controlsPerForm?: number;
}

export interface FormHostRoutesOptions {
  readonly store: DataverseStore;
  readonly sessions: BrowserSessions;
  readonly dataverseUrl: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  /** PEM that the identity provider's certificate chains to. */
  readonly certificate: string;
  /** The signed-in user's systemuserid in the emulator. */
  readonly systemUserId: string;
  /** The org's imported solutions: the controls forms render and the web resources `/WebResources/` serves. */
  readonly solutions: InstalledSolutions;
  /** The form host's configuration; undefined until `configureFormHost` was called. */
  readonly config: () => FormHostConfig | undefined;
  /** Folder holding the bundled browser scripts (formHostRuntime.global.js and the Fluent 9 runtime fluentPlatformLibrary.global.js). */
  readonly scriptsDirectory: string;
}

const SIGN_IN_CLIENT = 'navmap-pcf';
/** Where the form host's own sign-in returns (a model-driven app's sign-in lands on the org too). */
export const FORM_HOST_SIGN_IN_CALLBACK = '/_formhost/signin-callback';
const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

const resolvePackageFile = createRequire(import.meta.url).resolve;

/**
 * The platform libraries model-driven apps give virtual controls: React 17.0.2 and ReactDOM 17.0.2 (UMD builds of the
 * npm aliases react17 and react-dom17, so they do not clash with other React versions in the workspace) and Fluent 9
 * (bundled once for the host with React as a global: see tsup.config.ts).
 */
const PLATFORM_SCRIPTS = {
  'react.js': () => resolvePackageFile('react17/umd/react.production.min.js'),
  'react-dom.js': () => resolvePackageFile('react-dom17/umd/react-dom.production.min.js'),
  'fluent.js': (scriptsDirectory: string) => `${scriptsDirectory}/fluentPlatformLibrary.global.js`,
} as const;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function page(title: string, body: string, status = 200): { status: number; html: string } {
  return {
    status,
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; font-family: 'Segoe UI', system-ui, sans-serif; background: #faf9f8; color: #242424; }
  header { background: #0f6cbd; color: #fff; padding: 8px 20px; font-size: 14px; }
  main { max-width: 960px; margin: 16px auto; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.14); padding: 16px 24px; }
  h1 { font-size: 20px; font-weight: 600; margin: 0 0 4px; }
  .entity { color: #616161; font-size: 12px; margin-bottom: 16px; }
  section { border-top: 1px solid #e0e0e0; padding-top: 12px; margin-top: 12px; }
  section h2 { font-size: 14px; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #edebe9; }
  .formhost-error { background: #fde7e9; color: #a4262c; padding: 8px 12px; }
</style></head>
<body>${body}</body></html>`,
  };
}

function idTokenClaims(idToken: string): Record<string, unknown> {
  const payload = idToken.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * The model-driven form host: `/main.aspx?etn=<entity>&id=<guid>&pagetype=entityrecord` renders the record's form
 * with the built PCF control, after a sign-in through the identity provider that leaves the Dataverse session cookie
 * a real model-driven app has.
 */
export function createFormHostRoutes(options: FormHostRoutesOptions): express.Router {
  const router = express.Router();
  const pendingSignIns = new Map<string, { verifier: string; returnUrl: string }>();
  const redirectUri = `${options.dataverseUrl}${FORM_HOST_SIGN_IN_CALLBACK}`;

  const send = (response: Response, result: { status: number; html: string }) =>
    response.status(result.status).type('html').setHeader('Cache-Control', 'no-store').send(result.html);

  router.get('/_formhost/signin', (request: Request, response: Response) => {
    const returnUrl = typeof request.query.returnUrl === 'string' && request.query.returnUrl.startsWith('/') ? request.query.returnUrl : '/';
    const state = randomBytes(16).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    pendingSignIns.set(state, { verifier, returnUrl });
    const authorize = new URL(options.authorizationEndpoint);
    authorize.search = new URLSearchParams({
      client_id: SIGN_IN_CLIENT,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid profile',
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    response.redirect(302, authorize.href);
  });

  router.get(FORM_HOST_SIGN_IN_CALLBACK, async (request: Request, response: Response) => {
    const state = typeof request.query.state === 'string' ? request.query.state : '';
    const pending = pendingSignIns.get(state);
    pendingSignIns.delete(state);
    if (!pending || typeof request.query.code !== 'string') {
      const reason = typeof request.query.error_description === 'string' ? request.query.error_description : 'the sign-in response is unknown or expired';
      return send(response, page('Sign-in failed', `<main><h1>Sign-in failed</h1><p>${escapeHtml(reason)}. <a href="/_formhost/signin">Try again</a>.</p></main>`, 400));
    }
    const redeemed = await postForm(
      options.tokenEndpoint,
      new URLSearchParams({ grant_type: 'authorization_code', client_id: SIGN_IN_CLIENT, code: request.query.code, redirect_uri: redirectUri, code_verifier: pending.verifier }),
      options.certificate,
    );
    let idToken: unknown;
    try {
      idToken = (JSON.parse(redeemed.body) as { id_token?: unknown }).id_token;
    } catch {
      idToken = undefined;
    }
    if (redeemed.status !== 200 || typeof idToken !== 'string') {
      return send(response, page('Sign-in failed', `<main><h1>Sign-in failed</h1><p>The identity provider answered ${redeemed.status}.</p></main>`, 502));
    }
    if (typeof idTokenClaims(idToken).sub !== 'string') {
      return send(response, page('Sign-in failed', '<main><h1>Sign-in failed</h1><p>The identity provider returned an ID token without a subject.</p></main>', 502));
    }
    const session = options.sessions.create(options.systemUserId);
    response.setHeader('Set-Cookie', `${DATAVERSE_SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax; Secure`);
    response.redirect(302, pending.returnUrl);
  });

  const userOf = (request: Request) => options.sessions.fromCookieHeader(request.headers.cookie);
  // As a real org: a page of the org without a session sends the browser to sign in first.
  const signIn = (request: Request, response: Response) => response.redirect(302, `/_formhost/signin?returnUrl=${encodeURIComponent(request.originalUrl)}`);

  router.get('/main.aspx', (request: Request, response: Response) => {
    const user = userOf(request);
    if (!user) return signIn(request, response);
    const config = options.config();
    if (!config) {
      return send(response, page('Form host not configured', '<main><h1>The form host is not configured</h1><p>Call configureFormHost() with the built control and its properties.</p></main>', 503));
    }
    const entityName = typeof request.query.etn === 'string' ? request.query.etn : '';
    const pageType = request.query.pagetype;
    const entity = options.store.entities.get(entityName);
    if (pageType !== 'entityrecord' || !entity) {
      const reason = pageType !== 'entityrecord' ? 'pagetype must be entityrecord' : `there is no table '${entityName}'`;
      return send(response, page('Record not available', `<main><h1>Record not available</h1><p>${escapeHtml(reason)}.</p></main>`, 404));
    }
    const rawId = typeof request.query.id === 'string' ? request.query.id : '';
    let entityId: string | null = null;
    let title = `New ${entity.displayName}`;
    if (rawId !== '') {
      const match = GUID.exec(rawId);
      const record = match ? options.store.findRecord(entityName, (match[1] as string).toLowerCase()) : undefined;
      if (!match || !record) {
        return send(response, page('Record not available', `<main><h1>Record not available</h1><p>${escapeHtml(entity.displayName)} ${escapeHtml(rawId)} does not exist.</p></main>`, 404));
      }
      entityId = (match[1] as string).toLowerCase();
      title = String(record.attributes[entity.primaryNameAttribute] ?? entityId);
    }
    const imported = options.solutions.control(config.controlName);
    const containers = Array.from({ length: config.controlsPerForm ?? 1 }, (_unused, index) => `control-${index + 1}`);
    // A form whose code component is not in the org renders without it (unverified: what a real form shows here).
    const controls: FormHostControlConfig[] =
      imported === undefined
        ? []
        : containers.map((containerId) => ({
            containerId,
            controlName: imported.name,
            label: 'Documents',
            parameters: config.parameters,
            parameterTypes: Object.fromEntries(imported.properties.map((property) => [property.name, property.ofType])),
            strings: controlStrings(imported, 1033),
          }));
    const build = imported === undefined ? { controlType: 'standard' as const, platformGlobals: { react: [], fluent: [] } } : controlBuild(imported);
    const userRecord = options.store.findRecord('systemuser', user.systemUserId);
    const pageConfig: FormHostPageConfig = {
      clientUrl: options.dataverseUrl,
      entityName,
      entityId,
      // Dataverse's userSettings.userName is the user's full name, not the sign-in name (systemuser.domainname).
      // The local user holds the System Administrator role (its id derived from the name, stable across starts).
      user: { id: user.systemUserId, name: String(userRecord?.attributes.fullname ?? ''), securityRoles: [stableGuid('role:System Administrator')] },
      controlName: imported?.registeredName ?? '',
      bundleUrl: imported === undefined ? '' : `/WebResources/cc_${imported.name}/${imported.codePath}`,
      ...build,
      controls,
    };
    const sections = containers
      .map((containerId, index) => `<section aria-label="Documents ${index + 1}"><h2>Documents</h2><div id="${containerId}" data-testid="control-container"></div></section>`)
      .join('');
    // As a model-driven form: a saved record's form shows its Documents subgrid under the control.
    const documents = entityId === null ? undefined : documentsSubgridRows(options.store, entityName, entityId);
    const subgrid = documents === undefined ? '' : renderDocumentsSubgrid(documents, escapeHtml);
    // `<` escaped so the JSON cannot close the script element.
    const json = JSON.stringify(pageConfig).replace(/</g, '\\u003c');
    send(
      response,
      page(
        `${title} - ${entity.displayName}`,
        `<header>Power Apps · NavMap local environment</header>
<main><h1 data-testid="record-name">${escapeHtml(title)}</h1><div class="entity">${escapeHtml(entity.displayName)}</div>${sections}${subgrid}</main>
<script type="application/json" id="formhost-config">${json}</script>
${build.controlType === 'virtual' ? Object.keys(PLATFORM_SCRIPTS).map((file) => `<script src="/_formhost/platform/${file}"></script>`).join('\n') : ''}
<script src="/_formhost/runtime.js"></script>`,
      ),
    );
  });

  const script = (file: string) => async (_request: Request, response: Response) => {
    response.type('application/javascript').setHeader('Cache-Control', 'no-store');
    response.send(await readFile(`${options.scriptsDirectory}/${file}`, 'utf8'));
  };
  router.get('/_formhost/runtime.js', script('formHostRuntime.global.js'));
  for (const [file, path] of Object.entries(PLATFORM_SCRIPTS)) {
    router.get(`/_formhost/platform/${file}`, async (_request: Request, response: Response) => {
      // Versioned platform files: cached as the platform's CDN lets browsers cache them.
      response.type('application/javascript').setHeader('Cache-Control', 'public, max-age=3600');
      response.send(await readFile(path(options.scriptsDirectory), 'utf8'));
    });
  }
  router.use((request: Request, response: Response, next) => {
    const served = serveWebResource(options.solutions, request.path);
    if (served === undefined) return next();
    if (!userOf(request)) return signIn(request, response);
    if (served.status === 404) return send(response, page('The resource cannot be found.', '<main><h1>The resource cannot be found.</h1></main>', 404));
    response.status(200).setHeader('Content-Type', served.contentType).setHeader('Cache-Control', served.cacheControl).end(Buffer.from(served.body));
  });

  return router;
}
