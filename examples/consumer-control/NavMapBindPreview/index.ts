import { isNavMapError, toODataBind, type NavMapError } from '@sdap/navmap-sdk';
import { createNavMapClient, type NavMapClient } from '@sdap/navmap-sdk/client';
import { createMsalTokenProvider } from '@sdap/navmap-sdk/msal';
import type { IInputs, IOutputs } from './generated/ManifestTypes';

/** `context.page` is not in the PCF typings, but model-driven forms provide it; read as an optional shape. */
interface FormPage {
  readonly entityId?: string | null;
  readonly entityTypeName?: string | null;
  getClientUrl?(): string;
}

type Preview =
  | { readonly kind: 'loading' }
  | { readonly kind: 'unsaved'; readonly message: string }
  | { readonly kind: 'bind'; readonly key: string; readonly value: string; readonly origin: string }
  | { readonly kind: 'problem'; readonly message: string };

const REQUIRED = ['bffBaseUrl', 'bffScope', 'clientId', 'authority'] as const;

/**
 * NavMapBindPreview: shows the `@odata.bind` property a child record (default `sprk_document`) would send to link to
 * the form's record, and which NavMap layer (server, cache, fallback) supplied it. The bind is also written to the
 * bound text column as JSON.
 */
export class NavMapBindPreview implements ComponentFramework.StandardControl<IInputs, IOutputs> {
  private container: HTMLDivElement | undefined;
  private notifyOutputChanged: (() => void) | undefined;
  private client: NavMapClient | undefined;
  private preview: Preview = { kind: 'loading' };
  private output: string | undefined;
  private shownRecord = '';

  public init(
    context: ComponentFramework.Context<IInputs>,
    notifyOutputChanged: () => void,
    _state: ComponentFramework.Dictionary,
    container: HTMLDivElement,
  ): void {
    this.container = container;
    this.notifyOutputChanged = notifyOutputChanged;
    const missing = REQUIRED.find((name) => !context.parameters[name]?.raw?.trim());
    if (missing) {
      this.show({ kind: 'problem', message: `The control property "${missing}" is empty. Set it in the form designer.` });
      return;
    }
    try {
      const page = formPage(context);
      const userName = context.userSettings?.userName;
      this.client = createNavMapClient({
        baseUrl: text(context, 'bffBaseUrl'),
        environment: (page?.getClientUrl?.() ?? window.location.origin).replace(/\/+$/, ''),
        childEntity: context.parameters.childEntity?.raw?.trim() || 'sprk_document',
        getAccessToken: createMsalTokenProvider({
          configuration: {
            auth: { clientId: text(context, 'clientId'), authority: text(context, 'authority') },
            cache: { cacheLocation: 'sessionStorage' },
          },
          scopes: [text(context, 'bffScope')],
          ...(userName ? { loginHint: userName } : {}),
        }),
      });
    } catch (error) {
      // `invalid_config` names the option that is wrong (a malformed URL, for example).
      this.show({ kind: 'problem', message: describe(error) });
      return;
    }
    this.updateView(context);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): void {
    const client = this.client;
    if (!client) return;
    const page = formPage(context);
    const entityName = page?.entityTypeName?.trim() ?? '';
    const id = page?.entityId?.trim() ?? '';
    const record = `${entityName}(${id})`;
    if (record === this.shownRecord) return;
    this.shownRecord = record;
    if (!entityName || !id) {
      this.show({ kind: 'unsaved', message: 'Save the record to see the bind that links a child record to it.' });
      return;
    }
    this.show({ kind: 'loading' });
    void this.showBind(client, entityName, id, record);
  }

  public getOutputs(): IOutputs {
    return { value: this.output };
  }

  public destroy(): void {
    this.container?.replaceChildren();
    this.container = undefined;
    this.client = undefined;
  }

  /** Resolves the record's parent entry (loading the map if needed) and shows the bind built from it. */
  private async showBind(client: NavMapClient, entityName: string, id: string, record: string): Promise<void> {
    let preview: Preview;
    let bindJson: string | undefined;
    try {
      const entry = await client.requireNavEntry(entityName);
      const bind = toODataBind(entry, id);
      const [key, value] = Object.entries(bind)[0] ?? ['', ''];
      preview = { kind: 'bind', key, value, origin: `from the ${entry.source} layer, ${Math.round(entry.ageMs / 1000)} s old` };
      bindJson = JSON.stringify(bind);
    } catch (error) {
      preview = { kind: 'problem', message: describe(error) };
    }
    if (record !== this.shownRecord) return; // the form moved to another record meanwhile
    this.show(preview);
    if (bindJson !== undefined) this.setOutput(bindJson);
  }

  private setOutput(json: string): void {
    if (json === this.output) return;
    this.output = json;
    this.notifyOutputChanged?.();
  }

  private show(preview: Preview): void {
    this.preview = preview;
    const container = this.container;
    if (!container) return;
    const line = (className: string, content: string): HTMLDivElement => {
      const div = document.createElement('div');
      div.className = className;
      div.textContent = content;
      return div;
    };
    switch (this.preview.kind) {
      case 'loading':
        container.replaceChildren(line('navmap-bind-preview__status', 'Loading the NavMap…'));
        break;
      case 'unsaved':
        container.replaceChildren(line('navmap-bind-preview__status', this.preview.message));
        break;
      case 'bind':
        container.replaceChildren(
          line('navmap-bind-preview__bind', `"${this.preview.key}": "${this.preview.value}"`),
          line('navmap-bind-preview__origin', this.preview.origin),
        );
        break;
      case 'problem': {
        const problem = line('navmap-bind-preview__problem', this.preview.message);
        problem.setAttribute('role', 'alert');
        container.replaceChildren(problem);
        break;
      }
    }
  }
}

function formPage(context: ComponentFramework.Context<IInputs>): FormPage | undefined {
  return (context as unknown as { page?: FormPage }).page;
}

function text(context: ComponentFramework.Context<IInputs>, name: (typeof REQUIRED)[number]): string {
  return context.parameters[name]?.raw?.trim() ?? '';
}

/**
 * NavMap errors carry a stable code (see the SDK's error table); anything else is shown by its message.
 * `isNavMapError`, not `instanceof`: each SDK entry (`.`, `/client`, `/msal`) is its own bundle with its own copy
 * of the `NavMapError` class, and this control uses three of them.
 */
function describe(error: unknown): string {
  if (isNavMapError(error)) return codeAndMessage(error);
  return error instanceof Error ? error.message : String(error);
}

function codeAndMessage(error: NavMapError): string {
  return `${error.code}: ${error.message}`;
}
