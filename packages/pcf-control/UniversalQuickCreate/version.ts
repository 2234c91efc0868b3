/** The control's version, as its manifest says (test/solutionZip.test.ts keeps the two equal). Shown on its root element. */
export const CONTROL_VERSION = '2.3.0';
