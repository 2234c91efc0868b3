/** A column of a seeded table. Lookup columns are not listed here: they come from the relationships. */
export interface SeedColumn {
  readonly logicalName: string;
  readonly schemaName: string;
  readonly type: 'String' | 'Memo' | 'Integer' | 'Boolean' | 'Uniqueidentifier' | 'DateTime';
  readonly maxLength?: number;
}

/** A seeded table (`EntityMetadata`). */
export interface SeedEntity {
  readonly logicalName: string;
  readonly schemaName: string;
  readonly entitySetName: string;
  readonly primaryIdAttribute: string;
  readonly primaryNameAttribute: string;
  readonly displayName: string;
  readonly displayCollectionName: string;
  readonly objectTypeCode: number;
  readonly isCustomEntity: boolean;
  readonly ownershipType: 'UserOwned' | 'OrganizationOwned' | 'BusinessOwned';
  readonly metadataId: string;
  readonly columns: readonly SeedColumn[];
}

/** A seeded one-to-many relationship, described as Dataverse's `OneToManyRelationshipMetadata`. */
export interface SeedRelationship {
  readonly schemaName: string;
  readonly metadataId: string;
  readonly referencedEntity: string;
  readonly referencedAttribute: string;
  readonly referencingEntity: string;
  /** Logical name of the lookup column (lower case). */
  readonly referencingAttribute: string;
  /** The single-valued navigation property on the child: the lookup's SchemaName, mixed case. */
  readonly referencingEntityNavigationPropertyName: string;
  /** The collection-valued navigation property on the parent. */
  readonly referencedEntityNavigationPropertyName: string;
  readonly isCustomRelationship: boolean;
}

/** A seeded parent record: every parent has a name and an SPE container id. */
export interface SeedRecord {
  readonly id: string;
  readonly name: string;
  readonly containerId: string;
}

const column = (logicalName: string, schemaName: string, type: SeedColumn['type'], maxLength?: number): SeedColumn =>
  maxLength === undefined ? { logicalName, schemaName, type } : { logicalName, schemaName, type, maxLength };

const containerIdColumn = column('sprk_containerid', 'sprk_ContainerId', 'String', 1000);

const entities: readonly SeedEntity[] = [
  {
    logicalName: 'sprk_document',
    schemaName: 'sprk_Document',
    entitySetName: 'sprk_documents',
    primaryIdAttribute: 'sprk_documentid',
    primaryNameAttribute: 'sprk_documentname',
    displayName: 'Document',
    displayCollectionName: 'Documents',
    objectTypeCode: 10_451,
    isCustomEntity: true,
    ownershipType: 'UserOwned',
    metadataId: '00000000-0000-0000-0000-0000000000d1',
    columns: [
      column('sprk_documentname', 'sprk_DocumentName', 'String', 850),
      column('sprk_filename', 'sprk_FileName', 'String', 1000),
      column('sprk_filesize', 'sprk_FileSize', 'Integer'),
      column('sprk_mimetype', 'sprk_MimeType', 'String', 200),
      column('sprk_hasfile', 'sprk_HasFile', 'Boolean'),
      column('sprk_graphdriveid', 'sprk_GraphDriveId', 'String', 1000),
      column('sprk_graphitemid', 'sprk_GraphItemId', 'String', 1000),
      column('sprk_filepath', 'sprk_FilePath', 'String', 2000),
      column('sprk_description', 'sprk_Description', 'Memo', 2000),
      containerIdColumn,
    ],
  },
  {
    logicalName: 'sprk_matter',
    schemaName: 'sprk_Matter',
    entitySetName: 'sprk_matters',
    primaryIdAttribute: 'sprk_matterid',
    primaryNameAttribute: 'sprk_mattername',
    displayName: 'Matter',
    displayCollectionName: 'Matters',
    objectTypeCode: 10_452,
    isCustomEntity: true,
    ownershipType: 'UserOwned',
    metadataId: '00000000-0000-0000-0000-0000000000e1',
    columns: [column('sprk_mattername', 'sprk_MatterName', 'String', 200), column('sprk_matternumber', 'sprk_MatterNumber', 'String', 100), containerIdColumn],
  },
  {
    logicalName: 'sprk_project',
    schemaName: 'sprk_Project',
    entitySetName: 'sprk_projects',
    primaryIdAttribute: 'sprk_projectid',
    primaryNameAttribute: 'sprk_projectname',
    displayName: 'Project',
    displayCollectionName: 'Projects',
    objectTypeCode: 10_453,
    isCustomEntity: true,
    ownershipType: 'UserOwned',
    metadataId: '00000000-0000-0000-0000-0000000000e2',
    columns: [column('sprk_projectname', 'sprk_ProjectName', 'String', 200), containerIdColumn],
  },
  {
    logicalName: 'sprk_invoice',
    schemaName: 'sprk_Invoice',
    entitySetName: 'sprk_invoices',
    primaryIdAttribute: 'sprk_invoiceid',
    primaryNameAttribute: 'sprk_invoicenumber',
    displayName: 'Invoice',
    displayCollectionName: 'Invoices',
    objectTypeCode: 10_454,
    isCustomEntity: true,
    ownershipType: 'UserOwned',
    metadataId: '00000000-0000-0000-0000-0000000000e3',
    columns: [column('sprk_invoicenumber', 'sprk_InvoiceNumber', 'String', 100), containerIdColumn],
  },
  // In Dataverse but not in the default NavMap configuration: the table docs/admin/add-parent-entity.md adds.
  {
    logicalName: 'sprk_contract',
    schemaName: 'sprk_Contract',
    entitySetName: 'sprk_contracts',
    primaryIdAttribute: 'sprk_contractid',
    primaryNameAttribute: 'sprk_contractname',
    displayName: 'Contract',
    displayCollectionName: 'Contracts',
    objectTypeCode: 10_455,
    isCustomEntity: true,
    ownershipType: 'UserOwned',
    metadataId: '00000000-0000-0000-0000-0000000000e6',
    columns: [column('sprk_contractname', 'sprk_ContractName', 'String', 200), containerIdColumn],
  },
  {
    logicalName: 'account',
    schemaName: 'Account',
    entitySetName: 'accounts',
    primaryIdAttribute: 'accountid',
    primaryNameAttribute: 'name',
    displayName: 'Account',
    displayCollectionName: 'Accounts',
    objectTypeCode: 1,
    isCustomEntity: false,
    ownershipType: 'UserOwned',
    metadataId: '70816501-edb9-4740-a16c-6a5efbc05d84',
    columns: [column('name', 'Name', 'String', 160), column('accountnumber', 'AccountNumber', 'String', 20), containerIdColumn],
  },
  {
    logicalName: 'contact',
    schemaName: 'Contact',
    entitySetName: 'contacts',
    primaryIdAttribute: 'contactid',
    primaryNameAttribute: 'fullname',
    displayName: 'Contact',
    displayCollectionName: 'Contacts',
    objectTypeCode: 2,
    isCustomEntity: false,
    ownershipType: 'UserOwned',
    metadataId: '608861bc-50a4-4c5f-a02c-21fe1943e2cf',
    columns: [column('fullname', 'FullName', 'String', 160), column('emailaddress1', 'EMailAddress1', 'String', 100), containerIdColumn],
  },
  {
    logicalName: 'lead',
    schemaName: 'Lead',
    entitySetName: 'leads',
    primaryIdAttribute: 'leadid',
    primaryNameAttribute: 'fullname',
    displayName: 'Lead',
    displayCollectionName: 'Leads',
    objectTypeCode: 4,
    isCustomEntity: false,
    ownershipType: 'UserOwned',
    metadataId: 'e3fe4ff2-a630-49bb-a1e9-debc3a076815',
    columns: [column('fullname', 'FullName', 'String', 160), column('companyname', 'CompanyName', 'String', 100), containerIdColumn],
  },
  {
    logicalName: 'systemuser',
    schemaName: 'SystemUser',
    entitySetName: 'systemusers',
    primaryIdAttribute: 'systemuserid',
    primaryNameAttribute: 'fullname',
    displayName: 'User',
    displayCollectionName: 'Users',
    objectTypeCode: 8,
    isCustomEntity: false,
    ownershipType: 'BusinessOwned',
    metadataId: 'e2d4e2d4-55f5-4a1f-9a7a-6b6b4b3a2d11',
    // domainname holds an Entra ID user's UPN (the sign-in name); userSettings.userName is fullname.
    columns: [
      column('fullname', 'FullName', 'String', 200),
      column('domainname', 'DomainName', 'String', 1024),
      column('azureactivedirectoryobjectid', 'AzureActiveDirectoryObjectId', 'Uniqueidentifier'),
    ],
  },
  {
    logicalName: 'businessunit',
    schemaName: 'BusinessUnit',
    entitySetName: 'businessunits',
    primaryIdAttribute: 'businessunitid',
    primaryNameAttribute: 'name',
    displayName: 'Business Unit',
    displayCollectionName: 'Business Units',
    objectTypeCode: 10,
    isCustomEntity: false,
    ownershipType: 'BusinessOwned',
    metadataId: 'c7e4e7d1-2f2b-4b0e-a0a7-0e6b6a1c7f21',
    columns: [column('name', 'Name', 'String', 160)],
  },
];

const relationship = (
  schemaName: string,
  metadataId: string,
  referencedEntity: string,
  referencingAttribute: string,
  referencingEntityNavigationPropertyName: string,
  referencedEntityNavigationPropertyName: string,
  referencingEntity = 'sprk_document',
): SeedRelationship => ({
  schemaName,
  metadataId,
  referencedEntity,
  referencedAttribute: `${referencedEntity}id`,
  referencingEntity,
  referencingAttribute,
  referencingEntityNavigationPropertyName,
  referencedEntityNavigationPropertyName,
  isCustomRelationship: referencingAttribute.startsWith('sprk_') || referencingAttribute === 'parentcustomerid',
});

// Names are deliberately irregular, as in real environments: none can be derived from the parent's logical name.
const relationships: readonly SeedRelationship[] = [
  relationship('sprk_matter_document', '00000000-0000-0000-0000-0000000000a1', 'sprk_matter', 'sprk_matter', 'sprk_Matter', 'sprk_matter_document'),
  relationship('sprk_Project_Document_1n', '00000000-0000-0000-0000-0000000000a2', 'sprk_project', 'sprk_project', 'sprk_Project', 'sprk_Project_Document_1n'),
  relationship('sprk_Invoice_Document', '00000000-0000-0000-0000-0000000000a3', 'sprk_invoice', 'sprk_invoiceid', 'sprk_InvoiceId', 'sprk_Invoice_Document'),
  relationship('sprk_Contract_Documents', '00000000-0000-0000-0000-0000000000a7', 'sprk_contract', 'sprk_parentcontract', 'sprk_ParentContract', 'sprk_Contract_Documents'),
  relationship('sprk_account_sprk_document', '00000000-0000-0000-0000-0000000000a4', 'account', 'sprk_account', 'sprk_Account', 'sprk_account_sprk_document'),
  relationship(
    'sprk_account_sprk_document_BillingAccount',
    '00000000-0000-0000-0000-0000000000a5',
    'account',
    'sprk_billingaccount',
    'sprk_BillingAccount',
    'sprk_account_sprk_document_BillingAccount',
  ),
  relationship(
    'sprk_contact_sprk_document_PrimaryContact',
    '00000000-0000-0000-0000-0000000000a6',
    'contact',
    'sprk_primarycontact',
    'sprk_PrimaryContact',
    'sprk_contact_sprk_document_PrimaryContact',
  ),
  // A multi-table (customer) lookup: one column, sprk_customer, and one relationship per target, each with its own
  // navigation property `<lookup SchemaName>_<target>` (Dataverse's pattern, as parentcustomerid_account), so account
  // and contact each get one more lookup from sprk_document.
  relationship(
    'sprk_account_sprk_document_Customer',
    '00000000-0000-0000-0000-0000000000a8',
    'account',
    'sprk_customer',
    'sprk_Customer_account',
    'sprk_account_sprk_document_Customer',
  ),
  relationship(
    'sprk_contact_sprk_document_Customer',
    '00000000-0000-0000-0000-0000000000a9',
    'contact',
    'sprk_customer',
    'sprk_Customer_contact',
    'sprk_contact_sprk_document_Customer',
  ),
  relationship('lk_sprk_document_createdby', '00000000-0000-0000-0000-0000000000b1', 'systemuser', 'createdby', 'createdby', 'lk_sprk_document_createdby'),
  relationship('lk_sprk_document_modifiedby', '00000000-0000-0000-0000-0000000000b2', 'systemuser', 'modifiedby', 'modifiedby', 'lk_sprk_document_modifiedby'),
  relationship('user_sprk_document', '00000000-0000-0000-0000-0000000000b3', 'systemuser', 'owninguser', 'owninguser', 'user_sprk_document'),
  relationship('business_unit_sprk_document', '00000000-0000-0000-0000-0000000000b4', 'businessunit', 'owningbusinessunit', 'owningbusinessunit', 'business_unit_sprk_document'),
  // A lookup that does not involve sprk_document, so OneToManyRelationships on account is more than a mirror.
  relationship('contact_customer_accounts', '00000000-0000-0000-0000-0000000000c1', 'account', 'parentcustomerid', 'parentcustomerid_account', 'contact_customer_accounts', 'contact'),
];

const records = {
  sprk_matter: [
    { id: '3a785f76-c773-f011-b4cb-6045bdd8b757', name: 'Contoso v. Fabrikam', containerId: 'b!mTn0fGpq1U6bQjqkH0xX6yM2Lw9qVx5JtQm3nZcR8dF1aE2oP4sK7uYhWvB9cD3e' },
    { id: '5c1e2a90-8d4b-4f6e-9a37-2b8c0d1e4f51', name: 'Northwind Lease Renewal', containerId: 'b!Q2x4Vn8pL0mZ6rT1yU5iO9kJ3hG7fD2sA4qW8eR6tY1uI0oP5aS3dF7gH9jK2lZx' },
  ],
  sprk_project: [
    { id: '7d2f4b61-1c3a-4e8d-b5f0-6a9e2c4d8b13', name: 'Data Room Migration', containerId: 'b!p9Lk2Jh4Gf6Ds8Az1Qw3Er5Ty7Ui9Op0Zx2Cv4Bn6Mm8Nq1Wk3Ej5Rl7Tp9Yh2U' },
    { id: '9e4a6c83-3e5b-4f1a-a7d2-8c0b4e6f1d25', name: 'Tax Advisory 2026', containerId: 'b!Zx8Cv6Bn4Mm2Nq0Wk9Ej7Rl5Tp3Yh1Uo8Ip6As4Df2Gh0Jk9Lz7Xc5Vb3Nm1Qw8E' },
  ],
  sprk_invoice: [
    { id: 'b1c3e5f7-2a4c-4e6a-8c1e-3f5a7c9e1b37', name: 'INV-2026-0142', containerId: 'b!Wk3Ej5Rl7Tp9Yh2Uo4Ip6As8Df0Gh1Jk3Lz5Xc7Vb9Nm0Qw2Er4Ty6Ui8Op1Aa3S' },
    { id: 'c2d4f6a8-4b6d-4f8b-9d2f-5a7c9e1b3d49', name: 'INV-2026-0187', containerId: 'b!Er4Ty6Ui8Op0As2Df4Gh6Jk8Lz1Xc3Vb5Nm7Qw9Ek2Rl4Tp6Yh8Uo0Ip3Mm5Nq7W' },
  ],
  account: [
    { id: 'd3e5a7c9-6c8e-4a9c-8e3a-7b9d1f3a5e51', name: 'Fabrikam, Inc.', containerId: 'b!As2Df4Gh6Jk8Lz0Xc1Vb3Nm5Qw7Er9Ty2Ui4Op6Pk8Ej1Rl3Tp5Yh7Uo9Ip0Bb2C' },
    { id: 'e4f6b8da-8d9f-4bad-9f4b-9c1e3a5b7f63', name: 'Adventure Works Cycles', containerId: 'b!Gh6Jk8Lz0Xc2Vb4Nm6Qw8Er1Ty3Ui5Op7As9Df0Ek2Rl4Tp6Yh8Uo1Ip3Cc5Dd7E' },
  ],
  contact: [
    { id: 'f5a7c9eb-aeb1-4cbe-8a5c-1d3f5b7d9a75', name: 'Nancy Davolio', containerId: 'b!Nm6Qw8Er0Ty2Ui4Op6As8Df1Gh3Jk5Lz7Xc9Vb2Ek4Rl6Tp8Yh0Uo3Ip5Ee7Ff9G' },
    { id: 'a6b8dafc-c0d2-4dcf-9b6d-3e5a7c9e1b87', name: 'Andrew Fuller', containerId: 'b!Ui4Op6As8Df0Gh2Jk4Lz6Xc8Vb1Nm3Qw5Er7Ty9Ek1Rl3Tp5Yh7Uo9Ip2Gg4Hh6J' },
  ],
  sprk_contract: [
    { id: '39ebfdcf-a5b7-4c21-8e90-8b0c2d4f6a13', name: 'MSA Contoso 2026', containerId: 'b!Kk2Ll4Mm6Nn8Oo0Pp1Qq3Rr5Ss7Tt9Uu2Vv4Ww6Xx8Yy0Zz1Aa3Bb5Cc7Dd9Ee2Ff4G' },
  ],
  lead: [
    { id: '17c9ebad-e2f4-4ed0-8c7e-5f7b9d1f3c99', name: 'Margaret Peacock', containerId: 'b!Lz6Xc8Vb0Nm2Qw4Er6Ty8Ui1Op3As5Df7Gh9Jk2Ek4Rl6Tp8Yh0Uo2Ip4Ii6Jj8K' },
    { id: '28dafcbe-f4a6-4fe1-9d8f-7a9c1e3b5dab', name: 'Steven Buchanan', containerId: 'b!Vb0Nm2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk1Lz3Xc5Ek7Rl9Tp1Yh3Uo5Ip7Kk9Ll1M' },
  ],
} satisfies Readonly<Record<string, readonly SeedRecord[]>>;

/** The organisation, business unit and users that `WhoAmI` and the system lookups refer to. */
const organization = {
  organizationId: '6f2a8c4e-0b1d-4e3f-a5c7-9e1b3d5f7a01',
  businessUnitId: '8b4c0e6a-2d3f-4a5b-c7e9-1b3d5f7a9c02',
  businessUnitName: 'sdap',
  testUserSystemUserId: 'a1b3c5d7-e9f1-4a2c-b4d6-f8a0c2e4a603',
  testUserObjectId: '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f04',
  /** The test user's UPN: their sign-in name at the identity provider and `systemuser.domainname`. */
  testUserName: 'test.user@navmap.local',
  testUserFullName: 'Test User',
  /** A user without a domainname (not an Entra ID user): the control signs them in without a login hint. */
  localUserSystemUserId: 'e5f7a9b1-3c4d-4e6f-8a0b-2c4d6e8f0a07',
  applicationUserSystemUserId: 'c3d5e7f9-1a2b-4c4d-8e6f-0a1b2c3d4e05',
} as const;

/**
 * The sdap schema and data the emulator starts with, for tests and docs that need the expected values.
 * `configuredRelationships` names the relationship a NavMap configuration must give for parents with several lookups.
 *
 * @example
 * import { sdapSeed } from '@sdap/local-environment';
 * const matterId = sdapSeed.records.sprk_matter[0].id; // '3a785f76-c773-f011-b4cb-6045bdd8b757'
 */
export const sdapSeed = {
  childEntity: 'sprk_document',
  parents: ['sprk_matter', 'sprk_project', 'sprk_invoice', 'account', 'contact'],
  unrelatedEntity: 'lead',
  /** A parent in Dataverse that the default NavMap configuration leaves out: the one the admin guide adds. */
  addableParent: { entity: 'sprk_contract', relationship: 'sprk_Contract_Documents', lookupAttribute: 'sprk_parentcontract', navProperty: 'sprk_ParentContract' },
  configuredRelationships: {
    account: 'sprk_account_sprk_document',
    contact: 'sprk_contact_sprk_document_PrimaryContact',
  } as Readonly<Record<string, string>>,
  /** The parents as this schema's NavMap configuration lists them (`parents`, or the `NAVMAP_PARENTS` app setting). */
  navMapParents: [
    'sprk_matter',
    'sprk_project',
    'sprk_invoice',
    { entity: 'account', relationship: 'sprk_account_sprk_document' },
    { entity: 'contact', relationship: 'sprk_contact_sprk_document_PrimaryContact' },
  ] as readonly (string | { readonly entity: string; readonly relationship: string })[],
  /** The multi-table lookup: one column, one relationship (and navigation property) per target table. */
  customerLookup: {
    lookupAttribute: 'sprk_customer',
    relationships: { account: 'sprk_account_sprk_document_Customer', contact: 'sprk_contact_sprk_document_Customer' },
    navProperties: { account: 'sprk_Customer_account', contact: 'sprk_Customer_contact' },
  },
  entities,
  relationships,
  records,
  organization,
} as const;

export type SdapSeed = typeof sdapSeed;
