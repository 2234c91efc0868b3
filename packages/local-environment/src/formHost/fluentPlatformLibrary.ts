/**
 * The Fluent 9 runtime the form host gives virtual controls, as model-driven apps do: the whole of
 * @fluentui/react-components on one global (the runtime gives it the name the control's bundle reads, e.g.
 * `FluentUIReactv940`). Built as an IIFE with React and ReactDOM taken from the page's globals
 * (hostReactGlobalsPlugin), so Fluent and the control render with the page's one React.
 */
// The whole library on purpose: a platform library serves every control, whatever it imports.
export * from '@fluentui/react-components';
