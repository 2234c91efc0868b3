import type { IInputs } from '../generated/ManifestTypes';

/** The record whose form hosts the control. */
export type HostRecord =
  | { readonly kind: 'saved'; readonly entityName: string; readonly id: string }
  | { readonly kind: 'unsaved'; readonly entityName: string }
  | { readonly kind: 'unknown' };

export type SavedHostRecord = Extract<HostRecord, { kind: 'saved' }>;

/**
 * `context.page` is not in the PCF typings but model-driven forms provide it (PowerApps docs #3945, DefinitelyTyped
 * #47299); it is read as an optional shape.
 */
interface FormPage {
  readonly entityId?: string | null;
  readonly entityTypeName?: string | null;
  getClientUrl?(): string;
}

export function formPage(context: ComponentFramework.Context<IInputs>): FormPage | undefined {
  return (context as unknown as { page?: FormPage }).page;
}

function present(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Finds the host record: the bound input properties first (the documented way), then `context.page`.
 * A create form has a table but no id yet: that is `unsaved`, not an error.
 */
export function readHostRecord(context: ComponentFramework.Context<IInputs>): HostRecord {
  const page = formPage(context);
  const entityName = present(context.parameters.entityName?.raw) ?? present(page?.entityTypeName);
  const id = present(context.parameters.entityId?.raw) ?? present(page?.entityId);
  if (!entityName) return { kind: 'unknown' };
  if (!id || /^\{?0{8}-0{4}-0{4}-0{4}-0{12}\}?$/.test(id)) return { kind: 'unsaved', entityName };
  return { kind: 'saved', entityName, id };
}

/** The host record when documents can be added to it; otherwise the error the user sees on the file's row. */
export function requireSavedHost(record: HostRecord): SavedHostRecord {
  if (record.kind !== 'saved') throw new Error('Save the record before adding documents.');
  return record;
}
