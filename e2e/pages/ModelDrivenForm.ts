import { expect, type Locator, type Page } from '@playwright/test';

export interface UploadFile {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

/**
 * A model-driven form hosting UniversalQuickCreate: the local form host or a real Power Apps form, which share the
 * URL scheme (`/main.aspx?etn=&id=&pagetype=entityrecord`), `window.Xrm` and the control's markup.
 */
export class ModelDrivenForm {
  constructor(
    readonly page: Page,
    private readonly clientUrl: string,
    private readonly user: { readonly username: string; readonly password: string },
  ) {}

  /** Opens the record's form, signing in through the identity provider when it asks. */
  async open(entityName: string, id: string): Promise<void> {
    await this.page.goto(`${this.clientUrl}/main.aspx?etn=${entityName}&id=${id}&pagetype=entityrecord`);
    const username = this.page.locator('#username');
    const control = this.page.locator('[data-testid=uqc-root], [data-testid=uqc-blocker]').first();
    await expect(username.or(control)).toBeVisible();
    if (await username.isVisible()) {
      await username.fill(this.user.username);
      await this.page.locator('#password').fill(this.user.password);
      await this.page.locator('#sign-in').click();
    }
    await expect(control).toBeVisible();
  }

  control(index = 0): Locator {
    return this.page.locator('[data-testid=control-container]').nth(index);
  }

  async chooseFiles(files: readonly UploadFile[], index = 0): Promise<void> {
    await this.control(index).locator('[data-testid=uqc-file-input]').setInputFiles(files.map((file) => ({ ...file })));
  }

  async startUpload(index = 0): Promise<void> {
    await this.control(index).locator('[data-testid=uqc-upload]').click();
  }

  row(fileName: string, index = 0): Locator {
    return this.control(index).locator(`[data-testid=uqc-row][data-file="${fileName}"]`);
  }

  /** Waits until the file's row is done and returns the id of the document record it created. */
  async createdRecordId(fileName: string, index = 0): Promise<string> {
    const row = this.row(fileName, index);
    await expect(row).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    const id = await row.locator('[data-testid=uqc-record-link]').getAttribute('data-record-id');
    if (!id) throw new Error(`The row of ${fileName} shows no record id.`);
    return id;
  }

  blocker(): Locator {
    return this.page.locator('[data-testid=uqc-blocker]');
  }

  errorPanel(index = 0): Locator {
    return this.control(index).locator('[data-testid=uqc-error-panel]');
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
}
