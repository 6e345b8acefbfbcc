/** A small typed event emitter: `on(name, listener)` returns the function that removes it. */

export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(value: never) => void>>();

  on<K extends keyof Events>(name: K, listener: (value: Events[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, set = new Set());
    set.add(listener as (value: never) => void);
    return () => set.delete(listener as (value: never) => void);
  }

  /**
   * Calls every listener of `name`. A listener that throws is reported through `onListenerError`
   * and does not stop the others: one broken view must not break message delivery.
   */
  emit<K extends keyof Events>(name: K, value: Events[K]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      try {
        (listener as (value: Events[K]) => void)(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  onListenerError: (error: unknown) => void = (error) => console.error(error);
}
