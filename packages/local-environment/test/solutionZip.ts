import { strToU8, zipSync } from 'fflate';

/** A web resource of a test solution. */
export interface TestWebResource {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly content: string;
  /** The FileName element; `null` leaves the file out of the zip. @default flattened name + upper-case id */
  readonly fileName?: string;
  /** Declare it as a root component of type 61. @default true */
  readonly root?: boolean;
  /** Put its file in the zip. @default true */
  readonly packed?: boolean;
}

/** What a test solution holds; every field defaults to a valid pac-shaped solution of one virtual control. */
export interface TestSolution {
  readonly uniqueName?: string;
  readonly version?: string;
  readonly prefix?: string;
  readonly controlName?: string;
  readonly controlType?: string;
  readonly platformLibraries?: readonly { name: string; version: string }[];
  readonly bundle?: string;
  /** Manifest `<property>` elements. @default none */
  readonly properties?: readonly { name: string; ofType: string }[];
  /** Files of `strings/<name>` in the control folder, declared as `<resx path>`. @default none */
  readonly resx?: Readonly<Record<string, string>>;
  readonly manifest?: boolean;
  readonly controlRoot?: boolean;
  readonly webResources?: readonly TestWebResource[];
  /** Root files left out of the zip. */
  readonly omit?: readonly string[];
}

export const REDIRECT_PAGE: TestWebResource = {
  id: '3f1d8f0e-6a5b-4c2d-9e8f-7a6b5c4d3e2f',
  name: 'sprk_/navmap/msalredirect.html',
  type: '1',
  content: '<!doctype html><title>Signing in</title><script src="msalredirect.js"></script>',
};
export const REDIRECT_SCRIPT: TestWebResource = {
  id: '4a2e9f1b-7b6c-4d3e-8f9a-8b7c6d5e4f3a',
  name: 'sprk_/navmap/msalredirect.js',
  type: '3',
  content: 'window.bridged = true;',
};

const flattened = (resource: TestWebResource) => `/WebResources/${resource.name.replace(/[^A-Za-z0-9_]/g, '')}${resource.id.toUpperCase()}`;

/** A solution zip shaped as `pac solution pack` makes it, with the faults a test asks for. */
export function solutionZip(solution: TestSolution = {}): Uint8Array {
  const prefix = solution.prefix ?? 'sprk';
  const controlName = solution.controlName ?? `${prefix}_Sdap.UniversalQuickCreate`;
  const webResources = solution.webResources ?? [REDIRECT_PAGE, REDIRECT_SCRIPT];
  const libraries = solution.platformLibraries ?? [
    { name: 'React', version: '16.14.0' },
    { name: 'Fluent', version: '9.46.2' },
  ];
  const roots = [
    ...(solution.controlRoot === false ? [] : [`<RootComponent type="66" schemaName="${controlName}" behavior="0" />`]),
    ...webResources.filter((resource) => resource.root !== false).map((resource) => `<RootComponent type="61" schemaName="${resource.name}" behavior="0" />`),
  ];
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/octet-stream" /></Types>'),
    'solution.xml': strToU8(`<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml version="9.2.0.0" SolutionPackageVersion="9.2" languagecode="1033" generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <SolutionManifest>
    <UniqueName>${solution.uniqueName ?? 'UniversalQuickCreateSolution'}</UniqueName>
    <Version>${solution.version ?? '2.3.0'}</Version>
    <Managed>0</Managed>
    <Publisher><UniqueName>sdap</UniqueName><CustomizationPrefix>${prefix}</CustomizationPrefix></Publisher>
    <RootComponents>${roots.join('')}</RootComponents>
  </SolutionManifest>
</ImportExportXml>`),
    'customizations.xml': strToU8(`<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <WebResources>${webResources
    .map((resource) => `<WebResource><WebResourceId>{${resource.id}}</WebResourceId><Name>${resource.name}</Name><DisplayName>${resource.name}</DisplayName><WebResourceType>${resource.type}</WebResourceType><FileName>${resource.fileName ?? flattened(resource)}</FileName></WebResource>`)
    .join('')}</WebResources>
  <CustomControls><CustomControl><Name>${controlName}</Name><FileName>/Controls/${controlName}/ControlManifest.xml</FileName></CustomControl></CustomControls>
</ImportExportXml>`),
    [`Controls/${controlName}/bundle.js`]: strToU8(solution.bundle ?? 'ComponentFramework.registerControl("Sdap.UniversalQuickCreate", function () {}); Reactv16; FluentUIReactv940;'),
  };
  if (solution.manifest !== false) {
    files[`Controls/${controlName}/ControlManifest.xml`] = strToU8(`<?xml version="1.0" encoding="utf-8"?><manifest><control namespace="Sdap" constructor="UniversalQuickCreate" version="${solution.version ?? '2.3.0'}" control-type="${solution.controlType ?? 'virtual'}">${(solution.properties ?? []).map((property) => `<property name="${property.name}" of-type="${property.ofType}" usage="input" />`).join('')}<resources><code path="bundle.js" order="1" />${libraries.map((library) => `<platform-library name="${library.name}" version="${library.version}" />`).join('')}${Object.keys(solution.resx ?? {}).map((path) => `<resx path="${path}" version="1.0.0" />`).join('')}</resources></control></manifest>`);
  }
  for (const [path, content] of Object.entries(solution.resx ?? {})) files[`Controls/${controlName}/${path}`] = strToU8(content);
  for (const resource of webResources) {
    if (resource.packed !== false) files[(resource.fileName ?? flattened(resource)).replace(/^\//, '')] = strToU8(resource.content);
  }
  for (const name of solution.omit ?? []) delete files[name];
  return zipSync(files);
}

/** The ImportSolution action's parameters for `zip`, as `pac solution import` sends them. */
export const importSolutionParameters = (zip: Uint8Array) => ({
  OverwriteUnmanagedCustomizations: true,
  PublishWorkflows: true,
  CustomizationFile: Buffer.from(zip).toString('base64'),
  ImportJobId: crypto.randomUUID(),
});

/** Imports `zip` into the environment's org through `POST ImportSolution` with the release pipeline's token. */
export async function importSolution(environment: { dataverseUrl: string; getClientCredentialsToken(id: string, secret: string, audience: string): Promise<string> }, zip: Uint8Array): Promise<Response> {
  const token = await environment.getClientCredentialsToken('navmap-deploy', 'navmap-deploy-secret', environment.dataverseUrl);
  return fetch(`${environment.dataverseUrl}/api/data/v9.2/ImportSolution`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(importSolutionParameters(zip)),
  });
}
