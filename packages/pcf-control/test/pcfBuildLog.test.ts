import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without types
import { checkPcfBuildLog } from '../scripts/pcfBuildLog.mjs';

describe('checkPcfBuildLog', () => {
  it('accepts a log that reports success', () => {
    expect(checkPcfBuildLog('[12:00:01 PM] [build]  Compiling and bundling control...\n[12:00:09 PM] [build]  Succeeded\n')).toEqual({ ok: true });
  });

  it('fails on "[build] Failed" even though pcf-scripts exits 0', () => {
    const log = '[build]  Running ESLint...\n[pcf-1065] [Error] ESLint validation error:\n 3:7  error  x is assigned a value but never used\n[build]  Failed:\n';
    expect(checkPcfBuildLog(log)).toMatchObject({ ok: false });
  });

  it('fails when success is never reported', () => {
    expect(checkPcfBuildLog('[build]  Initializing...\n')).toMatchObject({ ok: false });
  });
});
