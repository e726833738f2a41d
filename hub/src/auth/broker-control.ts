import type { Aedes } from 'aedes';
import type { Readable } from 'node:stream';

/** What revocation needs of the broker beyond the ACL hooks: its retained store. */
export interface BrokerControl {
  /** topics holding a retained message that match an MQTT filter */
  retainedTopics(filter: string): Promise<string[]>;
  /** publishes an empty retained message, which deletes the retained one (MQTT 3.1.1 §3.3.1.3) */
  clearRetained(topic: string): Promise<void>;
}

/** BrokerControl over an aedes instance (the embedded broker must hand its instance out for this). */
export function aedesBrokerControl(aedes: Aedes): BrokerControl {
  // aedes's types leave `persistence` untyped on the instance; its memory store streams retained packets
  const persistence = (aedes as unknown as { persistence: { createRetainedStream(pattern: string): Readable } }).persistence;
  return {
    async retainedTopics(filter) {
      const topics: string[] = [];
      for await (const packet of persistence.createRetainedStream(filter)) topics.push((packet as { topic: string }).topic);
      return topics;
    },
    clearRetained: (topic) =>
      new Promise<void>((resolve, reject) =>
        aedes.publish({ cmd: 'publish', topic, payload: Buffer.alloc(0), qos: 0, retain: true, dup: false }, (err) => (err ? reject(err) : resolve())),
      ),
  };
}
