import * as React from 'react';
import type { ControlServices } from '../services/createControlServices';
import { UploadPanel } from './UploadPanel';

export interface ControlRootProps {
  readonly services: ControlServices;
}

/**
 * What `updateView` returns: the upload panel, rendered again when the NavMap check ends (after the platform rendered
 * the first element). Only what React 16.14 has: the harness and canvas apps run 16.14.
 */
export function ControlRoot({ services }: ControlRootProps): React.ReactElement {
  // The blocker is read on every render (updateView brings a new context, e.g. the record was saved); the counter only
  // makes React render again when the NavMap check ends.
  const [, setChecks] = React.useState(0);
  React.useEffect(() => {
    const rerender = () => setChecks((count) => count + 1);
    const unsubscribe = services.subscribe(rerender);
    rerender(); // the check may have ended between the first render and this subscription
    return unsubscribe;
  }, [services]);
  return <UploadPanel blocker={services.blocker()} upload={services.upload} link={services.link} signIn={services.signIn} />;
}
