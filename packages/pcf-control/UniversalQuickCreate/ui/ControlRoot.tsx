import * as React from 'react';
import type { NavMapClient } from '@sdap/navmap-sdk/client';
import { useNavEntry, useNavMap } from '@sdap/navmap-sdk/react';
import { describeError } from '../documents/describeError';
import type { ControlServices } from '../services/createControlServices';
import { UploadPanel } from './UploadPanel';

export interface ControlRootProps {
  readonly services: ControlServices;
}

/**
 * What `updateView` returns: the upload panel, rendered again when the NavMap's state changes. The host record is read
 * on every render (updateView brings a new context, e.g. the record was saved). Only what React 16.14 has: the harness
 * and canvas apps run 16.14.
 */
export function ControlRoot({ services }: ControlRootProps): React.ReactElement {
  const host = services.host();
  if (!services.navMap) return <Panel services={services} navMapProblem={undefined} />;
  // The hooks start the load after this first render, so the render does not wait behind it.
  if (host.kind === 'unknown') return <PanelLoadingMap services={services} navMap={services.navMap} />;
  return <PanelForParent services={services} navMap={services.navMap} parent={host.entityName} />;
}

interface PanelProps {
  readonly services: ControlServices;
  /** Why the NavMap cannot link documents to this record's table, once its load has said so. */
  readonly navMapProblem: string | undefined;
}

function Panel({ services, navMapProblem }: PanelProps): React.ReactElement {
  return <UploadPanel blocker={services.blocker(navMapProblem)} upload={services.upload} link={services.link} signIn={services.signIn} />;
}

/** No record to link to yet; the map loads meanwhile, so uploads need not wait for it once there is one. */
function PanelLoadingMap({ services, navMap }: { services: ControlServices; navMap: NavMapClient }): React.ReactElement {
  const state = useNavMap(navMap);
  return <Panel services={services} navMapProblem={state.error && describeError(state.error)} />;
}

/** The record's table must be in the map (`unsupported_parent` lists the tables that are). */
function PanelForParent({ services, navMap, parent }: { services: ControlServices; navMap: NavMapClient; parent: string }): React.ReactElement {
  const state = useNavEntry(navMap, parent);
  return <Panel services={services} navMapProblem={state.error && describeError(state.error)} />;
}
