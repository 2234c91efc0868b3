/// <reference types="powerapps-component-framework" />
import type { FormWebApi } from './createFormWebApi.js';
import type { FormHostControlConfig, FormHostPageConfig } from './formHostRuntime.js';
import { createFormatting, DATE_FORMATTING_INFO, NUMBER_FORMATTING_INFO } from './userFormatting.js';

export interface PcfContextOptions {
  readonly page: FormHostPageConfig;
  readonly control: FormHostControlConfig;
  /** The element the control renders into (a virtual control's, too: the host renders its element there). */
  readonly container: HTMLElement;
  readonly webApi: FormWebApi;
  /** Calls the control's `updateView` with this context (and renders a virtual control's element). */
  readonly render: () => void;
}

/**
 * An error for a client API member a model-driven app on the web does not offer (the device capture APIs work only
 * in the mobile apps; Copilot needs an agent) or the local environment cannot honour. Rejects the way the client API
 * rejects, with `errorCode` and `message` (unverified: the real code for these).
 */
export class UnsupportedClientApiError extends Error {
  override readonly name = 'UnsupportedClientApiError' as const;
  readonly errorCode = 0x80040216;
  constructor(member: string, why: string) {
    super(`${member} is not supported here: ${why}`);
  }
}

/** Bytes as base64, the client API's FileObject and getResource encoding. */
function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const unsupported = (member: string, why: string) => () => Promise.reject(new UnsupportedClientApiError(member, why));
const WEB_ONLY = 'device capture works in the Power Apps mobile apps only, not in a browser';

/** `context.factory.getPopupService()`: popups as elements under the page body, shown and hidden by name. */
function createPopupService(): ComponentFramework.FactoryApi.Popup.PopupService {
  const popups = new Map<string, { props: ComponentFramework.FactoryApi.Popup.Popup; element: HTMLDivElement }>();
  let popupsId = '';
  const place = (props: ComponentFramework.FactoryApi.Popup.Popup, element: HTMLDivElement) => {
    element.replaceChildren(props.content);
    element.id = props.id ?? `popup-${props.name}`;
    element.dataset.popup = props.name;
    element.setAttribute('role', 'dialog');
  };
  return {
    createPopup(props) {
      const element = document.createElement('div');
      element.hidden = true;
      place(props, element);
      (document.getElementById(popupsId) ?? document.body).append(element);
      popups.set(props.name, { props, element });
    },
    openPopup(name) {
      const popup = popups.get(name);
      if (popup === undefined) return;
      popup.element.hidden = false;
      if (popup.props.closeOnOutsideClick) {
        const close = (event: MouseEvent) => {
          if (!popup.element.contains(event.target as Node)) {
            popup.element.hidden = true;
            document.removeEventListener('mousedown', close);
          }
        };
        document.addEventListener('mousedown', close);
      }
      if (popup.props.popupToOpen) this.openPopup(popup.props.popupToOpen);
    },
    closePopup(name) {
      const popup = popups.get(name);
      if (popup) popup.element.hidden = true;
    },
    updatePopup(name, newProps) {
      const popup = popups.get(name);
      if (popup === undefined) return;
      place(newProps, popup.element);
      popups.set(newProps.name, { props: newProps, element: popup.element });
    },
    deletePopup(name) {
      popups.get(name)?.element.remove();
      popups.delete(name);
    },
    setPopupsId(id) {
      popupsId = id;
    },
    getPopupsId: () => popupsId,
  };
}

/** `context.device.pickFile`: the browser's file picker, files as the client API's FileObject (base64 content). */
function pickFile(options?: ComponentFramework.DeviceApi.PickFileOptions): Promise<ComponentFramework.FileObject[]> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = options?.allowMultipleFiles ?? false;
    if (options?.accept) input.accept = options.accept === 'image' ? 'image/*' : options.accept === 'video' ? 'video/*' : options.accept === 'audio' ? 'audio/*' : '';
    input.addEventListener('change', () => {
      const files = [...(input.files ?? [])];
      const tooLarge = files.find((file) => options?.maximumAllowedFileSize !== undefined && file.size > options.maximumAllowedFileSize);
      if (tooLarge) return reject(new Error(`${tooLarge.name} is larger than maximumAllowedFileSize (${options?.maximumAllowedFileSize} bytes).`));
      Promise.all(
        files.map(async (file) => {
          return { fileContent: base64Of(new Uint8Array(await file.arrayBuffer())), fileName: file.name, fileSize: file.size, mimeType: file.type };
        }),
      ).then(resolve, reject);
    });
    input.click();
  });
}

/** A manifest property's value as the client API gives it: raw, formatted, and the manifest's `of-type`. */
function property(name: string, raw: string | number | null, type: string): ComponentFramework.PropertyTypes.Property {
  return { raw, formatted: raw === null ? '' : String(raw), error: false, errorMessage: '', type, attributes: { DisplayName: name, LogicalName: name, RequiredLevel: 0, IsSecured: false, SourceType: 0, Description: '' } };
}

/**
 * The ComponentFramework context a model-driven form gives a code component, for the local form host. Members the
 * browser can honour behave as on a real form; the rest reject with `UnsupportedClientApiError`.
 */
export function createPcfContext(options: PcfContextOptions) {
  const { page, control, container, webApi, render } = options;
  const parameters = Object.fromEntries(Object.entries(control.parameters).map(([name, raw]) => [name, property(name, raw, control.parameterTypes[name] ?? 'SingleLine.Text')]));
  const popupService = createPopupService();
  const mode: ComponentFramework.Mode = {
    isControlDisabled: false,
    isVisible: true,
    label: control.label,
    allocatedWidth: -1,
    allocatedHeight: -1,
    setControlState: () => true,
    setFullScreen: () => undefined,
    trackContainerResize(value) {
      resize.disconnect();
      if (!value) {
        mode.allocatedWidth = -1;
        mode.allocatedHeight = -1;
        return;
      }
      resize.observe(container);
    },
  };
  // After trackContainerResize(true), a size change calls updateView with the new allocatedWidth/Height and "layout".
  const resize = new ResizeObserver(([entry]) => {
    if (entry === undefined) return;
    const width = Math.round(entry.contentRect.width);
    const height = Math.round(entry.contentRect.height);
    if (width === mode.allocatedWidth && height === mode.allocatedHeight) return;
    mode.allocatedWidth = width;
    mode.allocatedHeight = height;
    context.updatedProperties = ['layout'];
    render();
  });
  const userSettings: ComponentFramework.UserSettings = {
    userId: `{${page.user.id.toUpperCase()}}`,
    userName: page.user.name,
    languageId: 1033,
    isRTL: false,
    dateFormattingInfo: DATE_FORMATTING_INFO,
    numberFormattingInfo: NUMBER_FORMATTING_INFO,
    securityRoles: page.user.securityRoles.map((role) => `{${role.toUpperCase()}}`),
    // The local user's time zone is the browser's.
    getTimeZoneOffsetMinutes: (date = new Date()) => -date.getTimezoneOffset(),
  };
  const controlFile = (file: string) => `${page.clientUrl}/WebResources/cc_${control.controlName}/${file}`;
  const context = {
    parameters,
    updatedProperties: [] as string[],
    events: {},
    mode,
    userSettings,
    webAPI: webApi,
    formatting: createFormatting(),
    client: {
      disableScroll: false,
      getClient: () => 'Web',
      getFormFactor: () => 1,
      isOffline: () => false,
      isNetworkAvailable: () => navigator.onLine,
    },
    device: {
      captureAudio: unsupported('device.captureAudio', WEB_ONLY),
      captureImage: unsupported('device.captureImage', WEB_ONLY),
      captureVideo: unsupported('device.captureVideo', WEB_ONLY),
      getBarcodeValue: unsupported('device.getBarcodeValue', WEB_ONLY),
      getCurrentPosition: unsupported('device.getCurrentPosition', WEB_ONLY),
      pickFile,
    },
    factory: {
      getPopupService: () => popupService,
      requestRender: () => {
        // The platform calls updateView soon after, not inside the caller's stack.
        queueMicrotask(render);
      },
    },
    navigation: {
      openAlertDialog: async (strings: ComponentFramework.NavigationApi.AlertDialogStrings) => {
        window.alert(strings.text);
      },
      openConfirmDialog: async (strings: ComponentFramework.NavigationApi.ConfirmDialogStrings) => ({
        confirmed: window.confirm(strings.title ? `${strings.title}\n\n${strings.text}` : strings.text),
      }),
      openErrorDialog: async (error: ComponentFramework.NavigationApi.ErrorDialogOptions) => {
        window.alert(error.message ?? (error.errorCode === undefined ? 'An error occurred.' : `Error code ${error.errorCode}`));
      },
      openFile: async (file: ComponentFramework.FileObject) => {
        const link = document.createElement('a');
        link.href = `data:${file.mimeType};base64,${file.fileContent}`;
        link.download = file.fileName;
        link.click();
      },
      openForm: async (form: ComponentFramework.NavigationApi.EntityFormOptions) => {
        const target = new URL('/main.aspx', page.clientUrl);
        target.search = new URLSearchParams({ etn: form.entityName, pagetype: 'entityrecord', ...(form.entityId ? { id: form.entityId.replace(/[{}]/g, '') } : {}) }).toString();
        if (form.openInNewWindow) window.open(target.href, '_blank');
        else window.location.assign(target.href);
        return { savedEntityReference: [] };
      },
      openUrl: (url: string) => {
        window.open(url, '_blank');
      },
      openWebResource: (name: string, _options?: ComponentFramework.NavigationApi.OpenWebResourceOptions, data?: string) => {
        window.open(`${page.clientUrl}/WebResources/${name}${data === undefined ? '' : `?data=${encodeURIComponent(data)}`}`, '_blank');
      },
    },
    resources: {
      getString: (id: string) => control.strings[id] ?? '',
      getResource(id: string, success: (data: string) => void, failure: () => void) {
        fetch(controlFile(id), { credentials: 'include' })
          .then(async (response) => {
            if (!response.ok) return failure();
            success(base64Of(new Uint8Array(await response.arrayBuffer())));
          })
          .catch(failure);
      },
    },
    utils: {
      getEntityMetadata: (entityName: string) => webApi.entityDefinition(entityName),
      hasEntityPrivilege: () => page.user.securityRoles.length > 0,
      lookupObjects: unsupported('utils.lookupObjects', 'the local form host has no lookup dialog'),
    },
    copilot: {
      executeEvent: unsupported('copilot.executeEvent', 'the environment has no Copilot agent'),
      executePrompt: unsupported('copilot.executePrompt', 'the environment has no Copilot agent'),
    },
    // Not in the typings but given by model-driven forms and documented in the PCF FAQ: the host record.
    page: {
      entityId: page.entityId,
      entityTypeName: page.entityName,
      appId: '00000000-0000-0000-0000-0000000000aa',
      getClientUrl: () => page.clientUrl,
    },
  };
  return { context, stopTrackingResize: () => resize.disconnect() };
}
