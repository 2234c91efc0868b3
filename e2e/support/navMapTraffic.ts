import type { BrowserContext, Route } from '@playwright/test';
import bundledFallbackJson from '@sdap/pcf-control/UniversalQuickCreate/navmap.fallback.json' with { type: 'json' };
import type { NavMapBody } from '../pages/NavMapEndpoint.js';
import type { ModelDrivenForm } from '../pages/ModelDrivenForm.js';

/** The URL pattern of the NavMap endpoint, for request interception. */
export const NAVMAP_ROUTE = '**/api/pcf/dataverse-navmap**';

/** The map bundled with the control, as built (packages/pcf-control/UniversalQuickCreate/navmap.fallback.json). */
// Imported, not read from a path: the installed runner carries it in its bundle (e2e/scripts/build.ts).
export const bundledFallback = bundledFallbackJson as NavMapBody;

/** Counts the GET requests any page of the context sends to the NavMap endpoint. */
export function countNavMapRequests(context: BrowserContext): { readonly count: number } {
  const counter = { count: 0 };
  context.on('request', (request) => {
    if (request.method() === 'GET' && request.url().includes('/api/pcf/dataverse-navmap')) counter.count++;
  });
  return counter;
}

/** Answers every NavMap request of the context with `answer` (the server is never reached). */
export async function interceptNavMap(context: BrowserContext, answer: (route: Route) => Promise<void>): Promise<void> {
  await context.route(NAVMAP_ROUTE, async (route) => {
    // CORS preflights pass: the interception stands in for the server's answer, not for the browser's rules.
    if (route.request().method() === 'OPTIONS') await route.continue();
    else await answer(route);
  });
}

/** Lets the real server answer every NavMap request of the context, then hands the page `change(map)` instead. */
export async function rewriteNavMap(context: BrowserContext, change: (map: NavMapBody) => unknown): Promise<void> {
  await interceptNavMap(context, async (route) => {
    const response = await route.fetch();
    await fulfillJson(route, 200, change((await response.json()) as NavMapBody));
  });
}

/**
 * Uploads a small file on the form and checks the record's lookup points at the form's record, through the
 * lookup the given map names for the parent. Returns the document id.
 */
export async function uploadAndCheckLink(form: ModelDrivenForm, parentEntity: string, parentId: string, map: NavMapBody, fileName: string): Promise<string> {
  const entry = map.parents[parentEntity];
  if (!entry) throw new Error(`The map has no entry for ${parentEntity}.`);
  const [id] = await form.upload([{ name: fileName, mimeType: 'text/plain', buffer: Buffer.from(`${fileName} for ${parentEntity} ${parentId}`) }]);
  const lookup = `_${entry.lookupAttribute}_value`;
  const record = await form.retrieve('sprk_document', id as string, `?$select=${lookup}`);
  if (record[lookup] !== parentId) throw new Error(`${fileName}: ${lookup} is ${String(record[lookup])}, expected ${parentId}.`);
  return id as string;
}

/** Fulfils a cross-origin NavMap request with a JSON answer the browser's CORS rules let the page read. */
export async function fulfillJson(route: Route, status: number, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  const origin = route.request().headers().origin ?? '*';
  await route.fulfill({
    status,
    contentType: 'application/json',
    headers: { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
