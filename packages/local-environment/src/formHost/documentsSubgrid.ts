import type { DataverseStore } from '../dataverse/DataverseStore.js';

/** The name of the Documents subgrid on every form of the form host, as `Xrm.Page.getControl(name)` finds it. */
export const DOCUMENTS_SUBGRID = 'Documents';
const DOCUMENT_TABLE = 'sprk_document';

/** One row of the Documents subgrid. */
export interface DocumentsSubgridRow {
  readonly id: string;
  readonly name: string;
  readonly size: number | undefined;
  readonly createdOn: string;
}

/**
 * The `sprk_document` records whose lookup to `entityName` points at the record `id`, newest first (rows created in
 * the same second in the order they were written), as a model-driven form's Documents subgrid lists them; `undefined`
 * when `sprk_document` has no lookup to the table (the form shows no subgrid).
 */
export function documentsSubgridRows(store: DataverseStore, entityName: string, id: string): DocumentsSubgridRow[] | undefined {
  const lookups = store.manyToOne(DOCUMENT_TABLE).filter((relationship) => relationship.referencedEntity === entityName).map((relationship) => relationship.referencingAttribute);
  if (lookups.length === 0) return undefined;
  const records = [...(store.records.get(DOCUMENT_TABLE)?.values() ?? [])].filter((record) => lookups.some((lookup) => record.attributes[lookup] === id));
  records.sort((a, b) => String(b.attributes.createdon).localeCompare(String(a.attributes.createdon)) || b.version - a.version);
  return records.map(({ attributes }) => ({
    id: String(attributes.sprk_documentid),
    name: String(attributes.sprk_documentname ?? attributes.sprk_filename ?? ''),
    size: typeof attributes.sprk_filesize === 'number' ? attributes.sprk_filesize : undefined,
    createdOn: String(attributes.createdon),
  }));
}

function fileSize(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The subgrid's markup; the form host runtime reads its rows for `Xrm.Page.getControl('Documents')`. */
export function renderDocumentsSubgrid(rows: readonly DocumentsSubgridRow[], escapeHtml: (text: string) => string): string {
  const body = rows
    .map(
      (row) =>
        `<tr data-id="${escapeHtml(row.id)}"><td>${escapeHtml(row.name)}</td><td>${fileSize(row.size)}</td><td><time datetime="${escapeHtml(row.createdOn)}">${escapeHtml(
          row.createdOn.replace('T', ' ').replace('Z', ' UTC'),
        )}</time></td></tr>`,
    )
    .join('');
  return `<section aria-label="Documents subgrid" data-subgrid="${DOCUMENTS_SUBGRID}" data-entity="${DOCUMENT_TABLE}"><h2>Documents</h2>
<table data-testid="documents-subgrid"><thead><tr><th>Name</th><th>File size</th><th>Created on</th></tr></thead><tbody>${body}</tbody></table>${
    rows.length === 0 ? '<p data-testid="documents-subgrid-empty">No data available.</p>' : ''
  }</section>`;
}
