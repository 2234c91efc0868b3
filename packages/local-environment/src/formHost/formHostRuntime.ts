/**
 * The browser side of the local model-driven form host: builds a ComponentFramework context the way a real
 * model-driven form does (webAPI on the Dataverse emulator with the signed-in session cookie, page, parameters,
 * mode, resources, userSettings, utils) plus `window.Xrm`, then loads the built control bundle and runs it.
 * A virtual control is hosted as model-driven apps host it: the page has loaded React 17.0.2, ReactDOM 17.0.2 and a
 * Fluent 9 runtime before this script; they are given the global names the bundle was built against, and the element
 * `updateView` returns is rendered with the page's ReactDOM.
 * Bundled into one IIFE served at /_formhost/runtime.js.
 */

export interface FormHostControlConfig {
  /** The element id the control renders into. */
  readonly containerId: string;
  /** Manifest property values, as the form designer would bind them. */
  readonly parameters: Record<string, string | number | null>;
}

/** The platform library globals a bundle reads (pcf-scripts' webpack externals), found in the bundle's text. */
export interface PlatformGlobalNames {
  /** e.g. `Reactv16` for a manifest that declares React 16.14.0. */
  readonly react: readonly string[];
  /** e.g. `FluentUIReactv940` for a manifest that declares Fluent 9.46.2. */
  readonly fluent: readonly string[];
}

export interface FormHostPageConfig {
  readonly clientUrl: string;
  readonly entityName: string;
  readonly entityId: string | null;
  readonly user: { readonly id: string; readonly name: string };
  readonly controlName: string;
  readonly bundleUrl: string;
  /** From the built manifest's `control-type`. */
  readonly controlType: 'standard' | 'virtual';
  readonly platformGlobals: PlatformGlobalNames;
  readonly controls: readonly FormHostControlConfig[];
}

interface WebApiError extends Error {
  errorCode: number;
  code: string;
  status: number;
}

type Entity = Record<string, unknown>;
type ControlConstructor = new () => {
  init(context: unknown, notifyOutputChanged: () => void, state: Record<string, unknown>, container?: HTMLDivElement): void;
  /** A virtual control returns the React element to render; a standard one renders into its container itself. */
  updateView(context: unknown): unknown;
  getOutputs?(): unknown;
  destroy(): void;
};

/** What the page's React 17.0.2 and ReactDOM 17.0.2 UMD builds and the Fluent runtime put on `window`. */
interface PlatformWindow {
  React?: { version: string };
  ReactDOM?: { version: string; render(element: unknown, container: Element): void };
  FormHostFluent?: Record<string, unknown>;
  [name: string]: unknown;
}

const config = JSON.parse(document.getElementById('formhost-config')?.textContent ?? 'null') as FormHostPageConfig;
const apiBase = `${config.clientUrl}/api/data/v9.2`;
const entitySets = new Map<string, Promise<string>>();

async function webApiRequest(method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${apiBase}${path}`, {
    method,
    credentials: 'include',
    headers: {
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.ok) return response;
  let code = '';
  let message = `HTTP ${response.status}`;
  try {
    const envelope = (await response.json()) as { error?: { code?: string; message?: string } };
    code = envelope.error?.code ?? '';
    message = envelope.error?.message ?? message;
  } catch {
    // not JSON: keep the status line
  }
  // PCF and Xrm reject with errorCode as the unsigned decimal of Dataverse's hex code (powerapps-docs#1640).
  const error = new Error(message) as WebApiError;
  error.errorCode = code ? Number.parseInt(code, 16) : 0;
  error.code = code;
  error.status = response.status;
  throw error;
}

function entitySetOf(entityName: string): Promise<string> {
  let set = entitySets.get(entityName);
  if (!set) {
    set = webApiRequest('GET', `/EntityDefinitions(LogicalName='${encodeURIComponent(entityName)}')?$select=EntitySetName`)
      .then((response) => response.json() as Promise<{ EntitySetName: string }>)
      .then((definition) => definition.EntitySetName);
    entitySets.set(entityName, set);
    set.catch(() => entitySets.delete(entityName));
  }
  return set;
}

const cleanId = (id: string) => id.replace(/[{}]/g, '').toLowerCase();

const webAPI = {
  async createRecord(entityLogicalName: string, data: Entity) {
    const set = await entitySetOf(entityLogicalName);
    const response = await webApiRequest('POST', `/${set}`, data);
    const location = response.headers.get('OData-EntityId') ?? '';
    const id = /\(([0-9a-fA-F-]{36})\)\s*$/.exec(location)?.[1];
    if (!id) throw new Error(`Dataverse created the ${entityLogicalName} but answered without OData-EntityId.`);
    return { entityType: entityLogicalName, id };
  },
  async retrieveRecord(entityLogicalName: string, id: string, options = '') {
    const set = await entitySetOf(entityLogicalName);
    return (await webApiRequest('GET', `/${set}(${cleanId(id)})${options}`)).json() as Promise<Entity>;
  },
  async retrieveMultipleRecords(entityLogicalName: string, options = '', _maxPageSize?: number) {
    const set = await entitySetOf(entityLogicalName);
    const body = (await (await webApiRequest('GET', `/${set}${options}`)).json()) as { value: Entity[]; '@odata.nextLink'?: string };
    return { entities: body.value, ...(body['@odata.nextLink'] ? { nextLink: body['@odata.nextLink'] } : {}) };
  },
};

function contextFor(control: FormHostControlConfig, container: HTMLElement) {
  const parameters = Object.fromEntries(
    Object.entries(control.parameters).map(([name, raw]) => [
      name,
      { raw, formatted: raw === null ? '' : String(raw), error: false, errorMessage: '', attributes: {} },
    ]),
  );
  return {
    parameters,
    page: {
      entityId: config.entityId,
      entityTypeName: config.entityName,
      appId: '00000000-0000-0000-0000-0000000000aa',
      getClientUrl: () => config.clientUrl,
    },
    webAPI,
    mode: {
      isControlDisabled: false,
      isVisible: true,
      label: 'Documents',
      allocatedWidth: container.clientWidth || -1,
      allocatedHeight: -1,
      trackContainerResize: () => undefined,
      setControlState: () => true,
      setFullScreen: () => undefined,
    },
    resources: { getString: (key: string) => key, getResource: () => undefined },
    userSettings: {
      userId: `{${config.user.id.toUpperCase()}}`,
      userName: config.user.name,
      languageId: 1033,
      isRTL: false,
      dateFormattingInfo: {},
      numberFormattingInfo: {},
      securityRoles: [],
    },
    utils: {
      getEntityMetadata: async (entityName: string) => ({ logicalName: entityName, entityPluralName: await entitySetOf(entityName) }),
      hasEntityPrivilege: () => true,
      lookupObjects: async () => [],
    },
    client: { getClient: () => 'Web', getFormFactor: () => 1, isOffline: () => false, disableScroll: false },
    navigation: { openUrl: (url: string) => window.open(url, '_blank') },
    factory: { requestRender: () => undefined },
    updatedProperties: [] as string[],
  };
}

const registered = new Map<string, ControlConstructor>();
(window as unknown as { ComponentFramework: unknown }).ComponentFramework = {
  registerControl(name: string, constructor: ControlConstructor) {
    registered.set(name, constructor);
  },
};
const formAttributes: { name: string; value: unknown }[] = [];

/** The rendered subgrid named `name` (the form host renders `Documents`), or null. */
const subgridElement = (name: string) => document.querySelector<HTMLElement>(`[data-subgrid="${CSS.escape(name)}"]`);

/**
 * `Xrm.Page.getControl(name)` for a subgrid, as the client API's GridControl: `getGrid().getRows()` with each row's
 * entity reference, and `refresh()`, which reads the form again from the server and shows its rows.
 */
function gridControl(name: string) {
  const rows = () => Array.from(subgridElement(name)?.querySelectorAll<HTMLTableRowElement>('tbody tr') ?? []);
  const entityName = () => subgridElement(name)?.dataset.entity ?? '';
  const gridRow = (row: HTMLTableRowElement) => ({
    getData: () => ({
      getEntity: () => ({
        getId: () => `{${String(row.dataset.id).toUpperCase()}}`,
        getEntityName: entityName,
        getPrimaryAttributeValue: () => row.cells[0]?.textContent ?? '',
      }),
    }),
  });
  return {
    getName: () => name,
    getControlType: () => 'subgrid',
    getEntityName: entityName,
    getGrid: () => ({
      getTotalRecordCount: () => rows().length,
      getRows: () => {
        const current = rows().map(gridRow);
        return { getLength: () => current.length, get: (index: number) => current[index], forEach: (each: (row: ReturnType<typeof gridRow>, index: number) => void) => current.forEach(each) };
      },
    }),
    async refresh() {
      const html = await (await fetch(window.location.href, { credentials: 'include' })).text();
      const fresh = new DOMParser().parseFromString(html, 'text/html').querySelector(`[data-subgrid="${CSS.escape(name)}"]`);
      const current = subgridElement(name);
      if (fresh && current) current.replaceWith(document.importNode(fresh, true));
    },
  };
}

(window as unknown as { Xrm: unknown }).Xrm = {
  WebApi: webAPI,
  Utility: { getGlobalContext: () => ({ getClientUrl: () => config.clientUrl, userSettings: { userName: config.user.name } }) },
  Page: {
    getControl: (name: string) => (subgridElement(name) ? gridControl(name) : null),
    data: {
      entity: {
        getId: () => (config.entityId ? `{${config.entityId.toUpperCase()}}` : ''),
        getEntityName: () => config.entityName,
        attributes: {
          get: () => formAttributes.map(({ name, value }) => ({ getName: () => name, getValue: () => value })),
          getLength: () => formAttributes.length,
        },
      },
    },
  },
};
// As on a real form, the attributes are there once the record has loaded: Microsoft's Playwright samples wait for them.
if (config.entityId) {
  void webAPI.retrieveRecord(config.entityName, config.entityId).then(
    (record) => {
      for (const [name, value] of Object.entries(record)) if (!name.includes('@')) formAttributes.push({ name, value });
    },
    () => undefined, // the control shows the record's problem itself
  );
}

function showHostError(message: string): void {
  const banner = document.createElement('div');
  banner.setAttribute('role', 'alert');
  banner.className = 'formhost-error';
  banner.textContent = message;
  document.body.prepend(banner);
}

/** Gives the page's React and Fluent the names the bundle reads; false (with a banner) when the page lacks them. */
function providePlatformLibraries(): boolean {
  const platform = window as unknown as PlatformWindow;
  const { react, fluent } = config.platformGlobals;
  if ((react.length > 0 && !platform.React) || (fluent.length > 0 && !platform.FormHostFluent)) {
    showHostError('The form host could not load its React or Fluent runtime (/_formhost/platform/*.js).');
    return false;
  }
  for (const name of react) platform[name] = platform.React;
  for (const name of fluent) platform[name] = platform.FormHostFluent;
  return true;
}

function startControl(Control: ControlConstructor, control: FormHostControlConfig): void {
  const container = document.getElementById(control.containerId) as HTMLDivElement;
  const instance = new Control();
  const context = contextFor(control, container);
  if (config.controlType === 'standard') {
    instance.init(context, () => undefined, {}, container);
    instance.updateView(context);
    return;
  }
  const ReactDOM = (window as unknown as PlatformWindow).ReactDOM;
  if (!ReactDOM) throw new Error('The form host has no ReactDOM to render a virtual control with.');
  // As in model-driven apps: init gets no container, and each updateView's element is rendered by the page's ReactDOM.
  const render = () => ReactDOM.render(instance.updateView(context), container);
  instance.init(
    context,
    () => {
      instance.getOutputs?.();
      render();
    },
    {},
  );
  render();
}

const script = document.createElement('script');
script.src = config.bundleUrl;
script.addEventListener('error', () => showHostError(`The control bundle ${config.bundleUrl} could not be loaded. Build it with "npm run build -w @sdap/pcf-control".`));
script.addEventListener('load', () => {
  const Control = registered.get(config.controlName);
  if (!Control) {
    showHostError(`The bundle did not register ${config.controlName}.`);
    return;
  }
  for (const control of config.controls) startControl(Control, control);
  document.body.dataset.formhostReady = 'true';
});
// A form whose control is not imported has no control to load.
if (config.controls.length === 0) document.body.dataset.formhostReady = 'true';
else if (providePlatformLibraries()) document.head.append(script);
