import * as React from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { createControlServices, type ControlServices } from './services/createControlServices';
import { UploadPanel } from './ui/UploadPanel';

/**
 * UniversalQuickCreate 2.3.0: uploads documents to SharePoint Embedded through the BFF and links each to the form's
 * record with the navigation property from the NavMap (server, browser cache, or bundled snapshot).
 */
export class UniversalQuickCreate implements ComponentFramework.StandardControl<IInputs, IOutputs> {
  private root: Root | undefined;
  private services: ControlServices | undefined;

  public init(
    context: ComponentFramework.Context<IInputs>,
    _notifyOutputChanged: () => void,
    _state: ComponentFramework.Dictionary,
    container: HTMLDivElement,
  ): void {
    this.root = createRoot(container);
    // Starts the NavMap load without waiting for it: the control is interactive at once.
    this.services = createControlServices(context, () => this.render());
    this.render();
  }

  public updateView(context: ComponentFramework.Context<IInputs>): void {
    this.services?.updateContext(context);
    this.render();
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    this.root?.unmount();
    this.root = undefined;
    this.services = undefined;
  }

  private render(): void {
    const services = this.services;
    if (!this.root || !services) return;
    this.root.render(
      React.createElement(UploadPanel, {
        blocker: services.blocker(),
        upload: services.upload,
        link: services.link,
      }),
    );
  }
}
