import { DataverseCode, DataverseError, notFoundSegment, propertyNotFound } from './DataverseError.js';
import type {
  DataverseStore} from './DataverseStore.js';
import {
  RELATIONSHIP_BASE_PROPERTIES,
  propertyTypes,
  type MetadataObject,
  type RelationshipState,
} from './DataverseStore.js';
import { checkFilter, evaluateFilter, type EdmType, type FilterTarget } from './odata/evaluateFilter.js';
import { parseFilter, type FilterExpression } from './odata/parseFilter.js';
import type { PathSegment } from './odata/parseResourcePath.js';
import { parseExpand, parseSelect, type ExpandItem } from './odata/parseQueryOptions.js';
import type { SeedEntity } from './sdapSeed.js';
import { DEFAULT_FIDELITY, type EmulatorFidelity } from './EmulatorFidelity.js';

/** What a metadata query answers: always 200 with a JSON body. */
export interface MetadataAnswer {
  readonly body: Record<string, unknown>;
}

export interface MetadataQueryOptions {
  /** Code of "Could not find a property" errors on metadata: `0x0` (documented) or `0x80060888` (observed). */
  readonly unknownPropertyCode: string;
  /** Read on every query, so the admin endpoint can change the switches of a running emulator. @default DEFAULT_FIDELITY */
  readonly fidelity?: Readonly<EmulatorFidelity>;
}

/** How one metadata request asks to be read. */
export interface MetadataReadOptions {
  /** The request carried `Consistency: Strong`: read past the metadata cache (no lag). */
  readonly strongConsistency: boolean;
}

const RELATIONSHIP_COLLECTIONS: ReadonlySet<string> = new Set(['ManyToOneRelationships', 'OneToManyRelationships', 'ManyToManyRelationships']);

function containsOr(expression: FilterExpression): boolean {
  switch (expression.kind) {
    case 'or':
      return true;
    case 'and':
      return containsOr(expression.left) || containsOr(expression.right);
    case 'not':
      return containsOr(expression.operand);
    default:
      return false;
  }
}

const ENTITY_COLLECTIONS = ['Attributes', 'ManyToOneRelationships', 'OneToManyRelationships', 'ManyToManyRelationships', 'Keys'] as const;
type EntityCollection = (typeof ENTITY_COLLECTIONS)[number];
const ONE_TO_MANY_CAST = 'Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata';
const MANY_TO_MANY_CAST = 'Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata';
const ALLOWED_OPTIONS = new Set(['$select', '$filter', '$expand']);

interface ItemType {
  readonly typeName: string;
  readonly properties: ReadonlySet<string>;
  readonly filterTarget: FilterTarget;
}

function isEntityCollection(name: string): name is EntityCollection {
  return (ENTITY_COLLECTIONS as readonly string[]).includes(name);
}

function project(object: MetadataObject, select: readonly string[] | undefined): MetadataObject {
  if (select === undefined || select.includes('*')) return { ...object };
  const wanted = new Set([...select, 'MetadataId']);
  return Object.fromEntries(Object.entries(object).filter(([key]) => key.startsWith('@') || wanted.has(key)));
}

function contextList(select: readonly string[] | undefined, expands: readonly ExpandItem[] = []): string {
  const parts = [...(select ?? [])];
  for (const item of expands) parts.push(`${item.property}(${(item.select ?? []).join(',')})`);
  return parts.length > 0 ? `(${parts.join(',')})` : '';
}

/**
 * Answers the metadata part of the Web API: `EntityDefinitions` (by key, filtered, with expanded and addressed
 * relationship collections) and `RelationshipDefinitions` (with or without the OneToMany cast).
 */
export class MetadataQuery {
  /** The relationships the request being answered sees (the schema as of the metadata lag). */
  private seen: readonly RelationshipState[] = [];
  private readonly types: Record<'entity' | 'relationship' | 'relationshipBase' | 'attribute' | 'manyToMany' | 'key', ItemType>;

  constructor(
    private readonly store: DataverseStore,
    private readonly options: MetadataQueryOptions,
  ) {
    const entities = [...store.entities.values()];
    const relationships = store.relationships.map((relationship) => store.relationshipMetadata(relationship));
    const attributes = entities.flatMap((entity) => store.attributeMetadata(entity));
    const relationshipTypes = propertyTypes(relationships);
    const make = (typeName: string, properties: Map<string, EdmType>): ItemType => ({
      typeName,
      properties: new Set(properties.keys()),
      filterTarget: {
        typeName,
        properties,
        unknownPropertyCode: options.unknownPropertyCode,
        functions: 'none',
        caseInsensitive: false,
      },
    });
    const baseTypes = new Map([...relationshipTypes].filter(([key]) => RELATIONSHIP_BASE_PROPERTIES.has(key)));
    this.types = {
      entity: make('EntityMetadata', propertyTypes(entities.map((entity) => store.entityMetadata(entity)))),
      relationship: make('OneToManyRelationshipMetadata', relationshipTypes),
      relationshipBase: make('RelationshipMetadataBase', baseTypes),
      attribute: make('AttributeMetadata', propertyTypes(attributes)),
      manyToMany: make(
        'ManyToManyRelationshipMetadata',
        new Map<string, EdmType>([...baseTypes, ['Entity1LogicalName', 'Edm.String'], ['Entity2LogicalName', 'Edm.String'], ['IntersectEntityName', 'Edm.String']]),
      ),
      key: make('EntityKeyMetadata', new Map<string, EdmType>([['MetadataId', 'Edm.Guid'], ['LogicalName', 'Edm.String'], ['SchemaName', 'Edm.String']])),
    };
  }

  /** `segments[0]` is `EntityDefinitions` or `RelationshipDefinitions`; `baseUrl` is `<org>/api/data/v9.x`. */
  answer(
    segments: readonly PathSegment[],
    options: ReadonlyMap<string, string>,
    baseUrl: string,
    read: MetadataReadOptions = { strongConsistency: false },
  ): MetadataAnswer {
    for (const name of options.keys()) {
      if (name.startsWith('$') && !ALLOWED_OPTIONS.has(name)) {
        throw new DataverseError(400, DataverseCode.queryNotSupported, `The query parameter ${name} is not supported`);
      }
    }
    const fidelity = this.options.fidelity ?? DEFAULT_FIDELITY;
    this.seen = this.store.relationshipsSeen(read.strongConsistency ? 0 : fidelity.metadataLagMs);
    const [first] = segments;
    if (first?.name === 'EntityDefinitions') return this.entityDefinitions(segments, options, `${baseUrl}/$metadata#`);
    return this.relationshipDefinitions(segments, options, `${baseUrl}/$metadata#`);
  }

  private select(options: ReadonlyMap<string, string>, type: ItemType): string[] | undefined {
    const raw = options.get('$select');
    if (raw === undefined) return undefined;
    return this.checkSelect(parseSelect(raw), type);
  }

  private checkSelect(select: string[], type: ItemType, navigations: readonly string[] = []): string[] {
    for (const property of select) {
      if (property !== '*' && !type.properties.has(property) && !navigations.includes(property)) {
        throw propertyNotFound(property, type.typeName, this.options.unknownPropertyCode);
      }
    }
    return select;
  }

  private filter(raw: string | undefined, type: ItemType, collection?: string): FilterExpression | undefined {
    if (raw === undefined) return undefined;
    const expression = parseFilter(raw);
    checkFilter(expression, type.filterTarget);
    this.refuseUnverified(expression, collection);
    return expression;
  }

  /** The refuseUnverifiedQueries switch: `or` in a relationship collection filter is not verified on real Dataverse. */
  private refuseUnverified(expression: FilterExpression, collection: string | undefined): void {
    if (collection === undefined || !RELATIONSHIP_COLLECTIONS.has(collection)) return;
    if (!(this.options.fidelity ?? DEFAULT_FIDELITY).refuseUnverifiedQueries || !containsOr(expression)) return;
    throw new DataverseError(
      400,
      DataverseCode.queryNotSupported,
      `The 'or' operator is not supported in a $filter on ${collection}. ` +
        '(Refused by the local environment\'s refuseUnverifiedQueries switch: it is not verified on real Dataverse; read the collection with $select and filter locally.)',
    );
  }

  private rejectOption(options: ReadonlyMap<string, string>, name: string): void {
    if (options.has(name)) throw new DataverseError(400, DataverseCode.queryNotSupported, `The query parameter ${name} is not supported`);
  }

  private findEntity(segment: PathSegment): SeedEntity {
    const key = segment.key;
    if (key === undefined) throw notFoundSegment(segment.text);
    let logicalName: string | undefined;
    let metadataId: string | undefined;
    if (key.kind === 'positional') {
      if (key.value.type !== 'Edm.Guid') throw notFoundSegment(segment.text);
      metadataId = key.value.value;
    } else {
      const [name, value] = [...key.values][0] ?? [];
      if (key.values.size !== 1 || value === undefined) throw notFoundSegment(segment.text);
      if (name === 'LogicalName' && value.type === 'Edm.String') logicalName = value.value;
      else if (name === 'MetadataId' && value.type === 'Edm.Guid') metadataId = value.value;
      else {
        throw new DataverseError(400, DataverseCode.queryNotSupported, `The key property '${name}' is not valid for 'EntityMetadata'; use LogicalName or MetadataId.`);
      }
    }
    const entity = [...this.store.entities.values()].find((candidate) =>
      logicalName !== undefined ? candidate.logicalName === logicalName : candidate.metadataId === metadataId,
    );
    if (entity === undefined) {
      throw new DataverseError(
        404,
        DataverseCode.objectDoesNotExist,
        logicalName !== undefined
          ? `Could not find an entity with specified entity logicalname: ${logicalName}`
          : `Could not find entity with id ${metadataId ?? ''}`,
      );
    }
    return entity;
  }

  private collectionItems(entity: SeedEntity, collection: EntityCollection): { items: MetadataObject[]; type: ItemType } {
    switch (collection) {
      case 'ManyToOneRelationships':
        return { items: this.store.manyToOne(entity.logicalName, this.seen).map((r) => this.store.relationshipMetadata(r)), type: this.types.relationship };
      case 'OneToManyRelationships':
        return { items: this.store.oneToMany(entity.logicalName, this.seen).map((r) => this.store.relationshipMetadata(r)), type: this.types.relationship };
      case 'Attributes':
        return { items: this.store.attributeMetadata(entity, this.seen), type: this.types.attribute };
      case 'ManyToManyRelationships':
        return { items: [], type: this.types.manyToMany };
      case 'Keys':
        return { items: [], type: this.types.key };
    }
  }

  private expandItems(raw: string | undefined): ExpandItem[] {
    if (raw === undefined) return [];
    const items = parseExpand(raw);
    for (const item of items) {
      if (!isEntityCollection(item.property)) throw propertyNotFound(item.property, 'EntityMetadata', this.options.unknownPropertyCode);
      const [other] = item.otherOptions;
      if (other !== undefined) throw new DataverseError(400, DataverseCode.queryNotSupported, `The query parameter ${other} is not supported`);
    }
    return items;
  }

  private renderEntity(entity: SeedEntity, select: string[] | undefined, expands: readonly ExpandItem[]): MetadataObject {
    const body = project(this.store.entityMetadata(entity), select);
    for (const item of expands) {
      const { items, type } = this.collectionItems(entity, item.property as EntityCollection);
      const nestedSelect = item.select === undefined ? undefined : this.checkSelect([...item.select], type);
      let rows = items;
      if (item.filter !== undefined) {
        checkFilter(item.filter, type.filterTarget);
        this.refuseUnverified(item.filter, item.property);
        const filter = item.filter;
        rows = rows.filter((row) => evaluateFilter(filter, row, type.filterTarget));
      }
      body[item.property] = rows.map((row) => project(row, nestedSelect));
    }
    return body;
  }

  private entityDefinitions(segments: readonly PathSegment[], options: ReadonlyMap<string, string>, context: string): MetadataAnswer {
    const [first, second, third, ...rest] = segments as [PathSegment, PathSegment?, PathSegment?, ...PathSegment[]];
    if (rest.length > 0) throw notFoundSegment((rest[0] as PathSegment).text);
    const entityType = this.types.entity;

    if (first.key === undefined) {
      if (second !== undefined) throw notFoundSegment(second.text);
      if (first.emptyParentheses) throw notFoundSegment(first.text);
      const select = this.select(options, entityType);
      const filter = this.filter(options.get('$filter'), entityType);
      const expands = this.expandItems(options.get('$expand'));
      const entities = [...this.store.entities.values()].filter(
        (entity) => filter === undefined || evaluateFilter(filter, this.store.entityMetadata(entity), entityType.filterTarget),
      );
      return {
        body: {
          '@odata.context': `${context}EntityDefinitions${contextList(select ?? ['MetadataId'], expands)}`,
          value: entities.map((entity) => this.renderEntity(entity, select, expands)),
        },
      };
    }

    const entity = this.findEntity(first);
    if (second === undefined) {
      this.rejectOption(options, '$filter');
      const select = this.select(options, entityType);
      const expands = this.expandItems(options.get('$expand'));
      return {
        body: {
          '@odata.context': `${context}EntityDefinitions${contextList(select, expands)}/$entity`,
          ...this.renderEntity(entity, select, expands),
        },
      };
    }

    if (!isEntityCollection(second.name) || second.emptyParentheses) throw notFoundSegment(second.text);
    const { items, type } = this.collectionItems(entity, second.name);
    const collectionContext = `${context}EntityDefinitions('${entity.logicalName}')/${second.name}`;
    this.rejectOption(options, '$expand');
    let rows = items;
    if (second.key !== undefined) {
      rows = this.byKey(rows, second, type);
      if (third !== undefined) rows = this.cast(rows, third);
      this.rejectOption(options, '$filter');
      const select = this.select(options, type);
      const row = rows[0] as MetadataObject;
      return { body: { '@odata.context': `${collectionContext}${contextList(select)}/$entity`, ...project(row, select) } };
    }
    if (third !== undefined) rows = this.cast(rows, third);
    const select = this.select(options, type);
    const filter = this.filter(options.get('$filter'), type, second.name);
    if (filter !== undefined) rows = rows.filter((row) => evaluateFilter(filter, row, type.filterTarget));
    return { body: { '@odata.context': `${collectionContext}${contextList(select)}`, value: rows.map((row) => project(row, select)) } };
  }

  /** A relationship or attribute by `SchemaName='x'`, `LogicalName='x'` or MetadataId. */
  private byKey(rows: MetadataObject[], segment: PathSegment, type: ItemType): MetadataObject[] {
    const key = segment.key;
    let match: (row: MetadataObject) => boolean;
    if (key?.kind === 'positional' && key.value.type === 'Edm.Guid') {
      const id = key.value.value;
      match = (row) => row.MetadataId === id;
    } else if (key?.kind === 'named' && key.values.size === 1) {
      const [name, literal] = [...key.values][0] as [string, { type: string; value: unknown }];
      const keyName = type.typeName === 'AttributeMetadata' ? 'LogicalName' : 'SchemaName';
      if (name !== keyName || literal.type !== 'Edm.String') {
        throw new DataverseError(400, DataverseCode.queryNotSupported, `The key property '${name}' is not valid for '${type.typeName}'; use ${keyName} or MetadataId.`);
      }
      match = (row) => row[keyName] === literal.value;
    } else {
      throw notFoundSegment(segment.text);
    }
    const found = rows.filter(match);
    if (found.length === 0) {
      throw new DataverseError(404, DataverseCode.objectDoesNotExist, `Could not find ${type.typeName.replace('Metadata', '')} with key ${segment.text}.`);
    }
    return found;
  }

  private cast(rows: MetadataObject[], segment: PathSegment): MetadataObject[] {
    if (segment.name === ONE_TO_MANY_CAST && segment.key === undefined && !segment.emptyParentheses) {
      return rows.filter((row) => row.RelationshipType === 'OneToManyRelationship');
    }
    if (segment.name === MANY_TO_MANY_CAST && segment.key === undefined && !segment.emptyParentheses) return [];
    throw notFoundSegment(segment.text);
  }

  private relationshipDefinitions(segments: readonly PathSegment[], options: ReadonlyMap<string, string>, context: string): MetadataAnswer {
    const [first, second, ...rest] = segments as [PathSegment, PathSegment?, ...PathSegment[]];
    if (rest.length > 0) throw notFoundSegment((rest[0] as PathSegment).text);
    if (first.emptyParentheses) throw notFoundSegment(first.text);
    this.rejectOption(options, '$expand');
    const castName = second?.name;
    if (second !== undefined && castName !== ONE_TO_MANY_CAST && castName !== MANY_TO_MANY_CAST) throw notFoundSegment(second.text);
    if (second !== undefined && (second.key !== undefined || second.emptyParentheses)) throw notFoundSegment(second.text);
    const type = castName === undefined ? this.types.relationshipBase : castName === ONE_TO_MANY_CAST ? this.types.relationship : this.types.manyToMany;
    const all = this.seen.map((relationship: RelationshipState) => ({
      '@odata.type': '#Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata',
      ...this.store.relationshipMetadata(relationship),
    }));
    let rows: MetadataObject[] = castName === MANY_TO_MANY_CAST ? [] : all;
    const castContext = castName === undefined ? '' : `/${castName}`;
    // A cast result carries no @odata.type: every row has the cast's type.
    if (castName !== undefined) rows = rows.map(({ '@odata.type': _type, ...row }) => row);

    if (first.key !== undefined) {
      rows = this.byKey(rows, first, { ...type, typeName: 'RelationshipMetadataBase' });
      this.rejectOption(options, '$filter');
      const select = this.select(options, type);
      return {
        body: {
          '@odata.context': `${context}RelationshipDefinitions${castContext}${contextList(select)}/$entity`,
          ...project(rows[0] as MetadataObject, select),
        },
      };
    }
    const select = this.select(options, type);
    const filter = this.filter(options.get('$filter'), type);
    if (filter !== undefined) rows = rows.filter((row) => evaluateFilter(filter, row, type.filterTarget));
    return {
      body: {
        '@odata.context': `${context}RelationshipDefinitions${castContext}${contextList(select)}`,
        value: rows.map((row) => project(row, select)),
      },
    };
  }
}
