/**
 * The narrow seam between the planner loop and whatever model answers it: OpenAI chat-completions shapes,
 * validated with zod. The OpenAI-compatible HTTP backend (openai-backend.ts) and the embedded node-llama-cpp
 * backend (optional package, traj helper) both implement ChatBackend. Shapes are shared with
 * hub/src/trajectories (see PLANNER-INTERFACES.md): keep changes backward compatible.
 */

// the message shapes are shared with trajectories: defined in the core, re-exported here (PLANNER-INTERFACES.md)
export { ToolCallSchema, ChatMessageSchema, type ToolCall, type ChatMessage, type AssistantMessage } from '../core/chat.ts';
import type { AssistantMessage, ChatMessage } from '../core/chat.ts';

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
