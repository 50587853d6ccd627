/**
 * What xterm.js asks of the page that jsdom does not have: a ResizeObserver and media queries
 * (jsdom lays nothing out). Installs stand-ins that observe nothing and match nothing, where
 * the page has none.
 */
export function provideXtermBrowserApis() {
  globalThis.ResizeObserver ??= class {
    observe() {}
    disconnect() {}
    unobserve() {}
  };
  window.matchMedia ??= (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener() {},
      removeEventListener() {},
      addListener() {},
      removeListener() {},
      dispatchEvent: () => false,
    } as MediaQueryList);
}
