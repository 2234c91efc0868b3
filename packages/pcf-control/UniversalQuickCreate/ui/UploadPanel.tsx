import * as React from 'react';
import {
  Button,
  Field,
  FluentProvider,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Textarea,
  makeStyles,
  shorthands,
  tokens,
  typographyStyles,
  webLightTheme,
} from '@fluentui/react-components';
import type { DriveItem } from '../upload/uploadFile';
import { describeError } from '../documents/describeError';
import type { FileRow } from './FileRow';
import { signInReasonOf } from './signInReasonOf';
import { CONTROL_VERSION } from '../version';

export interface UploadPanelProps {
  /** Why uploads cannot start on this form (unsaved record, unsupported table); shown instead of the drop zone. */
  readonly blocker?: { readonly title: string; readonly message: string; readonly intent: 'info' | 'error' };
  readonly upload: (file: File, onProgress: (sentBytes: number) => void) => Promise<DriveItem>;
  readonly link: (file: File, item: DriveItem, description: string) => Promise<{ recordId: string; recordUrl: string }>;
  /** MSAL's popup; called only from the Sign in button's click (a user gesture, which popup blockers allow). */
  readonly signIn: () => Promise<void>;
}

const SIGN_IN_PENDING = 'Finish signing in in the pop-up window. Closed it? Select Sign in again.';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM, padding: tokens.spacingVerticalS },
  dropZone: {
    border: `${tokens.strokeWidthThick} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalL,
    textAlign: 'center',
    cursor: 'pointer',
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  dropZoneActive: { backgroundColor: tokens.colorBrandBackground2, ...shorthands.borderColor(tokens.colorBrandStroke1) },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  actions: { display: 'flex', columnGap: tokens.spacingHorizontalS },
  // Body1 and Caption1 as styles: the typography components' typings in newer Fluent 9 packages return ReactNode,
  // which React 16's JSX types refuse.
  body1: typographyStyles.body1,
  caption1: typographyStyles.caption1,
});

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

let nextKey = 0;

/** The control's UI: choose or drop files, a description, Upload; per-file progress, results and errors. */
export function UploadPanel(props: UploadPanelProps): React.ReactElement {
  const styles = useStyles();
  const [rows, setRows] = React.useState<FileRow[]>([]);
  const [description, setDescription] = React.useState('');
  const [dragging, setDragging] = React.useState(false);
  const [busy, setBusy] = React.useState(false);
  /** Why uploads wait for Sign in (the files stay chosen); `undefined` while no token needs the user. */
  const [signInReason, setSignInReason] = React.useState<string>();
  const signInAttempt = React.useRef(0);
  const input = React.useRef<HTMLInputElement>(null);

  const update = (key: string, next: (row: FileRow) => FileRow) =>
    setRows((current) => current.map((row) => (row.key === key ? next(row) : row)));

  const addFiles = (files: FileList | null) => {
    if (!files || files.length === 0) return;
    const added = Array.from(files, (file): FileRow => ({ key: `file-${nextKey++}`, file, status: 'queued' }));
    setRows((current) => [...current.filter((row) => row.status !== 'queued'), ...added]);
  };

  const linkRow = async (key: string, file: File, item: DriveItem) => {
    update(key, () => ({ key, file, status: 'linking', item }));
    try {
      const { recordId, recordUrl } = await props.link(file, item, description);
      update(key, () => ({ key, file, status: 'done', item, recordId, recordUrl }));
    } catch (error) {
      update(key, () => ({ key, file, status: 'link-failed', item, message: describeError(error) }));
    }
  };

  /** Uploads and links one file; false when a token needs the user (the file is chosen again, nothing sent). */
  const uploadRow = async (row: FileRow): Promise<boolean> => {
    const { key, file } = row;
    update(key, () => ({ key, file, status: 'uploading', sentBytes: 0 }));
    let item: DriveItem;
    try {
      item = await props.upload(file, (sentBytes) => update(key, () => ({ key, file, status: 'uploading', sentBytes })));
    } catch (error) {
      const reason = signInReasonOf(error);
      if (reason) {
        update(key, () => ({ key, file, status: 'queued' }));
        setSignInReason(reason);
        return false;
      }
      update(key, () => ({ key, file, status: 'upload-failed', message: describeError(error) }));
      return true;
    }
    await linkRow(key, file, item);
    return true;
  };

  const uploadAll = async () => {
    setBusy(true);
    try {
      for (const row of rows) if ((row.status === 'queued' || row.status === 'upload-failed') && !(await uploadRow(row))) return;
    } finally {
      setBusy(false);
    }
  };

  // The popup opens in this click's task; after sign-in the chosen files go on uploading. A newer click replaces an
  // open popup, and only the newest attempt speaks.
  const signInAndUpload = async () => {
    const attempt = ++signInAttempt.current;
    setBusy(true);
    setSignInReason(SIGN_IN_PENDING);
    try {
      await props.signIn();
    } catch (error) {
      if (attempt !== signInAttempt.current) return;
      setSignInReason(`${describeError(error)} Your files are still chosen: select Sign in to try again.`);
      setBusy(false);
      return;
    }
    setSignInReason(undefined);
    await uploadAll();
  };

  if (props.blocker) {
    return (
      <FluentProvider theme={webLightTheme}>
        <MessageBar intent={props.blocker.intent} data-testid="uqc-blocker">
          <MessageBarBody>
            <MessageBarTitle>{props.blocker.title}</MessageBarTitle>
            {props.blocker.message}
          </MessageBarBody>
        </MessageBar>
      </FluentProvider>
    );
  }

  const pending = rows.some((row) => row.status === 'queued' || row.status === 'upload-failed');
  const failures = rows.filter((row) => row.status === 'upload-failed' || row.status === 'link-failed');

  return (
    <FluentProvider theme={webLightTheme}>
      <div className={styles.root} data-testid="uqc-root" data-control-version={CONTROL_VERSION}>
        <div
          className={`${styles.dropZone} ${dragging ? styles.dropZoneActive : ''}`}
          role="button"
          tabIndex={0}
          aria-label="Choose files to upload, or drop them here"
          data-testid="uqc-dropzone"
          onClick={() => input.current?.click()}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === ' ') {
              event.preventDefault();
              input.current?.click();
            }
          }}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            addFiles(event.dataTransfer.files);
          }}
        >
          <span className={styles.body1}>Drop files here or choose files</span>
          <input
            ref={input}
            type="file"
            multiple
            hidden
            data-testid="uqc-file-input"
            onChange={(event) => {
              addFiles(event.currentTarget.files);
              event.currentTarget.value = '';
            }}
          />
        </div>
        <Field label="Description">
          <Textarea value={description} onChange={(_event, data) => setDescription(data.value)} resize="vertical" />
        </Field>
        <div className={styles.actions}>
          <Button appearance="primary" disabled={busy || !pending} onClick={() => void uploadAll()} data-testid="uqc-upload">
            Upload
          </Button>
        </div>
        {signInReason && (
          <MessageBar intent="warning" data-testid="uqc-sign-in-needed">
            <MessageBarBody>{signInReason}</MessageBarBody>
            <Button appearance="primary" size="small" onClick={() => void signInAndUpload()} data-testid="uqc-sign-in">
              Sign in
            </Button>
          </MessageBar>
        )}
        {failures.length > 0 && (
          <MessageBar intent="error" data-testid="uqc-error-panel">
            <MessageBarBody>
              <MessageBarTitle>{failures.length === 1 ? 'One file needs attention' : `${failures.length} files need attention`}</MessageBarTitle>
              {failures.map((row) => (
                <div key={row.key}>
                  {row.file.name}: {row.status === 'link-failed' ? 'stored, but not linked to this record. ' : 'not uploaded. '}
                  {row.status === 'link-failed' || row.status === 'upload-failed' ? row.message : ''}
                </div>
              ))}
            </MessageBarBody>
          </MessageBar>
        )}
        <ul className={styles.list} aria-live="polite" data-testid="uqc-results">
          {rows.map((row) => (
            <li key={row.key} data-testid="uqc-row" data-status={row.status} data-file={row.file.name}>
              <span className={styles.body1}>{row.file.name}</span> <span className={styles.caption1}>({formatBytes(row.file.size)})</span>
              {row.status === 'uploading' && (
                <Field validationMessage={`${formatBytes(row.sentBytes)} of ${formatBytes(row.file.size)} sent`} validationState="none">
                  <ProgressBar value={row.file.size === 0 ? 1 : row.sentBytes / row.file.size} aria-label={`Uploading ${row.file.name}`} />
                </Field>
              )}
              {row.status === 'linking' && <span className={styles.caption1}> Stored; creating the document record…</span>}
              {row.status === 'done' && (
                <span className={styles.caption1}>
                  {' '}
                  Uploaded and linked.{' '}
                  <Link href={row.recordUrl} target="_blank" data-testid="uqc-record-link" data-record-id={row.recordId}>
                    Open document
                  </Link>
                </span>
              )}
              {row.status === 'link-failed' && (
                <Button size="small" onClick={() => void linkRow(row.key, row.file, row.item)} data-testid="uqc-retry-link">
                  Retry linking
                </Button>
              )}
              {row.status === 'upload-failed' && <span className={styles.caption1}> Upload failed.</span>}
            </li>
          ))}
        </ul>
      </div>
    </FluentProvider>
  );
}
