import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, strToU8 } from 'fflate';

/**
 * What the solution holds and how it names it. The local environment's ImportSolution (packages/local-environment)
 * imports these constants instead of repeating the names.
 */
export const PUBLISHER_PREFIX = 'sprk';
export const NAMESPACE = 'Sdap';
export const CONSTRUCTOR = 'UniversalQuickCreate';
/** `<publisher prefix>_<namespace>.<constructor>`, as `pac solution pack` names a code component. */
export const CONTROL_NAME = `${PUBLISHER_PREFIX}_${NAMESPACE}.${CONSTRUCTOR}`;
export const SOLUTION_NAME = 'UniversalQuickCreateSolution';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The web resources the solution ships (web-resources/webResources.json, which the control reads too). */
const webResources = JSON.parse(readFileSync(join(root, 'web-resources', 'webResources.json'), 'utf8'));
/** The page at the control's default MSAL redirect URI, `<org>/WebResources/<this name>`. */
export const REDIRECT_PAGE_WEB_RESOURCE = webResources.redirectPage.name;
/** The script the redirect page loads (msal-browser's redirect bridge). */
export const REDIRECT_SCRIPT_WEB_RESOURCE = webResources.redirectScript.name;

/**
 * Where a solution zip stores a web resource's content, as Dataverse exports and `pac solution pack` write it: the
 * name without its slashes and dots, then the id in upper case (`sprk_/navmap/msalredirect.html` →
 * `/WebResources/sprk_navmapmsalredirecthtmlF69BCE2D-…`).
 */
export function webResourceFileName(name, id) {
  return `/WebResources/${name.replace(/[/.]/g, '')}${id.toUpperCase()}`;
}

/**
 * The shipped web resources with their fixed ids (stable across builds: Dataverse matches a web resource on import by
 * its id) and the built file each is made of.
 */
export const WEB_RESOURCES = [webResources.redirectPage, webResources.redirectScript].map((resource) => ({
  name: resource.name,
  id: resource.id,
  type: resource.type,
  displayName: resource.displayName,
  builtFile: resource.source.replace(/\.ts$/, '.js'),
  fileName: webResourceFileName(resource.name, resource.id),
}));

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

// A Dataverse export and pac (System.IO.Packaging) write it with a BOM, on one line: one Default per extension and an
// Override per extension-less part (the web resources).
function contentTypes(extensions, extensionlessParts) {
  const type = 'ContentType="application/octet-stream"';
  const defaults = [...extensions].map((extension) => `<Default Extension="${extension}" ${type} />`);
  const overrides = extensionlessParts.map((part) => `<Override PartName="${part}" ${type} />`);
  return `\uFEFF<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${defaults.join('')}${overrides.join('')}</Types>`;
}

// pac's publisher template (`pac solution init`, src/Other/Solution.xml) has two empty addresses.
const publisherAddress = (number) => `        <Address>
          <AddressNumber>${number}</AddressNumber>
          <AddressTypeCode>1</AddressTypeCode>
${['City', 'County', 'Country', 'Fax', 'FreightTermsCode', 'ImportSequenceNumber', 'Latitude', 'Line1', 'Line2', 'Line3', 'Longitude', 'Name', 'PostalCode', 'PostOfficeBox', 'PrimaryContactName']
  .map((field) => `          <${field} xsi:nil="true"></${field}>`)
  .join('\n')}
          <ShippingMethodCode>1</ShippingMethodCode>
${['StateOrProvince', 'Telephone1', 'Telephone2', 'Telephone3', 'TimeZoneRuleVersionNumber', 'UPSZone', 'UTCOffset', 'UTCConversionTimeZoneCode']
  .map((field) => `          <${field} xsi:nil="true"></${field}>`)
  .join('\n')}
        </Address>`;

function solutionXml(version) {
  const rootComponents = [
    ...WEB_RESOURCES.map((resource) => `      <RootComponent type="61" schemaName="${resource.name}" behavior="0" />`),
    `      <RootComponent type="66" schemaName="${CONTROL_NAME}" behavior="0" />`,
  ];
  return `<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml version="9.1.0.643" SolutionPackageVersion="9.1" languagecode="1033" generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
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
      <CustomizationPrefix>${PUBLISHER_PREFIX}</CustomizationPrefix>
      <CustomizationOptionValuePrefix>52736</CustomizationOptionValuePrefix>
      <Addresses>
${publisherAddress(1)}
${publisherAddress(2)}
      </Addresses>
    </Publisher>
    <RootComponents>
${rootComponents.join('\n')}
    </RootComponents>
    <MissingDependencies />
  </SolutionManifest>
</ImportExportXml>
`;
}

function webResourceXml(resource) {
  return `    <WebResource>
      <WebResourceId>{${resource.id}}</WebResourceId>
      <Name>${resource.name}</Name>
      <DisplayName>${escapeXml(resource.displayName)}</DisplayName>
      <LanguageCode>1033</LanguageCode>
      <WebResourceType>${resource.type}</WebResourceType>
      <IntroducedVersion>${webResources.introducedVersion}</IntroducedVersion>
      <IsEnabledForMobileClient>0</IsEnabledForMobileClient>
      <IsAvailableForMobileOffline>0</IsAvailableForMobileOffline>
      <IsCustomizable>1</IsCustomizable>
      <CanBeDeleted>1</CanBeDeleted>
      <IsHidden>0</IsHidden>
      <FileName>${resource.fileName}</FileName>
    </WebResource>`;
}

function customizationsXml() {
  return `<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Entities />
  <Roles />
  <Workflows />
  <FieldSecurityProfiles />
  <Templates />
  <EntityMaps />
  <EntityRelationships />
  <OrganizationSettings />
  <optionsets />
  <WebResources>
${WEB_RESOURCES.map(webResourceXml).join('\n')}
  </WebResources>
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
 * The Dataverse solution zip for the built control and web resources: what `pac solution pack` produces for a
 * solution that holds them (README: "How the zip compares with pac's"). pac is not on npm, so it is written here.
 * @param {string} controlOutputDir out/controls/UniversalQuickCreate
 * @param {string} webResourceOutputDir out/web-resources, with each web resource's built file
 * @param {string} version the solution version, equal to the manifest's
 */
export function buildSolutionZip(controlOutputDir, webResourceOutputDir, version) {
  const entries = {
    'customizations.xml': strToU8(customizationsXml()),
    'solution.xml': strToU8(solutionXml(version)),
  };
  const extensions = new Set(['xml']);
  for (const path of listFiles(controlOutputDir)) {
    const name = relative(controlOutputDir, path).split('\\').join('/');
    entries[`Controls/${CONTROL_NAME}/${name}`] = readFileSync(path);
    const extension = /\.([^./]+)$/.exec(name)?.[1];
    if (extension) extensions.add(extension);
  }
  for (const resource of WEB_RESOURCES) {
    entries[resource.fileName.slice(1)] = readFileSync(join(webResourceOutputDir, resource.builtFile));
  }
  const overrides = WEB_RESOURCES.map((resource) => resource.fileName);
  // Last, as pac and Dataverse exports place it.
  entries['[Content_Types].xml'] = strToU8(contentTypes(extensions, overrides));
  const zip = zipSync(entries, { level: 9 });
  return { zip, files: Object.keys(entries) };
}
