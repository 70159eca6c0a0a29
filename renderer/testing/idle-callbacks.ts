// happy-dom has no requestIdleCallback (Chromium and Electron do): the renderer's tests get
// one that runs the callback on a timer, with a deadline that says the page is idle.
if (typeof globalThis.requestIdleCallback !== 'function') {
  globalThis.requestIdleCallback = (run) =>
    setTimeout(() => run({ didTimeout: false, timeRemaining: () => 50 }), 1) as unknown as number;
  globalThis.cancelIdleCallback = (handle) => clearTimeout(handle);
}
