import type { DataverseStore, StoredRecord } from './DataverseStore.js';
import type { SeedEntity } from './sdapSeed.js';

const ANNOTATION = {
  navigation: 'Microsoft.Dynamics.CRM.associatednavigationproperty',
  lookup: 'Microsoft.Dynamics.CRM.lookuplogicalname',
  formatted: 'OData.Community.Display.V1.FormattedValue',
};

function wantsAnnotation(patterns: readonly string[], annotation: string): boolean {
  return patterns.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.endsWith('.*')) return annotation.startsWith(pattern.slice(0, -1));
    return pattern === annotation;
  });
}

/** The record as the Web API shows it: lookups as `_x_value`, an ETag, the `$select`ed columns, annotations on request. */
export function renderRecord(
  store: DataverseStore,
  entity: SeedEntity,
  record: StoredRecord,
  select: readonly string[] | undefined,
  annotations: readonly string[],
): Record<string, unknown> {
  const all: Record<string, unknown> = {};
  const lookups = new Map(store.manyToOne(entity.logicalName).map((relationship) => [relationship.referencingAttribute, relationship]));
  for (const [name, value] of Object.entries(record.attributes)) {
    const relationship = lookups.get(name);
    if (relationship === undefined) {
      all[name] = value;
      continue;
    }
    const key = `_${name}_value`;
    all[key] = value;
    if (value === null || value === undefined) continue;
    if (wantsAnnotation(annotations, ANNOTATION.navigation)) all[`${key}@${ANNOTATION.navigation}`] = relationship.referencingEntityNavigationPropertyName;
    if (wantsAnnotation(annotations, ANNOTATION.lookup)) all[`${key}@${ANNOTATION.lookup}`] = relationship.referencedEntity;
    if (wantsAnnotation(annotations, ANNOTATION.formatted)) {
      const target = store.entities.get(relationship.referencedEntity) as SeedEntity;
      const referenced = store.findRecord(relationship.referencedEntity, String(value));
      all[`${key}@${ANNOTATION.formatted}`] = referenced?.attributes[target.primaryNameAttribute] ?? null;
    }
  }
  const wanted = select === undefined || select.includes('*') ? undefined : new Set([...select, entity.primaryIdAttribute]);
  const body: Record<string, unknown> = { '@odata.etag': `W/"${record.version}"` };
  for (const [key, value] of Object.entries(all)) {
    const base = key.split('@')[0] as string;
    if (wanted === undefined || wanted.has(base)) body[key] = value;
  }
  if (wanted !== undefined) for (const name of wanted) if (!(name in body)) body[name] = null;
  return body;
}
