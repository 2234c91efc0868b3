/**
 * Rows 8.3 and 1.2 on the local form host: two instances of the control on one form share one NavMap load, and a
 * reload is served from the browser cache without a request to the NavMap endpoint.
 */
import { expect, test } from '@playwright/test';
import { sdapSeed } from '@sdap/local-environment';
import { ModelDrivenForm } from '../pages/ModelDrivenForm.js';
import { startLocalStack, type LocalStack } from '../support/startLocalStack.js';

let stack: LocalStack;

test.beforeAll(async () => {
  stack = await startLocalStack({ controlsPerForm: 2 });
});
test.afterAll(async () => {
  await stack?.stop();
});

test('8.3 several controls on one page: one server load shared by both, and 1.2 no endpoint request after a reload', async ({ page }) => {
  const navMapRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/pcf/dataverse-navmap') && request.method() === 'GET') navMapRequests.push(request.url());
  });
  const loads: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('[NavMapClient] Loaded from')) loads.push(message.text());
  });
  const matter = sdapSeed.records.sprk_matter[0] as { id: string };
  const form = new ModelDrivenForm(page, stack.environment.dataverseUrl, stack.environment.testUser);
  await form.open('sprk_matter', matter.id);
  await expect(form.control(0).locator('[data-testid=uqc-root]')).toBeVisible();
  await expect(form.control(1).locator('[data-testid=uqc-root]')).toBeVisible();
  await expect.poll(() => loads.length).toBeGreaterThan(0);
  expect(loads[0]).toContain('Loaded from the server');
  expect(navMapRequests).toHaveLength(1);

  await page.reload();
  await expect(form.control(1).locator('[data-testid=uqc-root]')).toBeVisible();
  await expect.poll(() => loads.length).toBeGreaterThan(1);
  expect(loads[1]).toContain('Loaded from the cache');
  expect(navMapRequests).toHaveLength(1);
});
