/** A typed, synchronous event with unsubscribe; a listener that throws does not stop the others. */
export class Signal<T> {
  private readonly listeners = new Set<(value: T) => void>();

  on(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(value: T, onError?: (err: unknown) => void): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch (err) {
        onError?.(err);
      }
    }
  }
}
