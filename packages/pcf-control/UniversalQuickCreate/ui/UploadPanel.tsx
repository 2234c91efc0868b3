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
import type { UploadQueueSteps } from '../uploadQueue/createUploadQueueRunner';
import { isFailure, isPending } from '../uploadQueue/uploadQueueReducer';
import { useUploadQueue } from '../uploadQueue/useUploadQueue';
import { CONTROL_VERSION } from '../version';

export interface UploadPanelProps extends UploadQueueSteps {
  /** Why uploads cannot start on this form (unsaved record, unsupported table); shown instead of the drop zone. */
  readonly blocker?: { readonly title: string; readonly message: string; readonly intent: 'info' | 'error' };
}

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

/** The control's UI: choose or drop files, a description, Upload; per-file progress, results and errors. */
export function UploadPanel(props: UploadPanelProps): React.ReactElement {
  const styles = useStyles();
  const queue = useUploadQueue(props);
  const [description, setDescription] = React.useState('');
  const [dragging, setDragging] = React.useState(false);
  const input = React.useRef<HTMLInputElement>(null);

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

  const pending = queue.rows.some(isPending);
  const failures = queue.rows.filter(isFailure);

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
            queue.addFiles(event.dataTransfer.files);
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
              queue.addFiles(event.currentTarget.files);
              event.currentTarget.value = '';
            }}
          />
        </div>
        <Field label="Description">
          <Textarea value={description} onChange={(_event, data) => setDescription(data.value)} resize="vertical" />
        </Field>
        <div className={styles.actions}>
          <Button appearance="primary" disabled={queue.busy || !pending} onClick={() => void queue.uploadAll(description)} data-testid="uqc-upload">
            Upload
          </Button>
        </div>
        {queue.signInReason && (
          <MessageBar intent="warning" data-testid="uqc-sign-in-needed">
            <MessageBarBody>{queue.signInReason}</MessageBarBody>
            <Button appearance="primary" size="small" onClick={() => void queue.signInAndUpload(description)} data-testid="uqc-sign-in">
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
          {queue.rows.map((row) => (
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
                <Button size="small" onClick={() => void queue.retryLink(row, description)} data-testid="uqc-retry-link">
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
