/// <reference types="xrm" />
import type { FormWebApi } from './createFormWebApi.js';
import type { FormHostPageConfig } from './formHostRuntime.js';

const LOOKUP_VALUE = /^_(.+)_value$/;
const braced = (id: string) => `{${id.replace(/[{}]/g, '').toUpperCase()}}`;

/** One column of the form's record, as `Xrm.Attributes.Attribute` reads it. */
interface FormAttribute {
  readonly name: string;
  readonly type: Xrm.Attributes.AttributeType;
  readonly value: Xrm.Attributes.AttributeValues | null;
}

/**
 * The form's columns from the record as the Web API gives it with annotations: a lookup `_x_value` becomes the
 * attribute `x` whose value is `[{ id: '{GUID}', name, entityType }]` (Xrm.LookupValue), as on a model-driven form.
 */
export function formAttributes(record: Readonly<Record<string, unknown>>): FormAttribute[] {
  const attributes: FormAttribute[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (key.includes('@')) continue;
    const lookup = LOOKUP_VALUE.exec(key);
    if (lookup) {
      const entityType = record[`${key}@Microsoft.Dynamics.CRM.lookuplogicalname`];
      const name = record[`${key}@OData.Community.Display.V1.FormattedValue`];
      attributes.push({
        name: lookup[1] as string,
        type: 'lookup',
        value: typeof value === 'string' ? [{ id: braced(value), name: typeof name === 'string' ? name : '', entityType: String(entityType ?? '') }] : null,
      });
      continue;
    }
    if (typeof value === 'number') attributes.push({ name: key, type: 'integer', value });
    else if (typeof value === 'boolean') attributes.push({ name: key, type: 'boolean', value });
    else if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) attributes.push({ name: key, type: 'datetime', value: new Date(value) });
    else attributes.push({ name: key, type: 'string', value: typeof value === 'string' ? value : null });
  }
  return attributes;
}

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

/** `Xrm.Attributes.Attribute` over one form column. */
function attribute(column: FormAttribute) {
  return {
    getName: () => column.name,
    getAttributeType: () => column.type,
    getValue: () => column.value,
    getIsDirty: () => false,
  };
}

/**
 * `window.Xrm` on the local form, as `@types/xrm` describes it: `Xrm.WebApi`, `Xrm.Utility.getEntityMetadata`
 * (PascalCase, as Dataverse's metadata), `Xrm.Utility.getGlobalContext()` and `Xrm.Page` with the record's
 * attributes (there once the record has loaded, as on a real form) and the Documents subgrid.
 */
export function createXrm(page: FormHostPageConfig, webApi: FormWebApi) {
  const columns: FormAttribute[] = [];
  if (page.entityId) {
    webApi.retrieveRecord(page.entityName, page.entityId).then(
      (record) => columns.push(...formAttributes(record)),
      () => undefined, // the control shows the record's problem itself
    );
  }
  const attributes = {
    /** `get()` all, `get(name)` one or null, `get(index)`, or `get(delegate)` the matching ones (Collection.get). */
    get(selector?: string | number | ((item: ReturnType<typeof attribute>, index: number) => boolean)) {
      const all = columns.map(attribute);
      if (selector === undefined) return all;
      if (typeof selector === 'string') return all.find((item) => item.getName() === selector) ?? null;
      if (typeof selector === 'number') return all[selector] ?? null;
      return all.filter(selector);
    },
    getLength: () => columns.length,
    forEach: (each: (item: ReturnType<typeof attribute>, index: number) => void) => columns.map(attribute).forEach(each),
  };
  const globalContext = {
    getClientUrl: () => page.clientUrl,
    userSettings: {
      userId: braced(page.user.id),
      userName: page.user.name,
      languageId: 1033,
      securityRoles: page.user.securityRoles.map(braced),
      getTimeZoneOffsetMinutes: () => -new Date().getTimezoneOffset(),
    },
    getWebResourceUrl: (name: string) => `/WebResources/${name}`,
  };
  return {
    WebApi: { ...webApi, isAvailableOffline: () => false },
    Utility: {
      getEntityMetadata: (entityName: string) => webApi.entityDefinition(entityName),
      getGlobalContext: () => globalContext,
    },
    Page: {
      getControl: (name: string) => (subgridElement(name) ? gridControl(name) : null),
      data: {
        entity: {
          getId: () => (page.entityId ? braced(page.entityId) : ''),
          getEntityName: () => page.entityName,
          attributes,
        },
      },
    },
  };
}
