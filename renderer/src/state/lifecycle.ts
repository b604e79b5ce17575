// Every store in state/ has the same lifecycle: `load()` fetches its data and, the first time only,
// subscribes to the contract events that keep that data current. load() runs again on every mount of
// a view and on every reconnection; the client (and its listeners) outlives those, so a second
// subscription would apply each event twice.

/** Wraps a store's event subscriptions so that calling the result again does nothing. */
export function subscribeOnce(subscribe: () => void): () => void {
  let subscribed = false;
  return () => {
    if (subscribed) return;
    subscribed = true;
    subscribe();
  };
}
