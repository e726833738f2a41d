/**
 * Replies by transaction id, so a repeated request (a caller retrying after a lost reply, QoS 1 redelivery) is
 * answered from memory instead of executing twice. Holds the reply's promise, so a repeat that arrives while the
 * first is still running waits for the same result. Oldest entries go first.
 */
export class ReplyCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly limit: number) {}

  get(key: string): Promise<T> | undefined {
    return this.entries.get(key);
  }

  set(key: string, reply: Promise<T>): void {
    this.entries.set(key, reply);
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
