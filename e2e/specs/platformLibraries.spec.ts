/**
 * UniversalQuickCreate is a virtual control on the platform's React and Fluent: its bundle carries neither, and the
 * element it returns from updateView is rendered by the host's React (the local form host gives it React 17.0.2,
 * ReactDOM 17.0.2 and a Fluent 9 runtime under the global names the bundle reads, as model-driven apps do).
 */
import { readFile } from 'node:fs/promises';
import { CONTROL_BUNDLE } from '@sdap/local-stack';
import { expect, test } from '../fixtures.js';
import { uploadAndCheckLink } from '../support/navMapTraffic.js';
import { react16Umd } from '../support/react16.js';

test('the control bundle brings no React or Fluent of its own, and the form host\'s React 17 renders its element', async ({ form, page, target }) => {
  test.skip(!target.local, 'reads the built bundle and the local form host\'s globals');
  const bundle = await readFile(CONTROL_BUNDLE, 'utf8');
  // Strings React's and Fluent's own builds always contain (React's internals export, FluentProvider's class name).
  expect(bundle).not.toContain('__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED');
  expect(bundle).not.toContain('fui-FluentProvider');
  // pcf-scripts' externals for the declared platform libraries: React 16.14.0 and Fluent 9.46.2.
  expect(bundle).toMatch(/\bReactv16\b/);
  expect(bundle).toMatch(/\bFluentUIReactv940\b/);

  await form.open('sprk_matter', target.records.sprk_matter as string);
  await expect(form.control()).toBeVisible();
  const host = await page.evaluate(() => {
    const platform = window as unknown as Record<string, { version?: string } | undefined>;
    const container = document.querySelector('[data-testid=control-container]') as (HTMLElement & { _reactRootContainer?: unknown }) | null;
    const root = container?.querySelector('[data-testid=uqc-root]') ?? null;
    return {
      react: platform.React?.version,
      reactDom: platform.ReactDOM?.version,
      // The bundle's globals are the host's objects, not copies.
      sameReact: platform.Reactv16 === platform.React,
      sameFluent: platform.FluentUIReactv940 !== undefined && platform.FluentUIReactv940 === platform.FormHostFluent,
      // ReactDOM 17's legacy root on the container and its fiber on the control's element: the host's ReactDOM rendered it.
      hostRoot: container?._reactRootContainer !== undefined,
      hostFiber: root !== null && Object.keys(root).some((key) => key.startsWith('__reactFiber$')),
      fluentProvider: container?.querySelector('.fui-FluentProvider') !== null,
    };
  });
  expect(host).toEqual({ react: '17.0.2', reactDom: '17.0.2', sameReact: true, sameFluent: true, hostRoot: true, hostFiber: true, fluentProvider: true });
});

test('on React 16.14, as canvas apps and the pcf-start harness give it, the control uploads and links as on 17.0.2', async ({ context, endpoint, form, page, target }) => {
  test.skip(!target.local, 'replaces the local form host\'s platform React; a deployed form gives what its app gives');
  // The form host's platform React and ReactDOM answered with 16.14.0; its Fluent 9 runtime then runs on that React too.
  await context.route('**/_formhost/platform/react.js', async (route) => route.fulfill({ contentType: 'application/javascript', body: await react16Umd('react16', 'react.production.min.js') }));
  await context.route('**/_formhost/platform/react-dom.js', async (route) => route.fulfill({ contentType: 'application/javascript', body: await react16Umd('react-dom16', 'react-dom.production.min.js') }));
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const matterId = target.records.sprk_matter as string;
  await form.open('sprk_matter', matterId);
  expect(await page.evaluate(() => [(window as unknown as { React?: { version: string } }).React?.version, (window as unknown as { ReactDOM?: { version: string } }).ReactDOM?.version])).toEqual(['16.14.0', '16.14.0']);
  await uploadAndCheckLink(form, 'sprk_matter', matterId, await endpoint.map(), 'On React 16.14.txt');
  expect(errors).toEqual([]);
});
