import { z } from 'zod';

/**
 * The narrow seam between the planner loop and whatever model answers it: OpenAI chat-completions shapes,
 * validated with zod. The OpenAI-compatible HTTP backend (openai-backend.ts) and the embedded node-llama-cpp
 * backend (optional package, traj helper) both implement ChatBackend. Shapes are shared with
 * hub/src/trajectories (see PLANNER-INTERFACES.md): keep changes backward compatible.
 */

export const ToolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

export const ChatMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }),
  z.object({ role: z.literal('user'), content: z.string() }),
  z.object({
    role: z.literal('assistant'),
    content: z.string().nullable(),
    tool_calls: z.array(ToolCallSchema).optional(),
  }),
  z.object({ role: z.literal('tool'), tool_call_id: z.string(), content: z.string() }),
]);
export type ChatMessage = z.infer<typeof ChatMessageSchema>;
export type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/** A JSON Schema object as produced by z.toJSONSchema. */
export type JsonSchema = Record<string, unknown>;

export interface ToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema };
}

export interface ChatRequest {
  messages: ChatMessage[];
  tools: ToolSpec[];
  maxTokens: number;
  signal?: AbortSignal;
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ChatResult {
  message: AssistantMessage;
  usage: ChatUsage;
}

export interface ChatBackend {
  /** 'openai' | 'llama-cpp' | ... */
  readonly name: string;
  complete(req: ChatRequest): Promise<ChatResult>;
  close(): Promise<void>;
}
