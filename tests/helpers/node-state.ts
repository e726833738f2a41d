/**
 * Waits until a node's own snapshot (RPC to the agent: what its driver holds) shows these fields for a device,
 * targets of moving fields over actual values. Independent of the order in which Homie publications arrive.
 */
export async function waitForNodeState(
  nodes: { snapshot(nodeId: string): Promise<Record<string, { state: Record<string, unknown>; targets: Record<string, unknown> }>> },
  nodeId: string,
  deviceId: string,
  expected: Record<string, unknown>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, unknown> = {};
  for (;;) {
    const d = (await nodes.snapshot(nodeId))[deviceId];
    last = { ...d?.state, ...d?.targets };
    if (Object.entries(expected).every(([k, v]) => last[k] === v)) return;
    if (Date.now() > deadline) throw new Error(`${nodeId}/${deviceId}: expected ${JSON.stringify(expected)}, the node holds ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
