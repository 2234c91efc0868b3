import type { IInputs } from '../generated/ManifestTypes';
import { formPage } from './readHostRecord';

interface XrmLike {
  Utility?: { getGlobalContext?: () => { getClientUrl?: () => string } };
}

/** The Dataverse URL of the form: context.page first, then Xrm, then the page's own origin. */
export function clientUrl(context: ComponentFramework.Context<IInputs>): string {
  const fromPage = formPage(context)?.getClientUrl?.();
  if (fromPage) return fromPage.replace(/\/+$/, '');
  const xrm = (globalThis as { Xrm?: XrmLike }).Xrm;
  const fromXrm = xrm?.Utility?.getGlobalContext?.().getClientUrl?.();
  return (fromXrm ?? window.location.origin).replace(/\/+$/, '');
}
