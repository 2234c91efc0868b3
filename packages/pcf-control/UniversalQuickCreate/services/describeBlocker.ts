import type { HostRecord } from '../host/readHostRecord';
import type { UploadPanelProps } from '../ui/UploadPanel';

export type Blocker = NonNullable<UploadPanelProps['blocker']>;

export interface BlockerInput {
  /** Why the control's properties are unusable, from `readControlConfig`. */
  readonly configProblem: string | undefined;
  readonly host: HostRecord;
  /** Why the NavMap cannot link documents to this record's table, once its load has said so. */
  readonly navMapProblem: string | undefined;
}

/** Why uploads cannot start on this form, in the order a maker would fix it; `undefined` when they can. */
export function describeBlocker({ configProblem, host, navMapProblem }: BlockerInput): Blocker | undefined {
  if (configProblem) return { intent: 'error', title: 'The control is not configured', message: configProblem };
  if (host.kind === 'unknown') {
    return {
      intent: 'error',
      title: 'No record',
      message: 'The control cannot tell which record it is on. Place it on a model-driven form or bind entityId and entityName.',
    };
  }
  if (host.kind === 'unsaved') {
    return { intent: 'info', title: 'Save the record first', message: `Documents can be added once this ${host.entityName} is saved.` };
  }
  if (navMapProblem) return { intent: 'error', title: 'Documents cannot be linked to this record', message: navMapProblem };
  return undefined;
}
