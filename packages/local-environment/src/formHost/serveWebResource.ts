import type { InstalledSolutions } from '../solutions/InstalledSolutions.js';
import { WEB_RESOURCE_CONTENT_TYPES } from '../solutions/readSolutionPackage.js';

/** What `/WebResources/<name>` answers: the content with its type and caching, or 404. */
export type WebResourceAnswer =
  | { readonly status: 200; readonly body: Uint8Array; readonly contentType: string; readonly cacheControl: string }
  | { readonly status: 404 };

// `/WebResources/<name>`, or with getWebResourceUrl's caching token `/%7B<token>%7D/WebResources/<name>`; the path is
// not case-sensitive (Microsoft's examples write both /WebResources/ and /webresources/).
const WEB_RESOURCE_PATH = /^\/(?:%7b(\d+)%7d\/)?webresources\/(.+)$/i;
// Code component files are served as web resources named `cc_<control name>/<file>`.
const CONTROL_FILE = /^cc_([^/]+)\/(.+)$/;
const CONTROL_FILE_TYPES: Readonly<Record<string, string>> = {
  js: WEB_RESOURCE_CONTENT_TYPES[3],
  css: WEB_RESOURCE_CONTENT_TYPES[2],
  html: WEB_RESOURCE_CONTENT_TYPES[1],
  xml: WEB_RESOURCE_CONTENT_TYPES[4],
  resx: WEB_RESOURCE_CONTENT_TYPES[12],
  png: WEB_RESOURCE_CONTENT_TYPES[5],
  svg: WEB_RESOURCE_CONTENT_TYPES[11],
};

/**
 * What the org serves at `path` from its imported solutions, or undefined when the path is not a web resource URL.
 * A URL with a caching token is cached for a year; a plain one is not cached ("Don't use this method and construct
 * the URL yourself, the item returned won't be cached": Client API reference, getWebResourceUrl).
 */
export function serveWebResource(solutions: InstalledSolutions, path: string): WebResourceAnswer | undefined {
  const match = WEB_RESOURCE_PATH.exec(path);
  if (!match) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(match[2] as string);
  } catch {
    return { status: 404 };
  }
  const cacheControl = match[1] === undefined ? 'no-cache' : 'public, max-age=31536000';
  const controlFile = CONTROL_FILE.exec(name);
  if (controlFile) {
    const file = solutions.control(controlFile[1] as string)?.files.get(controlFile[2] as string);
    if (file === undefined) return { status: 404 };
    return { status: 200, body: file, contentType: CONTROL_FILE_TYPES[(controlFile[2] as string).split('.').pop() ?? ''] ?? 'application/octet-stream', cacheControl };
  }
  const resource = solutions.webResource(name);
  if (resource === undefined) return { status: 404 };
  return { status: 200, body: resource.content, contentType: WEB_RESOURCE_CONTENT_TYPES[resource.type], cacheControl };
}
