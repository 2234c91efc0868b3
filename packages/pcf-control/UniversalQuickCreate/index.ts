import * as React from 'react';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { createControlServices, type ControlServices } from './services/createControlServices';
import { ControlRoot } from './ui/ControlRoot';

/**
 * UniversalQuickCreate 2.3.0: uploads documents to SharePoint Embedded through the BFF and links each to the form's
 * record with the navigation property from the NavMap (server, browser cache, or bundled snapshot).
 *
 * A virtual control: the platform renders the element `updateView` returns with its own React (17.0.2 in model-driven
 * apps, 16.14 in canvas apps and the test harness) and Fluent 9, so neither is in the bundle.
 */
export class UniversalQuickCreate implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private services: ControlServices | undefined;

  public init(context: ComponentFramework.Context<IInputs>): void {
    // Creates the NavMap client; the UI starts its load after the first render: the control is interactive at once.
    this.services = createControlServices(context);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const services = this.services ?? createControlServices(context);
    this.services = services;
    services.updateContext(context);
    return React.createElement(ControlRoot, { services });
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    this.services = undefined;
  }
}
