// A module-level object built the first time it is used, then kept. For zod schemas: zod
// builds each one eagerly, and the first costs milliseconds of warming, so a process that
// parses nothing (`sndmix list` with no saved state) should not build any. The stand-in
// forwards every operation to the built object, so callers use it as the object itself.
export function builtOnFirstUse<T extends object>(build: () => T): T {
  let built: T | undefined;
  const object = () => (built ??= build());
  return new Proxy({} as T, {
    get: (_target, key) => Reflect.get(object(), key),
    set: (_target, key, value) => Reflect.set(object(), key, value),
    has: (_target, key) => Reflect.has(object(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(object()),
  });
}
