/**
 * The browser side of the local model-driven form host: builds the ComponentFramework context a real model-driven
 * form gives (createPcfContext.ts) and `window.Xrm` (createXrm.ts), then loads the imported control's bundle and runs
 * it: updateView on requestRender and tracked resizes, destroy when the form is left.
 * A virtual control is hosted as model-driven apps host it: the page has loaded React 17.0.2, ReactDOM 17.0.2 and a
 * Fluent 9 runtime before this script; they are given the global names the bundle was built against, and the element
 * `updateView` returns is rendered with the page's ReactDOM.
 * Bundled into one IIFE served at /_formhost/runtime.js.
 */

import { createFormWebApi } from './createFormWebApi.js';
import { createPcfContext } from './createPcfContext.js';
import { createXrm } from './createXrm.js';

export interface FormHostControlConfig {
  /** The element id the control renders into. */
  readonly containerId: string;
  /** The control's `CustomControl` name, for its files at `/WebResources/cc_<name>/<file>`. */
  readonly controlName: string;
  /** The label the form gives the control (`mode.label`). */
  readonly label: string;
  /** Manifest property values, as the form designer would bind them. */
  readonly parameters: Record<string, string | number | null>;
  /** Each manifest property's `of-type` (the client API's `Property.type`). */
  readonly parameterTypes: Readonly<Record<string, string>>;
  /** The control's strings in the user's language (its resx), for `resources.getString`. */
  readonly strings: Readonly<Record<string, string>>;
}

/** The platform library globals a bundle reads (pcf-scripts' webpack externals), found in the bundle's text. */
export interface PlatformGlobalNames {
  /** e.g. `Reactv16` for a manifest that declares React 16.14.0. */
  readonly react: readonly string[];
  /** e.g. `FluentUIReactv940` for a manifest that declares Fluent 9.46.2. */
  readonly fluent: readonly string[];
}

export interface FormHostPageConfig {
  readonly clientUrl: string;
  readonly entityName: string;
  readonly entityId: string | null;
  /** The signed-in user: systemuserid, full name (Dataverse's userName) and security role ids. */
  readonly user: { readonly id: string; readonly name: string; readonly securityRoles: readonly string[] };
  readonly controlName: string;
  readonly bundleUrl: string;
  /** From the built manifest's `control-type`. */
  readonly controlType: 'standard' | 'virtual';
  readonly platformGlobals: PlatformGlobalNames;
  readonly controls: readonly FormHostControlConfig[];
}

type ControlConstructor = new () => {
  init(context: unknown, notifyOutputChanged: () => void, state: Record<string, unknown>, container?: HTMLDivElement): void;
  /** A virtual control returns the React element to render; a standard one renders into its container itself. */
  updateView(context: unknown): unknown;
  getOutputs?(): unknown;
  destroy(): void;
};

/** What the page's React 17.0.2 and ReactDOM 17.0.2 UMD builds and the Fluent runtime put on `window`. */
interface PlatformWindow {
  React?: { version: string };
  ReactDOM?: { version: string; render(element: unknown, container: Element): void; unmountComponentAtNode(container: Element): boolean };
  FormHostFluent?: Record<string, unknown>;
  [name: string]: unknown;
}

const config = JSON.parse(document.getElementById('formhost-config')?.textContent ?? 'null') as FormHostPageConfig;
const webAPI = createFormWebApi(config.clientUrl);

const registered = new Map<string, ControlConstructor>();
(window as unknown as { ComponentFramework: unknown }).ComponentFramework = {
  registerControl(name: string, constructor: ControlConstructor) {
    registered.set(name, constructor);
  },
};
(window as unknown as { Xrm: unknown }).Xrm = createXrm(config, webAPI);

function showHostError(message: string): void {
  const banner = document.createElement('div');
  banner.setAttribute('role', 'alert');
  banner.className = 'formhost-error';
  banner.textContent = message;
  document.body.prepend(banner);
}

/** Gives the page's React and Fluent the names the bundle reads; false (with a banner) when the page lacks them. */
function providePlatformLibraries(): boolean {
  const platform = window as unknown as PlatformWindow;
  const { react, fluent } = config.platformGlobals;
  if ((react.length > 0 && !platform.React) || (fluent.length > 0 && !platform.FormHostFluent)) {
    showHostError('The form host could not load its React or Fluent runtime (/_formhost/platform/*.js).');
    return false;
  }
  for (const name of react) platform[name] = platform.React;
  for (const name of fluent) platform[name] = platform.FormHostFluent;
  return true;
}

function startControl(Control: ControlConstructor, control: FormHostControlConfig): void {
  const container = document.getElementById(control.containerId) as HTMLDivElement;
  const instance = new Control();
  const ReactDOM = (window as unknown as PlatformWindow).ReactDOM;
  if (config.controlType === 'virtual' && !ReactDOM) throw new Error('The form host has no ReactDOM to render a virtual control with.');
  let destroyed = false;
  // As in model-driven apps: a virtual control's init gets no container, and each updateView's element is rendered by
  // the page's ReactDOM; a standard control renders into its container itself.
  const render = () => {
    if (destroyed) return;
    const element = instance.updateView(context);
    if (config.controlType === 'virtual') ReactDOM?.render(element, container);
    context.updatedProperties = [];
  };
  const { context, stopTrackingResize } = createPcfContext({ page: config, control, container, webApi: webAPI, render });
  const notifyOutputChanged = () => {
    instance.getOutputs?.();
    if (config.controlType === 'virtual') render();
  };
  if (config.controlType === 'virtual') instance.init(context, notifyOutputChanged, {});
  else instance.init(context, notifyOutputChanged, {}, container);
  render();
  // Leaving the form (navigation, reload, closing the tab) destroys its controls.
  window.addEventListener('pagehide', () => {
    if (destroyed) return;
    destroyed = true;
    stopTrackingResize();
    instance.destroy();
    if (config.controlType === 'virtual') ReactDOM?.unmountComponentAtNode(container);
  });
}

const script = document.createElement('script');
script.src = config.bundleUrl;
script.addEventListener('error', () => showHostError(`The control bundle ${config.bundleUrl} could not be loaded. Build it with "npm run build -w @sdap/pcf-control".`));
script.addEventListener('load', () => {
  const Control = registered.get(config.controlName);
  if (!Control) {
    showHostError(`The bundle did not register ${config.controlName}.`);
    return;
  }
  for (const control of config.controls) startControl(Control, control);
  document.body.dataset.formhostReady = 'true';
});
// A form whose control is not imported has no control to load.
if (config.controls.length === 0) document.body.dataset.formhostReady = 'true';
else if (providePlatformLibraries()) document.head.append(script);
