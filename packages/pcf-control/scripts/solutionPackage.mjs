import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipSync, strToU8 } from 'fflate';

export const NAMESPACE = 'Sdap';
export const CONSTRUCTOR = 'UniversalQuickCreate';
export const CONTROL_NAME = `${NAMESPACE}.${CONSTRUCTOR}`;
export const SOLUTION_NAME = 'UniversalQuickCreateSolution';

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const escapeXml = (text) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function listFiles(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Reads `version="x.y.z"` of the control element in a manifest. */
export function manifestVersion(manifestXml) {
  const match = /<control\b[^>]*\sversion="([^"]+)"/.exec(manifestXml);
  if (!match) throw new Error('The control manifest has no version attribute on <control>.');
  return match[1];
}

function contentTypes(extensions) {
  const defaults = [...extensions].sort().map((ext) => `<Default Extension="${ext}" ContentType="application/octet-stream" />`);
  return `<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${defaults.join('')}</Types>`;
}

function solutionXml(version) {
  return `<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml version="9.2.0.0" SolutionPackageVersion="9.2" languagecode="1033" generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <SolutionManifest>
    <UniqueName>${SOLUTION_NAME}</UniqueName>
    <LocalizedNames>
      <LocalizedName description="Universal Quick Create" languagecode="1033" />
    </LocalizedNames>
    <Descriptions>
      <Description description="${escapeXml('Document upload to SharePoint Embedded with NavMap-resolved lookups')}" languagecode="1033" />
    </Descriptions>
    <Version>${version}</Version>
    <Managed>0</Managed>
    <Publisher>
      <UniqueName>sdap</UniqueName>
      <LocalizedNames>
        <LocalizedName description="SDAP" languagecode="1033" />
      </LocalizedNames>
      <Descriptions />
      <EMailAddress xsi:nil="true"></EMailAddress>
      <SupportingWebsiteUrl xsi:nil="true"></SupportingWebsiteUrl>
      <CustomizationPrefix>sprk</CustomizationPrefix>
      <CustomizationOptionValuePrefix>52736</CustomizationOptionValuePrefix>
      <Addresses />
    </Publisher>
    <RootComponents>
      <RootComponent type="66" schemaName="${CONTROL_NAME}" behavior="0" />
    </RootComponents>
    <MissingDependencies />
  </SolutionManifest>
</ImportExportXml>
`;
}

function customizationsXml() {
  return `<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" OrganizationVersion="9.2.0.0" OrganizationSchemaType="Standard" CRMServerServiceabilityVersion="9.2.0.0">
  <Entities />
  <Roles />
  <Workflows />
  <FieldSecurityProfiles />
  <Templates />
  <EntityMaps />
  <EntityRelationships />
  <OrganizationSettings />
  <optionsets />
  <CustomControls>
    <CustomControl>
      <Name>${CONTROL_NAME}</Name>
      <FileName>/Controls/${CONTROL_NAME}/ControlManifest.xml</FileName>
    </CustomControl>
  </CustomControls>
  <EntityDataProviders />
  <Languages>
    <Language>1033</Language>
  </Languages>
</ImportExportXml>
`;
}

/**
 * The Dataverse solution zip for the built control: what `pac solution pack` would produce for a solution that holds
 * only this control. pac is not on npm, so the package is written here.
 * @param {string} controlOutputDir out/controls/UniversalQuickCreate
 * @param {string} version the solution version, equal to the manifest's
 */
export function buildSolutionZip(controlOutputDir, version) {
  const controlFiles = listFiles(controlOutputDir);
  const entries = {
    'solution.xml': strToU8(solutionXml(version)),
    'customizations.xml': strToU8(customizationsXml()),
  };
  const extensions = new Set(['xml']);
  for (const path of controlFiles) {
    const name = relative(controlOutputDir, path).split('\\').join('/');
    entries[`Controls/${CONTROL_NAME}/${name}`] = readFileSync(path);
    const ext = name.split('.').pop();
    if (ext) extensions.add(ext);
  }
  const zip = zipSync({ '[Content_Types].xml': strToU8(contentTypes(extensions)), ...entries }, { level: 9 });
  return { zip, files: Object.keys(entries).concat('[Content_Types].xml').sort() };
}
