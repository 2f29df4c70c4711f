/**
 * A tiny in-process pub/sub. `subscribe` returns an idempotent unsubscribe;
 * a listener that throws does not stop the others. An interface, so that
 * Postgres LISTEN/NOTIFY can back it when two processes must share events.
 */
export interface Bus<T> {
  publish(topic: string, event: T): void;
  subscribe(topic: string, listener: (event: T) => void): () => void;
}

export function createBus<T>(onListenerError: (err: unknown) => void = () => {}): Bus<T> {
  const topics = new Map<string, Set<(event: T) => void>>();
  return {
    publish(topic, event) {
      for (const listener of topics.get(topic) ?? []) {
        try {
          listener(event);
        } catch (err) {
          onListenerError(err);
        }
      }
    },
    subscribe(topic, listener) {
      let set = topics.get(topic);
      if (!set) topics.set(topic, (set = new Set()));
      set.add(listener);
      return () => {
        const s = topics.get(topic);
        if (!s?.delete(listener)) return;
        if (s.size === 0) topics.delete(topic);
      };
    },
  };
}
