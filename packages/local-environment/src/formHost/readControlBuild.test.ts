import { describe, expect, it } from 'vitest';
import { controlBuild, platformGlobalNames } from './readControlBuild.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('controlBuild', () => {
  it("finds the platform globals a virtual control's bundle reads", () => {
    const bundle = bytes('var e=Reactv16;module.exports=FluentUIReactv940,window["Reactv16"];');
    expect(controlBuild({ controlType: 'virtual', bundle })).toEqual({ controlType: 'virtual', platformGlobals: { react: ['Reactv16'], fluent: ['FluentUIReactv940'] } });
  });

  it('hosts a standard control with its container and no platform globals', () => {
    expect(controlBuild({ controlType: 'standard', bundle: bytes('Reactv16') })).toEqual({ controlType: 'standard', platformGlobals: { react: [], fluent: [] } });
  });
});

describe('platformGlobalNames', () => {
  it('reads each name once, and not React or Fluent mentioned in other words', () => {
    expect(platformGlobalNames('Reactv18 Reactv16 Reactv16 ReactDOM React FluentUIReactv81211 MyReactv16x')).toEqual({ react: ['Reactv16', 'Reactv18'], fluent: ['FluentUIReactv81211'] });
  });
});
