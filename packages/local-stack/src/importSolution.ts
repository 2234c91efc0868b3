import { readFile } from 'node:fs/promises';

export interface ImportSolutionOptions {
  /** The org, e.g. `https://localhost:7071`. */
  readonly dataverseUrl: string;
  /** An access token for the org (`<org>/.default`), as `pac auth create` gets one. */
  readonly getToken: () => Promise<string>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * Imports a solution zip the way `pac solution import` and the Power Platform Build Tools do: one
 * `POST <org>/api/data/v9.2/ImportSolution` with the zip in base64. Throws with Dataverse's code and message when the
 * org refuses it.
 *
 * @example
 * await importSolution('packages/pcf-control/out/solution/UniversalQuickCreateSolution.zip', { dataverseUrl, getToken });
 */
export async function importSolution(zipPath: string, options: ImportSolutionOptions): Promise<void> {
  const zip = await readFile(zipPath).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`No solution zip at ${zipPath} (${error.code ?? error.message}): run "npm run build -w @sdap/pcf-control".`);
  });
  const response = await (options.fetch ?? fetch)(`${options.dataverseUrl.replace(/\/+$/, '')}/api/data/v9.2/ImportSolution`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await options.getToken()}`, 'Content-Type': 'application/json', Accept: 'application/json', 'OData-Version': '4.0', 'OData-MaxVersion': '4.0' },
    body: JSON.stringify({
      OverwriteUnmanagedCustomizations: true,
      PublishWorkflows: true,
      CustomizationFile: zip.toString('base64'),
      ImportJobId: crypto.randomUUID(),
    }),
    signal: AbortSignal.timeout(60_000),
  });
  if (response.ok) return;
  const text = await response.text();
  let detail = text.slice(0, 500);
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (error?.message) detail = `${error.code ?? ''} ${error.message}`.trim();
  } catch {
    // not Dataverse's JSON: keep the text
  }
  throw new Error(`ImportSolution refused ${zipPath} (HTTP ${response.status}): ${detail}`);
}
