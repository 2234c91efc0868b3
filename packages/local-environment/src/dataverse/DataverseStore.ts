import { createHash, randomUUID } from 'node:crypto';
import type { EdmType } from './odata/evaluateFilter.js';
import { sdapSeed, type SeedColumn, type SeedEntity, type SeedRelationship } from './sdapSeed.js';

/** A relationship whose navigation property names can drift at run time (admin `PATCH /schema/relationships`). */
export type RelationshipState = { -readonly [Key in keyof SeedRelationship]: SeedRelationship[Key] };

/** One stored row: attributes by logical name (lookups hold the referenced GUID) and a row version for the ETag. */
export interface StoredRecord {
  readonly attributes: Record<string, unknown>;
  version: number;
}

export type MetadataObject = Record<string, unknown>;

function label(text: string, seed: string) {
  const localized = { Label: text, LanguageCode: 1033, IsManaged: false, MetadataId: stableGuid(`label:${seed}`), HasChanged: null };
  return { LocalizedLabels: [localized], UserLocalizedLabel: localized };
}

/** A GUID derived from a name, so generated metadata ids are the same on every start. */
export function stableGuid(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const ATTRIBUTE_TYPE_NAMES: Record<string, string> = {
  String: 'StringType',
  Memo: 'MemoType',
  Integer: 'IntegerType',
  Boolean: 'BooleanType',
  Uniqueidentifier: 'UniqueidentifierType',
  DateTime: 'DateTimeType',
  Lookup: 'LookupType',
  Customer: 'CustomerType',
};

const EDM_TYPES: Record<SeedColumn['type'], EdmType> = {
  String: 'Edm.String',
  Memo: 'Edm.String',
  Integer: 'Edm.Int32',
  Boolean: 'Edm.Boolean',
  Uniqueidentifier: 'Edm.Guid',
  DateTime: 'Microsoft.Dynamics.CRM.DateTimeOffset',
};

// Properties whose seeded value is null still have a type.
const NULL_PROPERTY_TYPES: Record<string, EdmType> = {
  HasChanged: 'Edm.Boolean',
  PrimaryImageAttribute: 'Edm.String',
  EntityKey: 'Edm.String',
  IsDenormalizedLookup: 'Edm.Boolean',
  DenormalizedAttributeName: 'Edm.String',
  AttributeOf: 'Edm.String',
};

/** The EDM types of a metadata object's properties, read from its values. */
export function propertyTypes(objects: readonly MetadataObject[]): Map<string, EdmType> {
  const types = new Map<string, EdmType>();
  for (const object of objects) {
    for (const [key, value] of Object.entries(object)) {
      if (key.startsWith('@') || types.has(key)) continue;
      if (typeof value === 'string') types.set(key, key === 'MetadataId' ? 'Edm.Guid' : 'Edm.String');
      else if (typeof value === 'number') types.set(key, 'Edm.Int32');
      else if (typeof value === 'boolean') types.set(key, 'Edm.Boolean');
      else if (value === null) {
        const known = NULL_PROPERTY_TYPES[key];
        if (known) types.set(key, known);
      } else types.set(key, 'Microsoft.Dynamics.CRM.ComplexType');
    }
  }
  return types;
}

/** The lookup columns behind a table's ManyToOne relationships: one per column, with every target table. */
function lookupColumns(relationships: readonly RelationshipState[]): { logicalName: string; schemaName: string; targets: string[] }[] {
  const columns = new Map<string, { logicalName: string; schemaName: string; targets: string[] }>();
  for (const relationship of relationships) {
    const column = columns.get(relationship.referencingAttribute);
    if (column) column.targets.push(relationship.referencedEntity);
    else {
      // A multi-table lookup's navigation properties are `<SchemaName>_<target>`: the column's SchemaName is the stem.
      const suffix = `_${relationship.referencedEntity}`;
      const navigation = relationship.referencingEntityNavigationPropertyName;
      const schemaName = relationships.filter((other) => other.referencingAttribute === relationship.referencingAttribute).length > 1 && navigation.endsWith(suffix)
        ? navigation.slice(0, -suffix.length)
        : navigation;
      columns.set(relationship.referencingAttribute, { logicalName: relationship.referencingAttribute, schemaName, targets: [relationship.referencedEntity] });
    }
  }
  return [...columns.values()];
}

/** Base-type properties of `RelationshipMetadataBase`: all that `RelationshipDefinitions` without a cast may use. */
export const RELATIONSHIP_BASE_PROPERTIES = new Set([
  'MetadataId',
  'HasChanged',
  'SchemaName',
  'RelationshipType',
  'IsCustomRelationship',
  'IsCustomizable',
  'IsValidForAdvancedFind',
  'SecurityTypes',
  'IsManaged',
  'IntroducedVersion',
]);

/**
 * The emulator's state: the sdap schema (mutable for schema-drift tests) and the records, in memory.
 * Builds the metadata objects Dataverse would answer with.
 */
export class DataverseStore {
  readonly entities = new Map<string, SeedEntity>();
  readonly entitiesBySet = new Map<string, SeedEntity>();
  relationships: RelationshipState[] = [];
  /** Every schema state with the time it took effect, oldest first: what lagged metadata reads see. */
  #schemaHistory: { readonly at: number; readonly relationships: readonly RelationshipState[] }[] = [];
  readonly records = new Map<string, Map<string, StoredRecord>>();
  private versionCounter = 536_000;

  constructor() {
    for (const entity of sdapSeed.entities) {
      this.entities.set(entity.logicalName, entity);
      this.entitiesBySet.set(entity.entitySetName, entity);
    }
    this.resetSchema();
    this.resetRecords();
  }

  /** Restores every relationship's navigation property names to the seed. */
  resetSchema(): void {
    this.relationships = sdapSeed.relationships.map((relationship) => ({ ...relationship }));
    this.recordSchemaChange();
  }

  /** Remembers the schema as it is now, after a change, so lagged metadata reads keep seeing the one before. */
  recordSchemaChange(now = Date.now()): void {
    const snapshot = Object.freeze(this.relationships.map((relationship) => Object.freeze({ ...relationship })));
    // The first state has always existed: a lagged read at start sees the seed.
    this.#schemaHistory.push({ at: this.#schemaHistory.length === 0 ? Number.NEGATIVE_INFINITY : now, relationships: snapshot });
    if (this.#schemaHistory.length > 100) this.#schemaHistory.splice(0, this.#schemaHistory.length - 100);
  }

  /**
   * The relationships a metadata read sees: the current ones, or with a lag the newest state at least `lagMs` old
   * (Dataverse's metadata cache; `Consistency: Strong` reads past it).
   */
  relationshipsSeen(lagMs: number, now = Date.now()): readonly RelationshipState[] {
    if (lagMs <= 0) return this.relationships;
    for (let index = this.#schemaHistory.length - 1; index >= 0; index--) {
      const state = this.#schemaHistory[index] as { at: number; relationships: readonly RelationshipState[] };
      if (state.at <= now - lagMs) return state.relationships;
    }
    return this.#schemaHistory[0]?.relationships ?? this.relationships;
  }

  /** Restores the seeded records and drops every created one. */
  resetRecords(): void {
    this.records.clear();
    for (const entity of this.entities.values()) this.records.set(entity.logicalName, new Map());
    for (const [logicalName, rows] of Object.entries(sdapSeed.records)) {
      const entity = this.entities.get(logicalName) as SeedEntity;
      for (const row of rows) {
        this.insert(logicalName, {
          [entity.primaryIdAttribute]: row.id,
          [entity.primaryNameAttribute]: row.name,
          sprk_containerid: row.containerId,
        });
      }
    }
    const { organization } = sdapSeed;
    this.insert('businessunit', { businessunitid: organization.businessUnitId, name: organization.businessUnitName });
    this.insert('systemuser', {
      systemuserid: organization.testUserSystemUserId,
      fullname: organization.testUserFullName,
      domainname: organization.testUserName,
      azureactivedirectoryobjectid: organization.testUserObjectId,
    });
    this.insert('systemuser', { systemuserid: organization.localUserSystemUserId, fullname: 'Casey Local' });
    this.insert('systemuser', { systemuserid: organization.applicationUserSystemUserId, fullname: '# navmap-server' });
  }

  /** Stores a row; fills `createdon`/`modifiedon`. The caller has validated the attributes. */
  insert(logicalName: string, attributes: Record<string, unknown>): StoredRecord {
    const entity = this.entities.get(logicalName) as SeedEntity;
    const id = String(attributes[entity.primaryIdAttribute]).toLowerCase();
    attributes[entity.primaryIdAttribute] = id;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const record: StoredRecord = {
      attributes: { [entity.primaryIdAttribute]: id, createdon: now, modifiedon: now, ...attributes },
      version: ++this.versionCounter,
    };
    this.records.get(logicalName)?.set(id, record);
    return record;
  }

  /** The next row version, for ETags. */
  nextVersion(): number {
    return ++this.versionCounter;
  }

  newId(): string {
    return randomUUID();
  }

  findRecord(logicalName: string, id: string): StoredRecord | undefined {
    return this.records.get(logicalName)?.get(id.toLowerCase());
  }

  relationship(schemaName: string): RelationshipState | undefined {
    return this.relationships.find((relationship) => relationship.schemaName === schemaName);
  }

  /** The lookups of a table: its ManyToOne relationships (of `relationships`, by default the current schema). */
  manyToOne(logicalName: string, relationships: readonly RelationshipState[] = this.relationships): RelationshipState[] {
    return relationships.filter((relationship) => relationship.referencingEntity === logicalName);
  }

  oneToMany(logicalName: string, relationships: readonly RelationshipState[] = this.relationships): RelationshipState[] {
    return relationships.filter((relationship) => relationship.referencedEntity === logicalName);
  }

  entityMetadata(entity: SeedEntity): MetadataObject {
    return {
      MetadataId: entity.metadataId,
      HasChanged: null,
      LogicalName: entity.logicalName,
      SchemaName: entity.schemaName,
      EntitySetName: entity.entitySetName,
      LogicalCollectionName: entity.entitySetName,
      CollectionSchemaName: `${entity.schemaName}s`,
      PrimaryIdAttribute: entity.primaryIdAttribute,
      PrimaryNameAttribute: entity.primaryNameAttribute,
      PrimaryImageAttribute: null,
      ObjectTypeCode: entity.objectTypeCode,
      OwnershipType: entity.ownershipType,
      IsCustomEntity: entity.isCustomEntity,
      IsActivity: false,
      IsIntersect: false,
      IsManaged: !entity.isCustomEntity,
      IsValidForAdvancedFind: true,
      IntroducedVersion: entity.isCustomEntity ? '1.0.0.0' : '5.0.0.0',
      DisplayName: label(entity.displayName, `${entity.logicalName}:display`),
      DisplayCollectionName: label(entity.displayCollectionName, `${entity.logicalName}:collection`),
      Description: label('', `${entity.logicalName}:description`),
    };
  }

  /** `OneToManyRelationshipMetadata`, as in the reference's full object. */
  relationshipMetadata(relationship: RelationshipState): MetadataObject {
    return {
      MetadataId: relationship.metadataId,
      HasChanged: null,
      SchemaName: relationship.schemaName,
      RelationshipType: 'OneToManyRelationship',
      IsCustomRelationship: relationship.isCustomRelationship,
      IsValidForAdvancedFind: true,
      SecurityTypes: relationship.isCustomRelationship ? 'Append' : 'None',
      IsManaged: !relationship.isCustomRelationship,
      IntroducedVersion: relationship.isCustomRelationship ? '1.0.0.0' : '5.0.0.0',
      IsCustomizable: { Value: true, CanBeChanged: true, ManagedPropertyLogicalName: 'iscustomizable' },
      ReferencedAttribute: relationship.referencedAttribute,
      ReferencedEntity: relationship.referencedEntity,
      ReferencingAttribute: relationship.referencingAttribute,
      ReferencingEntity: relationship.referencingEntity,
      IsHierarchical: false,
      EntityKey: null,
      IsRelationshipAttributeDenormalized: false,
      ReferencedEntityNavigationPropertyName: relationship.referencedEntityNavigationPropertyName,
      ReferencingEntityNavigationPropertyName: relationship.referencingEntityNavigationPropertyName,
      RelationshipBehavior: relationship.isCustomRelationship ? 1 : 0,
      IsDenormalizedLookup: null,
      DenormalizedAttributeName: null,
      AssociatedMenuConfiguration: {
        Behavior: 'UseCollectionName',
        Group: 'Details',
        Order: 10_000,
        IsCustomizable: true,
        Icon: null,
        ViewId: '00000000-0000-0000-0000-000000000000',
        AvailableOffline: true,
        MenuId: null,
        QueryApi: null,
        Label: { LocalizedLabels: [], UserLocalizedLabel: null },
      },
      CascadeConfiguration: {
        Assign: 'NoCascade',
        Delete: 'RemoveLink',
        Archive: 'RemoveLink',
        Merge: 'NoCascade',
        Reparent: 'NoCascade',
        Share: 'NoCascade',
        Unshare: 'NoCascade',
        RollupView: 'NoCascade',
      },
      RelationshipAttributes: [],
    };
  }

  /** `AttributeMetadata` of a table: primary id, columns, lookups, createdon/modifiedon. */
  attributeMetadata(entity: SeedEntity, relationships: readonly RelationshipState[] = this.relationships): MetadataObject[] {
    const attribute = (logicalName: string, schemaName: string, type: string, extra: MetadataObject = {}): MetadataObject => ({
      MetadataId: stableGuid(`attribute:${entity.logicalName}.${logicalName}`),
      HasChanged: null,
      LogicalName: logicalName,
      SchemaName: schemaName,
      EntityLogicalName: entity.logicalName,
      AttributeType: type,
      AttributeTypeName: { Value: ATTRIBUTE_TYPE_NAMES[type] ?? `${type}Type` },
      AttributeOf: null,
      IsPrimaryId: logicalName === entity.primaryIdAttribute,
      IsPrimaryName: logicalName === entity.primaryNameAttribute,
      IsCustomAttribute: logicalName.startsWith('sprk_'),
      IsValidForCreate: !['createdon', 'modifiedon'].includes(logicalName),
      IsValidForRead: true,
      IsValidForUpdate: logicalName !== entity.primaryIdAttribute,
      DisplayName: label(schemaName, `${entity.logicalName}.${logicalName}`),
      ...extra,
    });
    return [
      attribute(entity.primaryIdAttribute, `${entity.schemaName}Id`, 'Uniqueidentifier'),
      ...entity.columns.map((column) =>
        attribute(column.logicalName, column.schemaName, column.type, column.maxLength === undefined ? {} : { MaxLength: column.maxLength }),
      ),
      ...lookupColumns(this.manyToOne(entity.logicalName, relationships)).map(({ logicalName, schemaName, targets }) =>
        // A multi-table lookup is one Customer column with several targets, whatever its relationships.
        attribute(logicalName, schemaName, targets.length > 1 ? 'Customer' : 'Lookup', { Targets: targets }),
      ),
      attribute('createdon', 'CreatedOn', 'DateTime'),
      attribute('modifiedon', 'ModifiedOn', 'DateTime'),
    ];
  }

  /** The properties a record of this table exposes over OData, with their EDM types. */
  recordProperties(entity: SeedEntity): Map<string, EdmType> {
    const types = new Map<string, EdmType>([[entity.primaryIdAttribute, 'Edm.Guid']]);
    for (const column of entity.columns) types.set(column.logicalName, EDM_TYPES[column.type]);
    for (const relationship of this.manyToOne(entity.logicalName)) types.set(`_${relationship.referencingAttribute}_value`, 'Edm.Guid');
    types.set('createdon', 'Microsoft.Dynamics.CRM.DateTimeOffset');
    types.set('modifiedon', 'Microsoft.Dynamics.CRM.DateTimeOffset');
    return types;
  }
}
