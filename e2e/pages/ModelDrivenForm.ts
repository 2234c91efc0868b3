import { expect, test, type Locator, type Page } from '@playwright/test';
import type { ValidationTarget } from '../support/ValidationTarget.js';

export interface UploadFile {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

/** A file of `bytes` deterministic bytes. */
export function testFile(name: string, bytes: number, mimeType = 'application/pdf'): UploadFile {
  const buffer = Buffer.alloc(bytes);
  for (let index = 0; index < bytes; index++) buffer[index] = (index * 31 + name.length) % 251;
  return { name, mimeType, buffer };
}

/**
 * A model-driven form hosting UniversalQuickCreate: the local form host or a real Power Apps form, which share the
 * URL scheme (`/main.aspx?etn=&id=&pagetype=entityrecord`), `window.Xrm` and the control's markup. The target
 * decides the URL and the sign-in; the specs never see either.
 */
export class ModelDrivenForm {
  constructor(
    readonly page: Page,
    private readonly target: ValidationTarget,
  ) {}

  /**
   * Opens the record's form, signing in when the sign-in page shows, and waits for it the way a real model-driven
   * form needs (`waitForFormReady`), then for the control to render.
   */
  async open(entityName: string, id: string): Promise<void> {
    const url = this.target.formUrl(entityName, id);
    await this.page.goto(url);
    const control = this.page.locator('[data-testid=uqc-root], [data-testid=uqc-blocker]').first();
    await expect(control.or(this.page.locator('#username, input[name=loginfmt]')).first()).toBeVisible({ timeout: 60_000 });
    await this.target.signInIfAsked(this.page);
    await this.waitForFormReady(entityName, url);
    await expect(control).toBeVisible({ timeout: 60_000 });
    // The deployed control's version, for the report's header.
    const version = await this.page.locator('[data-testid=uqc-root]').first().getAttribute('data-control-version', { timeout: 1_000 }).catch(() => null);
    if (version) test.info().annotations.push({ type: 'control-version', description: version });
  }

  /**
   * A model-driven form is ready when `Xrm.Page.data.entity` has its entity name and attributes, as Microsoft's
   * power-platform-playwright-samples wait for it; a session that landed on errorhandler.aspx is sent to the form
   * again (once). The same wait on both targets: the local form host provides that much of `Xrm.Page`.
   */
  async waitForFormReady(entityName: string, url = this.page.url()): Promise<void> {
    if (new URL(this.page.url()).pathname.toLowerCase().endsWith('/errorhandler.aspx')) await this.page.goto(url);
    await this.page.waitForFunction(
      (expected) => {
        const entity = (window as unknown as { Xrm?: { Page?: { data?: { entity?: { getEntityName(): string; attributes?: { getLength(): number } } } } } }).Xrm
          ?.Page?.data?.entity;
        return entity?.getEntityName() === expected && (entity.attributes?.getLength() ?? 0) > 0;
      },
      entityName,
      { timeout: 60_000 },
    );
  }

  /** Reloads the form and waits for it and the control again. */
  async reload(): Promise<void> {
    await this.page.reload();
    const entityName = new URL(this.page.url()).searchParams.get('etn');
    if (entityName) await this.waitForFormReady(entityName);
    await expect(this.page.locator('[data-testid=uqc-root], [data-testid=uqc-blocker]').first()).toBeVisible();
  }

  /** The index-th instance of the control on the form. */
  control(index = 0): Locator {
    return this.page.locator('[data-testid=uqc-root]').nth(index);
  }

  async chooseFiles(files: readonly UploadFile[], index = 0): Promise<void> {
    await this.control(index).locator('[data-testid=uqc-file-input]').setInputFiles(files.map((file) => ({ ...file })));
  }

  async startUpload(index = 0): Promise<void> {
    await this.control(index).locator('[data-testid=uqc-upload]').click();
  }

  /** Chooses the files, uploads them and returns the ids of the document records, in order. */
  async upload(files: readonly UploadFile[], index = 0): Promise<string[]> {
    await this.chooseFiles(files, index);
    await this.startUpload(index);
    const ids: string[] = [];
    for (const file of files) ids.push(await this.createdRecordId(file.name, index));
    return ids;
  }

  row(fileName: string, index = 0): Locator {
    return this.control(index).locator(`[data-testid=uqc-row][data-file="${fileName}"]`);
  }

  /**
   * Waits until the file's row is done and returns the id of the document record it created. Each outcome is
   * recorded as an `upload` annotation, from which the report computes the upload success rate.
   */
  async createdRecordId(fileName: string, index = 0): Promise<string> {
    const row = this.row(fileName, index);
    try {
      await expect(row).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
      const id = await row.locator('[data-testid=uqc-record-link]').getAttribute('data-record-id');
      if (!id) throw new Error(`The row of ${fileName} shows no record id.`);
      test.info().annotations.push({ type: 'upload', description: 'linked' });
      return id;
    } catch (error) {
      test.info().annotations.push({ type: 'upload', description: 'failed' });
      throw error;
    }
  }

  blocker(): Locator {
    return this.page.locator('[data-testid=uqc-blocker]');
  }

  errorPanel(index = 0): Locator {
    return this.control(index).locator('[data-testid=uqc-error-panel]');
  }

  /**
   * The ids of the records the form's subgrid lists, in its order, through the client API a real form offers
   * (`Xrm.Page.getControl(name).getGrid().getRows()`); [] while the subgrid has not loaded.
   */
  subgridRecordIds(name = this.target.documentsSubgrid): Promise<string[]> {
    return this.page.evaluate((subgrid) => {
      interface GridRow {
        getData(): { getEntity(): { getId(): string } };
      }
      const control = (
        window as unknown as { Xrm?: { Page?: { getControl?(n: string): { getGrid?(): { getRows(): { forEach(each: (row: GridRow) => void): void } } } | null } } }
      ).Xrm?.Page?.getControl?.(subgrid);
      const ids: string[] = [];
      control?.getGrid?.().getRows().forEach((row) => ids.push(row.getData().getEntity().getId().replace(/[{}]/g, '').toLowerCase()));
      return ids;
    }, name);
  }

  /**
   * The user's access token for the BFF as the control holds it: MSAL's sessionStorage cache of this page (MSAL does
   * not encrypt sessionStorage), the entry for the BFF scope that expires last.
   */
  async userBffToken(): Promise<string> {
    const token = await this.page.evaluate((scope) => {
      let best: { secret: string; expiresOn: number } | undefined;
      for (let index = 0; index < sessionStorage.length; index++) {
        const value = sessionStorage.getItem(sessionStorage.key(index) ?? '') ?? '';
        let entry: { credentialType?: unknown; target?: unknown; secret?: unknown; expiresOn?: unknown };
        try {
          entry = JSON.parse(value) as typeof entry;
        } catch {
          continue;
        }
        if (typeof entry !== 'object' || entry === null || String(entry.credentialType).toLowerCase() !== 'accesstoken') continue;
        if (!String(entry.target).toLowerCase().split(' ').includes(scope.toLowerCase()) || typeof entry.secret !== 'string') continue;
        const expiresOn = Number(entry.expiresOn);
        if (!best || expiresOn > best.expiresOn) best = { secret: entry.secret, expiresOn };
      }
      return best?.secret;
    }, this.target.bffScope);
    if (!token) throw new Error(`The page's MSAL cache holds no access token for ${this.target.bffScope}: the control has not signed in.`);
    return token;
  }

  /** The stored file's bytes, downloaded through the BFF (`/drives/{driveId}/items/{itemId}/content`) with the user's token. */
  async downloadThroughBff(driveId: string, itemId: string): Promise<Buffer> {
    const url = `${this.target.bffUrl}/api/obo/drives/${encodeURIComponent(driveId)}/items/${encodeURIComponent(itemId)}/content`;
    const response = await this.page.request.get(url, { headers: { Authorization: `Bearer ${await this.userBffToken()}` } });
    if (response.status() !== 200) throw new Error(`GET ${url} answered ${response.status()}: ${(await response.text()).slice(0, 300)}`);
    return response.body();
  }

  /**
   * Refreshes the form and checks the document is in its Documents subgrid and that its file downloads through the
   * BFF with exactly `file`'s bytes: the plan's "Document record created ... File accessible in document grid".
   */
  async expectDocumentInGrid(recordId: string, file: UploadFile): Promise<void> {
    await this.reload();
    await expect.poll(() => this.subgridRecordIds(), { message: `document ${recordId} in the ${this.target.documentsSubgrid} subgrid`, timeout: 30_000 }).toContain(recordId);
    const record = await this.retrieve('sprk_document', recordId, '?$select=sprk_graphdriveid,sprk_graphitemid,sprk_filesize');
    expect(record.sprk_filesize).toBe(file.buffer.length);
    const downloaded = await this.downloadThroughBff(String(record.sprk_graphdriveid), String(record.sprk_graphitemid));
    expect(downloaded.length, `${file.name}: downloaded bytes`).toBe(file.buffer.length);
    expect(downloaded.equals(file.buffer), `${file.name}: the downloaded bytes equal the uploaded ones`).toBe(true);
  }

  /** Reads a record through the page's `Xrm.WebApi`, as a script on a real form would. */
  retrieve(entityName: string, id: string, options: string): Promise<Record<string, unknown>> {
    return this.page.evaluate(
      ([entity, recordId, query]) =>
        (window as unknown as { Xrm: { WebApi: { retrieveRecord(e: string, i: string, o: string): Promise<Record<string, unknown>> } } }).Xrm.WebApi.retrieveRecord(
          entity,
          recordId,
          query,
        ),
      [entityName, id, options] as const,
    );
  }

  /**
   * A Web API GET from the page with the user's session (metadata reads that `Xrm.WebApi` does not offer).
   * `headers` go with it, e.g. `Consistency: Strong` to read metadata past Dataverse's metadata cache.
   */
  async webApiGet<T>(path: string, headers: Readonly<Record<string, string>> = {}): Promise<T> {
    const result = await this.page.evaluate(
      async ([url, extraHeaders]) => {
        const response = await fetch(url, {
          headers: { Accept: 'application/json', 'OData-Version': '4.0', 'OData-MaxVersion': '4.0', ...extraHeaders },
          credentials: 'include',
        });
        return { status: response.status, text: await response.text() };
      },
      [`${this.target.orgUrl}/api/data/v9.2/${path}`, headers] as const,
    );
    if (result.status !== 200) throw new Error(`GET ${path} answered ${result.status}: ${result.text.slice(0, 300)}`);
    return JSON.parse(result.text) as T;
  }
}
