// A module loaded on first use (a separate chunk, so start-up does not pay for it), read synchronously once
// it is there: views render plain text until then and render again when it arrives.
import { useEffect, useSyncExternalStore } from 'react';

export interface LazyModule<T> {
  /** The module, once loaded; undefined before (or if its chunk failed to load). */
  get(): T | undefined;
  load(): Promise<T | undefined>;
  subscribe(listener: () => void): () => void;
}

export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
  let value: T | undefined;
  let loading: Promise<T | undefined> | undefined;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    load: () =>
      (loading ??= importer().then(
        (loaded) => {
          value = loaded;
          for (const listener of listeners) listener();
          return loaded;
        },
        // A chunk that cannot load leaves the plain rendering in place; nothing else depends on it.
        () => undefined,
      )),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The module if loaded, starting its load when `wanted`; re-renders the caller when it arrives. */
export function useLazyModule<T>(module: LazyModule<T>, wanted = true): T | undefined {
  const value = useSyncExternalStore(module.subscribe, module.get, module.get);
  useEffect(() => {
    if (wanted && !value) void module.load();
  }, [module, wanted, value]);
  return value;
}
