/**
 * Trajectories as fine-tuning lines. Both paths come out as the same chat: the user's text, the assistant's tool
 * calls (rule-path actions recorded as the planner's tools), the tools' results, the reply.
 * - `openai`: `{"messages": [...]}` as OpenAI chat fine-tuning takes it (tool_calls, role tool). A trajectory the user
 *   corrected ("no, the other one") keeps its context but every assistant message gets `"weight": 0`: nothing is
 *   learnt from an answer the user said was wrong.
 * - `sharegpt`: `{"conversations": [{from, value}], "system"?}` with `function_call` and `observation` turns (the
 *   LLaMA-Factory form). It cannot mark an answer as wrong, so corrected trajectories are left out.
 */
import type { ChatMessage, ToolCall } from '../core/chat.ts';
import type { TrajectoryStep } from './recorder.ts';
import type { Redactor } from './redact.ts';
import type { Trajectory } from './schema.ts';

export const EXPORT_FORMATS = ['openai', 'sharegpt'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type ToolStep = Extract<TrajectoryStep, { kind: 'tool_call' }>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const callIds = (m: ChatMessage) => (m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.id) : []);
const toolMessage = (s: ToolStep): ChatMessage => ({ role: 'tool', tool_call_id: s.id, content: JSON.stringify(s.result) });
const toolCall = (s: ToolStep): ToolCall => ({ id: s.id, type: 'function', function: { name: s.name, arguments: JSON.stringify(s.arguments) } });

/**
 * The trajectory as one chat. Planner steps bring their own messages: a model step holds the messages new since
 * the previous one (or the whole transcript: both are joined without repeats). Tool results come from the messages
 * when they hold them, else from the tool_call steps. Tool calls no message announced (the rule path) become one
 * assistant turn per run of consecutive calls, then their results.
 */
export function toChat(t: Trajectory): ChatMessage[] {
  const msgs: ChatMessage[] = [];
  const answered = new Set<string>();
  const announced = new Set<string>();
  /** results of announced calls, waiting for the model's next messages, which may carry them */
  let awaiting: ToolStep[] = [];
  let unannounced: ToolStep[] = [];
  const push = (m: ChatMessage) => {
    msgs.push(m);
    for (const id of callIds(m)) announced.add(id);
    if (m.role === 'tool') answered.add(m.tool_call_id);
  };
  const flushUnannounced = () => {
    if (unannounced.length === 0) return;
    push({ role: 'assistant', content: null, tool_calls: unannounced.map(toolCall) });
    for (const s of unannounced) push(toolMessage(s));
    unannounced = [];
  };
  const flushAwaiting = () => {
    for (const s of awaiting) if (!answered.has(s.id)) push(toolMessage(s));
    awaiting = [];
  };
  for (const step of t.steps) {
    if (step.kind === 'tool_call') {
      if (announced.has(step.id)) awaiting.push(step);
      else unannounced.push(step);
      continue;
    }
    flushUnannounced();
    if (step.kind !== 'model') continue;
    const prefix = step.messages.length >= msgs.length && msgs.every((m, i) => same(m, step.messages[i]));
    const fresh = (prefix ? step.messages.slice(msgs.length) : step.messages).filter((m) => !(m.role === 'tool' ? answered.has(m.tool_call_id) : msgs.some((k) => same(k, m))));
    // the results the messages carry first, then those only the steps recorded, then the model's next turn
    let i = 0;
    while (i < fresh.length && fresh[i]!.role === 'tool') push(fresh[i++]!);
    flushAwaiting();
    for (; i < fresh.length; i++) push(fresh[i]!);
  }
  flushUnannounced();
  flushAwaiting();
  // the user's words first (after any system prompt), if the model steps did not carry them
  if (!msgs.some((m) => m.role === 'user')) msgs.splice(msgs.filter((m) => m.role === 'system').length, 0, { role: 'user', content: t.text });
  const last = msgs[msgs.length - 1];
  if (t.reply !== '' && !(last?.role === 'assistant' && last.content === t.reply && !last.tool_calls?.length)) msgs.push({ role: 'assistant', content: t.reply });
  return msgs;
}

export const corrected = (t: Trajectory) => t.steps.some((s) => s.kind === 'correction');

/** strings in JSON (tool arguments, results) are redacted as values, so keys and numbers stay exactly as they were */
function redactJson(s: string, r: Redactor): string {
  try {
    return JSON.stringify(r.value(JSON.parse(s)));
  } catch {
    return r.text(s);
  }
}

export function redactChat(chat: ChatMessage[], r: Redactor): ChatMessage[] {
  return chat.map((m): ChatMessage => {
    switch (m.role) {
      case 'system':
      case 'user':
        return { ...m, content: r.text(m.content) };
      case 'tool':
        return { ...m, content: redactJson(m.content, r) };
      case 'assistant':
        return {
          ...m,
          content: m.content === null ? null : r.text(m.content),
          ...(m.tool_calls ? { tool_calls: m.tool_calls.map((c) => ({ ...c, function: { ...c.function, arguments: redactJson(c.function.arguments, r) } })) } : {}),
        };
    }
  });
}

/** a model's malformed arguments stay as the text it wrote */
function parseArguments(s: string): unknown {
  try {
    return JSON.parse(s || '{}') as unknown;
  } catch {
    return s;
  }
}

/** One JSONL line's object, or undefined when the format leaves this trajectory out. */
export function exportLine(t: Trajectory, format: ExportFormat, redactor?: Redactor): Record<string, unknown> | undefined {
  if (format === 'sharegpt' && corrected(t)) return undefined;
  const chat = redactor ? redactChat(toChat(t), redactor) : toChat(t);
  if (format === 'openai') {
    const wrong = corrected(t);
    return { messages: chat.map((m) => (wrong && m.role === 'assistant' ? { ...m, weight: 0 } : m)) };
  }
  const system = chat.filter((m) => m.role === 'system').map((m) => m.content);
  const results = new Map(chat.flatMap((m) => (m.role === 'tool' ? [[m.tool_call_id, m.content] as const] : [])));
  const conversations: { from: 'human' | 'gpt' | 'function_call' | 'observation'; value: string }[] = [];
  for (const m of chat) {
    if (m.role === 'user') conversations.push({ from: 'human', value: m.content });
    else if (m.role === 'assistant' && m.tool_calls?.length) {
      // each call followed by its own result: the alternation the format expects
      for (const c of m.tool_calls) {
        conversations.push({ from: 'function_call', value: JSON.stringify({ name: c.function.name, arguments: parseArguments(c.function.arguments) }) });
        conversations.push({ from: 'observation', value: results.get(c.id) ?? '' });
      }
    } else if (m.role === 'assistant' && m.content) conversations.push({ from: 'gpt', value: m.content });
  }
  return { conversations, ...(system.length ? { system: system.join('\n') } : {}) };
}
